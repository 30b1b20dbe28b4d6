package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"dpsdesk/keymap"

	"github.com/charmbracelet/x/ansi"
)

// View draws the header, the active screen (or help) and the footer; every
// line exactly the terminal's width.
func (m *Model) View() (view string) {
	defer m.catch()
	if m.width == 0 {
		return ""
	}
	el := m.ctx.Glyphs.Ellipsis
	if m.tooSmall() {
		msg := fmt.Sprintf("terminal too small (need %dx%d, have %dx%d)", MinWidth, MinHeight, m.width, m.height)
		lines := make([]string, m.height)
		if m.height > 0 {
			lines[m.height/2] = strings.Repeat(" ", max(0, (m.width-len(msg))/2)) + msg
		}
		return fitBlock(strings.Join(lines, "\n"), m.width, m.height, el)
	}
	st := m.ctx.Styles
	var b strings.Builder
	// Header: where we are, whose store, who is working.
	ro := ""
	if m.ctx.Store.ReadOnly() {
		ro = " · read-only"
	}
	who := m.ctx.Store.Actor()
	if m.ctx.Store.Shared() {
		who = m.ctx.Store.Principal().String()
	}
	left := st.Header.Render("dpsdesk") + " " + safeFrame(filepath.Base(m.ctx.Store.Path())+" · "+who+ro)
	r, inRoom := m.top().(room)
	inRoom = inRoom && r.Room()
	if inRoom {
		// The family sees this screen: no store, no login, no tabs.
		b.WriteString(fitLine(st.Header.Render("dpsdesk")+" · meeting mode", m.width, el) + "\n")
		b.WriteString(fitLine("", m.width, el) + "\n")
		return m.body(&b)
	}
	crumbs := make([]string, 0, 4)
	for _, s := range m.tabs[m.active].stack {
		crumbs = append(crumbs, s.Title())
	}
	right := safeFrame(strings.Join(crumbs, " > "))
	gap := m.width - lipglossWidth(left) - lipglossWidth(right) - 1
	if gap < 1 {
		right = fitLine(right, max(0, m.width-lipglossWidth(left)-2), el)
		gap = 1
	}
	b.WriteString(fitLine(left+strings.Repeat(" ", gap)+right, m.width, el) + "\n")
	var tabs []string
	for i, t := range m.tabs {
		label := fmt.Sprintf(" %d %s ", i+1, t.name)
		if i == m.active {
			tabs = append(tabs, st.ActiveTab.Render("["+strings.TrimSpace(label)+"]"))
		} else {
			tabs = append(tabs, st.Tab.Render(label))
		}
	}
	b.WriteString(fitLine(strings.Join(tabs, ""), m.width, el) + "\n")
	return m.body(&b)
}

// body draws the active screen (or help) and the footer below the header.
// A status message is never cut: one too long for a line takes two, and
// the screen gives up its last line for it.
func (m *Model) body(b *strings.Builder) string {
	el := m.ctx.Glyphs.Ellipsis
	_, h := m.innerSize()
	status := m.statusLines()
	h -= len(status) - 1
	// The key lines were made room for when they last changed (fitKeys);
	// more now than then, the screen gives up its last lines.
	keys := m.keyLines()
	h -= max(0, len(keys)-1-m.keyExtra)
	switch {
	case m.confirmQuit:
		k := keymap.NewConfirm()
		b.WriteString(fitBlock("\n  There are unsaved changes. Quit and lose them? ("+k.Yes.Help().Key+"/"+k.No.Help().Key+")", m.width, h, el))
	case m.showHelp:
		b.WriteString(fitBlock(strings.Join(m.help.window(m.helpLines()), "\n"), m.width, h, el))
	default:
		b.WriteString(fitBlock(safeFrame(m.top().View()), m.width, h, el))
	}
	b.WriteString("\n")
	for _, l := range status {
		b.WriteString(fitLine(l, m.width, el) + "\n")
	}
	for i, l := range keys {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(fitLine(l, m.width, el))
	}
	return m.asciiOnly(b.String())
}

// statusLines are the status message wrapped to the width: one line, or
// two for a long one (a third and more only when it could not be shorter,
// the last then cut).
func (m *Model) statusLines() []string {
	if m.status == "" {
		return []string{""}
	}
	text := safeFrame(m.status)
	if m.statusErr {
		text = m.statusLabel + text
	}
	lines := wrap(text, max(10, m.width-1))
	if len(lines) > 3 {
		lines = append(lines[:2], lines[2]+" "+strings.Join(lines[3:], " "))
	}
	for i, l := range lines {
		if m.statusErr {
			lines[i] = m.ctx.Styles.Error.Render(l)
		}
	}
	return lines
}

// maxKeyLines is how many lines the key line may take when one does not
// hold the keys of the screen on top.
const maxKeyLines = 3

// keyLines are the footer's keys at the terminal's width: the screen's
// own keys first, then the generic ones (moving, help, quit); on as many
// lines (up to three) as the screen's own keys need, so none of them is
// cut. The generic ones follow when they fit on those lines; else "?
// more keys" says where they are (the help lists every key).
func (m *Model) keyLines() []string {
	st := m.ctx.Styles
	var lines []string
	for _, line := range m.keyLayout() {
		var b strings.Builder
		for i, k := range line {
			if i > 0 {
				b.WriteString(" · ")
			}
			b.WriteString(st.Key.Render(k.key) + " " + k.desc)
		}
		lines = append(lines, " "+b.String())
	}
	return lines
}

