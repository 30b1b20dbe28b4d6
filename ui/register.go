package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Register sort orders, cycled with s.
var registerSorts = []string{"name", "status", "next expiry", "core cost"}

type (
	registerLoadedMsg struct {
		rows []store.RegisterRow
		err  error
	}
	registerFilteredMsg struct {
		seq     int
		query   string
		matches *filtered
	}
)

// register is screen 1: every establishment, filterable and sortable.
type register struct {
	ctx           *Context
	keys          keymap.Register
	width, height int

	idx     *registerIndex
	base    []int // rows after the quick filters, in sort order
	shown   *filtered
	loadErr error

	filter filterLine
	query  string // the query the shown rows answer
	seq    int    // the latest filter run; older results are dropped

	sortBy   int
	status   int // index into engine.Statuses(), -1 for all
	category int // index into engine.CategoryIDs(), -1 for all
	list     list
}

func newRegister(ctx *Context) *register {
	keys := keymap.NewRegister()
	return &register{ctx: ctx, keys: keys, filter: newFilterLine("name, provider, id, URN or postcode"),
		status: -1, category: -1, list: newList(keys.List)}
}

func (r *register) Title() string { return "Register" }

func (r *register) Init() tea.Cmd { return r.load() }

func (r *register) load() tea.Cmd {
	s := r.ctx.Store
	return func() tea.Msg {
		rows, err := s.Register()
		return registerLoadedMsg{rows, err}
	}
}

func (r *register) SetSize(w, h int) {
	r.width, r.height = w, h
	r.filter.resize(w - 20)
	r.list.resize(r.rowsHeight())
}

// Capturing is true while the filter has focus: keys type into it.
func (r *register) Capturing() bool { return r.filter.active }

// Back clears the filter before leaving.
func (r *register) Back() (bool, tea.Cmd) {
	if r.query != "" || r.filter.value() != "" {
		r.filter.clear()
		return true, r.refilter()
	}
	return false, nil
}

func (r *register) ShortHelp() []keyBinding {
	if r.filter.active {
		return r.filter.help()
	}
	k := r.keys
	return []keyBinding{k.Up, k.Down, k.Open, k.Filter, k.Sort, k.Status, k.Category, k.New}
}

func (r *register) FullHelp() [][]keyBinding {
	k := r.keys
	return [][]keyBinding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open},
		{k.Filter, k.ClearFilter, k.Sort, k.Status, k.Category, k.New}}
}

func (r *register) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case registerLoadedMsg:
		r.loadErr = msg.err
		if msg.err != nil {
			return r, failure(fmt.Errorf("reading the register: %w", msg.err))
		}
		r.idx = newRegisterIndex(msg.rows)
		r.rebase()
		return r, r.refilter()
	case registerFilteredMsg:
		if msg.seq != r.seq {
			return r, nil // a newer keystroke is on its way
		}
		r.show(msg.matches, msg.query)
		return r, nil
	case storeChangedMsg:
		return r, r.load()
	case tea.KeyMsg:
		if r.filter.active {
			return r, r.filterKey(msg)
		}
		return r, r.listKey(msg)
	}
	return r, nil
}

func (r *register) filterKey(msg tea.KeyMsg) tea.Cmd {
	before := r.filter.value()
	ev, cmd := r.filter.key(msg)
	switch ev {
	case filterApplied:
		r.settle()
		return nil
	case filterCleared:
		return r.refilter()
	case filterLeft:
		return r.listKey(msg)
	}
	if r.filter.value() != before {
		return tea.Batch(cmd, r.refilter())
	}
	return cmd
}

func (r *register) listKey(msg tea.KeyMsg) tea.Cmd {
	k := r.keys
	if r.list.move(msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		return r.filter.focus()
	case key.Matches(msg, k.Sort):
		r.sortBy = (r.sortBy + 1) % len(registerSorts)
		r.rebase()
		return r.refilter()
	case key.Matches(msg, k.Status):
		r.status = cycle(r.status, len(engine.Statuses()))
		r.rebase()
		return r.refilter()
	case key.Matches(msg, k.Category):
		r.category = cycle(r.category, len(engine.CategoryIDs()))
		r.rebase()
		return r.refilter()
	case key.Matches(msg, k.Open):
		r.settle()
		if row, ok := r.selected(); ok {
			r.ctx.open(newDetail(r.ctx, row.ID))
			return nil
		}
	case key.Matches(msg, k.New):
		if r.ctx.Store.CanWrite() != nil {
			return failure(r.ctx.Store.CanWrite())
		}
		r.ctx.open(newEstablishmentForm(r.ctx, nil))
		return nil
	}
	return nil
}

