package ui

import (
	"strings"
	"unicode/utf8"

	"dpsdesk/keymap"

	"github.com/charmbracelet/x/ansi"
)

// asciiFor says in 7-bit ASCII what the desk and its data draw outside it.
var asciiFor = map[rune]string{
	'·': "-", '…': "~", '—': "-", '–': "-", '‘': "'", '’': "'", '“': `"`, '”': `"`,
	'↑': "up", '↓': "down", '←': "left", '→': "right", '£': "GBP ", '€': "EUR ",
	'▸': ">", '●': "*", '─': "-", '│': "|", '✓': "x", '█': "#", '×': "x", '½': "1/2",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ç': "c",
	'í': "i", 'ï': "i", 'ó': "o", 'ô': "o", 'ö': "o", 'ú': "u", 'ü': "u", 'ñ': "n", '\u00a0': " ",
}

// toASCII writes s in 7-bit ASCII: what has an ASCII form takes it, the
// rest is a ?. Terminal escape sequences (colour) are kept.
func toASCII(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		if s[0] == '\x1b' {
			seq, _, n, _ := ansi.DecodeSequence(s, ansi.NormalState, nil)
			b.WriteString(seq)
			s = s[n:]
			continue
		}
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch w, ok := asciiFor[r]; {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r == '£' && len(s) > 0 && s[0] >= '0' && s[0] <= '9':
			// An amount keeps its width in its column: the column says
			// it is pounds; "GBP" is for the words around it.
		case ok:
			b.WriteString(w)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// keyScroll names the keys that scroll a page, for a line of prose.
func keyScroll() string {
	k := keymap.NewScroll()
	return k.Up.Help().Key + " " + k.Down.Help().Key + " " + k.PageDown.Help().Key
}
