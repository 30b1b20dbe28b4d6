package engine

import (
	"fmt"
	"time"
)

// Floors is a category's inspection floor per framework: the lowest grade
// that still passes (§1.1). A framework not named uses its default floor.
type Floors map[Framework]string

// Floor is the floor the category holds f to.
func (fl Floors) Floor(f Framework) string {
	if g, ok := fl[f]; ok && g != "" {
		return g
	}
	return f.DefaultFloor()
}

// Judgement is one regulator's latest judgement of an establishment, in
// its own framework's words (§1.1).
type Judgement struct {
	Framework Framework
	Grade     string
	Date      time.Time // zero: not known
	// Source names where the judgement came from when it was not typed
	// by an officer ("GIAS 2026-11-28"); "" otherwise.
	Source string
}

// QualificationRecord is what standing is worked out from: the evaluator's
// record of each pass/fail criterion and the regulators' judgements (§1).
type QualificationRecord struct {
	Checks      []CriterionCheck
	Inspections []Judgement
}

// check is the record of one criterion, nil when never checked.
func (q *QualificationRecord) check(id CriterionID) *CriterionCheck {
	for i := range q.Checks {
		if q.Checks[i].ID == id {
			return &q.Checks[i]
		}
	}
	return nil
}

// FailureKind says how a criterion fails.
type FailureKind int

const (
	NeverChecked FailureKind = iota // no evaluator has recorded it
	FailedCheck                     // the evaluator failed it
	Expired                         // its evidence lapsed
	BelowFloor                      // a judgement is below the category's floor
)

// Failure is one criterion that does not pass on a day, and since when.
type Failure struct {
	Criterion CriterionID
	Kind      FailureKind
	// Since is the first day it failed: the day after the evidence
	// expired, the day it was checked and failed, the inspection's date.
	// Zero when not known (never checked, an undated judgement).
	Since time.Time
	// Judgement and Floor, for a judgement below the floor.
	Judgement Judgement
	Floor     string
	// Source is where the failing record came from when not an officer
	// (the DfE's GIAS download), said after the failure in words.
	Source string
}

// Day is the calendar day of t (in t's own location) as midnight UTC, the
// form in which evidence dates are compared.
func Day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// DateText writes a day as people read it: "18 Nov 2026".
func DateText(t time.Time) string { return t.Format("2 Jan 2006") }

// Short says the failure in a few words, for grouping: "insurance expired".
func (f Failure) Short() string {
	switch f.Kind {
	case NeverChecked:
		return string(f.Criterion) + " never checked"
	case FailedCheck:
		return string(f.Criterion) + " failed"
	case Expired:
		return string(f.Criterion) + " expired"
	}
	return "inspection below the floor"
}

// Text says the failure in words with its date: "insurance expired
// 18 Nov 2026" (the last day the evidence was valid).
//
// A failure whose record came from elsewhere says so early, where a
// narrow screen still shows it: "registration failed: GIAS 2026-11-28:
// closed 31 Aug 2026", "GIAS 2026-11-28: inspection below the floor …".
func (f Failure) Text() string {
	switch {
	case f.Source == "":
		return f.text()
	case f.Kind == FailedCheck:
		return fmt.Sprintf("%s failed: %s", f.Criterion, f.Source)
	}
	return f.Source + ": " + f.text()
}

func (f Failure) text() string {
	switch f.Kind {
	case FailedCheck:
		return fmt.Sprintf("%s failed when checked on %s", f.Criterion, DateText(f.Since))
	case Expired:
		return fmt.Sprintf("%s expired %s", f.Criterion, DateText(f.Since.AddDate(0, 0, -1)))
	case BelowFloor:
		s := fmt.Sprintf("inspection below the floor (%s): %s %s", f.Floor, f.Judgement.Framework.Title(), f.Judgement.Grade)
		if !f.Since.IsZero() {
			s += " " + DateText(f.Since)
		}
		return s
	}
	return f.Short()
}

// Standing lists the criteria an establishment fails on a day, held
// against one category's floors, in the checklist's order; none means it
// stands qualified in that category (§1). It is the one place this is
// decided:
//   - a criterion passes when the evaluator passed it and its evidence is
//     valid on the day: up to and including its expiry date, failing from
//     the next day (§1, decided);
//   - the inspection criterion also needs every regulator judgement at or
//     above the category's floor for its framework (§1.1); an unregulated
//     setting passes on the authority's quality visit, which is the
//     evaluator's check itself.
func Standing(q *QualificationRecord, day time.Time, floors Floors) []Failure {
	d := Day(day)
	var out []Failure
	var never CriterionCheck // a criterion with no record
	for i := range criteria {
		cr := &criteria[i]
		c := q.check(cr.ID)
		if c == nil {
			c = &never
		}
		switch {
		case c.Checked.IsZero() && !c.Passed:
			out = append(out, Failure{Criterion: cr.ID, Kind: NeverChecked})
			continue
		case !c.Passed:
			out = append(out, Failure{Criterion: cr.ID, Kind: FailedCheck, Since: Day(c.Checked), Source: c.Source})
			continue
		case !c.Expires.IsZero() && d.After(c.Expires) && d.After(Day(c.Expires)):
			// (d.After(c.Expires) first: the cheap test settles the usual case.)
			out = append(out, Failure{Criterion: cr.ID, Kind: Expired, Since: Day(c.Expires).AddDate(0, 0, 1)})
			continue
		}
		if cr.ID != CritInspection {
			continue
		}
		for _, j := range q.Inspections {
			if j.Framework == FrameworkUnregulated {
				continue
			}
			floor := floors.Floor(j.Framework)
			if !j.Framework.MeetsFloor(j.Grade, floor) {
				f := Failure{Criterion: cr.ID, Kind: BelowFloor, Judgement: j, Floor: floor, Source: j.Source}
				if !j.Date.IsZero() {
					f.Since = Day(j.Date)
				}
				out = append(out, f)
				break
			}
		}
	}
	return out
}
