package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"dpsdesk/keymap"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
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
}

// NewContext builds the shared context of the desk.
func NewContext(s *store.Store, o Options) *Context {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Context{Store: s, Now: o.Now, Styles: NewStyles(DefaultTheme(), o.NoColor),
		Glyphs: NewGlyphs(o.ASCII), Global: keymap.NewGlobal()}
}

// Run opens the desk on the store until the user quits. If the desk fails
// inside, the terminal is restored and the error, with where to find the
// log, is returned; everything saved before it is in the store.
func Run(s *store.Store, o Options) error {
	return run(New(NewContext(s, o)), o)
}

func run(m *Model, o Options) error {
	opts := []tea.ProgramOption{tea.WithAltScreen()}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	if errors.Is(err, tea.ErrProgramPanic) {
		where := writeCrashLog(o.LogPath, m.crash)
		return fmt.Errorf("the desk stopped after an internal error: %v\ndetails are in %s; every change saved before it is in the store", m.crash.value, where)
	}
	return err
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
