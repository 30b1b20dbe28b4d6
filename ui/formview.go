package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"
)

// labelWidth is the cells of a form's label column: a longer label is cut
// there (the hint and the help give it whole).
const labelWidth = 22

func (f *form) View() string {
	st, el := f.ctx.Styles, f.ctx.Glyphs.Ellipsis
	var l []string
	if f.discard.asking {
		l = append(l, f.discard.view(st, "your changes to "+f.title, f.width))
	} else {
		l = append(l, "  "+st.Title.Render(f.title)+st.Muted.Render("  "+hint(f.keys.Save, f.keys.Cancel)))
	}
	if f.live != nil {
		for _, line := range f.live(f.values()) {
			if lipglossWidth(line) <= f.width-4 {
				l = append(l, "  "+line)
				continue
			}
			for _, w := range wrap(ansi.Strip(line), max(10, f.width-4)) { // never cut: "(2 left out: …)" matters
				l = append(l, "  "+w)
			}
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
		label := cell(fl.label, labelWidth, el)
		value := f.fieldText(fl, i == f.focus)
		if fl.fixed {
			value = fitLine(fl.input.Value()+st.Muted.Render("  (fixed)"), f.textWidth()+1, el)
		}
		line := cursor + st.Label.Render(label) + " " + value
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
		if fl.options != nil {
			for _, line := range f.pickLines(fl) {
				l = append(l, "  "+line)
			}
		}
		for i, line := range wrap(text, f.width-4) {
			if i < 3 {
				l = append(l, "  "+style.Render(line))
			}
		}
	}
	return strings.Join(l, "\n")
}

// fieldText is a field's text in its box of cells. A text longer than
// the box says so at the edge it runs on beyond with the ellipsis glyph:
// a field not focused shows its start; the focused one the part around
// the cursor, marked at either edge. Nothing typed looks lost.
func (f *form) fieldText(fl *field, focused bool) string {
	el, box := f.ctx.Glyphs.Ellipsis, f.textWidth()+1
	if !focused {
		return fitLine(fl.input.Value(), box, el)
	}
	return inputView(fl.input, fl.shownFrom(fl.off, box), box, el)
}

// inputView draws a focused input (one that does not scroll itself:
// Width 0) in box cells from cell off, with the ellipsis el at each edge
// its text runs on beyond. Forms and prompts draw their text this way.
func inputView(in textinput.Model, off, box int, el string) string {
	full := in.View() // the whole text with the cursor, or the placeholder
	if ansi.StringWidth(full) <= box || in.Value() == "" {
		return fitLine(full, box, el)
	}
	from, to, head, tail := off, off+box, "", ""
	if off > 0 {
		from, head = from+1, el
	}
	if ansi.StringWidth(in.Value()) > off+box {
		to, tail = to-1, el
	}
	return fitLine(head+ansi.Cut(full, from, to)+tail, box, el)
}

// fieldHelp is the help of the focused field, then every field's, for the
// desk's help page, wrapped to the width (the help page scrolls): none is
// cut.
func (f *form) fieldHelp(width int) []string {
	st := f.ctx.Styles
	var l []string
	if f.focus >= 0 {
		fl := f.fields[f.focus]
		for i, line := range wrap(fl.label+": "+fl.hint, max(20, width-4)) {
			if i == 0 && strings.HasPrefix(line, fl.label+":") { // the label stands out
				line = st.Label.Render(fl.label) + strings.TrimPrefix(line, fl.label)
			}
			l = append(l, "  "+line)
		}
		l = append(l, "")
	}
	l = append(l, "  The fields of "+f.title+":")
	indent := strings.Repeat(" ", 2+labelWidth+1)
	for _, fl := range f.fields {
		for i, line := range wrap(fl.hint, max(20, width-len(indent)-1)) {
			if i == 0 {
				l = append(l, "  "+cell(fl.label, labelWidth, f.ctx.Glyphs.Ellipsis)+" "+line)
			} else {
				l = append(l, indent+line)
			}
		}
	}
	return append(l, "")
}
