package ui

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// setup shows who is working and what their role lets them do, and the
// partnership's configuration: each category's affordability cap, which
// an admin changes here.
type setup struct {
	ctx           *Context
	keys          keymap.Setup
	profile       *store.Profile // this person's contact for families
	cats          []store.Category
	arrangements  []store.Arrangement // ui/arrangements.go
	err           error
	cursor        int
	width, height int
}

func newSetup(ctx *Context) *setup {
	s := &setup{ctx: ctx, keys: keymap.NewSetup()}
	s.load()
	return s
}

func (s *setup) load() {
	s.profile = nil
	if p, ok, err := s.ctx.Store.Profile(s.ctx.Store.Actor()); ok && err == nil {
		s.profile = &p
	}
	s.arrangements, s.err = s.ctx.Store.Arrangements()
	if s.err == nil {
		s.cats, s.err = s.ctx.Store.Categories()
	}
	order := engine.CategoryIDs() // the glossary's order, not the alphabet's
	slices.SortStableFunc(s.cats, func(a, b store.Category) int {
		return cmp.Compare(slices.Index(order, a.ID), slices.Index(order, b.ID))
	})
	s.cursor = max(0, min(s.cursor, len(s.cats)-1))
}

func (s *setup) Title() string      { return "Setup" }
func (s *setup) Init() tea.Cmd      { return nil }
func (s *setup) SetSize(w, h int)   { s.width, s.height = w, h }
func (s *setup) mayConfigure() bool { return s.ctx.Store.CanConfigure() == nil }
func (s *setup) ShortHelp() []keyBinding {
	k := s.keys
	k.Open.SetEnabled(s.mayConfigure())
	k.Profile.SetEnabled(s.ctx.Store.CanWrite() == nil)
	return []keyBinding{k.Profile, k.Up, k.Down, k.Open, keymap.NewArrangements().Show}
}
func (s *setup) FullHelp() [][]keyBinding { return [][]keyBinding{s.ShortHelp()} }

func (s *setup) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case storeChangedMsg:
		s.load()
	case tea.KeyMsg:
		if c, ok := moveCursor(s.keys.List, msg, s.cursor, len(s.cats), 5); ok {
			s.cursor = max(0, min(c, len(s.cats)-1))
			return s, nil
		}
		if key.Matches(msg, keymap.NewArrangements().Show) { // ui/arrangements.go
			return s, s.ctx.open(newArrangements(s.ctx))
		}
		if key.Matches(msg, s.keys.Profile) {
			if err := s.ctx.Store.CanWrite(); err != nil {
				return s, failure(err)
			}
			return s, s.ctx.open(newProfileForm(s.ctx, s.profile))
		}
		if key.Matches(msg, s.keys.Open) && len(s.cats) > 0 {
			if err := s.ctx.Store.CanConfigure(); err != nil {
				return s, failure(err)
			}
			return s, s.ctx.open(newCategoryForm(s.ctx, s.cats[s.cursor]))
		}
	}
	return s, nil
}

// roleWords says what a role may do, in words.
func roleWords(p store.Principal) string {
	switch {
	case p.Role == store.RoleViewer:
		return "reads " + p.Authority + "'s referrals and the shared register; changes nothing"
	case p.Role == store.RoleOfficer:
		return "works the shared register and suspensions, and " + p.Authority + "'s referrals, bids and awards"
	}
	return "configures the partnership and sees every authority's referrals"
}

func (s *setup) View() string {
	st, el := s.ctx.Styles, s.ctx.Glyphs.Ellipsis
	p := s.ctx.Store.Principal()
	var b strings.Builder
	fmt.Fprintf(&b, " %s %s\n", st.Label.Render("You:"), p)
	fmt.Fprintf(&b, "   %s\n", fitLine(roleWords(p), max(0, s.width-3), el))
	if s.profile == nil {
		fmt.Fprintf(&b, "   %s\n\n", fitLine(st.Label.Render("Contact for families: ")+st.Muted.Render("none yet (u adds yours)"), max(0, s.width-3), el))
	} else {
		fmt.Fprintf(&b, "   %s\n", fitLine(st.Label.Render("Contact for families: ")+s.profile.DisplayName, max(0, s.width-3), el))
		fmt.Fprintf(&b, "     %s\n\n", fitLine(s.profile.Phone+" · "+s.profile.Email, max(0, s.width-5), el))
	}
	if s.err != nil {
		b.WriteString(" " + st.Error.Render("The categories cannot be read: "+s.err.Error()) + "\n")
		return b.String()
	}
	b.WriteString(arrangementsLine(s.ctx, s.arrangements, s.width))
	b.WriteString(" " + st.Title.Render("Categories") + st.Muted.Render("  affordability cap: the most a bid's weekly cost may be") + "\n")
	nameW := max(10, s.width-14-14-4)
	for i, c := range s.cats {
		cur := "  "
		if i == s.cursor {
			cur = s.ctx.Glyphs.Cursor + " "
		}
		capText := "no cap"
		if c.AffordabilityCapPence > 0 {
			capText = Pounds(c.AffordabilityCapPence) + "/wk"
		}
		line := cur + cell(c.ID, 13, el) + " " + cell(c.Title, nameW, el) + " " + rcell(capText, 14, el)
		if i == s.cursor {
			line = st.Selected.Render(line)
		}
		b.WriteString(" " + line + "\n")
	}
	if len(s.cats) > 0 {
		c := s.cats[s.cursor]
		var fl []string
		for _, f := range store.GradedFrameworks() {
			fl = append(fl, frameworkShort(f)+" "+c.InspectionFloors.Floor(f))
		}
		b.WriteString(" " + st.Muted.Render(fitLine("Inspection floors of "+c.ID+" (the lowest grade that passes):", max(0, s.width-2), el)) + "\n")
		b.WriteString("   " + st.Muted.Render(fitLine(strings.Join(fl, " · "), max(0, s.width-4), el)) + "\n")
	}
	b.WriteString("\n")
	if s.ctx.fetch != nil {
		b.WriteString(" " + st.Title.Render("Your files") + st.Muted.Render("  kept on the server; copy one to this computer with") + "\n")
		b.WriteString("   " + fitLine(s.ctx.fetch("summaries/NAME"), max(0, s.width-3), el) + "\n")
		for _, f := range recentFiles(s.ctx.filesDir, 3) {
			b.WriteString("   " + st.Muted.Render(fitLine(f, max(0, s.width-3), el)) + "\n")
		}
		b.WriteString("\n")
	}
	if s.mayConfigure() {
		b.WriteString(" " + st.Muted.Render("enter changes the selected category's cap and floors; every change is in the audit trail") + "\n")
	} else {
		b.WriteString(" " + st.Muted.Render("Only the partnership's admin changes these.") + "\n")
	}
	return b.String()
}

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

// recentFiles lists the newest files the desk wrote under dir (summaries/
// and reports/), newest first, as paths relative to dir.
func recentFiles(dir string, n int) []string {
	type file struct {
		rel string
		mod int64
	}
	var files []file
	for _, kind := range []string{"summaries", "reports"} {
		entries, _ := os.ReadDir(filepath.Join(dir, kind))
		for _, e := range entries {
			if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
				files = append(files, file{kind + "/" + e.Name(), info.ModTime().UnixNano()})
			}
		}
	}
	slices.SortFunc(files, func(a, b file) int { return cmp.Compare(b.mod, a.mod) })
	var out []string
	for _, f := range files[:min(n, len(files))] {
		out = append(out, f.rel)
	}
	return out
}
