package ui

import (
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// arrangements lists the DPS arrangements the partnership places through
// and the law each is under (issue 21); an admin adds and changes them.
// Setup opens it with a.
type arrangements struct {
	ctx           *Context
	keys          keymap.Arrangements
	all           []store.Arrangement
	err           error
	list          list
	width, height int
}

// arrangementsLoadedMsg is the arrangements as read.
type arrangementsLoadedMsg struct {
	all []store.Arrangement
	err error
}

func newArrangements(ctx *Context) *arrangements {
	keys := keymap.NewArrangements()
	a := &arrangements{ctx: ctx, keys: keys, list: newList(keys.List)}
	a.list.resize(5)
	a.Update(a.load()()) // the first frame shows them; changes reload through a command
	return a
}

func (a *arrangements) load() tea.Cmd {
	s := a.ctx.Store
	return func() tea.Msg {
		all, err := s.Arrangements()
		return arrangementsLoadedMsg{all, err}
	}
}

func (a *arrangements) Title() string    { return "DPS arrangements" }
func (a *arrangements) Init() tea.Cmd    { return nil }
func (a *arrangements) SetSize(w, h int) { a.width, a.height = w, h }
func (a *arrangements) ShortHelp() []keyBinding {
	k := a.keys
	admin := a.ctx.Store.CanConfigure() == nil
	k.Open.SetEnabled(admin && len(a.all) > 0)
	k.New.SetEnabled(admin)
	return []keyBinding{k.Up, k.Down, k.Open, k.New}
}
func (a *arrangements) FullHelp() [][]keyBinding { return [][]keyBinding{a.ShortHelp()} }

func (a *arrangements) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case arrangementsLoadedMsg:
		a.all, a.err = msg.all, msg.err
		a.list.setLen(len(a.all))
	case storeChangedMsg:
		return a, a.load()
	case tea.KeyMsg:
		if a.list.move(msg) {
			return a, nil
		}
		edit := key.Matches(msg, a.keys.Open) && len(a.all) > 0
		if edit || key.Matches(msg, a.keys.New) {
			if err := a.ctx.Store.CanConfigure(); err != nil {
				return a, failure(err)
			}
			var now *store.Arrangement
			if edit {
				now = &a.all[a.list.cursor]
			}
			a.ctx.open(newArrangementForm(a.ctx, now))
		}
	}
	return a, nil
}

func (a *arrangements) View() string {
	st, el := a.ctx.Styles, a.ctx.Glyphs.Ellipsis
	w := max(0, a.width-3)
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("DPS arrangements") + st.Muted.Render("  each category is placed through one; a referral keeps the one it was issued under") + "\n\n")
	if a.err != nil {
		return b.String() + " " + st.Error.Render("The arrangements cannot be read: "+a.err.Error()) + "\n"
	}
	if len(a.all) == 0 {
		b.WriteString("   " + st.Muted.Render(fitLine("None yet: referrals are issued under no arrangement, and publication is a plain OCDS package.", w, el)) + "\n")
	}
	for i, ar := range a.all {
		cur := "  "
		if i == a.list.cursor {
			cur = a.ctx.Glyphs.Cursor + " "
		}
		line := cur + cell(ar.ID, 14, el) + " " + cell(ar.Regime.Title(), 38, el) + " " + cell(strings.Join(ar.Categories, ", "), max(8, a.width-60), el)
		if i == a.list.cursor {
			line = st.Selected.Render(line)
		}
		b.WriteString(" " + line + "\n")
	}
	if len(a.all) > 0 {
		ar := a.all[a.list.cursor]
		b.WriteString("\n   " + fitLine(store.Printable(ar.Title), w, el) + "\n")
		dates := "established " + engine.ShowDate(ar.Established)
		switch {
		case ar.Ends != "":
			dates += ", ends " + engine.ShowDate(ar.Ends)
		case ar.Regime == store.RegimePCR2015:
			dates += ", ends by " + engine.ShowDate(store.PCR2015DPSLastDay) + " at the latest (SI 2024/716 reg 5)"
		}
		b.WriteString("   " + st.Muted.Render(fitLine(dates, w, el)) + "\n")
		if ar.Regime == store.RegimePA2023 {
			b.WriteString("   " + st.Muted.Render(fitLine("dynamic market "+ar.UniqueID+" · ocid "+ar.OCID, w, el)) + "\n")
			b.WriteString("   " + st.Muted.Render(fitLine("Awards: Find a Tender UK6 after the assessment summaries, UK7 within 120 days.", w, el)) + "\n")
		} else {
			b.WriteString("   " + st.Muted.Render(fitLine("Awards: Contracts Finder (PCR 2015 reg 112), with SME and VCSE status.", w, el)) + "\n")
		}
	}
	b.WriteString("\n")
	if a.ctx.Store.CanConfigure() == nil {
		b.WriteString(" " + st.Muted.Render(fitLine(a.keys.New.Help().Key+" adds one, "+a.keys.Open.Help().Key+" changes the selected one; every change is in the audit trail", w, el)) + "\n")
	} else {
		b.WriteString(" " + st.Muted.Render("Only the partnership's admin changes these.") + "\n")
	}
	return b.String()
}

