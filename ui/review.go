package ui

import (
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
	all           []store.ReviewItem // the queue as read
	items         []store.ReviewItem // those the filter shows
	filter        filterLine
	err           error
	loaded        bool
	list          list  // the cursor and marks, by item
	page          pager // the lines: items under their headings
	width, height int
	modal
}

func newReview(ctx *Context) *review {
	keys := keymap.NewReview()
	return &review{ctx: ctx, keys: keys, list: newList(keys.List), filter: newFilterLine("name, id or criterion")}
}

func (r *review) Title() string   { return "Review" }
func (r *review) Capturing() bool { return r.asking() || r.filter.active }
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

// Back clears the filter, then the marks, before leaving.
func (r *review) Back() (bool, tea.Cmd) {
	if r.filter.clear() {
		r.refilter()
		return true, nil
	}
	if r.list.unmark() {
		return true, status("Marks cleared")
	}
	return false, nil
}

func (r *review) ShortHelp() []keyBinding {
	if r.asking() {
		return r.modal.help()
	}
	if r.filter.active {
		return r.filter.help()
	}
	k := r.enabled()
	return []keyBinding{k.Up, k.Down, k.Mark, k.Suspend, k.Lift, k.Evidence, k.Open, k.Exclude, k.Withdraw, k.Filter}
}

func (r *review) FullHelp() [][]keyBinding {
	k := r.enabled()
	return [][]keyBinding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open}, {k.Mark, k.Suspend, k.Lift, k.Evidence, k.Exclude, k.Withdraw, k.Refresh, k.Filter}}
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
		r.all, r.err, r.loaded = msg.items, msg.err, true
		r.list.unmark()
		r.items = r.filtered()
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
		if r.filter.active {
			ev, cmd := r.filter.key(msg)
			r.refilter()
			if ev != filterLeft {
				return r, cmd
			}
		}
		return r, r.keyOr(msg, r.key)
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
	case key.Matches(msg, k.Filter):
		return r.filter.focus()
	case key.Matches(msg, k.Refresh):
		return r.load()
	case key.Matches(msg, k.Mark) && len(r.items) > 0:
		r.list.toggle(itemKey(r.items[r.list.cursor]))
		r.list.cursor++
		r.list.clamp()
		r.scrollToCursor()
	case key.Matches(msg, k.Open) && len(r.items) > 0:
		r.ctx.open(newDetail(r.ctx, r.items[r.list.cursor].ID))
		return nil
	case key.Matches(msg, k.Evidence) && len(r.items) > 0:
		r.ctx.open(newChecklist(r.ctx, r.items[r.list.cursor].ID))
		return nil
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
		question: fmt.Sprintf("Suspend %s%s? Already out of invitations and bids; this records it for every partner until the failed criterion passes.", names(sel), who(sel)),
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

// filtered are the queue's items the filter finds: by name, id or
// criterion, in any case.
func (r *review) filtered() []store.ReviewItem {
	q := strings.ToLower(strings.TrimSpace(r.filter.value()))
	if q == "" {
		return r.all
	}
	var out []store.ReviewItem
	for _, it := range r.all {
		if strings.Contains(strings.ToLower(it.Name+" "+it.ID+" "+string(it.Criterion)), q) {
			out = append(out, it)
		}
	}
	return out
}

// refilter shows what the filter finds, the cursor kept on its row.
func (r *review) refilter() {
	was := ""
	if i, ok := r.list.at(); ok && i < len(r.items) {
		was = itemKey(r.items[i])
	}
	r.items = r.filtered()
	r.list.setLen(len(r.items))
	if !r.list.follow(was, func(i int) string { return itemKey(r.items[i]) }) {
		r.list.cursor = 0 // the row looked at is filtered out: the best match first
		r.list.clamp()
	}
	r.scrollToCursor()
}
