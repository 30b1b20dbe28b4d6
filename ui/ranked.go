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
	offset        int // the first ranked row drawn
	width, height int
	modal
	// drawn is what does not change between frames, worked out once per
	// ranking and width.
	drawn *rankedLines
}

// rankedLines are the ranked view's lines that change only with the
// ranking or the width.
type rankedLines struct {
	width  int
	head   string   // the title and the column heads
	rows   []string // each ranked bid, not selected
	plain  []string // each ranked bid without the cursor, unstyled
	foot   string   // awarded to, the shortlist or the recommendation
	ncHead string   // the heading of the bids not ranked
	ncRows []string // each bid not ranked with its reasons, unstyled
}

func newRanked(ctx *Context, id string) *ranked {
	v := &ranked{ctx: ctx, keys: keymap.NewRanked(), id: id}
	v.rank()
	return v
}

func (v *ranked) rank() {
	v.res, v.comp, v.err = v.ctx.Store.Rank(v.id, v.weight)
	v.cursor = max(0, min(v.cursor, v.bids()-1))
	v.drawn = nil
	v.settle()
}

// settle works out, outside View, what the frames draw: the lines that
// do not change and the first ranked row shown, the cursor's row among
// those that fit.
func (v *ranked) settle() {
	if v.err == nil && v.comp != nil && (v.drawn == nil || v.drawn.width != v.width) {
		v.drawn = v.lines()
	}
	v.offset = v.firstShown()
}

// firstShown is the first ranked row drawn: the window of rows that fit
// moved as little as keeps the cursor's row in it.
func (v *ranked) firstShown() int {
	n, cur := v.rowsShown(), min(v.cursor, len(v.res.Ranked)-1)
	off := max(0, min(v.offset, cur, len(v.res.Ranked)-n))
	if cur >= off+n {
		off = cur - n + 1
	}
	return off
}

// bids is how many rows the cursor moves over: the ranked bids, then
// those not ranked.
func (v *ranked) bids() int { return len(v.res.Ranked) + len(v.res.NonCompliant) }

// selected is the establishment whose bid the cursor is on.
func (v *ranked) selected() (string, bool) {
	switch i := v.cursor; {
	case i < 0:
	case i < len(v.res.Ranked):
		return v.res.Ranked[i].Establishment, true
	case i < v.bids():
		return v.res.NonCompliant[i-len(v.res.Ranked)].Establishment, true
	}
	return "", false
}

func (v *ranked) Title() string    { return "Ranked" }
func (v *ranked) Init() tea.Cmd    { return nil }
func (v *ranked) Capturing() bool  { return v.asking() }
func (v *ranked) SetSize(w, h int) { v.width, v.height = w, h; v.settle() }

func (v *ranked) ShortHelp() []keyBinding {
	if v.asking() {
		return v.modal.help()
	}
	k := v.keys
	k.Reset.SetEnabled(v.weight != 0)
	k.Why.SetEnabled(v.bids() > 0)
	return []keyBinding{k.Why, k.Weight, k.Reset, v.ctx.Global.Back}
}

// FullHelp is every key; the key line leaves out moving, which every
// list has, so that what is this view's own fits 80 columns.
func (v *ranked) FullHelp() [][]keyBinding {
	if v.asking() {
		return [][]keyBinding{v.modal.help()}
	}
	return [][]keyBinding{append([]keyBinding{v.keys.Up, v.keys.Down}, v.ShortHelp()...)}
}

// HelpNotes say what each column is and its maximum at the weights shown.
func (v *ranked) HelpNotes() []string {
	if v.err != nil || v.asking() {
		return nil
	}
	return rankedLegend(v.res.Weights)
}

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
			v.settle()
		case key.Matches(msg, k.Down):
			v.cursor = max(0, min(v.bids()-1, v.cursor+1))
			v.settle()
		case key.Matches(msg, k.Why):
			id, ok := v.selected()
			if !ok || v.comp == nil {
				return v, nil
			}
			lines, ok := explanationLines(v.comp, &v.res, id, v.name(id), v.weight)
			if !ok {
				return v, failure(fmt.Errorf("%s has no bid in this ranking", v.name(id)))
			}
			v.ctx.open(newTextPage("Why "+v.name(id), lines))
		case key.Matches(msg, k.Reset):
			v.weight = 0
			v.rank()
			return v, status("Back to the referral's own weights")
		case key.Matches(msg, k.Weight):
			v.prompt = newPrompt(fmt.Sprintf("What if the quality weight were (%d-%d)", engine.MinQualityWeight, engine.MaxQualityWeight), "", fmt.Sprintf("now %d", v.comp.Engine.Referral.QualityWeight), func(s string) tea.Cmd {
				q, _ := strconv.Atoi(s) // checked below, before it is answered
				v.weight = q
				v.rank()
				return status("What if: quality %d%% / price %d%%. The referral is not changed; 0 goes back.", q, 100-q)
			})
			v.prompt.keys.Save = k.Rerank // a what-if saves nothing
			// A weight that is not one keeps the question open with what
			// was typed, saying why.
			v.prompt.check = func(s string) string {
				if q, err := strconv.Atoi(s); err != nil || q < engine.MinQualityWeight || q > engine.MaxQualityWeight {
					return fmt.Sprintf("the quality weight is a whole number from %d to %d, not %q", engine.MinQualityWeight, engine.MaxQualityWeight, s)
				}
				return ""
			}
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

