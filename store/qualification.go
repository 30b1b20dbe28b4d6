package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// The establishment's standing — qualified, or failing a criterion and
// since when — is decided by engine.Standing alone (evaluation.md §1).
// This file only gathers what it needs from the records: the checks, the
// judgements and each category's floors.

// day parses a stored YYYY-MM-DD date (zero when empty).
func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// Qualification is the record the engine works the standing out from.
func (e *Establishment) Qualification() *engine.QualificationRecord {
	q := &engine.QualificationRecord{Checks: make([]engine.CriterionCheck, len(e.Checks)),
		Inspections: make([]engine.Judgement, len(e.Inspections))}
	for i, c := range e.Checks {
		q.Checks[i] = engine.CriterionCheck{ID: c.ID, Passed: c.Passed, Evidence: c.Evidence, Checked: day(c.Checked), Expires: day(c.Expires)}
	}
	for i, in := range e.Inspections {
		q.Inspections[i] = engine.Judgement{Framework: in.Framework, Grade: in.Grade, Date: day(in.Date)}
	}
	return q
}

// Floors are every category's inspection floors, by category id.
type Floors map[string]engine.Floors

func floorsIn(tx *bolt.Tx) (Floors, error) {
	cats, err := all[Category](tx, bucketCategories, nil)
	out := Floors{}
	for _, c := range cats {
		out[c.ID] = c.InspectionFloors
	}
	return out, err
}

// Floors reads every category's inspection floors.
func (s *Store) Floors() (Floors, error) {
	var out Floors
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = floorsIn(tx)
		return err
	})
	return out, err
}

// Standing is an establishment's standing on a day in each of its
// categories (evaluation.md §1): an inspection judgement is held against
// each category's own floor, so it may fail in one and stand in another.
type Standing struct {
	Categories []string
	failing    map[string][]engine.Failure
}

// StandingOf works out e's standing on day under the categories' floors.
func StandingOf(e *Establishment, day time.Time, floors Floors) Standing {
	st := Standing{Categories: e.Categories, failing: map[string][]engine.Failure{}}
	q := e.Qualification()
	for _, c := range e.Categories {
		if f := engine.Standing(q, day, floors[c]); len(f) > 0 {
			st.failing[c] = f
		}
	}
	return st
}

// In is what fails in one category (none: it stands there).
func (st Standing) In(category string) []engine.Failure { return st.failing[category] }

// Stands reports whether no criterion fails in any of its categories.
func (st Standing) Stands() bool { return len(st.failing) == 0 }

// StandsSomewhere reports whether it stands in at least one category:
// failing in every one is what a suspension records; failing in some is
// being out of those categories' referrals only.
func (st Standing) StandsSomewhere() bool { return len(st.failing) < len(st.Categories) }

// Failures lists each failing criterion once, in the checklist's order,
// as it fails in the first category where it does.
func (st Standing) Failures() []engine.Failure {
	var out []engine.Failure
	for _, cr := range engine.Criteria() {
		if f, ok := st.Failure(cr.ID); ok {
			out = append(out, f)
		}
	}
	return out
}

// Failure is how one criterion fails, if it does in any category.
func (st Standing) Failure(id engine.CriterionID) (engine.Failure, bool) {
	for _, c := range st.Categories {
		for _, f := range st.failing[c] {
			if f.Criterion == id {
				return f, true
			}
		}
	}
	return engine.Failure{}, false
}

// FailsIn lists the categories in which a criterion fails.
func (st Standing) FailsIn(id engine.CriterionID) []string {
	var out []string
	for _, c := range st.Categories {
		if slices.ContainsFunc(st.failing[c], func(f engine.Failure) bool { return f.Criterion == id }) {
			out = append(out, c)
		}
	}
	return out
}

// Passes reports whether a criterion passes in at least one category:
// what lifting a suspension of it needs.
func (st Standing) Passes(id engine.CriterionID) bool {
	return len(st.FailsIn(id)) < len(st.Categories)
}

