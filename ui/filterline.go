package ui

import (
	"dpsdesk/keymap"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// filterLine is the "/" line above a list: / focuses it, typing narrows the
// list, enter keeps the filter and goes back to the list, esc clears it,
// an arrow goes back to the list with the filter kept.
type filterLine struct {
	keys   keymap.Filter
	input  textinput.Model
	active bool
}

func newFilterLine(placeholder string) filterLine {
	in := newInput()
	in.Prompt = "/"
	in.Placeholder = placeholder
	in.CharLimit = 100
	return filterLine{keys: keymap.NewFilter(), input: in}
}

// focus starts typing into the filter.
func (f *filterLine) focus() tea.Cmd {
	f.active = true
	return f.input.Focus()
}

func (f *filterLine) value() string { return f.input.Value() }

// clear empties the filter; false when it was empty.
func (f *filterLine) clear() bool {
	had := f.input.Value() != ""
	f.input.SetValue("")
	return had
}

func (f *filterLine) resize(w int) { f.input.Width = max(10, w) }

// filterEvent is what a key did to the filter.
type filterEvent int

const (
	filterTyped   filterEvent = iota // the text may have changed
	filterApplied                    // enter: the filter kept, back to the list
	filterCleared                    // esc: the filter emptied, back to the list
	filterLeft                       // an arrow: back to the list; pass the key on
)

// key handles a key while the filter is active.
func (f *filterLine) key(msg tea.KeyMsg) (filterEvent, tea.Cmd) {
	switch {
	case key.Matches(msg, f.keys.Apply):
		f.blur()
		return filterApplied, nil
	case key.Matches(msg, f.keys.Clear):
		f.blur()
		f.input.SetValue("")
		return filterCleared, nil
	case key.Matches(msg, f.keys.Leave):
		f.blur()
		return filterLeft, nil
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	return filterTyped, cmd
}

func (f *filterLine) blur() {
	f.active = false
	f.input.Blur()
}

func (f *filterLine) help() []keyBinding {
	return []keyBinding{f.keys.Apply, f.keys.Clear, f.keys.Leave}
}

// view is the filter line, or how to start one.
func (f *filterLine) view(st Styles, start key.Binding) string {
	if f.active || f.input.Value() != "" {
		return f.input.View()
	}
	return st.Muted.Render(start.Help().Key + " to filter")
}
