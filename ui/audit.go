package ui

import (
	"fmt"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// auditLimit is how many of the newest entries the screen reads.
const auditLimit = 5000

type (
	auditLoadedMsg struct {
		entries []store.AuditEntry
		words   []store.EntryWords
		err     error
	}
	auditVerifiedMsg struct {
		problems []store.Problem
		err      error
	}
)

// audit is screen 5: the audit trail, newest first, filterable by record,
// actor, action and date, each entry with what changed; the header says
// whether the hash chain verifies.
type audit struct {
	ctx     *Context
	keys    keymap.Audit
	entries []store.AuditEntry // newest first
	words   []store.EntryWords // each entry's record and action in words
	search  []string           // what a filter matches, per entry
	// changes are the changes in words of the entries on screen (and
	// those shown before), said in Update so that drawing reads only.
	changes       map[uint64][]store.ChangeWords
	shown         []int
	err           error
	verified      *auditVerifiedMsg
	filter        filterLine
	since         string
	expanded      map[uint64]bool
	list          list // the cursor; entries take several lines each
	width, height int
	modal
}

func newAudit(ctx *Context) *audit {
	keys := keymap.NewAudit()
	return &audit{ctx: ctx, keys: keys, filter: newFilterLine("name, id, actor or action"), expanded: map[uint64]bool{}, list: newList(keys.List)}
}

func (a *audit) Title() string   { return "Audit" }
func (a *audit) Capturing() bool { return a.filter.active || a.asking() }
func (a *audit) SetSize(w, h int) {
	a.width, a.height = w, h
	a.filter.resize(w - 30)
	a.list.resize(max(1, h/3))
}
func (a *audit) Init() tea.Cmd { return tea.Batch(a.load(), a.verify()) }

func (a *audit) load() tea.Cmd {
	s := a.ctx.Store
	return func() tea.Msg {
		es, err := s.Audit(store.AuditFilter{Limit: auditLimit})
		for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
			es[i], es[j] = es[j], es[i]
		}
		return auditLoadedMsg{es, s.DescribeRecords(es), err}
	}
}

func (a *audit) verify() tea.Cmd {
	s := a.ctx.Store
	return func() tea.Msg {
		ps, err := s.Verify()
		return auditVerifiedMsg{ps, err}
	}
}

func (a *audit) Back() (bool, tea.Cmd) {
	if a.filter.value() != "" || a.since != "" {
		a.filter.clear()
		a.since = ""
		a.refresh()
		return true, nil
	}
	return false, nil
}

func (a *audit) ShortHelp() []keyBinding {
	if a.filter.active {
		return a.filter.help()
	}
	if a.asking() {
		return a.modal.help()
	}
	k := a.keys
	return []keyBinding{k.Up, k.Down, k.Open, k.Filter, k.Since, k.Verify}
}

func (a *audit) FullHelp() [][]keyBinding {
	k := a.keys
	return [][]keyBinding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open}, {k.Filter, k.Since, k.Verify}}
}

func (a *audit) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer a.describeShown()
	switch msg := msg.(type) {
	case auditLoadedMsg:
		a.entries, a.words, a.err = msg.entries, msg.words, msg.err
		a.search = make([]string, len(a.entries))
		for i, e := range a.entries {
			a.search[i] = a.words[i].Search(e)
		}
		a.changes = map[uint64][]store.ChangeWords{}
		a.refresh()
	case auditVerifiedMsg:
		a.verified = &msg
	case storeChangedMsg:
		return a, tea.Batch(a.load(), a.verify())
	case tea.KeyMsg:
		if handled, cmd := a.handle(msg); handled {
			return a, cmd
		}
		if a.filter.active {
			_, cmd := a.filter.key(msg)
			a.refresh()
			return a, cmd
		}
		k := a.keys
		if a.list.move(msg) {
			return a, nil
		}
		switch {
		case key.Matches(msg, k.Filter):
			return a, a.filter.focus()
		case key.Matches(msg, k.Since):
			a.prompt = newPrompt("Entries since (a date, empty for all)", engine.ShowDate(a.since), "e.g. "+engine.DateText(a.ctx.Now().AddDate(0, 0, -7)), func(v string) tea.Cmd {
				if v != "" {
					v, _ = engine.ISODate(v) // checked below
				}
				a.since = v
				a.refresh()
				return nil
			})
			a.prompt.check = func(v string) string {
				if v == "" {
					return ""
				}
				if _, err := engine.ISODate(v); err != nil {
					return err.Error()
				}
				return ""
			}
		case key.Matches(msg, k.Open):
			if i, ok := a.list.at(); ok {
				seq := a.entries[a.shown[i]].Seq
				a.expanded[seq] = !a.expanded[seq]
			}
		case key.Matches(msg, k.Verify):
			a.verified = nil
			return a, a.verify()
		}
	}
	return a, nil
}

// changeIndent is where an entry's changes (and the rest of its
// wrapped headline) start.
const changeIndent = 12

// wrapFirst wraps s into a first line of at most first columns and the
// rest in lines of at most rest columns: a headline beside its entry's
// number, time and actor, going on below them.
func wrapFirst(s string, first, rest int) (string, []string) {
	first, rest = max(10, first), max(10, rest)
	if lipglossWidth(s) <= first {
		return s, nil
	}
	head := wrap(s, first)[0]
	tail := strings.TrimSpace(strings.TrimPrefix(s, head))
	if tail == "" {
		return head, nil
	}
	return head, wrap(tail, rest)
}

