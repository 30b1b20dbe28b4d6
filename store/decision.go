package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"

	bolt "go.etcd.io/bbolt"
)

// Frozen is what a referral was issued under (evaluation.md §2, "Terms
// frozen at issue"): the category's cap and floors, and each invited
// establishment's location, qualified core cost and the scores its
// qualification score comes from, as they stood at that moment. Its
// evaluation uses these whatever the register or the category says later;
// only the standing check of §3 looks at the register as it is.
type Frozen struct {
	At             time.Time             `json:"at"`
	Terms          Terms                 `json:"terms"`
	Establishments []FrozenEstablishment `json:"establishments"`
}

// FrozenEstablishment is one invited establishment as it stood at issue.
type FrozenEstablishment struct {
	ID              string              `json:"id"`
	Categories      []string            `json:"categories"`
	Location        geo.Location        `json:"location"`
	CoreWeeklyPence int64               `json:"core_weekly_pence"`
	Methods         engine.MethodScores `json:"methods"`
	Adjustments     []float64           `json:"adjustments,omitempty"`
}

// freeze takes the terms and the invited establishments as they are now.
func freeze(tx *bolt.Tx, r *Referral, invited []string, now time.Time) (*Frozen, error) {
	f := &Frozen{At: now, Terms: categoryTerms(tx, r.Category), Establishments: make([]FrozenEstablishment, 0, len(invited))}
	for _, id := range invited {
		e, err := get[Establishment](tx, bucketEstablishments, []byte(id))
		if err != nil {
			return nil, fmt.Errorf("establishment %q: %w", id, err)
		}
		f.Establishments = append(f.Establishments, FrozenEstablishment{ID: e.ID, Categories: slices.Clone(e.Categories),
			Location: e.Location, CoreWeeklyPence: e.CoreWeeklyPence, Methods: e.Methods.Engine(), Adjustments: e.AdjustmentPoints()})
	}
	return f, nil
}

// establishment finds one frozen establishment.
func (f *Frozen) establishment(id string) (FrozenEstablishment, bool) {
	i, ok := slices.BinarySearchFunc(f.Establishments, id, func(e FrozenEstablishment, id string) int {
		switch {
		case e.ID < id:
			return -1
		case e.ID > id:
			return 1
		}
		return 0
	})
	if !ok {
		return FrozenEstablishment{}, false
	}
	return f.Establishments[i], true
}

// apply puts the frozen figures in place of the register's current ones.
func (fe FrozenEstablishment) apply(e *engine.Establishment) {
	e.Categories, e.Location, e.CoreWeeklyPence = fe.Categories, fe.Location, fe.CoreWeeklyPence
	e.QualificationScore = engine.QualificationScore(fe.Methods, fe.Adjustments)
}

// Decision is the evaluation an award rests on, kept with it unchanged
// (evaluation.md §2): every bid's points and reasons, the ranking, the
// shortlist, the weights, each bidder's standing on the day of the award,
// and the names as they were. Every later document about the decision is
// written from it, never recomputed.
type Decision struct {
	Day     time.Time     `json:"day"`
	Awarded string        `json:"awarded"` // the establishment placed with
	Route   AwardRoute    `json:"route"`
	Result  engine.Result `json:"result"`
	// Statuses is each bidder's status as the award judged it: qualified,
	// or the suspension that had taken effect (§1) or its register status.
	Statuses map[string]engine.Status `json:"statuses"`
	Names    map[string]string        `json:"names"`
	// Supplier is the awarded establishment's provider, as published.
	Supplier string `json:"supplier,omitempty"`
}

// decide keeps the evaluation of a competition as the award's decision.
func decide(tx *bolt.Tx, c *Competition, res engine.Result, winner string, route AwardRoute) (*Decision, error) {
	d := &Decision{Day: c.Engine.Day, Awarded: winner, Route: route, Result: res, Statuses: map[string]engine.Status{}, Names: map[string]string{}}
	for _, e := range c.Engine.Register {
		st := e.Status
		if st == engine.Qualified && len(e.StandingIn(&c.Engine.Referral, c.Engine.Day)) > 0 {
			st = engine.Suspended
		}
		d.Statuses[e.ID] = st
	}
	for id, n := range c.Names {
		d.Names[id] = n
	}
	if e, err := get[Establishment](tx, bucketEstablishments, []byte(winner)); err == nil {
		d.Names[winner] = e.Name
		if p, err := get[Provider](tx, bucketProviders, []byte(e.ProviderID)); err == nil {
			d.Supplier = p.Name
		}
	}
	return d, nil
}

// digest is the SHA-256 of a record's JSON, for the audit entry that
// ties a kept record into the chain.
func digest(v any) string {
	data, _ := json.Marshal(v)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
