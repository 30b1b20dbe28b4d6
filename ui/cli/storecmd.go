package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"dpsdesk/store"
)

// storeFlags are the flags every command that opens the store takes.
type storeFlags struct {
	db       string
	as       string
	readOnly bool
	// unchecked opens a store without the check of every bucket (verify
	// makes its own, reporting each problem).
	unchecked bool
	// key is the audit key's file (default: beside the store, NAME.key).
	key string
}

func addStoreFlags(fs *flag.FlagSet, readOnlyFlag bool) *storeFlags {
	sf := &storeFlags{}
	fs.StringVar(&sf.db, "db", "", "the store `file` (default $DPSDESK_DB, else dpsdesk.db in your data directory)")
	fs.StringVar(&sf.as, "as", "", "the `name` the audit trail records for your changes (default: your login name)")
	if readOnlyFlag {
		fs.BoolVar(&sf.readOnly, "read-only", false, "open for looking only, beside a desk that has it open")
	}
	fs.StringVar(&sf.key, "key", "", "the audit key `file` that seals the trail (default: beside the store, NAME.key)")
	return sf
}

// dataDir is where dpsdesk keeps its stores when no --db is given:
// $XDG_DATA_HOME/dpsdesk, or the platform's equivalent.
func dataDir(env IO) (string, error) {
	if d := env.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "dpsdesk"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find your home directory for the store (give --db PATH): %w", err)
	}
	switch runtime.GOOS {
	case "windows":
		if d := env.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "dpsdesk"), nil
		}
		return filepath.Join(home, "AppData", "Local", "dpsdesk"), nil
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "dpsdesk"), nil
	}
	return filepath.Join(home, ".local", "share", "dpsdesk"), nil
}

// path is the store to open: --db, $DPSDESK_DB, or the default.
func (sf *storeFlags) path(env IO) (string, error) {
	if sf.db != "" {
		return sf.db, nil
	}
	if p := env.Getenv("DPSDESK_DB"); p != "" {
		return p, nil
	}
	d, err := dataDir(env)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "dpsdesk.db"), nil
}

// actor is who the audit trail names: --as, else the login name.
func (sf *storeFlags) actor(env IO) string {
	if sf.as != "" {
		return sf.as
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME"} {
		if n := env.Getenv(v); n != "" {
			return n
		}
	}
	return "unknown"
}

// open opens the store, turning its errors into exit statuses.
func (sf *storeFlags) open(env IO, mustExist bool) (*store.Store, error) {
	path, err := sf.path(env)
	if err != nil {
		return nil, err
	}
	if mustExist {
		if _, err := os.Stat(path); err != nil {
			return nil, usageError("no store at %s (create one with `dpsdesk init --db %s`)", path, path)
		}
	}
	s, err := store.Open(path, store.Options{ReadOnly: sf.readOnly, Actor: sf.actor(env), Unchecked: sf.unchecked, KeyPath: sf.key})
	switch {
	case errors.Is(err, store.ErrLocked):
		return nil, &exitError{ExitLocked, err}
	case err != nil:
		return nil, &exitError{ExitFailure, err}
	}
	if b := s.MigratedFrom(); b != "" {
		fmt.Fprintf(env.Stderr, "dpsdesk: upgraded %s to schema %d; the old file is kept at %s\n", path, store.SchemaVersion, b)
	}
	return s, nil
}

// demoSeed makes every demo store the same.
const demoSeed = 2026

// demoToday is the demo's "today", so the demo is the same whenever it is
// made; the expiries and deadlines in it are relative to it.
func demoToday() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

func runInit(env IO, args []string) error {
	fs := newFlags(env, "init", "init [--demo] --db PATH",
		`Creates a new store with the seven partner authorities and the categories.
With --demo it also holds a fictional register of about 300 establishments
and referrals in every state, for training and trying the desk.`)
	sf := addStoreFlags(fs, false)
	demo := fs.Bool("demo", false, "fill the new store with the demo register")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("init takes no arguments (did you mean --db %s?)", pos[0])
	}
	path, err := sf.path(env)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return usageError("%s already exists: init makes a new store and never overwrites one", path)
	}
	var fill func(*store.Store) error
	if *demo {
		fill = func(s *store.Store) error { return seedDemo(env, s) }
	}
	// Built in a temporary file beside it and moved into place when
	// complete: an interrupted init leaves nothing in the way of the next.
	key := sf.key
	if key == "" {
		key = store.KeyPathFor(path)
	}
	err = store.Create(path, store.Options{Actor: sf.actor(env), KeyPath: key}, fill)
	switch {
	case errors.Is(err, iofs.ErrExist):
		return usageError("%s already exists: init makes a new store and never overwrites one", path)
	case err != nil:
		return fmt.Errorf("%s was not created: %w", path, err)
	}
	fmt.Fprintf(env.Stdout, "created %s\n", path)
	fmt.Fprintf(env.Stdout, "its audit key is %s: keep it private (0600) and apart from copies of the store; without it nothing can be changed and the trail cannot be fully verified\n", key)
	return nil
}

