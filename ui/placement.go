package ui

import (
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

type placementLoadedMsg struct {
	id    string
	p     store.Placement
	rules engine.PlacementRules
	audit []store.AuditEntry
	words []store.EntryWords // the audit entries in words
	err   error
}

// placementPage is one placement: its terms, the weekly cost history, its
// reviews, its ending and its audit entries.
type placementPage struct {
	ctx           *Context
	keys          keymap.Placement
	id            string
	loaded        *placementLoadedMsg
	page          pager
	width, height int
}

func newPlacementPage(ctx *Context, id string) *placementPage {
	p := &placementPage{ctx: ctx, keys: keymap.NewPlacement(), id: id}
	p.Update(loadPlacement(ctx.Store, id)())
	return p
}

func loadPlacement(s *store.Store, id string) tea.Cmd {
	return func() tea.Msg {
		p, err := s.Placement(id)
		if err != nil {
			return placementLoadedMsg{id: id, err: err}
		}
		rules, err := s.PlacementRules()
		if err != nil {
			return placementLoadedMsg{id: id, err: err}
		}
		audit, err := s.Audit(store.AuditFilter{Record: id, Action: "placement."})
		return placementLoadedMsg{id: id, p: p, rules: store.RulesFor(rules, p.Category), audit: audit, words: s.Describe(audit), err: err}
	}
}

func (p *placementPage) Title() string    { return p.id }
func (p *placementPage) Init() tea.Cmd    { return nil }
func (p *placementPage) SetSize(w, h int) { p.width, p.height, p.page.height = w, h, h }

func (p *placementPage) live() bool {
	return p.loaded != nil && p.loaded.err == nil && p.loaded.p.Status == store.PlacementLive && p.ctx.Store.CanWrite() == nil
}

func (p *placementPage) ShortHelp() []keyBinding {
	k := p.keys
	for _, b := range []*keyBinding{&k.Review, &k.End, &k.Terms} {
		b.SetEnabled(p.live())
	}
	return []keyBinding{k.Up, k.Down, k.Review, k.Terms, k.End, p.ctx.Global.Back}
}

func (p *placementPage) FullHelp() [][]keyBinding {
	k := p.keys
	for _, b := range []*keyBinding{&k.Review, &k.End, &k.Terms} {
		b.SetEnabled(p.live())
	}
	return [][]keyBinding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Review, k.Terms, k.End}}
}

func (p *placementPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case placementLoadedMsg:
		if msg.id == p.id {
			p.loaded = &msg
		}
	case storeChangedMsg:
		return p, loadPlacement(p.ctx.Store, p.id)
	case tea.KeyMsg:
		k := p.keys
		if p.page.scroll(k.Scroll, msg, len(p.lines())) {
			return p, nil
		}
		switch {
		case key.Matches(msg, k.Review, k.End, k.Terms):
			if !p.live() {
				if p.loaded != nil && p.loaded.err == nil && p.loaded.p.Status != store.PlacementLive {
					return p, failure(fmt.Errorf("placement %s has ended: it is kept as it was", p.id))
				}
				if err := p.ctx.Store.CanWrite(); err != nil {
					return p, failure(err)
				}
				return p, nil
			}
			pl := p.loaded.p
			switch {
			case key.Matches(msg, k.Review):
				p.ctx.open(newReviewForm(p.ctx, &pl))
			case key.Matches(msg, k.End):
				p.ctx.open(newEndForm(p.ctx, &pl))
			default:
				p.ctx.open(newTermsForm(p.ctx, &pl))
			}
		}
	}
	return p, nil
}

func (p *placementPage) View() string { return strings.Join(p.page.window(p.lines()), "\n") }

