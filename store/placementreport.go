package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
)

// PlacementReport is what the partnership has committed to and what it is
// getting for it, for a category and authority (Reports, issue 16).
type PlacementReport struct {
	Live       int
	Commitment []Commitment     // per authority and category, largest first
	Outcomes   []OutcomesAtSite // per establishment, most outcomes met first
}

// Commitment is the weekly and annual cost of the live placements of one
// authority in one category, on the report's day.
type Commitment struct {
	Authority, Category string
	Placements          int
	WeeklyPence         int64
	AnnualPence         int64 // weekly × 52 (§3)
}

// OutcomesAtSite is an establishment's outcomes met at its placements'
// latest reviews.
type OutcomesAtSite struct {
	Establishment, Name string
	Placements          int // reviewed
	Met, Total          int
}

// PlacementReport works the figures out from the placement rows on day:
// commitment from live placements' weekly cost in force that day, outcomes
// from every placement's latest review (ended ones too: their outcomes
// were reached or not).
func (s *Store) PlacementReport(f ReportFilter, day time.Time) (PlacementReport, error) {
	if f.Authority != "" && !s.sees(f.Authority) {
		return PlacementReport{}, fmt.Errorf("%s works for %s and cannot report on %s's placements (%w)", s.who.User, s.who.Authority, f.Authority, ErrForbidden)
	}
	rows, err := s.PlacementRows()
	if err != nil {
		return PlacementReport{}, err
	}
	today := engine.Day(day).Format(time.DateOnly)
	var rep PlacementReport
	com := map[[2]string]*Commitment{}
	out := map[string]*OutcomesAtSite{}
	for i := range rows {
		r := &rows[i]
		if (f.Category != "" && r.Category != f.Category) || (f.Authority != "" && r.Authority != f.Authority) {
			continue
		}
		if r.Status == PlacementLive {
			rep.Live++
			k := [2]string{r.Authority, r.Category}
			c := com[k]
			if c == nil {
				c = &Commitment{Authority: r.Authority, Category: r.Category}
				com[k] = c
			}
			c.Placements++
			c.WeeklyPence += r.WeeklyOn(today)
		}
		if r.OutcomesTotal > 0 {
			o := out[r.Establishment]
			if o == nil {
				o = &OutcomesAtSite{Establishment: r.Establishment, Name: r.Name}
				out[r.Establishment] = o
			}
			o.Placements++
			o.Met += r.OutcomesMet
			o.Total += r.OutcomesTotal
		}
	}
	for _, c := range com {
		c.AnnualPence = engine.AnnualPence(c.WeeklyPence)
		rep.Commitment = append(rep.Commitment, *c)
	}
	slices.SortFunc(rep.Commitment, func(a, b Commitment) int {
		if a.WeeklyPence != b.WeeklyPence {
			return int(b.WeeklyPence - a.WeeklyPence)
		}
		return strings.Compare(a.Authority+a.Category, b.Authority+b.Category)
	})
	for _, o := range out {
		rep.Outcomes = append(rep.Outcomes, *o)
	}
	slices.SortFunc(rep.Outcomes, func(a, b OutcomesAtSite) int {
		if a.Met != b.Met {
			return b.Met - a.Met
		}
		return strings.Compare(a.Name, b.Name)
	})
	return rep, nil
}
