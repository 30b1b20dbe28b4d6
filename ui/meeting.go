package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// setting is one shortlisted establishment as a family sees it: plain
// words, no internal codes. Price and points are kept apart and shown only
// when the officer chooses to.
type setting struct {
	id, name, kind, pattern, town, inspection, taster string
	miles                                             float64
	canMeet, cannotMeet, offers, notOffered           []string
	weekly                                            int64
	total                                             float64
}

// shortlist reads a referral's parents' shortlist as settings.
func shortlist(s *store.Store, id string) (store.Referral, []setting, error) {
	res, c, err := s.Rank(id, 0)
	if err != nil {
		return store.Referral{}, nil, err
	}
	r := c.Referral
	var out []setting
	for _, eid := range res.ParentChoice {
		e := c.Records[eid]
		st := setting{id: eid, name: e.Name, kind: engine.SettingKind(r.Category), pattern: engine.PatternTitle(e.Pattern), town: e.Town}
		if st.town == "" {
			st.town = e.Postcode
		}
		for _, rb := range res.Ranked {
			if rb.Establishment == eid {
				st.miles, st.weekly, st.total = rb.DistanceMiles, rb.NetWeeklyPence, rb.Total
			}
		}
		if in, ok := e.Inspection(); ok {
			st.inspection = in.Framework.Title()
			if in.Grade != "" {
				st.inspection += ": " + in.Grade
			}
			if d, err := time.Parse(time.DateOnly, in.Date); err == nil {
				st.inspection += ", inspected " + d.Format("January 2006")
			}
			if in.Framework == engine.FrameworkUnregulated {
				st.inspection = "Not inspected by a regulator; visited and checked by the council"
			}
		}
		// A referral that asked about taster days has the bid's answer
		// among the features; otherwise the register says.
		if !slices.ContainsFunc(r.Features, func(f engine.Feature) bool { return f.ID == "taster-day" }) {
			st.taster = map[string]string{"yes": "Offers a taster day", "no": "No taster day"}[e.TasterDay]
			if st.taster == "" {
				st.taster = "Taster day: not stated"
			}
		}
		var bid store.Bid
		for _, b := range c.Bids {
			if b.Establishment == eid {
				bid = b
			}
		}
		for _, n := range r.Needs {
			if slices.Contains(bid.NeedsMet, n.ID) {
				st.canMeet = append(st.canMeet, engine.NeedTitle(n.ID))
			} else {
				st.cannotMeet = append(st.cannotMeet, engine.NeedTitle(n.ID))
			}
		}
		for _, f := range r.Features {
			if slices.Contains(bid.FeaturesOffered, f.ID) {
				st.offers = append(st.offers, engine.FeatureTitle(f.ID))
			} else {
				st.notOffered = append(st.notOffered, engine.FeatureTitle(f.ID))
			}
		}
		out = append(out, st)
	}
	return r, out, nil
}

// lines describes a setting for the family, wrapped to width.
func (s setting) lines(n int, width int, prices bool) []string {
	var l []string
	para := func(text string) {
		l = append(l, wrap(text, width)...)
	}
	para(fmt.Sprintf("%d. %s", n, s.name))
	para(capitalise(s.kind) + ", " + s.pattern)
	para(fmt.Sprintf("%.1f miles from home, in %s", s.miles, s.town))
	if s.inspection != "" {
		para(s.inspection)
	}
	l = append(l, "")
	para("Can meet: " + orWord(s.canMeet, "none of the needs listed"))
	if len(s.cannotMeet) > 0 {
		para("Cannot meet: " + strings.Join(s.cannotMeet, "; "))
	}
	para("Offers: " + orWord(s.offers, "none of the things asked for"))
	if len(s.notOffered) > 0 {
		para("Does not offer: " + strings.Join(s.notOffered, "; "))
	}
	if s.taster != "" {
		para(s.taster)
	}
	if prices {
		l = append(l, "")
		para(fmt.Sprintf("Cost: %s a week · total score %.2f", Pounds(s.weekly), s.total))
	}
	return l
}

func orWord(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, "; ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// meeting is the screen shared with the family in the meeting: the
// shortlisted settings side by side (one at a time on a narrow screen),
// in plain words. Prices and scores are hidden unless the officer shows
// them. It records their choice with their reason, or that they want more
// time, and writes a summary for them to take away.
type meeting struct {
	ctx           *Context
	keys          keymap.Meeting
	id            string
	r             store.Referral
	settings      []setting
	err           error
	prices        bool
	at            int // the setting shown when one at a time
	offset        int
	width, height int
	modal
}

// sideBySide is the width from which the settings stand side by side.
const sideBySide = 100

func newMeeting(ctx *Context, id string) *meeting {
	m := &meeting{ctx: ctx, keys: keymap.NewMeeting(), id: id}
	m.r, m.settings, m.err = shortlist(ctx.Store, id)
	return m
}

func (m *meeting) Title() string    { return "Meeting" }
func (m *meeting) Init() tea.Cmd    { return nil }
func (m *meeting) Capturing() bool  { return m.asking() }
func (m *meeting) SetSize(w, h int) { m.width, m.height = w, h }

func (m *meeting) ShortHelp() []keyBinding {
	if m.asking() {
		return m.modal.help()
	}
	k := m.keys
	stacked := m.width < sideBySide
	k.Left.SetEnabled(stacked)
	k.Right.SetEnabled(stacked)
	ro := m.ctx.Store.CanWrite() != nil
	k.Choose.SetEnabled(!ro)
	k.Defer.SetEnabled(!ro)
	return []keyBinding{k.Left, k.Right, k.Choose, k.Defer, k.Print, k.Prices, bind("esc", "leave")}
}

func (m *meeting) FullHelp() [][]keyBinding {
	k := m.keys
	return [][]keyBinding{{k.Left, k.Right, k.Up, k.Down}, {k.Choose, k.Defer, k.Print, k.Prices}}
}

func (m *meeting) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || m.err != nil {
		return m, nil
	}
	if handled, cmd := m.handle(km); handled {
		return m, cmd
	}
	k := m.keys
	switch {
	case key.Matches(km, k.Left):
		m.at, m.offset = max(0, m.at-1), 0
	case key.Matches(km, k.Right):
		m.at, m.offset = min(len(m.settings)-1, m.at+1), 0
	case key.Matches(km, k.Up):
		m.offset = max(0, m.offset-1)
	case key.Matches(km, k.Down):
		m.offset++
	case key.Matches(km, k.Prices):
		m.prices = !m.prices
	case key.Matches(km, k.Print):
		paths, err := writeSummary(m.ctx, m.r, m.settings)
		if err != nil {
			return m, failure(err)
		}
		return m, status("Family summary written: %s", m.ctx.wrote(paths...))
	case (key.Matches(km, m.keys.Choose) || key.Matches(km, m.keys.Defer)) && m.ctx.Store.CanWrite() != nil:
		return m, failure(m.ctx.Store.CanWrite())
	case key.Matches(km, k.Choose):
		m.askChoice()
	case key.Matches(km, k.Defer):
		m.askDefer()
	}
	return m, nil
}

