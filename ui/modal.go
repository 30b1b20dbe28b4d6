package ui

import (
	"strings"

	"dpsdesk/keymap"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// confirmation is a yes/no question with what a yes does.
type confirmation struct {
	question string
	yes      func() tea.Cmd
	no       func() // when set, what n goes back to (a question asked again, say); esc just leaves
	noDoes   string // what n does then, said with the keys: "changes the date"
}

// modal is the footer of a screen that asks something: one line of text or
// a yes/no question. While it asks it takes every key, and it draws itself
// under the screen's rows, wrapped, never cut.
type modal struct {
	prompt  *prompt
	confirm *confirmation
}

func (m *modal) asking() bool { return m.prompt != nil || m.confirm != nil }

// ask puts a yes/no question.
func (m *modal) ask(question string, yes func() tea.Cmd) {
	m.confirm = &confirmation{question: question, yes: yes}
}

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
		case key.Matches(msg, answer.Cancel):
			m.confirm = nil
		case key.Matches(msg, answer.No):
			m.confirm = nil
			if c.no != nil {
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
	c := keymap.NewConfirm()
	return []keyBinding{c.Yes, c.No, c.Cancel}
}

// view draws what is asked, in lines of at most width cells; "" when
// nothing is.
func (m *modal) view(st Styles, width int) string {
	switch {
	case m.prompt != nil:
		return m.prompt.view(st, width)
	case m.confirm != nil:
		c, k := m.confirm, keymap.NewConfirm()
		yn := k.Yes.Help().Key + "/" + k.No.Help().Key
		if c.noDoes != "" {
			yn += ": " + k.No.Help().Key + " " + c.noDoes
		}
		return question(st, c.question+" ("+yn+")", width)
	}
	return ""
}

// question draws a question or warning wrapped to the width, in full.
func question(st Styles, text string, width int) string {
	lines := wrap(text, max(10, width-4))
	for i, l := range lines {
		lines[i] = st.Error.Render("  " + l)
	}
	return strings.Join(lines, "\n")
}

// discard is the question asked before typed input is thrown away: y
// discards, n or esc keeps editing. Prompts and forms both ask it.
type discard struct{ asking bool }

// key answers the question; leave is true when the person chose to discard.
func (d *discard) key(msg tea.KeyMsg) (leave bool) {
	k := keymap.NewDiscard()
	switch {
	case key.Matches(msg, k.Yes):
		d.asking = false
		return true
	case key.Matches(msg, k.No, k.Cancel):
		d.asking = false
	}
	return false
}

func (d *discard) view(st Styles, what string, width int) string {
	k := keymap.NewDiscard()
	return question(st, "Discard "+what+"? ("+hint(k.Yes, k.No)+")", width)
}

func (d *discard) help() []keyBinding {
	k := keymap.NewDiscard()
	return []keyBinding{k.Yes, k.No}
}

// hint writes bindings as prose for a line on screen ("y: discard, n: keep
// editing"), from the bindings themselves so the words never drift from
// the keys.
func hint(bs ...key.Binding) string {
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		if b.Enabled() {
			parts = append(parts, b.Help().Key+": "+b.Help().Desc)
		}
	}
	return strings.Join(parts, ", ")
}

// keyOr gives a key to what is being asked, or else to the screen's own
// key handler.
func (m *modal) keyOr(msg tea.KeyMsg, own func(tea.KeyMsg) tea.Cmd) tea.Cmd {
	if handled, cmd := m.handle(msg); handled {
		return cmd
	}
	return own(msg)
}
