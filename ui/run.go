package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"dpsdesk/keymap"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Options say how the desk looks and where it writes its log.
type Options struct {
	NoColor bool // plain text: NO_COLOR or --no-color
	ASCII   bool // ASCII glyphs only: --ascii
	// LogPath is where a crash is written; the desk writes nothing else
	// there, and never a child's case reference.
	LogPath string
	Now     func() time.Time
	Input   io.Reader // for tests; the terminal when nil
	Output  io.Writer
	// Renderer draws for one remote terminal (dpsdesk serve); nil is this
	// process's terminal.
	Renderer *lipgloss.Renderer
	// Changes, when set, wakes the desk when someone else changes the
	// store, and every screen reloads (dpsdesk serve: one store, many
	// sessions).
	Changes <-chan struct{}
	// FilesDir is where the desk writes files (summaries/, reports/): the
	// store's directory when empty. Fetch, when set, says how a person at
	// a remote terminal copies one of them (a path relative to FilesDir)
	// to their own machine.
	FilesDir string
	Fetch    func(rel string) string
}

// NewContext builds the shared context of the desk.
func NewContext(s *store.Store, o Options) *Context {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FilesDir == "" {
		o.FilesDir = filepath.Dir(s.Path())
	}
	return &Context{Store: s, Now: o.Now, Styles: NewStylesFor(o.Renderer, DefaultTheme(), o.NoColor),
		Glyphs: NewGlyphs(o.ASCII), ASCII: o.ASCII, Global: keymap.NewGlobal(), changes: o.Changes, filesDir: o.FilesDir, fetch: o.Fetch}
}

// NewProgram builds the desk as a bubbletea program for one terminal
// (dpsdesk serve runs one for each SSH session); the caller runs it. A
// panic inside ends that program alone, with tea.ErrProgramPanic.
func NewProgram(s *store.Store, o Options, extra ...tea.ProgramOption) *tea.Program {
	return tea.NewProgram(New(NewContext(s, o)), append(programOptions(o), extra...)...)
}

// programOptions are the desk's: the alternate screen, and the input and
// output when they are not this process's terminal.
func programOptions(o Options) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithAltScreen()}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	return opts
}

// closingMsg asks the desk to close; see Closing.
type closingMsg struct{ text string }

// Closing asks the desk to close: it quits at once unless a page holds
// unsaved input, and then shows text (say, how long is left to save).
func Closing(text string) tea.Msg { return closingMsg{text: text} }

// Notice is a message for the status line from outside the desk: the
// server closing, a session about to time out.
func Notice(text string) tea.Msg {
	return statusMsg{text: text, err: true, label: "Notice: ", seq: statusSeq.Add(1)}
}

// Run opens the desk on the store until the user quits. If the desk fails
// inside, the terminal is restored and the error, with where to find the
// log, is returned; everything saved before it is in the store.
func Run(s *store.Store, o Options) error {
	return run(New(NewContext(s, o)), o)
}

func run(m *Model, o Options) error {
	// The store is read through a memory map: a damaged page read while
	// the desk runs faults. Made a panic here, on the goroutine that runs
	// the desk's updates and views, it ends the program like any other
	// internal error: the terminal restored, the log written.
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	_, err := tea.NewProgram(m, programOptions(o)...).Run()
	if errors.Is(err, tea.ErrProgramPanic) && m.crash != nil {
		where := writeCrashLog(o.LogPath, m.crash)
		return fmt.Errorf("the desk stopped after an internal error: %v\ndetails are in %s; every change saved before it is in the store (if the store is damaged, `dpsdesk verify` says where)", m.crash.value, where)
	}
	if err != nil {
		LogExit(o.LogPath, err)
	}
	return err
}

// LogExit appends one line to the desk's log saying why it stopped (or
// could not start): the error's words only, with no record's content.
func LogExit(path string, err error) {
	if path == "" || err == nil {
		return
	}
	os.MkdirAll(filepath.Dir(path), 0o700)
	f, ferr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if ferr != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s dpsdesk stopped: %s\n", time.Now().Format(time.RFC3339), store.Printable(err.Error()))
}

func writeCrashLog(path string, c *crash) string {
	if path == "" {
		return "(no log file was set)"
	}
	os.MkdirAll(filepath.Dir(path), 0o700)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Sprintf("(the log %s could not be written: %v)", path, err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s dpsdesk stopped: %v\n%s\n", time.Now().Format(time.RFC3339), c.value, c.stack)
	return path
}
