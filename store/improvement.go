package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// Continuous improvement (business case 7.12, 7.13; evaluation.md §1):
// every period, each establishment's method-statement score is moved by
// how its placements are delivered. The Review queue proposes the
// adjustment from the reviews' delivery ratings; an officer confirms or
// changes it, and it becomes a periodic adjustment with the reviews as its
// reason. Referrals issued afterwards carry the new score; referrals
// issued before keep the one they froze.

// ReviewRef is one review that is evidence for a proposal.
type ReviewRef struct {
	Placement string                 `json:"placement,omitempty"` // "" when another authority's
	Authority string                 `json:"authority"`
	Date      string                 `json:"date"`
	Ratings   engine.DeliveryRatings `json:"ratings"`
}

// ImprovementProposal is the adjustment proposed for one establishment,
// with its evidence.
type ImprovementProposal struct {
	Establishment string      `json:"establishment"`
	Name          string      `json:"name"`
	Current       float64     `json:"current"`  // the qualification score now
	Delivery      float64     `json:"delivery"` // the reviews' weighted mean
	Points        float64     `json:"points"`
	Since         string      `json:"since"` // the period's first day
	Evidence      []ReviewRef `json:"evidence"`
}

// Improvement is a continuous-improvement decision, kept: what was
// proposed, what was confirmed (0: no change) and on which reviews.
type Improvement struct {
	Establishment string      `json:"establishment"`
	Date          string      `json:"date"`
	Proposed      float64     `json:"proposed"`
	Points        float64     `json:"points"`
	Delivery      float64     `json:"delivery"`
	Evidence      []ReviewRef `json:"evidence"`
	Note          string      `json:"note,omitempty"`
	By            string      `json:"by"`
	At            time.Time   `json:"at"`
}

// ImprovementProposals lists the proposals due on now's day, by name.
func (s *Store) ImprovementProposals(now time.Time) ([]ImprovementProposal, error) {
	var out []ImprovementProposal
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = improvementProposals(tx, s, now.Format(time.DateOnly), "")
		return err
	})
	return out, err
}

