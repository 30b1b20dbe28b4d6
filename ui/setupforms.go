package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// newProfileForm sets this person's contact for families: the name, phone
// and e-mail a family's summary gives (never the login name).
func newProfileForm(ctx *Context, p *store.Profile) *form {
	var now store.Profile
	if p != nil {
		now = *p
	}
	check := func(field string) func(string) string {
		return func(v string) string { return store.ProfileFieldProblem(field, v) }
	}
	fields := []*field{
		newField("display_name", "Name for families", now.DisplayName, "As a family should know you, e.g. Sam Patel, SEND placements officer.", check("display_name")),
		newField("phone", "Phone", now.Phone, "A number a family can call, e.g. 01243 777100.", check("phone")),
		newField("email", "E-mail", now.Email, "e.g. sam.patel@westsussex.gov.uk", check("email")),
	}
	f := newForm(ctx, "Your contact for families", fields, func(v map[string]string) error {
		return ctx.Store.SetProfile(store.Profile{DisplayName: v["display_name"], Phone: v["phone"], Email: v["email"]})
	})
	f.saved = "Your contact for families saved: summaries name you"
	return f
}

// newCategoryForm changes one category's affordability cap and its
// inspection floors (evaluation.md §1.1, §2).
func newCategoryForm(ctx *Context, c store.Category) *form {
	now := ""
	if c.AffordabilityCapPence > 0 {
		now = Pounds(c.AffordabilityCapPence)
	}
	fields := []*field{
		newField("affordability_cap_pence", "Cap (£ a week)", now, "The most a bid's weekly cost may be for "+c.Title+"; empty for no cap.", func(v string) string {
			if strings.TrimSpace(v) == "" {
				return ""
			}
			if _, err := parsePounds(v); err != nil {
				return err.Error()
			}
			return ""
		}),
	}
	for _, f := range store.GradedFrameworks() {
		f := f
		fields = append(fields, newField("floor."+string(f), frameworkShort(f)+" floor", c.InspectionFloors.Floor(f),
			"Lowest "+f.Title()+" grade that passes: "+strings.Join(f.Grades(), ", ")+"; empty for the default ("+f.DefaultFloor()+").",
			func(v string) string {
				if v = strings.TrimSpace(v); v != "" && matchGrade(f, v) == "" {
					return fmt.Sprintf("not one of the %s grades (%s)", f.Title(), strings.Join(f.Grades(), ", "))
				}
				return ""
			}))
	}
	f := newForm(ctx, "Category "+c.ID, fields, func(v map[string]string) error {
		t := store.Terms{InspectionFloors: engine.Floors{}}
		if v["affordability_cap_pence"] != "" {
			t.AffordabilityCapPence, _ = parsePounds(v["affordability_cap_pence"])
		}
		for _, fw := range store.GradedFrameworks() {
			if g := strings.TrimSpace(v["floor."+string(fw)]); g != "" {
				t.InspectionFloors[fw] = cmp.Or(matchGrade(fw, g), g)
			}
		}
		return ctx.Store.SetCategoryTerms(c.ID, t)
	})
	f.saved = "Category " + c.ID + " saved"
	// What the floors would do, before they are saved: how many qualified
	// establishments of the category would be below them.
	es, _ := ctx.Store.Establishments()
	below := func(floors engine.Floors) int {
		n := 0
		for i := range es {
			e := &es[i]
			if e.Status != engine.Qualified || !slices.Contains(e.Categories, c.ID) {
				continue
			}
			for _, in := range e.Inspections {
				if in.Framework != engine.FrameworkUnregulated && !in.Framework.MeetsFloor(in.Grade, floors.Floor(in.Framework)) {
					n++
					break
				}
			}
		}
		return n
	}
	belowNow := below(c.InspectionFloors)
	f.live = func(v map[string]string) []string {
		next := engine.Floors{}
		for _, fw := range store.GradedFrameworks() {
			if g := matchGrade(fw, v["floor."+string(fw)]); g != "" {
				next[fw] = g
			}
		}
		n := below(next)
		text := fmt.Sprintf("Below these floors: %d qualified (now %d)", n, belowNow)
		if n > belowNow {
			return []string{ctx.Styles.Warn.Render(text + fmt.Sprintf(": %d more out of %s referrals", n-belowNow, c.ID))}
		}
		return []string{ctx.Styles.Muted.Render(text + ".")}
	}
	return f
}

