package ui

import (
	"fmt"
	"strings"
)

// parts are the meeting's screen: what stays at the top, the body that
// scrolls and the line or question at the bottom.
func (m *meeting) parts() (top, body, bottom []string) {
	st := m.ctx.Styles
	bottom = []string{st.Muted.Render(" Prices and scores are hidden")}
	switch {
	case m.done != nil:
		title := "Your choice is recorded"
		if !m.done.choice() {
			title = "More time to decide"
		}
		top = append(top, " "+st.Title.Render(title)+" · case reference "+m.r.ChildRef)
		for _, l := range m.confirmationLines(m.width - 4) {
			body = append(body, "  "+l)
		}
		bottom = []string{st.Muted.Render(" " + m.keys.Print.Help().Key + " writes a summary of this to take away")}
	case len(m.settings) == 0:
		return nil, []string{"", "  There is no shortlist to choose from."}, nil
	case m.recording != nil && m.asking():
		// What is recorded is what is on the screen: the chosen setting
		// alone, whichever was looked at last.
		top = append(top, " "+st.Title.Render("Recording your choice")+" · case reference "+m.r.ChildRef)
		top = append(top, st.Muted.Render(fmt.Sprintf(" You chose setting %d of %d:", m.recording.n, len(m.settings))))
		for _, l := range m.recording.s.lines(m.recording.n, m.width-4, m.prices) {
			body = append(body, "  "+l)
		}
		if m.prices {
			bottom = []string{st.Label.Render(" PRICES AND SCORES ARE SHOWN on this screen (" + m.keys.Prices.Help().Key + " hides them)")}
		}
	default:
		top = append(top, " "+st.Title.Render("Choosing a setting")+fmt.Sprintf(" · case reference %s · %s to choose from", m.r.ChildRef, plural(len(m.settings), "setting")))
		top = append(top, st.Muted.Render(" "+notARecommendation))
		if m.gone > 0 {
			top = append(top, st.Warn.Render(fmt.Sprintf(" %s on the shortlist can no longer be offered.", plural(m.gone, "other setting"))))
		}
		if m.prices {
			bottom = []string{st.Label.Render(" PRICES AND SCORES ARE SHOWN on this screen (" + m.keys.Prices.Help().Key + " hides them)")}
		}
		if m.width >= sideBySide {
			body = m.columns()
		} else {
			s := m.settings[m.at]
			top = append(top, st.Muted.Render(fmt.Sprintf(" Setting %d of %d · %s to move", m.at+1, len(m.settings), m.keys.Move.Help().Key)))
			for _, l := range s.lines(m.at+1, m.width-4, m.prices) {
				body = append(body, "  "+l)
			}
		}
	}
	if m.help {
		body = []string{"  " + st.Title.Render("The keys of this screen") + " (any key closes this help)", ""}
		for _, g := range m.FullHelp() {
			for _, k := range g {
				if k.Enabled() {
					body = append(body, fmt.Sprintf("  %-12s %s", k.Help().Key, k.Help().Desc))
				}
			}
		}
		body = append(body, "", "  Nothing else works on this screen: "+m.keys.Leave.Help().Key+" asks before leaving it.")
	}
	if m.asking() {
		bottom = strings.Split(m.modal.view(st, m.width), "\n")
	}
	return top, body, bottom
}

func (m *meeting) bodyHeight(top, bottom []string) int {
	return max(1, m.height-len(top)-len(bottom)-1)
}

// curtainLines are drawn once the meeting has ended: nothing of the
// referral, no price, score or setting, until the officer has turned the
// screen back and pressed the one key that returns to the desk.
func (m *meeting) curtainLines() []string {
	st := m.ctx.Styles
	l := []string{"", "  " + st.Title.Render("The meeting has ended"), ""}
	para := func(text string) {
		for _, w := range wrap(text, max(10, m.width-4)) {
			l = append(l, "  "+w)
		}
		l = append(l, "")
	}
	para("The family's screen is closed.")
	para("Before going on, turn the screen back to you: the desk shows prices, scores and every bid, which are not for the family.")
	para(fmt.Sprintf("Then press %s to return to the desk.", m.keys.Return.Help().Key))
	return l
}

func (m *meeting) View() string {
	if m.curtain {
		return strings.Join(m.curtainLines(), "\n")
	}
	if m.err != nil {
		return "\n  " + m.err.Error()
	}
	top, body, bottom := m.parts()
	page := m.page // a copy: drawing changes nothing
	page.height = m.bodyHeight(top, bottom)
	shown := page.window(body)
	if !m.asking() && len(bottom) == 1 && len(body) > page.height && page.offset+page.height < len(body) {
		bottom[0] += m.ctx.Styles.Muted.Render(" · " + m.keys.Down.Help().Key + ": more below")
	}
	for len(shown) < page.height {
		shown = append(shown, "")
	}
	return strings.Join(append(append(append(top, ""), shown...), bottom...), "\n")
}

// columns lays the settings side by side, a rule between them.
func (m *meeting) columns() []string {
	n := len(m.settings)
	colW := (m.width - 2 - 3*(n-1)) / n
	cols := make([][]string, n)
	rows := 0
	for i, s := range m.settings {
		cols[i] = s.lines(i+1, colW, m.prices)
		rows = max(rows, len(cols[i]))
	}
	rule := " " + m.ctx.Glyphs.VRule + " "
	out := make([]string, rows)
	for r := range rows {
		parts := make([]string, n)
		for i := range cols {
			text := ""
			if r < len(cols[i]) {
				text = cols[i][r]
			}
			parts[i] = fitLine(text, colW, m.ctx.Glyphs.Ellipsis)
		}
		out[r] = "  " + strings.Join(parts, rule)
	}
	return out
}
