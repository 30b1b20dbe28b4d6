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

// Placements: the contract after the award (issue 16). Every award, by any
// route, makes its placement in the same transaction; reviews, cost
// changes, uplifts and the ending are audited changes to it. A placement is
// its authority's, exactly as its referral is: its id is the referral's, so
// the audit trail's isolation of referrals covers its entries too.
//
// Layout (made by the first write, so older stores need no upgrade):
//
//	placements       id (the referral's)    → Placement (JSON), without its costs
//	placement_costs  id                     → []CostPeriod (JSON): the weekly cost history, apart so
//	                                          that an uplift over thousands rewrites only it and the row
//	placement_index  id                     → PlacementRow (JSON): for lists, kept with each write
//	placement_rules  category               → engine.PlacementRules: an admin's override
//	concerns         estID 0x00 seq         → Concern (JSON), shared by every partner
//	uplifts          category 0x00 from     → Uplift (JSON): each fee uplift applied
//	improvements     estID 0x00 date        → Improvement (JSON): each continuous-improvement decision
var (
	bucketPlacements     = []byte("placements")
	bucketPlacementIndex = []byte("placement_index")
	bucketPlacementCosts = []byte("placement_costs")
	bucketPlacementRules = []byte("placement_rules")
	bucketConcerns       = []byte("concerns")
	bucketUplifts        = []byte("uplifts")
	bucketImprovements   = []byte("improvements")
)

func init() {
	// Sealed like every other record, and decoded by verify; kept here so
	// that the placement buckets are declared in one place.
	sealedBuckets = append(sealedBuckets, bucketPlacements, bucketPlacementIndex, bucketPlacementCosts, bucketPlacementRules, bucketConcerns, bucketUplifts, bucketImprovements)
	decoders["placements"] = decodeAs[Placement]
	decoders["placement_index"] = decodeAs[PlacementRow]
	decoders["placement_costs"] = decodeAs[[]CostPeriod]
	decoders["concerns"] = decodeAs[Concern]
	decoders["uplifts"] = decodeAs[Uplift]
	decoders["improvements"] = decodeAs[Improvement]
}

// PlacementStatus is live until the placement ends.
type PlacementStatus string

const (
	PlacementLive  PlacementStatus = "live"
	PlacementEnded PlacementStatus = "ended"
)

// Placement is one child's placement with an establishment, from its
// award: the contract the DPS manages after it.
type Placement struct {
	ID            string          `json:"id"` // the referral's id: one placement per award
	Authority     string          `json:"authority"`
	ChildRef      string          `json:"child_ref"`
	Category      string          `json:"category"`
	SubCategory   string          `json:"sub_category,omitempty"`
	Establishment string          `json:"establishment"`
	Name          string          `json:"name"` // the establishment's, at the award
	Route         AwardRoute      `json:"route"`
	Start         string          `json:"start"`           // YYYY-MM-DD
	Costs         []CostPeriod    `json:"costs,omitempty"` // the weekly cost history, never overwritten (kept in placement_costs)
	IncentiveText string          `json:"incentive_text,omitempty"`
	Incentive     *Incentive      `json:"incentive,omitempty"`
	Needs         []engine.Need   `json:"needs,omitempty"`
	Outcomes      []string        `json:"outcomes,omitempty"` // the desired outcomes reviews look at
	Reviews       []Review        `json:"reviews,omitempty"`
	Status        PlacementStatus `json:"status"`
	Ended         *Ending         `json:"ended,omitempty"`
	Created       time.Time       `json:"created"`
}

// CostPeriod is the weekly cost from a day on, until the next period's day
// (or the placement's end).
type CostPeriod struct {
	From                string    `json:"from"` // YYYY-MM-DD
	CoreWeeklyPence     int64     `json:"core_weekly_pence"`
	VariableWeeklyPence int64     `json:"variable_weekly_pence"`
	DiscountPct         float64   `json:"discount_pct,omitempty"`
	NetWeeklyPence      int64     `json:"net_weekly_pence"`
	Why                 string    `json:"why"`
	By                  string    `json:"by"`
	At                  time.Time `json:"at"`
}

func (c *CostPeriod) net() {
	c.NetWeeklyPence = engine.NetWeeklyPence(&engine.Bid{CoreWeeklyPence: c.CoreWeeklyPence, VariableWeeklyPence: c.VariableWeeklyPence, DiscountPct: c.DiscountPct})
}

// Incentive is the premium for early step-down on the award's terms: paid
// when every outcome it is tied to is met by its day.
type Incentive struct {
	PremiumPence int64    `json:"premium_pence"`
	Outcomes     []string `json:"outcomes"`
	By           string   `json:"by"`               // YYYY-MM-DD
	Earned       string   `json:"earned,omitempty"` // the review that earned it
}