// newReviewScheduleForm changes a category's placement review schedule
// and continuous-improvement period (engine.PlacementRules).
func newReviewScheduleForm(ctx *Context, c store.Category, r engine.PlacementRules) *form {
	whole := func(lo, hi int, unit string) func(string) string {
		return func(v string) string {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n < lo || n > hi {
				return fmt.Sprintf("a whole number of %s, %d to %d", unit, lo, hi)
			}
			return ""
		}
	}
	fields := []*field{
		newField("first_review_weeks", "First review (weeks)", strconv.Itoa(r.FirstReviewWeeks),
			"Weeks after a placement starts that its first review is due (default "+strconv.Itoa(engine.FirstReviewWeeks)+").", whole(1, 52, "weeks")).typed(),
		newField("review_every_months", "Then every (months)", strconv.Itoa(r.ReviewEveryMonths),
			"Months from one review held to the next (default "+strconv.Itoa(engine.ReviewEveryMonths)+").", whole(1, 24, "months")).typed(),
		newField("improvement_every_months", "Improvement (months)", strconv.Itoa(r.ImprovementEveryMonths),
			"How often each establishment's score is moved by how its placements are delivered (default "+strconv.Itoa(engine.ImprovementEveryMonths)+").", whole(1, 24, "months")).typed(),
	}
	read := func(v map[string]string) engine.PlacementRules {
		var next engine.PlacementRules
		next.FirstReviewWeeks, _ = strconv.Atoi(strings.TrimSpace(v["first_review_weeks"]))
		next.ReviewEveryMonths, _ = strconv.Atoi(strings.TrimSpace(v["review_every_months"]))
		next.ImprovementEveryMonths, _ = strconv.Atoi(strings.TrimSpace(v["improvement_every_months"]))
		return next
	}
	f := newForm(ctx, "Review schedule of "+c.ID, fields, func(v map[string]string) error {
		return ctx.Store.SetPlacementRules(c.ID, read(v))
	})
	f.saved = "Review schedule of " + c.ID + " saved: placements' next reviews follow it"
	f.live = func(v map[string]string) []string {
		next := read(v)
		if len(next.Problems()) > 0 {
			return nil
		}
		first := engine.NextReviewDue(ctx.Now(), time.Time{}, next)
		return []string{ctx.Styles.Muted.Render(fmt.Sprintf("A placement starting today: first review %s, then %s after each review held.",
			engine.DateText(first), plural(next.ReviewEveryMonths, "month")))}
	}
	return f
}

// frameworkShort is a framework's name short enough for a line of floors.
func frameworkShort(f engine.Framework) string {
	if f == engine.FrameworkReportCard {
		return "Report card"
	}
	return f.Title()
}

// matchGrade is the framework's grade as typed in any case, "" if none.
func matchGrade(f engine.Framework, typed string) string {
	for _, g := range f.Grades() {
		if strings.EqualFold(g, strings.TrimSpace(typed)) {
			return g
		}
	}
	return ""
}

// newCaseRefForm sets an authority's case-reference pattern: # a digit, @
// a letter, anything else itself; a referral's reference that does not
// match is refused with an example, so a name never gets in.
func newCaseRefForm(ctx *Context) *form {
	auths, _ := ctx.Store.Authorities()
	var opts []option
	for _, a := range auths {
		opts = append(opts, option{value: a.Code, label: a.Name, detail: "now " + cmp.Or(a.CaseRefPattern, "no pattern")})
	}
	fields := []*field{
		newField("authority", "Authority", "", "Type part of its name or its code.", nil).pick(opts, "no partner authority matches"),
		newField("case_ref_pattern", "Pattern", "", "# a digit, @ a letter, anything else itself: e.g. WSCC/EHCP/#####; empty for none.", nil),
	}
	f := newForm(ctx, "Case-reference pattern", fields, func(v map[string]string) error {
		return ctx.Store.SetCaseRefPattern(v["authority"], v["case_ref_pattern"])
	})
	f.live = func(v map[string]string) []string {
		if p := strings.TrimSpace(v["case_ref_pattern"]); p != "" {
			return []string{ctx.Styles.Muted.Render("A reference then reads like " + store.CaseRefExample(p) + "; a name is refused.")}
		}
		return nil
	}
	f.saved = "Case-reference pattern saved: new referrals of that authority are checked against it"
	return f
}
