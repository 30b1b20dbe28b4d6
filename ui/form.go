package ui

import (
	"errors"
	"strings"

	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// field is one labelled text field of a form with its live check.
type field struct {
	key, label, hint string
	input            textinput.Model
	check            func(string) string // "" when the value is fine
	err              string
	fixed            bool // shown, not editable (an id once saved)
	// replace: the first character typed after the field gains focus
	// replaces its value, as in a spreadsheet cell (numbers, dates);
	// an arrow or backspace first keeps it for editing.
	replace bool
	fresh   bool
}

// form edits a record field by field. Typed input is never lost: a form
// with changes asks before it is left, and save keeps it open until the
// store accepts it.
type form struct {
	ctx           *Context
	keys          keymap.Form
	title         string
	fields        []*field
	initial       []string
	focus         int
	width, height int
	discarding    bool // asking "discard changes?"
	save          func(values map[string]string) error
	saved         string // status text after a save
	// live, when set, gives lines shown under the title, worked out
	// again after every change (the builder's invited count).
	live func(values map[string]string) []string
	// extra, when set, sees every key first (the builder's widening).
	extra func(msg tea.KeyMsg) (handled bool, cmd tea.Cmd)
	// autosave saves, without leaving, each time the focus moves and every
	// field is fine: a draft saved as you go.
	autosave func(values map[string]string) error
}

func newForm(ctx *Context, title string, fields []*field, save func(map[string]string) error) *form {
	f := &form{ctx: ctx, keys: keymap.NewForm(), title: title, fields: fields, save: save}
	for _, fl := range fields {
		f.initial = append(f.initial, fl.input.Value())
		fl.input.Prompt = ""
		fl.input.CharLimit = 200
	}
	f.focus = -1
	f.move(1)
	return f
}

func newField(key, label, value, hint string, check func(string) string) *field {
	in := newInput()
	in.SetValue(value)
	return &field{key: key, label: label, hint: hint, input: in, check: check}
}

func (f *form) Title() string            { return f.title }
func (f *form) Init() tea.Cmd            { return nil }
func (f *form) Capturing() bool          { return true }
func (f *form) SetSize(w, h int)         { f.width, f.height = w, h; f.sizeInputs() }
func (f *form) FullHelp() [][]keyBinding { return [][]keyBinding{f.ShortHelp()} }

func (f *form) ShortHelp() []keyBinding {
	if f.discarding {
		c := keymap.NewConfirm()
		return []keyBinding{key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "discard changes")), key.NewBinding(key.WithKeys("n"), key.WithHelp(c.No.Help().Key, "keep editing"))}
	}
	return []keyBinding{f.keys.Next, f.keys.Prev, f.keys.Save, f.keys.Cancel}
}

// Dirty reports whether any field differs from what was loaded.
func (f *form) Dirty() bool {
	for i, fl := range f.fields {
		if fl.input.Value() != f.initial[i] {
			return true
		}
	}
	return false
}

func (f *form) sizeInputs() {
	for _, fl := range f.fields {
		fl.input.Width = max(10, min(40, f.width-24-2))
	}
}

// move focuses the next editable field in direction dir.
func (f *form) move(dir int) tea.Cmd {
	n := len(f.fields)
	for i := 1; i <= n; i++ {
		j := ((f.focus+dir*i)%n + n) % n
		if !f.fields[j].fixed {
			if f.focus >= 0 {
				f.fields[f.focus].input.Blur()
			}
			f.focus = j
			f.fields[j].fresh = true
			return f.fields[j].input.Focus()
		}
	}
	return nil
}

func (f *form) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		if f.focus >= 0 {
			var cmd tea.Cmd
			f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(msg)
			return f, cmd
		}
		return f, nil
	}
	if f.discarding {
		switch km.String() {
		case "y", "Y":
			f.ctx.close()
			return f, nil
		case "n", "N", "esc":
			f.discarding = false
		}
		return f, nil
	}
	if f.extra != nil {
		if handled, cmd := f.extra(km); handled {
			return f, cmd
		}
	}
	switch {
	case key.Matches(km, f.keys.Cancel), km.String() == "ctrl+c":
		if f.Dirty() {
			f.discarding = true
			return f, nil
		}
		f.ctx.close()
		return f, nil
	case key.Matches(km, f.keys.Save):
		return f, f.submit()
	case key.Matches(km, f.keys.Next), km.String() == "enter":
		return f, tea.Batch(f.saveAsYouGo(), f.move(1))
	case key.Matches(km, f.keys.Prev):
		return f, tea.Batch(f.saveAsYouGo(), f.move(-1))
	}
	fl := f.fields[f.focus]
	if fl.replace && fl.fresh && km.Type == tea.KeyRunes {
		fl.input.SetValue("")
	}
	fl.fresh = false
	var cmd tea.Cmd
	fl.input, cmd = fl.input.Update(km)
	if fl.check != nil {
		fl.err = fl.check(fl.input.Value())
	}
	return f, cmd
}