func (p *placementPage) lines() []string {
	st := p.ctx.Styles
	if p.loaded == nil {
		return []string{"  Reading " + p.id + p.ctx.Glyphs.Ellipsis}
	}
	if p.loaded.err != nil {
		return []string{"  " + p.loaded.err.Error()}
	}
	pl, today := p.loaded.p, p.ctx.Today()
	var l []string
	add := func(format string, args ...any) { l = append(l, " "+fmt.Sprintf(format, args...)) }
	head := func(s string) { l = append(l, "", " "+st.Title.Render(s)) }
	status := strings.ToUpper(string(pl.Status))
	if pl.Ended != nil {
		status += fmt.Sprintf(" on %s (%s)", engine.ShowDate(pl.Ended.Date), pl.Ended.Reason.Title())
	}
	add("%s  %s · %s · case reference %s", st.Title.Render(status), pl.Authority, pl.Category, pl.ChildRef)
	add("%s (%s), %s, from %s", pl.Name, pl.Establishment, placementRouteWords(pl.Route), engine.ShowDate(pl.Start))
	cur := pl.CostOn(today)
	add("Weekly cost today %s (core %s, variable %s%s); %s a year", Pounds(cur.NetWeeklyPence), Pounds(cur.CoreWeeklyPence),
		Pounds(cur.VariableWeeklyPence), discountWords(cur.DiscountPct), Pounds(engine.AnnualPence(cur.NetWeeklyPence)))
	if pl.Status == store.PlacementLive {
		due := pl.NextReview(p.loaded.rules)
		add("Next review %s (%s): first %d weeks after the start, then every %d months", due.Format(dateOnly),
			engine.ReviewStateOn(due, p.ctx.Now()), p.loaded.rules.FirstReviewWeeks, p.loaded.rules.ReviewEveryMonths)
	}
	head("Terms")
	if len(pl.Needs) > 0 {
		var needs []string
		for _, n := range pl.Needs {
			needs = append(needs, n.ID)
		}
		add("Needs: %s", strings.Join(needs, ", "))
	}
	if len(pl.Outcomes) == 0 {
		add("Desired outcomes: none recorded yet (t records them)")
	} else {
		add("Desired outcomes: %s", strings.Join(pl.Outcomes, "; "))
	}
	switch in := pl.Incentive; {
	case in != nil && in.Earned != "":
		add("Incentive: %s EARNED at the review of %s (every outcome it is tied to met by %s)", Pounds(in.PremiumPence), engine.ShowDate(in.Earned), engine.ShowDate(in.By))
	case in != nil:
		add("Incentive: %s if %s met by %s", Pounds(in.PremiumPence), strings.Join(in.Outcomes, "; "), engine.ShowDate(in.By))
	case pl.IncentiveText != "":
		add("Incentive (as the referral put it): %s", pl.IncentiveText)
	}
	head("Weekly cost history (kept, never overwritten)")
	for _, c := range pl.Costs {
		add("from %-11s  %10s  core %s, variable %s%s: %s", engine.ShowDate(c.From), Pounds(c.NetWeeklyPence), Pounds(c.CoreWeeklyPence),
			Pounds(c.VariableWeeklyPence), discountWords(c.DiscountPct), store.WhyWords(c.Why))
	}
	if pl.Ended != nil {
		add("after %s  nothing: ended (%s)%s", engine.ShowDate(pl.Ended.Date), pl.Ended.Reason.Title(), prefixed(": ", pl.Ended.Note))
	}
	head(fmt.Sprintf("Reviews (%d)", len(pl.Reviews)))
	for _, rv := range slices.Backward(pl.Reviews) {
		add("%s by %s: delivery workforce %d, outcomes framework %d, contract management %d", engine.ShowDate(rv.Date), rv.By,
			rv.Ratings.Workforce, rv.Ratings.OutcomesFramework, rv.Ratings.ContractManagement)
		for _, f := range rv.Findings {
			add("    %-12s %s%s", f.Result.Title(), f.Outcome, prefixed(": ", f.Note))
		}
		if rv.Reduction != nil {
			add("    requirement reduced: variable %s a week from %s (%s)", Pounds(rv.Reduction.VariableWeeklyPence), engine.ShowDate(rv.Reduction.From), store.WhyWords(rv.Reduction.Why))
		}
		if rv.IncentiveEarned {
			add("    incentive earned")
		}
		if rv.Note != "" {
			add("    %s", rv.Note)
		}
	}
	head("Audit trail")
	for _, line := range auditLines(p.loaded.audit, p.loaded.words) {
		add("%s", line)
	}
	return l
}

func placementRouteWords(r store.AwardRoute) string {
	return map[store.AwardRoute]string{store.RouteCompetition: "won in competition", store.RouteParentChoice: "the parents' choice",
		store.RouteDirect: "a direct placement", store.RouteBlock: "a block booking"}[r]
}

func discountWords(pct float64) string {
	if pct == 0 {
		return ""
	}
	return fmt.Sprintf(", less %g%%", pct)
}

func prefixed(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}
