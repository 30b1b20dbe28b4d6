package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
)

// Register CSV columns (shared/spec/register-csv.md), in export order.
var registerColumns = []string{
	"id", "name", "provider", "urn", "categories", "status", "postcode", "town", "pattern",
	"taster_day", "core_weekly_pence", "inspection_framework", "inspection_grade",
	"inspection_date", "insurance_expiry", "workforce", "outcomes_framework",
	"contract_management", "needs", "features",
	// Supplier identity (supplier.go): keep these together, last.
	"company_number", "charity_number", "ppon", "registered_address", "sme", "vcse",
}

var requiredColumns = []string{"id", "name", "categories", "postcode", "core_weekly_pence"}

// RowError is one problem with an imported CSV row.
type RowError struct {
	Line    int
	Column  string
	Message string
}

func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Column, e.Message)
}

// ImportError lists every problem found in a register CSV; nothing was
// written.
type ImportError struct{ Rows []RowError }

func (e *ImportError) Error() string {
	lines := make([]string, len(e.Rows))
	for i, r := range e.Rows {
		lines[i] = r.String()
	}
	return strings.Join(lines, "\n")
}

// ImportResult says what an import did.
type ImportResult struct {
	Rows, Created, Updated, Unchanged int
}

// ImportRegister reads a register CSV and writes it in one transaction: all
// of it or, if any row is bad, none of it (the error is *ImportError).
// A row whose id is in the register updates the columns the file has.
// progress, when set, is told how many rows are written so far.
func (s *Store) ImportRegister(r io.Reader, progress func(done, total int)) (ImportResult, error) {
	var res ImportResult
	if err := s.mayWrite(); err != nil {
		return res, err
	}
	rows, errs := s.readRegisterCSV(r)
	if len(errs) > 0 {
		return res, &ImportError{errs}
	}
	res.Rows = len(rows)
	err := s.update(func(tx *Tx) error {
		res.Created, res.Updated, res.Unchanged = 0, 0, 0
		for i, row := range rows {
			row.e.qualifiedBeforeImport(tx.now, row.line)
			w, err := tx.saveEstablishment(row.e, row.provider, "imported from the register CSV")
			if err != nil {
				return fmt.Errorf("line %d: %w", row.line, err)
			}
			switch {
			case w.creating:
				res.Created++
			case w.changed:
				res.Updated++
			default:
				res.Unchanged++
			}
			if progress != nil && (i%500 == 0 || i == len(rows)-1) {
				progress(i+1, len(rows))
			}
		}
		return nil
	})
	return res, err
}

// qualifiedBeforeImport records, for a row the file says is qualified,
// each criterion the register holds no check of as passed on the import
// day: the council's own spreadsheet is the evidence that it qualified
// before the desk, and the checklist says so. An insurance expiry in the
// file is kept, so lapsed insurance still fails by itself (evaluation.md
// §1); a check already recorded is never overwritten.
func (e *Establishment) qualifiedBeforeImport(now time.Time, line int) {
	if e.Status != engine.Qualified {
		return
	}
	var checked, evidence string // the same for every criterion of the row
	for _, cr := range criteria {
		c := e.Check(cr.ID)
		if c.Passed || c.Checked != "" || (cr.HasExpiry && c.Expires == "") {
			continue // recorded already, or lapsing evidence with no date: not seen
		}
		if checked == "" {
			checked, evidence = now.Format(time.DateOnly), fmt.Sprintf("qualified before import (register CSV line %d)", line)
		}
		c.Passed, c.Checked, c.Evidence = true, checked, evidence
		e.SetCheck(c)
	}
}

type csvRow struct {
	line     int
	e        Establishment
	provider string
}

