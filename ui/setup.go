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
	ctx  *Context
	keys keymap.Setup
	setupLoadedMsg
	list          list
	width, height int
}

// setupLoadedMsg is what Setup shows, read off the UI goroutine.
type setupLoadedMsg struct {
	profile      *store.Profile // this person's contact for families
	cats         []store.Category
	arrangements []store.Arrangement // ui/arrangements.go
	rules        map[string]engine.PlacementRules
	err          error
	files        []string // the newest files the desk wrote, for a remote person
}

func newSetup(ctx *Context) *setup {
	keys := keymap.NewSetup()
	s := &setup{ctx: ctx, keys: keys, list: newList(keys.List)}
	s.list.resize(len(engine.CategoryIDs()))
	// Read at once, so the first frame shows it; changes reload through
	// a command.
	s.Update(s.load()())
	return s
}

func (s *setup) load() tea.Cmd {
	st, dir, remote := s.ctx.Store, s.ctx.filesDir, s.ctx.fetch != nil
	return func() tea.Msg {
		var m setupLoadedMsg
		if p, ok, err := st.Profile(st.Actor()); ok && err == nil {
			m.profile = &p
		}
		m.arrangements, m.err = st.Arrangements()
		if m.err == nil {
			m.cats, m.err = st.Categories()
		}
		if m.err == nil {
			m.rules, m.err = st.PlacementRules()
		}
		order := engine.CategoryIDs() // the glossary's order, not the alphabet's
		slices.SortStableFunc(m.cats, func(a, b store.Category) int {
			return cmp.Compare(slices.Index(order, a.ID), slices.Index(order, b.ID))
		})
		if remote {
			m.files = recentFiles(dir, 3)
		}
		return m
	}
}

func (s *setup) Title() string           { return "Setup" }
func (s *setup) Init() tea.Cmd           { return nil }
func (s *setup) SetSize(w, h int)        { s.width, s.height = w, h }
func (s *setup) mayConfigure() bool      { return s.ctx.Store.CanConfigure() == nil }
func (s *setup) ShortHelp() []keyBinding { return s.keysNow().Footer(keymap.NewArrangements().Show) }

// keysNow are the keys with those closed to this person turned off.
func (s *setup) keysNow() keymap.Setup {
	k := s.keys
	k.Open.SetEnabled(s.mayConfigure())
	k.Profile.SetEnabled(s.ctx.Store.CanWrite() == nil)
	k.CaseRefs.SetEnabled(s.mayConfigure())
	k.Reviews.SetEnabled(s.mayConfigure())
	k.Uplift.SetEnabled(s.mayConfigure())
	return k
}

func (s *setup) FullHelp() [][]keyBinding {
	k := s.keysNow()
	return [][]keyBinding{{k.Profile, k.Up, k.Down, k.Open, k.Reviews, k.Uplift, keymap.NewArrangements().Show, k.CaseRefs}}
}

