package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

type placementsLoadedMsg struct {
	rows  []store.PlacementRow
	rules map[string]engine.PlacementRules
	err   error
}

// placementLine is a placement as the tab lists it, worked out once per
// load: its next review and how pressing it is.
type placementLine struct {
	row    store.PlacementRow
	due    time.Time
	state  engine.ReviewState
	weekly int64
}

// placements is tab 7: the live placements, reviews overdue and due first,
// with the weekly commitment (issue 16).
type placements struct {
	ctx           *Context
	keys          keymap.Placements
	lines         []*placementLine // sorted; pointers, so the sort moves words, not rows
	shown         []int
	all           bool // ended ones too
	live          int
	weekly        int64
	err           error
	loaded        bool
	list          list
	width, height int
}

func newPlacements(ctx *Context) *placements {
	keys := keymap.NewPlacements()
	p := &placements{ctx: ctx, keys: keys, list: newList(keys.List)}
	p.Update(p.load()())
	return p
}

func (p *placements) Title() string    { return "Placements" }
func (p *placements) Init() tea.Cmd    { return nil }
func (p *placements) SetSize(w, h int) { p.width, p.height = w, h; p.list.resize(h - 4) }

func (p *placements) load() tea.Cmd {
	s := p.ctx.Store
	return func() tea.Msg {
		rows, err := s.PlacementRows()
		if err != nil {
			return placementsLoadedMsg{err: err}
		}
		rules, err := s.PlacementRules()
		return placementsLoadedMsg{rows, rules, err}
	}
}

func (p *placements) ShortHelp() []keyBinding {
	k := p.keys
	return []keyBinding{k.Up, k.Down, k.Open, k.ShowEnded, k.Improvements}
}

func (p *placements) FullHelp() [][]keyBinding {
	k := p.keys
	return [][]keyBinding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open}, {k.ShowEnded, k.Improvements}}
}

func (p *placements) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case placementsLoadedMsg:
		p.err, p.loaded = msg.err, true
		if msg.err == nil {
			p.build(msg.rows, msg.rules)
		}
	case storeChangedMsg:
		return p, p.load()
	case tea.KeyMsg:
		k := p.keys
		if p.list.move(msg) {
			return p, nil
		}
		switch {
		case key.Matches(msg, k.ShowEnded):
			p.all = !p.all
			p.refresh()
		case key.Matches(msg, k.Improvements):
			p.ctx.open(newImprovements(p.ctx))
		case key.Matches(msg, k.Open):
			if i, ok := p.list.at(); ok {
				p.ctx.open(newPlacementPage(p.ctx, p.idAt(i)))
			}
		}
	}
	return p, nil
}

// build works out each placement's next review and the commitment, then
// sorts: live before ended, overdue, due, then by the day it is due.
func (p *placements) build(rows []store.PlacementRow, rules map[string]engine.PlacementRules) {
	was := p.current() // before the lines change under the cursor
	now := p.ctx.Now()
	today := now.Format(time.DateOnly)
	backing := make([]placementLine, len(rows))
	p.lines, p.live, p.weekly = make([]*placementLine, len(rows)), 0, 0
	for i := range rows {
		r := &rows[i]
		l := placementLine{row: *r, state: engine.ReviewNotDue, weekly: r.WeeklyOn(today)}
		if r.Status == store.PlacementLive {
			l.due = r.NextReview(store.RulesFor(rules, r.Category))
			l.state = engine.ReviewStateOn(l.due, now)
			p.live++
			p.weekly += l.weekly
		}
		backing[i] = l
		p.lines[i] = &backing[i]
	}
	slices.SortFunc(p.lines, func(a, b *placementLine) int {
		if (a.row.Status == store.PlacementLive) != (b.row.Status == store.PlacementLive) {
			if a.row.Status == store.PlacementLive {
				return -1
			}
			return 1
		}
		if a.state != b.state {
			return int(a.state) - int(b.state)
		}
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return strings.Compare(a.row.ID, b.row.ID) // ids are unique: the order is total
	})
	p.show(was)
}

// refresh shows the live placements, or all, the cursor kept on the one
// it was on.
func (p *placements) refresh() { p.show(p.current()) }

