package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"

	bolt "go.etcd.io/bbolt"
)

// ReferralStatus is where a referral is in the triage queue.
type ReferralStatus string

const (
	RefDraft         ReferralStatus = "draft"
	RefIssued        ReferralStatus = "issued"
	RefBidsClosed    ReferralStatus = "bids_closed"
	RefEvaluated     ReferralStatus = "evaluated"
	RefParentChoice  ReferralStatus = "awaiting_parent_choice"
	RefAwarded       ReferralStatus = "awarded"
	RefNoSuitableBid ReferralStatus = "no_suitable_bid"
	RefWithdrawn     ReferralStatus = "withdrawn"
)

// ReferralStatuses lists the statuses in the order of the triage queue.
func ReferralStatuses() []ReferralStatus {
	return []ReferralStatus{RefDraft, RefIssued, RefBidsClosed, RefEvaluated, RefParentChoice, RefAwarded, RefNoSuitableBid, RefWithdrawn}
}

// Title is the status in words.
func (s ReferralStatus) Title() string {
	return strings.ReplaceAll(string(s), "_", " ")
}

// Widening records one widening of a referral's radius (evaluation.md §2).
type Widening struct {
	At   time.Time `json:"at"`
	From float64   `json:"from"`
	To   float64   `json:"to"`
	By   string    `json:"by"`
}

// Referral is the request to place one child (or a cohort or siblings).
// The child is identified only by the authority's case reference.
type Referral struct {
	ID            string           `json:"id"`
	Authority     string           `json:"authority"`
	ChildRef      string           `json:"child_ref"`
	Category      string           `json:"category"`
	SubCategory   string           `json:"sub_category,omitempty"`
	HomePostcode  string           `json:"home_postcode"`
	Home          geo.Location     `json:"home"`
	RadiusMiles   float64          `json:"radius_miles"`
	QualityWeight int              `json:"quality_weight"`
	Needs         []engine.Need    `json:"needs,omitempty"`
	Features      []engine.Feature `json:"features,omitempty"`
	CohortSize    int              `json:"cohort_size,omitempty"`
	Incentive     string           `json:"incentive,omitempty"`
	Deadline      time.Time        `json:"deadline,omitzero"`
	Status        ReferralStatus   `json:"status"`
	Invited       []string         `json:"invited,omitempty"` // frozen at issue
	IssuedAt      time.Time        `json:"issued_at,omitzero"`
	Widenings     []Widening       `json:"widenings,omitempty"`
	FollowUp      string           `json:"follow_up,omitempty"` // YYYY-MM-DD: parents want more time
	Created       time.Time        `json:"created"`
	// Frozen is what it was issued under; nil for a draft (and for a
	// referral issued before terms were frozen, which is evaluated on the
	// register as it is).
	Frozen *Frozen `json:"frozen,omitempty"`
	// WithdrawnReason is why it was withdrawn.
	WithdrawnReason string `json:"withdrawn_reason,omitempty"`
	// Shortlist is the parents' shortlist as the evaluation found it
	// (evaluation.md §6): what the family is shown and chooses from. At the
	// award only the chosen bid's compliance is looked at again (§3).
	Shortlist []string `json:"shortlist,omitempty"`
	// Arrangement is the DPS arrangement it was issued under and Regime
	// that arrangement's law, recorded at its first issue; every document
	// about it follows that regime. Empty: issued when the store had no
	// arrangements.
	Arrangement string `json:"arrangement,omitempty"`
	Regime      Regime `json:"regime,omitempty"`
}

// Validate checks a referral and resolves its home postcode.
func (r *Referral) Validate(g *geo.Gazetteer, authorities []Authority) error {
	var p problems
	validID(&p, "id", r.ID)
	if !slices.ContainsFunc(authorities, func(a Authority) bool { return a.Code == r.Authority }) {
		p.add("authority", "unknown partner authority %q", r.Authority)
	}
	if strings.TrimSpace(r.ChildRef) == "" {
		p.add("child_ref", "the authority's case reference is required (never the child's name)")
	}
	checkText(&p, "child_ref", r.ChildRef, MaxShortLen)
	checkText(&p, "home_postcode", r.HomePostcode, MaxShortLen)
	if !engine.KnownCategory(r.Category) {
		p.add("category", "unknown category %q", r.Category)
	}
	if r.SubCategory != "" && (r.Category != engine.CategoryIAP || !slices.Contains(engine.IAPSubCategories(), r.SubCategory)) {
		p.add("sub_category", "%q is not a sub-category of %s", r.SubCategory, r.Category)
	}
	if loc, err := g.Resolve(r.HomePostcode); err != nil {
		p.add("home_postcode", "%q: %v", r.HomePostcode, err)
	} else {
		pc, _ := geo.Parse(r.HomePostcode)
		r.HomePostcode, r.Home = pc.String(), loc
	}
	if r.RadiusMiles <= 0 || r.RadiusMiles > 1000 {
		p.add("radius_miles", "must be more than 0 and at most 1000")
	}
	if r.QualityWeight < engine.MinQualityWeight || r.QualityWeight > engine.MaxQualityWeight {
		p.add("quality_weight", "must be from %d to %d", engine.MinQualityWeight, engine.MaxQualityWeight)
	}
	for _, n := range r.Needs {
		if n.Mark < 1 {
			p.add("needs", "need %s must carry a mark of 1 or more", n.ID)
		}
	}
	for _, f := range r.Features {
		if !f.Must && f.Mark < 1 {
			p.add("features", "desirable feature %s must carry a mark of 1 or more", f.ID)
		}
	}
	if r.CohortSize < 0 {
		p.add("cohort_size", "must be 0 or more")
	}
	if !slices.Contains(ReferralStatuses(), r.Status) {
		p.add("status", "unknown status %q", r.Status)
	}
	return p.err("referral " + r.ID)
}