// improvementProposals works out the proposals due on today (only id's
// when id is given). An establishment is due when its last decision is a
// period or more ago (or it has none); the evidence is its placements'
// reviews since that decision, or within the last period when there was
// none; the period is the shortest of its placements' categories'.
func improvementProposals(tx *bolt.Tx, s *Store, today, id string) ([]ImprovementProposal, error) {
	pb := tx.Bucket(bucketPlacements)
	if pb == nil {
		return nil, nil
	}
	rules := placementRules(tx)
	type acc struct {
		months int
		refs   []ReviewRef
	}
	by := map[string]*acc{}
	err := pb.ForEach(func(k, v []byte) error {
		var p Placement
		if err := json.Unmarshal(v, &p); err != nil {
			return undecodable(bucketPlacements, k, err)
		}
		if len(p.Reviews) == 0 || (id != "" && p.Establishment != id) {
			return nil
		}
		a := by[p.Establishment]
		if a == nil {
			a = &acc{}
			by[p.Establishment] = a
		}
		m := RulesFor(rules, p.Category).ImprovementEveryMonths
		if a.months == 0 || m < a.months {
			a.months = m
		}
		pid := p.ID
		if !s.sees(p.Authority) {
			pid = ""
		}
		for _, rv := range p.Reviews {
			a.refs = append(a.refs, ReviewRef{Placement: pid, Authority: p.Authority, Date: rv.Date, Ratings: rv.Ratings})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []ImprovementProposal
	for _, estID := range sortedKeys(by) {
		a := by[estID]
		since := day(today).AddDate(0, -a.months, 0).Format(time.DateOnly)
		if last, ok := lastImprovement(tx, estID); ok {
			if last.Date > since {
				continue // decided within the period
			}
			since = last.Date
		}
		var refs []ReviewRef
		var ratings []engine.DeliveryRatings
		for _, r := range a.refs {
			if r.Date > since && r.Date <= today {
				refs = append(refs, r)
				ratings = append(ratings, r.Ratings)
			}
		}
		e, err := get[Establishment](tx, bucketEstablishments, []byte(estID))
		if err != nil {
			continue // a placement's establishment gone from the register: nothing to adjust
		}
		cur := e.QualificationScore()
		pts, ok := engine.ImprovementPoints(cur, ratings)
		if !ok {
			continue
		}
		slices.SortFunc(refs, func(x, y ReviewRef) int { return strings.Compare(x.Date, y.Date) })
		out = append(out, ImprovementProposal{Establishment: estID, Name: e.Name, Current: cur, Delivery: engine.DeliveryScore(ratings),
			Points: pts, Since: since, Evidence: refs})
	}
	slices.SortStableFunc(out, func(x, y ImprovementProposal) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// lastImprovement is an establishment's latest decision.
func lastImprovement(tx *bolt.Tx, estID string) (Improvement, bool) {
	b := tx.Bucket(bucketImprovements)
	if b == nil {
		return Improvement{}, false
	}
	prefix := compositeKey(estID, "")
	var last []byte
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, v = c.Next() {
		last = v
	}
	var im Improvement
	if last == nil || json.Unmarshal(last, &im) != nil {
		return Improvement{}, false
	}
	return im, true
}

// ConfirmImprovement decides the open proposal of an establishment: points
// as proposed or as the officer changes them (-100 to 100; 0 is no
// change), which become a periodic adjustment whose reason names the
// reviews; the decision is kept, and the next proposal comes a period on.
// One transaction.
func (s *Store) ConfirmImprovement(estID string, points float64, note string) error {
	note = strings.TrimSpace(note)
	if points < -100 || points > 100 {
		return &ValidationError{"continuous improvement of " + estID, []FieldError{{"points", fmt.Sprintf("an adjustment is -100 to 100 points, not %g", points)}}}
	}
	if msg := textProblem(note, MaxNoteLen); msg != "" {
		return &ValidationError{"continuous improvement of " + estID, []FieldError{{"note", msg}}}
	}
	return s.update(func(tx *Tx) error {
		today := tx.now.Format(time.DateOnly)
		ps, err := improvementProposals(tx.tx, tx.s, today, estID)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			return fmt.Errorf("no continuous-improvement proposal is open for %s today", estID)
		}
		pr := ps[0]
		var dates []string
		for _, r := range pr.Evidence {
			name := r.Placement
			if name == "" {
				name = r.Authority + " placement"
			}
			dates = append(dates, name+" "+r.Date)
		}
		reason := fmt.Sprintf("continuous improvement: delivery %.1f over %d reviews (%s)", pr.Delivery, len(pr.Evidence), strings.Join(dates, ", "))
		if points != pr.Points {
			reason += fmt.Sprintf("; proposed %+g, changed to %+g", pr.Points, points)
		}
		if note != "" {
			reason += "; " + note
		}
		if len(reason) > MaxNoteLen {
			reason = strings.ToValidUTF8(reason[:MaxNoteLen-4], "") + "…"
		}
		if points != 0 {
			if err := tx.change(estID, "qualification.adjust", func(tx *Tx, e *Establishment) ([]Change, string, error) {
				e.Adjustments = append(slices.Clip(e.Adjustments), Adjustment{Date: today, Points: points, Reason: reason, By: tx.s.actor})
				return []Change{{Field: "adjustment", After: fmt.Sprintf("%+g: %s", points, reason)}}, "", nil
			}); err != nil {
				return err
			}
		}
		im := Improvement{Establishment: estID, Date: today, Proposed: pr.Points, Points: points, Delivery: pr.Delivery, Evidence: pr.Evidence,
			Note: note, By: tx.s.actor, At: tx.now}
		if _, err := tx.tx.CreateBucketIfNotExists(bucketImprovements); err != nil {
			return err
		}
		tx.audit("improvement.confirm", estID, Change{Field: "proposed", After: fmt.Sprintf("%+g", pr.Points)},
			Change{Field: "confirmed", After: fmt.Sprintf("%+g", points)}, Change{Field: "evidence", After: reason})
		return tx.put(bucketImprovements, compositeKey(estID, today), im)
	})
}

// Improvements lists an establishment's decisions, oldest first.
func (s *Store) Improvements(estID string) ([]Improvement, error) {
	var out []Improvement
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketImprovements) == nil {
			return nil
		}
		var err error
		out, err = all[Improvement](tx, bucketImprovements, compositeKey(estID, ""))
		return err
	})
	return out, err
}