// arrangementsLine is Setup's line about the arrangements.
func arrangementsLine(ctx *Context, as []store.Arrangement, width int) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, a.ID+" ("+map[store.Regime]string{store.RegimePCR2015: "PCR 2015", store.RegimePA2023: "PA 2023"}[a.Regime]+")")
	}
	text := "none yet"
	if len(parts) > 0 {
		text = strings.Join(parts, ", ")
	}
	key := keymap.NewArrangements().Show.Help().Key
	return " " + fitLine(ctx.Styles.Label.Render("DPS arrangements: ")+text+ctx.Styles.Muted.Render("  ("+key+" shows them)"), max(0, width-2), ctx.Glyphs.Ellipsis) + "\n"
}

// newArrangementForm adds an arrangement (now nil) or changes one; the
// store checks the whole of it on save, each field as it is typed.
func newArrangementForm(ctx *Context, now *store.Arrangement) *form {
	var a store.Arrangement
	title := "New DPS arrangement"
	if now != nil {
		a, title = *now, "Arrangement "+now.ID
	}
	fields := []*field{
		newField("id", "Id", a.ID, "A short id, e.g. SET-DPS-2021.", func(v string) string {
			if strings.TrimSpace(v) == "" {
				return "an id is required"
			}
			return ""
		}),
		newField("title", "Title", a.Title, "e.g. South East Together SEND placements DPS.", func(v string) string {
			if strings.TrimSpace(v) == "" {
				return "a title is required"
			}
			return ""
		}),
		newField("regime", "Regime", string(a.Regime), "pcr2015-dps (set up before 24 Feb 2025) or pa2023-dynamic-market.", func(v string) string {
			if !slices.Contains(store.Regimes, store.Regime(strings.TrimSpace(v))) {
				return "pcr2015-dps or pa2023-dynamic-market"
			}
			return ""
		}),
		newField("established", "Established", a.Established, "The day it was set up, e.g. 1 Apr 2021.", nil).date(false),
		newField("ends", "Ends", a.Ends, "Its last day; empty: open (a PCR 2015 DPS ends by 23 Feb 2029).", nil).date(true),
		newField("unique_id", "Unique id", a.UniqueID, "A dynamic market's unique identifier on Find a Tender; empty for a PCR DPS.", nil),
		newField("ocid", "OCID", a.OCID, "A dynamic market's ocid, e.g. ocds-h6vhtk-05d1e7; empty for a PCR DPS.", nil),
		newField("categories", "Categories", strings.Join(a.Categories, "; "), "Placed through it, separated by ;: "+strings.Join(engine.CategoryIDs(), ", ")+".", func(v string) string {
			for _, c := range splitList(v) {
				if !engine.KnownCategory(c) {
					return fmt.Sprintf("%q is not a category", c)
				}
			}
			return ""
		}),
	}
	f := newForm(ctx, title, fields, func(v map[string]string) error {
		return ctx.Store.SetArrangement(store.Arrangement{ID: v["id"], Title: v["title"], Regime: store.Regime(strings.TrimSpace(v["regime"])),
			Established: strings.TrimSpace(v["established"]), Ends: strings.TrimSpace(v["ends"]), UniqueID: v["unique_id"], OCID: v["ocid"],
			Categories: splitList(v["categories"])})
	})
	f.saved = "Arrangement saved"
	return f
}
