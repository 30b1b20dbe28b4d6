package ui

import (
	"errors"
	"fmt"
	"sync/atomic"

	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

type keyBinding = key.Binding

// Messages screens send to the root.
type (
	// statusMsg shows a line in the status bar; err marks it as a problem.
	// seq orders them: commands deliver messages in no set order, and an
	// older message must not cover a newer one.
	statusMsg struct {
		text  string
		err   bool
		label string // in front of an err: "Error: " when empty
		seq   uint64
	}
	// storeChangedMsg tells every screen the store has changed: each
	// reloads what it shows through a command.
	storeChangedMsg struct{}
)

// statusSeq numbers status messages in the order they are made.
var statusSeq atomic.Uint64

func status(format string, args ...any) tea.Cmd {
	msg := statusMsg{text: fmt.Sprintf(format, args...), seq: statusSeq.Add(1)}
	return func() tea.Msg { return msg }
}

func failure(err error) tea.Cmd {
	msg := statusMsg{text: err.Error(), err: true, seq: statusSeq.Add(1)}
	return func() tea.Msg { return msg }
}

func changed() tea.Msg { return storeChangedMsg{} }

// write is the one way a screen changes the store: it runs one store
// change; on success every screen reloads and the status says done; on
// failure the status says what was refused and that nothing changed.
func write(fn func() error, done string) tea.Cmd {
	if err := fn(); err != nil {
		return refused(err)
	}
	return tea.Batch(changed, status("%s", done))
}

// refused says a store change was refused: the first problem, with its
// field, and that nothing changed.
func refused(err error) tea.Cmd {
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		return failure(fmt.Errorf("%s: %s; nothing changed", ve.Problems[0].Field, ve.Problems[0].Message))
	}
	return failure(fmt.Errorf("%w; nothing changed", err))
}

// bind is a help-only binding for keys a component reads itself.
func bind(k, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc))
}
