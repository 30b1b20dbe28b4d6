package ui

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

// invitedLines are who a referral being built would invite if it were
// issued today, nearest first, with each one's distance, and who it
// would leave out because they fail a criterion today, with why: the
// builder's read-only list. The engine decides who (engine.Invitations);
// the register's listing gives the names.
func invitedLines(er *engine.Referral, register []engine.Establishment, rows []store.RegisterRow, day string, invited []string, left []engine.LeftOut) []string {
	names := make(map[string]store.RegisterRow, len(rows))
	for _, r := range rows {
		names[r.ID] = r
	}
	at := make(map[string]geo.Location, len(register))
	for _, e := range register {
		at[e.ID] = e.Location
	}
	type near struct {
		id    string
		miles float64
	}
	byDistance := func(ids []string) []near {
		out := make([]near, len(ids))
		for i, id := range ids {
			out[i] = near{id, geo.DistanceMiles(er.Home, at[id])}
		}
		slices.SortFunc(out, func(a, b near) int { return cmp.Or(cmp.Compare(a.miles, b.miles), strings.Compare(a.id, b.id)) })
		return out
	}
	label := func(id string) string {
		r, ok := names[id]
		if !ok {
			return id
		}
		s := r.Name + " (" + id + ")"
		if r.Town != "" {
			s += ", " + r.Town
		}
		return s
	}
	out := []string{fmt.Sprintf("Would invite %s within %g miles if issued today (%s), nearest first. Read only: the list is frozen when the referral is issued.",
		plural(len(invited), "establishment"), er.RadiusMiles, day), ""}
	if len(invited) == 0 {
		out = append(out, "  None: widen the radius, or look at the category and the postcode.")
	}
	for i, n := range byDistance(invited) {
		out = append(out, fmt.Sprintf("%4d. %5.1f miles  %s", i+1, n.miles, label(n.id)))
	}
	if len(left) > 0 {
		whys := map[string][]string{}
		ids := make([]string, len(left))
		for i, l := range left {
			ids[i] = l.Establishment
			for _, f := range l.Failures {
				whys[l.Establishment] = append(whys[l.Establishment], f.Text())
			}
		}
		out = append(out, "", fmt.Sprintf("Left out, failing a criterion today (%d):", len(left)))
		for _, n := range byDistance(ids) {
			out = append(out, fmt.Sprintf("      %5.1f miles  %s: %s", n.miles, label(n.id), strings.Join(whys[n.id], "; ")))
		}
	}
	return out
}

// showInvited opens the list of who the builder's referral would invite
// today, from the values on screen; it says what is missing instead when
// they do not say yet.
func showInvited(ctx *Context, v map[string]string, register []engine.Establishment) tea.Cmd {
	loc, err1 := geo.Default().Resolve(v["home_postcode"])
	radius, err2 := strconv.ParseFloat(v["radius_miles"], 64)
	if err1 != nil || err2 != nil || !engine.KnownCategory(v["category"]) {
		return failure(errors.New("give category, home postcode and radius to see who would be invited"))
	}
	rows, err := ctx.Store.Register()
	if err != nil {
		return failure(fmt.Errorf("the register could not be read: %w", err))
	}
	terms := ctx.Store.CategoryTerms(v["category"])
	er := engine.Referral{Category: v["category"], Home: loc, RadiusMiles: radius,
		AffordabilityCapPence: terms.AffordabilityCapPence, InspectionFloors: terms.InspectionFloors}
	now := ctx.Now()
	invited, left := engine.Invitations(&er, register, now)
	ctx.open(newTextPage("Would invite", invitedLines(&er, register, rows, engine.DateText(now), invited, left)))
	return nil
}
