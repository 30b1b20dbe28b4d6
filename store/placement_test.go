package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

const testDay = "2026-11-22" // testNow's day

func placementOf(t *testing.T, s *Store, ok func(p Placement) bool) Placement {
	t.Helper()
	ps, err := s.Placements()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if ok(p) {
			return p
		}
	}
	t.Fatal("the demo has no such placement")
	return Placement{}
}

func actions(t *testing.T, s *Store, record string, since int) []string {
	t.Helper()
	all, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range all[since:] {
		if record == "" || e.Record == record {
			out = append(out, e.Action)
		}
	}
	return out
}

func liveWithOutcomes(p Placement) bool {
	return p.Status == PlacementLive && len(p.Outcomes) > 0 && p.Incentive == nil && len(p.Reviews) > 0 && p.Authority == "WSCC"
}

// TestEveryAwardRouteMakesItsPlacement awards by each route and finds the
// placement, made in the award's change, with the award's cost split.
func TestEveryAwardRouteMakesItsPlacement(t *testing.T) {
	s := demoStore(t)
	evaluated, choice, none, draftRef := referralOf(t, s, RefEvaluated), referralOf(t, s, RefParentChoice), referralOf(t, s, RefNoSuitableBid), referralOf(t, s, RefDraft)
	res, _, err := s.Rank(evaluated.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	standing := res.Recommended // stands today: the direct placement and block booking use it
	reqs := []AwardRequest{
		{Referral: evaluated.ID, Establishment: res.Recommended, Route: RouteCompetition, Start: "2027-01-04"},
		{Referral: choice.ID, Establishment: choice.Shortlist[0], Route: RouteParentChoice, Start: "2027-01-11", Reason: "nearer home"},
		{Referral: none.ID, Establishment: standing, Route: RouteDirect, Start: "2027-01-18", Justification: "sibling placed there", WeeklyPence: 210000},
		{Referral: draftRef.ID, Establishment: standing, Route: RouteBlock, Start: "2027-01-25", Terms: "block BB-1", WeeklyPence: 190000},
	}
	for _, req := range reqs {
		before := auditLen(t, s)
		if err := s.Award(req); err != nil {
			t.Fatalf("%s: %v", req.Route, err)
		}
		p, err := s.Placement(req.Referral)
		if err != nil {
			t.Fatalf("%s: no placement: %v", req.Route, err)
		}
		a, _ := s.AwardOf(req.Referral)
		r, _ := s.Referral(req.Referral)
		if p.Status != PlacementLive || p.Establishment != req.Establishment || p.Route != req.Route || p.Start != req.Start ||
			p.Authority != r.Authority || p.ChildRef != r.ChildRef || !reflect.DeepEqual(p.Needs, r.Needs) || len(p.Costs) != 1 || p.Costs[0].NetWeeklyPence != a.WeeklyPence {
			t.Errorf("%s: placement %+v of award %+v", req.Route, p, a)
		}
		if req.Route == RouteCompetition || req.Route == RouteParentChoice {
			bids, _ := s.Bids(req.Referral)
			b := bids[slices.IndexFunc(bids, func(b Bid) bool { return b.Establishment == req.Establishment })]
			if p.Costs[0].CoreWeeklyPence != b.CoreWeeklyPence || p.Costs[0].VariableWeeklyPence != b.VariableWeeklyPence {
				t.Errorf("%s: cost split %+v, bid %+v", req.Route, p.Costs[0], b)
			}
		} else if p.Costs[0].CoreWeeklyPence != req.WeeklyPence {
			t.Errorf("%s: core %d, want the weekly cost %d", req.Route, p.Costs[0].CoreWeeklyPence, req.WeeklyPence)
		}
		if got := strings.Join(actions(t, s, req.Referral, before), ","); !strings.HasSuffix(got, "award.make,placement.create") {
			t.Errorf("%s: audited %s", req.Route, got)
		}
	}
	// A refused award makes no placement.
	if err := s.Award(AwardRequest{Referral: referralOf(t, s, RefIssued).ID, Establishment: standing, Route: RouteDirect, Start: "2027-01-04", WeeklyPence: 1}); err == nil {
		t.Fatal("a direct placement without a justification was made")
	}
	if _, err := s.Placement(referralOf(t, s, RefIssued).ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("a refused award left a placement: %v", err)
	}
}

// TestReviewWithReducedRequirementKeepsTheCostHistory records a review
// that lowers the variable cost from a day: the earlier period stays, the
// cost on each side of the day is what it was and what it is, and the
// review and the cost change are audited.
func TestReviewWithReducedRequirementKeepsTheCostHistory(t *testing.T) {
	s := demoStore(t)
	p := placementOf(t, s, func(p Placement) bool { return liveWithOutcomes(p) && p.Costs[len(p.Costs)-1].VariableWeeklyPence > 0 })
	before := auditLen(t, s)
	old := p.CostOn(testDay)
	req := ReviewRequest{Placement: p.ID, Date: testDay, Ratings: engine.DeliveryRatings{Workforce: 80, OutcomesFramework: 75, ContractManagement: 70},
		Reduction: &Reduction{From: "2026-12-01", VariableWeeklyPence: old.VariableWeeklyPence - 10000, Why: "one-to-one support reduced to mornings"}}
	for _, o := range p.Outcomes {
		req.Findings = append(req.Findings, OutcomeFinding{Outcome: o, Result: engine.OutcomeProgressing, Note: "steady"})
	}
	if err := s.RecordReview(req); err != nil {
		t.Fatal(err)
	}
	q, _ := s.Placement(p.ID)
	if len(q.Costs) != len(p.Costs)+1 || !reflect.DeepEqual(q.Costs[:len(p.Costs)], p.Costs) {
		t.Fatalf("cost history %+v, was %+v: the earlier periods must stay", q.Costs, p.Costs)
	}
	if got := q.CostOn("2026-11-30"); got.NetWeeklyPence != old.NetWeeklyPence {
		t.Errorf("the day before the reduction costs %d, want %d", got.NetWeeklyPence, old.NetWeeklyPence)
	}
	if got := q.CostOn("2026-12-01"); got.VariableWeeklyPence != old.VariableWeeklyPence-10000 || got.NetWeeklyPence >= old.NetWeeklyPence ||
		got.By != "officer.test" || !got.At.Equal(testNow) {
		t.Errorf("from the reduction: %+v", got)
	}
	if len(q.Reviews) != len(p.Reviews)+1 || q.Reviews[len(q.Reviews)-1].Findings[0].Note != "steady" {
		t.Errorf("reviews %+v", q.Reviews)
	}
	if got := strings.Join(actions(t, s, p.ID, before), ","); got != "placement.review,placement.cost" {
		t.Errorf("audited %q", got)
	}
	row := slices.IndexFunc(must(s.PlacementRows()), func(r PlacementRow) bool { return r.ID == p.ID })
	if r := must(s.PlacementRows())[row]; r.WeeklyOn("2026-12-01") != q.CostOn("2026-12-01").NetWeeklyPence || r.LastReview != testDay {
		t.Errorf("listing row %+v", r)
	}
	if ps, _ := s.Verify(); len(ps) > 0 {
		t.Errorf("verify: %v", ps)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestReviewRefusals: each bad review is refused, saying what is wrong,
// and changes nothing.
func TestReviewRefusals(t *testing.T) {
	s := demoStore(t)
	p := placementOf(t, s, liveWithOutcomes)
	ended := placementOf(t, s, func(p Placement) bool { return p.Status == PlacementEnded })
	good := func() ReviewRequest {
		r := ReviewRequest{Placement: p.ID, Date: testDay, Ratings: engine.DeliveryRatings{Workforce: 50, OutcomesFramework: 50, ContractManagement: 50}}
		for _, o := range p.Outcomes {
			r.Findings = append(r.Findings, OutcomeFinding{Outcome: o, Result: engine.OutcomeMet})
		}
		return r
	}
	wscc := as(t, s, "wscc.viewer", RoleViewer, "WSCC")
	escc := as(t, s, "escc.officer", RoleOfficer, "ESCC")
	before := auditLen(t, s)
	cases := map[string]struct {
		h    *Store
		req  func(r *ReviewRequest)
		want string
	}{
		"ended":           {s, func(r *ReviewRequest) { r.Placement = ended.ID; r.Findings = nil }, "ended on"},
		"future":          {s, func(r *ReviewRequest) { r.Date = "2026-11-23" }, "in the future"},
		"not a date":      {s, func(r *ReviewRequest) { r.Date = "2026-02-30" }, "not a real date"},
		"before last":     {s, func(r *ReviewRequest) { r.Date = p.Start }, "before the last review"},
		"rating":          {s, func(r *ReviewRequest) { r.Ratings.Workforce = 101 }, "ratings.workforce: a rating is 0 to 100"},
		"missing finding": {s, func(r *ReviewRequest) { r.Findings = r.Findings[1:] }, "no finding for the outcome"},
		"unknown outcome": {s, func(r *ReviewRequest) { r.Findings[0].Outcome = "flies" }, "not one of the placement's desired outcomes"},
		"raised variable": {s, func(r *ReviewRequest) {
			r.Reduction = &Reduction{From: testDay, VariableWeeklyPence: 99999999, Why: "x"}
		}, "is not lower"},
		"viewer":           {wscc, func(r *ReviewRequest) {}, "viewer"},
		"other authority":  {escc, func(r *ReviewRequest) {}, "belongs to WSCC"},
		"no such":          {s, func(r *ReviewRequest) { r.Placement = "REF-nope" }, "not found"},
		"reduction no why": {s, func(r *ReviewRequest) { r.Reduction = &Reduction{From: testDay, VariableWeeklyPence: 0} }, "say which requirement"},
	}
	for name, c := range cases {
		r := good()
		c.req(&r)
		err := c.h.RecordReview(r)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if n := auditLen(t, s); n != before {
		t.Errorf("refused reviews wrote %d entries", n-before)
	}
	if q, _ := s.Placement(p.ID); !reflect.DeepEqual(q, p) {
		t.Error("a refused review changed the placement")
	}
}

// TestAnotherAuthoritysPlacementsAreRefused: an officer and a viewer of
// East Sussex see none of the others' placements and change none.
func TestAnotherAuthoritysPlacementsAreRefused(t *testing.T) {
	s := demoStore(t)
	p := placementOf(t, s, liveWithOutcomes)
	for _, role := range []Role{RoleOfficer, RoleViewer} {
		h := as(t, s, "esx", role, "ESCC")
		if _, err := h.Placement(p.ID); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s read WSCC's placement: %v", role, err)
		}
		for name, err := range map[string]error{
			"end":    h.EndPlacement(p.ID, testDay, engine.EndPlannedMove, ""),
			"terms":  h.SetPlacementTerms(p.ID, []string{"x"}, nil),
			"review": h.RecordReview(ReviewRequest{Placement: p.ID, Date: testDay}),
		} {
			if !errors.Is(err, ErrForbidden) {
				t.Errorf("%s %s: %v", role, name, err)
			}
		}
		for _, list := range [][]string{ids(must(h.Placements())), rowIDs(must(h.PlacementRows()))} {
			if len(list) != 0 {
				t.Errorf("%s lists %v", role, list)
			}
		}
		if _, err := h.PlacementReport(ReportFilter{Authority: "WSCC"}, testNow); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s reported on WSCC: %v", role, err)
		}
		for _, e := range must(h.Audit(AuditFilter{Action: "placement."})) {
			if e.Record == p.ID {
				t.Errorf("%s sees the audit entry %s of %s", role, e.Action, e.Record)
			}
		}
	}
	mine := as(t, s, "wsx", RoleViewer, "WSCC")
	rows := must(mine.PlacementRows())
	if len(rows) == 0 || slices.ContainsFunc(rows, func(r PlacementRow) bool { return r.Authority != "WSCC" }) {
		t.Errorf("WSCC's viewer lists %v", rowIDs(rows))
	}
}

func ids(ps []Placement) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func rowIDs(ps []PlacementRow) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// TestIncentiveEarnedAndEnding: an incentive tied to an outcome is earned
// by the review that finds it met before its day; ending stops the cost
// and the reviews.
func TestIncentiveEarnedAndEnding(t *testing.T) {
	s := demoStore(t)
	p := placementOf(t, s, liveWithOutcomes)
	if err := s.SetPlacementTerms(p.ID, p.Outcomes, &Incentive{PremiumPence: 50000, Outcomes: p.Outcomes[:1], By: "2026-12-31"}); err != nil {
		t.Fatal(err)
	}
	req := ReviewRequest{Placement: p.ID, Date: testDay, Ratings: engine.DeliveryRatings{Workforce: 70, OutcomesFramework: 70, ContractManagement: 70}}
	for i, o := range p.Outcomes {
		res := engine.OutcomeProgressing
		if i == 0 {
			res = engine.OutcomeMet
		}
		req.Findings = append(req.Findings, OutcomeFinding{Outcome: o, Result: res})
	}
	if err := s.RecordReview(req); err != nil {
		t.Fatal(err)
	}
	q, _ := s.Placement(p.ID)
	if q.Incentive == nil || q.Incentive.Earned != testDay || !q.Reviews[len(q.Reviews)-1].IncentiveEarned {
		t.Fatalf("incentive %+v", q.Incentive)
	}
	if err := s.SetPlacementTerms(p.ID, p.Outcomes, &Incentive{PremiumPence: 1, Outcomes: p.Outcomes[:1], By: "2027-01-01"}); err == nil || !strings.Contains(err.Error(), "was earned") {
		t.Errorf("an earned incentive was changed: %v", err)
	}
	live := must(s.PlacementReport(ReportFilter{}, testNow)).Live
	if err := s.EndPlacement(p.ID, "2026-11-30", engine.EndStepDown, "moved to mainstream"); err != nil {
		t.Fatal(err)
	}
	q, _ = s.Placement(p.ID)
	if q.Status != PlacementEnded || q.CostOn("2026-11-30").NetWeeklyPence == 0 || q.CostOn("2026-12-01").NetWeeklyPence != 0 {
		t.Errorf("ended %+v: cost on the last day %d, the day after %d", q.Ended, q.CostOn("2026-11-30").NetWeeklyPence, q.CostOn("2026-12-01").NetWeeklyPence)
	}
	if got := must(s.PlacementReport(ReportFilter{}, testNow)).Live; got != live-1 {
		t.Errorf("live placements %d after an ending, want %d", got, live-1)
	}
	if err := s.EndPlacement(p.ID, "2026-12-01", engine.EndStepDown, ""); err == nil {
		t.Error("ended twice")
	}
	if err := s.EndPlacement(placementOf(t, s, liveWithOutcomes).ID, testDay, "holiday", ""); err == nil || !strings.Contains(err.Error(), "not a reason") {
		t.Errorf("an unknown reason: %v", err)
	}
}

// TestUpliftPreviewEqualsApply: applying an uplift changes exactly what its
// preview said, in one change; the cap is shown; it is an admin's.
func TestUpliftPreviewEqualsApply(t *testing.T) {
	s := demoStore(t)
	req := UpliftRequest{Category: engine.CategorySEN, Percent: 325, From: "2026-11-01"}
	pv, err := s.PreviewUplift(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Establishments) == 0 || len(pv.Placements) == 0 || pv.CapPence != 400000 {
		t.Fatalf("preview: %d establishments, %d placements, cap %d", len(pv.Establishments), len(pv.Placements), pv.CapPence)
	}
	if _, err := as(t, s, "o", RoleOfficer, "WSCC").ApplyUplift(req); !errors.Is(err, ErrForbidden) {
		t.Errorf("an officer applied an uplift: %v", err)
	}
	before := auditLen(t, s)
	applied, err := s.ApplyUplift(req)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(applied, pv) {
		t.Fatalf("applied %+v\npreviewed %+v", applied, pv)
	}
	for _, l := range pv.Establishments {
		e, _ := s.Establishment(l.ID)
		if e.CoreWeeklyPence != l.NewPence || l.NewPence != engine.UpliftPence(l.OldPence, req.Percent) {
			t.Errorf("%s: core %d, preview %d → %d", l.ID, e.CoreWeeklyPence, l.OldPence, l.NewPence)
		}
	}
	annual := map[string]int64{}
	for _, l := range pv.Placements {
		p, _ := s.Placement(l.ID)
		c := p.CostOn(l.From)
		if c.CoreWeeklyPence != l.NewPence || c.NetWeeklyPence != l.NewNet || p.CostOn("2026-10-31").NetWeeklyPence != l.OldNet && l.From == req.From {
			t.Errorf("%s: cost from %s %+v, preview %+v", l.ID, l.From, c, l)
		}
		annual[l.Authority] += (l.NewNet - l.OldNet) * 52
	}
	if !reflect.DeepEqual(annual, pv.AnnualPence) {
		t.Errorf("annual effect %v, lines add to %v", pv.AnnualPence, annual)
	}
	if n := auditLen(t, s) - before; n != len(pv.Establishments)+len(pv.Placements)+1 {
		t.Errorf("%d audit entries for %d establishments and %d placements", n, len(pv.Establishments), len(pv.Placements))
	}
	if _, err := s.ApplyUplift(req); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("the same uplift twice: %v", err)
	}
	if ps, _ := s.Verify(); len(ps) > 0 {
		t.Errorf("verify: %v", ps)
	}
}

// An uplift applied from its preview is applied only as it was shown: a
// change to one of its establishments since refuses it, changing nothing.
func TestUpliftAppliedOnlyAsPreviewed(t *testing.T) {
	s := demoStore(t)
	req := UpliftRequest{Category: engine.CategorySEN, Percent: 250, From: "2026-11-01"}
	pv, err := s.PreviewUplift(req)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := s.Establishment(pv.Establishments[0].ID)
	e.CoreWeeklyPence += 100
	if err := s.SaveEstablishment(e, ""); err != nil {
		t.Fatal(err)
	}
	before := auditLen(t, s)
	req.Previewed = pv.Digest()
	if _, err := s.ApplyUplift(req); err == nil || !strings.Contains(err.Error(), "changed since the preview") {
		t.Fatalf("applied after a change: %v", err)
	}
	if n := auditLen(t, s) - before; n != 0 {
		t.Errorf("the refusal wrote %d entries", n)
	}
	again, _ := s.PreviewUplift(req)
	req.Previewed = again.Digest()
	if applied, err := s.ApplyUplift(req); err != nil || !reflect.DeepEqual(applied, again) {
		t.Errorf("applied as previewed again: %v", err)
	}
}

// An uplift is previewed any day but applied only on or after its first
// day: applied before, it would raise today's register (and the costs new
// referrals freeze) early.
func TestUpliftIsNotAppliedBeforeItsDay(t *testing.T) {
	s := demoStore(t)
	req := UpliftRequest{Category: engine.CategorySEN, Percent: 250, From: "2027-04-01"}
	if _, err := s.PreviewUplift(req); err != nil {
		t.Fatalf("a preview ahead of the day: %v", err)
	}
	before := auditLen(t, s)
	var v *ValidationError
	if _, err := s.ApplyUplift(req); !errors.As(err, &v) || v.Problems[0].Field != "from" || !strings.Contains(err.Error(), "applied on or after that day") {
		t.Fatalf("applied ahead of its day: %v", err)
	}
	if n := auditLen(t, s) - before; n != 0 {
		t.Errorf("the refusal wrote %d entries", n)
	}
	req.From = testDay // the day itself
	if _, err := s.ApplyUplift(req); err != nil {
		t.Errorf("on its day: %v", err)
	}
}

func TestUpliftRefusals(t *testing.T) {
	s := openTest(t, "")
	if _, err := s.ApplyUplift(UpliftRequest{Category: engine.CategorySEN, Percent: 250, From: testDay}); err == nil || !strings.Contains(err.Error(), "no qualified establishments") {
		t.Errorf("an uplift on a category with no establishments: %v", err)
	}
	if _, err := s.PreviewUplift(UpliftRequest{Category: "nope", Percent: 250, From: testDay}); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown category: %v", err)
	}
	if _, err := s.PreviewUplift(UpliftRequest{Category: engine.CategorySEN, Percent: 0, From: "2026-13-01"}); err == nil || !strings.Contains(err.Error(), "percent") || !strings.Contains(err.Error(), "from") {
		t.Errorf("a bad percent and day: %v", err)
	}
	if n := auditLen(t, s); n != len(SeedAuthorities())+len(SeedCategories())+1 {
		t.Errorf("refused uplifts wrote entries: %d", n)
	}
}

