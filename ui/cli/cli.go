// Package cli is dpsdesk's command line: it parses each subcommand's flags,
// calls the engine and the store, and prints for people or scripts. The
// desk itself (the TUI) is package ui.
package cli

import (
	"errors"
	iofs "io/fs"
	"path/filepath"

	"dpsdesk/store"
	"runtime/debug"

	"dpsdesk/ui"
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
	run     func(env IO, args []string) error
}

func commands() []command {
	return []command{
		{"evaluate", "score a scenario file (JSON) with the engine; never touches the store", runEvaluate},
		{"init", "create a new store (--demo: with the demo register)", runInit},
		{"import", "import register FILE: load a register CSV, all or nothing; import gias FILE [--apply]: keep it true from the DfE's GIAS download", runImport},
		{"export", "export register: write the register as CSV", runExport},
		{"backup", "write a consistent copy of the store", runBackup},
		{"verify", "check the store file and the audit trail's hash chain", runVerify},
		{"audit", "print the audit trail", runAudit},
		{"market", "--gias FILE: the SEN-relevant establishments near the partners' areas not on the register", runMarket},
		{"referral", "referral list | referral export REFERRAL (a scenario file)", runReferral},
		{"authority", "authority list | authority pattern CODE PATTERN (the shape of its case references) | authority ppon CODE PPON", runAuthority},
		{"bids", "bids import REFERRAL FILE.csv: bids from the e-tendering portal", runBids},
		{"arrangement", "arrangement list | set: the DPS arrangements and the regime each is under", runArrangement},
		{"placement", "placement list: every placement, reviews due first, with its weekly cost", runPlacement},
		{"uplift", "a category's fee uplift: what it changes, or --apply it", runUplift},
		{"publish", "the quarter's awards for Contracts Finder or Find a Tender, by regime; --due", runPublish},
		{"notice", "notice set REFERRAL: a dynamic market award's summaries, standstill, contract dates", runNotice},
		{"summaries", "assessment summaries for each bidder of an awarded referral", runSummaries},
		{"serve", "serve the desk over SSH to the users in a users file, on one store", runServe},
		{"version", "print the version", runVersion},
	}
}

// Version is set at build time (-ldflags "-X dpsdesk/ui/cli.Version=...").
var Version = "dev"

// Main runs dpsdesk with the given arguments (without the program name) and
// returns the exit status.
func Main(args []string, env IO) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	err := dispatchGuarded(env, args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	var s silent
	if errors.As(err, &s) {
		return int(s)
	}
	fmt.Fprintln(env.Stderr, "dpsdesk:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitFailure
}

// dispatchGuarded runs the command with memory faults (a damaged store's
// pages are read through a memory map) turned into panics, and a panic
// into an error naming verify: never a signal, never a stack on screen.
func dispatchGuarded(env IO, args []string) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = fmt.Errorf("stopped after an internal error (%v); if it happened reading the store, the file may be damaged: run `dpsdesk verify`", r)
		}
	}()
	return dispatch(env, args)
}

// globalFlags are the desk's flags, which may also stand before or after a
// command's name: `dpsdesk --db demo.db referral list`. The value says
// whether the flag takes a value.
var globalFlags = map[string]bool{"db": true, "as": true, "key": true, "read-only": false, "no-color": false, "ascii": false, "demo": false}

// displayFlags only change how the desk draws; a command prints plain text
// whatever they say, so they are accepted and have nothing to do there.
var displayFlags = map[string]bool{"no-color": true, "ascii": true}

// flagName is the name of a flag argument ("--db=x" → "db", true), and
// whether its value is inside it.
func flagName(a string) (name string, inline bool) {
	if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
		return "", false
	}
	name = strings.TrimLeft(a, "-")
	name, _, inline = strings.Cut(name, "=")
	return name, inline
}

// splitGlobal takes the global flags standing before a command's name and
// returns them apart from the command and its own arguments. ok is false
// when what follows the flags is not a command (the desk is opened).
func splitGlobal(args []string) (globals, rest []string, ok bool) {
	i := 0
	for i < len(args) {
		name, inline := flagName(args[i])
		takesValue, known := globalFlags[name]
		if !known {
			break
		}
		globals = append(globals, args[i])
		i++
		if takesValue && !inline && i < len(args) {
			globals = append(globals, args[i])
			i++
		}
	}
	if i == len(args) || len(globals) == 0 || strings.HasPrefix(args[i], "-") {
		return nil, args, false
	}
	return globals, args[i:], true
}

// commandArgs gives a command its own arguments with the global flags that
// stood before its name after them, and without the display flags.
func commandArgs(globals, args []string) []string {
	// Before a "--", after which everything is an argument.
	at := len(args)
	for i, a := range args {
		if a == "--" {
			at = i
			break
		}
	}
	all := append(append(append([]string(nil), args[:at]...), globals...), args[at:]...)
	var out []string
	for _, a := range all {
		if name, _ := flagName(a); displayFlags[name] {
			continue
		}
		out = append(out, a)
	}
	return out
}

