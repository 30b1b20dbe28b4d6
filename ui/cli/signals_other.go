//go:build !unix

package cli

import "os"

// Without SIGHUP, the users file is reloaded by restarting the server.
var (
	reloadSignals []os.Signal
	stopSignals   = []os.Signal{os.Interrupt}
)
