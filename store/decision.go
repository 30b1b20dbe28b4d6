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
// only the standing check of §3 looks at the register as it is. The terms
// are on the referral; each invited establishment is its own record in the
// frozen bucket, under the referral and the issue (a re-issue freezes
// afresh and keeps the earlier round), so that a referral that invited
// thousands reads only its bidders'.
type Frozen struct {
	At    time.Time `json:"at"`
	Round string    `json:"round"` // the key of this records
	Terms Terms     `json:"terms"`
	Count int       `json:"establishments"`
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

// bucketFrozen holds the invited establishments as issued. It is made by
// the first issue, so older stores need no upgrade.
var bucketFrozen = []byte("frozen")

// freeze takes the terms and the invited establishments as they are now.
func freeze(tx *Tx, r *Referral, invited []string) (*Frozen, error) {
	f := &Frozen{At: tx.now, Round: tx.now.UTC().Format(time.RFC3339Nano), Terms: categoryTerms(tx.tx, r.Category), Count: len(invited)}
	if _, err := tx.tx.CreateBucketIfNotExists(bucketFrozen); err != nil {
		return nil, err
	}
	for _, id := range invited {
		e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(id))
		if err != nil {
			return nil, fmt.Errorf("establishment %q: %w", id, err)
		}
		fe := FrozenEstablishment{ID: e.ID, Categories: slices.Clone(e.Categories), Location: e.Location,
			CoreWeeklyPence: e.CoreWeeklyPence, Methods: e.Methods.Engine(), Adjustments: e.AdjustmentPoints()}
		if err := tx.put(bucketFrozen, compositeKey(r.ID, f.Round, id), fe); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// frozenEstablishment is one invited establishment as the referral's
// latest issue froze it.
func frozenEstablishment(tx *bolt.Tx, r *Referral, id string) (FrozenEstablishment, bool) {
	var fresh *decoded // decoded afresh
	return fresh.frozen(tx.Bucket(bucketFrozen), r, id)
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
	// Records are the shortlisted, recommended and awarded establishments
	// as they were, so what the family was shown and told (meeting mode,
	// their summary) stays what it was.
	Records map[string]Establishment `json:"records,omitempty"`
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
	d.Records = map[string]Establishment{}
	for _, id := range append(slices.Clone(res.ParentChoice), res.Recommended) {
		if e, ok := c.Records[id]; ok {
			d.Records[id] = e
		}
	}
	if e, err := get[Establishment](tx, bucketEstablishments, []byte(winner)); err == nil {
		d.Records[winner] = e
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
