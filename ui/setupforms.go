package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

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
