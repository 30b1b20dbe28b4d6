package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// newBuilder is the referral builder: a new referral (r nil) or a draft.
// It shows, live, how many establishments would be invited, offers to
// widen the radius when fewer than three would be, and saves the draft as
// you go.
func newBuilder(ctx *Context, r *store.Referral) *form {
	creating := r == nil
	if creating {
		r = &store.Referral{QualityWeight: engine.DefaultQualityWeight, RadiusMiles: 20, Deadline: ctx.Now().AddDate(0, 0, 14),
			Authority: ctx.Store.Principal().Authority}
	}
	register, regErr := ctx.Store.EngineRegister()
	cats, _ := ctx.Store.Categories()
	auths := ctx.Authorities()
	authCodes := make([]string, len(auths))
	for i, a := range auths {
		authCodes[i] = a.Code
	}
	vocab := func(cat string) (needs, features []string) {
		for _, c := range cats {
			if c.ID == cat {
				return c.Needs, c.Features
			}
		}
		return engine.SENTypes(), engine.FeatureIDs()
	}
	deadline := ""
	if !r.Deadline.IsZero() {
		deadline = r.Deadline.Local().Format("2 Jan 2006 15:04")
	}
	cohort := ""
	if r.CohortSize > 0 {
		cohort = strconv.Itoa(r.CohortSize)
	}
	var category string // read by the needs and features checks
	fields := []*field{
		newField("authority", "Partner authority", r.Authority, "One of "+strings.Join(authCodes, ", "), nil),
		newField("child_ref", "Case ref, never a name", r.ChildRef, "The authority's case reference, e.g. WSCC/EHCP/40412 — never the child's name.", nil),
		newField("category", "Category", r.Category, "One of "+strings.Join(engine.CategoryIDs(), ", "), func(s string) string {
			category = strings.ToLower(strings.TrimSpace(s))
			if !engine.KnownCategory(category) {
				return "one of " + strings.Join(engine.CategoryIDs(), ", ")
			}
			return ""
		}),
		newField("sub_category", "IAP sub-category", r.SubCategory, "For iap only: "+strings.Join(engine.IAPSubCategories(), ", "), func(s string) string {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(engine.IAPSubCategories(), s) {
				return "one of " + strings.Join(engine.IAPSubCategories(), ", ")
			}
			return ""
		}),
		newField("home_postcode", "Home postcode", r.HomePostcode, "The child's home: full postcode, sector or district, e.g. RH12 1AB.", nil),
		newField("radius_miles", "Radius (miles)", trimFloat(r.RadiusMiles), "How far from home to invite establishments.", func(s string) string {
			if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
				return "a distance in miles, e.g. 20"
			}
			return ""
		}).typed(),
		newField("quality_weight", "Quality weight (%)", strconv.Itoa(r.QualityWeight), "30 to 70; price takes the rest (50/50 by default).", func(s string) string {
			if _, err := strconv.Atoi(strings.TrimSpace(s)); err != nil {
				return fmt.Sprintf("a whole number from %d to %d", engine.MinQualityWeight, engine.MaxQualityWeight)
			}
			return ""
		}).typed(),
		newField("needs", "Needs (marks)", formatNeeds(r.Needs), "From the EHCP, e.g. ASD:2; SLCN  (mark 1 unless given)", func(s string) string {
			needs, _ := vocab(category)
			_, err := parseNeeds(s, needs)
			return errText(err)
		}),
		newField("features", "Features", formatFeatures(r.Features), "e.g. wheelchair-access!; on-site-slt:2  (! must-have; :n the mark)", func(s string) string {
			_, features := vocab(category)
			_, err := parseFeatures(s, features)
			return errText(err)
		}),
		newField("cohort_size", "Cohort/sibling size", cohort, "How many children the placement is for, if more than one.", func(s string) string {
			if s = strings.TrimSpace(s); s != "" {
				if n, err := strconv.Atoi(s); err != nil || n < 1 {
					return "a whole number, 1 or more"
				}
			}
			return ""
		}).typed(),
		newField("incentive", "Incentive (optional)", r.Incentive, "A premium for early step-down, recorded on the award's terms.", nil),
		newField("deadline", "Bid deadline", deadline, "a date and local time, e.g. 22/11/2026 17:00; a date alone means 12:00.", func(s string) string {
			d, err := parseDeadline(s)
			if err == nil && !d.IsZero() && !d.After(ctx.Now()) {
				return d.Local().Format("2 Jan 2006 15:04") + " has passed: every bid would be late; give a later one"
			}
			return errText(err)
		}).typed(),
	}
	build := func(v map[string]string) (store.Referral, error) {
		next := *r
		next.Authority, next.ChildRef, next.Category = strings.ToUpper(v["authority"]), v["child_ref"], strings.ToLower(strings.TrimSpace(v["category"]))
		next.SubCategory, next.HomePostcode, next.Incentive = v["sub_category"], v["home_postcode"], v["incentive"]
		next.RadiusMiles, _ = strconv.ParseFloat(v["radius_miles"], 64)
		next.QualityWeight, _ = strconv.Atoi(v["quality_weight"])
		needs, features := vocab(next.Category)
		next.Needs, _ = parseNeeds(v["needs"], needs)
		next.Features, _ = parseFeatures(v["features"], features)
		next.CohortSize, _ = strconv.Atoi(v["cohort_size"])
		d, err := parseDeadline(v["deadline"])
		next.Deadline = d
		return next, err
	}
	saveDraft := func(v map[string]string) error {
		next, err := build(v)
		if err != nil {
			return err
		}
		if r.ID == "" {
			made, err := ctx.Store.CreateReferral(next)
			if err != nil {
				return err
			}
			*r = made
			return nil
		}
		if err := ctx.Store.SaveDraft(next); err != nil {
			return err
		}
		*r, _ = ctx.Store.Referral(r.ID)
		return nil
	}
	title := "New referral"
	if !creating {
		title = "Referral " + r.ID + " (draft)"
	}
	// Saved only when the officer saves it (ctrl+s): discarding leaves
	// nothing behind (issue 13).
	f := newForm(ctx, title, fields, saveDraft)
	category = strings.ToLower(strings.TrimSpace(f.field("category").input.Value())) // the vocabulary checks need it
	f.done = func() tea.Msg { return referralSavedMsg{id: r.ID} }                    // the list's cursor goes to it
	authorities, _ := ctx.Store.Authorities()
	f.validate = func(v map[string]string) error {
		next, err := build(v)
		if err != nil {
			return nil // the deadline field says what is wrong with it
		}
		if next.Status == "" {
			next.Status = store.RefDraft
		}
		return next.ValidateAs(geo.Default(), authorities, r.ChildRef) // the case reference against its authority's pattern too
	}
	f.saved = "Referral saved as a draft: open it from the list to issue it (" + keymap.NewReferral().Issue.Help().Key + ")"
	if !creating {
		f.saved = "Draft " + r.ID + " saved: " + keymap.NewReferral().Issue.Help().Key + " issues it" // back on its page
	}
	f.live = func(v map[string]string) []string {
		st := ctx.Styles
		q, err := strconv.Atoi(v["quality_weight"])
		var lines []string
		if err == nil && q >= engine.MinQualityWeight && q <= engine.MaxQualityWeight {
			w := engine.WeightsFor(q)
			lines = append(lines, st.Muted.Render(fmt.Sprintf("Quality %d / price %d (core %g, needs %g, outcomes %g, location %g, features %g)",
				q, 100-q, w.CoreCompetency, w.Needs, w.Outcomes, w.Location, w.Features)))
		}
		loc, err1 := geo.Default().Resolve(v["home_postcode"])
		radius, err2 := strconv.ParseFloat(v["radius_miles"], 64)
		switch {
		case regErr != nil:
			lines = append(lines, st.Error.Render("The register could not be read: "+regErr.Error()))
		case err1 != nil || err2 != nil || !engine.KnownCategory(v["category"]):
			lines = append(lines, "Invited: give category, home postcode and radius to see who would be.")
		default:
			terms := ctx.Store.CategoryTerms(v["category"])
			er := engine.Referral{Category: v["category"], Home: loc, RadiusMiles: radius,
				AffordabilityCapPence: terms.AffordabilityCapPence, InspectionFloors: terms.InspectionFloors}
			invited, left := engine.Invitations(&er, register, ctx.Now())
			n := len(invited)
			text := fmt.Sprintf("Would invite %s within %g miles", plural(n, "establishment"), radius)
			if len(left) > 0 {
				text += " (" + store.LeftOutText(left) + ")"
			}
			lists := keymap.NewBuilder().Invited.Help().Key + " lists them"
			if n < engine.MinInvited {
				lines = append(lines, st.Warn.Render(text+fmt.Sprintf(": under %d; %s widens %d miles; %s", engine.MinInvited, keymap.NewBuilder().Widen.Help().Key, engine.WideningStepMiles, lists)))
			} else {
				lines = append(lines, st.Good.Render(text+"; "+lists+"."))
			}
		}
		if len(r.Widenings) > 0 {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("Widened %s (each recorded with the draft).", times(len(r.Widenings)))))
		}
		return lines
	}
	widen, list := keymap.NewBuilder().Widen, keymap.NewBuilder().Invited
	f.extraKeys = []keyBinding{widen, list}
	f.extra = func(msg tea.KeyMsg) (bool, tea.Cmd) {
		if key.Matches(msg, list) {
			return true, showInvited(ctx, f.values(), register)
		}
		if !key.Matches(msg, widen) {
			return false, nil
		}
		radius := f.field("radius_miles")
		miles, err := strconv.ParseFloat(strings.TrimSpace(radius.input.Value()), 64)
		if err != nil {
			return true, failure(errors.New("give a radius before widening it"))
		}
		// From the radius on screen; the widening is recorded with the
		// draft when it is saved (ctrl+s), and goes if it is discarded.
		to := miles + engine.WideningStepMiles
		r.Widenings = append(slices.Clip(r.Widenings), store.Widening{At: ctx.Now().UTC(), From: miles, To: to, By: ctx.Store.Actor()})
		radius.input.SetValue(trimFloat(to))
		radius.input.CursorEnd()
		radius.fresh = true // the next number typed replaces it
		return true, status("Radius widened to %g miles: recorded when you save (%s)", to, f.keys.Save.Help().Key)
	}
	return f
}