// Engine is what the scoring engine needs to know of the referral, under
// its category's terms (cap and floors).
func (r *Referral) Engine(t Terms) engine.Referral {
	return engine.Referral{ID: r.ID, Category: r.Category, Home: r.Home, RadiusMiles: r.RadiusMiles,
		QualityWeight: r.QualityWeight, AffordabilityCapPence: t.AffordabilityCapPence,
		InspectionFloors: t.InspectionFloors, Needs: r.Needs, Features: r.Features, Deadline: r.Deadline}
}

// Bid is an invited establishment's response to a referral.
type Bid struct {
	Referral            string    `json:"referral"`
	Establishment       string    `json:"establishment"`
	CoreWeeklyPence     int64     `json:"core_weekly_pence"`
	VariableWeeklyPence int64     `json:"variable_weekly_pence"`
	DiscountPct         float64   `json:"discount_pct,omitempty"`
	NeedsMet            []string  `json:"needs_met,omitempty"`
	FeaturesOffered     []string  `json:"features_offered,omitempty"`
	OutcomesScore       float64   `json:"outcomes_score"`
	OutcomesNote        string    `json:"outcomes_note,omitempty"`
	Submitted           time.Time `json:"submitted"`
	// EarliestStart is the earliest the setting offered to start the
	// placement (YYYY-MM-DD), when its bid says; meeting mode offers it
	// as the start date.
	EarliestStart string `json:"earliest_start,omitempty"`
}

// Engine is the bid as the scoring engine takes it.
func (b *Bid) Engine() engine.Bid {
	return engine.Bid{Establishment: b.Establishment, CoreWeeklyPence: b.CoreWeeklyPence,
		VariableWeeklyPence: b.VariableWeeklyPence, DiscountPct: b.DiscountPct, NeedsMet: b.NeedsMet,
		FeaturesOffered: b.FeaturesOffered, OutcomesScore: b.OutcomesScore, Submitted: b.Submitted}
}

// AwardRoute is how a placement was decided (evaluation.md §6, §7).
type AwardRoute string

const (
	RouteCompetition  AwardRoute = "competition"
	RouteParentChoice AwardRoute = "parent_choice"
	RouteDirect       AwardRoute = "direct_placement"
	RouteBlock        AwardRoute = "block_booking"
)

// Award is the placement decision.
type Award struct {
	Referral      string     `json:"referral"`
	Establishment string     `json:"establishment"`
	Route         AwardRoute `json:"route"`
	WeeklyPence   int64      `json:"weekly_pence"`
	Start         string     `json:"start"` // YYYY-MM-DD
	Terms         string     `json:"terms,omitempty"`
	Reason        string     `json:"reason,omitempty"`        // the parents' reason
	Justification string     `json:"justification,omitempty"` // required for a direct placement
	DecidedBy     string     `json:"decided_by"`
	At            time.Time  `json:"at"`
	// Decision is the evaluation the award rests on, kept unchanged.
	Decision *Decision `json:"decision,omitempty"`
}

// Referrals lists every referral, sorted by id.
func (s *Store) Referrals() ([]Referral, error) {
	var out []Referral
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = all[Referral](tx, bucketReferrals, nil)
		return err
	})
	return slices.DeleteFunc(out, func(r Referral) bool { return !s.sees(r.Authority) }), err
}

// Referral returns one referral.
func (s *Store) Referral(id string) (Referral, error) {
	var r Referral
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		id = caseless(tx.Bucket(bucketReferrals), id)
		r, err = get[Referral](tx, bucketReferrals, []byte(id))
		return err
	})
	if errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("referral %q: %w", id, ErrNotFound)
	}
	if err == nil {
		err = s.mayReferral(id, r.Authority)
	}
	if err != nil {
		return Referral{}, err
	}
	return r, nil
}

