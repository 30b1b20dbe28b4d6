package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

type referralsLoadedMsg struct {
	rows []store.ReferralRow
	err  error
}

var referralSorts = []string{"next step", "deadline", "id"}

// referrals is screen 3, the triage queue: every referral with its status,
// authority, category, child reference, deadline, invited and bids.
type referrals struct {
	ctx           *Context
	keys          keymap.Referrals
	rows          []store.ReferralRow
	shown         []int
	err           error
	loaded        bool
	input         textinput.Model
	filtering     bool
	status        int // index into store.ReferralStatuses(), -1 all
	sortBy        int
	cursor        int
	offset        int
	width, height int
}

func newReferrals(ctx *Context) *referrals {
	in := newInput()
	in.Prompt = "/"
	in.Placeholder = "id, authority, category or case reference"
	l := &referrals{ctx: ctx, keys: keymap.NewReferrals(), input: in, status: -1}
	// The rows are cheap to read: read them now, so keys typed at once
	// find them; changes reload in the background.
	l.Update(l.load()())
	return l
}

func (l *referrals) Title() string   { return "Referrals" }
func (l *referrals) Capturing() bool { return l.filtering }
func (l *referrals) SetSize(w, h int) {
	l.width, l.height = w, h
	l.clamp()
}

func (l *referrals) Init() tea.Cmd { return nil }

func (l *referrals) load() tea.Cmd {
	s := l.ctx.Store
	return func() tea.Msg {
		rows, err := s.ReferralRows()
		return referralsLoadedMsg{rows, err}
	}
}

func (l *referrals) Back() (bool, tea.Cmd) {
	if l.input.Value() != "" {
		l.input.SetValue("")
		l.refresh()
		return true, nil
	}
	return false, nil
}

func (l *referrals) ShortHelp() []keyBinding {
	if l.filtering {
		return []keyBinding{bind("enter", "keep filter"), bind("esc", "clear")}
	}
	k := l.keys
	k.New.SetEnabled(l.ctx.Store.CanWrite() == nil)
	return []keyBinding{k.Up, k.Down, k.Open, k.New, k.Filter, k.Status, k.Sort}
}

func (l *referrals) FullHelp() [][]keyBinding {
	k := l.keys
	return [][]keyBinding{{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open}, {k.New, k.Filter, k.Status, k.Sort}}
}

func (l *referrals) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case referralsLoadedMsg:
		l.rows, l.err, l.loaded = msg.rows, msg.err, true
		l.refresh()
	case storeChangedMsg:
		return l, l.load()
	case tea.KeyMsg:
		if l.filtering {
			switch msg.String() {
			case "enter", "up", "down":
				l.filtering = false
				l.input.Blur()
			case "esc", "ctrl+c":
				l.filtering = false
				l.input.Blur()
				l.input.SetValue("")
				l.refresh()
				return l, nil
			default:
				var cmd tea.Cmd
				l.input, cmd = l.input.Update(msg)
				l.refresh()
				return l, cmd
			}
		}
		return l, l.key(msg)
	}
	return l, nil
}

func (l *referrals) key(msg tea.KeyMsg) tea.Cmd {
	k := l.keys
	if c, ok := moveCursor(k.List, msg, l.cursor, len(l.shown), max(1, l.height-3)); ok {
		l.cursor = c
		l.clamp()
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		l.filtering = true
		return l.input.Focus()
	case key.Matches(msg, k.Status):
		l.status = cycle(l.status, len(store.ReferralStatuses()))
		l.refresh()
	case key.Matches(msg, k.Sort):
		l.sortBy = (l.sortBy + 1) % len(referralSorts)
		l.refresh()
	case key.Matches(msg, k.New):
		if l.ctx.Store.CanWrite() != nil {
			return failure(l.ctx.Store.CanWrite())
		}
		return l.ctx.open(newBuilder(l.ctx, nil))
	case key.Matches(msg, k.Open):
		if l.cursor < len(l.shown) {
			return l.ctx.open(newReferralPage(l.ctx, l.rows[l.shown[l.cursor]].ID))
		}
	}
	return nil
}