func seedDemo(env IO, s *store.Store) error {
	return s.SeedDemo(demoSeed, demoToday(), func(done, total int) {
		fmt.Fprintf(env.Stderr, "\rbuilding the demo register: %d of %d ", done, total)
		if done == total {
			fmt.Fprintln(env.Stderr)
		}
	})
}

func runImport(env IO, args []string) error {
	if len(args) > 0 && args[0] == "gias" {
		return runImportGIAS(env, args[1:])
	}
	fs := newFlags(env, "import", "import register [--db PATH] FILE",
		`Imports a register CSV (shared/spec/register-csv.md): all of it, or, if any
row is bad, none of it, with every problem listed as "line N: column: message".
A row whose id is already in the register updates it. FILE may be -.
The file must be UTF-8 (a byte-order mark is allowed) unless --encoding
latin1 says it is Latin-1 (ISO 8859-1), which is then converted.
(dpsdesk import gias --help: keeping the register true from the DfE's download.)`)
	sf := addStoreFlags(fs, false)
	enc := fs.String("encoding", "utf-8", "the file's `encoding`: utf-8 or latin1")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "register" {
		return usageError("usage: dpsdesk import register [--db PATH] FILE")
	}
	data, err := readInput(env, pos[1])
	if err != nil {
		return err
	}
	if data, err = store.DecodeText(data, *enc); err != nil {
		return usageError("--encoding: %v", err)
	}
	s, err := sf.open(env, false)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.ImportRegister(strings.NewReader(string(data)), nil)
	var ie *store.ImportError
	if errors.As(err, &ie) {
		for _, r := range ie.Rows {
			fmt.Fprintf(env.Stderr, "%s: %s\n", pos[1], r)
		}
		fmt.Fprintf(env.Stderr, "dpsdesk: nothing imported: %d problems in %s\n", len(ie.Rows), pos[1])
		return silent(ExitUsage)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %d rows: %d new, %d updated, %d unchanged\n", res.Rows, res.Created, res.Updated, res.Unchanged)
	return nil
}

func runExport(env IO, args []string) error {
	fs := newFlags(env, "export", "export register [--db PATH] [--out FILE]",
		"Writes the whole register as CSV, sorted by id, to standard output or --out.")
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	out := fs.String("out", "", "write to `FILE` (created 0600) instead of standard output")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "register" {
		return usageError("usage: dpsdesk export register [--db PATH] [--out FILE]")
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	return writeOutput(env, *out, s.ExportRegister)
}

// writeOutput writes to stdout, or to a new file that is removed again if
// writing fails.
func writeOutput(env IO, path string, write func(w io.Writer) error) error {
	if path == "" || path == "-" {
		return write(env.Stdout)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

func runBackup(env IO, args []string) error {
	fs := newFlags(env, "backup", "backup [--db PATH] OUT",
		`Writes a consistent copy of the store to OUT (a new file, 0600). The store
must not be open in another dpsdesk; a running dpsdesk serve makes its own
copies (dpsdesk serve --backup-dir).`)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: dpsdesk backup [--db PATH] OUT")
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.BackupTo(pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s\n", s.Path(), pos[0])
	if a, err := s.Anchor(); err == nil {
		fmt.Fprintf(env.Stdout, "anchor: %s (dpsdesk verify compares the store with it)\n", a)
	}
	return nil
}

func runVerify(env IO, args []string) error {
	fs := newFlags(env, "verify", "verify [--db PATH]",
		`Checks the store file: its header and length, bbolt's page check, every
bucket and every record, and the whole audit trail's hash chain.
Exit status 0 when clean, 1 with each problem listed.`)
	sf := addStoreFlags(fs, false)
	sf.readOnly, sf.unchecked = true, true
	pagesOnly := fs.Bool("pages-only", false, "only bbolt's page check (what verify runs in a child process)")
	against := fs.String("against", "", "compare the trail with the anchor of this `backup` (default: the newest backup beside the store or in backups/)")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("verify takes no arguments")
	}
	path, err := sf.path(env)
	if err != nil {
		return err
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if *pagesOnly {
		ps := s.CheckPages()
		for _, p := range ps {
			fmt.Fprintln(env.Stdout, store.Printable(p.String()))
		}
		if len(ps) > 0 {
			return silent(ExitFailure)
		}
		return nil
	}
	ps := checkPagesApart(path)
	more, err := s.Verify()
	if err != nil {
		return err
	}
	ps = append(ps, more...)
	backup := *against
	if backup == "" {
		backup = store.NewestBackup(path)
	}
	var anchorNote string
	if backup != "" {
		if a, err := store.ReadAnchor(backup); err != nil {
			ps = append(ps, store.Problem{Message: fmt.Sprintf("the backup %s cannot be read for its anchor: %v", backup, err)})
		} else {
			ps = append(ps, s.CheckAnchor(a, backup)...)
			anchorNote = fmt.Sprintf("; it holds the anchor of %s (%s)", backup, a)
		}
	}
	for _, p := range ps {
		fmt.Fprintln(env.Stdout, store.Printable(p.String()))
	}
	if len(ps) > 0 {
		fmt.Fprintf(env.Stdout, "%s: %d problems\n", s.Path(), len(ps))
		if b := store.NewestBackup(path); b != "" {
			fmt.Fprintf(env.Stdout, "the newest backup is %s (check it with `dpsdesk verify --db %s` before copying it into place)\n", b, b)
		}
		return silent(ExitFailure)
	}
	entries, _ := s.Audit(store.AuditFilter{Limit: 1})
	last := uint64(0)
	if len(entries) > 0 {
		last = entries[0].Seq
	}
	fmt.Fprintf(env.Stdout, "%s: file consistent; audit trail of %d entries verified%s\n", s.Path(), last, anchorNote)
	if a, err := s.Anchor(); err == nil {
		fmt.Fprintf(env.Stdout, "anchor: %s; sealed with the key %s\n", a, s.KeyPath())
	}
	return nil
}

// checkPagesApart runs bbolt's page check in a child process (this
// program, `verify --pages-only`): on a damaged file the check can fault in
// a goroutine of bbolt's own, which no recover reaches. A child that dies
// is a problem found, not a crash of verify.
func checkPagesApart(path string) []store.Problem {
	exe, err := os.Executable()
	if err != nil {
		return []store.Problem{{Message: "file: bbolt's page check could not be run: " + err.Error()}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "verify", "--pages-only", "--db", path)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var ps []store.Problem
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if l != "" {
			ps = append(ps, store.Problem{Message: l})
		}
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.ExitCode() == ExitFailure:
	case errors.As(err, &ee):
		first, _, _ := strings.Cut(strings.TrimSpace(errOut.String()), "\n")
		ps = append(ps, store.Problem{Message: fmt.Sprintf("file: bbolt's page check stopped (%v: %s): the file's pages are damaged", ee, first)})
	default:
		ps = append(ps, store.Problem{Message: "file: bbolt's page check could not be run: " + err.Error()})
	}
	return ps
}

// childEnv marks a process verify started (the tests' TestMain runs Main
// when it is set).
const childEnv = "DPSDESK_VERIFY_CHILD"

func runAudit(env IO, args []string) error {
	fs := newFlags(env, "audit", "audit [--db PATH] [--since DATE] [--record ID] [--actor NAME]",
		"Prints the audit trail, oldest first: who changed what, when.")
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	since := fs.String("since", "", "only entries on or after `DATE` (YYYY-MM-DD)")
	record := fs.String("record", "", "only entries about the record `ID`")
	actor := fs.String("actor", "", "only entries by `NAME`")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("audit takes no arguments")
	}
	f := store.AuditFilter{Record: *record, Actor: *actor}
	if *since != "" {
		t, err := time.Parse(time.DateOnly, *since)
		if err != nil {
			return usageError("--since must be a date such as 2026-11-01, not %q", *since)
		}
		f.Since = t
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.Audit(f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := store.Printable
		fmt.Fprintf(env.Stdout, "#%d  %s  %s  %s  %s\n", e.Seq, e.Time.Local().Format("2006-01-02 15:04"), p(e.Actor), p(e.Action), p(e.Record))
		for _, c := range e.Changes {
			switch {
			case c.Before == "":
				fmt.Fprintf(env.Stdout, "      %s: %s\n", p(c.Field), p(c.After))
			default:
				fmt.Fprintf(env.Stdout, "      %s: %s → %s\n", p(c.Field), p(c.Before), p(c.After))
			}
		}
	}
	if len(entries) == 0 {
		fmt.Fprintln(env.Stdout, "no audit entries match")
	}
	return nil
}