func (s *Store) readRegisterCSV(r io.Reader) ([]csvRow, []RowError) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, []RowError{{Line: 0, Message: err.Error()}}
	}
	t, errs := openCSV(data, registerColumns, requiredColumns)
	if len(errs) > 0 {
		return nil, errs
	}
	existing, err := s.Establishments()
	if err != nil {
		return nil, []RowError{{Message: err.Error()}}
	}
	byID := make(map[string]Establishment, len(existing))
	for _, e := range existing {
		byID[e.ID] = e
	}
	providers, err := s.Providers()
	if err != nil {
		return nil, []RowError{{Message: err.Error()}}
	}
	providerName := map[string]string{}
	for _, p := range providers {
		providerName[p.ID] = p.Name
	}
	seen := map[string]int{}
	rows := make([]csvRow, 0, bytes.Count(data, []byte{'\n'})) // a line a row at most
	g := geo.Default()
	errs = append(errs, t.each(func(line int, cell func(string) (string, bool)) {
		id, _ := cell("id")
		if first, dup := seen[id]; dup && id != "" {
			errs = append(errs, RowError{line, "id", fmt.Sprintf("%q is also on line %d", id, first)})
			return
		}
		seen[id] = line
		e, ok := byID[id]
		if !ok {
			e = Establishment{ID: id, Status: engine.Applied}
		}
		row := csvRow{line: line}
		if name, ok := cell("provider"); ok {
			if msg := textProblem(name, MaxNameLen); msg != "" {
				errs = append(errs, RowError{line, "provider", msg})
			}
			row.provider = name
			if name == "" {
				e.ProviderID = ""
			}
		} else {
			row.provider = providerName[e.ProviderID]
		}
		rowErrs := applyRegisterRow(&e, cell)
		for i := range rowErrs {
			rowErrs[i].Line = line
		}
		errs = append(errs, rowErrs...)
		if len(rowErrs) == 0 {
			if err := e.Validate(g); err != nil {
				var ve *ValidationError
				if errors.As(err, &ve) {
					for _, p := range ve.Problems {
						errs = append(errs, RowError{line, p.Field, p.Message})
					}
				} else {
					errs = append(errs, RowError{line, "", err.Error()})
				}
			}
		}
		row.e = e
		rows = append(rows, row)
	})...)
	if len(rows) == 0 && len(errs) == 0 {
		errs = append(errs, RowError{Line: 2, Message: "the file has a header but no rows"})
	}
	return rows, errs
}