// values are the fields' values, trimmed.
func (f *form) values() map[string]string {
	v := map[string]string{}
	for _, fl := range f.fields {
		v[fl.key] = strings.TrimSpace(fl.input.Value())
	}
	return v
}

// saveAsYouGo saves a changed form whose fields are all fine, staying in it.
func (f *form) saveAsYouGo() tea.Cmd {
	if f.autosave == nil || !f.Dirty() {
		return nil
	}
	for _, fl := range f.fields {
		if fl.check != nil && fl.check(fl.input.Value()) != "" {
			return nil // not yet: the field says what is wrong
		}
	}
	if err := f.autosave(f.values()); err != nil {
		return failure(errors.New("draft not saved yet: " + err.Error()))
	}
	for i, fl := range f.fields {
		f.initial[i] = fl.input.Value()
	}
	return tea.Batch(changed, status("Draft saved"))
}

// submit checks every field and saves; on refusal the form stays open with
// each problem beside its field.
func (f *form) submit() tea.Cmd {
	values := map[string]string{}
	bad := -1
	for i, fl := range f.fields {
		values[fl.key] = strings.TrimSpace(fl.input.Value())
		if fl.check != nil {
			fl.err = fl.check(fl.input.Value())
		}
		if fl.err != "" && bad < 0 {
			bad = i
		}
	}
	if bad >= 0 {
		f.focusOn(bad)
		return failure(errors.New("not saved: " + f.fields[bad].label + ": " + f.fields[bad].err))
	}
	err := f.save(values)
	var ve *store.ValidationError
	switch {
	case errors.As(err, &ve):
		first := -1
		for _, p := range ve.Problems {
			for i, fl := range f.fields {
				if fl.key == p.Field || strings.HasPrefix(p.Field, fl.key+".") {
					fl.err = p.Message
					if first < 0 {
						first = i
					}
				}
			}
		}
		if first >= 0 {
			f.focusOn(first)
		}
		return failure(errors.New("not saved: " + ve.Problems[0].Field + ": " + ve.Problems[0].Message))
	case err != nil:
		return failure(errors.New("not saved: " + err.Error()))
	}
	for i, fl := range f.fields {
		f.initial[i] = fl.input.Value()
	}
	f.ctx.close()
	return tea.Batch(changed, status("%s", f.saved))
}

func (f *form) focusOn(i int) {
	if f.focus >= 0 {
		f.fields[f.focus].input.Blur()
	}
	f.focus = i
	f.fields[i].fresh = true
	f.fields[i].input.Focus()
}

func (f *form) View() string {
	st, el := f.ctx.Styles, f.ctx.Glyphs.Ellipsis
	var l []string
	if f.discarding {
		l = append(l, st.Error.Render("  Discard your changes to "+f.title+"? (y: discard, n: keep editing)"))
	} else {
		l = append(l, "  "+st.Title.Render(f.title)+st.Muted.Render("  ctrl+s saves · esc leaves (asks if changed)"))
	}
	if f.live != nil {
		for _, line := range f.live(f.values()) {
			l = append(l, "  "+line)
		}
	}
	// Keep the focused field in view on a short terminal.
	visible := max(1, f.height-5-(len(l)-1))
	start := max(0, min(f.focus-visible/2, len(f.fields)-visible))
	for i := start; i < min(len(f.fields), start+visible); i++ {
		fl := f.fields[i]
		cursor := "  "
		if i == f.focus {
			cursor = f.ctx.Glyphs.Cursor + " "
		}
		label := cell(fl.label, 22, el)
		value := fl.input.View()
		if fl.fixed {
			value = fl.input.Value() + st.Muted.Render("  (fixed)")
		}
		line := cursor + st.Label.Render(label) + " " + fitLine(value, fl.input.Width+1, el)
		if fl.err != "" {
			line += " " + st.Error.Render("! "+fl.err)
		}
		l = append(l, line)
	}
	// The focused field's hint and full problem, on their own line.
	if f.focus >= 0 {
		fl := f.fields[f.focus]
		l = append(l, "")
		text, style := fl.hint, st.Muted
		if fl.err != "" {
			text, style = fl.label+": "+fl.err, st.Error
		}
		for i, line := range wrap(text, f.width-4) {
			if i < 3 {
				l = append(l, "  "+style.Render(line))
			}
		}
	}
	return strings.Join(l, "\n")
}
