package engine_test

import (
	"testing"
	"time"

	"dpsdesk/engine"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReviewScheduleFirstAfterSixWeeksThenEverySixMonths(t *testing.T) {
	r := engine.DefaultPlacementRules()
	start := date("2026-01-05")
	if got := engine.NextReviewDue(start, time.Time{}, r); !got.Equal(date("2026-02-16")) {
		t.Errorf("first review due %s, want 2026-02-16 (6 weeks after the start)", got.Format(time.DateOnly))
	}
	// Held late: the next is 6 months after the review held.
	if got := engine.NextReviewDue(start, date("2026-03-01"), r); !got.Equal(date("2026-09-01")) {
		t.Errorf("next review due %s, want 2026-09-01", got.Format(time.DateOnly))
	}
	r.FirstReviewWeeks = 4 // a category's override
	if got := engine.NextReviewDue(start, time.Time{}, r); !got.Equal(date("2026-02-02")) {
		t.Errorf("with a 4-week first review: due %s, want 2026-02-02", got.Format(time.DateOnly))
	}
	if p := (engine.PlacementRules{FirstReviewWeeks: 0, ReviewEveryMonths: 6, ImprovementEveryMonths: 25}).Problems(); len(p) != 2 {
		t.Errorf("rules with 0 weeks and 25 months: problems %v, want two", p)
	}
}

func TestReviewStateAtItsEdges(t *testing.T) {
	due := date("2026-03-01")
	for _, c := range []struct {
		today string
		want  engine.ReviewState
	}{
		{"2026-02-14", engine.ReviewNotDue}, {"2026-02-15", engine.ReviewDueSoon}, {"2026-03-01", engine.ReviewDueSoon}, {"2026-03-02", engine.ReviewOverdue},
	} {
		if got := engine.ReviewStateOn(due, date(c.today)); got != c.want {
			t.Errorf("due 2026-03-01, on %s: %s, want %s", c.today, got, c.want)
		}
	}
}

func TestIncentiveEarnedOnlyWhenEveryTiedOutcomeIsMetByItsDay(t *testing.T) {
	tied := []string{"attends full time", "travels independently"}
	met := map[string]engine.OutcomeResult{"attends full time": engine.OutcomeMet, "travels independently": engine.OutcomeMet}
	by := date("2026-06-30")
	if !engine.IncentiveEarned(tied, met, date("2026-06-30"), by) {
		t.Error("every outcome met on the day it is tied to: not earned")
	}
	if engine.IncentiveEarned(tied, met, date("2026-07-01"), by) {
		t.Error("met the day after: earned")
	}
	part := map[string]engine.OutcomeResult{"attends full time": engine.OutcomeMet, "travels independently": engine.OutcomeProgressing}
	if engine.IncentiveEarned(tied, part, date("2026-05-01"), by) {
		t.Error("one outcome still progressing: earned")
	}
	if engine.IncentiveEarned(nil, met, date("2026-05-01"), by) {
		t.Error("tied to no outcome: earned")
	}
}

func TestUpliftIsExactInPenceRoundingHalvesUp(t *testing.T) {
	for _, c := range []struct {
		pct   string
		pence int64
		want  int64
	}{
		{"2.5", 100000, 102500},
		{"2.5", 33333, 34166}, // 833.325 → 833
		{"2.5", 33334, 34167}, // 833.35 → 833
		{"3", 150, 155},       // 4.5 → 5 (halves up)
		{"0.01", 4999, 4999},  // 0.4999 → 0
		{"0.01", 5000, 5001},  // 0.5 → 1
		{"100", 123456, 246912},
	} {
		p, err := engine.ParsePercent(c.pct)
		if err != nil {
			t.Fatal(err)
		}
		if got := engine.UpliftPence(c.pence, p); got != c.want {
			t.Errorf("%d pence + %s = %d, want %d", c.pence, p, got, c.want)
		}
	}
	for _, bad := range []string{"", "0", "-1", "2.555", "abc", "101", "1.", ".5", "1e2"} {
		if _, err := engine.ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q) took it", bad)
		}
	}
	if p, _ := engine.ParsePercent("2.50%"); p.String() != "2.5%" || p != 250 {
		t.Errorf("2.50%% reads as %d (%s)", p, p)
	}
}

func TestImprovementMovesHalfWayToDeliveryCapped(t *testing.T) {
	good := engine.DeliveryRatings{Workforce: 90, OutcomesFramework: 90, ContractManagement: 90}
	if _, ok := engine.ImprovementPoints(70, []engine.DeliveryRatings{good}); ok {
		t.Error("proposed on one review")
	}
	if p, ok := engine.ImprovementPoints(70, []engine.DeliveryRatings{good, good}); !ok || p != 10 {
		t.Errorf("delivery 90 against 70: %v %v, want +10", p, ok)
	}
	poor := engine.DeliveryRatings{Workforce: 20, OutcomesFramework: 10, ContractManagement: 20}
	if p, ok := engine.ImprovementPoints(70, []engine.DeliveryRatings{poor, poor}); !ok || p != -10 {
		t.Errorf("delivery 14 against 70: %v %v, want -10 (capped)", p, ok)
	}
	mid := engine.DeliveryRatings{Workforce: 75, OutcomesFramework: 75, ContractManagement: 75}
	if p, ok := engine.ImprovementPoints(70, []engine.DeliveryRatings{mid, mid}); !ok || p != 3 {
		t.Errorf("delivery 75 against 70: %v %v, want +3 (2.5 rounds away from zero)", p, ok)
	}
	if _, ok := engine.ImprovementPoints(70, []engine.DeliveryRatings{{70, 70, 70}, {70, 70, 70}}); ok {
		t.Error("proposed no change")
	}
}

func TestSafeguardingConcernPromptsTheContinuityCheck(t *testing.T) {
	if !engine.ConcernPromptsCheck(engine.ConcernSafeguarding) || engine.ConcernCriterion(engine.ConcernSafeguarding) != engine.CritContinuity {
		t.Error("a safeguarding concern does not prompt the continuity check")
	}
	if engine.ConcernPromptsCheck(engine.ConcernComplaint) {
		t.Error("a complaint prompts a check")
	}
}
