package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dpsdesk/store"
)

// newBidForm enters a bid by hand for an invited establishment.
func newBidForm(ctx *Context, r store.Referral) *form {
	needIDs := make([]string, len(r.Needs))
	for i, n := range r.Needs {
		needIDs[i] = n.ID
	}
	featIDs := make([]string, len(r.Features))
	for i, f := range r.Features {
		featIDs[i] = f.ID
	}
	money := func(s string) string {
		if _, err := parsePounds(s); err != nil {
			return err.Error()
		}
		return ""
	}
	number := func(lo, hi float64, what string) func(string) string {
		return func(s string) string {
			if strings.TrimSpace(s) == "" && lo == 0 && what == "discount" {
				return ""
			}
			if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil || f < lo || f > hi {
				return fmt.Sprintf("a %s from %g to %g", what, lo, hi)
			}
			return ""
		}
	}
	// The invited, by name, each with its qualified core cost: the officer
	// picks the one whose bid this is.
	// The core costs are those the referral froze at issue, which the
	// evaluation judges the bids against, not the register's today.
	cores, _ := ctx.Store.QualifiedCores(r.ID)
	var invited []option
	for _, id := range r.Invited {
		o := option{value: id, label: id}
		if e, err := ctx.Store.Establishment(id); err == nil {
			o.label, o.detail = e.Name, "qualified core "+Pounds(cores[id])+" a week"
		}
		invited = append(invited, o)
	}
	fields := []*field{
		newField("establishment", "Establishment", "", "Type part of its name (or its id): the invited establishments that match are listed.", nil).
			pick(invited, "no establishment invited to "+r.ID+" matches: the referral page lists whom it invited"),
		newField("core", "Core weekly cost (£)", "", "At or below its qualified core cost; e.g. 1,500.00", money).typed(),
		newField("variable", "Variable weekly cost (£)", "", "The cost of this child's needs, e.g. 350.00", money).typed(),
		newField("discount", "Discount (%)", "", "Cohort or sibling discount, 0 to 100; empty for none.", number(0, 100, "discount")),
		newField("needs_met", "Needs it can meet", "", "Of the referral's: "+strings.Join(needIDs, "; "), checkList(needIDs, false, "need of this referral")),
		newField("features_offered", "Features it offers", "", "Of the referral's: "+strings.Join(featIDs, "; "), checkList(featIDs, false, "feature of this referral")),
		newField("outcomes", "Outcomes score (0-100)", "", "The officer's score of its approach to the child's outcomes.", number(0, 100, "score")),
		newField("note", "Outcomes note", "", "Why that score, in a sentence.", nil),
		newField("earliest_start", "Earliest start", "", "The earliest the setting can start; empty if it does not say.", nil).date(true),
		newField("submitted", "Received", "", "When the bid arrived: date and time, e.g. 22/11/2026 16:45 (a date alone is 12:00); empty for now.", func(s string) string {
			d, err := parseDeadline(s)
			switch {
			case err != nil || d.IsZero():
				return errText(err)
			case d.After(ctx.Now()):
				return d.Local().Format(dateTime) + " is in the future"
			case d.Before(r.IssuedAt.Truncate(time.Minute)):
				return d.Local().Format(dateTime) + " is before the referral was issued (" + r.IssuedAt.Local().Format(dateTime) + ")"
			}
			return ""
		}),
	}
	f := newForm(ctx, "Bid for "+r.ID, fields, func(v map[string]string) error {
		core, _ := parsePounds(v["core"])
		variable, _ := parsePounds(v["variable"])
		disc, _ := strconv.ParseFloat(v["discount"], 64)
		score, _ := strconv.ParseFloat(v["outcomes"], 64)
		received, err := parseDeadline(v["submitted"])
		if err != nil {
			return &store.ValidationError{Record: "bid", Problems: []store.FieldError{{Field: "submitted", Message: err.Error()}}}
		}
		return ctx.Store.RecordBid(store.Bid{Submitted: received, Referral: r.ID, Establishment: v["establishment"], CoreWeeklyPence: core,
			VariableWeeklyPence: variable, DiscountPct: disc, NeedsMet: canonical(splitList(v["needs_met"]), needIDs),
			FeaturesOffered: canonical(splitList(v["features_offered"]), featIDs), OutcomesScore: score, OutcomesNote: v["note"],
			EarliestStart: strings.TrimSpace(v["earliest_start"])})
	})
	f.saved = "Bid recorded"
	// What the officer needs beside the form: the establishment's qualified
	// core cost, whether it may bid today, and the bid it would replace.
	bids, _ := ctx.Store.Bids(r.ID)
	floors, _ := ctx.Store.Floors()
	seen := map[string]store.Establishment{} // read once each, not on every frame
	f.live = func(v map[string]string) []string {
		st := ctx.Styles
		id := v["establishment"]
		if !slices.Contains(r.Invited, id) {
			return nil
		}
		e, ok := seen[id]
		if !ok {
			var err error
			if e, err = ctx.Store.Establishment(id); err != nil {
				return nil
			}
			seen[id] = e
		}
		core := cores[id]
		lines := []string{st.Muted.Render(fmt.Sprintf("%s: qualified core cost %s a week, as issued", e.Name, Pounds(core)))}
		received, err := parseDeadline(v["submitted"])
		if err == nil && received.IsZero() {
			received = ctx.Now()
		}
		if err == nil && !r.Deadline.IsZero() && received.After(r.Deadline) {
			lines = append(lines, st.Warn.Render(fmt.Sprintf("Received after the bid deadline (%s): the bid will be non-compliant. If it arrived in time, give Received.",
				r.Deadline.Local().Format("2 Jan 2006 15:04"))))
		}
		if bid, err := parsePounds(v["core"]); err == nil && bid > core {
			lines = append(lines, st.Warn.Render(fmt.Sprintf("A core cost of %s is above its qualified %s: the bid will be non-compliant", Pounds(bid), Pounds(core))))
		}
		if fs := store.StandingOf(&e, ctx.Now(), floors).In(r.Category); len(fs) > 0 {
			lines = append(lines, st.Error.Render("Cannot bid: "+fs[0].Text()))
		}
		if i := slices.IndexFunc(bids, func(b store.Bid) bool { return b.Establishment == id }); i >= 0 {
			b := bids[i]
			lines = append(lines, st.Warn.Render(fmt.Sprintf("Replaces its bid of %s: core %s, variable %s, outcomes %g (audited, before and after)",
				b.Submitted.Local().Format("2 Jan 15:04"), Pounds(b.CoreWeeklyPence), Pounds(b.VariableWeeklyPence), b.OutcomesScore)))
			f.saved = "Bid of " + e.Name + " replaced (the audit trail keeps what it was)"
		} else {
			f.saved = "Bid recorded for " + e.Name
		}
		return lines
	}
	return f
}

// canonical spells each item as the allowed list does (case aside).
func canonical(items, allowed []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if i := slices.IndexFunc(allowed, func(a string) bool { return strings.EqualFold(a, it) }); i >= 0 {
			out = append(out, allowed[i])
		}
	}
	return out
}
