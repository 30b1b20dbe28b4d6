package ui

import (
	"fmt"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
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
	ctx           *Context
	keys          keymap.Audit
	entries       []store.AuditEntry             // newest first
	words         []store.EntryWords             // each entry's record and action in words
	changes       map[uint64][]store.ChangeWords // changes in words, for entries shown
	search        []string                       // what a filter matches, per entry
	shown         []int
	err           error
	verified      *auditVerifiedMsg
	input         textinput.Model
	filtering     bool
	since         string
	expanded      map[uint64]bool
	cursor        int
	width, height int
	modal
}

func newAudit(ctx *Context) *audit {
	in := newInput()
	in.Prompt = "/"
	in.Placeholder = "name, id, actor or action"
	return &audit{ctx: ctx, keys: keymap.NewAudit(), input: in, expanded: map[uint64]bool{}}
}

func (a *audit) Title() string    { return "Audit" }
func (a *audit) Capturing() bool  { return a.filtering || a.asking() }
func (a *audit) SetSize(w, h int) { a.width, a.height = w, h }
func (a *audit) Init() tea.Cmd    { return tea.Batch(a.load(), a.verify()) }

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
	if a.input.Value() != "" || a.since != "" {
		a.input.SetValue("")
		a.since = ""
		a.refresh()
		return true, nil
	}
	return false, nil
}

func (a *audit) ShortHelp() []keyBinding {
	if a.filtering {
		return []keyBinding{bind("enter", "keep filter"), bind("esc", "clear")}
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
	switch msg := msg.(type) {
	case auditLoadedMsg:
		a.entries, a.words, a.err = msg.entries, msg.words, msg.err
		a.changes = map[uint64][]store.ChangeWords{}
		a.search = make([]string, len(a.entries))
		for i, e := range a.entries {
			a.search[i] = a.words[i].Search(e)
		}
		a.refresh()
	case auditVerifiedMsg:
		a.verified = &msg
	case storeChangedMsg:
		return a, tea.Batch(a.load(), a.verify())
	case tea.KeyMsg:
		if handled, cmd := a.handle(msg); handled {
			return a, cmd
		}
		if a.filtering {
			switch msg.String() {
			case "enter", "up", "down":
				a.filtering = false
				a.input.Blur()
				return a, nil
			case "esc", "ctrl+c":
				a.filtering = false
				a.input.Blur()
				a.input.SetValue("")
				a.refresh()
				return a, nil
			}
			var cmd tea.Cmd
			a.input, cmd = a.input.Update(msg)
			a.refresh()
			return a, cmd
		}
		k := a.keys
		if c, ok := moveCursor(k.List, msg, a.cursor, len(a.shown), max(1, a.height/3)); ok {
			a.cursor = max(0, min(c, len(a.shown)-1))
			return a, nil
		}
		switch {
		case key.Matches(msg, k.Filter):
			a.filtering = true
			return a, a.input.Focus()
		case key.Matches(msg, k.Since):
			a.prompt = newPrompt("Entries since (a date, empty for all)", "", "e.g. "+engine.DateText(a.ctx.Now().AddDate(0, 0, -7)), func(v string) tea.Cmd {
				if v != "" {
					iso, err := engine.ISODate(v)
					if err != nil {
						return failure(err)
					}
					v = iso
				}
				a.since = v
				a.refresh()
				return nil
			})
		case key.Matches(msg, k.Open):
			if a.cursor < len(a.shown) {
				seq := a.entries[a.shown[a.cursor]].Seq
				a.expanded[seq] = !a.expanded[seq]
			}
		case key.Matches(msg, k.Verify):
			a.verified = nil
			return a, a.verify()
		}
	}
	return a, nil
}

func (a *audit) refresh() {
	q := strings.ToLower(strings.TrimSpace(a.input.Value()))
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
	a.cursor = max(0, min(a.cursor, len(a.shown)-1))
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
	filter := st.Muted.Render("/ to filter · d since a date")
	if a.filtering || a.input.Value() != "" {
		filter = a.input.View()
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
	for i := max(0, a.cursor-1); i < len(a.shown) && len(body) < h; i++ {
		e := a.entries[a.shown[i]]
		cur := "  "
		if i == a.cursor {
			cur = g.Cursor + " "
		}
		w := a.words[a.shown[i]]
		when := engine.DateText(e.Time.Local()) + " " + e.Time.Local().Format("15:04")
		line := fmt.Sprintf("%s#%-5d %-17s %-12s %s", cur, e.Seq, when, cell(e.Actor, 12, g.Ellipsis), w.Text())
		if i == a.cursor {
			line = st.Selected.Render(fitLine(line, a.width, g.Ellipsis))
		}
		body = append(body, line)
		changes, ok := a.changes[e.Seq]
		if !ok {
			// Said in words when first shown: names as they are now.
			changes = a.ctx.Store.DescribeEntry(e).Changes
			a.changes[e.Seq] = changes
		}
		more := 0
		if !a.expanded[e.Seq] && len(changes) > 2 {
			changes, more = changes[:2], len(changes)-2
		}
		for _, c := range changes {
			body = append(body, st.Muted.Render("            "+c.Line()))
		}
		if more > 0 {
			body = append(body, st.Muted.Render(fmt.Sprintf("            %s %d more (enter shows them)", g.Ellipsis, more)))
		}
	}
	lines = append(lines, body...)
	for len(lines) < a.height-1 {
		lines = append(lines, "")
	}
	lines = lines[:max(0, a.height-1)]
	foot := st.Muted.Render(fmt.Sprintf("  %d of the newest %s", len(a.shown), plural(len(a.entries), "entry")))
	if a.prompt != nil {
		return strings.Join(lines[:max(0, len(lines)-2)], "\n") + "\n" + a.prompt.view(st, a.width) + "\n" + foot
	}
	return strings.Join(lines, "\n") + "\n" + foot
}