func (s *setup) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case setupLoadedMsg:
		s.setupLoadedMsg = msg
		s.list.setLen(len(s.cats))
	case storeChangedMsg:
		return s, s.load()
	case upliftPreviewMsg: // the uplift form's preview (ui/uplift.go)
		s.ctx.open(newUpliftPage(s.ctx, msg))
	case tea.KeyMsg:
		if s.list.move(msg) {
			return s, nil
		}
		if key.Matches(msg, keymap.NewArrangements().Show) { // ui/arrangements.go
			s.ctx.open(newArrangements(s.ctx))
			return s, nil
		}
		if key.Matches(msg, s.keys.CaseRefs) {
			if err := s.ctx.Store.CanConfigure(); err != nil {
				return s, failure(err)
			}
			s.ctx.open(newCaseRefForm(s.ctx))
			return s, nil
		}
		if key.Matches(msg, s.keys.Profile) {
			if err := s.ctx.Store.CanWrite(); err != nil {
				return s, failure(err)
			}
			s.ctx.open(newProfileForm(s.ctx, s.profile))
			return s, nil
		}
		if key.Matches(msg, s.keys.Uplift) && len(s.cats) > 0 {
			if err := s.ctx.Store.CanConfigure(); err != nil {
				return s, failure(err)
			}
			s.ctx.open(newUpliftForm(s.ctx, s.cats[s.list.cursor]))
			return s, nil
		}
		if key.Matches(msg, s.keys.Reviews) && len(s.cats) > 0 {
			if err := s.ctx.Store.CanConfigure(); err != nil {
				return s, failure(err)
			}
			c := s.cats[s.list.cursor]
			s.ctx.open(newReviewScheduleForm(s.ctx, c, store.RulesFor(s.rules, c.ID)))
			return s, nil
		}
		if key.Matches(msg, s.keys.Open) && len(s.cats) > 0 {
			if err := s.ctx.Store.CanConfigure(); err != nil {
				return s, failure(err)
			}
			s.ctx.open(newCategoryForm(s.ctx, s.cats[s.list.cursor]))
			return s, nil
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
		fmt.Fprintf(&b, "   %s\n\n", fitLine(st.Label.Render("Contact for families: ")+st.Muted.Render("none yet ("+s.keys.Profile.Help().Key+" adds yours)"), max(0, s.width-3), el))
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
		if i == s.list.cursor {
			cur = s.ctx.Glyphs.Cursor + " "
		}
		capText := "no cap"
		if c.AffordabilityCapPence > 0 {
			capText = Pounds(c.AffordabilityCapPence) + "/wk"
		}
		line := cur + cell(c.ID, 13, el) + " " + cell(c.Title, nameW, el) + " " + rcell(capText, 14, el)
		if i == s.list.cursor {
			line = st.Selected.Render(line)
		}
		b.WriteString(" " + line + "\n")
	}
	if len(s.cats) > 0 {
		c := s.cats[s.list.cursor]
		var fl []string
		for _, f := range store.GradedFrameworks() {
			fl = append(fl, frameworkShort(f)+" "+c.InspectionFloors.Floor(f))
		}
		b.WriteString(" " + st.Muted.Render(fitLine("Inspection floors of "+c.ID+" (the lowest grade that passes):", max(0, s.width-2), el)) + "\n")
		b.WriteString("   " + st.Muted.Render(fitLine(strings.Join(fl, " · "), max(0, s.width-4), el)) + "\n")
		r := store.RulesFor(s.rules, c.ID)
		b.WriteString(" " + st.Muted.Render(fitLine(fmt.Sprintf("Reviews: first at %s, then every %s; improvement every %s",
			plural(r.FirstReviewWeeks, "week"), plural(r.ReviewEveryMonths, "month"), plural(r.ImprovementEveryMonths, "month")), max(0, s.width-2), el)) + "\n")
	}
	b.WriteString("\n")
	if s.ctx.fetch != nil {
		b.WriteString(" " + st.Title.Render("Your files") + st.Muted.Render("  kept on the server; copy one to this computer with") + "\n")
		b.WriteString("   " + fitLine(s.ctx.fetch("summaries/NAME"), max(0, s.width-3), el) + "\n")
		for _, f := range s.files {
			b.WriteString("   " + st.Muted.Render(fitLine(f, max(0, s.width-3), el)) + "\n")
		}
		b.WriteString("\n")
	}
	if s.mayConfigure() {
		b.WriteString(" " + st.Muted.Render(fitLine(s.keys.Open.Help().Key+": cap and floors · "+s.keys.Reviews.Help().Key+
			": review schedule · "+s.keys.Uplift.Help().Key+": fee uplift · all audited", max(0, s.width-2), el)) + "\n")
	} else {
		b.WriteString(" " + st.Muted.Render("Only the partnership's admin changes these.") + "\n")
	}
	return b.String()
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
