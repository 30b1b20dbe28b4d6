package publish

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/engine/scenario"
	"dpsdesk/store"
)

// documents are everything written about a referral's decision: its
// export, `evaluate` on the export, the bidders' summaries and the
// quarter's published notices.
func documents(t *testing.T, s *store.Store, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	var exp bytes.Buffer
	if err := s.ExportScenario(id, &exp); err != nil {
		t.Fatal(err)
	}
	out["export"] = exp.String()
	sc, err := scenario.Decode(exp.Bytes(), geo.Default())
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := json.Marshal(scenario.NewOutput(engine.Evaluate(&sc.Competition)))
	out["evaluate"] = string(ev)
	if r, _ := s.Referral(id); r.Status == store.RefAwarded {
		sums, err := Summaries(s, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range sums {
			out["summary "+x.Establishment] = x.Text
		}
		q, _ := ParseQuarter("2026Q4")
		awards, err := Collect(s, q)
		if err != nil {
			t.Fatal(err)
		}
		pcr, _ := Split(awards, store.RegimePCR2015)
		pa, _ := Split(awards, store.RegimePA2023)
		var cf, uk6, uk7 bytes.Buffer
		if err := ContractsFinder(&cf, pcr, q, opts); err != nil {
			t.Fatal(err)
		}
		if err := FindATender(&uk6, pa, UK6, opts); err != nil {
			t.Fatal(err)
		}
		if err := FindATender(&uk7, pa, UK7, opts); err != nil {
			t.Fatal(err)
		}
		out["contracts finder"], out["uk6"], out["uk7"] = cf.String(), uk6.String(), uk7.String()
	}
	return out
}

// TestDecisionsStandWhateverChangesAfter changes, after issue and after
// the award, everything a decision rests on — every bidder's score and
// core cost, the category's cap, the winner's name and standing (it is
// suspended) — and finds the export, the evaluation, the summaries and the
// published notices of the awarded referral, and the export and evaluation
// of an issued one, unchanged to the byte.
func TestDecisionsStandWhateverChangesAfter(t *testing.T) {
	s := demo(t)
	admin, err := s.As(store.Principal{User: "dps.lead", Role: store.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	refs, _ := s.Referrals()
	var awarded, issued store.Referral
	for _, r := range refs {
		a, err := s.AwardOf(r.ID)
		if r.Status == store.RefAwarded && err == nil && a.Route == store.RouteCompetition && awarded.ID == "" {
			awarded = r
		}
		if r.Status == store.RefBidsClosed && issued.ID == "" {
			issued = r
		}
	}
	if awarded.ID == "" || issued.ID == "" {
		t.Fatal("the demo lacks an awarded competition or a closed one")
	}
	before := map[string]map[string]string{awarded.ID: documents(t, s, awarded.ID), issued.ID: documents(t, s, issued.ID)}
	ranked, _, _ := s.Rank(issued.ID, 0)

	win, _ := s.AwardOf(awarded.ID)
	for _, r := range []store.Referral{awarded, issued} {
		bids, _ := s.Bids(r.ID)
		for _, b := range bids {
			if err := s.AddAdjustment(b.Establishment, -30, "contract-management review"); err != nil {
				t.Fatal(err)
			}
			e, _ := s.Establishment(b.Establishment)
			next := e
			next.CoreWeeklyPence = e.CoreWeeklyPence * 3
			if b.Establishment == win.Establishment {
				next.Name = e.Name + " (renamed)"
			}
			if err := s.EditEstablishment(e, next, ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := admin.SetCategoryTerms(r.Category, store.Terms{AffordabilityCapPence: 10000,
			InspectionFloors: engine.Floors{engine.FrameworkOfsted: "Outstanding", engine.FrameworkCQC: "Outstanding"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Suspend(win.Establishment, engine.CritInsurance, "insurance lapsed after the award"); err != nil {
		t.Fatal(err)
	}
	after := documents(t, s, awarded.ID)
	for k, want := range before[awarded.ID] {
		if after[k] != want {
			t.Errorf("%s of awarded %s changed:\n--- before\n%s\n--- after\n%s", k, awarded.ID, want, after[k])
		}
	}
	if strings.Contains(after["export"], "(renamed)") || strings.Contains(after["contracts finder"]+after["uk6"], "(renamed)") {
		t.Error("a rename after the award reached the kept decision")
	}

	// The issued referral: its terms and figures as issued. Only the
	// bidders' standing is live, and these still stand (scores and costs
	// changed, not their criteria; the raised floors are not its terms).
	now, _, _ := s.Rank(issued.ID, 0)
	if len(now.Ranked) != len(ranked.Ranked) || (len(now.Ranked) > 0 && now.Ranked[0] != ranked.Ranked[0]) {
		t.Errorf("%s ranks differently after the register changed:\n%+v\nwas\n%+v", issued.ID, now.Ranked, ranked.Ranked)
	}
	after = documents(t, s, issued.ID)
	for _, k := range []string{"export", "evaluate"} {
		if after[k] != before[issued.ID][k] {
			t.Errorf("%s of issued %s changed:\n--- before\n%s\n--- after\n%s", k, issued.ID, before[issued.ID][k], after[k])
		}
	}
}
