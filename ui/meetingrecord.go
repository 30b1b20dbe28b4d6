package ui

import (
	"fmt"
	"strings"
	"time"

	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

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
		if !store.ValidDate(v) {
			return fmt.Sprintf("%s: type a date as YYYY-MM-DD, e.g. %s", what, m.ctx.Now().AddDate(0, 0, 14).Format(time.DateOnly))
		}
		if v < m.ctx.Today() {
			return fmt.Sprintf("%s: %s is in the past", what, v)
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
				m.prompt = newPrompt("Placement to start on (YYYY-MM-DD)", value, "the date agreed with the family", func(start string) tea.Cmd {
					early := ""
					if chosen.earliest != "" && start < chosen.earliest {
						early = fmt.Sprintf(" That is before the earliest it offered, %s.", longDate(chosen.earliest))
					}
					m.confirm = &confirmation{
						question: fmt.Sprintf("Record: the family chose %s, because %q. Placement to start %s.%s", chosen.name, strings.TrimSuffix(reason, "."), longDate(start), early),
						yes: func() tea.Cmd {
							err := m.ctx.Store.Award(store.AwardRequest{Referral: m.id, Establishment: chosen.id, Route: store.RouteParentChoice, Start: start, Reason: reason})
							if err != nil {
								return failure(fmt.Errorf("%w; nothing recorded", err))
							}
							m.done = &outcome{chosen: chosen.name, kind: capitalise(chosen.kind) + ", " + chosen.pattern, reason: reason, start: start}
							m.prices, m.page.offset = false, 0
							return tea.Batch(changed, status("Recorded: the family chose %s", chosen.name))
						},
						no:     func() { askStart(start) }, // back to the date, nothing typed lost
						noDoes: "changes the date",
					}
					return nil
				})
				m.prompt.check = m.checkDate("the start date")
			}
			askStart(offered)
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
	m.prompt = newPrompt("Follow up on (YYYY-MM-DD)", "", "e.g. "+m.ctx.Now().AddDate(0, 0, 7).Format(time.DateOnly), func(date string) tea.Cmd {
		m.prompt = newPrompt("What they want first", "", "e.g. a taster day at setting 2; more time to talk it over", func(what string) tea.Cmd {
			m.confirm = &confirmation{
				question: fmt.Sprintf("Record: the family wants %s; follow up on %s.", what, longDate(date)),
				yes: func() tea.Cmd {
					if err := m.ctx.Store.DeferChoice(m.id, date, what); err != nil {
						return failure(fmt.Errorf("%w; nothing recorded", err))
					}
					m.done = &outcome{followUp: date, wanted: what}
					m.prices, m.page.offset = false, 0
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

// longDate is a YYYY-MM-DD date as people write it.
func longDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
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
