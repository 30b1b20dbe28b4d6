// Package cli is dpsdesk's command line: it parses each subcommand's flags,
// calls the engine and the store, and prints for people or scripts. The
// desk itself (the TUI) is package ui.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailure = 1 // the command ran and found problems (verify)
	ExitUsage   = 2 // bad flags or bad input: nothing was changed
	ExitLocked  = 3 // the store is open in another dpsdesk
)

// IO is where a command reads and writes.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// exitError carries an exit status with the message a person reads.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is bad input: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{ExitUsage, fmt.Errorf(format, args...)}
}

// silent is an exit status whose message has already been printed.
type silent int

func (s silent) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

type command struct {
	name    string
	summary string
	run     func(io IO, args []string) error
}

func commands() []command {
	return []command{
		{"evaluate", "score a scenario file (JSON) with the engine; never touches the store", runEvaluate},
		{"version", "print the version", runVersion},
	}
}

// Version is set at build time (-ldflags "-X dpsdesk/ui/cli.Version=...").
var Version = "dev"

// Main runs dpsdesk with the given arguments (without the program name) and
// returns the exit status.
func Main(args []string, io IO) int {
	if io.Getenv == nil {
		io.Getenv = os.Getenv
	}
	err := dispatch(io, args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	var s silent
	if errors.As(err, &s) {
		return int(s)
	}
	fmt.Fprintln(io.Stderr, "dpsdesk:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitFailure
}

func dispatch(io IO, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name := args[0]
		if name == "help" {
			if len(args) > 1 {
				return dispatch(io, []string{args[1], "--help"})
			}
			usage(io.Stdout)
			return nil
		}
		for _, c := range commands() {
			if c.name == name {
				return c.run(io, args[1:])
			}
		}
		return usageError("unknown command %q (see dpsdesk --help)", name)
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			usage(io.Stdout)
			return nil
		}
	}
	return runDesk(io, args)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `dpsdesk — the commissioning desk for a Dynamic Purchasing System of SEND placements.

Usage:
  dpsdesk [flags]              open the desk
  dpsdesk COMMAND [flags] ...  run one command
  dpsdesk help COMMAND         how to use a command

Commands:
`)
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
}

// newFlags makes a flag set that prints its usage to the command's stdout
// for --help and reports bad flags as usage errors.
func newFlags(io IO, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: dpsdesk %s\n\n%s\n", synopsis, about)
		var any bool
		fs.VisitAll(func(*flag.Flag) { any = true })
		if any {
			fmt.Fprintln(w, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags that may stand before, between or after the positional
// arguments ("evaluate FILE --format table"), and returns the positionals.
func parse(io IO, fs *flag.FlagSet, args []string) ([]string, error) {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(io.Stdout)
			fs.Usage()
			return nil, flag.ErrHelp
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, silent(ExitUsage) // flag has printed the problem and the usage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runVersion(io IO, args []string) error {
	fs := newFlags(io, "version", "version", "Prints the version of dpsdesk.")
	if _, err := parse(io, fs, args); err != nil {
		return err
	}
	fmt.Fprintln(io.Stdout, "dpsdesk", Version)
	return nil
}

// runDesk opens the desk; it arrives with the store and the TUI.
func runDesk(io IO, args []string) error {
	usage(io.Stdout)
	return nil
}