// describeShown says in words the changes of the entries that can be on
// screen (from the one before the cursor, at most a screenful), once
// each: names as they are now.
func (a *audit) describeShown() {
	if a.changes == nil {
		return
	}
	var todo []store.AuditEntry
	for i := max(0, a.list.cursor-1); i < len(a.shown) && i < a.list.cursor+max(1, a.height); i++ {
		if e := a.entries[a.shown[i]]; a.changes[e.Seq] == nil {
			todo = append(todo, e)
		}
	}
	if len(todo) == 0 {
		return
	}
	for i, w := range a.ctx.Store.Describe(todo) {
		a.changes[todo[i].Seq] = append([]store.ChangeWords{}, w.Changes...)
	}
}

func (a *audit) refresh() {
	q := strings.ToLower(strings.TrimSpace(a.filter.value()))
	var since time.Time
	if a.since != "" {
		since, _ = time.ParseInLocation(time.DateOnly, a.since, time.Local)
	}
	a.shown = a.shown[:0]
	for i, e := range a.entries {
		if !since.IsZero() && e.Time.Before(since) {
			continue
		}
		if q != "" && !strings.Contains(a.search[i], q) {
			continue
		}
		a.shown = append(a.shown, i)
	}
	a.list.setLen(len(a.shown))
}

func (a *audit) View() string {
	st, g := a.ctx.Styles, a.ctx.Glyphs
	var head string
	switch v := a.verified; {
	case v == nil:
		head = "Verifying the audit chain" + g.Ellipsis
	case v.err != nil:
		head = st.Error.Render("The audit chain could not be checked: " + v.err.Error())
	case len(v.problems) == 0:
		head = st.Good.Render("Audit chain verified: no entry edited, removed or reordered")
	default:
		head = st.Bad.Render(fmt.Sprintf("AUDIT CHAIN BROKEN: %s (and %d more problems; dpsdesk verify lists them)", v.problems[0], len(v.problems)-1))
	}
	lines := []string{" " + head}
	filter := a.filter.view(st, a.keys.Filter)
	if !a.filter.active && a.filter.value() == "" {
		filter += st.Muted.Render(" · " + a.keys.Since.Help().Key + " since a date")
	}
	if a.since != "" {
		filter += st.Muted.Render("  since " + engine.ShowDate(a.since))
	}
	lines = append(lines, filter)
	if a.err != nil {
		lines = append(lines, "  The audit trail could not be read: "+a.err.Error())
	}
	// Entries from the one before the cursor, as many as fit.
	h := a.height - 3
	if a.asking() {
		h -= 2
	}
	var body []string
	for i := max(0, a.list.cursor-1); i < len(a.shown) && len(body) < h; i++ {
		e := a.entries[a.shown[i]]
		cur := "  "
		if i == a.list.cursor {
			cur = g.Cursor + " "
		}
		when := engine.DateText(e.Time.Local()) + " " + e.Time.Local().Format("15:04")
		head := fmt.Sprintf("%s#%-5d %-17s %-12s ", cur, e.Seq, when, cell(e.Actor, 12, g.Ellipsis))
		whole := i == a.list.cursor || a.expanded[e.Seq] // said whole, wrapped, never cut
		title := a.words[a.shown[i]].Headline()
		if !whole {
			body = append(body, fitLine(head+title, a.width, g.Ellipsis))
		} else {
			first, rest := wrapFirst(title, a.width-lipglossWidth(head), a.width-changeIndent)
			line := head + first
			if i == a.list.cursor {
				line = st.Selected.Render(line)
			}
			body = append(body, line)
			for _, l := range rest {
				body = append(body, strings.Repeat(" ", changeIndent)+l)
			}
		}
		changes := a.changes[e.Seq] // said in words in Update (describeShown)
		more := 0
		if !a.expanded[e.Seq] && len(changes) > 2 {
			changes, more = changes[:2], len(changes)-2
		}
		for _, c := range changes {
			if !whole {
				body = append(body, st.Muted.Render(fitLine(strings.Repeat(" ", changeIndent)+c.Line(), a.width, g.Ellipsis)))
				continue
			}
			for j, l := range wrap(c.Line(), max(10, a.width-changeIndent-2)) {
				pad := changeIndent
				if j > 0 {
					pad += 2
				}
				body = append(body, st.Muted.Render(strings.Repeat(" ", pad)+l))
			}
		}
		if more > 0 {
			body = append(body, st.Muted.Render(fmt.Sprintf("            %s %d more (%s shows them)", g.Ellipsis, more, a.keys.Open.Help().Key)))
		}
	}
	lines = append(lines, body...)
	for len(lines) < a.height-1 {
		lines = append(lines, "")
	}
	lines = lines[:max(0, a.height-1)]
	foot := st.Muted.Render(fmt.Sprintf("  %d of the newest %s", len(a.shown), plural(len(a.entries), "entry")))
	if a.prompt != nil {
		pv := a.prompt.view(st, a.width)
		return strings.Join(lines[:max(0, len(lines)-1-strings.Count(pv, "\n"))], "\n") + "\n" + pv + "\n" + foot
	}
	return strings.Join(lines, "\n") + "\n" + foot
}