// applyRegisterRow sets the fields of e from the columns the file has; a
// present but empty optional cell clears the field.
func applyRegisterRow(e *Establishment, cell func(string) (string, bool)) []RowError {
	var errs []RowError
	bad := func(c, format string, args ...any) {
		errs = append(errs, RowError{Column: c, Message: fmt.Sprintf(format, args...)})
	}
	list := func(s string) []string {
		var out []string
		for _, x := range strings.Split(s, ";") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	if v, ok := cell("name"); ok {
		e.Name = v
	}
	if v, ok := cell("urn"); ok {
		e.URN = v
	}
	if v, ok := cell("categories"); ok {
		e.Categories = list(v)
	}
	if v, ok := cell("status"); ok {
		if v == "" {
			v = string(engine.Applied)
		}
		e.Status = engine.Status(v)
	}
	if v, ok := cell("postcode"); ok {
		e.Postcode = v
	}
	if v, ok := cell("town"); ok {
		e.Town = v
	}
	if v, ok := cell("pattern"); ok {
		e.Pattern = v
	}
	if v, ok := cell("taster_day"); ok {
		e.TasterDay = strings.ToLower(v)
	}
	if v, ok := cell("core_weekly_pence"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil || n < 0:
			bad("core_weekly_pence", "%q is not whole pence of 0 or more (e.g. 150000 for £1,500.00)", v)
		case n > MaxWeeklyPence:
			bad("core_weekly_pence", "%d is over £100,000.00 a week (%d pence): check the units are pence", n, MaxWeeklyPence)
		}
		e.CoreWeeklyPence = n
	}
	fw, okF := cell("inspection_framework")
	grade, okG := cell("inspection_grade")
	date, okD := cell("inspection_date")
	if okF || okG || okD {
		latest, had := e.Inspection()
		if !okF {
			fw = string(latest.Framework)
		}
		if !okG {
			grade = latest.Grade
		}
		if !okD {
			date = latest.Date
		}
		in := Inspection{Framework: engine.Framework(fw), Grade: grade, Date: date}
		switch {
		case fw == "" && (grade != "" || date != ""):
			bad("inspection_framework", "required when a grade or date is given")
		case fw == "":
			if had {
				e.Inspections = slices.DeleteFunc(e.Inspections, func(i Inspection) bool { return i == latest })
			}
		default:
			i := slices.IndexFunc(e.Inspections, func(i Inspection) bool { return i.Framework == in.Framework })
			if i >= 0 {
				e.Inspections[i] = in
			} else {
				e.Inspections = append(e.Inspections, in)
			}
		}
	}
	if v, ok := cell("insurance_expiry"); ok && (v != "" || slices.ContainsFunc(e.Checks, func(c Check) bool { return c.ID == engine.CritInsurance })) {
		c := e.Check(engine.CritInsurance)
		c.Expires = v
		e.SetCheck(c)
	}
	for _, m := range []struct {
		col string
		p   **float64
	}{{"workforce", &e.Methods.Workforce}, {"outcomes_framework", &e.Methods.OutcomesFramework}, {"contract_management", &e.Methods.ContractManagement}} {
		v, ok := cell(m.col)
		if !ok {
			continue
		}
		if v == "" {
			*m.p = nil
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f <= 100) {
			bad(m.col, "%q is not a number from 0 to 100", v)
			continue
		}
		*m.p = &f
	}
	if v, ok := cell("needs"); ok {
		e.Needs = list(v)
		for _, n := range e.Needs {
			if !slices.Contains(engine.SENTypes(), n) {
				bad("needs", "%q is not an SEN type code (one of %s)", n, strings.Join(engine.SENTypes(), ", "))
			}
		}
	}
	if v, ok := cell("features"); ok {
		e.Features = list(v)
	}
	// Supplier identity: checked by Validate, with the column's name.
	for _, f := range []struct {
		col string
		p   *string
	}{{"company_number", &e.Supplier.CompanyNumber}, {"charity_number", &e.Supplier.CharityNumber}, {"ppon", &e.Supplier.PPON},
		{"registered_address", &e.Supplier.RegisteredAddress}, {"sme", &e.Supplier.SME}, {"vcse", &e.Supplier.VCSE}} {
		if v, ok := cell(f.col); ok {
			*f.p = v
		}
	}
	return errs
}

// ExportRegister writes every establishment as register CSV, sorted by id,
// so that export → import → export gives the same bytes.
func (s *Store) ExportRegister(w io.Writer) error {
	es, err := s.Establishments()
	if err != nil {
		return err
	}
	providers, err := s.Providers()
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, p := range providers {
		names[p.ID] = p.Name
	}
	cw := NewCSVWriter(w)
	cw.Write(registerColumns)
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	for _, e := range es {
		in, _ := e.Inspection()
		cw.Write([]string{
			e.ID, e.Name, names[e.ProviderID], e.URN, strings.Join(e.Categories, ";"), string(e.Status),
			e.Postcode, e.Town, e.Pattern, e.TasterDay, strconv.FormatInt(e.CoreWeeklyPence, 10),
			string(in.Framework), in.Grade, in.Date, e.Check(engine.CritInsurance).Expires,
			num(e.Methods.Workforce), num(e.Methods.OutcomesFramework), num(e.Methods.ContractManagement),
			strings.Join(e.Needs, ";"), strings.Join(e.Features, ";"),
			e.Supplier.CompanyNumber, e.Supplier.CharityNumber, e.Supplier.PPON, e.Supplier.RegisteredAddress, e.Supplier.SME, e.Supplier.VCSE,
		})
	}
	cw.Flush()
	return cw.Error()
}