// OutcomeFinding is a review's finding on one desired outcome.
type OutcomeFinding struct {
	Outcome string               `json:"outcome"`
	Result  engine.OutcomeResult `json:"result"`
	Note    string               `json:"note,omitempty"`
}

// Reduction is a requirement reduced at review: the variable weekly cost
// lowered from a day.
type Reduction struct {
	From                string `json:"from"`
	VariableWeeklyPence int64  `json:"variable_weekly_pence"`
	Why                 string `json:"why"`
}

// Review is one review of a placement.
type Review struct {
	Date            string                 `json:"date"`
	Findings        []OutcomeFinding       `json:"findings,omitempty"`
	Ratings         engine.DeliveryRatings `json:"ratings"`
	Reduction       *Reduction             `json:"reduction,omitempty"`
	IncentiveEarned bool                   `json:"incentive_earned,omitempty"`
	Note            string                 `json:"note,omitempty"`
	By              string                 `json:"by"`
	At              time.Time              `json:"at"`
}

// Ending is when and why a placement ended.
type Ending struct {
	Date   string           `json:"date"`
	Reason engine.EndReason `json:"reason"`
	Note   string           `json:"note,omitempty"`
	By     string           `json:"by"`
	At     time.Time        `json:"at"`
}

// CostOn is the weekly cost in force on day (YYYY-MM-DD): before the start
// the first period's (what is committed), after the end nothing.
func (p *Placement) CostOn(day string) CostPeriod {
	if len(p.Costs) == 0 || (p.Ended != nil && day > p.Ended.Date) {
		return CostPeriod{}
	}
	c := p.Costs[0]
	for _, x := range p.Costs[1:] {
		if x.From <= day {
			c = x
		}
	}
	return c
}

// LastReview is the day of the latest review, or "".
func (p *Placement) LastReview() string {
	if len(p.Reviews) == 0 {
		return ""
	}
	return p.Reviews[len(p.Reviews)-1].Date
}

// NextReview is the day the next review is due under rules.
func (p *Placement) NextReview(rules engine.PlacementRules) time.Time {
	return engine.NextReviewDue(day(p.Start), day(p.LastReview()), rules)
}

// Row is the placement's line in lists.
func (p *Placement) Row() PlacementRow {
	r := PlacementRow{ID: p.ID, Authority: p.Authority, ChildRef: p.ChildRef, Category: p.Category, Establishment: p.Establishment,
		Name: p.Name, Route: p.Route, Start: p.Start, Status: p.Status, LastReview: p.LastReview(), Reviews: len(p.Reviews)}
	for _, c := range p.Costs {
		r.Costs = append(r.Costs, CostStep{From: c.From, NetWeeklyPence: c.NetWeeklyPence})
	}
	if p.Ended != nil {
		r.End = p.Ended.Date
	}
	if n := len(p.Reviews); n > 0 {
		for _, f := range p.Reviews[n-1].Findings {
			r.OutcomesTotal++
			if f.Result == engine.OutcomeMet {
				r.OutcomesMet++
			}
		}
	}
	r.IncentiveEarned = p.Incentive != nil && p.Incentive.Earned != ""
	return r
}

// PlacementRow is a placement as lists and reports need it, small enough
// to read 20,000 of at once.
type PlacementRow struct {
	ID            string          `json:"id"`
	Authority     string          `json:"authority"`
	ChildRef      string          `json:"child_ref"`
	Category      string          `json:"category"`
	Establishment string          `json:"establishment"`
	Name          string          `json:"name"`
	Route         AwardRoute      `json:"route"`
	Start         string          `json:"start"`
	Status        PlacementStatus `json:"status"`
	End           string          `json:"end,omitempty"`
	Costs         []CostStep      `json:"costs"`
	LastReview    string          `json:"last_review,omitempty"`
	Reviews       int             `json:"reviews"`
	// OutcomesMet of OutcomesTotal at the latest review.
	OutcomesMet     int  `json:"outcomes_met,omitempty"`
	OutcomesTotal   int  `json:"outcomes_total,omitempty"`
	IncentiveEarned bool `json:"incentive_earned,omitempty"`
}

// CostStep is a cost period's day and net weekly cost.
type CostStep struct {
	From           string `json:"from"`
	NetWeeklyPence int64  `json:"net"`
}