func (m *meeting) askChoice() {
	m.prompt = newPrompt(fmt.Sprintf("Which setting did they choose (1-%d)", len(m.settings)), "", "the number on the screen", func(v string) tea.Cmd {
		i := 0
		if _, err := fmt.Sscan(v, &i); err != nil || i < 1 || i > len(m.settings) {
			return failure(fmt.Errorf("choose 1 to %d; nothing recorded", len(m.settings)))
		}
		chosen := m.settings[i-1]
		m.prompt = newPrompt("Their reason, in their own words", "", "e.g. she liked the sensory room and it is near her gran", func(reason string) tea.Cmd {
			if reason == "" {
				return failure(fmt.Errorf("record their reason in their own words; nothing recorded"))
			}
			start := m.ctx.Now().AddDate(0, 0, 14).Format(time.DateOnly)
			m.confirm = &confirmation{
				question: fmt.Sprintf("Record: the family chose %s, because %q. Placement to start %s. (y/n)", chosen.name, reason, start),
				yes: func() tea.Cmd {
					err := m.ctx.Store.Award(store.AwardRequest{Referral: m.id, Establishment: chosen.id, Route: store.RouteParentChoice, Start: start, Reason: reason})
					if err != nil {
						return failure(fmt.Errorf("%w; nothing recorded", err))
					}
					m.ctx.close()
					return tea.Batch(changed, status("Recorded: the family chose %s", chosen.name))
				},
			}
			return nil
		})
		return nil
	})
}

func (m *meeting) askDefer() {
	m.prompt = newPrompt("Follow up on (YYYY-MM-DD)", "", "e.g. "+m.ctx.Now().AddDate(0, 0, 7).Format(time.DateOnly), func(date string) tea.Cmd {
		if !store.ValidDate(date) {
			return failure(fmt.Errorf("%q is not a date (YYYY-MM-DD); nothing recorded", date))
		}
		m.prompt = newPrompt("What they want first", "", "e.g. a taster day at setting 2; more time to talk it over", func(what string) tea.Cmd {
			if what == "" {
				return failure(fmt.Errorf("say what they want first; nothing recorded"))
			}
			m.confirm = &confirmation{
				question: fmt.Sprintf("Record: the family wants %s; follow up on %s. (y/n)", what, date),
				yes: func() tea.Cmd {
					if err := m.ctx.Store.DeferChoice(m.id, date, what); err != nil {
						return failure(fmt.Errorf("%w; nothing recorded", err))
					}
					m.ctx.close()
					return tea.Batch(changed, status("Recorded: follow up on %s; %s is back in the referrals queue", date, m.id))
				},
			}
			return nil
		})
		return nil
	})
}

func (m *meeting) View() string {
	st := m.ctx.Styles
	if m.err != nil {
		return "  " + m.err.Error()
	}
	if len(m.settings) == 0 {
		return "  There is no shortlist to choose from."
	}
	var top []string
	top = append(top, " "+st.Title.Render("Choosing a setting")+fmt.Sprintf(" · case reference %s · %d settings to choose from", m.r.ChildRef, len(m.settings)))
	bottom := []string{st.Muted.Render(" Prices and scores are hidden (s shows them)")}
	if m.prices {
		bottom = []string{st.Label.Render(" PRICES AND SCORES ARE SHOWN on this screen (s hides them)")}
	}
	switch {
	case m.prompt != nil:
		bottom = strings.Split(m.prompt.view(st, m.width), "\n")
	case m.confirm != nil:
		bottom = nil
		for _, l := range wrap(m.confirm.question, m.width-4) {
			bottom = append(bottom, st.Error.Render("  "+l))
		}
	}
	h := max(1, m.height-len(top)-len(bottom)-1)
	var body []string
	if m.width >= sideBySide {
		body = m.columns()
	} else {
		s := m.settings[m.at]
		top = append(top, st.Muted.Render(fmt.Sprintf(" Setting %d of %d · ←/→ to move", m.at+1, len(m.settings))))
		h--
		for _, l := range s.lines(m.at+1, m.width-4, m.prices) {
			body = append(body, "  "+l)
		}
	}
	m.offset = max(0, min(m.offset, len(body)-h))
	body = body[m.offset:min(len(body), m.offset+h)]
	for len(body) < h {
		body = append(body, "")
	}
	return strings.Join(append(append(append(top, ""), body...), bottom...), "\n")
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