// rowsShown is how many ranked rows fit beside the heads, the lines
// under them and the selected bid's details; all of them when the height
// is not known.
func (v *ranked) rowsShown() int {
	if v.height <= 0 {
		return len(v.res.Ranked)
	}
	return max(5, v.height-8)
}

// lines works out what the view draws that does not change from frame to
// frame.
func (v *ranked) lines() *rankedLines {
	st, el := v.ctx.Styles, v.ctx.Glyphs.Ellipsis
	res := v.res
	d := &rankedLines{width: v.width}
	q := v.comp.Engine.Referral.QualityWeight
	head := fmt.Sprintf(" %s ranked · quality %d%% / price %d%%", v.id, q, 100-q)
	switch dec := v.comp.Decision; {
	case v.weight != 0:
		// Fits 80 columns: the weights are the what-if's, and saying so
		// comes first.
		head = fmt.Sprintf(" %s ", v.id) + st.Warn.Render(fmt.Sprintf("WHAT IF quality %d%% / price %d%%: nothing saved, 0 goes back", q, 100-q))
	case dec != nil:
		head += st.Muted.Render("   AS AWARDED " + engine.DateText(dec.Day))
	case v.comp.Referral.Status == store.RefIssued:
		head += st.Warn.Render("   PROVISIONAL: still open for bids")
	}
	nameW := max(14, v.width-66)
	if len(res.Ranked) > 0 {
		head += "\n" + st.Label.Render(" "+rcell("Rank", 4, el)+" "+cell("Establishment", nameW, el)+" "+rcell("Net/week", 10, el)+" "+rcell("Miles", 5, el)+
			" "+rcell("Price", 5, el)+" "+rcell("Core", 5, el)+" "+rcell("Needs", 5, el)+" "+rcell("Outc.", 5, el)+" "+rcell("Loc.", 5, el)+" "+rcell("Feat.", 5, el)+" "+rcell("Total", 6, el))
	}
	d.head = head
	band := map[string]bool{}
	for _, id := range res.ParentChoice {
		band[id] = true
	}
	awarded := ""
	if dec := v.comp.Decision; dec != nil && v.weight == 0 {
		awarded = dec.Awarded
	}
	d.rows, d.plain = make([]string, len(res.Ranked)), make([]string, len(res.Ranked))
	for i, rb := range res.Ranked {
		mark := " "
		switch {
		case rb.Establishment == awarded:
			mark = "A"
		case band[rb.Establishment] || rb.Establishment == res.Recommended:
			mark = "*"
		}
		p := rb.Points
		line := rcell(fmt.Sprintf("%d%s", rb.Rank, mark), 4, el) + " " + cell(v.name(rb.Establishment), nameW, el) + " " +
			rcell(Pounds(rb.NetWeeklyPence), 10, el) + " " + rcell(Points2(rb.DistanceMiles), 5, el) + " " + rcell(Points2(p.Price), 5, el) + " " +
			rcell(Points2(p.CoreCompetency), 5, el) + " " + rcell(Points2(p.Needs), 5, el) + " " + rcell(Points2(p.Outcomes), 5, el) + " " +
			rcell(Points2(p.Location), 5, el) + " " + rcell(Points2(p.Features), 5, el) + " " + rcell(Points2(rb.Total), 6, el)
		d.rows[i], d.plain[i] = " "+line, line
	}
	var foot []string
	if awarded != "" {
		route := map[store.AwardRoute]string{store.RouteCompetition: "the recommended bid", store.RouteParentChoice: "the parents' choice",
			store.RouteDirect: "a direct placement outside the competition", store.RouteBlock: "a block booking outside the competition"}[v.comp.Decision.Route]
		foot = append(foot, st.Good.Render(" A awarded to "+v.name(awarded)+": "+route))
	}
	switch res.Outcome {
	case engine.OutcomeParentChoice:
		foot = append(foot, st.Good.Render(fmt.Sprintf(" * the parents choose among these %d: within %s points of the top total", len(res.ParentChoice), engine.BandText())))
	case engine.OutcomeRecommended:
		foot = append(foot, st.Good.Render(" * recommended: no other bid is within "+engine.BandText()+" points"))
	default:
		foot = append(foot, st.Warn.Render(" No compliant bid: no suitable bid. The radius can be widened and the referral re-issued."))
	}
	d.foot = strings.Join(foot, "\n")
	if len(res.NonCompliant) > 0 {
		d.ncHead = "\n" + st.Title.Render(fmt.Sprintf(" Not compliant, not ranked (%d)", len(res.NonCompliant)))
		for _, n := range res.NonCompliant {
			d.ncRows = append(d.ncRows, "  "+v.name(n.Establishment)+": "+strings.Join(n.Words(), "; "))
		}
	}
	return d
}

