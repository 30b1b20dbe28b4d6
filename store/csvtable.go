package store

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
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
			errs = append(errs, RowError{1, h, "unknown column (the columns are " + strings.Join(known, ", ") + ")"})
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

// each calls fn for every row with its line number and a cell reader
// (which reports whether the column is in the file). A row the CSV reader
// cannot read is a problem of its own; after a broken quote nothing more
// can be read.
func (t *csvTable) each(fn func(line int, cell func(string) (string, bool))) []RowError {
	var errs []RowError
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return errs
		}
		line, _ := t.r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			errs = append(errs, RowError{Line: line, Message: csvMessage(err)})
			if !errors.Is(err, csv.ErrFieldCount) {
				return errs // the reader cannot find its place again
			}
			continue
		}
		fn(line, func(c string) (string, bool) {
			if t.col[c] == 0 {
				return "", false
			}
			return strings.TrimSpace(rec[t.col[c]-1]), true
		})
	}
}

func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error() + " (check the quotes and the number of columns)"
	}
	return err.Error()
}
