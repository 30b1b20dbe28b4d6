package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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
	// off is the first cell of the text shown while the field is focused:
	// the form scrolls a long text itself so that it can mark, at either
	// edge, that the text runs on (formview.go).
	off int
	// options, when set, make it a pick field (pick.go).
	options []option
	// norm, when set, turns the text into the value the record keeps (a
	// date typed 22/11/2026 kept as 2026-11-22).
	norm func(string) string
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
	// refused: the last save was refused for a field's problem, which
	// the status line says until every field is put right.
	refused bool
	// extra, when set, sees every key first (the builder's widening);
	// extraKeys are the keys it takes, for the help.
	extra     func(msg tea.KeyMsg) (handled bool, cmd tea.Cmd)
	extraKeys []keyBinding
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
		fl.input.Width = 0 // the whole text: the form windows it (scroll)
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

// date makes a field a calendar day: typed as people type one (22/11/2026,
// 22 Nov 2026 or ISO), shown as 22 Nov 2026, kept as ISO; optional
// allows it empty.
func (fl *field) date(optional bool) *field {
	fl.replace = true
	fl.input.SetValue(engine.ShowDate(fl.input.Value()))
	fl.check = func(s string) string {
		if strings.TrimSpace(s) == "" {
			if optional {
				return ""
			}
			return "a date is required: type it as " + engine.DateExample
		}
		if _, err := engine.ParseDate(s); err != nil {
			return err.Error()
		}
		return ""
	}
	fl.norm = func(s string) string {
		if iso, err := engine.ISODate(s); err == nil {
			return iso
		}
		return s
	}
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

func (f *form) Title() string    { return f.title }
func (f *form) Init() tea.Cmd    { return nil }
func (f *form) Capturing() bool  { return true }
func (f *form) SetSize(w, h int) { f.width, f.height = w, h; f.sizeInputs() }
func (f *form) FullHelp() [][]keyBinding {
	return [][]keyBinding{append([]keyBinding{f.keys.Next, f.keys.Prev, f.keys.Save, f.keys.Cancel, f.ctx.Global.FieldHelp}, f.extraKeys...)}
}

func (f *form) ShortHelp() []keyBinding {
	if f.discard.asking {
		return f.discard.help()
	}
	return f.keys.Footer(f.ctx.Global.FieldHelp) // in full in the help (FullHelp)
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

// textWidth is how many cells a field's text is shown in (one more holds
// the cursor after the text).
func (f *form) textWidth() int { return max(10, min(40, f.width-(2+labelWidth)-2)) }

func (f *form) sizeInputs() {
	for _, fl := range f.fields {
		fl.input.Width = 0 // the whole text: the form windows it (scroll)
		fl.scroll(f.textWidth() + 1)
	}
}

// scroll keeps the cursor of a focused field in its box of cells, off
// the cells that mark text running on beyond an edge.
func (fl *field) scroll(box int) { fl.off = fl.shownFrom(fl.off, box) }

// shownFrom is the first cell of the text a focused field shows in box
// cells (inputFrom).
func (fl *field) shownFrom(off, box int) int { return inputFrom(fl.input, off, box) }

// inputFrom is the first cell of an input's text shown in box cells,
// moved from off only as far as the cursor needs: never onto a cell
// marking that the text runs on (inputView). View asks it too, so a text
// set outside Update (a widening, a pick) is drawn with its cursor in
// view.
func inputFrom(in textinput.Model, off, box int) int {
	v := []rune(in.Value())
	n := ansi.StringWidth(string(v)) + 1 // the cell after the text holds the cursor at the end
	if n <= box {
		return 0
	}
	c := ansi.StringWidth(string(v[:min(len(v), in.Position())]))
	if c < off+1 {
		off = max(0, c-1)
	}
	if c > off+box-2 {
		off = c - box + 2
	}
	return max(0, min(off, n-box))
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
			return f.focusOn(j)
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
		cmd := f.submit()
		f.refused = slices.ContainsFunc(f.fields, func(fl *field) bool { return fl.err != "" })
		return f, cmd
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
	fl.scroll(f.textWidth() + 1)
	fl.err = f.problem(fl)
	if f.refused && !slices.ContainsFunc(f.fields, func(fl *field) bool { return fl.err != "" }) {
		// What the refusal said is put right: it no longer stands in
		// the status line.
		f.refused = false
		return f, tea.Batch(cmd, status("Put right: %s saves it", f.keys.Save.Help().Key))
	}
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
		if fl.norm != nil && v[fl.key] != "" {
			v[fl.key] = fl.norm(v[fl.key])
		}
	}
	return v
}

// submit checks every field and saves; on refusal the form stays open with
// each problem beside its field.
func (f *form) submit() tea.Cmd {
	var bad []int
	for i, fl := range f.fields {
		fl.complete()
		if fl.err = f.problem(fl); fl.err != "" {
			bad = append(bad, i)
		}
	}
	values := f.values()
	if len(bad) > 0 {
		f.focusOn(bad[0])
		return failure(f.notSaved(bad))
	}
	err := f.save(values)
	var ve *store.ValidationError
	switch {
	case errors.As(err, &ve):
		var bad []int
		var others []string // problems of no field of the form, in full
		var otherNames []string
		for _, p := range ve.Problems {
			found := false
			for i, fl := range f.fields {
				if fl.key == p.Field || strings.HasPrefix(p.Field, fl.key+".") {
					found = true
					if !slices.Contains(bad, i) {
						fl.err = p.Message
						bad = append(bad, i)
					}
				}
			}
			if !found {
				others, otherNames = append(others, p.Field+": "+p.Message), append(otherNames, p.Field)
			}
		}
		switch {
		case len(bad) == 0 && len(others) == 0:
			return failure(errors.New("not saved: " + err.Error()))
		case len(bad) == 0:
			return failure(errors.New("not saved: " + others[0] + more(otherNames[1:])))
		}
		f.focusOn(bad[0])
		return failure(f.notSaved(bad, otherNames...))
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

// notSaved says why a save was refused: the first field's problem in
// full, then how many more fields have one and which ("not saved:
// Postcode: unknown postcode; and 2 more: Radius, Deadline"). others name
// problems of no field of the form by the record's own words.
func (f *form) notSaved(bad []int, others ...string) error {
	first := f.fields[bad[0]]
	var rest []string
	for _, i := range bad[1:] {
		rest = append(rest, strings.TrimRight(cell(f.fields[i].label, labelWidth, f.ctx.Glyphs.Ellipsis), " ")) // as the form shows it
	}
	return errors.New("not saved: " + first.label + ": " + first.err + more(append(rest, others...)))
}

// more is "; and 2 more: Radius, Deadline", or nothing.
func more(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("; and %d more: %s", len(names), strings.Join(names, ", "))
}

// focusOn focuses field i, however it is reached (tab, an arrow, enter,
// a problem on save): the one place a field gains focus, so a number or
// date field is replaced by the first key typed whatever moved to it.
func (f *form) focusOn(i int) tea.Cmd {
	if f.focus >= 0 {
		f.fields[f.focus].input.Blur()
	}
	f.focus = i
	fl := f.fields[i]
	fl.fresh = true
	cmd := fl.input.Focus()
	fl.scroll(f.textWidth() + 1)
	return cmd
}