// keyPart is one key of the footer and what it does.
type keyPart struct{ key, desc string }

func (k keyPart) width() int { return ansi.StringWidth(k.key) + 1 + ansi.StringWidth(k.desc) }

// keyLayout is keyLines before it is styled: which keys on which line
// (fitKeys counts the lines without drawing them).
func (m *Model) keyLayout() [][]keyPart {
	if m.tooSmall() {
		return [][]keyPart{nil}
	}
	g := m.ctx.Global
	part := func(k keyBinding) keyPart { return keyPart{k.Help().Key, k.Help().Desc} }
	var own, generic []keyPart
	for _, k := range m.top().ShortHelp() {
		switch {
		case !k.Enabled():
		case movement(k):
			generic = append(generic, part(k))
		default:
			own = append(own, part(k))
		}
	}
	// A screen that takes every key (a form, a room) lists its own help
	// and leaving; the desk's help and quit are for the others.
	if c, ok := m.top().(capturer); ok && c.Capturing() {
		return flowKeys(append(own, generic...), m.width, maxKeyLines)
	}
	generic = append(generic, part(g.Help), part(g.Quit))
	more := keyPart{g.Help.Help().Key, "more keys"}
	n := len(flowKeys(append(own[:len(own):len(own)], more), m.width, maxKeyLines))
	if all := flowKeys(append(own[:len(own):len(own)], generic...), m.width, maxKeyLines); len(all) <= n && fits(all, m.width) {
		return all
	}
	return flowKeys(append(own, more), m.width, maxKeyLines)
}

// movers are the keys that move or scroll, the same on every list and
// page.
var movers = func() [][]string {
	l, s := keymap.NewList(), keymap.NewScroll()
	var keys [][]string
	for _, b := range []keyBinding{l.Up, l.Down, l.Top, l.Bottom, l.PageUp, l.PageDown, s.Up, s.Down, s.PageUp, s.PageDown, s.Top, s.Bottom} {
		keys = append(keys, b.Keys())
	}
	return keys
}()

// movement is a key that moves or scrolls: generic, so after the
// screen's own.
func movement(k keyBinding) bool {
	for _, keys := range movers {
		if slices.Equal(k.Keys(), keys) {
			return true
		}
	}
	return false
}

// flowKeys lays the keys out on lines of the width (a space first, " · "
// between them), a key never split; the last of most lines takes the
// rest (cut when drawn: the test of every screen says none of its own is).
func flowKeys(parts []keyPart, width, most int) [][]keyPart {
	lines := [][]keyPart{nil}
	w := 1
	for _, p := range parts {
		i := len(lines) - 1
		switch {
		case len(lines[i]) == 0:
			lines[i], w = append(lines[i], p), 1+p.width()
		case w+3+p.width() <= width || len(lines) == most:
			lines[i], w = append(lines[i], p), w+3+p.width()
		default:
			lines, w = append(lines, []keyPart{p}), 1+p.width()
		}
	}
	return lines
}

// fits says whether every line of keys is within the width.
func fits(lines [][]keyPart, width int) bool {
	for _, l := range lines {
		w := 1
		for i, p := range l {
			if i > 0 {
				w += 3
			}
			w += p.width()
		}
		if w > width {
			return false
		}
	}
	return true
}

// openHelp shows the help of the screen on top, from its start.
func (m *Model) openHelp() {
	m.showHelp = true
	_, h := m.innerSize()
	m.help = pager{height: max(1, h-1)}
}

// helpLines are every key of the screen on top, then the desk's, then,
// in a form, what the focused field wants.
func (m *Model) helpLines() []string {
	st, g := m.ctx.Styles, m.ctx.Global
	sc := keyScroll()
	lines := []string{st.Title.Render(m.top().Title()+": keys") + fmt.Sprintf("  (%s scroll; any other key closes this help)", sc), ""}
	if f, ok := m.top().(*form); ok {
		lines = append(lines, f.fieldHelp(m.width)...)
	}
	if n, ok := m.top().(helpNoter); ok && len(n.HelpNotes()) > 0 {
		lines = append(append(lines, n.HelpNotes()...), "")
	}
	groups := append(m.top().FullHelp(), []keyBinding{g.Register, g.Review, g.Referrals, g.Report, g.Audit, g.Setup, g.Placements},
		[]keyBinding{g.Back, g.Help, g.FieldHelp, g.Quit})
	for _, grp := range groups {
		for _, k := range grp {
			switch {
			case k.Help().Key == "":
			case k.Enabled():
				lines = append(lines, fmt.Sprintf("  %-14s %s", k.Help().Key, k.Help().Desc))
			default: // every key of the screen is listed; those closed now say so
				lines = append(lines, st.Muted.Render(fmt.Sprintf("  %-14s %s (not open now)", k.Help().Key, k.Help().Desc)))
			}
		}
		lines = append(lines, "")
	}
	return lines
}

// asciiOnly makes the frame 7-bit under --ascii: every glyph, arrow and
// sign the desk or the data draws is said in ASCII, each line fitted
// again to the width.
func (m *Model) asciiOnly(s string) string {
	if !m.ctx.ASCII {
		return s
	}
	lines := strings.Split(toASCII(s), "\n")
	for i, l := range lines {
		lines[i] = fitLine(l, m.width, m.ctx.Glyphs.Ellipsis)
	}
	return strings.Join(lines, "\n")
}
