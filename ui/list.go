package ui

import (
	"dpsdesk/keymap"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// list is the cursor and the window of a screen's rows, and the rows
// marked for a bulk action. It knows the rows by count and, for marks and
// for keeping the cursor on the record looked at across a reload, by id.
// Screens draw the rows; the list says which and where the cursor is.
type list struct {
	keys   keymap.List
	cursor int
	offset int
	n      int // rows
	height int // rows on screen
	marked map[string]bool
}

func newList(keys keymap.List) list { return list{keys: keys, height: 1, marked: map[string]bool{}} }

// resize sets how many rows show.
func (l *list) resize(height int) {
	l.height = max(1, height)
	l.clamp()
}

// setLen sets how many rows there are.
func (l *list) setLen(n int) {
	l.n = n
	l.clamp()
}

// follow puts the cursor on the row whose id is id, if it is still there,
// so that after a reload or an action the cursor stays on the record the
// person was looking at. idOf gives each row's id.
func (l *list) follow(id string, idOf func(i int) string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < l.n; i++ {
		if idOf(i) == id {
			l.cursor = i
			l.clamp()
			return true
		}
	}
	return false
}

// move handles the list keys; false for any other key.
func (l *list) move(msg tea.KeyMsg) bool {
	k, page := l.keys, max(1, l.height-1)
	switch {
	case key.Matches(msg, k.Up):
		l.cursor--
	case key.Matches(msg, k.Down):
		l.cursor++
	case key.Matches(msg, k.Top):
		l.cursor = 0
	case key.Matches(msg, k.Bottom):
		l.cursor = l.n - 1
	case key.Matches(msg, k.PageUp):
		l.cursor -= page
	case key.Matches(msg, k.PageDown):
		l.cursor += page
	default:
		return false
	}
	l.clamp()
	return true
}

// clamp keeps the cursor on a row and the row in the window.
func (l *list) clamp() {
	l.cursor = max(0, min(l.cursor, l.n-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, l.n-l.height))
}

// window is the rows on screen, [from, to).
func (l *list) window() (from, to int) { return l.offset, min(l.n, l.offset+l.height) }

// at is the row under the cursor; ok is false for an empty list.
func (l *list) at() (int, bool) { return l.cursor, l.cursor < l.n }

// toggle marks or unmarks a row by id.
func (l *list) toggle(id string) {
	if l.marked[id] {
		delete(l.marked, id)
		return
	}
	l.marked[id] = true
}

// unmark clears every mark; false when there was none.
func (l *list) unmark() bool {
	had := len(l.marked) > 0
	l.marked = map[string]bool{}
	return had
}

// pager scrolls a page of text lines that a screen works out from its
// state. The offset moves in Update; View shows the window of the lines
// it draws, clamped there without changing the pager, so View stays pure.
type pager struct {
	offset int
	height int
}

// scroll handles the scrolling keys for n lines; false for any other key.
func (p *pager) scroll(k keymap.Scroll, msg tea.KeyMsg, n int) bool {
	page := max(1, p.height-1)
	switch {
	case key.Matches(msg, k.Up):
		p.offset--
	case key.Matches(msg, k.Down):
		p.offset++
	case key.Matches(msg, k.PageUp):
		p.offset -= page
	case key.Matches(msg, k.PageDown):
		p.offset += page
	case key.Matches(msg, k.Top):
		p.offset = 0
	case key.Matches(msg, k.Bottom):
		p.offset = n
	default:
		return false
	}
	p.offset = max(0, min(p.offset, n-p.height))
	return true
}

// show brings line i into view (a cursor's line on a page of sections).
func (p *pager) show(i int) {
	if i < p.offset {
		p.offset = max(0, i-1)
	}
	if i >= p.offset+p.height {
		p.offset = i - p.height + 1
	}
}

// window is the lines on screen, the offset clamped to them.
func (p pager) window(lines []string) []string {
	from := max(0, min(p.offset, len(lines)-p.height))
	return lines[from:min(len(lines), from+max(1, p.height))]
}