// settle brings the shown rows up to the typed query at once, so that a
// row opened straight after typing is one the query found, never a row of
// the previous result.
func (r *register) settle() {
	if r.idx == nil || r.filter.value() == r.query {
		return
	}
	r.seq++ // drop the result still on its way
	r.show(r.idx.filter(r.filter.value(), r.base), r.filter.value())
}

// show puts a filter result on screen: for a query typed, the cursor on
// the best match; after a reload or a cleared query, on the establishment
// it was on when that is still shown.
func (r *register) show(matches *filtered, query string) {
	was, _ := r.selected()
	// A query typed looks for the record among the best matches only: a
	// match far down would have every match put in order at each key.
	deep := query == r.query
	r.shown, r.query = matches, query
	r.list.setLen(matches.Len())
	if !deep && query != "" {
		r.list.cursor = 0 // a query typed: the best match first, under the cursor
		r.list.clamp()
		return
	}
	if at, ok := matches.find(was.ID, deep); ok {
		r.list.follow(was.ID, func(i int) string {
			if i == at {
				return was.ID
			}
			return ""
		})
	}
}

func (r *register) selected() (store.RegisterRow, bool) {
	i, ok := r.list.at()
	if r.idx == nil || !ok || i >= r.shown.Len() || r.shown.At(i).row >= len(r.idx.rows) {
		return store.RegisterRow{}, false
	}
	return r.idx.rows[r.shown.At(i).row], true
}

// rebase applies the quick filters and the sort order.
func (r *register) rebase() {
	if r.idx == nil {
		return
	}
	rows := r.idx.rows
	r.base = make([]int, 0, len(rows)) // a new slice: a filter on its way keeps the old one
	for i, row := range rows {
		if r.status >= 0 && row.Status != engine.Statuses()[r.status] {
			continue
		}
		if r.category >= 0 && !slices.Contains(row.Categories, engine.CategoryIDs()[r.category]) {
			continue
		}
		r.base = append(r.base, i)
	}
	byName := func(a, b int) int {
		// The index holds each name lowercased once: no lowering per comparison.
		return cmp.Or(strings.Compare(r.idx.names[a], r.idx.names[b]), strings.Compare(rows[a].ID, rows[b].ID))
	}
	slices.SortStableFunc(r.base, func(a, b int) int {
		switch r.sortBy {
		case 1:
			return cmp.Or(statusRank(rows[a].Status)-statusRank(rows[b].Status), byName(a, b))
		case 2:
			// Soonest expiry first; none last.
			ea, eb := rows[a].NextExpiry, rows[b].NextExpiry
			if ea == "" {
				ea = "9999"
			}
			if eb == "" {
				eb = "9999"
			}
			return cmp.Or(strings.Compare(ea, eb), byName(a, b))
		case 3:
			return cmp.Or(cmp.Compare(rows[a].CoreWeeklyPence, rows[b].CoreWeeklyPence), byName(a, b))
		}
		return byName(a, b)
	})
}

// refilter starts the filter off the UI goroutine (the index narrows a
// query that grows and remembers the ones before it: filter.go).
func (r *register) refilter() tea.Cmd {
	if r.idx == nil {
		return nil
	}
	r.seq++
	seq, query, idx, base := r.seq, r.filter.value(), r.idx, r.base
	if query == "" {
		// No query: show the base at once, no round trip.
		r.show(idx.filter("", base), "")
		return nil
	}
	return func() tea.Msg {
		return registerFilteredMsg{seq: seq, query: query, matches: idx.filter(query, base)}
	}
}

func (r *register) rowsHeight() int { return max(1, r.height-3) } // filter line, header, footer line
