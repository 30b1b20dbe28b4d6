package ui

import (
	"fmt"
	"strings"

	"dpsdesk/engine"
)

// columns of the register table for a width: the name takes what is left.
type registerColumns struct {
	name, provider, status, cats, insp, cost, expiry int
}

func columnsFor(w int) registerColumns {
	c := registerColumns{status: 9, cats: 11, insp: 13, cost: 10, expiry: 11}
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
	b.WriteString(r.filter.view(st, r.keys.Filter))
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

	from, to := r.list.window()
	switch {
	case r.loadErr != nil:
		b.WriteString("  The register could not be read: " + r.loadErr.Error() + "\n")
	case r.idx == nil:
		b.WriteString("  Reading the register" + el + "\n")
	case len(r.idx.rows) == 0:
		// A first run: say how to start.
		lines := []string{"The register is empty. To start it:",
			"  " + r.keys.New.Help().Key + " adds an establishment here, one at a time;",
			"  dpsdesk import register FILE.csv loads the partnership's register at once",
			"  (the README lists its columns; quit the desk first)."}
		for _, l := range lines {
			b.WriteString("  " + l + "\n")
		}
	case r.shown.Len() == 0:
		k := r.keys
		b.WriteString(fmt.Sprintf("  No establishment matches. %s clears the filter; %s and %s change the quick filters.\n",
			k.ClearFilter.Help().Key, k.Status.Help().Key, k.Category.Help().Key))
	}
	today := r.ctx.Today()
	for i := from; i < to; i++ {
		m := r.shown.At(i)
		row := r.idx.rows[m.row]
		sel := i == r.list.cursor
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
		expiry := engine.ShowDate(row.NextExpiry)
		if row.NextExpiry != "" && row.NextExpiry < today {
			expiry += "!" // lapsed: said by a mark, not only colour
		}
		line += status + " " + cell(strings.Join(row.Categories, ","), c.cats, el) + " " + cell(row.InspectionLabel(), c.insp, el) + " " +
			rcell(Pounds(row.CoreWeeklyPence), c.cost, el) + " " + cell(expiry, c.expiry+1, el)
		if sel {
			line = st.Selected.Render(fitLine(line, r.width, el))
		}
		b.WriteString(line + "\n")
	}
	for i := to - from; i < r.rowsHeight(); i++ {
		b.WriteString("\n")
	}
	total := 0
	if r.idx != nil {
		total = len(r.idx.rows)
	}
	foot := fmt.Sprintf("  %d of %s", r.shown.Len(), plural(total, "establishment"))
	if r.shown.Len() > 0 {
		foot += fmt.Sprintf(" · row %d", r.list.cursor+1)
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

// cycle steps -1 (all), 0, 1, …, n-1, -1.
func cycle(i, n int) int {
	if i+1 >= n {
		return -1
	}
	return i + 1
}

// statusRank puts what needs attention first.
func statusRank(s engine.Status) int {
	return map[engine.Status]int{engine.Suspended: 0, engine.Applied: 1, engine.Qualified: 2, engine.Withdrawn: 3, engine.Excluded: 4}[s]
}
