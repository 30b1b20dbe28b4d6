package ui

import (
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

// newAwardForm records the decision: the recommended bid, the parents'
// choice among the shortlist with their reason, a direct placement with its
// justification, or a placement into a block booking.
func newAwardForm(ctx *Context, r store.Referral, names map[string]string, route store.AwardRoute) *form {
	res, _, err := ctx.Store.Rank(r.ID, 0)
	if route == store.RouteCompetition && r.Status == store.RefParentChoice {
		route = store.RouteParentChoice
	}
	start := ctx.Now().AddDate(0, 0, 14).Format("2006-01-02")
	startField := newField("start", "Start date", start, "YYYY-MM-DD", func(s string) string {
		if !store.ValidDate(strings.TrimSpace(s)) {
			return "a real date (YYYY-MM-DD)"
		}
		return ""
	})
	startField.typed()
	required := func(what string) func(string) string {
		return func(s string) string {
			if strings.TrimSpace(s) == "" {
				return what + " is required"
			}
			return ""
		}
	}
	var fields []*field
	var title string
	switch route {
	case store.RouteCompetition:
		title = "Award " + r.ID + " to the recommended bid"
		est := newField("establishment", "Establishment", res.Recommended, "", nil)
		if n := names[res.Recommended]; n != "" {
			est = newField("establishment", "Establishment", n+" ("+res.Recommended+")", "", nil).pick([]option{{value: res.Recommended, label: n}}, "")
		}
		est.fixed = true
		fields = []*field{est, startField, newField("terms", "Terms", "", "Anything agreed beyond the bid (the incentive is added).", nil)}
	case store.RouteParentChoice:
		title = "Record the parents' choice for " + r.ID
		var opts []string
		for i, id := range res.ParentChoice {
			opts = append(opts, fmt.Sprintf("%d %s (%s)", i+1, names[id], id))
		}
		fields = []*field{
			newField("establishment", "Their choice (1-3)", "", "Type 1 to 3, or the id. The shortlist: "+strings.Join(opts, "; "), func(s string) string {
				if pickShortlist(s, res.ParentChoice) == "" {
					return "one of the shortlist: 1 to " + fmt.Sprint(len(res.ParentChoice)) + ", or its id"
				}
				return ""
			}),
			newField("reason", "Their reason", "", "In the parents' own words.", required("the parents' reason")),
			startField,
		}
	case store.RouteDirect, store.RouteBlock:
		title = "Direct placement for " + r.ID + " (outside the competition)"
		last := newField("justification", "Justification", "", "Required: why the competition is not used; it goes into the audit trail.", required("a written justification"))
		if route == store.RouteBlock {
			title = "Placement into a block booking for " + r.ID
			last = newField("terms", "Block booking", "", "The block's reference and terms.", required("the block booking"))
		}
		fields = []*field{
			newField("establishment", "Establishment", "", "Type part of its name (or its id): qualified establishments of "+r.Category+" that match are listed.", nil).
				pick(qualifiedIn(ctx, r.Category), "no qualified establishment of "+r.Category+" matches"),
			newField("weekly", "Weekly cost (£)", "", "The placement's weekly cost.", func(s string) string {
				if p, err := parsePounds(s); err != nil || p <= 0 {
					return "an amount in pounds, more than 0"
				}
				return ""
			}).typed(),
			last, startField,
		}
	}
	f := newForm(ctx, title, fields, func(v map[string]string) error {
		if err != nil {
			return err
		}
		req := store.AwardRequest{Referral: r.ID, Route: route, Start: v["start"], Establishment: v["establishment"],
			Reason: v["reason"], Justification: v["justification"], Terms: v["terms"]}
		if route == store.RouteParentChoice {
			req.Establishment = pickShortlist(v["establishment"], res.ParentChoice)
		}
		if route == store.RouteDirect || route == store.RouteBlock {
			req.WeeklyPence, _ = parsePounds(v["weekly"])
		}
		return ctx.Store.Award(req)
	})
	f.saved = "Awarded " + r.ID
	f.done = func() tea.Msg {
		if a, err := ctx.Store.AwardOf(r.ID); err == nil {
			if e, err := ctx.Store.Establishment(a.Establishment); err == nil {
				return statusMsg{text: "Awarded " + r.ID + " to " + e.Name, seq: statusSeq.Add(1)}
			}
		}
		return nil
	}
	if err != nil {
		f.saved = err.Error()
	}
	return f
}

// pickShortlist takes "2" or an id and returns the shortlisted id, or "".
func pickShortlist(s string, shortlist []string) string {
	s = strings.TrimSpace(s)
	for i, id := range shortlist {
		if s == fmt.Sprint(i+1) || strings.EqualFold(s, id) {
			return id
		}
	}
	return ""
}

// qualifiedIn are the establishments qualified for a category today, by
// name with their qualified core cost, for a pick field.
func qualifiedIn(ctx *Context, category string) []option {
	es, err := ctx.Store.Establishments()
	if err != nil {
		return nil
	}
	floors, _ := ctx.Store.Floors()
	var out []option
	for i := range es {
		e := &es[i]
		if e.Status != engine.Qualified || !slices.Contains(e.Categories, category) || len(store.StandingOf(e, ctx.Now(), floors).In(category)) > 0 {
			continue
		}
		out = append(out, option{value: e.ID, label: e.Name, detail: "qualified core " + Pounds(e.CoreWeeklyPence) + " a week"})
	}
	return out
}
