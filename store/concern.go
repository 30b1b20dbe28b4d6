package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// Concern is an early warning about an establishment that any partner
// records (issue 16; business case 10.6, 11.1): shared by every partner,
// like the register. It names no child.
type Concern struct {
	Seq           uint64             `json:"seq"`
	Establishment string             `json:"establishment"`
	Date          string             `json:"date"` // YYYY-MM-DD: when it arose
	Kind          engine.ConcernKind `json:"kind"`
	Severity      string             `json:"severity"`
	What          string             `json:"what"`
	Done          string             `json:"done,omitempty"` // what was done about it
	// Criterion is the pass/fail criterion it touches; a safeguarding
	// concern's is checked again (ConcernChecks).
	Criterion engine.CriterionID `json:"criterion,omitempty"`
	Authority string             `json:"authority,omitempty"` // the partner that recorded it
	By        string             `json:"by"`
	At        time.Time          `json:"at"`
}

// RecordConcern records a concern about an establishment (its Criterion
// defaults to the one its kind touches).
func (s *Store) RecordConcern(c Concern) error {
	return s.update(func(tx *Tx) error { return tx.recordConcern(c) })
}

func (tx *Tx) recordConcern(c Concern) error {
	var ps problems
	c.What, c.Done, c.Severity = strings.TrimSpace(c.What), strings.TrimSpace(c.Done), strings.ToLower(strings.TrimSpace(c.Severity))
	if !slices.Contains(engine.ConcernKinds(), c.Kind) {
		ps.add("kind", "%q is not safeguarding, complaint, quality_visit, financial or other", c.Kind)
	}
	if !slices.Contains(engine.Severities(), c.Severity) {
		ps.add("severity", "%q is not low, medium or high", c.Severity)
	}
	if !ValidDate(c.Date) {
		ps.add("date", "%q is not a real date (YYYY-MM-DD)", c.Date)
	}
	if c.What == "" {
		ps.add("what", "say what the concern is (never a child's name)")
	}
	checkText(&ps, "what", c.What, MaxNoteLen)
	checkText(&ps, "done", c.Done, MaxNoteLen)
	if c.Criterion == "" {
		c.Criterion = engine.ConcernCriterion(c.Kind)
	} else if !engine.KnownCriterion(c.Criterion) {
		ps.add("criterion", "unknown criterion %q", c.Criterion)
	}
	if err := ps.err("concern about " + c.Establishment); err != nil {
		return err
	}
	e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(c.Establishment))
	if err != nil {
		return fmt.Errorf("establishment %q: %w", c.Establishment, err)
	}
	if c.Date > tx.now.Format(time.DateOnly) {
		return &ValidationError{"concern about " + e.Name, []FieldError{{"date", engine.ShowDate(c.Date) + " is in the future"}}}
	}
	b, err := tx.tx.CreateBucketIfNotExists(bucketConcerns)
	if err != nil {
		return err
	}
	if c.Seq, err = b.NextSequence(); err != nil {
		return err
	}
	c.Authority, c.By, c.At = tx.s.who.Authority, tx.s.actor, tx.now
	ch := []Change{{Field: "kind", After: c.Kind.Title()}, {Field: "severity", After: c.Severity}, {Field: "date", After: c.Date},
		{Field: "what", After: c.What}}
	if c.Done != "" {
		ch = append(ch, Change{Field: "done", After: c.Done})
	}
	if c.Criterion != "" {
		ch = append(ch, Change{Field: "criterion", After: string(c.Criterion)})
	}
	tx.audit("concern.record", e.ID, ch...)
	return tx.put(bucketConcerns, suspensionKey(e.ID, c.Seq), c)
}

// Concerns lists the concerns about an establishment, oldest first; with
// id "" every establishment's.
func (s *Store) Concerns(id string) ([]Concern, error) {
	var out []Concern
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketConcerns) == nil {
			return nil
		}
		var prefix []byte
		if id != "" {
			prefix = compositeKey(id, "")
		}
		var err error
		out, err = all[Concern](tx, bucketConcerns, prefix)
		return err
	})
	slices.SortStableFunc(out, func(a, b Concern) int { return strings.Compare(a.Date, b.Date) })
	return out, err
}

// ConcernCheck is a safeguarding concern whose criterion has not been
// checked since it arose: the Review queue asks for the check.
type ConcernCheck struct {
	Concern Concern
	Name    string // the establishment's
}

// ConcernChecks lists every concern that prompts a check (a safeguarding
// one) of a criterion not checked on or after the concern's day, oldest
// first. Recording the check (the checklist, `r` in the Review queue)
// clears it.
func (s *Store) ConcernChecks() ([]ConcernCheck, error) {
	es, err := s.Establishments()
	if err != nil {
		return nil, err
	}
	return s.concernChecks(es)
}

func (s *Store) concernChecks(es []Establishment) ([]ConcernCheck, error) {
	cs, err := s.Concerns("")
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	byID := make(map[string]*Establishment, len(es))
	for i := range es {
		byID[es[i].ID] = &es[i]
	}
	var out []ConcernCheck
	for _, c := range cs {
		e, ok := byID[c.Establishment]
		if !ok || !engine.ConcernPromptsCheck(c.Kind) || c.Criterion == "" || e.Check(c.Criterion).Checked >= c.Date {
			continue
		}
		out = append(out, ConcernCheck{Concern: c, Name: e.Name})
	}
	return out, nil
}

// concernReviewItems are the Review queue's lines for the safeguarding
// concerns whose criterion has not been checked since they arose: `r`
// there opens the checklist, where recording the check clears them.
func (s *Store) concernReviewItems(es []Establishment) ([]ReviewItem, error) {
	ccs, err := s.concernChecks(es)
	var out []ReviewItem
	for _, cc := range ccs {
		c := cc.Concern
		out = append(out, ReviewItem{Kind: ReviewConcern, ID: c.Establishment, Name: cc.Name, Criterion: c.Criterion, Date: c.Date,
			Why: fmt.Sprintf("%s concern %s (%s): check %s again; %s", c.Kind.Title(), engine.ShowDate(c.Date), c.Severity, c.Criterion, c.What)})
	}
	return out, err
}
