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
	// options, when set, make it a pick field (pick.go).
	options []option
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
	discard       discard // asking "discard your changes?"
	save          func(values map[string]string) error
	saved         string // status text after a save
	// live, when set, gives lines shown under the title, worked out
	// again after every change (the builder's invited count).
	live func(values map[string]string) []string
	// extra, when set, sees every key first (the builder's widening).
	extra func(msg tea.KeyMsg) (handled bool, cmd tea.Cmd)
	// validate, when set, builds the record from what is typed and asks
	// the record's own Validate: its problem for a field shows beside the
	// field as it is typed, so the form never repeats the store's rules.
	validate func(values map[string]string) error
	// done, when set, is a message sent after a save (the list putting its
	// cursor on what was saved).
	done func() tea.Msg
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

// newField is a text field named by the record's own name for it (the
// key the record's Validate reports a problem under). check, when set,
// reads the text (a number, a date, a list): the form's own concern; the
// record's rules are its Validate's.
func newField(key, label, value, hint string, check func(string) string) *field {
	in := newInput()
	in.SetValue(value)
	return &field{key: key, label: label, hint: hint, input: in, check: check}
}

// typed marks a field holding one value typed whole (a number, a date, an
// amount): the first character typed replaces it, as in a spreadsheet.
func (fl *field) typed() *field {
	fl.replace = true
	return fl
}

// field is the form's field named key; it panics on a name the form does
// not have, a mistake in the code, never in what was typed.
func (f *form) field(key string) *field {
	for _, fl := range f.fields {
		if fl.key == key {
			return fl
		}
	}
	panic("form " + f.title + " has no field " + key)
}

func (f *form) Title() string            { return f.title }
func (f *form) Init() tea.Cmd            { return nil }
func (f *form) Capturing() bool          { return true }
func (f *form) SetSize(w, h int)         { f.width, f.height = w, h; f.sizeInputs() }
func (f *form) FullHelp() [][]keyBinding { return [][]keyBinding{f.ShortHelp()} }

func (f *form) ShortHelp() []keyBinding {
	if f.discard.asking {
		return f.discard.help()
	}
	return []keyBinding{f.keys.Next, f.keys.Prev, f.keys.Save, f.keys.Cancel, f.ctx.Global.FieldHelp}
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
	if f.focus >= 0 {
		fl := f.fields[f.focus]
		fl.complete()
		fl.err = f.problem(fl)
	}
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
	if f.discard.asking {
		if f.discard.key(km) {
			f.ctx.close()
		}
		return f, nil
	}
	if f.extra != nil {
		if handled, cmd := f.extra(km); handled {
			return f, cmd
		}
	}
	switch {
	case key.Matches(km, f.keys.Cancel):
		if f.Dirty() {
			f.discard.asking = true
			return f, nil
		}
		f.ctx.close()
		return f, nil
	case key.Matches(km, f.keys.Save):
		return f, f.submit()
	case key.Matches(km, f.keys.Next):
		return f, f.move(1)
	case key.Matches(km, f.keys.Prev):
		return f, f.move(-1)
	}
	fl := f.fields[f.focus]
	if fl.replace && fl.fresh && km.Type == tea.KeyRunes {
		fl.input.SetValue("")
	}
	fl.fresh = false
	var cmd tea.Cmd
	fl.input, cmd = fl.input.Update(km)
	fl.err = f.problem(fl)
	return f, cmd
}

// problem is what is wrong with a field as typed: its own reading of the
// text first, then the record's Validate.
func (f *form) problem(fl *field) string {
	if fl.check != nil {
		if p := fl.check(fl.input.Value()); p != "" {
			return p
		}
	}
	if f.validate == nil {
		return ""
	}
	var ve *store.ValidationError
	if errors.As(f.validate(f.values()), &ve) {
		for _, p := range ve.Problems {
			if p.Field == fl.key || strings.HasPrefix(p.Field, fl.key+".") {
				return p.Message
			}
		}
	}
	return ""
}

// values are the fields' values, trimmed.
func (f *form) values() map[string]string {
	v := map[string]string{}
	for _, fl := range f.fields {
		v[fl.key] = strings.TrimSpace(fl.input.Value())
		if o, ok := fl.picked(); ok && fl.options != nil {
			v[fl.key] = o.value
		}
	}
	return v
}

// submit checks every field and saves; on refusal the form stays open with
// each problem beside its field.
func (f *form) submit() tea.Cmd {
	bad := -1
	for i, fl := range f.fields {
		fl.complete()
		if fl.err = f.problem(fl); fl.err != "" && bad < 0 {
			bad = i
		}
	}
	values := f.values()
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
	var after tea.Cmd
	if f.done != nil {
		after = f.done
	}
	return tea.Batch(changed, status("%s", f.saved), after)
}

func (f *form) focusOn(i int) {
	if f.focus >= 0 {
		f.fields[f.focus].input.Blur()
	}
	f.focus = i
	f.fields[i].fresh = true
	f.fields[i].input.Focus()
}
