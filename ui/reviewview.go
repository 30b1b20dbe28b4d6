package ui

import (
	"cmp"
	"fmt"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"
)

// reviewLine is a line of the queue: an item, or a heading (item -1).
type reviewLine struct {
	text string
	item int
}

// lines are the queue's items under their headings.
func (r *review) lines() []reviewLine {
	st := r.ctx.Styles
	counts := map[store.ReviewKind]int{}
	for _, it := range r.items {
		counts[it.Kind]++
	}
	var lines []reviewLine
	for i, it := range r.items {
		if i == 0 || r.items[i-1].Kind != it.Kind {
			lines = append(lines, reviewLine{st.Title.Render(fmt.Sprintf(" %s (%d)", reviewHeads[it.Kind], counts[it.Kind])), -1})
		}
		lines = append(lines, reviewLine{r.row(i, it), i})
	}
	return lines
}

// scrollToCursor scrolls so that the cursor's line shows.
func (r *review) scrollToCursor() {
	for j, l := range r.lines() {
		if l.item == r.list.cursor {
			r.page.show(j)
		}
	}
}

func (r *review) View() string {
	st, g, el := r.ctx.Styles, r.ctx.Glyphs, r.ctx.Glyphs.Ellipsis
	switch {
	case r.err != nil:
		return "  The review queue could not be read: " + r.err.Error()
	case !r.loaded:
		return "  Reading the register" + el
	case len(r.all) == 0:
		return "\n  Nothing to review: no criterion fails, nothing is suspended or about to lapse."
	}
	var b strings.Builder
	filtering := r.filter.active || r.filter.value() != ""
	if filtering {
		b.WriteString(r.filter.view(st, r.keys.Filter) + "\n")
		if len(r.items) == 0 {
			b.WriteString(fmt.Sprintf("  Nothing in the queue matches; %s clears the filter.\n", r.ctx.Global.Back.Help().Key))
		}
	}
	foot := r.modal.view(st, r.width)
	if foot == "" {
		marked := ""
		if n := len(r.list.marked); n > 0 {
			marked = fmt.Sprintf(" · %d marked (%s): actions apply to all of them; %s clears", n, g.Mark, r.ctx.Global.Back.Help().Key)
		}
		count := fmt.Sprintf("%d in the queue", len(r.all))
		if filtering {
			count = fmt.Sprintf("%d of %d in the queue", len(r.items), len(r.all))
		}
		foot = st.Muted.Render("  " + count + marked)
	}
	// The page gives way to a long question, the cursor's line kept in
	// view (on a copy: drawing changes nothing).
	page := r.page
	var whole []string
	if r.height >= 12 && !r.asking() {
		ls := r.whole()
		if len(ls) > 3 {
			ls = append(ls[:2], fitLine(strings.Join(ls[2:], " "), r.width-4, el))
		}
		for _, l := range ls {
			whole = append(whole, "  "+l)
		}
	}
	page.height = max(1, r.height-strings.Count(foot, "\n")-2-strings.Count(b.String(), "\n")-len(whole))
	lines := r.lines()
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.text
		if l.item == r.list.cursor {
			texts[i] = st.Selected.Render(fitLine(l.text, r.width, el))
			page.show(i)
		}
	}
	for _, t := range page.window(texts) {
		b.WriteString(t + "\n")
	}
	for _, l := range whole {
		b.WriteString(st.Label.Render(l) + "\n")
	}
	return b.String() + foot
}

var reviewHeads = map[store.ReviewKind]string{
	store.ReviewMustSuspend: "Must be suspended now, already out of invitations",
	store.ReviewConcern:     "Safeguarding concerns: " + keymap.NewReview().Evidence.Help().Key + " checks the criterion each touches",
	store.ReviewOutOfSome:   "Below a category's floor: out of those referrals only",
	store.ReviewSuspended:   "Suspended: lifted when the failed criterion passes again",
	store.ReviewExpiring:    fmt.Sprintf("Evidence expiring within %d days", engine.ExpiryWindowsDays()[len(engine.ExpiryWindowsDays())-1]),
	store.ReviewAuditDue:    "Annual audit due: a criterion last checked over a year ago",
}

func (r *review) row(i int, it store.ReviewItem) string {
	el := r.ctx.Glyphs.Ellipsis
	cur, mark := "  ", "   "
	if i == r.list.cursor {
		cur = r.ctx.Glyphs.Cursor + " "
	}
	if r.list.marked[itemKey(it)] {
		mark = "[" + r.ctx.Glyphs.Mark + "]"
	}
	nameW := max(16, min(34, r.width/3))
	return cur + mark + " " + cell(it.Name, nameW, el) + " " + reviewWhat(it)
}

// reviewWhat is what a row of the queue says beside the name.
func reviewWhat(it store.ReviewItem) string {
	var what string
	switch it.Kind {
	case store.ReviewMustSuspend, store.ReviewOutOfSome, store.ReviewConcern:
		what = it.Why
	case store.ReviewSuspended:
		what = fmt.Sprintf("SUSPENDED: %s failed (%s)", orNone(it.Criterion.Words()), it.Suspension.Reason)
		if it.Why != "" {
			what = "SUSPENDED: " + it.Why
		}
		if it.ReadyToLift {
			what = fmt.Sprintf("READY TO LIFT: %s passes again (suspended %s)", orNone(it.Criterion.Words()), orNone(engine.ShowDate(it.Date)))
		}
	case store.ReviewExpiring:
		when := fmt.Sprintf("in %s", plural(it.Days, "day"))
		switch it.Days {
		case 0:
			when = "today is its last day"
		case 1:
			when = "tomorrow"
		}
		what = fmt.Sprintf("%s expires %s (%s; within %d)", it.Criterion, engine.ShowDate(it.Date), when, engine.ExpiryWindow(it.Days))
	case store.ReviewAuditDue:
		what = "last checked " + engine.ShowDate(it.Date)
	}
	return what
}

// inEffectWords says when a suspension recorded after its criterion
// failed took effect: by itself, on the day it failed (evaluation.md §1).
func inEffectWords(it store.ReviewItem) string {
	if it.InEffect == "" || it.InEffect >= it.Date {
		return ""
	}
	return ", in effect from " + engine.ShowDate(it.InEffect)
}

// whole is the selected row's name and what it says, whole: the row is
// cut at the edge of the screen, this is wrapped below the list.
func (r *review) whole() []string {
	if r.list.cursor < 0 || r.list.cursor >= len(r.items) {
		return nil
	}
	it := r.items[r.list.cursor]
	what := reviewWhat(it)
	if it.Kind == store.ReviewSuspended && !it.ReadyToLift {
		// When it was recorded, and when it took effect by itself.
		what = fmt.Sprintf("suspended %s%s", orNone(engine.ShowDate(it.Date)), inEffectWords(it))
		if it.Suspension.By != "" {
			what += " (recorded by " + it.Suspension.By + ")"
		}
		what += ": " + cmp.Or(it.Why, it.Criterion.Words()+" failed")
		if it.Suspension.Reason != "" && !strings.Contains(what, it.Suspension.Reason) {
			what += "; recorded as: " + it.Suspension.Reason
		}
	}
	return wrap(it.Name+": "+what, max(20, r.width-4))
}