// View draws the heads, the ranked rows that fit (the selected one among
// them), what the ranking found, the selected bid's details and the bids
// not ranked. Only the selected row and its details are drawn afresh;
// the rest is kept from the first frame of the ranking.
func (v *ranked) View() string {
	st, el := v.ctx.Styles, v.ctx.Glyphs.Ellipsis
	if v.err != nil {
		return "  " + v.err.Error()
	}
	d := v.drawn
	if d == nil || d.width != v.width {
		d = v.lines() // not settled yet: worked out for this frame only
	}
	res := v.res
	n, first := v.rowsShown(), v.firstShown()
	end := min(len(res.Ranked), first+n)
	inNC := v.cursor >= len(res.Ranked)
	var detail []string
	if !inNC {
		rb := res.Ranked[v.cursor]
		i := slices.IndexFunc(v.comp.Bids, func(b store.Bid) bool { return b.Establishment == rb.Establishment })
		note := ""
		if i >= 0 && v.comp.Bids[i].OutcomesNote != "" {
			note = " · " + v.comp.Bids[i].OutcomesNote
		}
		line := fmt.Sprintf("%s: %s a week, %s a month, %s a year · %.1f miles%s", v.name(rb.Establishment), Pounds(rb.NetWeeklyPence),
			Pounds(engine.MonthlyPence(rb.NetWeeklyPence)), Pounds(engine.AnnualPence(rb.NetWeeklyPence)), rb.DistanceMiles, note)
		ws := wrap(line, v.width-2)
		if len(ws) > 2 { // the rest is on the bid's page (enter)
			ws = []string{ws[0], fitLine(ws[1]+" "+strings.Join(ws[2:], " "), v.width-2, v.ctx.Glyphs.Ellipsis)}
		}
		for _, w := range ws {
			detail = append(detail, " "+w)
		}
	}
	ask := ""
	if v.prompt != nil {
		ask = "\n\n" + v.prompt.view(st, v.width)
	}
	// The bids not ranked share what is left of the height with the
	// ranked rows; with the cursor among them, they come first.
	ncFirst, ncShown := 0, len(d.ncRows)
	if v.height > 0 && len(d.ncRows) > 0 {
		fixed := strings.Count(d.head, "\n") + 1 + strings.Count(d.foot, "\n") + 1 + len(detail) + 2 + strings.Count(ask, "\n")
		if inNC {
			first = max(first, end-max(1, min(end-first, v.height-fixed-len(d.ncRows))))
		}
		ncShown = min(len(d.ncRows), max(1, v.height-fixed-(end-first)))
		if inNC {
			ncFirst = max(0, v.cursor-len(res.Ranked)-ncShown+1)
		}
	}
	var b strings.Builder
	rowLen := 0
	if len(d.rows) > 0 {
		rowLen = len(d.rows[0]) + 1
	}
	b.Grow(len(d.head) + (end-first)*rowLen + len(d.foot) + (ncShown+2)*(v.width+16) + len(ask) + 1024)
	b.WriteString(d.head)
	for i := first; i < end; i++ {
		b.WriteByte('\n')
		if i == v.cursor {
			b.WriteString(st.Selected.Render(fitLine(v.ctx.Glyphs.Cursor+d.plain[i], v.width, el)))
		} else {
			b.WriteString(d.rows[i])
		}
	}
	b.WriteString("\n" + d.foot)
	for _, l := range detail {
		b.WriteString("\n" + l)
	}
	if len(d.ncRows) > 0 {
		b.WriteString("\n" + d.ncHead)
		for i := ncFirst; i < ncFirst+ncShown; i++ {
			b.WriteByte('\n')
			if i == v.cursor-len(res.Ranked) {
				b.WriteString(st.Selected.Render(fitLine(v.ctx.Glyphs.Cursor+d.ncRows[i], v.width, el)))
			} else {
				b.WriteString(" " + d.ncRows[i])
			}
		}
	}
	b.WriteString(ask)
	return b.String()
}
