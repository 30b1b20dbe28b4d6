package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Placements: the contract after the award (business case 7.11–7.15, 8
// "Incentivisation", 10 and 11; evaluation.md §1 periodic adjustments).
// Every number is named here once; a category's admin may change the
// review schedule (PlacementRules), the store keeps those overrides.

const (
	// FirstReviewWeeks: the first review of a placement is due this many
	// weeks after it starts.
	FirstReviewWeeks = 6
	// ReviewEveryMonths: after a review, the next is due this many months
	// after it (decided: counted from the review held, so a late review
	// does not squeeze the next one).
	ReviewEveryMonths = 6
	// ImprovementEveryMonths: how often each establishment's method
	// statements are moved by how its placements are delivered
	// (continuous improvement, business case 7.12: 6-monthly or yearly).
	ImprovementEveryMonths = 6
	// ReviewDueSoonDays: a review due within this many days is listed as
	// due; after its day it is overdue.
	ReviewDueSoonDays = 14
	// ImprovementMinReviews is the fewest reviews in the period on which a
	// continuous-improvement adjustment is proposed (decided).
	ImprovementMinReviews = 2
	// ImprovementMaxPoints caps one period's proposed adjustment either way
	// (decided).
	ImprovementMaxPoints = 10
	// MaxUpliftBasisPoints is the largest fee uplift: 100.00% (decided).
	MaxUpliftBasisPoints = 10000
)

// PlacementRules are a category's review schedule and its
// continuous-improvement period, in whole weeks and months.
type PlacementRules struct {
	FirstReviewWeeks       int `json:"first_review_weeks"`
	ReviewEveryMonths      int `json:"review_every_months"`
	ImprovementEveryMonths int `json:"improvement_every_months"`
}

// DefaultPlacementRules are the named values above.
func DefaultPlacementRules() PlacementRules {
	return PlacementRules{FirstReviewWeeks: FirstReviewWeeks, ReviewEveryMonths: ReviewEveryMonths, ImprovementEveryMonths: ImprovementEveryMonths}
}

// Problems says what is wrong with the rules, field by field ("" fields
// are fine): weeks 1–52, months 1–24.
func (r PlacementRules) Problems() map[string]string {
	out := map[string]string{}
	if r.FirstReviewWeeks < 1 || r.FirstReviewWeeks > 52 {
		out["first_review_weeks"] = fmt.Sprintf("must be 1 to 52 weeks, not %d", r.FirstReviewWeeks)
	}
	if r.ReviewEveryMonths < 1 || r.ReviewEveryMonths > 24 {
		out["review_every_months"] = fmt.Sprintf("must be 1 to 24 months, not %d", r.ReviewEveryMonths)
	}
	if r.ImprovementEveryMonths < 1 || r.ImprovementEveryMonths > 24 {
		out["improvement_every_months"] = fmt.Sprintf("must be 1 to 24 months, not %d", r.ImprovementEveryMonths)
	}
	return out
}

// NextReviewDue is the day the next review of a placement is due: the
// first FirstReviewWeeks after its start; after a review, ReviewEveryMonths
// after the last one held (lastReview zero: none yet).
func NextReviewDue(start, lastReview time.Time, r PlacementRules) time.Time {
	if lastReview.IsZero() {
		return Day(start).AddDate(0, 0, 7*r.FirstReviewWeeks)
	}
	return Day(lastReview).AddDate(0, r.ReviewEveryMonths, 0)
}

// ReviewState is how pressing a placement's next review is.
type ReviewState int

const (
	ReviewOverdue ReviewState = iota // its day has passed
	ReviewDueSoon                    // due today or within ReviewDueSoonDays
	ReviewNotDue
)

// ReviewStateOn says whether a review due on due is overdue, due soon or
// not yet due on today.
func ReviewStateOn(due, today time.Time) ReviewState {
	due, today = Day(due), Day(today)
	switch {
	case today.After(due):
		return ReviewOverdue
	case !due.After(today.AddDate(0, 0, ReviewDueSoonDays)):
		return ReviewDueSoon
	}
	return ReviewNotDue
}

func (s ReviewState) String() string {
	return [...]string{"overdue", "due", "not due"}[s]
}

// OutcomeResult is a review's finding on one desired outcome.
type OutcomeResult string

const (
	OutcomeMet         OutcomeResult = "met"
	OutcomeProgressing OutcomeResult = "progressing"
	OutcomeNotMet      OutcomeResult = "not_met"
)

// OutcomeResults lists the findings in the order forms cycle them.
func OutcomeResults() []OutcomeResult {
	return []OutcomeResult{OutcomeProgressing, OutcomeMet, OutcomeNotMet}
}

// Title is the finding in words.
func (o OutcomeResult) Title() string { return strings.ReplaceAll(string(o), "_", " ") }

// KnownOutcomeResult reports whether o is one of the three findings.
func KnownOutcomeResult(o OutcomeResult) bool { return slices.Contains(OutcomeResults(), o) }

// IncentiveEarned is the early step-down rule (business case 8,
// "Incentivisation"): the premium is earned by the review that finds every
// outcome it is tied to met, held on or before the day it is tied to. An
// incentive tied to no outcome is never earned.
func IncentiveEarned(tied []string, results map[string]OutcomeResult, reviewDay, by time.Time) bool {
	if len(tied) == 0 || Day(reviewDay).After(Day(by)) {
		return false
	}
	for _, o := range tied {
		if results[o] != OutcomeMet {
			return false
		}
	}
	return true
}

// Percent is a fee uplift in hundredths of a per cent (250 is 2.5%), so
// that it is exact.
type Percent int64

// ParsePercent reads a percentage of at most two decimals, more than 0 and
// at most 100 ("2.5", "3", "2.75"), exactly: no floating point.
func ParsePercent(s string) (Percent, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || (dot && frac == "") || len(frac) > 2 || len(whole) > 3 {
		return 0, fmt.Errorf("%q is not a percentage with at most two decimals (e.g. 2.5)", s)
	}
	var p int64
	for _, r := range whole + (frac + "00")[:2] {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not a percentage with at most two decimals (e.g. 2.5)", s)
		}
		p = p*10 + int64(r-'0')
	}
	if p <= 0 || p > MaxUpliftBasisPoints {
		return 0, fmt.Errorf("an uplift is more than 0%% and at most 100%%, not %s%%", s)
	}
	return Percent(p), nil
}

