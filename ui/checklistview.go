package ui

import (
	"fmt"
	"strconv"
	"strings"

	"dpsdesk/engine"
)

func (c *checklist) View() string {
	st, g, el := c.ctx.Styles, c.ctx.Glyphs, c.ctx.Glyphs.Ellipsis
	if c.err != nil {
		return "  " + c.err.Error()
	}
	if c.e == nil {
		return "  Reading" + el
	}
	e, stand := c.e, c.standing()
	var l []string
	l = append(l, fmt.Sprintf(" %s  %s  %s", st.Label.Render(e.Name), st.Muted.Render(e.ID), statusWord(e.Status)))
	evW := max(10, c.width-2-4-16-14-12-12-4)
	l = append(l, st.Label.Render("   "+cell("", 4, el)+cell("Criterion", 16, el)+" "+cell("Result", 13, el)+" "+cell("Checked", 11, el)+" "+cell("Expires", 11, el)+" Evidence"))
	for i, cr := range engine.Criteria() {
		chk := e.Check(cr.ID)
		mark, result := g.Pass, "pass"
		if f, failing := stand.Failure(cr.ID); failing {
			mark = g.Fail
			switch f.Kind {
			case engine.NeverChecked:
				result = "not checked"
			case engine.FailedCheck:
				result = "FAIL"
			case engine.Expired:
				result = "FAIL: expired"
			case engine.BelowFloor:
				result = "FAIL: grade"
			}
			if len(stand.FailsIn(cr.ID)) < len(stand.Categories) {
				result += "*"
			}
		}
		line := c.cur(i) + cell(mark, 4, el) + cell(cr.ID.Words(), 16, el) + " " + cell(result, 13, el) + " " +
			cell(orNone(engine.ShowDate(chk.Checked)), 11, el) + " " + cell(orNone(engine.ShowDate(chk.Expires)), 11, el) + " " + cell(chk.Evidence, evW, el)
		if i == c.cursor {
			line = st.Selected.Render(line)
		} else if result != "pass" {
			line = st.Warn.Render(line)
		}
		l = append(l, line)
	}
	if c.cursor < 8 {
		id := engine.Criteria()[c.cursor].ID
		text := criterionTitle(id)
		if why := stand.Why(id); why != "" {
			text = why
			if len(stand.FailsIn(id)) < len(stand.Categories) {
				text += ": * still stands in the others"
			}
		} else if id == engine.CritInspection {
			for _, in := range e.Inspections {
				verdict, _ := floorVerdict(in, e.Categories, c.floors)
				text = in.Framework.Title() + " " + orNone(in.Grade) + ": " + verdict
			}
		}
		l = append(l, st.Muted.Render(fitLine("     "+text, c.width, el)))
	} else {
		l = append(l, "")
	}
	l = append(l, st.Label.Render("   Method statement (weight)     Score"))
	for i, m := range methodNames {
		v := "not scored"
		if p := *c.methodPtr(i); p != nil {
			v = strconv.FormatFloat(*p, 'f', -1, 64)
		}
		line := c.cur(8+i) + cell(fmt.Sprintf("%s (%d)", m.name, m.weight), 30, el) + v
		if 8+i == c.cursor {
			line = st.Selected.Render(fitLine(line, 60, el))
		}
		l = append(l, line)
	}
	adj := 0.0
	for _, a := range e.Adjustments {
		adj += a.Points
	}
	l = append(l, fmt.Sprintf("   Qualification score %s  (method statements %.1f, adjustments %+g; clamped 0-100)",
		st.Label.Render(fmt.Sprintf("%.1f", e.QualificationScore())), e.QualificationScore()-adj, adj))
	for _, a := range e.Adjustments {
		l = append(l, st.Muted.Render(fmt.Sprintf("     %s %+g %s (%s)", engine.ShowDate(a.Date), a.Points, a.Reason, a.By)))
	}
	switch {
	case c.asking():
		l = append(l, "", c.modal.view(st, c.width))
	case c.canQualify():
		l = append(l, "", st.Good.Render("  Every criterion passes: "+c.keys.Qualify.Help().Key+" qualifies it."))
	case e.Status == engine.Suspended:
		l = append(l, "", "  Suspended: lift it from the review screen ("+c.ctx.Global.Review.Help().Key+") once the failed criterion passes.")
	}
	return strings.Join(l, "\n")
}

func (c *checklist) cur(i int) string {
	if i == c.cursor {
		return " " + c.ctx.Glyphs.Cursor + " "
	}
	return "   "
}
