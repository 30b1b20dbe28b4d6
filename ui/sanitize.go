package ui

import (
	"strings"
	"unicode/utf8"
)

// safeFrame makes drawn text safe for the terminal, whatever a record
// holds: it keeps line breaks and the colour codes the styles write (CSI
// … m) and turns every other control character into "?": another escape
// sequence (a window title, a screen clear, a cursor move), a bell, NUL,
// carriage return, a C1 control or a bidirectional override. Records are
// checked when written (store Validate); this is the second line, for text
// that came in some other way.
func safeFrame(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			b.WriteByte(c)
			i++
		case c == '\t':
			b.WriteByte(' ')
			i++
		case c == 0x1b:
			if n := sgrLen(s[i:]); n > 0 {
				b.WriteString(s[i : i+n])
				i += n
			} else {
				b.WriteByte('?')
				i++
			}
		case c < 0x20 || c == 0x7f:
			b.WriteByte('?')
			i++
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if badRune(r) {
				b.WriteByte('?')
			} else {
				b.WriteRune(r) // an invalid byte becomes U+FFFD
			}
			i += size
		}
	}
	return b.String()
}

// clean is the fast path: nothing but printable text, line breaks and
// colour codes.
func clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			i++
		case c == 0x1b:
			n := sgrLen(s[i:])
			if n == 0 {
				return false
			}
			i += n
		case c < 0x20 || c == 0x7f:
			return false
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if badRune(r) || (r == utf8.RuneError && size == 1) {
				return false
			}
			i += size
		}
	}
	return true
}

func badRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// sgrLen is the length of a colour code (ESC [ digits ; : m) at the start
// of s, or 0 when s does not start with one.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 64; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9', c == ';', c == ':':
		default:
			return 0
		}
	}
	return 0
}