// Bids returns a referral's bids, by establishment id.
func (s *Store) Bids(referral string) ([]Bid, error) {
	var out []Bid
	err := s.view(func(tx *bolt.Tx) error {
		referral = caseless(tx.Bucket(bucketReferrals), referral)
		if err := s.mayReferralIn(tx, referral); err != nil {
			return err
		}
		var err error
		out, err = all[Bid](tx, bucketBids, compositeKey(referral, ""))
		return err
	})
	return out, err
}

// AwardOf returns a referral's award, or ErrNotFound.
func (s *Store) AwardOf(referral string) (Award, error) {
	var a Award
	err := s.view(func(tx *bolt.Tx) error {
		referral = caseless(tx.Bucket(bucketReferrals), referral)
		if err := s.mayReferralIn(tx, referral); err != nil {
			return err
		}
		var err error
		a, err = get[Award](tx, bucketAwards, []byte(referral))
		return err
	})
	return a, err
}

// Authorities lists the partner authorities.
func (s *Store) Authorities() ([]Authority, error) {
	var out []Authority
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = all[Authority](tx, bucketAuthorities, nil)
		return err
	})
	return out, err
}

// Categories lists the categories.
func (s *Store) Categories() ([]Category, error) {
	var out []Category
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = all[Category](tx, bucketCategories, nil)
		return err
	})
	return out, err
}

// putReferral writes a referral with its audit entry naming what changed,
// and extra: what the step decided beyond the record (an outcome, who was
// left out), in the same entry, complete when it is appended.
func (tx *Tx) putReferral(r Referral, action string, extra ...Change) error {
	old, err := get[Referral](tx.tx, bucketReferrals, []byte(r.ID))
	creating := errors.Is(err, ErrNotFound)
	if err != nil && !creating {
		return err
	}
	// Checked again here, where every referral write passes: neither the
	// referral as it was nor as it will be may be another authority's.
	if err := tx.s.mayReferral(r.ID, r.Authority); err != nil {
		return err
	}
	if !creating {
		if err := tx.s.mayReferral(r.ID, old.Authority); err != nil {
			return err
		}
	}
	if err := tx.put(bucketReferrals, []byte(r.ID), r); err != nil {
		return err
	}
	changes := diffRecords(old, r, creating)
	if r.Frozen != nil && (creating || old.Frozen == nil || digest(old.Frozen) != digest(r.Frozen)) {
		changes = append(changes, Change{Field: "frozen", After: fmt.Sprintf("terms and %d invited establishments as issued %s, sha256 %s",
			r.Frozen.Count, r.Frozen.Round, digest(r.Frozen))})
	}
	tx.audit(action, r.ID, append(changes, extra...)...)
	return indexReferral(tx.tx, r.ID)
}

// putBid writes a bid with its audit entry. A bid that replaces one
// already recorded is audited as a change, before and after, and only
// when replace says it may.
func (tx *Tx) putBid(b Bid, replace bool) error {
	if err := tx.s.mayReferralIn(tx.tx, b.Referral); err != nil {
		return err
	}
	key := compositeKey(b.Referral, b.Establishment)
	old, err := get[Bid](tx.tx, bucketBids, key)
	creating := errors.Is(err, ErrNotFound)
	if err != nil && !creating {
		return err
	}
	if !creating && !replace {
		return &ValidationError{"bid", []FieldError{{"establishment", fmt.Sprintf("%q has a bid recorded %s already: --replace replaces it",
			b.Establishment, engine.DateText(old.Submitted.Local())+" "+old.Submitted.Local().Format("15:04"))}}}
	}
	if err := tx.put(bucketBids, key, b); err != nil {
		return err
	}
	action := "bid.record"
	if !creating {
		action = "bid.replace"
	}
	tx.audit(action, b.Referral, diffRecords(old, b, creating)...)
	return indexReferral(tx.tx, b.Referral)
}

func (tx *Tx) putAward(a Award) error {
	if err := tx.s.mayReferralIn(tx.tx, a.Referral); err != nil {
		return err
	}
	if err := tx.put(bucketAwards, []byte(a.Referral), a); err != nil {
		return err
	}
	changes := diffRecords(nil, a, true)
	if a.Decision != nil {
		changes = append(changes, Change{Field: "decision", After: "the evaluation as awarded, sha256 " + digest(a.Decision)})
	}
	tx.audit("award.make", a.Referral, changes...)
	if err := indexReferral(tx.tx, a.Referral); err != nil {
		return err
	}
	return tx.placeAward(&a) // every award, by any route, is a placement
}

// Awards lists every award, by referral id.
func (s *Store) Awards() ([]Award, error) {
	var out []Award
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = all[Award](tx, bucketAwards, nil)
		if s.who.Authority != "" {
			out = slices.DeleteFunc(out, func(a Award) bool { return s.mayReferralIn(tx, a.Referral) != nil })
		}
		return err
	})
	return out, err
}