func (p Percent) String() string {
	s := fmt.Sprintf("%d.%02d", p/100, p%100)
	return strings.TrimSuffix(strings.TrimSuffix(s, "0"), ".0") + "%"
}

// UpliftPence is a weekly cost raised by p: the increase is rounded to the
// nearest penny, halves up (decided), and added: 100000 × 2.5% = 102500;
// 33333 × 2.5% = 33333 + 833.325 → 34166.
func UpliftPence(pence int64, p Percent) int64 {
	if pence <= 0 {
		return pence
	}
	return pence + (pence*int64(p)+5000)/10000
}

// DeliveryRatings are a review's ratings, 0–100, of how the provider
// delivers against each of its three method statements.
type DeliveryRatings struct {
	Workforce          int `json:"workforce"`
	OutcomesFramework  int `json:"outcomes_framework"`
	ContractManagement int `json:"contract_management"`
}

// Problems says which rating is outside 0–100, by field.
func (d DeliveryRatings) Problems() map[string]string {
	out := map[string]string{}
	for f, v := range map[string]int{"workforce": d.Workforce, "outcomes_framework": d.OutcomesFramework, "contract_management": d.ContractManagement} {
		if v < 0 || v > 100 {
			out[f] = fmt.Sprintf("a rating is 0 to 100, not %d", v)
		}
	}
	return out
}

