package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"dpsdesk/keymap"
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
	b.WriteString(fitLine(m.shortHelp(), m.width, el))
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

func (m *Model) shortHelp() string {
	if m.tooSmall() {
		return ""
	}
	var parts []string
	g := m.ctx.Global
	// Help and quit first: on a narrow terminal the end of the line is cut.
	// A room lists its own.
	if c, ok := m.top().(capturer); !ok || !c.Capturing() {
		parts = append(parts, m.ctx.Styles.Key.Render(g.Help.Help().Key)+" help", m.ctx.Styles.Key.Render(g.Quit.Help().Key)+" quit")
	}
	for _, k := range m.top().ShortHelp() {
		if k.Enabled() {
			parts = append(parts, m.ctx.Styles.Key.Render(k.Help().Key)+" "+k.Help().Desc)
		}
	}
	return " " + strings.Join(parts, " · ")
}

// openHelp shows the help of the screen on top, from its start.
func (m *Model) openHelp() {
	m.showHelp = true
	m.help = pager{height: max(1, m.height-chrome-1)}
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
