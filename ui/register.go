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
	"github.com/charmbracelet/bubbles/textinput"
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

	input     textinput.Model
	filtering bool
	query     string // the query the shown rows answer
	seq       int    // the latest filter run; older results are dropped

	sortBy   int
	status   int // index into engine.Statuses(), -1 for all
	category int // index into engine.CategoryIDs(), -1 for all
	cursor   int
	offset   int
}

func newRegister(ctx *Context) *register {
	in := newInput()
	in.Prompt = "/"
	in.Placeholder = "name, provider, id, URN or postcode"
	in.CharLimit = 100
	return &register{ctx: ctx, keys: keymap.NewRegister(), input: in, status: -1, category: -1}
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
	r.input.Width = max(10, w-20)
	r.clamp()
}

// Capturing is true while the filter has focus: keys type into it.
func (r *register) Capturing() bool { return r.filtering }

// Back clears the filter before leaving.
func (r *register) Back() (bool, tea.Cmd) {
	if r.query != "" || r.input.Value() != "" {
		r.input.SetValue("")
		return true, r.refilter()
	}
	return false, nil
}

func (r *register) ShortHelp() []keyBinding {
	if r.filtering {
		return []keyBinding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear"))}
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
		r.shown, r.query = msg.matches, msg.query
		r.clamp()
		return r, nil
	case storeChangedMsg:
		return r, r.load()
	case tea.KeyMsg:
		if r.filtering {
			return r, r.filterKey(msg)
		}
		return r, r.listKey(msg)
	}
	return r, nil
}

func (r *register) filterKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		r.filtering = false
		r.input.Blur()
		r.settle()
		return nil
	case "esc", "ctrl+c":
		r.filtering = false
		r.input.Blur()
		r.input.SetValue("")
		return r.refilter()
	case "up", "down":
		r.filtering = false
		r.input.Blur()
		return r.listKey(msg)
	}
	before := r.input.Value()
	var cmd tea.Cmd
	r.input, cmd = r.input.Update(msg)
	if r.input.Value() != before {
		return tea.Batch(cmd, r.refilter())
	}
	return cmd
}

func (r *register) listKey(msg tea.KeyMsg) tea.Cmd {
	k := r.keys
	if c, ok := moveCursor(k.List, msg, r.cursor, r.shown.Len(), max(1, r.rowsHeight()-1)); ok {
		r.cursor = c
		r.clamp()
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		r.filtering = true
		return r.input.Focus()
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
			return r.ctx.open(newDetail(r.ctx, row.ID))
		}
	case key.Matches(msg, k.New):
		if r.ctx.Store.CanWrite() != nil {
			return failure(r.ctx.Store.CanWrite())
		}
		return r.ctx.open(newEstablishmentForm(r.ctx, nil))
	}
	r.clamp()
	return nil
}

// cycle steps -1 (all), 0, 1, …, n-1, -1.
func cycle(i, n int) int {
	if i+1 >= n {
		return -1
	}
	return i + 1
}

// settle brings the shown rows up to the typed query at once, so that a
// row opened straight after typing is one the query found, never a row of
// the previous result.
func (r *register) settle() {
	if r.idx == nil || r.input.Value() == r.query {
		return
	}
	r.seq++ // drop the result still on its way
	r.shown, r.query = r.idx.filter(r.input.Value(), r.base), r.input.Value()
	r.clamp()
}

