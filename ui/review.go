package ui

import (
	"errors"
	"fmt"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

type reviewLoadedMsg struct {
	items []store.ReviewItem
	err   error
}

// review is screen 2, the morning queue: what must be suspended now, what
// is suspended and what lifts it, evidence about to lapse, audits due.
type review struct {
	ctx           *Context
	keys          keymap.Review
	items         []store.ReviewItem
	err           error
	loaded        bool
	list          list  // the cursor and marks, by item
	page          pager // the lines: items under their headings
	width, height int
	modal
}

func newReview(ctx *Context) *review {
	keys := keymap.NewReview()
	return &review{ctx: ctx, keys: keys, list: newList(keys.List)}
}

func (r *review) Title() string   { return "Review" }
func (r *review) Capturing() bool { return r.asking() }
func (r *review) SetSize(w, h int) {
	r.width, r.height = w, h
	r.list.resize(h - 2)
	r.page.height = max(1, h-2) // two lines below for the count, a prompt or a question
}

func (r *review) Init() tea.Cmd { return r.load() }

func (r *review) load() tea.Cmd {
	s, now := r.ctx.Store, r.ctx.Now()
	return func() tea.Msg {
		items, err := s.ReviewQueue(now)
		return reviewLoadedMsg{items, err}
	}
}

// Back clears the marks before leaving.
func (r *review) Back() (bool, tea.Cmd) {
	if r.list.unmark() {
		return true, status("Marks cleared")
	}
	return false, nil
}

func (r *review) ShortHelp() []keyBinding {
	if r.asking() {
		return r.modal.help()
	}
	k := r.enabled()
	return []keyBinding{k.Up, k.Down, k.Mark, k.Suspend, k.Lift, k.Evidence, k.Open, k.Exclude, k.Withdraw}
}

func (r *review) FullHelp() [][]keyBinding {
	k := r.enabled()
	return [][]keyBinding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open}, {k.Mark, k.Suspend, k.Lift, k.Evidence, k.Exclude, k.Withdraw, k.Refresh}}
}

// enabled turns off the keys that do nothing on the selected rows.
func (r *review) enabled() keymap.Review {
	k := r.keys
	sel := r.selection()
	ro := r.ctx.Store.CanWrite() != nil
	all := func(kind store.ReviewKind) bool {
		if len(sel) == 0 {
			return false
		}
		for _, it := range sel {
			if it.Kind != kind {
				return false
			}
		}
		return true
	}
	k.Suspend.SetEnabled(!ro && all(store.ReviewMustSuspend))
	k.Lift.SetEnabled(!ro && all(store.ReviewSuspended))
	k.Evidence.SetEnabled(!ro && len(r.items) > 0)
	k.Exclude.SetEnabled(!ro && len(sel) > 0)
	k.Withdraw.SetEnabled(!ro && len(sel) > 0)
	k.Mark.SetEnabled(len(r.items) > 0)
	return k
}

// selection is the marked rows, or the row under the cursor.
func (r *review) selection() []store.ReviewItem {
	var out []store.ReviewItem
	for _, it := range r.items {
		if r.list.marked[itemKey(it)] {
			out = append(out, it)
		}
	}
	if i, ok := r.list.at(); len(out) == 0 && ok {
		out = append(out, r.items[i])
	}
	return out
}

// itemKey names a queue row: an establishment can be in the queue for
// more than one reason.
func itemKey(it store.ReviewItem) string { return fmt.Sprintf("%s|%d", it.ID, it.Kind) }

func (r *review) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case reviewLoadedMsg:
		was := ""
		if i, ok := r.list.at(); ok && i < len(r.items) {
			was = itemKey(r.items[i])
		}
		r.items, r.err, r.loaded = msg.items, msg.err, true
		r.list.unmark()
		r.list.setLen(len(r.items))
		// The cursor stays on what was looked at; if that row left the
		// queue (suspended, lifted), on the one now in its place.
		r.list.follow(was, func(i int) string { return itemKey(r.items[i]) })
		if was != "" && len(r.items) > 0 && itemKey(r.items[r.list.cursor]) != was {
			r.list.follow(strings.Split(was, "|")[0], func(i int) string { return r.items[i].ID })
		}
		r.scrollToCursor()
	case storeChangedMsg:
		return r, r.load()
	case tea.KeyMsg:
		if handled, cmd := r.handle(msg); handled {
			return r, cmd
		}
		return r, r.key(msg)
	}
	return r, nil
}

