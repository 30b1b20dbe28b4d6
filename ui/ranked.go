package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// ranked shows a referral's bids as the engine ranks them. The quality
// weight can be changed as a what-if preview; the referral is not changed.
type ranked struct {
	ctx           *Context
	keys          keymap.Ranked
	id            string
	weight        int // what-if quality weight; 0: the referral's own
	res           engine.Result
	comp          *store.Competition
	err           error
	cursor        int
	width, height int
	modal
}

func newRanked(ctx *Context, id string) *ranked {
	v := &ranked{ctx: ctx, keys: keymap.NewRanked(), id: id}
	v.rank()
	return v
}

func (v *ranked) rank() {
	v.res, v.comp, v.err = v.ctx.Store.Rank(v.id, v.weight)
	v.cursor = max(0, min(v.cursor, len(v.res.Ranked)-1))
}

func (v *ranked) Title() string    { return "Ranked" }
func (v *ranked) Init() tea.Cmd    { return nil }
func (v *ranked) Capturing() bool  { return v.asking() }
func (v *ranked) SetSize(w, h int) { v.width, v.height = w, h }

func (v *ranked) ShortHelp() []keyBinding {
	if v.asking() {
		return v.modal.help()
	}
	k := v.keys
	k.Reset.SetEnabled(v.weight != 0)
	return []keyBinding{k.Up, k.Down, k.Weight, k.Reset, v.ctx.Global.Back}
}

func (v *ranked) FullHelp() [][]keyBinding { return [][]keyBinding{v.ShortHelp()} }

func (v *ranked) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case storeChangedMsg:
		v.rank()
	case tea.KeyMsg:
		if handled, cmd := v.handle(msg); handled {
			return v, cmd
		}
		k := v.keys
		switch {
		case key.Matches(msg, k.Up):
			v.cursor = max(0, v.cursor-1)
		case key.Matches(msg, k.Down):
			v.cursor = min(len(v.res.Ranked)-1, v.cursor+1)
		case key.Matches(msg, k.Reset):
			v.weight = 0
			v.rank()
			return v, status("Back to the referral's own weights")
		case key.Matches(msg, k.Weight):
			v.prompt = newPrompt(fmt.Sprintf("What if the quality weight were (%d-%d)", engine.MinQualityWeight, engine.MaxQualityWeight), "", fmt.Sprintf("now %d", v.comp.Engine.Referral.QualityWeight), func(s string) tea.Cmd {
				q, err := strconv.Atoi(s)
				if err != nil || q < engine.MinQualityWeight || q > engine.MaxQualityWeight {
					return failure(fmt.Errorf("the quality weight is a whole number from 30 to 70, not %q", s))
				}
				v.weight = q
				v.rank()
				return status("What if: quality %d%% / price %d%%. The referral is not changed; 0 goes back.", q, 100-q)
			})
		}
	}
	return v, nil
}

func (v *ranked) name(id string) string {
	if v.comp != nil && v.comp.Names[id] != "" {
		return v.comp.Names[id]
	}
	return id
}

