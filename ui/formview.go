package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

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

// fieldHelp is the help of the focused field, then every field's, for the
// desk's help page.
func (f *form) fieldHelp() []string {
	var l []string
	if f.focus >= 0 {
		fl := f.fields[f.focus]
		l = append(l, "  "+f.ctx.Styles.Label.Render(fl.label)+": "+fl.hint, "")
	}
	l = append(l, "  The fields of "+f.title+":")
	for _, fl := range f.fields {
		l = append(l, "  "+cell(fl.label, 22, f.ctx.Glyphs.Ellipsis)+" "+fl.hint)
	}
	return append(l, "")
}
