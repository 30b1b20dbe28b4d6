package store

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a record's text may hold. They are generous for people
// and keep a hostile file from filling memory on every screen that shows it.
const (
	MaxNameLen  = 200  // names of establishments, providers, authorities, categories
	MaxShortLen = 100  // postcodes, towns, URNs, grades, list items
	MaxNoteLen  = 4000 // reasons, evidence, justifications, notes
	MaxListLen  = 100  // items in one list (needs, features, categories)

	// MaxWeeklyPence is the highest weekly cost the desk accepts: £100,000.
	MaxWeeklyPence = 100_000_00
)

// textProblem says what is wrong with one text field, or "" when nothing:
// it must be UTF-8, hold no control characters (no escape sequences, bells,
// NULs or line breaks) and be at most max characters.
func textProblem(s string, max int) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("is %d characters long: at most %d", n, max)
	}
	for i, r := range s {
		if isControl(r) {
			return fmt.Sprintf("holds a control character (%U) at character %d: escape codes, bells and line breaks are not allowed", r, utf8.RuneCountInString(s[:i])+1)
		}
	}
	return ""
}

// checkText adds a problem for a text field that textProblem refuses.
func checkText(p *problems, field, s string, max int) {
	if msg := textProblem(s, max); msg != "" {
		p.add(field, "%s", msg)
	}
}

// checkList checks every item of a list field and how many there are.
func checkList(p *problems, field string, items []string) {
	if len(items) > MaxListLen {
		p.add(field, "has %d items: at most %d", len(items), MaxListLen)
	}
	for _, it := range items {
		if msg := textProblem(it, MaxShortLen); msg != "" {
			p.add(field, "item %q %s", Printable(it), msg)
			return
		}
	}
}

// isControl is a character that a terminal may act on rather than show:
// C0 and C1 controls, DEL, and the bidirectional overrides that reorder
// what is shown.
func isControl(r rune) bool {
	return unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// Printable makes text safe to draw or print on a terminal: every control
// character (escape, bell, NUL, line breaks, bidi overrides) and every
// invalid byte becomes "?". Records are checked on the way in; this is the
// second line, for whatever got into a store some other way.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isControl(r) {
			b.WriteByte('?')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SafeCell neutralises a CSV cell that a spreadsheet would run as a
// formula (OWASP "CSV injection"): one starting with =, +, -, @, tab or CR
// gets a single quote in front. A plain number ("-12.5") is left alone: it
// cannot run anything and must stay a number.
func SafeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "\t\r") {
		return s
	}
	return "'" + s
}

// unSafeCell undoes SafeCell on import, so that export → import → export
// gives the same bytes.
func unSafeCell(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// CSVWriter is the one way the desk writes CSV: every cell goes through
// SafeCell. Its methods are csv.Writer's.
type CSVWriter struct{ w *csv.Writer }

// NewCSVWriter writes CSV to w with every cell neutralised.
func NewCSVWriter(w io.Writer) *CSVWriter { return &CSVWriter{csv.NewWriter(w)} }

// Write writes one row.
func (c *CSVWriter) Write(row []string) error {
	safe := make([]string, len(row))
	for i, v := range row {
		safe[i] = SafeCell(v)
	}
	return c.w.Write(safe)
}

// WriteAll writes the rows and flushes.
func (c *CSVWriter) WriteAll(rows [][]string) error {
	for _, r := range rows {
		if err := c.Write(r); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}

// Flush writes what is buffered.
func (c *CSVWriter) Flush() { c.w.Flush() }

// Error is the first error writing met.
func (c *CSVWriter) Error() error { return c.w.Error() }

// Encodings an import file may be in.
const (
	EncodingUTF8   = "utf-8"
	EncodingLatin1 = "latin1"
)

// DecodeText turns an import file into UTF-8: utf-8 as it is (checked when
// read), latin1 (ISO 8859-1, what older spreadsheets save) converted byte
// by byte. Any other name is an error.
func DecodeText(data []byte, encoding string) ([]byte, error) {
	switch strings.ToLower(encoding) {
	case "", "utf-8", "utf8":
		return data, nil
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1":
		if utf8.Valid(data) && !hasHighBytes(data) {
			return data, nil
		}
		out := make([]byte, 0, len(data)+len(data)/8)
		for _, c := range data {
			out = utf8.AppendRune(out, rune(c))
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown encoding %q (utf-8 or latin1)", encoding)
}

func hasHighBytes(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// invalidUTF8 says where the first byte that is not UTF-8 is in s: its
// character position (1-based) and the byte, or 0.
func invalidUTF8(s string) (int, byte) {
	n := 0
	for i, r := range s {
		n++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return n, s[i]
			}
		}
	}
	return 0, 0
}

// checkJSONText scans a record as it is about to be stored (JSON, as
// json.Marshal writes it) and refuses any text in it that textProblem would
// refuse at the note limit: whatever path wrote it, no record holds an
// escape sequence, a bell, a NUL, a line break or a bidi override, or a
// string longer than a note. The fields' own, tighter limits, with the
// field named, are in each record's Validate; this is the backstop, and
// cheap: one pass over the bytes.
func checkJSONText(record string, data []byte) error {
	if msg := jsonTextProblem(data); msg != "" {
		return &ValidationError{Record: record, Problems: []FieldError{{Field: "text", Message: msg}}}
	}
	return nil
}

// jsonTextProblem is checkJSONText's finding in words, "" when none.
func jsonTextProblem(data []byte) string {
	bad := func(msg string) string { return msg }
	in, n := false, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !in {
			if c == '"' {
				in, n = true, 0
			}
			continue
		}
		switch {
		case c == '"':
			in = false
			continue
		case c == '\\' && i+1 < len(data):
			i++
			switch data[i] {
			case 'n', 'r', 't', 'b', 'f':
				return bad("holds a control character (a line break, tab or similar)")
			case 'u':
				if i+4 < len(data) {
					r, err := strconv.ParseUint(string(data[i+1:i+5]), 16, 32)
					if err == nil && isControl(rune(r)) {
						return bad(fmt.Sprintf("holds a control character (%U)", rune(r)))
					}
					i += 4
				}
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(data[i:])
			if isControl(r) {
				return bad(fmt.Sprintf("holds a control character (%U)", r))
			}
			i += size - 1
		case c == 0x7f || c < 0x20:
			return bad(fmt.Sprintf("holds a control character (%U)", rune(c)))
		}
		if n++; n > MaxNoteLen {
			return bad(fmt.Sprintf("holds text over %d characters long", MaxNoteLen))
		}
	}
	return ""
}