// Text says why the establishment does not stand, in words: the first
// failure, and the categories it is limited to when not all.
func (st Standing) Text() string {
	fs := st.Failures()
	if len(fs) == 0 {
		return "every criterion passes"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = st.Why(f.Criterion)
	}
	return strings.Join(parts, "; ")
}

// Why says how one criterion fails, in words, with the categories it is
// limited to when not all: "inspection below the floor (Good): Ofsted
// Requires improvement 3 Mar 2026 (residential only)"; "" when it passes.
// It is the one wording of it every screen and document uses.
func (st Standing) Why(id engine.CriterionID) string {
	f, failing := st.Failure(id)
	if !failing {
		return ""
	}
	text := f.Text()
	if in := st.FailsIn(id); len(in) < len(st.Categories) {
		text += " (" + strings.Join(in, ", ") + " only)"
	}
	return text
}

// standing is e's standing on the transaction's day.
func (tx *Tx) standing(e *Establishment) (Standing, error) {
	floors, err := floorsIn(tx.tx)
	return StandingOf(e, tx.now, floors), err
}

// StandingError refuses what an establishment that fails a criterion
// cannot do (be invited, bid, be awarded), with the reason in words.
type StandingError struct {
	Name     string
	Failures []engine.Failure
}

func (e *StandingError) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = f.Text()
	}
	return fmt.Sprintf("%s cannot bid or be placed with: %s", e.Name, strings.Join(parts, "; "))
}

// ErrStanding matches a StandingError with errors.Is.
var ErrStanding = errors.New("fails a qualification criterion")

func (e *StandingError) Is(target error) bool { return target == ErrStanding }

// GradedFrameworks are the frameworks a category sets a floor for.
func GradedFrameworks() []engine.Framework {
	var out []engine.Framework
	for _, f := range engine.Frameworks() {
		if len(f.Grades()) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// SetCategoryTerms changes one category's affordability cap and
// inspection floors (evaluation.md §1.1, §2) and nothing else of it, in
// one audited change; a floor left empty or set to the framework's default
// is the default. Referrals already issued keep the terms they were issued
// under only once they are frozen with them; new invitations use these.
func (s *Store) SetCategoryTerms(id string, t Terms) error {
	if err := s.mayConfigure("a category"); err != nil {
		return err
	}
	var p problems
	if t.AffordabilityCapPence < 0 {
		p.add("affordability_cap_pence", "must be 0 (no cap) or more, not %d", t.AffordabilityCapPence)
	}
	floors := engine.Floors{}
	for f, g := range t.InspectionFloors {
		switch {
		case !slices.Contains(GradedFrameworks(), f):
			p.add("inspection_floors", "%q is not a framework with grades (ofsted, ofsted-report-card, isi, cqc)", f)
		case g == "" || g == f.DefaultFloor():
		case !f.ValidGrade(g):
			p.add("inspection_floors."+string(f), "%q is not a %s grade (one of %s)", g, f.Title(), strings.Join(f.Grades(), ", "))
		default:
			floors[f] = g
		}
	}
	if err := p.err("category " + id); err != nil {
		return err
	}
	if len(floors) == 0 {
		floors = nil
	}
	return s.changeCategory(id, func(c *Category) []Change {
		var ch []Change
		if c.AffordabilityCapPence != t.AffordabilityCapPence {
			ch = append(ch, Change{Field: "affordability_cap_pence", Before: fmt.Sprint(c.AffordabilityCapPence), After: fmt.Sprint(t.AffordabilityCapPence)})
		}
		for _, f := range GradedFrameworks() {
			if before, after := c.InspectionFloors.Floor(f), floors.Floor(f); before != after {
				ch = append(ch, Change{Field: "inspection_floors." + string(f), Before: before, After: after})
			}
		}
		c.AffordabilityCapPence, c.InspectionFloors = t.AffordabilityCapPence, floors
		return ch
	})
}
