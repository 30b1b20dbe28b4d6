package ui

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

// golden runs the desk as a real bubbletea program at a size, presses the
// keys, waits for want, quits, and compares the final screen with
// testdata/<test name>.golden (go test ./ui -run Golden -update rewrites).
func golden(t *testing.T, w, h int, want string, keys ...string) {
	lipgloss.SetColorProfile(termenv.Ascii)
	m := New(NewContext(testStore(t), Options{NoColor: true, Now: func() time.Time { return testNow }}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	first := "establishments"
	if len(keys) == 0 {
		first = want
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(first)) },
		teatest.WithDuration(5*time.Second))
	if len(keys) == 0 {
		want = ""
	}
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	teatest.RequireEqualOutput(t, []byte(final.View()))
}

func TestGoldenRegister80x24(t *testing.T)  { golden(t, 80, 24, "row 1") }
func TestGoldenRegister120x40(t *testing.T) { golden(t, 120, 40, "Provider") }
func TestGoldenReview80x24(t *testing.T)    { golden(t, 80, 24, "in the queue", "2") }
func TestGoldenChecklist120x40(t *testing.T) {
	golden(t, 120, 40, "Method statement", "/", "o", "a", "k", "p", "a", "r", "k", "enter", "enter", "c")
}