func (r *review) key(msg tea.KeyMsg) tea.Cmd {
	k := r.enabled()
	if r.list.move(msg) {
		r.scrollToCursor()
		return nil
	}
	switch {
	case key.Matches(msg, k.Refresh):
		return r.load()
	case key.Matches(msg, k.Mark) && len(r.items) > 0:
		r.list.toggle(itemKey(r.items[r.list.cursor]))
		r.list.cursor++
		r.list.clamp()
		r.scrollToCursor()
	case key.Matches(msg, k.Open) && len(r.items) > 0:
		return r.ctx.open(newDetail(r.ctx, r.items[r.list.cursor].ID))
	case key.Matches(msg, k.Evidence) && len(r.items) > 0:
		return r.ctx.open(newChecklist(r.ctx, r.items[r.list.cursor].ID))
	case key.Matches(msg, r.keys.Suspend, r.keys.Lift, r.keys.Exclude, r.keys.Withdraw) && r.ctx.Store.CanWrite() != nil:
		return failure(r.ctx.Store.CanWrite())
	case key.Matches(msg, r.keys.Suspend):
		if !k.Suspend.Enabled() {
			return failure(fmt.Errorf("only establishments in \"must be suspended now\" can be suspended here: their failed criterion is the reason"))
		}
		return r.askSuspend()
	case key.Matches(msg, r.keys.Lift):
		if !k.Lift.Enabled() {
			return failure(fmt.Errorf("put the cursor on a suspended establishment (or mark only suspended ones) to lift a suspension"))
		}
		return r.askLift(r.selection())
	case key.Matches(msg, r.keys.Exclude, r.keys.Withdraw) && len(r.items) > 0:
		to, verb := engine.Excluded, "Exclude"
		if key.Matches(msg, r.keys.Withdraw) {
			to, verb = engine.Withdrawn, "Withdraw"
		}
		sel := r.selection()
		r.prompt = newPrompt(fmt.Sprintf("%s %s: reason%s", verb, names(sel), who(sel)), "", "why, for the audit trail", func(v string) tea.Cmd {
			if v == "" {
				return failure(fmt.Errorf("say why; nothing changed"))
			}
			return write(func() error { return r.ctx.Store.SetStatus(to, v, ids(sel)...) }, fmt.Sprintf("%s: %s", strings.ToLower(string(to)), names(sel)))
		})
	}
	return nil
}

func (r *review) askSuspend() tea.Cmd {
	sel := r.selection()
	r.confirm = &confirmation{
		question: fmt.Sprintf("Suspend %s%s? Already out of invitations and bids; this records it for every partner until the failed criterion passes. (y/n)", names(sel), who(sel)),
		yes: func() tea.Cmd {
			reqs := make([]store.SuspendRequest, len(sel))
			for i, it := range sel {
				reqs[i] = store.SuspendRequest{ID: it.ID, Criterion: it.Criterion, Reason: it.Why}
			}
			return write(func() error { return r.ctx.Store.SuspendAll(reqs) }, "Suspended "+names(sel))
		},
	}
	return nil
}

// askLift is lifting in one flow. Where every selected suspension's
// criterion passes again, it asks only what lifts it. Otherwise it asks
// for the new evidence of the failed criterion (seen today) and, when the
// criterion's evidence lapses, its new expiry, then records it and lifts
// in one step; if the criterion still fails, nothing is recorded and the
// question stays open with what was typed.
func (r *review) askLift(sel []store.ReviewItem) tea.Cmd {
	ready := true
	for _, it := range sel {
		ready = ready && it.ReadyToLift
	}
	crit := sel[0].Criterion
	for _, it := range sel[1:] {
		if it.Criterion != crit {
			crit = ""
		}
	}
	if !ready && crit == "" {
		return failure(errors.New("these were suspended for different criteria: lift them one at a time, or mark only those ready to lift"))
	}
	label := fmt.Sprintf("Lift %s: evidence that lifts it%s", names(sel), who(sel))
	if !ready {
		label = fmt.Sprintf("Lift %s: new %s evidence seen today%s", names(sel), crit, who(sel))
	}
	forAll := ""
	if len(sel) > 1 {
		forAll = fmt.Sprintf(" for all %d", len(sel))
	}
	var askNote func(value string)
	askNote = func(value string) {
		r.prompt = newPrompt(label, value, "e.g. renewed insurance certificate seen", func(note string) tea.Cmd {
			if note == "" {
				askNote("")
				return failure(fmt.Errorf("say what evidence lifts the suspension; nothing changed"))
			}
			if ready || !hasExpiry(crit) {
				return r.lift(sel, ready, note, "", func() { askNote(note) })
			}
			var askExpiry func(value string)
			askExpiry = func(value string) {
				r.prompt = newPrompt(fmt.Sprintf("New %s expiry%s (YYYY-MM-DD)", crit, forAll), value, "the date the new evidence lapses", func(exp string) tea.Cmd {
					return r.lift(sel, ready, note, exp, func() { askExpiry(exp) })
				})
				r.prompt.initial = ""
			}
			askExpiry("")
			return nil
		})
		r.prompt.initial = ""
	}
	askNote("")
	return nil
}

