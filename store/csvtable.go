package store

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// csvTable reads an import file (RFC 4180, UTF-8, a byte-order mark
// allowed, a header row, columns in any order) and checks its header.
type csvTable struct {
	r   *csv.Reader
	col map[string]int // column → 1-based position; 0 when absent
}

// openCSV reads the header: every column must be known, none twice, and
// the required ones there. Problems are reported as line 1.
func openCSV(data []byte, known, required []string) (*csvTable, []RowError) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	header, err := cr.Read()
	if err != nil {
		return nil, []RowError{{Line: 1, Message: "no header row: " + csvMessage(err)}}
	}
	var errs []RowError
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case !slices.Contains(known, h):
			errs = append(errs, RowError{1, Printable(h), "unknown column (the columns are " + strings.Join(known, ", ") + ")"})
		case col[h] > 0:
			errs = append(errs, RowError{1, h, "column appears twice"})
		}
		col[h] = i + 1
	}
	for _, c := range required {
		if col[c] == 0 {
			errs = append(errs, RowError{1, c, "required column is missing"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &csvTable{r: cr, col: col}, nil
}

// maxCell is the longest cell an import reads (in bytes); the fields'
// own limits are shorter still.
const maxCell = 16 << 10

// each calls fn for every row with its line number and a cell reader
// (which reports whether the column is in the file). A row the CSV reader
// cannot read is a problem of its own; after a broken quote nothing more
// can be read. Every cell must be UTF-8 without control characters and at
// most maxCell bytes; a row with a cell that is not is reported, column by
// column, and not given to fn.
func (t *csvTable) each(fn func(line int, cell func(string) (string, bool))) []RowError {
	var errs []RowError
	names := make([]string, len(t.col))
	for c, i := range t.col {
		if i > 0 && i <= len(names) {
			names[i-1] = c
		}
	}
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return errs
		}
		if err != nil {
			line, where := 0, ""
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			if pe != nil && !errors.Is(err, csv.ErrFieldCount) {
				if pe.Line != pe.StartLine {
					where = fmt.Sprintf("line %d ", pe.Line)
				}
				where = fmt.Sprintf("at %scharacter %d", where, pe.Column)
			}
			errs = append(errs, RowError{Line: line, Column: where, Message: csvMessage(err)})
			if !errors.Is(err, csv.ErrFieldCount) {
				return errs // the reader cannot find its place again
			}
			continue
		}
		line, _ := t.r.FieldPos(0)
		bad := false
		for i, v := range rec {
			if msg := cellProblem(v); msg != "" {
				name := fmt.Sprintf("column %d", i+1)
				if i < len(names) && names[i] != "" {
					name = names[i]
				}
				at, _ := t.r.FieldPos(i)
				errs = append(errs, RowError{at, name, msg})
				bad = true
			}
		}
		if bad {
			continue
		}
		fn(line, func(c string) (string, bool) {
			if t.col[c] == 0 {
				return "", false
			}
			return unSafeCell(strings.TrimSpace(rec[t.col[c]-1])), true
		})
	}
}

// cellProblem says what is wrong with a cell as text, or "".
func cellProblem(v string) string {
	if at, b := invalidUTF8(v); at > 0 {
		return fmt.Sprintf("byte 0x%02X at character %d is not UTF-8 (save the file as UTF-8, or give --encoding latin1 if it is Latin-1)", b, at)
	}
	if len(v) > maxCell {
		return fmt.Sprintf("the cell is %d bytes long: at most %d", len(v), maxCell)
	}
	for i, r := range v {
		if isControl(r) {
			return fmt.Sprintf("holds a control character (%U) at character %d: escape codes, bells, NULs and line breaks are not allowed", r, utf8.RuneCountInString(v[:i])+1)
		}
	}
	return ""
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error() + " (check the quotes and the number of columns)"
	}
	return err.Error()
}
