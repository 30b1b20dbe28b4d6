package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
)

// change loads one establishment, lets fn change it, and saves it with the
// audit entry fn describes, all in one transaction.
func (s *Store) change(id, action string, fn func(tx *Tx, e *Establishment) ([]Change, string, error)) error {
	return s.update(func(tx *Tx) error { return tx.change(id, action, fn) })
}

func (tx *Tx) change(id, action string, fn func(tx *Tx, e *Establishment) ([]Change, string, error)) error {
	e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(id))
	if err != nil {
		return fmt.Errorf("establishment %q: %w", id, err)
	}
	changes, reason, err := fn(tx, &e)
	if err != nil {
		return err
	}
	if err := e.Validate(defaultGeo()); err != nil {
		return err
	}
	before := len(tx.entries)
	if _, err := tx.saveEstablishment(e, "", reason); err != nil {
		return err
	}
	// One entry naming the action, not a generic update.
	tx.entries = tx.entries[:before]
	if len(changes) > 0 {
		tx.audit(action, id, changes...)
	}
	return nil
}

// RecordCheck records the evaluator's result for one criterion: pass or
// fail, the evidence seen, when it was checked and when it lapses.
func (s *Store) RecordCheck(id string, c Check) error {
	if !engine.KnownCriterion(c.ID) {
		return fmt.Errorf("unknown criterion %q", c.ID)
	}
	return s.change(id, "qualification.check", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		old := e.Check(c.ID)
		e.SetCheck(c)
		var ch []Change
		add := func(field, before, after string) {
			if before != after {
				ch = append(ch, Change{Field: string(c.ID) + "." + field, Before: before, After: after})
			}
		}
		add("result", passWord(old.Passed, old.Checked), passWord(c.Passed, c.Checked))
		add("evidence", old.Evidence, c.Evidence)
		add("checked", old.Checked, c.Checked)
		add("expires", old.Expires, c.Expires)
		return ch, "", nil
	})
}

func passWord(passed bool, checked string) string {
	switch {
	case checked == "" && !passed:
		return "not checked"
	case passed:
		return "pass"
	}
	return "fail"
}

// SetMethodScores records the three method-statement scores.
func (s *Store) SetMethodScores(id string, m MethodScores) error {
	return s.change(id, "qualification.scores", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		ch := diffRecords(e.Methods, m, false)
		e.Methods = m
		return ch, "", nil
	})
}

// AddAdjustment records a periodic score adjustment with date, reason and
// who made it (the store's actor).
func (s *Store) AddAdjustment(id string, points float64, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return errors.New("an adjustment needs a reason")
	}
	if points == 0 || points < -100 || points > 100 {
		return errors.New("an adjustment moves the score by -100 to 100 points, not 0")
	}
	return s.change(id, "qualification.adjust", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		a := Adjustment{Date: tx.now.Format(time.DateOnly), Points: points, Reason: reason, By: tx.s.actor}
		e.Adjustments = append(slices.Clip(e.Adjustments), a)
		return []Change{{Field: "adjustment", After: fmt.Sprintf("%+g: %s", points, reason)}}, "", nil
	})
}

// Qualify admits an establishment to the register once every pass/fail
// criterion passes (evaluation.md §1).
func (s *Store) Qualify(id string) error {
	return s.change(id, "establishment.qualify", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		if e.Status == engine.Qualified {
			return nil, "", fmt.Errorf("%s is already qualified", e.Name)
		}
		if e.Status == engine.Suspended {
			return nil, "", fmt.Errorf("%s is suspended: lift the suspension instead", e.Name)
		}
		if failing := FailingCriteria(e, tx.now); len(failing) > 0 {
			return nil, "", fmt.Errorf("%s does not pass %s", e.Name, joinCriteria(failing))
		}
		old := e.Status
		e.Status = engine.Qualified
		return []Change{{Field: "status", Before: string(old), After: string(engine.Qualified)}}, "every criterion passes", nil
	})
}

func joinCriteria(ids []engine.CriterionID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}