// DeliveryScore is the ratings' mean over reviews, each weighted as the
// method statements are (§1: 30/40/30), in integer arithmetic until the one
// final division.
func DeliveryScore(rs []DeliveryRatings) float64 {
	if len(rs) == 0 {
		return 0
	}
	var sum int64
	for _, r := range rs {
		sum += int64(WeightWorkforce*r.Workforce + WeightOutcomesFramework*r.OutcomesFramework + WeightContractManagement*r.ContractManagement)
	}
	return float64(sum) / float64(100*len(rs))
}

// ImprovementPoints is the continuous-improvement adjustment proposed for
// an establishment (business case 7.12; a periodic adjustment of §1): half
// the way from its qualification score now to the score its placements'
// reviews give its delivery over the period, rounded to whole points
// (halves away from zero) and at most ImprovementMaxPoints either way
// (decided). ok is false with fewer than ImprovementMinReviews reviews or
// when the proposal is no change.
func ImprovementPoints(current float64, rs []DeliveryRatings) (points float64, ok bool) {
	if len(rs) < ImprovementMinReviews {
		return 0, false
	}
	p := math.Round((DeliveryScore(rs) - current) / 2)
	p = clamp(p, -ImprovementMaxPoints, ImprovementMaxPoints)
	if p == 0 {
		return 0, false
	}
	return p, true
}

// ConcernKind is what an early warning about an establishment is.
type ConcernKind string

const (
	ConcernSafeguarding ConcernKind = "safeguarding"
	ConcernComplaint    ConcernKind = "complaint"
	ConcernQualityVisit ConcernKind = "quality_visit"
	ConcernFinancial    ConcernKind = "financial"
	ConcernOther        ConcernKind = "other"
)

// ConcernKinds lists the kinds in the order forms cycle them.
func ConcernKinds() []ConcernKind {
	return []ConcernKind{ConcernSafeguarding, ConcernComplaint, ConcernQualityVisit, ConcernFinancial, ConcernOther}
}

// Title is the kind in words.
func (k ConcernKind) Title() string { return strings.ReplaceAll(string(k), "_", " ") }

// ConcernCriterion is the pass/fail criterion a concern of kind touches by
// default: safeguarding the continuity, safeguarding and risk
// arrangements; a quality visit the inspection; financial the financial
// capability; others none (decided).
func ConcernCriterion(k ConcernKind) CriterionID {
	switch k {
	case ConcernSafeguarding:
		return CritContinuity
	case ConcernQualityVisit:
		return CritInspection
	case ConcernFinancial:
		return CritFinancial
	}
	return ""
}

// ConcernPromptsCheck reports whether a concern asks for its criterion to
// be checked again: a safeguarding concern always does (issue 16); the
// check is open until the criterion is checked on or after the concern's
// day.
func ConcernPromptsCheck(k ConcernKind) bool { return k == ConcernSafeguarding }

// Severities of a concern, least first.
func Severities() []string { return []string{"low", "medium", "high"} }

// EndReason is why a placement ended.
type EndReason string

const (
	EndPlannedMove    EndReason = "planned_move"
	EndStepDown       EndReason = "step_down"
	EndBreakdown      EndReason = "breakdown"
	EndProviderNotice EndReason = "provider_notice"
	EndLeftArea       EndReason = "left_area"
)

// EndReasons lists the reasons a placement ends, in the order forms cycle
// them.
func EndReasons() []EndReason {
	return []EndReason{EndPlannedMove, EndStepDown, EndBreakdown, EndProviderNotice, EndLeftArea}
}

// Title is the reason in words.
func (r EndReason) Title() string {
	return map[EndReason]string{EndPlannedMove: "planned move", EndStepDown: "step-down", EndBreakdown: "breakdown",
		EndProviderNotice: "provider notice", EndLeftArea: "child left the area"}[r]
}