// TestConcernsAreSharedAndPromptTheirCheck: a safeguarding concern
// recorded by one partner shows to another and asks for its criterion to
// be checked until it is.
func TestConcernsAreSharedAndPromptTheirCheck(t *testing.T) {
	s := demoStore(t)
	e := must(s.Establishments())[0]
	wscc := as(t, s, "w", RoleOfficer, "WSCC")
	c := Concern{Establishment: e.ID, Date: testDay, Kind: engine.ConcernSafeguarding, Severity: "High", What: "disclosure at school", Done: "strategy meeting"}
	if err := wscc.RecordConcern(c); err != nil {
		t.Fatal(err)
	}
	if err := as(t, s, "v", RoleViewer, "WSCC").RecordConcern(c); !errors.Is(err, ErrForbidden) {
		t.Errorf("a viewer recorded a concern: %v", err)
	}
	bad := c
	bad.Kind, bad.What = "rumour", ""
	if err := wscc.RecordConcern(bad); err == nil || !strings.Contains(err.Error(), "kind") || !strings.Contains(err.Error(), "what") {
		t.Errorf("a bad concern: %v", err)
	}
	seen := must(as(t, s, "k", RoleViewer, "KCC").Concerns(e.ID))
	if len(seen) != 1 || seen[0].Criterion != engine.CritContinuity || seen[0].Authority != "WSCC" || seen[0].Severity != "high" {
		t.Fatalf("KCC sees %+v", seen)
	}
	open := func() bool {
		return slices.ContainsFunc(must(s.ConcernChecks()), func(cc ConcernCheck) bool { return cc.Concern.Establishment == e.ID })
	}
	if !open() {
		t.Fatal("the safeguarding concern asks for no check")
	}
	ck := e.Check(engine.CritContinuity)
	ck.Checked, ck.Passed, ck.Evidence = testDay, true, "safeguarding policy and LADO outcome seen"
	if err := s.RecordCheck(e.ID, ck); err != nil {
		t.Fatal(err)
	}
	if open() {
		t.Error("the check was recorded and the concern still asks for it")
	}
}

