package ui

import (
	"fmt"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

func (m *meeting) print() tea.Cmd {
	contact := familyContact(m.ctx)
	paths, err := writeSummary(m.ctx, m.r, m.settings, m.done, contact)
	if err != nil {
		return failure(err)
	}
	// The family reads this line too: what was written, and nothing for
	// the officer alone (opening meeting mode warned of a missing contact).
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
		// From here the screen shows the setting being recorded, alone.
		m.recording, m.page.offset = &recorded{n: i, s: chosen}, 0
		m.prompt = newPrompt("Their reason, in their own words", "", "e.g. she liked the sensory room and it is near her gran", func(reason string) tea.Cmd {
			// The earliest the setting offered, when it did and that is
			// still to come; else the officer types the date agreed.
			offered := ""
			if chosen.earliest >= m.ctx.Today() {
				offered = chosen.earliest
			}
			var askStart func(value string)
			askStart = func(value string) {
				// A date shown there is replaced by the first key typed.
				m.prompt = newPrompt("Placement to start on", value, "the date agreed with the family, e.g. 22/11/2026", func(start string) tea.Cmd {
					start, _ = engine.ISODate(start) // checked below
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
						no:     func() { askStart(engine.ShowDate(start)) }, // back to the date, nothing typed lost
						noDoes: "changes the date",
					}
					return nil
				})
				m.prompt.whole().check = m.checkDate("the start date")
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

// longDate is a date as people write it in a letter.
func longDate(d string) string {
	t, err := engine.ParseDate(d)
	if err != nil {
		return d
	}
	return t.Format("Monday 2 January 2006")
}

// nextSteps is what happens after the meeting, in plain words. Only a
// contact with a phone and an e-mail (contact) lets it invite a call:
// without one, there is no one to call.
func nextSteps(o *outcome, contact bool) []string {
	switch {
	case o.choice():
		return []string{
			fmt.Sprintf("The council now agrees the placement with %s and writes to you to confirm it and the start date.", o.chosen),
			"The setting will be in touch about a first visit and the first days.",
			getInTouch(contact),
		}
	case o != nil:
		return []string{
			"Nothing is decided yet: the settings stay open to you while you take the time you need.",
			inTouch(o.followUp, contact),
			"When you have chosen, tell us which setting and why, in your own words.",
		}
	}
	return []string{
		"Take the time you need to think about these settings. You can ask to visit, or for a taster day where one is offered.",
		"When you have chosen, tell us which setting and why, in your own words. We record your choice and your reason.",
		"We then agree the placement with the setting, with a start date, and write to you to confirm it.",
	}
}

// getInTouch says how to ask a question: the contact below when it has a
// number, else the council's team, quoting the case reference.
func getInTouch(contact bool) string {
	if contact {
		return "If anything changes, or you have a question, get in touch (who to contact is below)."
	}
	return "If anything changes, or you have a question, contact the council's SEND placements team, quoting your case reference (below)."
}

// inTouch says when we will be in touch; "or sooner if you call us" only
// when the contact below has a number to call.
func inTouch(followUp string, contact bool) string {
	if contact {
		return fmt.Sprintf("We will be in touch on %s, or sooner if you call us (who to contact is below).", longDate(followUp))
	}
	return fmt.Sprintf("We will be in touch on %s. If you want to talk before then, quote your case reference to the council's SEND placements team.", longDate(followUp))
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
	contact := familyContact(m.ctx)
	for _, n := range nextSteps(o, hasNumber(contact)) {
		para("- " + n)
	}
	l = append(l, "", "Who to contact")
	for _, c := range contactWords(m.ctx, m.r, contact) {
		para(c)
	}
	return l
}

// familyContact is this person's contact for families, as their profile
// names them; nil when they have set none.
func familyContact(ctx *Context) *store.Profile {
	if p, ok, err := ctx.Store.Profile(ctx.Store.Actor()); ok && err == nil {
		return &p
	}
	return nil
}

// hasNumber reports whether a family could call or write to the contact.
func hasNumber(contact *store.Profile) bool {
	return contact != nil && (contact.Phone != "" || contact.Email != "")
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
