package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// A fee uplift from the desk (an admin's, business case 11.1): Setup's key
// asks the percentage and the first day (a form), then shows what it
// would change (upliftPage), and applies exactly that on a yes — refused,
// changing nothing, if anything it rests on changed since it was shown.
// `dpsdesk uplift` does the same from the command line.

// upliftPreviewMsg is a preview worked out by the form, for Setup to show.
type upliftPreviewMsg struct {
	req store.UpliftRequest
	pv  *store.UpliftPreview
}

// upliftAgainMsg is the shown preview worked out again after a change.
type upliftAgainMsg upliftPreviewMsg

func newUpliftForm(ctx *Context, c store.Category) *form {
	var shown upliftPreviewMsg
	fields := []*field{
		newField("percent", "Uplift (%)", "", "The percentage on every core weekly cost of "+c.ID+", at most two decimals, e.g. 2.5.", func(v string) string {
			_, err := engine.ParsePercent(v)
			return errText(err)
		}).typed(),
		newField("from", "From", "", "The first day of the new costs, e.g. 1/4/2027.", nil).date(false),
	}
	f := newForm(ctx, "Fee uplift for "+c.ID, fields, func(v map[string]string) error {
		p, err := engine.ParsePercent(v["percent"])
		if err != nil {
			return &store.ValidationError{Record: "uplift of " + c.ID, Problems: []store.FieldError{{Field: "percent", Message: err.Error()}}}
		}
		req := store.UpliftRequest{Category: c.ID, Percent: p, From: v["from"]}
		pv, err := ctx.Store.PreviewUplift(req) // changes nothing
		if err != nil {
			return err
		}
		shown = upliftPreviewMsg{req: req, pv: pv}
		return nil
	})
	f.saved = "Nothing is changed yet: this is what the uplift would change"
	f.done = func() tea.Msg { return shown }
	return f
}

// upliftPage shows a previewed uplift; the apply key asks, then applies it
// as shown.
type upliftPage struct {
	ctx  *Context
	keys keymap.Uplift
	upliftPreviewMsg
	page          pager
	modal         modal
	width, height int
}

func newUpliftPage(ctx *Context, m upliftPreviewMsg) *upliftPage {
	return &upliftPage{ctx: ctx, keys: keymap.NewUplift(), upliftPreviewMsg: m}
}

func (u *upliftPage) Title() string { return "Fee uplift of " + u.pv.Category }
func (u *upliftPage) Init() tea.Cmd { return nil }
func (u *upliftPage) SetSize(w, h int) {
	u.width, u.height = w, h
	u.page.height = max(1, h-2) // the question below
}
func (u *upliftPage) ShortHelp() []keyBinding {
	if u.modal.asking() {
		return u.modal.help()
	}
	k := u.keys
	k.Apply.SetEnabled(!u.ahead()) // not before its first day
	return []keyBinding{k.Apply, k.Down, k.PageDown}
}
func (u *upliftPage) FullHelp() [][]keyBinding {
	k := u.keys
	return [][]keyBinding{{k.Apply, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}

func (u *upliftPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case upliftAgainMsg:
		if msg.req == u.req {
			u.upliftPreviewMsg = upliftPreviewMsg(msg)
		}
	case storeChangedMsg:
		// Another change may move what the uplift would do: show it as it
		// would be now (applying checks it again in any case).
		req := u.req
		return u, func() tea.Msg {
			pv, err := u.ctx.Store.PreviewUplift(req)
			if err != nil {
				return failure(err)()
			}
			return upliftAgainMsg{req: req, pv: pv}
		}
	case tea.KeyMsg:
		return u, u.modal.keyOr(msg, u.key)
	}
	return u, nil
}

func (u *upliftPage) key(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, u.keys.Apply) {
		if err := u.ctx.Store.CanConfigure(); err != nil {
			return failure(err)
		}
		pv, req := u.pv, u.req
		if u.ahead() {
			return failure(fmt.Errorf("an uplift from %s is applied on or after that day: the register's core costs change when it is applied; nothing changed", engine.ShowDate(pv.From)))
		}
		req.Previewed = pv.Digest()
		u.modal.ask(fmt.Sprintf("Apply %s from %s to %s and %s of %s, in one audited change?",
			pv.Percent, engine.ShowDate(pv.From), plural(len(pv.Establishments), "establishment"), plural(len(pv.Placements), "live placement"), pv.Category),
			func() tea.Cmd {
				return write(func() error {
					if _, err := u.ctx.Store.ApplyUplift(req); err != nil {
						return err
					}
					u.ctx.close()
					return nil
				}, fmt.Sprintf("Applied the %s uplift of %s from %s", pv.Percent, pv.Category, engine.ShowDate(pv.From)))
			})
		return nil
	}
	u.page.scroll(u.keys.Scroll, msg, len(u.lines()))
	return nil
}