func dispatch(env IO, args []string) error {
	var globals []string
	if g, rest, ok := splitGlobal(args); ok {
		globals, args = g, rest
		// --demo before a command is the demo store: `dpsdesk --demo
		// referral list` (init's own --demo fills a new store).
		for i, a := range globals {
			if name, _ := flagName(a); name == "demo" && args[0] != "init" {
				dir, err := dataDir(env)
				if err != nil {
					return err
				}
				globals[i] = "--db=" + filepath.Join(dir, "demo.db")
			}
		}
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name := args[0]
		if name == "help" {
			if len(args) > 1 {
				return dispatch(env, []string{args[1], "--help"})
			}
			usage(env.Stdout)
			return nil
		}
		for _, c := range commands() {
			if c.name == name {
				return c.run(env, commandArgs(globals, args[1:]))
			}
		}
		return usageError("unknown command %q (see dpsdesk --help)", name)
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			usage(env.Stdout)
			return nil
		}
	}
	return runDesk(env, args)
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
	fmt.Fprint(w, `
Desk flags:
  --db PATH      the store (default $DPSDESK_DB, else dpsdesk.db in your data directory)
  --demo         the demo store (demo.db in your data directory, made on first use)
  --as NAME      the name the audit trail records (default: your login name)
  --read-only    look without changing anything
  --no-color     plain text (NO_COLOR does the same)
  --ascii        ASCII only, for terminals without box-drawing glyphs
`)
}

// newFlags makes a flag set that prints its usage to the command's stdout
// for --help and reports bad flags as usage errors.
func newFlags(env IO, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
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
func parse(env IO, fs *flag.FlagSet, args []string) ([]string, error) {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(env.Stdout)
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

func runVersion(env IO, args []string) error {
	fs := newFlags(env, "version", "version", "Prints the version of dpsdesk.")
	if _, err := parse(env, fs, args); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "dpsdesk", Version)
	return nil
}

// deskFlags are the flags of the desk itself.
type deskFlags struct {
	store   *storeFlags
	demo    bool
	noColor bool
	ascii   bool
}

// runDesk opens the desk on the store (--demo: on the demo store in the
// data directory, created on first use).
func runDesk(env IO, args []string) error {
	fs := newFlags(env, "", "[--db PATH] [--demo] [--as NAME] [--read-only] [--no-color] [--ascii]", "Opens the desk.")
	df := deskFlags{store: addStoreFlags(fs, true)}
	fs.BoolVar(&df.demo, "demo", false, "open the demo store (created in your data directory on first use)")
	fs.BoolVar(&df.noColor, "no-color", false, "plain text, no colour (as NO_COLOR does)")
	fs.BoolVar(&df.ascii, "ascii", false, "draw with ASCII only, for terminals without box-drawing glyphs")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unknown command %q (see dpsdesk --help)", pos[0])
	}
	if df.demo {
		if df.store.db != "" {
			return usageError("--demo opens the demo store: leave out --db")
		}
		dir, err := dataDir(env)
		if err != nil {
			return err
		}
		df.store.db = filepath.Join(dir, "demo.db")
	}
	path, err := df.store.path(env)
	if err != nil {
		return err
	}
	logDir, _ := dataDir(env)
	if _, statErr := os.Lstat(path); df.demo && statErr != nil {
		// The demo store is built whole before it is opened (see init).
		err := store.Create(path, store.Options{Actor: df.store.actor(env), KeyPath: df.store.key}, func(s *store.Store) error { return seedDemo(env, s) })
		if err != nil && !errors.Is(err, iofs.ErrExist) {
			ui.LogExit(filepath.Join(logDir, "dpsdesk.log"), err)
			return fmt.Errorf("the demo store was not created: %w", err)
		}
	}
	s, err := df.store.open(env, true)
	if err != nil {
		ui.LogExit(filepath.Join(logDir, "dpsdesk.log"), err)
		return err
	}
	defer s.Close()
	dir, _ := dataDir(env)
	return ui.Run(s, ui.Options{
		NoColor: df.noColor || env.Getenv("NO_COLOR") != "",
		ASCII:   df.ascii,
		LogPath: filepath.Join(dir, "dpsdesk.log"),
	})
}

// subcommand is one word of a command group ("list" of "referral").
type subcommand struct {
	name string
	run  func(IO, []string) error
}

// runGroup runs a command group: help for -h, the subcommand named by the
// first word, or a usage error naming the words there are.
func runGroup(env IO, group, help string, args []string, subs ...subcommand) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(env.Stdout, help)
		return nil
	}
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError("usage: dpsdesk %s %s ... (see dpsdesk help %s)", group, strings.Join(names, "|"), group)
	}
	for _, s := range subs {
		if args[0] == s.name {
			return s.run(env, args[1:])
		}
	}
	return usageError("unknown %s command %q (%s)", group, args[0], strings.Join(names, " or "))
}