func (r *register) selected() (store.RegisterRow, bool) {
	if r.idx == nil || r.cursor < 0 || r.cursor >= r.shown.Len() {
		return store.RegisterRow{}, false
	}
	return r.idx.rows[r.shown.At(r.cursor).row], true
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
		return cmp.Or(strings.Compare(strings.ToLower(rows[a].Name), strings.ToLower(rows[b].Name)), strings.Compare(rows[a].ID, rows[b].ID))
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

// statusRank puts what needs attention first.
func statusRank(s engine.Status) int {
	return map[engine.Status]int{engine.Suspended: 0, engine.Applied: 1, engine.Qualified: 2, engine.Withdrawn: 3, engine.Excluded: 4}[s]
}

// refilter starts the filter off the UI goroutine (the index narrows a
// query that grows and remembers the ones before it: filter.go).
func (r *register) refilter() tea.Cmd {
	if r.idx == nil {
		return nil
	}
	r.seq++
	seq, query, idx, base := r.seq, r.input.Value(), r.idx, r.base
	if query == "" {
		// No query: show the base at once, no round trip.
		r.shown, r.query = idx.filter("", base), ""
		r.clamp()
		return nil
	}
	return func() tea.Msg {
		return registerFilteredMsg{seq: seq, query: query, matches: idx.filter(query, base)}
	}
}

func (r *register) rowsHeight() int { return max(1, r.height-3) } // filter line, header, footer line

func (r *register) clamp() {
	r.cursor = max(0, min(r.cursor, r.shown.Len()-1))
	h := r.rowsHeight()
	if r.cursor < r.offset {
		r.offset = r.cursor
	}
	if r.cursor >= r.offset+h {
		r.offset = r.cursor - h + 1
	}
	r.offset = max(0, min(r.offset, r.shown.Len()-h))
}

// columns of the register table for a width: the name takes what is left.
type registerColumns struct {
	name, provider, status, cats, insp, cost, expiry int
}

func columnsFor(w int) registerColumns {
	c := registerColumns{status: 9, cats: 11, insp: 13, cost: 10, expiry: 10}
	if w >= 120 {
		c.provider = 24
		c.insp = 22
		c.cats = 16
	}
	fixed := 2 + c.status + c.cats + c.insp + c.cost + c.expiry + 5
	if c.provider > 0 {
		fixed += c.provider + 1
	}
	c.name = max(12, w-fixed-1)
	return c
}

func (r *register) View() string {
	st, g := r.ctx.Styles, r.ctx.Glyphs
	var b strings.Builder
	// The filter line.
	if r.filtering || r.input.Value() != "" {
		b.WriteString(r.input.View())
	} else {
		b.WriteString(st.Muted.Render("/ to filter"))
	}
	quick := fmt.Sprintf("  status: %s · category: %s · sort: %s", r.statusName(), r.categoryName(), r.sortName())
	b.WriteString(st.Muted.Render(quick) + "\n")

	c := columnsFor(r.width)
	el := g.Ellipsis
	head := "  " + cell("Name", c.name, el) + " "
	if c.provider > 0 {
		head += cell("Provider", c.provider, el) + " "
	}
	head += cell("Status", c.status, el) + " " + cell("Categories", c.cats, el) + " " + cell("Inspection", c.insp, el) + " " +
		rcell("Core/week", c.cost, el) + " " + cell("Expires", c.expiry, el)
	b.WriteString(st.Label.Render(head) + "\n")

	h := r.rowsHeight()
	switch {
	case r.loadErr != nil:
		b.WriteString("  The register could not be read: " + r.loadErr.Error() + "\n")
	case r.idx == nil:
		b.WriteString("  Reading the register" + el + "\n")
	case r.shown.Len() == 0:
		b.WriteString("  No establishment matches. esc clears the filter; f and l change the quick filters.\n")
	}
	today := r.ctx.Today()
	for i := r.offset; i < min(r.shown.Len(), r.offset+h); i++ {
		m := r.shown.At(i)
		row := r.idx.rows[m.row]
		sel := i == r.cursor
		name := row.Name
		if !sel && len(m.at) > 0 {
			name = highlight(row.Name, nameRunes(r.idx.names[m.row], m.at), st)
		}
		cur := "  "
		if sel {
			cur = g.Cursor + " "
		}
		line := cur + cell(name, c.name, el) + " "
		if c.provider > 0 {
			line += cell(row.Provider, c.provider, el) + " "
		}
		word := statusWord(row.Status)
		lapsed := row.Status == engine.Qualified && row.NextExpiry != "" && row.NextExpiry < today
		if lapsed {
			word = "LAPSED" // qualified on the register, out of invitations by itself (§1)
		}
		status := cell(word, c.status, el)
		if (row.Status == engine.Suspended || lapsed) && !sel {
			status = st.Bad.Render(status)
		}
		expiry := row.NextExpiry
		if expiry != "" && expiry < today {
			expiry += "!" // lapsed: said by a mark, not only colour
		}
		line += status + " " + cell(strings.Join(row.Categories, ","), c.cats, el) + " " + cell(shortInspection(row.Inspection, c.insp), c.insp, el) + " " +
			rcell(Pounds(row.CoreWeeklyPence), c.cost, el) + " " + cell(expiry, c.expiry+1, el)
		if sel {
			line = st.Selected.Render(fitLine(line, r.width, el))
		}
		b.WriteString(line + "\n")
	}
	for i := r.shown.Len() - r.offset; i < h; i++ {
		b.WriteString("\n")
	}
	total := 0
	if r.idx != nil {
		total = len(r.idx.rows)
	}
	foot := fmt.Sprintf("  %d of %d establishments", r.shown.Len(), total)
	if r.shown.Len() > 0 {
		foot += fmt.Sprintf(" · row %d", r.cursor+1)
	}
	if r.query != "" {
		foot += " · best match first"
	}
	foot += " · ! evidence lapsed"
	b.WriteString(st.Muted.Render(foot))
	return b.String()
}

func (r *register) statusName() string {
	if r.status < 0 {
		return "all"
	}
	return string(engine.Statuses()[r.status])
}

func (r *register) categoryName() string {
	if r.category < 0 {
		return "all"
	}
	return engine.CategoryIDs()[r.category]
}

func (r *register) sortName() string {
	if r.query != "" {
		return "match"
	}
	return registerSorts[r.sortBy]
}

// highlight styles the runes of s at the given positions.
func highlight(s string, at []int, st Styles) string {
	var b strings.Builder
	j := 0
	for i, ch := range []rune(s) {
		if j < len(at) && at[j] == i {
			b.WriteString(st.Match.Render(string(ch)))
			j++
			continue
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// shortInspection abbreviates a judgement to fit a narrow column, in the
// words officers use ("Ofsted RI").
func shortInspection(s string, w int) string {
	if len(s) <= w {
		return s
	}
	for _, r := range [][2]string{
		{"Ofsted report card", "RC"}, {"Unregulated", "Unreg."}, {": ", " "}, {"Requires improvement", "RI"},
		{"Outstanding", "Outst."}, {"Inadequate", "Inadeq."}, {"Strong standard", "Strong"}, {"Expected standard", "Expected"},
		{"Needs attention", "Needs att."}, {"Urgent improvement", "Urgent"}, {"Safeguarding not met", "SG not met"},
	} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}
