package ui

import (
	"errors"
	"fmt"

	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// confirmation is a yes/no question with what a yes does.
type confirmation struct {
	question string
	yes      func() tea.Cmd
	no       func() // when set, what a no goes back to (a question asked again, say)
}

// modal is what a screen is asking, if anything: one line of text or a
// yes/no question. While it asks, it takes every key.
type modal struct {
	prompt  *prompt
	confirm *confirmation
}

func (m *modal) asking() bool { return m.prompt != nil || m.confirm != nil }

// handle gives a key to the prompt or question; handled is false when
// nothing is being asked.
func (m *modal) handle(msg tea.KeyMsg) (handled bool, cmd tea.Cmd) {
	switch {
	case m.prompt != nil:
		p := m.prompt
		done, cmd := p.update(msg)
		if done && m.prompt == p { // an answer may ask the next question
			m.prompt = nil
		}
		return true, cmd
	case m.confirm != nil:
		c, answer := m.confirm, keymap.NewConfirm()
		switch {
		case key.Matches(msg, answer.Yes):
			m.confirm = nil
			return true, c.yes()
		case key.Matches(msg, answer.No):
			m.confirm = nil
			if c.no != nil && msg.String() != "esc" { // esc leaves the question; n goes back
				c.no()
			}
		}
		return true, nil
	}
	return false, nil
}

func (m *modal) help() []keyBinding {
	if m.prompt != nil {
		return m.prompt.help()
	}
	return []keyBinding{bind("y", "yes"), bind("n", "no")}
}

// moveCursor moves a list cursor for the list keys; ok is false for any
// other key. The caller clamps.
func moveCursor(k keymap.List, msg tea.KeyMsg, cursor, n, page int) (int, bool) {
	switch {
	case key.Matches(msg, k.Up):
		return cursor - 1, true
	case key.Matches(msg, k.Down):
		return cursor + 1, true
	case key.Matches(msg, k.Top):
		return 0, true
	case key.Matches(msg, k.Bottom):
		return n - 1, true
	case key.Matches(msg, k.PageUp):
		return cursor - page, true
	case key.Matches(msg, k.PageDown):
		return cursor + page, true
	}
	return cursor, false
}

// act runs one store change; on failure nothing changed.
func act(fn func() error, done string) tea.Cmd {
	if err := fn(); err != nil {
		var ve *store.ValidationError
		if errors.As(err, &ve) {
			return failure(fmt.Errorf("%s: %s; nothing changed", ve.Problems[0].Field, ve.Problems[0].Message))
		}
		return failure(fmt.Errorf("%w; nothing changed", err))
	}
	return tea.Batch(changed, status("%s", done))
}
