package ui

import (
	"strings"

	"dpsdesk/keymap"

	tea "github.com/charmbracelet/bubbletea"
)

// textPage is a page of text to read and scroll: every problem of a file
// refused, say. esc goes back.
type textPage struct {
	keys          keymap.Scroll
	title         string
	lines         []string
	page          pager
	width, height int
}

func newTextPage(title string, lines []string) *textPage {
	return &textPage{keys: keymap.NewScroll(), title: title, lines: lines}
}

func (t *textPage) Title() string { return t.title }
func (t *textPage) Init() tea.Cmd { return nil }
func (t *textPage) SetSize(w, h int) {
	t.width, t.height, t.page.height = w, h, h
}
func (t *textPage) ShortHelp() []keyBinding {
	return []keyBinding{t.keys.Up, t.keys.Down, t.keys.PageDown}
}
func (t *textPage) FullHelp() [][]keyBinding {
	k := t.keys
	return [][]keyBinding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

func (t *textPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		t.page.scroll(t.keys, km, len(t.wrapped()))
	}
	return t, nil
}

// wrapped are the lines wrapped to the width: nothing is cut. A line's
// own indent is kept on the lines it wraps onto.
func (t *textPage) wrapped() []string {
	var out []string
	for _, l := range t.lines {
		text := strings.TrimLeft(l, " ")
		indent := "  " + l[:len(l)-len(text)]
		if text == "" {
			out = append(out, "")
			continue
		}
		for _, w := range wrap(text, max(10, t.width-len(indent)-2)) {
			out = append(out, indent+w)
		}
	}
	return out
}

func (t *textPage) View() string { return strings.Join(t.page.window(t.wrapped()), "\n") }
