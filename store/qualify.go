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
	// One entry naming the action and what fn says changed, not a
	// generic update.
	if _, err := tx.writeEstablishment(e, "", reason); err != nil {
		return err
	}
	if len(changes) > 0 {
		tx.audit(action, id, changes...)
	}
	return nil
}

// RecordCheck records the evaluator's result for one criterion: pass or
// fail, the evidence seen, when it was checked and when it lapses.
func (s *Store) RecordCheck(id string, c Check) error {
	id = s.CanonicalEstablishment(id)
	if !engine.KnownCriterion(c.ID) {
		return fmt.Errorf("unknown criterion %q", c.ID)
	}
	var p problems
	normDate(&p, string(c.ID)+".checked", &c.Checked)
	normDate(&p, string(c.ID)+".expires", &c.Expires)
	if err := p.err("establishment " + id); err != nil {
		return err
	}
	if c.Passed && c.Expires == "" && slices.ContainsFunc(engine.Criteria(), func(x engine.Criterion) bool { return x.ID == c.ID && x.HasExpiry }) {
		// Evidence that lapses is only seen with the date it lapses on:
		// clearing the date must not clear a lapse (evaluation.md §1).
		return &ValidationError{Record: "establishment " + id, Problems: []FieldError{{Field: string(c.ID) + ".expires", Message: "passed " + string(c.ID) + " evidence needs its expiry date (e.g. 22/11/2026)"}}}
	}
	return s.change(id, "qualification.check", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		old := e.Check(c.ID)
		e.SetCheck(c)
		return checkChanges(old, c), "", nil
	})
}

// checkChanges are the audit entry's changes from one record of a
// criterion to the next.
func checkChanges(old, c Check) []Change {
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
	return ch
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
	id = s.CanonicalEstablishment(id)
	return s.change(id, "qualification.scores", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		ch := diffRecords(e.Methods, m, false)
		e.Methods = m
		return ch, "", nil
	})
}

// AddAdjustment records a periodic score adjustment with date, reason and
// who made it (the store's actor).
func (s *Store) AddAdjustment(id string, points float64, reason string) error {
	id = s.CanonicalEstablishment(id)
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
	id = s.CanonicalEstablishment(id)
	return s.change(id, "establishment.qualify", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		if e.Status == engine.Qualified {
			return nil, "", fmt.Errorf("%s is already qualified", e.Name)
		}
		if e.Status == engine.Suspended {
			return nil, "", fmt.Errorf("%s is suspended: lift the suspension instead", e.Name)
		}
		st, err := tx.standing(e)
		if err != nil {
			return nil, "", err
		}
		if !st.Stands() {
			return nil, "", fmt.Errorf("%s does not pass: %s", e.Name, st.Text())
		}
		old := e.Status
		e.Status = engine.Qualified
		return []Change{{Field: "status", Before: string(old), After: string(engine.Qualified)}}, "every criterion passes", nil
	})
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
			if err := tx.suspend(r.ID, r.Criterion, r.Reason, tx.now); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReviewKind says why an establishment is in the review queue.
type ReviewKind int

const (
	ReviewMustSuspend ReviewKind = iota // qualified but a criterion fails now, in every category
	ReviewConcern                       // a safeguarding concern asks for its criterion to be checked (concern.go)
	ReviewOutOfSome                     // below one category's floor: out of those referrals only
	ReviewSuspended                     // suspended: what lifts it
	ReviewExpiring                      // evidence lapses within the windows
	ReviewAuditDue                      // last checked over a year ago
)

// ReviewItem is one line of the morning queue.
type ReviewItem struct {
	Kind      ReviewKind
	ID, Name  string
	Criterion engine.CriterionID // the failed, suspended or expiring one
	Date      string             // since (suspended, failing), expires (expiring), last checked (audit)
	Days      int                // days until the expiry, for expiring evidence
	Why       string             // why the criterion fails, in words
	// InEffect is the day a suspended establishment's criterion failed:
	// its suspension took effect then, by itself, whenever it was
	// recorded (evaluation.md §1). Empty when it passes again.
	InEffect   string
	Suspension Suspension
	// ReadyToLift: a suspended establishment whose failed criterion
	// passes again, so the suspension can be lifted now.
	ReadyToLift bool
}

// ReviewQueue is the morning queue at now: establishments whose criterion
// fails (already out of invitations and bids, to be suspended formally),
// suspended ones with their failed criterion, evidence expiring within the
// 30/60/90-day windows, and annual audits due (evaluation.md §1; business
// case 7.20).
func (s *Store) ReviewQueue(now time.Time) ([]ReviewItem, error) {
	es, err := s.Establishments()
	if err != nil {
		return nil, err
	}
	sus, err := s.Suspensions("")
	if err != nil {
		return nil, err
	}
	floors, err := s.Floors()
	if err != nil {
		return nil, err
	}
	open := map[string]Suspension{}
	for _, x := range sus {
		if x.Open() {
			open[x.Establishment] = x
		}
	}
	today := engine.Day(now)
	windows := engine.ExpiryWindowsDays()
	lastWindow := today.AddDate(0, 0, windows[len(windows)-1])
	auditDue := today.AddDate(0, -engine.AuditIntervalMonths, 0).Format(time.DateOnly)
	var items []ReviewItem
	for i := range es {
		e := &es[i]
		switch e.Status {
		case engine.Qualified:
			st := StandingOf(e, now, floors)
			if fs := st.Failures(); len(fs) > 0 {
				item := ReviewItem{Kind: ReviewMustSuspend, ID: e.ID, Name: e.Name, Criterion: fs[0].Criterion, Why: st.Text()}
				if st.StandsSomewhere() {
					item.Kind = ReviewOutOfSome
				}
				if !fs[0].Since.IsZero() {
					item.Date = fs[0].Since.Format(time.DateOnly)
				}
				items = append(items, item)
				continue
			}
			for _, c := range e.Checks {
				exp := day(c.Expires)
				if c.Expires != "" && !exp.Before(today) && !exp.After(lastWindow) {
					days := int(exp.Sub(today).Hours() / 24)
					items = append(items, ReviewItem{Kind: ReviewExpiring, ID: e.ID, Name: e.Name, Criterion: c.ID, Date: c.Expires, Days: days})
				}
			}
			if last := lastChecked(e); last != "" && last < auditDue {
				items = append(items, ReviewItem{Kind: ReviewAuditDue, ID: e.ID, Name: e.Name, Date: last})
			}
		case engine.Suspended:
			item := ReviewItem{Kind: ReviewSuspended, ID: e.ID, Name: e.Name}
			if x, ok := open[e.ID]; ok {
				item.Criterion, item.Date, item.Suspension = x.Criterion, x.Since.Format(time.DateOnly), x
				st := StandingOf(e, now, floors)
				item.ReadyToLift = st.Passes(x.Criterion)
				if f, ok := st.Failure(x.Criterion); ok {
					item.Why = f.Text()
					if !f.Since.IsZero() {
						item.InEffect = f.Since.Format(time.DateOnly)
					}
				}
			}
			items = append(items, item)
		}
	}
	concerns, err := s.concernReviewItems(es)
	if err != nil {
		return nil, err
	}
	items = append(items, concerns...)
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