// lines are the preview at the page's width: what it does in sum first,
// then every establishment and placement.
func (u *upliftPage) lines() []string {
	pv, st, el, w := u.pv, u.ctx.Styles, u.ctx.Glyphs.Ellipsis, max(40, u.width-2)
	var out []string
	add := func(s string) { out = append(out, s) }
	para := func(style lipgloss.Style, s string) {
		for _, l := range wrap(s, w) {
			add(style.Render(l))
		}
	}
	capText := "no cap"
	if pv.CapPence > 0 {
		capText = "cap " + Pounds(pv.CapPence) + " a week"
	}
	para(st.Title, fmt.Sprintf("Fee uplift of %s from %s: %s (%s)", pv.Percent, engine.ShowDate(pv.From), pv.Title, capText))
	if u.ahead() {
		para(st.Warn, "This is a preview: it can be applied on or after "+engine.ShowDate(pv.From)+", not before, because the register's core costs change when it is applied.")
	} else {
		para(st.Muted, "Nothing is changed until you apply it ("+u.keys.Apply.Help().Key+"), and then exactly this, or nothing if anything it rests on has changed meanwhile.")
	}
	if pv.OverCap > 0 {
		para(st.Warn, fmt.Sprintf("%s over the cap: not invited to new %s referrals while it stands.", plural(pv.OverCap, "establishment goes"), pv.Category))
	}
	add("")
	add(st.Label.Render("Annual effect per authority (live placements, 52 weeks)"))
	auths := slices.Sorted(func(yield func(string) bool) {
		for a := range pv.AnnualPence {
			if !yield(a) {
				return
			}
		}
	})
	if len(auths) == 0 {
		add("  none: no live placement in the category")
	}
	for _, a := range auths {
		add("  " + cell(a, 6, el) + " " + rcell(Pounds(pv.AnnualPence[a]), 14, el))
	}
	nameW := max(10, w-2-12-12-2)
	add("")
	add(st.Label.Render(fmt.Sprintf("Establishments (%d): qualified core weekly cost", len(pv.Establishments))))
	add(st.Muted.Render("  " + cell("Name", nameW, el) + " " + rcell("now", 11, el) + " " + rcell("new", 12, el)))
	for _, l := range pv.Establishments {
		line := "  " + cell(l.Name, nameW, el) + " " + rcell(Pounds(l.OldPence), 11, el) + " " + rcell(Pounds(l.NewPence), 12, el)
		if l.OverCap {
			line = st.Warn.Render(line + " over the cap")
		}
		add(line)
	}
	add("")
	add(st.Label.Render(fmt.Sprintf("Live placements (%d): net weekly cost", len(pv.Placements))))
	add(st.Muted.Render("  " + cell("Placement", nameW, el) + " " + rcell("before", 11, el) + " " + rcell("after", 12, el)))
	for _, l := range pv.Placements {
		add("  " + cell(l.ID+" "+l.Authority+" "+l.Name, nameW, el) + " " + rcell(Pounds(l.OldNet), 11, el) + " " + rcell(Pounds(l.NewNet), 12, el))
		if l.From != pv.From {
			add(st.Muted.Render("    from " + engine.ShowDate(l.From) + " (its start or last cost change is later)"))
		}
	}
	return out
}

// ahead reports whether the uplift's first day is still to come: it is
// previewed, not applied, until then.
func (u *upliftPage) ahead() bool {
	return u.pv.From > engine.Day(u.ctx.Now()).Format(time.DateOnly)
}

func (u *upliftPage) View() string {
	var b strings.Builder
	for _, l := range u.page.window(u.lines()) {
		b.WriteString(" " + fitLine(l, max(0, u.width-1), u.ctx.Glyphs.Ellipsis) + "\n")
	}
	b.WriteString(u.modal.view(u.ctx.Styles, u.width))
	return b.String()
}
