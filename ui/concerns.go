package ui

import (
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// Early warnings (issue 16): concerns any partner records about an
// establishment, shared like the register. They show on the
// establishment's page and, for a safeguarding concern not yet followed
// by a check of its criterion, in the Review queue; never in meeting mode.

// concernLines are the establishment page's section of concerns, newest
// first.
func concernLines(ctx *Context, cs []store.Concern) []string {
	st := ctx.Styles
	l := []string{"", st.Title.Render(fmt.Sprintf("Concerns shared by the partners (%d)", len(cs)))}
	if len(cs) == 0 {
		l = append(l, "  none recorded (w records one)")
	}
	for _, c := range slices.Backward(cs) {
		who := c.By
		if c.Authority != "" {
			who += ", " + c.Authority
		}
		sev := c.Severity
		if sev == "high" {
			sev = st.Bad.Render("HIGH")
		}
		l = append(l, fmt.Sprintf("  %s %s %s (%s): %s", engine.ShowDate(c.Date), c.Kind.Title(), sev, who, c.What))
		if c.Done != "" {
			l = append(l, "      done: "+c.Done)
		}
		if engine.ConcernPromptsCheck(c.Kind) && c.Criterion != "" {
			l = append(l, fmt.Sprintf("      prompts a check of %s (the Review queue lists it until it is checked)", c.Criterion))
		}
	}
	return l
}

// newConcernForm records a concern about an establishment.
func newConcernForm(ctx *Context, e *store.Establishment) *form {
	var kinds []string
	for _, k := range engine.ConcernKinds() {
		kinds = append(kinds, string(k))
	}
	oneOf := func(words []string) func(string) string {
		return func(s string) string {
			if !slices.Contains(words, strings.ToLower(strings.TrimSpace(s))) {
				return "one of " + strings.Join(words, ", ")
			}
			return ""
		}
	}
	date := newField("date", "Arose on", ctx.Today(), "the day it arose or came to light", nil).date(false)
	fields := []*field{
		date,
		newField("kind", "Kind", "", "one of "+strings.Join(kinds, ", ")+"; a safeguarding concern asks for its criterion to be checked", oneOf(kinds)),
		newField("severity", "Severity", "", "low, medium or high", oneOf(engine.Severities())),
		newField("what", "What", "", "what the concern is (never a child's name)", func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "say what the concern is"
			}
			return ""
		}),
		newField("done", "What was done", "", "what was done about it so far", nil),
		newField("criterion", "Criterion it touches", "", "blank: the kind's own (safeguarding: continuity; quality visit: inspection; financial: financial)", nil),
	}
	f := newForm(ctx, "Concern about "+e.Name, fields, func(v map[string]string) error {
		return ctx.Store.RecordConcern(store.Concern{Establishment: e.ID, Date: v["date"], Kind: engine.ConcernKind(strings.ToLower(v["kind"])),
			Severity: v["severity"], What: v["what"], Done: v["done"], Criterion: engine.CriterionID(v["criterion"])})
	})
	f.saved = "Concern about " + e.Name + " recorded: every partner sees it"
	return f
}

// placementReportLines are the Reports' placement figures (issue 16): the
// weekly and annual commitment per authority and category today, and the
// outcomes met per establishment at its placements' latest reviews.
func placementReportLines(ctx *Context, rep *store.PlacementReport) []string {
	if rep == nil {
		return nil
	}
	st := ctx.Styles
	l := []string{"", " " + st.Title.Render(fmt.Sprintf("Commitment today: %d live placements, per authority and category", rep.Live))}
	if len(rep.Commitment) == 0 {
		l = append(l, "   no live placements")
	}
	for _, c := range rep.Commitment {
		l = append(l, fmt.Sprintf("   %-5s %-12s %3d  %11s a week  %14s a year", c.Authority, c.Category, c.Placements, Pounds(c.WeeklyPence), Pounds(c.AnnualPence)))
	}
	l = append(l, "", " "+st.Title.Render("Outcomes met at the latest reviews, per establishment"))
	if len(rep.Outcomes) == 0 {
		l = append(l, "   no reviews recorded")
	}
	for i, o := range rep.Outcomes {
		if i == 10 {
			l = append(l, fmt.Sprintf("   and %d more", len(rep.Outcomes)-10))
			break
		}
		l = append(l, fmt.Sprintf("   %3d of %-3d %s (%s)", o.Met, o.Total, o.Name, plural(o.Placements, "placement")))
	}
	return l
}