// current is the id of the placement under the cursor, "" for none.
func (p *placements) current() string {
	if i, ok := p.list.at(); ok && i < len(p.shown) && p.shown[i] < len(p.lines) {
		return p.lines[p.shown[i]].row.ID
	}
	return ""
}

// show shows the live placements, or all, the cursor on the placement
// was (after a review moves it down the list, it is still the one looked
// at).
func (p *placements) show(was string) {
	p.shown = p.shown[:0]
	for i, l := range p.lines {
		if p.all || l.row.Status == store.PlacementLive {
			p.shown = append(p.shown, i)
		}
	}
	p.list.setLen(len(p.shown))
	p.list.follow(was, p.idAt)
}

func (p *placements) idAt(i int) string { return p.lines[p.shown[i]].row.ID }

func (p *placements) View() string {
	st, el := p.ctx.Styles, p.ctx.Glyphs.Ellipsis
	var b strings.Builder
	shown := "live"
	if p.all {
		shown = "all"
	}
	b.WriteString(fmt.Sprintf("  %d live placements · weekly commitment %s (%s a year) · showing %s\n", p.live, Pounds(p.weekly),
		Pounds(engine.AnnualPence(p.weekly)), shown))
	rw := 13 // the review column: as wide as its longest entry, never cut
	from, to := p.list.window()
	for i := from; i < to; i++ {
		rw = max(rw, len(reviewWord(*p.lines[p.shown[i]], p.ctx.Now())))
	}
	name := max(6, p.width-57-rw)
	b.WriteString(st.Label.Render("  "+cell("Review", rw, el)+" "+cell("Placement", 13, el)+" "+cell("Auth", 4, el)+" "+cell("Setting", name, el)+" "+
		cell("Category", 11, el)+" "+cell("Start", 11, el)+" "+rcell("Weekly", 10, el)) + "\n")
	switch {
	case p.err != nil:
		b.WriteString("  The placements could not be read: " + p.err.Error() + "\n")
	case !p.loaded:
		b.WriteString("  Reading the placements" + el + "\n")
	case len(p.shown) == 0:
		b.WriteString("  No placement here: an award makes one.\n")
	}
	for i := from; i < to; i++ {
		l := *p.lines[p.shown[i]]
		cur := "  "
		if i == p.list.cursor {
			cur = p.ctx.Glyphs.Cursor + " "
		}
		review := reviewWord(l, p.ctx.Now())
		if l.state == engine.ReviewOverdue {
			review = st.Bad.Render(cell(review, rw, el))
		} else {
			review = cell(review, rw, el)
		}
		line := cur + review + " " + cell(l.row.ID, 13, el) + " " + cell(l.row.Authority, 4, el) + " " + cell(l.row.Name, name, el) + " " +
			cell(l.row.Category, 11, el) + " " + cell(engine.ShowDate(l.row.Start), 11, el) + " " + rcell(Pounds(l.weekly), 10, el)
		if i == p.list.cursor {
			line = st.Selected.Render(fitLine(line, p.width, el))
		}
		b.WriteString(line + "\n")
	}
	k := p.keys
	b.WriteString(st.Muted.Render(fmt.Sprintf("  %d of %d placements · %s live/all · %s improvement proposals", len(p.shown), len(p.lines), k.ShowEnded.Help().Key, k.Improvements.Help().Key)))
	return b.String()
}

// reviewWord says when the next review is, in words that do not need
// colour: OVERDUE 3 Nov, due 2 Dec (with the year when it is not this
// year's), or the day.
func reviewWord(l placementLine, now time.Time) string {
	switch {
	case l.row.Status != store.PlacementLive:
		if end, err := time.Parse(time.DateOnly, l.row.End); err == nil {
			return "ended " + shortDate(end, now)
		}
		return "ended " + l.row.End
	case l.state == engine.ReviewOverdue:
		return "OVERDUE " + shortDate(l.due, now)
	case l.state == engine.ReviewDueSoon:
		return "due " + shortDate(l.due, now)
	}
	return l.due.Format(dateOnly)
}