func (v *ranked) View() string {
	st, el := v.ctx.Styles, v.ctx.Glyphs.Ellipsis
	if v.err != nil {
		return "  " + v.err.Error()
	}
	res := v.res
	q := v.comp.Engine.Referral.QualityWeight
	var l []string
	head := fmt.Sprintf(" %s ranked · quality %d%% / price %d%%", v.id, q, 100-q)
	switch d := v.comp.Decision; {
	case v.weight != 0:
		head += st.Warn.Render("   WHAT IF: not the referral's weights, nothing saved (0 goes back)")
	case d != nil:
		head += st.Muted.Render("   AS AWARDED " + engine.DateText(d.Day))
	case v.comp.Referral.Status == store.RefIssued:
		head += st.Warn.Render("   PROVISIONAL: still open for bids")
	}
	l = append(l, head)
	nameW := max(14, v.width-66)
	if len(res.Ranked) > 0 {
		l = append(l, st.Label.Render(" "+rcell("Rank", 4, el)+" "+cell("Establishment", nameW, el)+" "+rcell("Net/week", 10, el)+" "+rcell("Miles", 5, el)+
			" "+rcell("Price", 5, el)+" "+rcell("Core", 5, el)+" "+rcell("Needs", 5, el)+" "+rcell("Outc.", 5, el)+" "+rcell("Loc.", 5, el)+" "+rcell("Feat.", 5, el)+" "+rcell("Total", 6, el)))
	}
	band := map[string]bool{}
	for _, id := range res.ParentChoice {
		band[id] = true
	}
	awarded := ""
	if d := v.comp.Decision; d != nil && v.weight == 0 {
		awarded = d.Awarded
	}
	for i, rb := range res.Ranked {
		mark := " "
		switch {
		case rb.Establishment == awarded:
			mark = "A"
		case band[rb.Establishment] || rb.Establishment == res.Recommended:
			mark = "*"
		}
		p := rb.Points
		cur := " "
		if i == v.cursor {
			cur = v.ctx.Glyphs.Cursor
		}
		line := cur + rcell(fmt.Sprintf("%d%s", rb.Rank, mark), 4, el) + " " + cell(v.name(rb.Establishment), nameW, el) + " " +
			rcell(Pounds(rb.NetWeeklyPence), 10, el) + " " + rcell(Points2(rb.DistanceMiles), 5, el) + " " + rcell(Points2(p.Price), 5, el) + " " +
			rcell(Points2(p.CoreCompetency), 5, el) + " " + rcell(Points2(p.Needs), 5, el) + " " + rcell(Points2(p.Outcomes), 5, el) + " " +
			rcell(Points2(p.Location), 5, el) + " " + rcell(Points2(p.Features), 5, el) + " " + rcell(Points2(rb.Total), 6, el)
		if i == v.cursor {
			line = st.Selected.Render(fitLine(line, v.width, el))
		}
		l = append(l, line)
	}
	if awarded != "" {
		route := map[store.AwardRoute]string{store.RouteCompetition: "the recommended bid", store.RouteParentChoice: "the parents' choice",
			store.RouteDirect: "a direct placement outside the competition", store.RouteBlock: "a block booking outside the competition"}[v.comp.Decision.Route]
		l = append(l, st.Good.Render(" A awarded to "+v.name(awarded)+": "+route))
	}
	switch res.Outcome {
	case engine.OutcomeParentChoice:
		l = append(l, st.Good.Render(fmt.Sprintf(" * the parents choose among these %d: within %s points of the top total", len(res.ParentChoice), engine.BandText())))
	case engine.OutcomeRecommended:
		l = append(l, st.Good.Render(" * recommended: no other bid is within "+engine.BandText()+" points"))
	default:
		l = append(l, st.Warn.Render(" No compliant bid: no suitable bid. The radius can be widened and the referral re-issued."))
	}
	if v.cursor < len(res.Ranked) {
		rb := res.Ranked[v.cursor]
		i := slices.IndexFunc(v.comp.Bids, func(b store.Bid) bool { return b.Establishment == rb.Establishment })
		note := ""
		if i >= 0 && v.comp.Bids[i].OutcomesNote != "" {
			note = " · " + v.comp.Bids[i].OutcomesNote
		}
		detail := fmt.Sprintf("%s: %s a week, %s a month, %s a year · %.1f miles%s", v.name(rb.Establishment), Pounds(rb.NetWeeklyPence),
			Pounds(engine.MonthlyPence(rb.NetWeeklyPence)), Pounds(engine.AnnualPence(rb.NetWeeklyPence)), rb.DistanceMiles, note)
		for i, w := range wrap(detail, v.width-2) {
			if i < 2 {
				l = append(l, " "+w)
			}
		}
	}
	if len(res.NonCompliant) > 0 {
		l = append(l, "", st.Title.Render(fmt.Sprintf(" Not compliant, not ranked (%d)", len(res.NonCompliant))))
		for _, nc := range res.NonCompliant {
			l = append(l, "   "+v.name(nc.Establishment)+": "+strings.Join(nc.Words(), "; "))
		}
	}
	if v.prompt != nil {
		l = append(l, "", v.prompt.view(st, v.width))
	}
	return strings.Join(l, "\n")
}
