package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// The placement's forms: a review, the ending, the terms. Each is one
// store change on ctrl+s; a refusal keeps the form open with what was
// typed and says what is wrong beside the field.

// parseFinding reads "met", "progressing" or "not met" (or m, p, n),
// optionally followed by ": a note".
func parseFinding(s string) (engine.OutcomeResult, string, string) {
	word, note, _ := strings.Cut(strings.TrimSpace(s), ":")
	switch strings.ToLower(strings.TrimSpace(word)) {
	case "met", "m":
		return engine.OutcomeMet, strings.TrimSpace(note), ""
	case "progressing", "p":
		return engine.OutcomeProgressing, strings.TrimSpace(note), ""
	case "not met", "not_met", "n":
		return engine.OutcomeNotMet, strings.TrimSpace(note), ""
	}
	return "", "", "met, progressing or not met (m, p, n), then : and a note if you like"
}

func checkRating(s string) string {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 100 {
		return "a whole number from 0 to 100"
	}
	return ""
}

// newReviewForm records a review: a finding for each desired outcome, the
// delivery ratings, and any requirement reduced (the variable cost from a
// day).
func newReviewForm(ctx *Context, p *store.Placement) *form {
	today := ctx.Today()
	cur := p.CostOn(today)
	fields := []*field{newField("date", "Review held on", today, "the day the review was held, not in the future", nil).date(false)}
	for _, o := range p.Outcomes {
		// Labelled by the outcome's own words (cut to the label column,
		// whole in the hint), so a finding is typed against the outcome it
		// is about.
		f := newField("findings."+o, o, "", "“"+o+"”: met, progressing or not met (m, p, n), then : and a note",
			func(s string) string { _, _, msg := parseFinding(s); return msg })
		fields = append(fields, f)
	}
	for _, r := range []struct{ key, label string }{{"ratings.workforce", "Delivery: workforce"}, {"ratings.outcomes_framework", "Delivery: outcomes"},
		{"ratings.contract_management", "Delivery: contract mgmt"}} {
		fields = append(fields, newField(r.key, r.label, "", "how the provider delivers against this method statement, 0 to 100", checkRating).typed())
	}
	fields = append(fields,
		newField("reduction.variable_weekly_pence", "Reduced variable £/wk", "", fmt.Sprintf("blank: no requirement reduced; else the new variable weekly cost, below %s", Pounds(cur.VariableWeeklyPence)),
			func(s string) string {
				if strings.TrimSpace(s) == "" {
					return ""
				}
				if _, err := parsePounds(s); err != nil {
					return err.Error()
				}
				return ""
			}),
		newField("reduction.from", "Reduced from", today, "the first day of the lower cost, on or after the review", nil).date(false),
		newField("reduction.why", "Requirement reduced", "", "which requirement was reduced (needed with a reduction)", nil),
		newField("note", "Note", "", "anything else the review found (never a child's name)", nil),
	)
	f := newForm(ctx, "Review of "+p.ID, fields, func(v map[string]string) error {
		req := store.ReviewRequest{Placement: p.ID, Date: v["date"], Note: v["note"]}
		for _, o := range p.Outcomes {
			res, note, _ := parseFinding(v["findings."+o])
			req.Findings = append(req.Findings, store.OutcomeFinding{Outcome: o, Result: res, Note: note})
		}
		req.Ratings.Workforce, _ = strconv.Atoi(v["ratings.workforce"])
		req.Ratings.OutcomesFramework, _ = strconv.Atoi(v["ratings.outcomes_framework"])
		req.Ratings.ContractManagement, _ = strconv.Atoi(v["ratings.contract_management"])
		if v["reduction.variable_weekly_pence"] != "" {
			pence, _ := parsePounds(v["reduction.variable_weekly_pence"])
			req.Reduction = &store.Reduction{From: v["reduction.from"], VariableWeeklyPence: pence, Why: v["reduction.why"]}
		}
		return ctx.Store.RecordReview(req)
	})
	f.saved = "Review of " + p.ID + " recorded"
	f.live = func(v map[string]string) []string {
		out := []string{fmt.Sprintf("%s at %s · weekly cost today %s (variable %s)", p.ChildRef, p.Name, Pounds(cur.NetWeeklyPence), Pounds(cur.VariableWeeklyPence))}
		if p.Incentive != nil && p.Incentive.Earned == "" {
			out = append(out, fmt.Sprintf("Incentive %s if %s met by %s", Pounds(p.Incentive.PremiumPence), strings.Join(p.Incentive.Outcomes, "; "), p.Incentive.By))
		}
		return out
	}
	return f
}

// newEndForm ends a placement: the day and the reason; no cost after it.
func newEndForm(ctx *Context, p *store.Placement) *form {
	var reasons []string
	for _, r := range engine.EndReasons() {
		reasons = append(reasons, string(r))
	}
	checkReason := func(s string) string {
		if !slices.Contains(reasons, strings.TrimSpace(s)) {
			return "one of " + strings.Join(reasons, ", ")
		}
		return ""
	}
	date := newField("date", "Ended on", ctx.Today(), "the last day of the placement: no cost after it", nil).date(false)
	fields := []*field{date, newField("reason", "Reason", "", "one of "+strings.Join(reasons, ", "), checkReason),
		newField("note", "Note", "", "what happened (never a child's name)", nil)}
	f := newForm(ctx, "End "+p.ID, fields, func(v map[string]string) error {
		return ctx.Store.EndPlacement(p.ID, v["date"], engine.EndReason(v["reason"]), v["note"])
	})
	f.saved = "Placement " + p.ID + " ended"
	return f
}

// newTermsForm records the desired outcomes and the incentive (premium,
// the outcomes it is tied to, its day) as the placement agreement sets them.
func newTermsForm(ctx *Context, p *store.Placement) *form {
	premium, tied, by := "", "", ""
	if in := p.Incentive; in != nil {
		premium, tied, by = strings.TrimPrefix(Pounds(in.PremiumPence), "£"), strings.Join(in.Outcomes, "; "), in.By
	}
	fields := []*field{
		newField("outcomes", "Desired outcomes", strings.Join(p.Outcomes, "; "), "the outcomes reviews look at, separated by ;", nil),
		newField("incentive.premium_pence", "Incentive £", premium, "blank: no incentive; else the premium for early step-down", func(s string) string {
			if strings.TrimSpace(s) == "" {
				return ""
			}
			if _, err := parsePounds(s); err != nil {
				return err.Error()
			}
			return ""
		}),
		newField("incentive.outcomes", "Paid when met", tied, "the outcomes the premium is tied to, separated by ;", nil),
		newField("incentive.by", "Met by", by, "the day they must be met by", nil).date(true),
	}
	f := newForm(ctx, "Terms of "+p.ID, fields, func(v map[string]string) error {
		var in *store.Incentive
		if v["incentive.premium_pence"] != "" {
			pence, _ := parsePounds(v["incentive.premium_pence"])
			in = &store.Incentive{PremiumPence: pence, Outcomes: strings.Split(v["incentive.outcomes"], ";"), By: v["incentive.by"]}
		}
		return ctx.Store.SetPlacementTerms(p.ID, strings.Split(v["outcomes"], ";"), in)
	})
	f.field("outcomes").input.CharLimit = 1000 // after newForm, which sets every field's limit
	f.saved = "Terms of " + p.ID + " recorded"
	return f
}
