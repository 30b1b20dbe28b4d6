package store

import (
	"testing"
	"time"

	"dpsdesk/engine"
)

// TestReportAgainstAHandBuiltStore checks the report's figures against a
// store whose answers are known.
func TestReportAgainstAHandBuiltStore(t *testing.T) {
	now := testNow
	s, err := Open(t.TempDir()+"/r.db", Options{Actor: "officer.test", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, id := range []string{"A", "B", "C"} {
		e := sampleEstablishment(id)
		e.CoreWeeklyPence = int64(100000 * (i + 1))
		if err := s.SaveEstablishment(e, ""); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(cat string, withBids int) string {
		d := draft()
		d.Category, d.Features = cat, nil
		r, err := s.CreateReferral(d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Issue(r.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"A", "B", "C"}[:withBids] {
			e, _ := s.Establishment(id)
			s.RecordBid(Bid{Referral: r.ID, Establishment: id, CoreWeeklyPence: e.CoreWeeklyPence, OutcomesScore: 50, NeedsMet: []string{"ASD"}})
		}
		return r.ID
	}
	// Three SEN referrals issued now; two awarded 4 and 10 days later.
	r1, r2, r3 := mk(engine.CategorySEN, 3), mk(engine.CategorySEN, 2), mk(engine.CategorySEN, 1)
	now = testNow.AddDate(0, 0, 4)
	if err := s.Award(AwardRequest{Referral: r1, Establishment: "A", Route: RouteDirect, Start: "2026-12-01", WeeklyPence: 150000, Justification: "x"}); err != nil {
		t.Fatal(err)
	}
	now = testNow.AddDate(0, 0, 10)
	if err := s.Award(AwardRequest{Referral: r2, Establishment: "A", Route: RouteBlock, Start: "2026-12-01", WeeklyPence: 250000, Terms: "block 7"}); err != nil {
		t.Fatal(err)
	}
	_ = r3
	s.Suspend("C", engine.CritInsurance, "lapsed")

	rep, err := s.Report(ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issued != 3 || rep.BidsPerReferral != 2 || rep.InvitedPerReferral != 3 || rep.Awards != 2 {
		t.Errorf("issued %d, bids/referral %v, invited/referral %v, awards %d", rep.Issued, rep.BidsPerReferral, rep.InvitedPerReferral, rep.Awards)
	}
	if rep.MedianDaysToAward != 7 || rep.ByRoute[RouteDirect] != 1 || rep.ByRoute[RouteBlock] != 1 {
		t.Errorf("median days %v, routes %v", rep.MedianDaysToAward, rep.ByRoute)
	}
	if len(rep.Costs) != 1 || rep.Costs[0].MedianPence != 200000 || rep.Costs[0].Min != 150000 || rep.Costs[0].Max != 250000 {
		t.Errorf("costs %+v", rep.Costs)
	}
	if len(rep.Winners) != 1 || rep.Winners[0].ID != "A" || rep.Winners[0].Awards != 2 || rep.Winners[0].Name != "Oakmeadow School" {
		t.Errorf("winners %+v", rep.Winners)
	}
	if rep.SuspensionsStarted != 1 || rep.SuspensionsLifted != 0 {
		t.Errorf("suspensions %d/%d", rep.SuspensionsStarted, rep.SuspensionsLifted)
	}
	// Filters: another category, another authority, a period before it all.
	for _, f := range []ReportFilter{{Category: engine.CategoryIAP}, {Authority: "KCC"}, {To: testNow.Add(-time.Hour)}} {
		if rep, _ := s.Report(f); rep.Issued != 0 || rep.Awards != 0 {
			t.Errorf("%+v: %d issued, %d awards", f, rep.Issued, rep.Awards)
		}
	}
	// A period holding only the second award.
	rep, _ = s.Report(ReportFilter{From: testNow.AddDate(0, 0, 5), To: testNow.AddDate(0, 0, 20)})
	if rep.Issued != 0 || rep.Awards != 1 || rep.ByRoute[RouteBlock] != 1 {
		t.Errorf("days 5-20: %d issued, %d awards %v", rep.Issued, rep.Awards, rep.ByRoute)
	}
}