// refresh applies the filter, the status filter and the sort.
func (l *referrals) refresh() {
	q := strings.ToLower(strings.TrimSpace(l.input.Value()))
	l.shown = l.shown[:0]
	for i, row := range l.rows {
		r := row
		if l.status >= 0 && r.Status != store.ReferralStatuses()[l.status] {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(r.ID+" "+r.Authority+" "+r.Category+" "+r.ChildRef+" "+string(r.Status)), q) {
			continue
		}
		l.shown = append(l.shown, i)
	}
	rank := func(s store.ReferralStatus) int { return slices.Index(store.ReferralStatuses(), s) }
	slices.SortStableFunc(l.shown, func(a, b int) int {
		ra, rb := l.rows[a], l.rows[b]
		switch l.sortBy {
		case 0: // the triage order: what moves next first, soonest deadline first
			return cmp.Or(rank(ra.Status)-rank(rb.Status), ra.Deadline.Compare(rb.Deadline), strings.Compare(ra.ID, rb.ID))
		case 1:
			return cmp.Or(ra.Deadline.Compare(rb.Deadline), strings.Compare(ra.ID, rb.ID))
		}
		return strings.Compare(ra.ID, rb.ID)
	})
	l.clamp()
}

func (l *referrals) clamp() {
	l.cursor = max(0, min(l.cursor, len(l.shown)-1))
	h := max(1, l.height-3)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
}

func (l *referrals) View() string {
	st, el := l.ctx.Styles, l.ctx.Glyphs.Ellipsis
	var b strings.Builder
	if l.filtering || l.input.Value() != "" {
		b.WriteString(l.input.View())
	} else {
		b.WriteString(st.Muted.Render("/ to filter"))
	}
	status := "all"
	if l.status >= 0 {
		status = store.ReferralStatuses()[l.status].Title()
	}
	b.WriteString(st.Muted.Render(fmt.Sprintf("  status: %s · sort: %s", status, referralSorts[l.sortBy])) + "\n")
	c := referralColumnsFor(l.width)
	b.WriteString(st.Label.Render("  "+cell("Referral", c.id, el)+" "+cell("Status", c.status, el)+" "+cell("Auth", 4, el)+" "+
		cell("Category", c.cat, el)+" "+cell("Case ref", c.ref, el)+" "+cell(map[bool]string{true: "Deadline", false: "Due"}[c.deadline >= 16], c.deadline, el)+" "+rcell("Inv", 3, el)+" "+rcell("Bids", 4, el)) + "\n")
	switch {
	case l.err != nil:
		b.WriteString("  The referrals could not be read: " + l.err.Error() + "\n")
	case !l.loaded:
		b.WriteString("  Reading the referrals" + el + "\n")
	case len(l.shown) == 0:
		b.WriteString("  No referral here. n starts one.\n")
	}
	h := max(1, l.height-3)
	for i := l.offset; i < min(len(l.shown), l.offset+h); i++ {
		r := l.rows[l.shown[i]]
		cur := "  "
		if i == l.cursor {
			cur = l.ctx.Glyphs.Cursor + " "
		}
		deadline := "-"
		if !r.Deadline.IsZero() {
			deadline = r.Deadline.Local().Format("02 Jan")
			if c.deadline >= 16 {
				deadline = r.Deadline.Local().Format("2006-01-02 15:04")
			}
		}
		line := cur + cell(r.ID, c.id, el) + " " + cell(statusText(r, c.status), c.status, el) + " " + cell(r.Authority, 4, el) + " " +
			cell(r.Category, c.cat, el) + " " + cell(r.ChildRef, c.ref, el) + " " + cell(deadline, c.deadline, el) + " " +
			rcell(fmt.Sprint(r.Invited), 3, el) + " " + rcell(fmt.Sprint(r.Bids), 4, el)
		if i == l.cursor {
			line = st.Selected.Render(fitLine(line, l.width, el))
		}
		b.WriteString(line + "\n")
	}
	for i := len(l.shown) - l.offset; i < h; i++ {
		b.WriteString("\n")
	}
	b.WriteString(st.Muted.Render(fmt.Sprintf("  %d of %s", len(l.shown), plural(len(l.rows), "referral"))))
	return b.String()
}

type referralColumns struct{ id, status, cat, ref, deadline int }

func referralColumnsFor(w int) referralColumns {
	c := referralColumns{id: 13, status: 15, cat: 8, deadline: 6}
	if w >= 110 {
		c.status, c.deadline, c.cat = 22, 16, 12
	}
	c.ref = max(10, w-2-c.id-c.status-4-c.cat-c.deadline-3-4-7)
	return c
}

// statusText says a status in the room there is; a referral waiting for
// the family shows when to follow up.
func statusText(r store.ReferralRow, w int) string {
	if r.FollowUp != "" {
		if d, err := time.Parse(time.DateOnly, r.FollowUp); err == nil {
			return "follow up " + d.Format("2 Jan")
		}
	}
	if r.Status == store.RefParentChoice && w < len(r.Status.Title()) {
		return "parent choice"
	}
	return r.Status.Title()
}
