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
	tea "github.com/charmbracelet/bubbletea"
)

type (
	referralsLoadedMsg struct {
		rows []store.ReferralRow
		err  error
	}
	// referralSavedMsg says a referral was saved: the list puts its
	// cursor on it.
	referralSavedMsg struct{ id string }
)

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
	filter        filterLine
	status        int // index into store.ReferralStatuses(), -1 all
	sortBy        int
	list          list
	width, height int
	// follow is a referral to put the cursor on once it is read (one
	// just saved).
	follow string
}

func newReferrals(ctx *Context) *referrals {
	keys := keymap.NewReferrals()
	l := &referrals{ctx: ctx, keys: keys, filter: newFilterLine("id, authority, category or case reference"), status: -1, list: newList(keys.List)}
	// The rows are cheap to read: read them now, so keys typed at once
	// find them; changes reload in the background.
	l.Update(l.load()())
	return l
}

func (l *referrals) Title() string   { return "Referrals" }
func (l *referrals) Capturing() bool { return l.filter.active }
func (l *referrals) SetSize(w, h int) {
	l.width, l.height = w, h
	l.filter.resize(w - 30)
	l.list.resize(h - 3)
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
	if l.filter.clear() {
		l.refresh()
		return true, nil
	}
	return false, nil
}

func (l *referrals) ShortHelp() []keyBinding {
	if l.filter.active {
		return l.filter.help()
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
		if l.follow != "" {
			l.list.follow(l.follow, l.idAt)
			l.follow = ""
		}
	case referralSavedMsg:
		l.follow = msg.id
		return l, l.load()
	case storeChangedMsg:
		return l, l.load()
	case tea.KeyMsg:
		if l.filter.active {
			ev, cmd := l.filter.key(msg)
			l.refresh()
			if ev == filterTyped || ev == filterCleared {
				return l, cmd // enter opens the referral found, an arrow moves
			}
		}
		return l, l.key(msg)
	}
	return l, nil
}

func (l *referrals) key(msg tea.KeyMsg) tea.Cmd {
	k := l.keys
	if l.list.move(msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		return l.filter.focus()
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
		l.ctx.open(newBuilder(l.ctx, nil))
		return nil
	case key.Matches(msg, k.Open):
		if i, ok := l.list.at(); ok {
			l.ctx.open(newReferralPage(l.ctx, l.idAt(i)))
			return nil
		}
	}
	return nil
}

// refresh applies the filter, the status filter and the sort.
func (l *referrals) refresh() {
	was := ""
	if i, ok := l.list.at(); ok && i < len(l.shown) {
		was = l.idAt(i)
	}
	q := strings.ToLower(strings.TrimSpace(l.filter.value()))
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
	l.list.setLen(len(l.shown))
	l.list.follow(was, l.idAt)
}

func (l *referrals) idAt(i int) string { return l.rows[l.shown[i]].ID }

func (l *referrals) View() string {
	st, el := l.ctx.Styles, l.ctx.Glyphs.Ellipsis
	var b strings.Builder
	b.WriteString(l.filter.view(st, l.keys.Filter))
	status := "all"
	if l.status >= 0 {
		status = store.ReferralStatuses()[l.status].Title()
	}
	b.WriteString(st.Muted.Render(fmt.Sprintf("  status: %s · sort: %s", status, referralSorts[l.sortBy])) + "\n")
	now := l.ctx.Now()
	otherYear := false // a deadline not in this year is shown with its year
	for _, i := range l.shown {
		if d := l.rows[i].Deadline; !d.IsZero() && d.Local().Year() != now.Year() {
			otherYear = true
		}
	}
	c := referralColumnsFor(l.width, otherYear)
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
	from, to := l.list.window()
	for i := from; i < to; i++ {
		r := l.rows[l.shown[i]]
		cur := "  "
		if i == l.list.cursor {
			cur = l.ctx.Glyphs.Cursor + " "
		}
		deadline := "-"
		if !r.Deadline.IsZero() {
			deadline = shortDate(r.Deadline.Local(), now)
			if c.deadline >= 16 {
				deadline = r.Deadline.Local().Format(dateTime)
			}
		}
		line := cur + cell(r.ID, c.id, el) + " " + cell(statusText(r, c.status), c.status, el) + " " + cell(r.Authority, 4, el) + " " +
			cell(r.Category, c.cat, el) + " " + cell(r.ChildRef, c.ref, el) + " " + cell(deadline, c.deadline, el) + " " +
			rcell(fmt.Sprint(r.Invited), 3, el) + " " + rcell(fmt.Sprint(r.Bids), 4, el)
		if i == l.list.cursor {
			line = st.Selected.Render(fitLine(line, l.width, el))
		}
		b.WriteString(line + "\n")
	}
	for i := to - from; i < l.list.height; i++ {
		b.WriteString("\n")
	}
	b.WriteString(st.Muted.Render(fmt.Sprintf("  %d of %s", len(l.shown), plural(len(l.rows), "referral"))))
	return b.String()
}

type referralColumns struct{ id, status, cat, ref, deadline int }

// referralColumnsFor lays the list out in w columns; otherYear makes room
// for a deadline's year (11 columns, "20 Feb 2025"), taken from the case
// reference down to 15 (a whole WSCC/EHCP/12345) and then the category.
func referralColumnsFor(w int, otherYear bool) referralColumns {
	c := referralColumns{id: 13, status: 15, cat: 8, deadline: 6}
	if w >= 110 {
		c.status, c.deadline, c.cat = 22, 17, 12
	} else if otherYear {
		c.deadline = 11
	}
	rest := func() int { return w - 2 - c.id - c.status - 4 - c.cat - c.deadline - 3 - 4 - 7 }
	for rest() < 15 && c.cat > 6 {
		c.cat--
	}
	c.ref = max(10, rest())
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