// WeeklyOn is the net weekly cost on day: before the start the first
// period's, after the end nothing.
func (r *PlacementRow) WeeklyOn(day string) int64 {
	if len(r.Costs) == 0 || (r.End != "" && day > r.End) {
		return 0
	}
	c := r.Costs[0].NetWeeklyPence
	for _, x := range r.Costs[1:] {
		if x.From <= day {
			c = x.NetWeeklyPence
		}
	}
	return c
}

// NextReview is the day the next review is due under rules.
func (r *PlacementRow) NextReview(rules engine.PlacementRules) time.Time {
	return engine.NextReviewDue(day(r.Start), day(r.LastReview), rules)
}

// placeAward makes the award's placement, in the award's transaction:
// the referral's authority, case reference, needs and incentive, the
// awarded bid's cost split (a direct placement or block booking is at its
// weekly cost, all core).
func (tx *Tx) placeAward(a *Award) error {
	r, err := get[Referral](tx.tx, bucketReferrals, []byte(a.Referral))
	if err != nil {
		return fmt.Errorf("placement of %s: referral: %w", a.Referral, err)
	}
	p := Placement{ID: r.ID, Authority: r.Authority, ChildRef: r.ChildRef, Category: r.Category, SubCategory: r.SubCategory,
		Establishment: a.Establishment, Route: a.Route, Start: a.Start, IncentiveText: r.Incentive,
		Needs: slices.Clone(r.Needs), Status: PlacementLive, Created: tx.now}
	if e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(a.Establishment)); err == nil {
		p.Name = e.Name
	}
	cost := CostPeriod{From: a.Start, CoreWeeklyPence: a.WeeklyPence, Why: "award (" + string(a.Route) + ")", By: tx.s.actor, At: tx.now}
	if a.Route == RouteCompetition || a.Route == RouteParentChoice {
		if b, err := get[Bid](tx.tx, bucketBids, compositeKey(a.Referral, a.Establishment)); err == nil {
			cost.CoreWeeklyPence, cost.VariableWeeklyPence, cost.DiscountPct = b.CoreWeeklyPence, b.VariableWeeklyPence, b.DiscountPct
		}
	}
	cost.net()
	p.Costs = []CostPeriod{cost}
	return tx.putPlacement(p, nil, "placement.create")
}

// putPlacement writes a placement and its listing row with one audit
// entry; old is the placement as it was (nil: new). Neither may be
// another authority's.
func (tx *Tx) putPlacement(p Placement, old *Placement, action string, extra ...Change) error {
	if err := tx.s.mayPlacement(p.ID, p.Authority); err != nil {
		return err
	}
	var changes []Change
	if old == nil {
		changes = []Change{{Field: "establishment", After: p.Establishment}, {Field: "start", After: p.Start},
			{Field: "route", After: string(p.Route)}, {Field: "net_weekly_pence", After: fmt.Sprint(p.Costs[0].NetWeeklyPence)}}
	} else {
		if err := tx.s.mayPlacement(old.ID, old.Authority); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bucketPlacements, bucketPlacementIndex, bucketPlacementCosts} {
		if _, err := tx.tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	stored := p
	stored.Costs = nil
	if err := tx.put(bucketPlacements, []byte(p.ID), stored); err != nil {
		return err
	}
	if old == nil || len(old.Costs) != len(p.Costs) {
		if err := tx.put(bucketPlacementCosts, []byte(p.ID), p.Costs); err != nil {
			return err
		}
	}
	if err := tx.put(bucketPlacementIndex, []byte(p.ID), p.Row()); err != nil {
		return err
	}
	tx.audit(action, p.ID, append(changes, extra...)...)
	return nil
}

// placement loads a placement in a change, refusing another authority's.
func (tx *Tx) placement(id string) (Placement, error) {
	if tx.tx.Bucket(bucketPlacements) == nil {
		return Placement{}, fmt.Errorf("placement %q: %w", id, ErrNotFound)
	}
	p, err := readPlacement(tx.tx, id)
	if err != nil {
		return p, err
	}
	return p, tx.s.mayPlacement(id, p.Authority)
}

// mayPlacement refuses another authority's placement, as mayReferral
// does its referral.
func (s *Store) mayPlacement(id, authority string) error {
	if s.sees(authority) {
		return nil
	}
	return fmt.Errorf("placement %s belongs to %s; %s works for %s (%w)", id, authority, s.who.User, s.who.Authority, ErrForbidden)
}

// Placement returns one placement.
func (s *Store) Placement(id string) (Placement, error) {
	var p Placement
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		p, err = readPlacement(tx, id)
		return err
	})
	if err == nil {
		err = s.mayPlacement(id, p.Authority)
	}
	if err != nil {
		return Placement{}, err
	}
	return p, nil
}

