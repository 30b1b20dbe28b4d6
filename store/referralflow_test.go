package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/engine/scenario"
)

func demoStore(t *testing.T) *Store {
	t.Helper()
	s := openTest(t, "")
	if err := s.SeedDemo(2026, testNow, nil); err != nil {
		t.Fatal(err)
	}
	return s
}

func draft() Referral {
	return Referral{Authority: "WSCC", ChildRef: "WSCC/EHCP/40412", Category: engine.CategorySEN, HomePostcode: "RH12 1AB",
		RadiusMiles: 25, QualityWeight: 50, Needs: []engine.Need{{ID: "ASD", Mark: 2}, {ID: "SLCN", Mark: 1}},
		Features: []engine.Feature{{ID: "wheelchair-access", Must: true}, {ID: "taster-day", Mark: 1}},
		Deadline: testNow.AddDate(0, 0, 14)}
}

func referralOf(t *testing.T, s *Store, status ReferralStatus) Referral {
	t.Helper()
	refs, _ := s.Referrals()
	for _, r := range refs {
		if r.Status == status {
			return r
		}
	}
	t.Fatalf("no demo referral is %s", status)
	return Referral{}
}

func TestReferralLifecycle(t *testing.T) {
	s := demoStore(t)
	r, err := s.CreateReferral(draft())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ID, "REF-2026-00") || r.Status != RefDraft || r.Home.Lat == 0 {
		t.Fatalf("created %+v", r)
	}
	r.RadiusMiles = 30
	if err := s.SaveDraft(r); err != nil {
		t.Fatal(err)
	}
	invited, err := s.Issue(r.ID)
	if err != nil || len(invited) < 3 {
		t.Fatalf("issue: %v invited, %v", invited, err)
	}
	// Issued: the invited list is frozen and the referral cannot be edited.
	r.RadiusMiles = 60
	if err := s.SaveDraft(r); !errors.Is(err, ErrState) {
		t.Errorf("editing an issued referral: %v", err)
	}
	if got, _ := s.Referral(r.ID); !slices.Equal(got.Invited, invited) || got.RadiusMiles != 30 {
		t.Errorf("the invited list or radius changed after issue")
	}
	es, _ := s.Establishments()
	var outsider string
	for _, e := range es {
		if !slices.Contains(invited, e.ID) {
			outsider = e.ID
			break
		}
	}
	if err := s.RecordBid(Bid{Referral: r.ID, Establishment: outsider, CoreWeeklyPence: 1, OutcomesScore: 50}); err == nil || !strings.Contains(err.Error(), "was not invited") {
		t.Errorf("a bid from an establishment not invited: %v", err)
	}
	for i, id := range invited[:3] {
		e, _ := s.Establishment(id)
		b := Bid{Referral: r.ID, Establishment: id, CoreWeeklyPence: e.CoreWeeklyPence, VariableWeeklyPence: int64(10000 * i),
			NeedsMet: []string{"ASD"}, FeaturesOffered: []string{"wheelchair-access"}, OutcomesScore: 70}
		if err := s.RecordBid(b); err != nil {
			t.Fatal(err)
		}
	}
	bad := Bid{Referral: r.ID, Establishment: invited[0], OutcomesScore: 120, NeedsMet: []string{"PMLD"}}
	if err := s.RecordBid(bad); err == nil || !strings.Contains(err.Error(), "outcomes_score") || !strings.Contains(err.Error(), `"PMLD" is not one of the referral's needs`) {
		t.Errorf("a bad bid: %v", err)
	}
	if _, err := s.Evaluate(r.ID); !errors.Is(err, ErrState) {
		t.Errorf("evaluating while bids are open: %v", err)
	}
	if err := s.CloseBids(r.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordBid(Bid{Referral: r.ID, Establishment: invited[3], OutcomesScore: 1}); !errors.Is(err, ErrState) {
		t.Errorf("a bid after closing: %v", err)
	}
	res, err := s.Evaluate(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Referral(r.ID)
	switch res.Outcome {
	case engine.OutcomeRecommended:
		if got.Status != RefEvaluated {
			t.Fatalf("status %s", got.Status)
		}
		if err := s.Award(AwardRequest{Referral: r.ID, Establishment: res.Recommended, Route: RouteCompetition, Start: "2027-01-04"}); err != nil {
			t.Fatal(err)
		}
	case engine.OutcomeParentChoice:
		if got.Status != RefParentChoice {
			t.Fatalf("status %s", got.Status)
		}
		if err := s.Award(AwardRequest{Referral: r.ID, Establishment: res.ParentChoice[1], Route: RouteParentChoice, Start: "2027-01-04", Reason: "closer to grandparents"}); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("outcome %s", res.Outcome)
	}
	a, err := s.AwardOf(r.ID)
	if err != nil || a.WeeklyPence <= 0 || a.DecidedBy != "officer.test" || a.Start != "2027-01-04" {
		t.Errorf("award %+v, %v", a, err)
	}
	var acts []string
	entries, _ := s.Audit(AuditFilter{Record: r.ID})
	for _, e := range entries {
		acts = append(acts, e.Action)
	}
	want := "referral.create,referral.edit,referral.issue,bid.record,bid.record,bid.record,referral.close,referral.evaluate,referral.award,award.make,placement.create" // the award makes its placement
	if strings.Join(acts, ",") != want {
		t.Errorf("audited %v", acts)
	}
	issue := entries[2]
	if !slices.ContainsFunc(issue.Changes, func(c Change) bool { return c.Field == "invited" && strings.Contains(c.After, invited[0]) }) {
		t.Errorf("the issue's audit entry lacks the invited list: %+v", issue.Changes)
	}
}

func TestIssuingWithNothingInvitedIsRefused(t *testing.T) {
	s := demoStore(t)
	d := draft()
	d.HomePostcode, d.RadiusMiles = "ZE1 0", 5 // Lerwick: nobody within 5 miles
	r, err := s.CreateReferral(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Issue(r.ID); err == nil || !strings.Contains(err.Error(), "widen the radius") {
		t.Errorf("issue with nothing invited: %v", err)
	}
	if got, _ := s.Referral(r.ID); got.Status != RefDraft || got.Invited != nil {
		t.Errorf("after the refusal: %s, %v", got.Status, got.Invited)
	}
	if err := s.Widen(r.ID, 10); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Referral(r.ID); got.RadiusMiles != 15 || len(got.Widenings) != 1 || got.Widenings[0].By != "officer.test" {
		t.Errorf("widening %+v", got)
	}
}

// A referral whose bid deadline has passed is not issued: every bid would
// be late and so non-compliant (evaluation.md §3). Nothing changes, and it
// issues once the deadline is later.
func TestIssuingAfterTheDeadlineIsRefused(t *testing.T) {
	s := demoStore(t)
	d := draft()
	d.Deadline = testNow.Add(-time.Hour)
	r, err := s.CreateReferral(d)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Audit(AuditFilter{})
	var v *ValidationError
	if _, err := s.Issue(r.ID); !errors.As(err, &v) || v.Problems[0].Field != "deadline" || !strings.Contains(err.Error(), "has passed") {
		t.Fatalf("issue after the deadline: %v", err)
	}
	if got, _ := s.Referral(r.ID); got.Status != RefDraft || got.Invited != nil {
		t.Errorf("after the refusal: %s, %v", got.Status, got.Invited)
	}
	if after, _ := s.Audit(AuditFilter{}); len(after) != len(before) {
		t.Errorf("the refusal wrote %d audit entries", len(after)-len(before))
	}
	r.Deadline = testNow.AddDate(0, 0, 7)
	if err := s.SaveDraft(r); err != nil {
		t.Fatal(err)
	}
	if invited, err := s.Issue(r.ID); err != nil || len(invited) == 0 {
		t.Errorf("with a later deadline: %d invited, %v", len(invited), err)
	}
}

func TestAwardRefusals(t *testing.T) {
	s := demoStore(t)
	pc := referralOf(t, s, RefParentChoice)
	res, _, _ := s.Rank(pc.ID, 0)
	outside := res.Ranked[len(res.ParentChoice)].Establishment
	for _, c := range []struct {
		req  AwardRequest
		want string
	}{
		{AwardRequest{Referral: pc.ID, Establishment: outside, Route: RouteParentChoice, Start: "2027-01-04", Reason: "liked it"}, "is not on the parents' shortlist"},
		{AwardRequest{Referral: pc.ID, Establishment: res.ParentChoice[0], Route: RouteParentChoice, Start: "2027-01-04"}, "record the parents' reason"},
		{AwardRequest{Referral: pc.ID, Establishment: res.ParentChoice[0], Route: RouteCompetition, Start: "2027-01-04"}, "cannot award the recommended bid"},
		{AwardRequest{Referral: pc.ID, Establishment: res.ParentChoice[0], Route: RouteDirect, Start: "2027-01-04", WeeklyPence: 100}, "needs a written justification"},
		{AwardRequest{Referral: pc.ID, Establishment: res.ParentChoice[0], Route: RouteParentChoice, Start: "2027-02-30", Reason: "x"}, `"2027-02-30" is not a date: type it as 22/11/2026`},
		{AwardRequest{Referral: pc.ID, Establishment: res.ParentChoice[0], Route: RouteBlock, Start: "2027-01-04", WeeklyPence: 100}, "name the block booking"},
	} {
		if err := s.Award(c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.req, err, c.want)
		}
	}
	ev := referralOf(t, s, RefEvaluated)
	res, _, _ = s.Rank(ev.ID, 0)
	if len(res.NonCompliant) > 0 {
		nc := res.NonCompliant[0].Establishment
		if err := s.Award(AwardRequest{Referral: ev.ID, Establishment: nc, Route: RouteCompetition, Start: "2027-01-04"}); err == nil {
			t.Error("a non-compliant bid was awarded")
		}
	}
	if got, _ := s.Referral(pc.ID); got.Status != RefParentChoice {
		t.Errorf("a refused award changed the referral: %s", got.Status)
	}
	// A direct placement with its justification goes through.
	es, _ := s.Establishments()
	i := slices.IndexFunc(es, func(e Establishment) bool { return e.Status == engine.Qualified })
	err := s.Award(AwardRequest{Referral: pc.ID, Establishment: es[i].ID, Route: RouteDirect, Start: "2027-01-04", WeeklyPence: 250000,
		Justification: "emergency placement after a placement breakdown; panel approved 21/11"})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := s.AwardOf(pc.ID); a.Route != RouteDirect || a.Justification == "" {
		t.Errorf("award %+v", a)
	}
}

func TestReissueWidensAndIssuesAgain(t *testing.T) {
	s := demoStore(t)
	r := referralOf(t, s, RefNoSuitableBid)
	if _, err := s.Reissue(r.ID, testNow.AddDate(0, 0, 14)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Referral(r.ID)
	if got.Status != RefIssued || got.RadiusMiles != r.RadiusMiles+10 || len(got.Widenings) != 1 || len(got.Invited) < len(r.Invited) {
		t.Errorf("after re-issue: %s, %g miles, %d widenings, %d invited (was %d)", got.Status, got.RadiusMiles, len(got.Widenings), len(got.Invited), len(r.Invited))
	}
	if _, err := s.Reissue(r.ID, testNow.AddDate(0, 0, 14)); !errors.Is(err, ErrState) {
		t.Errorf("re-issuing an issued referral: %v", err)
	}
}

func TestWithdraw(t *testing.T) {
	s := demoStore(t)
	r := referralOf(t, s, RefIssued)
	if err := s.Withdraw(r.ID, ""); err == nil {
		t.Error("withdrawn without a reason")
	}
	if err := s.Withdraw(r.ID, "family moved out of area"); err != nil {
		t.Fatal(err)
	}
	if err := s.Withdraw(r.ID, "again"); !errors.Is(err, ErrState) {
		t.Errorf("withdrawn twice: %v", err)
	}
}

func TestImportBids(t *testing.T) {
	s := demoStore(t)
	r := referralOf(t, s, RefIssued)
	bids, _ := s.Bids(r.ID)
	var fresh []string
	for _, id := range r.Invited {
		if !slices.ContainsFunc(bids, func(b Bid) bool { return b.Establishment == id }) {
			fresh = append(fresh, id)
		}
	}
	good := "establishment,core_weekly_pence,variable_weekly_pence,discount_pct,needs_met,features_offered,outcomes_score,submitted\n" +
		fmt.Sprintf("%s,1000,25000,5,%s,,72.5,2026-11-22T09:30:00Z\n", fresh[0], r.Needs[0].ID)
	bad := good + "NOT-INVITED,1000,0,,,,50,2026-11-22T09:30:00Z\n" +
		fmt.Sprintf("%s,12.5,0,,,,150,yesterday\n", fresh[1]) +
		fmt.Sprintf("%s,1,0,,PMLDX,,50,2026-11-22T09:30:00Z\n", fresh[0])
	_, err := s.ImportBids(r.ID, strings.NewReader(bad), false)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("bad bids: %v", err)
	}
	// Every problem in one pass: the cells that do not read and the rules
	// (not invited, a date in the future) on the rows around them.
	for _, want := range []string{`line 3: establishment: "NOT-INVITED" was not invited`, `line 4: core_weekly_pence: "12.5" is not whole pence`, `line 4: outcomes_score: "150"`, `line 4: submitted: "yesterday"`,
		fmt.Sprintf(`line 5: establishment: %q has a bid on line 2 already`, fresh[0])} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
	if after, _ := s.Bids(r.ID); len(after) != len(bids) {
		t.Fatal("a bad file recorded bids")
	}
	mixed := good + fmt.Sprintf("%s,abc,0,,,,50,2030-01-01T10:00:00Z\n", fresh[1])
	if _, err := s.ImportBids(r.ID, strings.NewReader(mixed), false); err == nil || !strings.Contains(err.Error(), `line 3: core_weekly_pence: "abc"`) ||
		!strings.Contains(err.Error(), "line 3: submitted: "+whenText(time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC))+" is in the future") {
		t.Errorf("a row with a bad cell and a date in the future, in one pass: %v", err)
	}
	bad2 := good + "NOT-INVITED,1000,0,,,,50,2026-11-22T09:30:00Z\n"
	if _, err := s.ImportBids(r.ID, strings.NewReader(bad2), false); err == nil || !strings.Contains(err.Error(), `line 3: establishment: "NOT-INVITED" was not invited`) {
		t.Errorf("a bid not invited: %v", err)
	}
	n, err := s.ImportBids(r.ID, strings.NewReader(good), false)
	if err != nil || n != 1 {
		t.Fatalf("good bids: %d, %v", n, err)
	}
	after, _ := s.Bids(r.ID)
	i := slices.IndexFunc(after, func(b Bid) bool { return b.Establishment == fresh[0] })
	if i < 0 || after[i].DiscountPct != 5 || after[i].OutcomesScore != 72.5 || !after[i].Submitted.Equal(time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("imported %+v", after)
	}
	// The same file again: a bid is there already, so without --replace
	// nothing changes; with it the bid is replaced, audited before and after.
	changed := strings.Replace(good, ",72.5,", ",80,", 1)
	if _, err := s.ImportBids(r.ID, strings.NewReader(changed), false); err == nil || !strings.Contains(err.Error(), "has a bid recorded") || !strings.Contains(err.Error(), "--replace") {
		t.Errorf("a second bid without --replace: %v", err)
	}
	if n, err := s.ImportBids(r.ID, strings.NewReader(changed), true); err != nil || n != 1 {
		t.Fatalf("--replace: %d, %v", n, err)
	}
	last, _ := s.Audit(AuditFilter{Record: r.ID, Limit: 1})
	if len(last) != 1 || last[0].Action != "bid.replace" || !slices.ContainsFunc(last[0].Changes, func(c Change) bool {
		return c.Field == "outcomes_score" && c.Before == "72.5" && c.After == "80"
	}) {
		t.Errorf("the replacement's audit entry: %+v", last)
	}
	// Dates: before the issue, or in the future, are refused — every
	// problem of the file in one pass.
	head := strings.SplitN(good, "\n", 2)[0] + "\n"
	for when, want := range map[string]string{"2020-01-01T10:00:00Z": "is before the referral was issued", "2030-01-01T10:00:00Z": "is in the future"} {
		_, err = s.ImportBids(r.ID, strings.NewReader(head+fmt.Sprintf("%s,1000,0,,,,50,%s\n", fresh[0], when)), true)
		at, _ := time.Parse(time.RFC3339, when)
		if err == nil || !strings.Contains(err.Error(), "line 2: submitted: "+whenText(at)+" "+want) {
			t.Errorf("a bid dated %s: %v", when, err)
		}
	}
}

// TestRankedEqualsEvaluateOnExport: for every demo referral, what the desk
// ranks is what `dpsdesk evaluate` finds on the referral's export.
func TestRankedEqualsEvaluateOnExport(t *testing.T) {
	s := demoStore(t)
	refs, _ := s.Referrals()
	checked := 0
	for _, r := range refs {
		if r.Status == RefDraft {
			continue
		}
		desk, _, err := s.Rank(r.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := s.ExportScenario(r.ID, &buf); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), r.ChildRef) {
			t.Errorf("%s: the export holds the child reference", r.ID)
		}
		sc, err := scenario.Decode(buf.Bytes(), geo.Default())
		if err != nil {
			t.Fatalf("%s: the export does not decode: %v\n%s", r.ID, err, buf.String())
		}
		eval := engine.Evaluate(&sc.Competition)
		a, b := scenario.NewOutput(desk), scenario.NewOutput(eval)
		a.Invited, b.Invited = nil, nil // frozen at issue vs eligible now: scores do not depend on it
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s: the desk ranks\n%s\nbut evaluate on its export finds\n%s", r.ID, ja, jb)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("checked %d referrals", checked)
	}
}