// SetStatus withdraws or excludes establishments, with the reason: all of
// them in one transaction, or none if any cannot be.
func (s *Store) SetStatus(to engine.Status, reason string, ids ...string) error {
	if to != engine.Withdrawn && to != engine.Excluded {
		return fmt.Errorf("use Qualify, Suspend or Lift for %s", to)
	}
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("say why the establishment is %s", to)
	}
	return s.update(func(tx *Tx) error {
		for _, id := range ids {
			err := tx.change(id, "establishment."+string(to), func(tx *Tx, e *Establishment) ([]Change, string, error) {
				if e.Status == to {
					return nil, "", fmt.Errorf("%s is already %s", e.Name, to)
				}
				old := e.Status
				e.Status = to
				return []Change{{Field: "status", Before: string(old), After: string(to)}, {Field: "reason", After: reason}}, reason, nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// SuspendRequest is one establishment to suspend and why.
type SuspendRequest struct {
	ID        string
	Criterion engine.CriterionID
	Reason    string
}

// SuspendAll suspends several establishments in one transaction: all of
// them, or, if any cannot be, none.
func (s *Store) SuspendAll(reqs []SuspendRequest) error {
	return s.update(func(tx *Tx) error {
		for _, r := range reqs {
			if err := tx.suspend(r.ID, r.Criterion, r.Reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReviewKind says why an establishment is in the review queue.
type ReviewKind int

const (
	ReviewMustSuspend ReviewKind = iota // qualified but a criterion fails now
	ReviewSuspended                     // suspended: what lifts it
	ReviewExpiring                      // evidence lapses within 90 days
	ReviewAuditDue                      // last checked over a year ago
)

// ReviewItem is one line of the morning queue.
type ReviewItem struct {
	Kind       ReviewKind
	ID, Name   string
	Criterion  engine.CriterionID // the failed, suspended or expiring one
	Date       string             // since (suspended), expires (expiring), last checked (audit)
	Days       int                // days until the expiry, for expiring evidence
	Why        string             // why the criterion fails, in words
	Suspension Suspension
}

// ReviewQueue is the morning queue at now: establishments to suspend now,
// suspended ones with their failed criterion, evidence expiring within 90
// days, and annual audits due (evaluation.md §1; business case 7.20).
func (s *Store) ReviewQueue(now time.Time) ([]ReviewItem, error) {
	es, err := s.Establishments()
	if err != nil {
		return nil, err
	}
	sus, err := s.Suspensions("")
	if err != nil {
		return nil, err
	}
	open := map[string]Suspension{}
	for _, x := range sus {
		if x.Open() {
			open[x.Establishment] = x
		}
	}
	today := now.Format(time.DateOnly)
	yearAgo := now.AddDate(-1, 0, 0).Format(time.DateOnly)
	in90 := now.AddDate(0, 0, 90).Format(time.DateOnly)
	var items []ReviewItem
	for i := range es {
		e := &es[i]
		switch e.Status {
		case engine.Qualified:
			if failing := FailingCriteria(e, now); len(failing) > 0 {
				items = append(items, ReviewItem{Kind: ReviewMustSuspend, ID: e.ID, Name: e.Name, Criterion: failing[0], Why: WhyFails(e, failing[0], now)})
				continue
			}
			for _, c := range e.Checks {
				if c.Expires != "" && c.Expires >= today && c.Expires <= in90 {
					exp, _ := time.Parse(time.DateOnly, c.Expires)
					days := int(exp.Sub(now.Truncate(24*time.Hour)).Hours() / 24)
					items = append(items, ReviewItem{Kind: ReviewExpiring, ID: e.ID, Name: e.Name, Criterion: c.ID, Date: c.Expires, Days: days})
				}
			}
			if last := lastChecked(e); last != "" && last < yearAgo {
				items = append(items, ReviewItem{Kind: ReviewAuditDue, ID: e.ID, Name: e.Name, Date: last})
			}
		case engine.Suspended:
			item := ReviewItem{Kind: ReviewSuspended, ID: e.ID, Name: e.Name}
			if x, ok := open[e.ID]; ok {
				item.Criterion, item.Date, item.Suspension = x.Criterion, x.Since.Format(time.DateOnly), x
			}
			items = append(items, item)
		}
	}
	slices.SortStableFunc(items, func(a, b ReviewItem) int {
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		if a.Kind == ReviewExpiring && a.Date != b.Date {
			return strings.Compare(a.Date, b.Date)
		}
		return strings.Compare(a.Name, b.Name)
	})
	return items, nil
}

// lastChecked is the oldest date among the criteria checks: the annual
// audit is due when any criterion was last checked over a year ago.
func lastChecked(e *Establishment) string {
	oldest := ""
	for _, c := range e.Checks {
		if c.Checked != "" && (oldest == "" || c.Checked < oldest) {
			oldest = c.Checked
		}
	}
	return oldest
}

// WhyFails says in words why a criterion does not pass at now.
func WhyFails(e *Establishment, id engine.CriterionID, now time.Time) string {
	c := e.Check(id)
	switch {
	case c.Checked == "" && !c.Passed:
		return string(id) + " never checked"
	case !c.Passed:
		return string(id) + " failed when checked on " + c.Checked
	case c.Expires != "" && c.Expires <= now.Format(time.DateOnly):
		return string(id) + " expired " + c.Expires
	case id == engine.CritInspection:
		for _, in := range e.Inspections {
			if !in.Framework.MeetsFloor(in.Grade, "") {
				return fmt.Sprintf("inspection below the floor: %s %s", in.Framework.Title(), in.Grade)
			}
		}
	}
	return string(id) + " passes"
}
