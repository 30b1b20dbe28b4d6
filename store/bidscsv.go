package store

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Bids CSV columns, as the e-tendering portal exports them.
var bidColumns = []string{"establishment", "core_weekly_pence", "variable_weekly_pence", "discount_pct",
	"needs_met", "features_offered", "outcomes_score", "submitted", "earliest_start"}

var requiredBidColumns = []string{"establishment", "core_weekly_pence", "variable_weekly_pence", "outcomes_score", "submitted"}

// ImportBids loads a referral's bids from CSV in one transaction: all of
// them, or, if any row is bad, none (the error is *ImportError). Lists in a
// cell are separated by ';'; submitted is an RFC 3339 time.
func (s *Store) ImportBids(referral string, r io.Reader, replace bool) (int, error) {
	referral = s.CanonicalReferral(referral)
	// Whether this person may is told before what is wrong with the file.
	if err := s.mayWrite(); err != nil {
		return 0, err
	}
	if _, err := s.Referral(referral); err != nil {
		return 0, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return 0, err
	}
	rows, parsed := parseBids(referral, data)
	if len(rows) == 0 {
		return 0, &ImportError{parsed}
	}
	// The rules are checked on every row even when some cells did not
	// read, so one pass lists every problem; nothing is written then (the
	// transaction is given up).
	reported := map[string]bool{}
	for _, e := range parsed {
		reported[fmt.Sprint(e.Line, e.Column)] = true
	}
	err = s.update(func(tx *Tx) error {
		r, err := tx.referral(referral)
		if err != nil {
			return err
		}
		errs := parsed
		for _, row := range rows {
			if reported[fmt.Sprint(row.line, "establishment")] {
				continue // whose bid it is did not read: nothing more to check
			}
			err := tx.checkBid(&r, &row.b)
			if err == nil && len(parsed) == 0 {
				err = tx.putBid(row.b, replace)
			}
			var ve *ValidationError
			var se *StandingError
			switch {
			case err == nil:
			case errors.As(err, &ve):
				for _, p := range ve.Problems {
					if !reported[fmt.Sprint(row.line, p.Field)] { // said already, as the cell read
						errs = append(errs, RowError{row.line, p.Field, p.Message})
					}
				}
			case errors.As(err, &se):
				errs = append(errs, RowError{row.line, "establishment", se.Error()})
			default:
				return err // the referral's state: the same for every row
			}
		}
		if len(errs) > 0 {
			slices.SortStableFunc(errs, func(a, b RowError) int { return a.Line - b.Line })
			return &ImportError{errs}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

func splitCell(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

type bidRow struct {
	line int
	b    Bid
}

// parseBids reads a bids CSV: the rows, or every problem found.
func parseBids(referral string, data []byte) ([]bidRow, []RowError) {
	t, errs := openCSV(data, bidColumns, requiredBidColumns)
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []bidRow
	seen := map[string]int{}
	errs = append(errs, t.each(func(line int, get func(string) (string, bool)) {
		cell := func(c string) string { v, _ := get(c); return v }
		bad := func(c, format string, args ...any) {
			errs = append(errs, RowError{line, c, fmt.Sprintf(format, args...)})
		}
		b := Bid{Referral: referral, Establishment: cell("establishment"), NeedsMet: splitCell(cell("needs_met")), FeaturesOffered: splitCell(cell("features_offered"))}
		if b.Establishment == "" {
			bad("establishment", "required")
		} else if first, dup := seen[strings.ToUpper(b.Establishment)]; dup {
			bad("establishment", "%q has a bid on line %d already", b.Establishment, first)
		}
		seen[strings.ToUpper(b.Establishment)] = line
		for _, m := range []struct {
			c string
			p *int64
		}{{"core_weekly_pence", &b.CoreWeeklyPence}, {"variable_weekly_pence", &b.VariableWeeklyPence}} {
			n, err := strconv.ParseInt(cell(m.c), 10, 64)
			switch {
			case err != nil || n < 0:
				bad(m.c, "%q is not whole pence of 0 or more", cell(m.c))
			case n > MaxWeeklyPence:
				bad(m.c, "%d is over £100,000.00 a week (%d pence): check the units are pence", n, MaxWeeklyPence)
			}
			*m.p = n
		}
		if v := cell("discount_pct"); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || !(f >= 0 && f <= 100) {
				bad("discount_pct", "%q is not a percentage from 0 to 100", v)
			}
			b.DiscountPct = f
		}
		f, err := strconv.ParseFloat(cell("outcomes_score"), 64)
		if err != nil || !(f >= 0 && f <= 100) {
			bad("outcomes_score", "%q is not a score from 0 to 100", cell("outcomes_score"))
		}
		b.OutcomesScore = f
		at, err := time.Parse(time.RFC3339, cell("submitted"))
		if err != nil {
			bad("submitted", "%q is not an RFC 3339 time such as 2026-11-30T10:00:00Z", cell("submitted"))
		}
		b.Submitted = at.UTC()
		if v := cell("earliest_start"); v != "" {
			iso, err := NormDate(v)
			if err != nil {
				bad("earliest_start", "%v", err)
			}
			b.EarliestStart = iso
		}
		rows = append(rows, bidRow{line, b})
	})...)
	if len(rows) == 0 && len(errs) == 0 {
		errs = append(errs, RowError{Line: 2, Message: "the file has a header but no rows"})
	}
	return rows, errs
}
