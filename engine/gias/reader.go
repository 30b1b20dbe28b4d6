package gias

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"dpsdesk/engine"
)

// HeaderError is a file whose header lacks columns the desk needs.
type HeaderError struct {
	Missing []string // required columns not in the header
	Twice   []string // columns the desk reads that appear more than once
	Err     error    // the header could not be read at all
}

func (e *HeaderError) Error() string {
	var parts []string
	if e.Err != nil {
		parts = append(parts, "line 1: no header row: "+e.Err.Error())
	}
	if len(e.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("line 1: the header lacks %s: is this the GIAS all-establishments download (edubasealldataYYYYMMDD.csv)?", quoteList(e.Missing)))
	}
	if len(e.Twice) > 0 {
		parts = append(parts, fmt.Sprintf("line 1: %s appear more than once", quoteList(e.Twice)))
	}
	return strings.Join(parts, "; ")
}

func quoteList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = strconv.Quote(c)
	}
	return strings.Join(q, ", ")
}

// RowError is a problem with one row: the line it starts on, the column
// and what is wrong. Reading goes on with the next row.
type RowError struct {
	Line    int
	Column  string
	Message string
	// Stop: after this row nothing more of the file can be read (a
	// broken quote).
	Stop bool
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Column, e.Message)
}

// Reader reads a GIAS download row by row.
type Reader struct {
	csv  *csv.Reader
	col  map[string]int // column → index
	sen  []int          // SEN1…SEN13 indexes present
	rows int
}

// maxCell is the longest cell read, in bytes; a GIAS cell is far shorter.
const maxCell = 16 << 10

// NewReader reads the header of a download. The file is Windows-1252 (what
// the DfE publishes); one that starts with a UTF-8 byte-order mark is read
// as UTF-8. A header that lacks a required column is a *HeaderError naming
// each missing one.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var src io.Reader = newCP1252Reader(br)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		src = br
	}
	cr := csv.NewReader(src)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("the file is empty")
		}
		return nil, &HeaderError{Err: err}
	}
	cr.FieldsPerRecord = len(header)
	rd := &Reader{csv: cr, col: make(map[string]int, len(header))}
	he := &HeaderError{}
	wanted := map[string]bool{}
	for _, c := range append([]string{ColURN, ColLA, ColName, ColType, ColStatus, ColOpenDate, ColCloseDate, ColLowAge,
		ColHighAge, ColBoarders, ColCapacity, ColPupils, ColOfstedLastInsp, ColOfstedRating, ColInspectorate,
		ColLastInspVisit, ColTown, ColPostcode, ColProprietor}, senColumns()...) {
		wanted[c] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := rd.col[h]; dup && wanted[h] {
			he.Twice = append(he.Twice, h)
			continue
		}
		rd.col[h] = i
	}
	for _, c := range RequiredColumns() {
		if _, ok := rd.col[c]; !ok {
			he.Missing = append(he.Missing, c)
		}
	}
	if len(he.Missing) > 0 || len(he.Twice) > 0 {
		return nil, he
	}
	for _, c := range senColumns() {
		if i, ok := rd.col[c]; ok {
			rd.sen = append(rd.sen, i)
		}
	}
	return rd, nil
}

// Rows is how many rows have been read so far.
func (rd *Reader) Rows() int { return rd.rows }

// Own copies the record's text out of the row it was read from. The
// cells of one row share one string, so a record kept after the next row
// is read keeps the whole row (~150 columns) alive unless it owns its
// text; most rows are looked at and dropped, and are not copied.
func (r *Record) Own() {
	for _, p := range []*string{&r.URN, &r.Name, &r.LA, &r.Type, &r.Status, &r.Boarders, &r.OfstedRating,
		&r.Inspectorate, &r.Town, &r.Postcode, &r.Proprietor} {
		*p = strings.Clone(*p)
	}
	r.SEN = slices.Clone(r.SEN)
	for i := range r.SEN {
		r.SEN[i] = strings.Clone(r.SEN[i])
	}
}

