package ui

import (
	"fmt"
	"strings"

	"github.com/sahilm/fuzzy"
)

// option is one thing a pick field may hold: its value (an id), the name
// a person knows it by, and a word about it (a qualified core cost).
type option struct{ value, label, detail string }

// text is how a picked option reads in its field.
func (o option) text() string { return o.label + " (" + o.value + ")" }

// pickShown is how many matches a pick field lists under itself.
const pickShown = 5

// pick makes a field choose from options by name: what is typed is
// matched fuzzily against the names and ids, the best matches are listed
// under the field, and leaving the field (or saving) puts the best match
// in it, by name, so the person sees what was picked. Its value is the
// picked option's id.
func (fl *field) pick(opts []option, none string) *field {
	fl.options = opts
	fl.check = func(s string) string {
		if strings.TrimSpace(s) == "" {
			return "type part of a name or an id"
		}
		if _, ok := fl.picked(); !ok && len(fl.matches(s)) == 0 {
			return none
		}
		return ""
	}
	return fl
}

// picked is the option the field's text names exactly: "Name (id)", an id
// or a name, in any case.
func (fl *field) picked() (option, bool) {
	t := strings.TrimSpace(fl.input.Value())
	for _, o := range fl.options {
		if strings.EqualFold(t, o.text()) || strings.EqualFold(t, o.value) || strings.EqualFold(t, o.label) {
			return o, true
		}
	}
	return option{}, false
}

// matches are the options the typed text finds, best first.
func (fl *field) matches(q string) []option {
	q = strings.TrimSpace(q)
	if q == "" {
		return fl.options
	}
	words := make([]string, len(fl.options))
	for i, o := range fl.options {
		words[i] = o.label + " " + o.value
	}
	found := fuzzy.Find(q, words)
	out := make([]option, len(found))
	for i, m := range found {
		out[i] = fl.options[m.Index]
	}
	return out
}

// complete puts the best match in a pick field whose text names none
// exactly; false when nothing matches.
func (fl *field) complete() bool {
	if fl.options == nil {
		return true
	}
	if o, ok := fl.picked(); ok {
		fl.input.SetValue(o.text())
		return true
	}
	if ms := fl.matches(fl.input.Value()); len(ms) > 0 && strings.TrimSpace(fl.input.Value()) != "" {
		fl.input.SetValue(ms[0].text())
		fl.input.CursorEnd()
		return true
	}
	return false
}

// pickLines list the matches under a focused pick field.
func (f *form) pickLines(fl *field) []string {
	st, el := f.ctx.Styles, f.ctx.Glyphs.Ellipsis
	if o, ok := fl.picked(); ok {
		return []string{st.Muted.Render("Picked: ") + fitLine(o.label+"  "+o.value+"  "+o.detail, max(10, f.width-16), el)}
	}
	ms := fl.matches(fl.input.Value())
	if len(ms) == 0 {
		return nil
	}
	head := "Matches (tab takes the first):"
	if len(ms) > pickShown {
		head = fmt.Sprintf("Matches, best first (%d found; type more to narrow, tab takes the first):", len(ms))
	}
	lines := []string{st.Muted.Render(head)}
	for i, o := range ms[:min(pickShown, len(ms))] {
		mark := "  "
		if i == 0 {
			mark = f.ctx.Glyphs.Cursor + " "
		}
		lines = append(lines, mark+fitLine(o.label+"  "+o.value+"  "+o.detail, max(10, f.width-8), el))
	}
	return lines
}
