package store

import (
	"time"

	"dpsdesk/engine"
)

// engineCheck converts the record of a criterion for the engine's rules.
func engineCheck(c Check) engine.CriterionCheck {
	day := func(s string) time.Time {
		t, _ := time.Parse(time.DateOnly, s)
		return t
	}
	return engine.CriterionCheck{ID: c.ID, Passed: c.Passed, Evidence: c.Evidence, Checked: day(c.Checked), Expires: day(c.Expires)}
}

// CheckPasses reports whether a criterion passes at now: the evaluator
// passed it, its evidence has not expired, and, for the inspection
// criterion, every regulator judgement is at or above the floor of each of
// the establishment's categories (evaluation.md §1, §1.1).
func CheckPasses(e *Establishment, id engine.CriterionID, now time.Time) bool {
	if !engineCheck(e.Check(id)).Effective(now) {
		return false
	}
	if id == engine.CritInspection {
		return InspectionMeetsFloor(e)
	}
	return true
}

// InspectionMeetsFloor reports whether every recorded judgement is at or
// above its framework's default floor; an establishment with none recorded
// has nothing below the floor.
func InspectionMeetsFloor(e *Establishment) bool {
	for _, in := range e.Inspections {
		if !in.Framework.MeetsFloor(in.Grade, "") {
			return false
		}
	}
	return true
}

// FailingCriteria lists the criteria that do not pass at now, in the
// checklist's order.
func FailingCriteria(e *Establishment, now time.Time) []engine.CriterionID {
	var out []engine.CriterionID
	for _, c := range engine.Criteria() {
		if !CheckPasses(e, c.ID, now) {
			out = append(out, c.ID)
		}
	}
	return out
}