// TestImprovementBecomesAPeriodicAdjustment: confirming a proposal adds
// the adjustment with the reviews as its reason; a referral issued before
// keeps the score it froze, one issued after carries the new one.
func TestImprovementBecomesAPeriodicAdjustment(t *testing.T) {
	s := demoStore(t)
	props := must(s.ImprovementProposals(testNow))
	if len(props) == 0 {
		t.Fatal("the demo proposes no continuous-improvement adjustment")
	}
	pr := props[0]
	if len(pr.Evidence) < engine.ImprovementMinReviews {
		t.Fatalf("proposal %+v", pr)
	}
	e0 := must(s.Establishment(pr.Establishment))
	if err := as(t, s, "v", RoleViewer, "WSCC").ConfirmImprovement(pr.Establishment, pr.Points, ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("a viewer confirmed: %v", err)
	}
	if err := s.ConfirmImprovement(pr.Establishment, 4, "panel agreed a larger step"); err != nil {
		t.Fatal(err)
	}
	e := must(s.Establishment(pr.Establishment))
	adj := e.Adjustments[len(e.Adjustments)-1]
	if len(e.Adjustments) != len(e0.Adjustments)+1 || adj.Points != 4 || !strings.Contains(adj.Reason, "continuous improvement") ||
		!strings.Contains(adj.Reason, pr.Evidence[0].Date) || !strings.Contains(adj.Reason, "changed to +4") {
		t.Errorf("adjustment %+v", adj)
	}
	if slices.ContainsFunc(must(s.ImprovementProposals(testNow)), func(p ImprovementProposal) bool { return p.Establishment == pr.Establishment }) {
		t.Error("still proposed after it was decided")
	}
	if err := s.ConfirmImprovement(pr.Establishment, 1, ""); err == nil {
		t.Error("decided twice in one period")
	}
	// A referral issued afterwards at the establishment's door carries the
	// new score.
	r := draft()
	r.HomePostcode, r.Category, r.RadiusMiles, r.Features = e.Postcode, e.Categories[0], 5, nil
	r, err := s.CreateReferral(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Issue(r.ID); err != nil {
		t.Fatal(err)
	}
	frozen := func(r Referral, id string) (fe FrozenEstablishment, ok bool) {
		s.view(func(tx *bolt.Tx) error { fe, ok = frozenEstablishment(tx, &r, id); return nil })
		return fe, ok
	}
	r = must(s.Referral(r.ID))
	fe, ok := frozen(r, e.ID)
	if !ok || !slices.Equal(fe.Adjustments, e.AdjustmentPoints()) {
		t.Errorf("frozen after: %+v, want the adjustments %v", fe, e.AdjustmentPoints())
	}
	// Referrals issued before keep what they froze.
	checked := 0
	for _, old := range must(s.Referrals()) {
		if old.Frozen == nil || old.ID == r.ID || !slices.Contains(old.Invited, e.ID) {
			continue
		}
		if fe, ok := frozen(old, e.ID); ok {
			checked++
			if len(fe.Adjustments) != len(e0.Adjustments) {
				t.Errorf("%s froze %v; it changed with the new adjustment", old.ID, fe.Adjustments)
			}
		}
	}
	if checked == 0 {
		t.Error("no referral issued before invited the establishment: the frozen half is untested")
	}
}

// TestPlacementRulesAreAnAdminsPerCategory: the first review moves with a
// category's override.
func TestPlacementRulesAreAnAdminsPerCategory(t *testing.T) {
	s := demoStore(t)
	if err := as(t, s, "o", RoleOfficer, "WSCC").SetPlacementRules(engine.CategorySEN, engine.PlacementRules{FirstReviewWeeks: 4, ReviewEveryMonths: 6, ImprovementEveryMonths: 6}); !errors.Is(err, ErrForbidden) {
		t.Errorf("an officer changed the schedule: %v", err)
	}
	if err := s.SetPlacementRules(engine.CategorySEN, engine.PlacementRules{FirstReviewWeeks: 0, ReviewEveryMonths: 6, ImprovementEveryMonths: 6}); err == nil || !strings.Contains(err.Error(), "first_review_weeks") {
		t.Errorf("0 weeks: %v", err)
	}
	if err := s.SetPlacementRules(engine.CategorySEN, engine.PlacementRules{FirstReviewWeeks: 4, ReviewEveryMonths: 3, ImprovementEveryMonths: 12}); err != nil {
		t.Fatal(err)
	}
	rules := must(s.PlacementRules())
	p := Placement{Start: "2027-01-04"}
	if got := p.NextReview(RulesFor(rules, engine.CategorySEN)).Format(time.DateOnly); got != "2027-02-01" {
		t.Errorf("sen's first review %s, want 2027-02-01", got)
	}
	if got := p.NextReview(RulesFor(rules, engine.CategoryIAP)).Format(time.DateOnly); got != "2027-02-15" {
		t.Errorf("iap's first review %s, want the default 2027-02-15", got)
	}
	if e := must(s.Audit(AuditFilter{Action: "category.placement_rules"})); len(e) != 1 || e[0].Record != engine.CategorySEN {
		t.Errorf("audited %+v", e)
	}
}

// TestPlacementRowRoundTrips: the listing row's array reads back as it
// was written, escapes and all, and anything else is refused.
func TestPlacementRowRoundTrips(t *testing.T) {
	r := PlacementRow{ID: "REF-1", Authority: "WSCC", ChildRef: `W/"1"\x`, Category: "sen", Establishment: "E-1", Name: "Oak <&> Ash — Ltd",
		Route: RouteDirect, Start: "2026-01-01", Status: PlacementEnded, End: "2026-06-01", Costs: []CostStep{{"2026-01-01", 100}, {"2026-04-01", 105}},
		LastReview: "2026-02-12", Reviews: 3, OutcomesMet: 1, OutcomesTotal: 2, IncentiveEarned: true}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back PlacementRow
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, r) {
		t.Fatalf("%s read back as %+v, %v", data, back, err)
	}
	for _, bad := range []string{`{}`, `[]`, `["a"]`, `[1,2]`, `["a","b","c","d","e","f","g","h","i","j","k","l","x","0","0","0"]`, `["a"`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s was read", bad)
		}
	}
}
