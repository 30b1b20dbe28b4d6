package store

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/engine/scenario"
)

// lapseStore holds four SEN schools near RH12 1AB; "L" has insurance
// valid to 18 Nov 2026. Its clock is *now.
func lapseStore(t *testing.T, now *time.Time) *Store {
	t.Helper()
	s, err := Open(t.TempDir()+"/s.db", Options{Actor: "officer.test", Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, id := range []string{"A", "B", "C", "L"} {
		e := sampleEstablishment(id)
		e.Name = "School " + id
		if id == "L" {
			e.Checks = passingChecks("2026-01-10", "2026-11-18")
		}
		if err := s.SaveEstablishment(e, ""); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestIssueLeavesOutAnEstablishmentFailingACriterion(t *testing.T) {
	now := time.Date(2026, 11, 18, 16, 0, 0, 0, time.UTC) // the insurance's last valid day
	s := lapseStore(t, &now)
	r, err := s.CreateReferral(draft())
	if err != nil {
		t.Fatal(err)
	}
	if inv, left, _ := s.Invitations(r, now); !slices.Equal(inv, []string{"A", "B", "C", "L"}) || len(left) != 0 {
		t.Fatalf("on its expiry date L is still valid: invited %v, left out %v", inv, left)
	}
	now = now.AddDate(0, 0, 1)
	inv, left, _ := s.Invitations(r, now)
	if !slices.Equal(inv, []string{"A", "B", "C"}) || len(left) != 1 || left[0].Establishment != "L" {
		t.Fatalf("the day after: invited %v, left out %+v", inv, left)
	}
	if got := LeftOutText(left); got != "1 left out: insurance expired" {
		t.Errorf("left-out text %q", got)
	}
	invited, err := s.Issue(r.ID)
	if err != nil || !slices.Equal(invited, []string{"A", "B", "C"}) {
		t.Fatalf("issued to %v (%v), want A, B, C", invited, err)
	}
	last, _ := s.Audit(AuditFilter{Record: r.ID, Action: "referral.issue"})
	if len(last) != 1 || !strings.Contains(last[0].Changes[len(last[0].Changes)-1].After, "1 left out: insurance expired") {
		t.Errorf("the issue's audit entry does not say who was left out: %+v", last)
	}
}

func TestReissueAndWidenLeaveOutALapsedEstablishment(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	s := lapseStore(t, &now)
	d := draft()
	d.RadiusMiles = 1 // nobody within a mile of RH12 1AB but the sample's own sector? widen below
	r, _ := s.CreateReferral(d)
	if err := s.Widen(r.ID, engine.WideningStepMiles); err != nil {
		t.Fatal(err)
	}
	r, _ = s.Referral(r.ID)
	if inv, _, _ := s.Invitations(r, now); slices.Contains(inv, "L") {
		t.Errorf("widened, L is counted: %v", inv)
	}
	invited, err := s.Issue(r.ID)
	if err != nil || slices.Contains(invited, "L") {
		t.Fatalf("issued to %v (%v)", invited, err)
	}
	// No compliant bid: closed, evaluated, re-issued wider — L still out.
	if err := s.CloseBids(r.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Evaluate(r.ID); err != nil || res.Outcome != engine.OutcomeNoSuitableBid {
		t.Fatalf("evaluate: %v %v", res.Outcome, err)
	}
	invited, err = s.Reissue(r.ID, now.AddDate(0, 0, 14))
	if err != nil || slices.Contains(invited, "L") || len(invited) != 3 {
		t.Errorf("re-issued to %v (%v), want A, B, C", invited, err)
	}
}

func TestABidFromALapsedEstablishmentIsRefusedAndNeverAwarded(t *testing.T) {
	now := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	s := lapseStore(t, &now)
	r, _ := s.CreateReferral(draft())
	if invited, err := s.Issue(r.ID); err != nil || len(invited) != 4 {
		t.Fatalf("issued to %v (%v)", invited, err)
	}
	bid := func(id string, variable int64) Bid {
		return Bid{Referral: r.ID, Establishment: id, CoreWeeklyPence: 150000, VariableWeeklyPence: variable,
			NeedsMet: []string{"ASD", "SLCN"}, FeaturesOffered: []string{"wheelchair-access", "taster-day"}, OutcomesScore: 70}
	}
	// L bids cheapest while its insurance holds; A bids on the day after.
	if err := s.RecordBid(bid("L", 0)); err != nil {
		t.Fatal(err)
	}
	now = time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	err := s.RecordBid(bid("L", 0))
	var se *StandingError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "insurance expired 18 Nov 2026") {
		t.Fatalf("a bid from L after its lapse: %v, want refused naming the expiry", err)
	}
	var csv bytes.Buffer
	csv.WriteString("establishment,core_weekly_pence,variable_weekly_pence,needs_met,features_offered,outcomes_score,submitted\n")
	csv.WriteString("L,150000,0,ASD;SLCN,wheelchair-access,70,2026-11-19T08:00:00Z\n")
	if _, err := s.ImportBids(r.ID, &csv, false); err == nil || !strings.Contains(err.Error(), "insurance expired 18 Nov 2026") {
		t.Errorf("an imported bid from L after its lapse: %v, want refused naming the expiry", err)
	}
	for _, id := range []string{"A", "B"} {
		if err := s.RecordBid(bid(id, 40000)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CloseBids(r.ID); err != nil {
		t.Fatal(err)
	}
	res, err := s.Evaluate(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, rb := range res.Ranked {
		if rb.Establishment == "L" {
			t.Fatalf("L is ranked after its lapse: %+v", res.Ranked)
		}
	}
	i := slices.IndexFunc(res.NonCompliant, func(nc engine.NonCompliantBid) bool { return nc.Establishment == "L" })
	if i < 0 || !strings.Contains(strings.Join(res.NonCompliant[i].Words(), "; "), "insurance expired 18 Nov 2026") {
		t.Fatalf("L's bid: %+v, want non-compliant naming the expiry", res.NonCompliant)
	}
	// The export says the same: L stands as suspended in the scenario.
	var buf bytes.Buffer
	if err := s.ExportScenario(r.ID, &buf); err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Decode(buf.Bytes(), geo.Default())
	if err != nil {
		t.Fatal(err)
	}
	if ev := engine.Evaluate(&sc.Competition); len(ev.Ranked) != len(res.Ranked) || ev.Ranked[0].Establishment != res.Ranked[0].Establishment {
		t.Errorf("export + evaluate ranks %+v, the desk %+v", ev.Ranked, res.Ranked)
	}
	// A direct placement with L is refused too.
	err = s.Award(AwardRequest{Referral: r.ID, Establishment: "L", Route: RouteDirect, Start: "2026-12-01", WeeklyPence: 150000, Justification: "urgent"})
	if !errors.Is(err, ErrStanding) {
		t.Errorf("direct placement with L: %v, want refused for its standing", err)
	}
}

func TestAwardRefusesAWinnerThatLapsedAfterTheEvaluation(t *testing.T) {
	now := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	s := lapseStore(t, &now)
	r, _ := s.CreateReferral(draft())
	s.Issue(r.ID)
	// L alone bids: recommended on 17 Nov, its insurance lapses before
	// the award.
	if err := s.RecordBid(Bid{Referral: r.ID, Establishment: "L", CoreWeeklyPence: 150000, NeedsMet: []string{"ASD"},
		FeaturesOffered: []string{"wheelchair-access"}, OutcomesScore: 60}); err != nil {
		t.Fatal(err)
	}
	s.CloseBids(r.ID)
	now = time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
	res, err := s.Evaluate(r.ID)
	if err != nil || res.Recommended != "L" {
		t.Fatalf("evaluated: %+v %v", res, err)
	}
	now = time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	err = s.Award(AwardRequest{Referral: r.ID, Establishment: "L", Route: RouteCompetition, Start: "2026-12-01"})
	if !errors.Is(err, ErrStanding) || !strings.Contains(err.Error(), "insurance expired 18 Nov 2026") {
		t.Fatalf("award to L after its lapse: %v, want refused naming the expiry", err)
	}
	if _, err := s.AwardOf(r.ID); err == nil {
		t.Error("an award was written")
	}
}

// TestNoDemoReferralRanksAnEstablishmentFailingToday checks every demo
// referral through its export and `evaluate`: no ranked bid is from an
// establishment that fails a criterion today.
func TestNoDemoReferralRanksAnEstablishmentFailingToday(t *testing.T) {
	s := demoStore(t)
	floors, _ := s.Floors()
	refs, _ := s.Referrals()
	checked := 0
	for _, r := range refs {
		if r.Status == RefDraft {
			continue
		}
		var buf bytes.Buffer
		if err := s.ExportScenario(r.ID, &buf); err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.Decode(buf.Bytes(), geo.Default())
		if err != nil {
			t.Fatal(err)
		}
		for _, rb := range engine.Evaluate(&sc.Competition).Ranked {
			e, _ := s.Establishment(rb.Establishment)
			if st := StandingOf(&e, testNow, floors); len(st.In(r.Category)) > 0 || e.Status != engine.Qualified {
				t.Errorf("%s ranks %s, which is %s and fails %s", r.ID, e.Name, e.Status, st.Text())
			}
		}
		for _, id := range r.Invited {
			e, _ := s.Establishment(id)
			if st := StandingOf(&e, r.IssuedAt, floors); len(st.In(r.Category)) > 0 {
				t.Errorf("%s invited %s, which failed on its issue day: %s", r.ID, e.Name, st.Text())
			}
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("checked %d referrals", checked)
	}
}

// TestTheFamilyChoosesFromTheShortlistTheEvaluationFound: a shortlisted
// setting that lapses before the family chooses cannot be chosen, and the
// next bid does not slip onto the shortlist in its place (§3, §6).
func TestTheFamilyChoosesFromTheShortlistTheEvaluationFound(t *testing.T) {
	now := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	s := lapseStore(t, &now)
	r, _ := s.CreateReferral(draft())
	if _, err := s.Issue(r.ID); err != nil {
		t.Fatal(err)
	}
	// Four close bids: L cheapest, then A, B, C, each a little dearer.
	for i, id := range []string{"L", "A", "B", "C"} {
		if err := s.RecordBid(Bid{Referral: r.ID, Establishment: id, CoreWeeklyPence: 150000, VariableWeeklyPence: int64(i) * 1000,
			NeedsMet: []string{"ASD", "SLCN"}, FeaturesOffered: []string{"wheelchair-access", "taster-day"}, OutcomesScore: 70}); err != nil {
			t.Fatal(err)
		}
	}
	s.CloseBids(r.ID)
	res, err := s.Evaluate(r.ID)
	if err != nil || !slices.Equal(res.ParentChoice, []string{"L", "A", "B"}) {
		t.Fatalf("shortlist %v (%v), want L, A, B", res.ParentChoice, err)
	}
	if got, _ := s.Referral(r.ID); !slices.Equal(got.Shortlist, []string{"L", "A", "B"}) {
		t.Fatalf("the referral keeps the shortlist %v", got.Shortlist)
	}
	now = time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC) // L's insurance has lapsed
	req := func(id string) AwardRequest {
		return AwardRequest{Referral: r.ID, Establishment: id, Route: RouteParentChoice, Start: "2026-12-07", Reason: "near home"}
	}
	if err := s.Award(req("L")); !errors.Is(err, ErrStanding) {
		t.Errorf("choosing L after its lapse: %v, want refused for its standing", err)
	}
	if err := s.Award(req("C")); err == nil || !strings.Contains(err.Error(), "not on the parents' shortlist (L, A, B)") {
		t.Errorf("choosing C, never shortlisted: %v, want refused", err)
	}
	if err := s.Award(req("B")); err != nil {
		t.Fatalf("choosing B: %v", err)
	}
}