// lift lifts the selected suspensions, all or none: where all are ready,
// on the evidence that lifts them; otherwise recording the new evidence
// first. On a refusal again asks what was last asked, keeping what was
// typed.
func (r *review) lift(sel []store.ReviewItem, ready bool, note, expires string, again func()) tea.Cmd {
	var err error
	if ready {
		err = r.ctx.Store.LiftAll(ids(sel), note)
	} else {
		reqs := make([]store.LiftRequest, len(sel))
		for i, it := range sel {
			reqs[i] = store.LiftRequest{ID: it.ID, Evidence: note, Expires: expires}
		}
		err = r.ctx.Store.LiftWithEvidence(reqs)
	}
	if err != nil {
		again()
		return failure(fmt.Errorf("%w; nothing changed", err))
	}
	done := "it can be invited again"
	if len(sel) > 1 {
		done = "they can be invited again"
	}
	return tea.Batch(changed, status("Suspension of %s lifted: %s", names(sel), done))
}

func hasExpiry(id engine.CriterionID) bool {
	for _, c := range engine.Criteria() {
		if c.ID == id {
			return c.HasExpiry
		}
	}
	return false
}

func ids(items []store.ReviewItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// names says who an action applies to: one by name, several by count.
func names(items []store.ReviewItem) string {
	if len(items) == 1 {
		return items[0].Name
	}
	return fmt.Sprintf("%d establishments", len(items))
}

// who names the marked rows a bulk question is about, up to three:
// " (Ashcombe Lodge, Oak House and 3 more)"; "" for one.
func who(items []store.ReviewItem) string {
	if len(items) < 2 {
		return ""
	}
	ns := make([]string, 0, 3)
	for _, it := range items[:min(3, len(items))] {
		ns = append(ns, it.Name)
	}
	if len(items) > 3 {
		return fmt.Sprintf(" (%s and %d more)", strings.Join(ns, ", "), len(items)-3)
	}
	return fmt.Sprintf(" (%s and %s)", strings.Join(ns[:len(ns)-1], ", "), ns[len(ns)-1])
}

var reviewHeads = map[store.ReviewKind]string{
	store.ReviewMustSuspend: "Must be suspended now, already out of invitations",
	store.ReviewOutOfSome:   "Below a category's floor: out of those referrals only",
	store.ReviewSuspended:   "Suspended: lifted when the failed criterion passes again",
	store.ReviewExpiring:    fmt.Sprintf("Evidence expiring within %d days", engine.ExpiryWindowsDays()[len(engine.ExpiryWindowsDays())-1]),
	store.ReviewAuditDue:    "Annual audit due: a criterion last checked over a year ago",
}

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
	case len(r.items) == 0:
		return "\n  Nothing to review: no criterion fails, nothing is suspended or about to lapse."
	}
	foot := r.modal.view(st, r.width)
	if foot == "" {
		marked := ""
		if n := len(r.list.marked); n > 0 {
			marked = fmt.Sprintf(" · %d marked (%s): actions apply to all of them; esc clears", n, g.Mark)
		}
		foot = st.Muted.Render(fmt.Sprintf("  %d in the queue%s", len(r.items), marked))
	}
	// The page gives way to a long question, the cursor's line kept in
	// view (on a copy: drawing changes nothing).
	page := r.page
	page.height = max(1, r.height-strings.Count(foot, "\n")-2)
	lines := r.lines()
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.text
		if l.item == r.list.cursor {
			texts[i] = st.Selected.Render(fitLine(l.text, r.width, el))
			page.show(i)
		}
	}
	var b strings.Builder
	for _, t := range page.window(texts) {
		b.WriteString(t + "\n")
	}
	return b.String() + foot
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
	var what string
	switch it.Kind {
	case store.ReviewMustSuspend, store.ReviewOutOfSome:
		what = it.Why
	case store.ReviewSuspended:
		what = fmt.Sprintf("SUSPENDED since %s: %s failed (%s)", orNone(it.Date), orNone(string(it.Criterion)), it.Suspension.Reason)
		if it.Why != "" {
			what = fmt.Sprintf("SUSPENDED %s: %s", orNone(it.Date), it.Why)
		}
		if it.ReadyToLift {
			what = fmt.Sprintf("READY TO LIFT: %s passes again (suspended %s)", orNone(string(it.Criterion)), orNone(it.Date))
		}
	case store.ReviewExpiring:
		when := fmt.Sprintf("in %s", plural(it.Days, "day"))
		switch it.Days {
		case 0:
			when = "today is its last day"
		case 1:
			when = "tomorrow"
		}
		what = fmt.Sprintf("%s expires %s (%s; within %d)", it.Criterion, it.Date, when, engine.ExpiryWindow(it.Days))
	case store.ReviewAuditDue:
		what = "last checked " + it.Date
	}
	nameW := max(16, min(34, r.width/3))
	return cur + mark + " " + cell(it.Name, nameW, el) + " " + what
}
