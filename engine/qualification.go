package engine

import (
	"slices"
	"strings"
	"time"
)

// CriterionID names a pass/fail qualification criterion (evaluation.md §1).
type CriterionID string

// Words is the criterion's id as people read it: "data protection".
func (id CriterionID) Words() string { return strings.ReplaceAll(string(id), "_", " ") }

const (
	CritExclusions     CriterionID = "exclusions"
	CritFinancial      CriterionID = "financial"
	CritInsurance      CriterionID = "insurance"
	CritCompliance     CriterionID = "compliance"
	CritInspection     CriterionID = "inspection"
	CritRegistration   CriterionID = "registration"
	CritContinuity     CriterionID = "continuity"
	CritDataProtection CriterionID = "data_protection"
)

// Criterion describes one pass/fail criterion.
type Criterion struct {
	ID        CriterionID
	Title     string
	HasExpiry bool // evidence lapses on a date (insurance)
	// Example is evidence an evaluator might record as seen when it
	// passes, for the desk's hints.
	Example string
}

// criteria are the eight pass/fail criteria of §1 in the order the
// checklist shows them.
var criteria = [...]Criterion{
	{CritExclusions, "No mandatory or discretionary exclusion grounds", false, "signed declaration, no exclusion grounds; debarment list checked"},
	{CritFinancial, "Financial capability: acceptable risk", false, "latest accounts and credit report reviewed: low risk"},
	{CritInsurance, "Insurances held at the category's levels", true, "renewed insurance certificate seen"},
	{CritCompliance, "No H&S, equalities or environmental notices in 3 years", false, "HSE and EHRC registers searched: no notices"},
	{CritInspection, "Regulator judgement at or above the floor", false, "new inspection report seen: judged Good"},
	{CritRegistration, "DfE / regulator registration", false, "registration confirmed on GIAS / Ofsted"},
	{CritContinuity, "Business continuity, safeguarding and risk", false, "updated continuity and safeguarding policies seen"},
	{CritDataProtection, "Data protection compliance", false, "ICO registration and data protection policy seen"},
}

// Criteria lists the eight pass/fail criteria of §1 in the order the
// checklist shows them.
func Criteria() []Criterion { return slices.Clone(criteria[:]) }

// KnownCriterion reports whether id is one of the eight criteria.
func KnownCriterion(id CriterionID) bool {
	return slices.ContainsFunc(Criteria(), func(c Criterion) bool { return c.ID == id })
}

// CriterionCheck is the evaluator's record of one criterion.
type CriterionCheck struct {
	ID       CriterionID
	Passed   bool      // the evaluator's judgement
	Evidence string    // what was seen
	Checked  time.Time // when it was checked; zero when never
	Expires  time.Time // when the evidence lapses; zero when it does not
	// Source names where the result came from when no evaluator recorded
	// it ("GIAS 2026-11-28: closed 31 Aug 2026"); "" for an evaluator's.
	Source string
}

// MethodScores are the three weighted method statements, each 0–100 (§1).
type MethodScores struct {
	Workforce          float64
	OutcomesFramework  float64
	ContractManagement float64
}

// Method-statement weights (§1, decided).
const (
	WeightWorkforce          = 30
	WeightOutcomesFramework  = 40
	WeightContractManagement = 30
)

// QualificationScore is (30 × workforce + 40 × outcomes_framework + 30 ×
// contract_management) / 100, plus each periodic adjustment in turn, clamped
// to 0–100 (§1; scenario.md "Arithmetic, exactly"). Each product is rounded
// before it is added (float64(...)), so that arm64 does not fuse them into
// multiply-adds and score otherwise than amd64.
func QualificationScore(m MethodScores, adjustments []float64) float64 {
	s := (float64(WeightWorkforce*m.Workforce) + float64(WeightOutcomesFramework*m.OutcomesFramework) +
		float64(WeightContractManagement*m.ContractManagement)) / 100
	for _, a := range adjustments {
		s += a
	}
	return clamp(s, 0, 100)
}

func clamp(x, lo, hi float64) float64 {
	return max(lo, min(hi, x))
}