// Placements lists every placement this handle may see, whole, by id.
func (s *Store) Placements() ([]Placement, error) {
	var out []Placement
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketPlacements) == nil {
			return nil
		}
		var err error
		if out, err = all[Placement](tx, bucketPlacements, nil); err != nil {
			return err
		}
		for i := range out {
			if out[i].Costs, err = get[[]CostPeriod](tx, bucketPlacementCosts, []byte(out[i].ID)); err != nil {
				return fmt.Errorf("placement %s: its costs: %w", out[i].ID, err)
			}
		}
		return nil
	})
	return slices.DeleteFunc(out, func(p Placement) bool { return !s.sees(p.Authority) }), err
}

// readPlacement reads a placement with its cost history.
func readPlacement(tx *bolt.Tx, id string) (Placement, error) {
	if tx.Bucket(bucketPlacements) == nil {
		return Placement{}, fmt.Errorf("placement %q: %w", id, ErrNotFound)
	}
	p, err := get[Placement](tx, bucketPlacements, []byte(id))
	if errors.Is(err, ErrNotFound) {
		return p, fmt.Errorf("placement %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return p, err
	}
	if p.Costs, err = get[[]CostPeriod](tx, bucketPlacementCosts, []byte(id)); err != nil {
		return p, fmt.Errorf("placement %s: its costs: %w", id, err)
	}
	return p, nil
}

// PlacementRows lists every placement this handle may see, as listing
// rows, by id.
func (s *Store) PlacementRows() ([]PlacementRow, error) {
	var out []PlacementRow
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPlacementIndex)
		if b == nil {
			return nil
		}
		// Read straight through its own reader: json.Unmarshal would scan
		// each row twice (checking it, then reading it).
		out = make([]PlacementRow, 0, b.Stats().KeyN)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var r PlacementRow
			if err := r.UnmarshalJSON(v); err != nil {
				return undecodable(bucketPlacementIndex, k, err)
			}
			if s.sees(r.Authority) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// PlacementRules are each category's review schedule: the named values
// of engine/ unless an admin changed them.
func (s *Store) PlacementRules() (map[string]engine.PlacementRules, error) {
	out := map[string]engine.PlacementRules{}
	err := s.view(func(tx *bolt.Tx) error {
		out = placementRules(tx)
		return nil
	})
	return out, err
}

// placementRules reads every category's rules (defaults where not set).
func placementRules(tx *bolt.Tx) map[string]engine.PlacementRules {
	out := map[string]engine.PlacementRules{}
	tx.Bucket(bucketCategories).ForEach(func(k, _ []byte) error {
		out[string(k)] = engine.DefaultPlacementRules()
		return nil
	})
	if b := tx.Bucket(bucketPlacementRules); b != nil {
		b.ForEach(func(k, _ []byte) error {
			if r, err := get[engine.PlacementRules](tx, bucketPlacementRules, k); err == nil {
				out[string(k)] = r
			}
			return nil
		})
	}
	return out
}

// RulesFor is a category's rules from a map PlacementRules returned, the
// defaults for a category it does not hold.
func RulesFor(rules map[string]engine.PlacementRules, category string) engine.PlacementRules {
	if r, ok := rules[category]; ok {
		return r
	}
	return engine.DefaultPlacementRules()
}

// SetPlacementRules changes a category's review schedule and
// continuous-improvement period (an admin's change, audited).
func (s *Store) SetPlacementRules(category string, r engine.PlacementRules) error {
	if err := s.mayConfigure("a category's review schedule"); err != nil {
		return err
	}
	if ps := r.Problems(); len(ps) > 0 {
		v := &ValidationError{Record: "review schedule of " + category}
		for _, f := range []string{"first_review_weeks", "review_every_months", "improvement_every_months"} {
			if m, ok := ps[f]; ok {
				v.Problems = append(v.Problems, FieldError{f, m})
			}
		}
		return v
	}
	return s.update(func(tx *Tx) error {
		if tx.tx.Bucket(bucketCategories).Get([]byte(category)) == nil {
			return fmt.Errorf("category %q: %w", category, ErrNotFound)
		}
		old := RulesFor(placementRules(tx.tx), category)
		ch := diffRecords(old, r, false)
		if len(ch) == 0 {
			return nil
		}
		if _, err := tx.tx.CreateBucketIfNotExists(bucketPlacementRules); err != nil {
			return err
		}
		tx.audit("category.placement_rules", category, ch...)
		return tx.put(bucketPlacementRules, []byte(category), r)
	})
}

// cleanList trims a list's items and drops empty ones.
func cleanList(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
