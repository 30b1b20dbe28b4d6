package store

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// ReportFilter chooses what a report covers; empty fields choose all.
type ReportFilter struct {
	From, To  time.Time // the period: From ≤ t < To; zero for all time
	Category  string
	Authority string
}

func (f ReportFilter) in(t time.Time) bool {
	return !t.IsZero() && (f.From.IsZero() || !t.Before(f.From)) && (f.To.IsZero() || t.Before(f.To))
}

// CostSpread is the weekly cost of a category's awards.
type CostSpread struct {
	Category                  string
	Awards                    int
	MedianPence, Min, Max     int64
	LowQuartile, HighQuartile int64
}

// Winner is an establishment and how many awards it won.
type Winner struct {
	ID, Name string
	Awards   int
}

// Report is what the partnership is buying and at what price, for a
// period, category and authority.
type Report struct {
	Issued             int     // referrals issued in the period
	InvitedPerReferral float64 // mean, over the referrals issued
	BidsPerReferral    float64 // mean, over the referrals issued
	Awards             int     // awards made in the period
	MedianDaysToAward  float64 // from issue to award, over awards made after an issue
	ByRoute            map[AwardRoute]int
	Costs              []CostSpread // per category, largest first
	Winners            []Winner     // most awards first, at most 5
	SuspensionsStarted int
	SuspensionsLifted  int
}

// Report works the figures out from the referral rows, the suspensions and
// the register's names.
func (s *Store) Report(f ReportFilter) (Report, error) {
	if f.Authority != "" && !s.sees(f.Authority) {
		return Report{}, fmt.Errorf("%s works for %s and cannot report on %s's referrals (%w)", s.who.User, s.who.Authority, f.Authority, ErrForbidden)
	}
	rows, err := s.ReferralRows()
	if err != nil {
		return Report{}, err
	}
	sus, err := s.Suspensions("")
	if err != nil {
		return Report{}, err
	}
	rep := ComputeReport(rows, sus, f)
	for i, w := range rep.Winners { // five names, not the whole register
		if e, err := s.Establishment(w.ID); err == nil {
			rep.Winners[i].Name = e.Name
		}
	}
	return rep, nil
}

// ComputeReport is Report's arithmetic, on rows already read; the winners
// are named by Report.
func ComputeReport(rows []ReferralRow, sus []Suspension, f ReportFilter) Report {
	rep := Report{ByRoute: map[AwardRoute]int{}}
	var invited, bids int
	var days []float64
	costs := map[string][]int64{}
	wins := map[string]int{}
	for _, r := range rows {
		if (f.Category != "" && r.Category != f.Category) || (f.Authority != "" && r.Authority != f.Authority) {
			continue
		}
		if f.in(r.IssuedAt) {
			rep.Issued++
			invited += r.Invited
			bids += r.Bids
		}
		if a := r.Award; a != nil && f.in(a.At) {
			rep.Awards++
			rep.ByRoute[a.Route]++
			costs[r.Category] = append(costs[r.Category], a.WeeklyPence)
			wins[a.Establishment]++
			if !r.IssuedAt.IsZero() && a.At.After(r.IssuedAt) {
				days = append(days, a.At.Sub(r.IssuedAt).Hours()/24)
			}
		}
	}
	if rep.Issued > 0 {
		rep.InvitedPerReferral = float64(invited) / float64(rep.Issued)
		rep.BidsPerReferral = float64(bids) / float64(rep.Issued)
	}
	if len(days) > 0 {
		slices.Sort(days)
		rep.MedianDaysToAward = medianF(days)
	}
	for cat, cs := range costs {
		slices.Sort(cs)
		rep.Costs = append(rep.Costs, CostSpread{Category: cat, Awards: len(cs), MedianPence: medianI(cs), Min: cs[0], Max: cs[len(cs)-1],
			LowQuartile: medianI(cs[:(len(cs)+1)/2]), HighQuartile: medianI(cs[len(cs)/2:])})
	}
	slices.SortFunc(rep.Costs, func(a, b CostSpread) int { return cmp.Or(b.Awards-a.Awards, cmp.Compare(a.Category, b.Category)) })
	for id, n := range wins {
		rep.Winners = append(rep.Winners, Winner{ID: id, Awards: n})
	}
	slices.SortFunc(rep.Winners, func(a, b Winner) int { return cmp.Or(b.Awards-a.Awards, cmp.Compare(a.ID, b.ID)) })
	rep.Winners = rep.Winners[:min(5, len(rep.Winners))]
	for _, x := range sus {
		// Suspensions apply to every partner: only the period filters them.
		if f.in(x.Since) {
			rep.SuspensionsStarted++
		}
		if f.in(x.LiftedAt) {
			rep.SuspensionsLifted++
		}
	}
	return rep
}

func medianF(xs []float64) float64 {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// medianI is the median of sorted pence, halves rounded down.
func medianI(xs []int64) int64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
