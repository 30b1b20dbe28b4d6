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

type detailLoadedMsg struct {
	id       string
	e        store.Establishment
	provider string
	sus      []store.Suspension
	audit    []store.AuditEntry
	words    []store.EntryWords // the audit entries in words
	floors   store.Floors
	concerns []store.Concern
	err      error
}

// detail is an establishment's page: everything the register knows of it.
type detail struct {
	ctx           *Context
	keys          keymap.Detail
	id            string
	width, height int
	loaded        *detailLoadedMsg
	page          pager
}

func newDetail(ctx *Context, id string) *detail {
	d := &detail{ctx: ctx, keys: keymap.NewDetail(), id: id}
	// One record: read at once, so e and c work from the first key.
	msg := loadDetail(ctx.Store, id)().(detailLoadedMsg)
	d.loaded = &msg
	return d
}

func (d *detail) Title() string {
	if d.loaded != nil && d.loaded.err == nil {
		return d.loaded.e.Name
	}
	return d.id
}

func (d *detail) Init() tea.Cmd { return nil }

func loadDetail(s *store.Store, id string) tea.Cmd {
	return func() tea.Msg {
		msg := detailLoadedMsg{id: id}
		msg.e, msg.err = s.Establishment(id)
		if msg.err != nil {
			return msg
		}
		if msg.floors, msg.err = s.Floors(); msg.err != nil {
			return msg
		}
		if ps, err := s.Providers(); err == nil {
			for _, p := range ps {
				if p.ID == msg.e.ProviderID {
					msg.provider = p.Name
				}
			}
		}
		msg.sus, _ = s.Suspensions(id)
		msg.concerns, _ = s.Concerns(id)
		msg.audit, _ = s.Audit(store.AuditFilter{Record: id, Limit: 200})
		msg.words = s.Describe(msg.audit)
		return msg
	}
}

func (d *detail) SetSize(w, h int) { d.width, d.height, d.page.height = w, h, h }

func (d *detail) ShortHelp() []keyBinding {
	k := d.keys
	k.Edit.SetEnabled(d.ctx.Store.CanWrite() == nil)
	k.Concern.SetEnabled(d.ctx.Store.CanWrite() == nil)
	return []keyBinding{k.Up, k.Down, k.Edit, k.Checklist, k.Concern, d.ctx.Global.Back}
}

func (d *detail) FullHelp() [][]keyBinding {
	k := d.keys
	k.Edit.SetEnabled(d.ctx.Store.CanWrite() == nil)
	k.Concern.SetEnabled(d.ctx.Store.CanWrite() == nil)
	return [][]keyBinding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Edit, k.Checklist, k.Concern}}
}

func (d *detail) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case detailLoadedMsg:
		if msg.id == d.id {
			d.loaded = &msg
		}
	case storeChangedMsg:
		return d, loadDetail(d.ctx.Store, d.id)
	case tea.KeyMsg:
		k := d.keys
		if d.page.scroll(k.Scroll, msg, len(d.lines())) {
			return d, nil
		}
		switch {
		case key.Matches(msg, k.Edit):
			if d.loaded == nil || d.loaded.err != nil {
				return d, nil
			}
			if d.ctx.Store.CanWrite() != nil {
				return d, failure(d.ctx.Store.CanWrite())
			}
			e := d.loaded.e
			d.ctx.open(newEstablishmentForm(d.ctx, &e))
			return d, nil
		case key.Matches(msg, k.Concern) && d.loaded != nil && d.loaded.err == nil:
			if err := d.ctx.Store.CanWrite(); err != nil {
				return d, failure(err)
			}
			d.ctx.open(newConcernForm(d.ctx, &d.loaded.e))
			return d, nil
		case key.Matches(msg, k.Checklist):
			if d.loaded != nil && d.loaded.err == nil {
				d.ctx.open(newChecklist(d.ctx, d.id))
				return d, nil
			}
		}
	}
	return d, nil
}

func (d *detail) View() string { return strings.Join(d.page.window(d.lines()), "\n") }