// Next reads the next row. At the end it returns io.EOF. A row with a bad
// value is a *RowError (reading can go on); a row the CSV reader cannot
// read is a *RowError too, and after a broken quote (Stop) nothing more
// can be read.
func (rd *Reader) Next() (Record, error) {
	rec, err := rd.csv.Read()
	if err == io.EOF {
		return Record{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			re := &RowError{Line: pe.StartLine, Message: pe.Err.Error() + " (check the quotes and the number of columns)"}
			if !errors.Is(err, csv.ErrFieldCount) {
				re.Stop = true
				re.Message += "; the rest of the file cannot be read"
			}
			return Record{}, re
		}
		return Record{}, err
	}
	rd.rows++
	line, _ := rd.csv.FieldPos(0)
	r := Record{Line: line}
	var bad *RowError
	cell := func(c string) string {
		i, ok := rd.col[c]
		if !ok {
			return ""
		}
		v := strings.TrimSpace(rec[i])
		if msg := cellProblem(v); msg != "" && bad == nil {
			bad = &RowError{Line: line, Column: c, Message: msg}
		}
		return v
	}
	date := func(c string) time.Time {
		v := cell(c)
		d, ok := ParseDate(v)
		if !ok && bad == nil {
			bad = &RowError{Line: line, Column: c, Message: fmt.Sprintf("%q is not a date (dd-mm-yyyy, dd/mm/yyyy or yyyy-mm-dd)", v)}
		}
		return d
	}
	num := func(c string) int {
		v := cell(c)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if (err != nil || n < 0) && bad == nil {
			bad = &RowError{Line: line, Column: c, Message: fmt.Sprintf("%q is not a whole number of 0 or more", v)}
		}
		return n
	}
	r.URN = cell(ColURN)
	if !engine.ValidURN(r.URN) && bad == nil {
		bad = &RowError{Line: line, Column: ColURN, Message: fmt.Sprintf("%q is not a URN (6 digits)", r.URN)}
	}
	r.Name, r.LA, r.Type, r.Status = cell(ColName), cell(ColLA), cell(ColType), cell(ColStatus)
	r.OpenDate, r.CloseDate = date(ColOpenDate), date(ColCloseDate)
	r.LowAge, r.HighAge = num(ColLowAge), num(ColHighAge)
	r.Boarders = cell(ColBoarders)
	r.Capacity, r.Pupils = num(ColCapacity), num(ColPupils)
	r.OfstedRating, r.OfstedLastInsp = cell(ColOfstedRating), date(ColOfstedLastInsp)
	r.Inspectorate, r.LastInspVisit = cell(ColInspectorate), date(ColLastInspVisit)
	r.Town, r.Postcode, r.Proprietor = cell(ColTown), cell(ColPostcode), cell(ColProprietor)
	for _, i := range rd.sen {
		if v := strings.TrimSpace(rec[i]); v != "" {
			if msg := cellProblem(v); msg != "" && bad == nil {
				bad = &RowError{Line: line, Column: "SEN provision", Message: msg}
			}
			r.SEN = append(r.SEN, v)
		}
	}
	if r.Name == "" && bad == nil {
		bad = &RowError{Line: line, Column: ColName, Message: "empty: every establishment has a name"}
	}
	if bad != nil {
		return r, bad
	}
	return r, nil
}

// cellProblem says what is wrong with a cell the desk reads, or "".
func cellProblem(v string) string {
	if len(v) > maxCell {
		return fmt.Sprintf("the cell is %d bytes long: at most %d", len(v), maxCell)
	}
	for i, c := range v {
		switch {
		case c == utf8.RuneError:
			return fmt.Sprintf("character %d is a byte Windows-1252 does not define (is the file from GIAS?)", utf8.RuneCountInString(v[:i])+1)
		case unicode.IsControl(c):
			return fmt.Sprintf("holds a control character (%U) at character %d", c, utf8.RuneCountInString(v[:i])+1)
		}
	}
	return ""
}

// ParseDate reads a GIAS date: dd-mm-yyyy as the download writes them, or
// dd/mm/yyyy, or yyyy-mm-dd. "" is no date (zero, ok).
func ParseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{"02-01-2006", "02/01/2006", time.DateOnly} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}
