package store

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"dpsdesk/engine/gias"
)

// MarketRow is one establishment of the market beyond the register: open,
// of a SEN-relevant kind, not on the register, within the radius of a
// partner authority's area.
type MarketRow struct {
	GIASFact
	Area  string  // the nearest partner area's authority code
	Miles float64 // from that area; 0 inside it
}

// MarketResult is the market a download shows.
type MarketResult struct {
	Source   string
	Rows     int
	Market   []MarketRow
	Problems []error
}

// Market reads a download and lists the market beyond the register within
// miles of any partner's area, nearest first.
func (s *Store) Market(r io.Reader, source string, miles float64) (MarketResult, error) {
	res := MarketResult{Source: source}
	if miles < 0 || miles > MarketMaxMiles {
		return res, fmt.Errorf("the radius must be from 0 to %g miles, not %g", MarketMaxMiles, miles)
	}
	onRegister, err := s.registerURNs()
	if err != nil {
		return res, err
	}
	plan := &GIASPlan{}
	if err := readGIAS(r, source, func(rec *gias.Record) bool { return onRegister[rec.URN] }, func(*gias.Record) {}, plan); err != nil {
		return res, err
	}
	res.Rows, res.Problems = plan.Rows, plan.Problems
	res.Market = marketOf(plan.Facts, onRegister, miles, "", "")
	return res, nil
}

func (s *Store) registerURNs() (map[string]bool, error) {
	rows, err := s.Register()
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		if r.URN != "" {
			out[r.URN] = true
		}
	}
	return out, err
}

// marketOf picks the market from facts: open, SEN-relevant, not on the
// register, within miles of an area (of authority, when given), of the
// category when given; nearest first, then by name.
func marketOf(facts []GIASFact, onRegister map[string]bool, miles float64, category, authority string) []MarketRow {
	var out []MarketRow
	for _, f := range facts {
		if !f.Open() || f.Category == "" || onRegister[f.URN] || (category != "" && f.Category != category) {
			continue
		}
		area, d := f.Miles()
		if authority != "" {
			var ok bool
			if d, ok = f.Areas[authority]; !ok {
				continue
			}
			area = authority
		}
		if area == "" || d > miles {
			continue
		}
		out = append(out, MarketRow{GIASFact: f, Area: area, Miles: d})
	}
	slices.SortStableFunc(out, func(a, b MarketRow) int {
		return cmp.Or(cmp.Compare(a.Miles, b.Miles), strings.Compare(a.Name, b.Name), strings.Compare(a.URN, b.URN))
	})
	return out
}

// MarketCount is how many establishments of the market beyond the register
// the last GIAS import found, for one category and partner area.
type MarketCount struct {
	Source string // the import's source; "" before the first import
	Miles  float64
	Count  int
	// ByCategory and ByArea split Count (an establishment counts once in
	// ByArea, under its nearest area).
	ByCategory map[string]int
	ByArea     map[string]int
}

// MarketCounts counts the market the last import kept within miles of the
// partners' areas (of authority's area only, when given) and of category
// (all when ""), leaving out whatever has joined the register since.
func (s *Store) MarketCounts(miles float64, category, authority string) (MarketCount, error) {
	mc := MarketCount{Miles: miles, ByCategory: map[string]int{}, ByArea: map[string]int{}}
	facts, err := s.GIASFacts()
	if err != nil || len(facts) == 0 {
		return mc, err
	}
	onRegister, err := s.registerURNs()
	if err != nil {
		return mc, err
	}
	mc.Source = facts[0].Source
	for _, r := range marketOf(facts, onRegister, miles, category, authority) {
		mc.Count++
		mc.ByCategory[r.Category]++
		mc.ByArea[r.Area]++
	}
	return mc, nil
}
