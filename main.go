// Command dpsdesk is the terminal desk for commissioning staff who run a
// Dynamic Purchasing System of SEND placements: a provider register,
// qualification and suspensions, referral mini-competitions, ranked bids and
// parent choice. Run `dpsdesk --help`.
package main

import (
	"os"

	"dpsdesk/ui/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