func (d *detail) lines() []string {
	st := d.ctx.Styles
	if d.loaded == nil {
		return []string{"  Reading " + d.id + d.ctx.Glyphs.Ellipsis}
	}
	if d.loaded.err != nil {
		return []string{"  " + d.loaded.err.Error()}
	}
	e, now := d.loaded.e, d.ctx.Now()
	var l []string
	add := func(format string, args ...any) { l = append(l, fmt.Sprintf(format, args...)) }
	head := func(s string) { l = append(l, "", st.Title.Render(s)) }
	status := statusWord(e.Status)
	if e.Status == engine.Suspended {
		status = st.Bad.Render(status)
	}
	add("%s  %s  %s", st.Label.Render(e.Name), st.Muted.Render(e.ID), status)
	stand := store.StandingOf(&e, now, d.loaded.floors)
	if e.Status == engine.Qualified && !stand.Stands() {
		add("%s", st.Bad.Render("Out of invitations and bids (suspend it formally: review screen, 2):"))
		for _, f := range stand.Failures() {
			add("%s", st.Bad.Render("  "+stand.Why(f.Criterion)))
		}
	}
	add("Provider: %s   URN: %s", orNone(d.loaded.provider), orNone(e.URN))
	if line := supplierWords(e.Supplier); line != "" {
		add("Supplier: %s", line)
	}
	add("Categories: %s   Pattern: %s   Taster day: %s", strings.Join(e.Categories, ", "), orNone(e.Pattern), orNone(e.TasterDay))
	add("Postcode: %s (%s)   Core weekly cost: %s", e.Postcode, orNone(e.Town), Pounds(e.CoreWeeklyPence))
	if len(e.CoreCosts) > 0 {
		var parts []string
		for _, h := range store.CoreCostHeadings() {
			if v, ok := e.CoreCosts[h]; ok {
				parts = append(parts, fmt.Sprintf("%s %s", strings.ReplaceAll(h, "_", " "), Pounds(v)))
			}
		}
		add("Core costs: %s", strings.Join(parts, ", "))
	}

	head("Inspection")
	if len(e.Inspections) == 0 {
		add("  none recorded")
	}
	for _, in := range e.Inspections {
		verdict, below := floorVerdict(in, e.Categories, d.loaded.floors)
		if !below {
			add("  %s: %s (%s) - %s", in.Framework.Title(), orNone(in.Grade), inspectedWhen(in), verdict)
			continue
		}
		add("  %s: %s (%s)", in.Framework.Title(), orNone(in.Grade), inspectedWhen(in))
		add("%s", st.Bad.Render("    "+verdict))
	}

	head(fmt.Sprintf("Qualification   score %.1f", e.QualificationScore()))
	for _, c := range engine.Criteria() {
		chk := e.Check(c.ID)
		mark := d.ctx.Glyphs.Pass
		if len(stand.FailsIn(c.ID)) > 0 {
			mark = d.ctx.Glyphs.Fail
		}
		add("  %s %-16s %s", mark, c.ID.Words(), checkSummary(chk, stand))
	}
	score := func(p *float64) string {
		if p == nil {
			return "not scored"
		}
		return fmt.Sprintf("%g", *p)
	}
	add("  Method statements: workforce %s, outcomes framework %s, contract management %s",
		score(e.Methods.Workforce), score(e.Methods.OutcomesFramework), score(e.Methods.ContractManagement))
	for _, a := range e.Adjustments {
		add("  Adjustment %s %+g: %s (by %s)", engine.ShowDate(a.Date), a.Points, a.Reason, a.By)
	}
	add("Needs it can meet: %s", orNone(strings.Join(e.Needs, ", ")))
	add("Features it offers: %s", orNone(strings.Join(e.Features, ", ")))

	head("Status history")
	for _, h := range slices.Backward(e.History) {
		from := ""
		if h.From != "" {
			from = string(h.From) + " -> "
		}
		add("  %s  %s%s  by %s  %s", h.At.Local().Format(dateTime), from, h.To, h.By, h.Reason)
	}
	head("Suspensions")
	if len(d.loaded.sus) == 0 {
		add("  none")
	}
	for _, s := range slices.Backward(d.loaded.sus) {
		state := "OPEN: lifted when " + s.Criterion.Words() + " passes again"
		if !s.Open() {
			state = fmt.Sprintf("lifted %s by %s on: %s", s.LiftedAt.Local().Format(dateOnly), s.LiftedBy, s.Evidence)
		}
		// Recorded on its day; in force from the day the criterion
		// failed, by itself (evaluation.md §1).
		effect := ""
		if f, failing := stand.Failure(s.Criterion); s.Open() && failing && !f.Since.IsZero() && engine.DateText(f.Since) != s.Since.Local().Format(dateOnly) && f.Since.Before(s.Since) {
			effect = ", in effect from " + engine.DateText(f.Since)
		}
		add("  suspended %s%s  %s failed (%s), by %s; %s", s.Since.Local().Format(dateOnly), effect, s.Criterion.Words(), s.Reason, s.By, state)
	}
	l = append(l, concernLines(d.ctx, d.loaded.concerns)...)
	head("Audit trail")
	for _, line := range auditLines(d.loaded.audit, d.loaded.words) {
		add("  %s", line)
	}
	var out []string
	for _, line := range l {
		out = append(out, hanging(" "+line, d.width)...)
	}
	return out
}

// checkSummary says where a criterion stands, in words: the evaluator's
// record, and how it fails today when it does (the engine's standing).
func checkSummary(c store.Check, stand store.Standing) string {
	var parts []string
	switch {
	case c.Checked == "" && !c.Passed:
		parts = append(parts, "not checked")
	case !c.Passed:
		parts = append(parts, "FAILED when checked "+engine.ShowDate(c.Checked))
	default:
		parts = append(parts, "checked "+engine.ShowDate(c.Checked))
	}
	f, failing := stand.Failure(c.ID)
	if c.Expires != "" && !(failing && f.Kind == engine.Expired) {
		parts = append(parts, "valid to "+engine.ShowDate(c.Expires))
	}
	if failing && (f.Kind == engine.Expired || f.Kind == engine.BelowFloor) {
		parts = append(parts, stand.Why(c.ID)) // within the sentence
	}
	if c.Evidence != "" {
		parts = append(parts, c.Evidence)
	}
	return strings.Join(parts, "; ")
}

// floorVerdict says how a judgement stands against the floor of each of
// the establishment's categories: "meets the sen floor (Requires
// improvement)", or "below the residential floor (Good)".
func floorVerdict(in store.Inspection, cats []string, floors store.Floors) (verdict string, below bool) {
	if in.Framework == engine.FrameworkUnregulated {
		return "judged by the authority's quality visit", false
	}
	var under []string
	for _, c := range cats {
		fl := floors[c].Floor(in.Framework)
		if !in.Framework.MeetsFloor(in.Grade, fl) {
			under = append(under, fmt.Sprintf("below the %s floor (%s)", c, fl))
		}
	}
	switch {
	case len(under) == 0 && len(cats) == 1:
		return fmt.Sprintf("meets the %s floor (%s)", cats[0], floors[cats[0]].Floor(in.Framework)), false
	case len(under) == 0:
		return "meets the floor of each category", false
	}
	return strings.Join(under, ", "), true
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
