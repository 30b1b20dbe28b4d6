package ui

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// broken is a screen with a bug: it panics on any key.
type broken struct{ *reports }

func (b *broken) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		var rows []int
		_ = rows[3] // index out of range
	}
	return b, nil
}

func TestPanicRestoresTheTerminalAndWritesTheLog(t *testing.T) {
	s := testStore(t)
	log := filepath.Join(t.TempDir(), "logs", "dpsdesk.log")
	o := Options{NoColor: true, LogPath: log, Now: func() time.Time { return testNow }}
	m := New(NewContext(s, o))
	m.tabs[0].stack[0] = &broken{newReports(m.ctx)}
	m.width, m.height = 80, 24 // pipes have no size to report
	in, w := io.Pipe()
	var out bytes.Buffer
	o.Input, o.Output = in, &out
	done := make(chan error)
	go func() { done <- run(m, o) }()
	time.Sleep(200 * time.Millisecond)
	w.Write([]byte("j"))
	time.Sleep(100 * time.Millisecond)
	w.Close() // a pipe cannot be cancelled like a terminal: end it
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the desk did not stop after the panic")
	}
	if err == nil || !strings.Contains(err.Error(), "index out of range") || !strings.Contains(err.Error(), "details are in "+log) {
		t.Fatalf("error = %v", err)
	}
	data, rerr := os.ReadFile(log)
	if rerr != nil || !strings.Contains(string(data), "dpsdesk stopped: runtime error: index out of range") || !strings.Contains(string(data), "broken") {
		t.Errorf("log: %v\n%s", rerr, data)
	}
	if fi, _ := os.Stat(log); fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v", fi.Mode().Perm())
	}
	// The alternate screen was left: the terminal is the user's again.
	if !strings.Contains(out.String(), "\x1b[?1049l") {
		t.Error("the terminal was not restored")
	}
}
