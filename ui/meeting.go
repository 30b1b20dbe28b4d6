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
	earliest                                          string // YYYY-MM-DD, when its bid offered one
	miles                                             float64
	canMeet, cannotMeet, offers, notOffered           []string
	noNeeds, noFeatures                               bool // the referral lists none
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
	ids := r.Shortlist // as the evaluation found it, not as it would be now
	if len(ids) == 0 {
		ids = res.ParentChoice
	}
	var out []setting
	for _, eid := range ids {
		if !slices.ContainsFunc(res.Ranked, func(rb engine.RankedBid) bool { return rb.Establishment == eid }) {
			continue // no longer compliant: it can no longer be offered (the meeting says so)
		}
		e := c.Records[eid]
		st := setting{id: eid, name: e.Name, kind: engine.SettingKind(r.Category), pattern: engine.PatternTitle(e.Pattern), town: e.Town,
			noNeeds: len(r.Needs) == 0, noFeatures: len(r.Features) == 0}
		if st.town == "" {
			st.town = e.Postcode
		}
		for _, rb := range res.Ranked {
			if rb.Establishment == eid {
				st.miles, st.weekly, st.total = rb.DistanceMiles, rb.NetWeeklyPence, rb.Total
			}
		}
		if in, ok := e.Inspection(); ok {
			st.inspection = inspectionWords(in)
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
		st.earliest = bid.EarliestStart
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
	// By name, not by score: the numbers only tell them apart, and the
	// order must not read as a recommendation.
	slices.SortStableFunc(out, func(a, b setting) int { return strings.Compare(a.name, b.name) })
	return r, out, nil
}

// inspectionWords is the latest inspection as a sentence a parent
// understands: who inspected, when, and what they found, in the
// framework's own judgement explained.
func inspectionWords(in store.Inspection) string {
	when := ""
	if d, err := time.Parse(time.DateOnly, in.Date); err == nil {
		when = " in " + d.Format("January 2006")
	}
	g := in.Grade
	switch in.Framework {
	case engine.FrameworkUnregulated:
		return "Not inspected by a regulator; visited and checked by the council"
	case engine.FrameworkISI:
		if g == "Met" {
			return "ISI inspected it" + when + " and found it met every standard (ISI inspects independent schools)"
		}
		return "ISI inspected it" + when + " and found it did not meet every standard (ISI inspects independent schools)"
	case engine.FrameworkOfsted, engine.FrameworkCQC:
		place := map[string]string{
			"Outstanding":          "the highest of its four grades",
			"Good":                 "the second of its four grades",
			"Requires improvement": "the third of its four grades: not yet good",
			"Inadequate":           "the lowest of its four grades",
		}[g]
		who := "Ofsted"
		if in.Framework == engine.FrameworkCQC {
			who = "The Care Quality Commission (CQC)"
		}
		if place == "" {
			return who + " inspected it" + when
		}
		return fmt.Sprintf("%s inspected it%s and judged it %s, %s", who, when, strings.ToLower(g), place)
	case engine.FrameworkReportCard:
		found := map[string]string{
			"Exceptional":             "every area was exceptional, its highest grade",
			"Strong standard":         "every area was at a strong standard or better",
			"Expected standard":       "every area was at the standard expected of a good school, or better",
			"Needs attention":         "at least one area needs attention: something it must improve, though not urgently",
			"Urgent improvement":      "at least one area needs urgent improvement",
			engine.SafeguardingNotMet: "its safeguarding did not meet the standard",
		}[g]
		if found == "" {
			return "Ofsted inspected it" + when + " (report card)"
		}
		return "Ofsted inspected it" + when + " and its report card says " + found
	}
	return in.Framework.Title() + " inspected it" + when
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
	if s.noNeeds {
		para("Needs: the referral lists none in particular, so none are compared here")
	} else {
		para("Can meet: " + orWord(s.canMeet, "none of the needs listed"))
		if len(s.cannotMeet) > 0 {
			para("Cannot meet: " + strings.Join(s.cannotMeet, "; "))
		}
	}
	if s.noFeatures {
		para("Features: none were asked for, so none are compared here")
	} else {
		para("Offers: " + orWord(s.offers, "none of the things asked for"))
		if len(s.notOffered) > 0 {
			para("Does not offer: " + strings.Join(s.notOffered, "; "))
		}
	}
	if s.taster != "" {
		para(s.taster)
	}
	if s.earliest != "" {
		para("Could start from " + longDate(s.earliest))
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

// notARecommendation is said wherever the settings are listed.
const notARecommendation = "They are numbered only to tell them apart: the order is not a recommendation."

// outcome is what the family decided in a meeting: a setting chosen, or
// more time before choosing.
type outcome struct {
	chosen, kind, reason, start string // a choice
	followUp, wanted            string // more time
}

func (o *outcome) choice() bool { return o != nil && o.chosen != "" }

// meeting is the screen shared with the family in the meeting: the
// shortlisted settings side by side (one at a time on a narrow screen),
// in plain words. Prices and scores are hidden unless the officer shows
// them, after saying yes to a question. It records their choice with their
// reason and the start date, or that they want more time; after either it
// stays on a confirmation the family can read, and writes a summary for
// them to take away.
//
// It is a room with one door: it takes every key (the root gives it them
// all: no tab keys, no global help, no quit), and esc, q or ctrl+c ask
// once before leaving for the referral page.
type meeting struct {
	ctx           *Context
	keys          keymap.Meeting
	id            string
	r             store.Referral
	settings      []setting
	done          *outcome // the choice or more time, once recorded
	err           error
	prices        bool
	help          bool
	at            int // the setting shown when one at a time
	gone          int // shortlisted settings that can no longer be offered
	offset        int
	width, height int
	modal
}

// sideBySide is the width from which the settings stand side by side.
const sideBySide = 100

func newMeeting(ctx *Context, id string) *meeting {
	m := &meeting{ctx: ctx, keys: keymap.NewMeeting(), id: id}
	m.load()
	return m
}

// load reads the referral and its shortlist; an awarded referral opens on
// what was decided.
func (m *meeting) load() {
	s := m.ctx.Store
	r, err := s.Referral(m.id)
	if err != nil {
		m.err = err
		return
	}
	m.r, m.err = r, nil
	switch r.Status {
	case store.RefAwarded:
		a, err := s.AwardOf(m.id)
		if err != nil {
			m.err = err
			return
		}
		name := a.Establishment
		o := &outcome{kind: engine.SettingKind(r.Category), reason: a.Reason, start: a.Start}
		e, ok := store.Establishment{}, false
		if a.Decision != nil {
			e, ok = a.Decision.Records[a.Establishment] // as it was when they chose
		}
		if !ok {
			var err error
			e, err = s.Establishment(a.Establishment)
			ok = err == nil
		}
		if ok {
			name = e.Name
			o.kind = capitalise(o.kind) + ", " + engine.PatternTitle(e.Pattern)
		}
		o.chosen = name
		m.done = o
		if m.settings == nil {
			_, m.settings, _ = shortlist(s, m.id)
		}
	case store.RefParentChoice:
		r, settings, err := shortlist(s, m.id)
		if err != nil {
			m.err = err
			return
		}
		m.r, m.settings = r, settings
		m.gone = max(0, len(r.Shortlist)-len(settings))
		m.at = min(m.at, max(0, len(settings)-1))
	default:
		m.err = fmt.Errorf("this referral is %s now: there is no choice to make here (esc leaves)", strings.ToLower(r.Status.Title()))
	}
}

func (m *meeting) Title() string    { return "Meeting" }
func (m *meeting) Init() tea.Cmd    { return nil }
func (m *meeting) Capturing() bool  { return true }
func (m *meeting) Room() bool       { return true }
func (m *meeting) SetSize(w, h int) { m.width, m.height = w, h }

// Dirty: a prompt holding typed text is input not yet saved.
func (m *meeting) Dirty() bool {
	return m.prompt != nil && m.prompt.input.Value() != m.prompt.initial
}

// choosing is the meeting before anything is recorded.
func (m *meeting) choosing() bool { return m.err == nil && m.done == nil && len(m.settings) > 0 }

func (m *meeting) enabled() keymap.Meeting {
	k := m.keys
	stacked := m.width < sideBySide
	rw := m.ctx.Store.CanWrite() == nil
	k.Left.SetEnabled(m.choosing() && stacked)
	k.Right.SetEnabled(m.choosing() && stacked)
	k.Choose.SetEnabled(m.choosing() && rw)
	k.Defer.SetEnabled(m.choosing() && rw)
	k.Prices.SetEnabled(m.choosing())
	k.Print.SetEnabled(m.err == nil && (m.done != nil || len(m.settings) > 0))
	return k
}

func (m *meeting) ShortHelp() []keyBinding {
	if m.asking() {
		return m.modal.help()
	}
	if m.help {
		return []keyBinding{bind("any key", "closes this help")}
	}
	// Short words, so that every key fits one line at 80 columns; ? has
	// them in full.
	k := m.enabled()
	short := func(b key.Binding, keys, desc string) keyBinding {
		s := bind(keys, desc)
		s.SetEnabled(b.Enabled())
		return s
	}
	return []keyBinding{short(k.Left, "←/→", "move"), short(k.Choose, "c", "choice"), short(k.Defer, "t", "more time"),
		short(k.Print, "p", "summary"), short(k.Prices, "s", "prices"), short(k.Help, "?", "keys"), short(k.Leave, "esc", "leave")}
}

func (m *meeting) FullHelp() [][]keyBinding {
	k := m.enabled()
	return [][]keyBinding{{k.Left, k.Right, k.Up, k.Down}, {k.Choose, k.Defer, k.Print, k.Prices}, {k.Help, k.Leave}}
}

func (m *meeting) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case storeChangedMsg:
		m.load()
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *meeting) key(km tea.KeyMsg) tea.Cmd {
	if m.help {
		m.help = false
		return nil
	}
	if handled, cmd := m.handle(km); handled {
		return cmd
	}
	k := m.enabled()
	switch {
	case key.Matches(km, k.Leave):
		m.confirm = &confirmation{question: "Leave the family's screen? (y/n)", yes: func() tea.Cmd {
			m.ctx.close()
			return nil
		}}
	case key.Matches(km, k.Help):
		m.help = true
	case key.Matches(km, k.Left):
		m.at, m.offset = max(0, m.at-1), 0
	case key.Matches(km, k.Right):
		m.at, m.offset = min(len(m.settings)-1, m.at+1), 0
	case key.Matches(km, k.Up):
		m.offset = max(0, m.offset-1)
	case key.Matches(km, k.Down):
		m.offset++
	case key.Matches(km, k.Prices) && m.prices:
		m.prices = false
	case key.Matches(km, k.Prices):
		m.confirm = &confirmation{question: "Show prices and scores to everyone who can see this screen? (y/n)", yes: func() tea.Cmd {
			m.prices = true
			return nil
		}}
	case key.Matches(km, k.Print):
		return m.print()
	case key.Matches(km, m.keys.Choose, m.keys.Defer) && m.choosing() && m.ctx.Store.CanWrite() != nil:
		return failure(m.ctx.Store.CanWrite())
	case key.Matches(km, k.Choose):
		m.askChoice()
	case key.Matches(km, k.Defer):
		m.askDefer()
	default:
		return status("On the family's screen only the keys below work (? lists them; esc leaves)")
	}
	return nil
}

func (m *meeting) print() tea.Cmd {
	c, ok, _ := m.ctx.Store.Profile(m.ctx.Store.Actor())
	var contact *store.Profile
	if ok {
		contact = &c
	}
	paths, err := writeSummary(m.ctx, m.r, m.settings, m.done, contact)
	if err != nil {
		return failure(err)
	}
	if contact == nil {
		return status("Family summary written, naming the council, not you (after the meeting, add your name, phone and e-mail in Setup, 6): %s", m.ctx.wrote(paths...))
	}
	return status("Family summary written: %s", m.ctx.wrote(paths...))
}

// checkDate checks a date typed for the future: a real one, not past.
func (m *meeting) checkDate(what string) func(string) string {
	return func(v string) string {
		iso, err := engine.ISODate(v)
		if err != nil {
			return fmt.Sprintf("%s: %v", what, err)
		}
		if iso < m.ctx.Today() {
			return fmt.Sprintf("%s: %s is in the past", what, engine.ShowDate(iso))
		}
		return ""
	}
}

func (m *meeting) askChoice() {
	n := len(m.settings)
	m.prompt = newPrompt(fmt.Sprintf("Which setting did they choose (1-%d)", n), "", "the number on the screen", func(v string) tea.Cmd {
		var i int
		fmt.Sscan(v, &i)
		chosen := m.settings[i-1]
		m.prompt = newPrompt("Their reason, in their own words", "", "e.g. she liked the sensory room and it is near her gran", func(reason string) tea.Cmd {
			// The earliest the setting offered, when it did and that is
			// still to come; else the officer types the date agreed.
			offered := ""
			if chosen.earliest >= m.ctx.Today() {
				offered = chosen.earliest
			}
			var askStart func(value string)
			askStart = func(value string) {
				m.prompt = newPrompt("Placement to start on", value, "the date agreed with the family, e.g. 22/11/2026", func(start string) tea.Cmd {
					start, _ = engine.ISODate(start) // checked below
					early := ""
					if chosen.earliest != "" && start < chosen.earliest {
						early = fmt.Sprintf(" That is before the earliest it offered, %s.", longDate(chosen.earliest))
					}
					m.confirm = &confirmation{
						question: fmt.Sprintf("Record: the family chose %s, because %q. Placement to start %s.%s (y/n: n changes the date)", chosen.name, strings.TrimSuffix(reason, "."), longDate(start), early),
						yes: func() tea.Cmd {
							err := m.ctx.Store.Award(store.AwardRequest{Referral: m.id, Establishment: chosen.id, Route: store.RouteParentChoice, Start: start, Reason: reason})
							if err != nil {
								return failure(fmt.Errorf("%w; nothing recorded", err))
							}
							m.done = &outcome{chosen: chosen.name, kind: capitalise(chosen.kind) + ", " + chosen.pattern, reason: reason, start: start}
							m.prices, m.offset = false, 0
							return tea.Batch(changed, status("Recorded: the family chose %s", chosen.name))
						},
						no: func() { askStart(engine.ShowDate(start)) }, // back to the date, nothing typed lost
					}
					return nil
				})
				m.prompt.check = m.checkDate("the start date")
			}
			askStart(engine.ShowDate(offered))
			return nil
		})
		m.prompt.check = func(v string) string {
			if v == "" {
				return "their reason is needed, in their own words"
			}
			return ""
		}
		return nil
	})
	m.prompt.check = func(v string) string {
		var i int
		if _, err := fmt.Sscan(v, &i); err != nil || i < 1 || i > n || fmt.Sprint(i) != v {
			return fmt.Sprintf("the setting: type a number from 1 to %d", n)
		}
		return ""
	}
}

func (m *meeting) askDefer() {
	m.prompt = newPrompt("Follow up on", "", "a date, e.g. "+engine.DateText(m.ctx.Now().AddDate(0, 0, 7)), func(date string) tea.Cmd {
		date, _ = engine.ISODate(date) // checked below
		m.prompt = newPrompt("What they want first", "", "e.g. a taster day at setting 2; more time to talk it over", func(what string) tea.Cmd {
			m.confirm = &confirmation{
				question: fmt.Sprintf("Record: the family wants %s; follow up on %s. (y/n)", what, longDate(date)),
				yes: func() tea.Cmd {
					if err := m.ctx.Store.DeferChoice(m.id, date, what); err != nil {
						return failure(fmt.Errorf("%w; nothing recorded", err))
					}
					m.done = &outcome{followUp: date, wanted: what}
					m.prices, m.offset = false, 0
					return tea.Batch(changed, status("Recorded: follow up on %s", longDate(date)))
				},
			}
			return nil
		})
		m.prompt.check = func(v string) string {
			if v == "" {
				return "say what they want first (more time, a taster day)"
			}
			return ""
		}
		return nil
	})
	m.prompt.check = m.checkDate("the follow-up date")
}

// longDate is a date as people write it in a letter.
func longDate(d string) string {
	t, err := engine.ParseDate(d)
	if err != nil {
		return d
	}
	return t.Format("Monday 2 January 2006")
}

// nextSteps is what happens after the meeting, in plain words.
func nextSteps(o *outcome) []string {
	switch {
	case o.choice():
		return []string{
			fmt.Sprintf("The council now agrees the placement with %s and writes to you to confirm it and the start date.", o.chosen),
			"The setting will be in touch about a first visit and the first days.",
			"If anything changes, or you have a question, get in touch (who to contact is below).",
		}
	case o != nil:
		return []string{
			"Nothing is decided yet: the settings stay open to you while you take the time you need.",
			fmt.Sprintf("We will be in touch on %s, or sooner if you call us.", longDate(o.followUp)),
			"When you have chosen, tell us which setting and why, in your own words.",
		}
	}
	return []string{
		"Take the time you need to think about these settings. You can ask to visit, or for a taster day where one is offered.",
		"When you have chosen, tell us which setting and why, in your own words. We record your choice and your reason.",
		"We then agree the placement with the setting, with a start date, and write to you to confirm it.",
	}
}

// confirmationLines is what the family reads once they have decided.
func (m *meeting) confirmationLines(width int) []string {
	o := m.done
	var l []string
	para := func(text string) { l = append(l, wrap(text, width)...) }
	if o.choice() {
		para("You chose: " + o.chosen)
		if o.kind != "" {
			para(o.kind)
		}
		l = append(l, "")
		if o.reason != "" {
			para(fmt.Sprintf("Why, in your words: %q", o.reason))
		}
		para("The placement is to start on " + longDate(o.start))
	} else {
		para("You would like: " + o.wanted)
		para("We will be in touch on " + longDate(o.followUp))
	}
	l = append(l, "", "What happens next")
	for _, n := range nextSteps(o) {
		para("- " + n)
	}
	l = append(l, "", "Who to contact")
	for _, c := range contactLines(m.ctx, m.r) {
		para(c)
	}
	return l
}

// contactLines say whom a family contacts about a referral: this person
// as their profile names them, else the authority's team; never a login.
func contactLines(ctx *Context, r store.Referral) []string {
	var contact *store.Profile
	if p, ok, err := ctx.Store.Profile(ctx.Store.Actor()); ok && err == nil {
		contact = &p
	}
	return contactWords(ctx, r, contact)
}

func contactWords(ctx *Context, r store.Referral, contact *store.Profile) []string {
	code := r.Authority
	if own := ctx.Store.Principal().Authority; contact != nil && own != "" {
		code = own // a person's own details go with their own council
	}
	authority := code
	if as, err := ctx.Store.Authorities(); err == nil {
		for _, a := range as {
			if a.Code == code {
				authority = a.Name
			}
		}
	}
	quote := "Please quote the case reference " + r.ChildRef + "."
	if contact == nil {
		return []string{"The SEND placements team, " + authority, quote}
	}
	return []string{contact.DisplayName + ", " + authority, "Phone: " + contact.Phone, "E-mail: " + contact.Email, quote}
}

func (m *meeting) View() string {
	st := m.ctx.Styles
	if m.err != nil {
		return "\n  " + m.err.Error()
	}
	var top, body []string
	bottom := []string{st.Muted.Render(" Prices and scores are hidden")}
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
		bottom = []string{st.Muted.Render(" p writes a summary of this to take away")}
	case len(m.settings) == 0:
		return "\n  There is no shortlist to choose from."
	default:
		top = append(top, " "+st.Title.Render("Choosing a setting")+fmt.Sprintf(" · case reference %s · %s to choose from", m.r.ChildRef, plural(len(m.settings), "setting")))
		top = append(top, st.Muted.Render(" "+notARecommendation))
		if m.gone > 0 {
			top = append(top, st.Warn.Render(fmt.Sprintf(" %s on the shortlist can no longer be offered.", plural(m.gone, "other setting"))))
		}
		if m.prices {
			bottom = []string{st.Label.Render(" PRICES AND SCORES ARE SHOWN on this screen (s hides them)")}
		}
		if m.width >= sideBySide {
			body = m.columns()
		} else {
			s := m.settings[m.at]
			top = append(top, st.Muted.Render(fmt.Sprintf(" Setting %d of %d · ←/→ to move", m.at+1, len(m.settings))))
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
		body = append(body, "", "  Nothing else works on this screen: esc asks before leaving it.")
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
	m.offset = max(0, min(m.offset, len(body)-h))
	if m.prompt == nil && m.confirm == nil && m.offset+h < len(body) && len(bottom) == 1 {
		bottom[0] += st.Muted.Render(" · ↓/j: more below")
	}
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
