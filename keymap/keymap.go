// Package keymap holds every key binding of the desk with its help text, one
// map per screen, so that help always shows the keys that work and nothing
// else. Screens disable the bindings that do not apply in their state.
package keymap

import "github.com/charmbracelet/bubbles/key"

func k(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// Global keys work on every screen unless a text field has focus.
type Global struct {
	Quit, ForceQuit, Help, FieldHelp, Back key.Binding
	Register, Review, Referrals, Report    key.Binding
	Audit, Setup, Placements               key.Binding
}

// NewGlobal returns the global bindings.
func NewGlobal() Global {
	g := Global{
		Quit:      k("q", "quit", "q"),
		ForceQuit: k("ctrl+c", "quit", "ctrl+c"),
		Help:      k("?", "help", "?"),
		FieldHelp: k("f1", "help, also while typing in a form", "f1"),
		Back:      k("esc", "back", "esc"),
		Register:  k("1", "register", "1"),
		Review:    k("2", "review", "2"),
		Referrals: k("3", "referrals", "3"),
		Report:    k("4", "reports", "4"),
		Audit:     k("5", "audit", "5"),
		Setup:     k("6", "setup", "6"),
	}
	g.Placements = k("7", "placements", "7")
	return g
}

// List moves through a list.
type List struct {
	Up, Down, Top, Bottom, PageUp, PageDown, Open key.Binding
}

// NewList returns list movement: arrows and vim keys.
func NewList() List {
	return List{
		Up:       k("↑/k", "up", "up", "k"),
		Down:     k("↓/j", "down", "down", "j"),
		Top:      k("g", "top", "g", "home"),
		Bottom:   k("G", "bottom", "G", "end"),
		PageUp:   k("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: k("pgdn", "page down", "pgdown", "ctrl+f", " "),
		Open:     k("enter", "open", "enter"),
	}
}

// Register is the register screen.
type Register struct {
	List
	Filter, ClearFilter, Sort, Status, Category, New key.Binding
}

// NewRegister returns the register screen's keys.
func NewRegister() Register {
	l := NewList()
	l.PageDown = k("pgdn", "page down", "pgdown", "ctrl+f")
	return Register{
		List:        l,
		Filter:      k("/", "filter", "/"),
		ClearFilter: k("esc", "clear filter", "esc"),
		Sort:        k("s", "sort", "s"),
		Status:      k("f", "status filter", "f"),
		Category:    k("l", "category filter", "l"),
		New:         k("n", "new establishment", "n"),
	}
}

// Scroll moves a page of text.
type Scroll struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

// NewScroll returns page scrolling: arrows and vim keys.
func NewScroll() Scroll {
	return Scroll{
		Up:       k("↑/k", "scroll up", "up", "k"),
		Down:     k("↓/j", "scroll down", "down", "j"),
		PageUp:   k("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: k("pgdn", "page down", "pgdown", "ctrl+f", " "),
		Top:      k("g", "top", "g", "home"),
		Bottom:   k("G", "bottom", "G", "end"),
	}
}

// Filter is a filter line's keys while it has focus; every other key types.
type Filter struct {
	Apply, Clear, Leave key.Binding
}

// NewFilter returns the filter line's keys.
func NewFilter() Filter {
	return Filter{
		Apply: k("enter", "keep filter", "enter"),
		Clear: k("esc", "clear", "esc", "ctrl+c"),
		Leave: k("↑/↓", "back to the list", "up", "down"),
	}
}

// Prompt answers a one-line question; every other key types.
type Prompt struct {
	Save, Cancel key.Binding
}

// NewPrompt returns the prompt's keys.
func NewPrompt() Prompt {
	return Prompt{Save: k("enter", "save", "enter"), Cancel: k("esc", "cancel", "esc", "ctrl+c")}
}

// Detail is an establishment's page.
type Detail struct {
	Scroll
	Edit, Checklist, Concern key.Binding
}

// NewDetail returns the establishment page's keys.
func NewDetail() Detail {
	return Detail{
		Scroll:    NewScroll(),
		Edit:      k("e", "edit", "e"),
		Checklist: k("c", "qualification checklist", "c"),
		Concern:   k("w", "record a concern", "w"),
	}
}

// Form is an edit form.
type Form struct {
	Next, Prev, Save, Cancel key.Binding
}

// NewForm returns the form keys.
func NewForm() Form {
	return Form{
		Next:   k("tab/↓", "next field", "tab", "down", "enter"),
		Prev:   k("shift+tab/↑", "previous field", "shift+tab", "up"),
		Save:   k("ctrl+s", "save", "ctrl+s"),
		Cancel: k("esc", "leave (asks if changed)", "esc", "ctrl+c"),
	}
}

// Short is a copy of a key saying what it does in fewer words, for the
// key line at the bottom of a screen; the help says it in full.
func Short(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// Footer is the form's keys in short words, for the key line (one line
// at 80 columns, so a form keeps its rows); the help says each in full.
func (f Form) Footer(fieldHelp key.Binding) []key.Binding {
	return []key.Binding{Short(f.Next, "next"), Short(f.Prev, "previous"), f.Save, Short(f.Cancel, "leave"), Short(fieldHelp, "help")}
}

// Checklist is the qualification checklist.
type Checklist struct {
	Up, Down, Toggle, Evidence, Expiry, Score, Adjust, Qualify key.Binding
}

// NewChecklist returns the checklist keys.
func NewChecklist() Checklist {
	return Checklist{
		Up:       k("↑/k", "up", "up", "k"),
		Down:     k("↓/j", "down", "down", "j"),
		Toggle:   k("space", "pass/fail", " "),
		Evidence: k("n", "evidence note", "n"),
		Expiry:   k("x", "expiry date", "x"),
		Score:    k("enter", "edit score", "enter"),
		Adjust:   k("a", "add adjustment", "a"),
		Qualify:  k("Q", "qualify", "Q"),
	}
}

// Review is the suspension review queue.
type Review struct {
	List
	Mark, Suspend, Lift, Evidence, Exclude, Withdraw, Refresh, Filter key.Binding
}

// NewReview returns the review screen's keys.
func NewReview() Review {
	l := NewList()
	l.PageDown = k("pgdn", "page down", "pgdown", "ctrl+f")
	return Review{
		List:     l,
		Mark:     k("space", "mark and move down", " "),
		Suspend:  k("s", "suspend", "s"),
		Lift:     k("l", "lift suspension", "l"),
		Evidence: k("r", "record evidence", "r"),
		Exclude:  k("x", "exclude", "x"),
		Withdraw: k("w", "withdraw", "w"),
		Refresh:  k("R", "refresh", "R"),
		Filter:   k("/", "filter: name, id or criterion", "/"),
	}
}

// Confirm answers a question. Cancel (esc) leaves it; No (n) may go back
// to what was asked before it.
type Confirm struct {
	Yes, No, Cancel key.Binding
}

// NewConfirm returns y/n.
func NewConfirm() Confirm {
	return Confirm{Yes: k("y", "yes", "y", "Y"), No: k("n", "no", "n", "N"), Cancel: k("esc", "no", "esc")}
}

// NewDiscard returns the keys of "discard what you typed?".
func NewDiscard() Confirm {
	return Confirm{Yes: k("y", "discard", "y", "Y"), No: k("n", "keep editing", "n", "N"), Cancel: k("esc", "keep editing", "esc")}
}

// Referrals is the referrals list, the triage queue.
type Referrals struct {
	List
	Filter, Status, Sort, New key.Binding
}

// NewReferrals returns the referral list's keys.
func NewReferrals() Referrals {
	l := NewList()
	l.PageDown = k("pgdn", "page down", "pgdown", "ctrl+f")
	return Referrals{List: l, Filter: k("/", "filter", "/"), Status: k("f", "status filter", "f"),
		Sort: k("s", "sort", "s"), New: k("n", "new referral", "n")}
}

// Referral is one referral's page: the keys move it to its next state.
type Referral struct {
	Scroll
	Edit, Issue, Bid, Close, Evaluate, Ranked, Award, Direct, Block, Reissue, Withdraw, Meeting key.Binding
	Export, Import, Summaries                                                                   key.Binding
}

// NewReferral returns the referral page's keys.
func NewReferral() Referral {
	return Referral{
		Scroll:    NewScroll(),
		Edit:      k("e", "edit draft", "e"),
		Issue:     k("I", "issue", "I"),
		Bid:       k("b", "enter a bid", "b"),
		Close:     k("C", "close bids", "C"),
		Evaluate:  k("v", "evaluate", "v"),
		Ranked:    k("r", "ranked view", "r"),
		Award:     k("a", "award", "a"),
		Direct:    k("D", "direct placement", "D"),
		Block:     k("B", "block booking", "B"),
		Reissue:   k("W", "widen and re-issue", "W"),
		Withdraw:  k("x", "withdraw", "x"),
		Meeting:   k("m", "meeting mode", "m"),
		Export:    k("X", "export the scenario file", "X"),
		Import:    k("U", "import bids from a CSV file", "U"),
		Summaries: k("S", "write the assessment summaries", "S"),
	}
}

// Ranked is the ranked view of a referral's bids.
type Ranked struct {
	Up, Down, Why, Weight, Reset key.Binding
	// Rerank answers the what-if question: it re-ranks, saving nothing.
	Rerank key.Binding
}

// NewRanked returns the ranked view's keys.
func NewRanked() Ranked {
	return Ranked{Up: k("↑/k", "up", "up", "k"), Down: k("↓/j", "down", "down", "j"),
		Why:    k("enter", "explain the bid", "enter"),
		Weight: k("w", "what if: quality weight", "w"), Reset: k("0", "back to the referral's weight", "0"),
		Rerank: k("enter", "re-rank at it (nothing is saved)", "enter")}
}

// Builder is the referral builder's extra key.
type Builder struct {
	Widen, Invited key.Binding
}

// NewBuilder returns the builder's keys.
func NewBuilder() Builder {
	return Builder{Widen: k("ctrl+w", "widen by 10 miles", "ctrl+w"),
		Invited: k("ctrl+o", "list who would be invited", "ctrl+o")}
}

// Meeting is meeting mode, the screen shared with the family.
type Meeting struct {
	Left, Right, Move, Up, Down, Prices, Choose, Defer, Print, Help, Leave key.Binding
	// Return is the one key of the curtain drawn after leaving: it goes
	// back to the desk once the officer has turned the screen back.
	Return key.Binding
}

// NewMeeting returns meeting mode's keys.
func NewMeeting() Meeting {
	return Meeting{
		Left:   k("←/h", "previous setting", "left", "h"),
		Right:  k("→/l", "next setting", "right", "l"),
		Move:   k("←/→", "move", "left", "right", "h", "l"), // Left and Right in short
		Up:     k("↑/k", "scroll up", "up", "k"),
		Down:   k("↓/j", "scroll down", "down", "j"),
		Prices: k("s", "show/hide prices and scores", "s"),
		Choose: k("c", "record their choice", "c"),
		Defer:  k("t", "more time / taster day first", "t"),
		Print:  k("p", "take-away summary", "p"),
		Help:   k("?", "this screen's keys", "?"),
		// Meeting mode is a room with one door: each of these asks once
		// before leaving it.
		Leave:  k("esc", "leave (asks first)", "esc", "q", "ctrl+c"),
		Return: k("enter", "return to the desk", "enter"),
	}
}

// Audit is the audit trail screen.
type Audit struct {
	List
	Filter, Since, Expand, Verify key.Binding
}

// NewAudit returns the audit screen's keys.
func NewAudit() Audit {
	l := NewList()
	l.PageDown = k("pgdn", "page down", "pgdown", "ctrl+f")
	l.Open = k("enter", "show all changes", "enter")
	return Audit{List: l, Filter: k("/", "filter: record, actor or action", "/"), Since: k("d", "since a date", "d"),
		Verify: k("V", "verify the chain again", "V")}
}

// Setup is the partnership's configuration: who you are, the categories.
type Setup struct {
	List
	Profile, CaseRefs, Reviews, Uplift key.Binding
}

// NewSetup returns the setup screen's keys.
func NewSetup() Setup {
	l := NewList()
	l.Open = k("enter", "change the category's cap (admins)", "enter")
	return Setup{List: l, Profile: k("u", "your contact for families", "u"),
		CaseRefs: k("c", "an authority's case-reference pattern (admins)", "c"),
		Reviews:  k("r", "the category's review schedule (admins)", "r"),
		Uplift:   k("f", "a fee uplift for the category (admins)", "f")}
}

// Footer is the setup screen's keys in short words, for the key line
// (two lines at 80 columns); the help says each in full.
func (s Setup) Footer(arrangements key.Binding) []key.Binding {
	return []key.Binding{s.Profile, s.Up, s.Down, Short(s.Open, "cap and floors"), Short(s.Reviews, "review schedule"),
		Short(s.Uplift, "fee uplift"), Short(arrangements, "arrangements"), Short(s.CaseRefs, "case references")}
}

// Uplift is the preview of a fee uplift: read it, then apply it.
type Uplift struct {
	Scroll
	Apply key.Binding
}

// NewUplift returns the uplift preview's keys.
func NewUplift() Uplift {
	return Uplift{Scroll: NewScroll(), Apply: k("a", "apply exactly this uplift", "a")}
}

// Reports is the reports screen.
type Reports struct {
	Period, Category, Authority, Export key.Binding
}

// NewReports returns the reports screen's keys.
func NewReports() Reports {
	return Reports{Period: k("p", "period", "p"), Category: k("l", "category", "l"), Authority: k("a", "authority", "a"),
		Export: k("x", "export the table as CSV", "x")}
}

// EstablishmentForm are the new-establishment form's own keys.
type EstablishmentForm struct {
	FillGIAS key.Binding
}

// NewEstablishmentForm returns them.
func NewEstablishmentForm() EstablishmentForm {
	return EstablishmentForm{FillGIAS: k("ctrl+g", "fill the empty fields from GIAS", "ctrl+g")}
}
