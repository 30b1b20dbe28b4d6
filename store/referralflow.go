package store

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/scenario"

	bolt "go.etcd.io/bbolt"
)

// ErrState is a referral asked to do what its state does not allow.
var ErrState = errors.New("not allowed in this state")

// referralIn loads a referral inside a transaction.
func (tx *Tx) referral(id string) (Referral, error) {
	r, err := get[Referral](tx.tx, bucketReferrals, []byte(id))
	if errors.Is(err, ErrNotFound) {
		return r, fmt.Errorf("referral %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	return r, tx.s.mayReferral(id, r.Authority)
}

// nextReferralID is REF-<year>-<number>, numbered by the store.
func (tx *Tx) nextReferralID() (string, error) {
	seq, err := tx.tx.Bucket(bucketReferrals).NextSequence()
	return fmt.Sprintf("REF-%d-%04d", tx.now.Year(), seq), err
}

// CreateReferral saves a new draft and returns it with its id
// (REF-<year>-<number>).
func (s *Store) CreateReferral(r Referral) (Referral, error) {
	r.Authority, r.Category = s.CanonicalAuthority(r.Authority), s.CanonicalCategory(r.Category)
	auths, err := s.Authorities()
	if err != nil {
		return r, err
	}
	if !s.sees(r.Authority) {
		return r, fmt.Errorf("%s works for %s and cannot make a referral for %s (%w)", s.who.User, s.who.Authority, r.Authority, ErrForbidden)
	}
	err = s.update(func(tx *Tx) error {
		if r.ID, err = tx.nextReferralID(); err != nil {
			return err
		}
		r.Status, r.Created, r.Invited, r.IssuedAt = RefDraft, tx.now, nil, time.Time{}
		if err := r.ValidateAs(defaultGeo(), auths, ""); err != nil {
			return err
		}
		return tx.putReferral(r, "referral.create")
	})
	return r, err
}

// SaveDraft updates a draft referral. An issued referral cannot be edited:
// its invited list is frozen.
func (s *Store) SaveDraft(r Referral) error {
	r.ID = s.CanonicalReferral(r.ID)
	r.Authority, r.Category = s.CanonicalAuthority(r.Authority), s.CanonicalCategory(r.Category)
	auths, err := s.Authorities()
	if err != nil {
		return err
	}
	return s.update(func(tx *Tx) error {
		old, err := tx.referral(r.ID)
		if err != nil {
			return err
		}
		if err := mayStep(&old, StepEdit); err != nil {
			return err
		}
		// Widenings made in the form since it opened are recorded with it;
		// the ones already recorded stay as they were.
		widenings := old.Widenings
		if len(r.Widenings) > len(old.Widenings) && slices.EqualFunc(r.Widenings[:len(old.Widenings)], old.Widenings, func(a, b Widening) bool { return a.At.Equal(b.At) && a.From == b.From && a.To == b.To && a.By == b.By }) {
			widenings = r.Widenings
		}
		r.Status, r.Created, r.Invited, r.IssuedAt, r.Widenings, r.Frozen = RefDraft, old.Created, nil, time.Time{}, widenings, nil
		if err := r.ValidateAs(defaultGeo(), auths, old.ChildRef); err != nil {
			return err
		}
		return tx.putReferral(r, "referral.edit")
	})
}

// categoryTerms are a category's terms (cap and floors); an unknown
// category has none.
func categoryTerms(tx *bolt.Tx, id string) Terms {
	c, err := get[Category](tx, bucketCategories, []byte(id))
	if err != nil {
		return Terms{}
	}
	return c.Terms()
}

// registerForEngine is every establishment as the engine sees it.
func registerForEngine(tx *bolt.Tx) ([]engine.Establishment, error) {
	es, err := all[Establishment](tx, bucketEstablishments, nil)
	out := make([]engine.Establishment, len(es))
	for i := range es {
		out[i] = es[i].Engine()
	}
	return out, err
}

// EngineRegister is every establishment as the engine sees it, for the
// referral builder's live count.
func (s *Store) EngineRegister() ([]engine.Establishment, error) {
	var out []engine.Establishment
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = registerForEngine(tx)
		return err
	})
	return out, err
}

// CategoryTerms are a category's terms as a referral would take them now.
func (s *Store) CategoryTerms(category string) Terms {
	var t Terms
	s.db.View(func(tx *bolt.Tx) error { t = categoryTerms(tx, category); return nil })
	return t
}

// Invitations says who a referral would invite if it were issued on day,
// and who it would leave out because they fail a criterion then
// (evaluation.md §1, §2): the builder's live count and the issue question.
func (s *Store) Invitations(r Referral, day time.Time) (invited []string, left []engine.LeftOut, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		reg, err := registerForEngine(tx)
		if err != nil {
			return err
		}
		er := r.Engine(categoryTerms(tx, r.Category))
		invited, left = engine.Invitations(&er, reg, day)
		return nil
	})
	return invited, left, err
}

// Widen widens a draft's radius, or a referral with no suitable bid, by
// miles, recording the widening (evaluation.md §2).
func (s *Store) Widen(id string, miles float64) error {
	id = s.CanonicalReferral(id)
	if miles <= 0 {
		return errors.New("widen by a positive number of miles")
	}
	return s.update(func(tx *Tx) error {
		r, err := tx.referral(id)
		if err != nil {
			return err
		}
		if err := mayStep(&r, StepWiden); err != nil {
			return err
		}
		r.Widenings = append(slices.Clip(r.Widenings), Widening{At: tx.now, From: r.RadiusMiles, To: r.RadiusMiles + miles, By: tx.s.actor})
		r.RadiusMiles += miles
		return tx.putReferral(r, "referral.widen")
	})
}

// Issue freezes the invited list — every establishment eligible now
// (evaluation.md §2) — and opens the referral for bids. A referral with no
// one to invite is not issued.
func (s *Store) Issue(id string) ([]string, error) {
	id = s.CanonicalReferral(id)
	var invited []string
	err := s.update(func(tx *Tx) error {
		r, err := tx.referral(id)
		if err != nil {
			return err
		}
		if err := mayStep(&r, StepIssue); err != nil {
			return err
		}
		invited, err = tx.issue(&r, "referral.issue")
		return err
	})
	return invited, err
}

func (tx *Tx) issue(r *Referral, action string) ([]string, error) {
	// Every bid would arrive after a deadline already past, and so be
	// non-compliant (evaluation.md §3): nobody could bid.
	if !r.Deadline.IsZero() && !r.Deadline.After(tx.now) {
		return nil, &ValidationError{r.ID, []FieldError{{"deadline", fmt.Sprintf("the bid deadline, %s, has passed: every bid would be late; give a later one before issuing",
			r.Deadline.Local().Format("2 Jan 2006 15:04"))}}}
	}
	reg, err := registerForEngine(tx.tx)
	if err != nil {
		return nil, err
	}
	er := r.Engine(categoryTerms(tx.tx, r.Category))
	invited, left := engine.Invitations(&er, reg, tx.now)
	if len(invited) == 0 {
		msg := fmt.Sprintf("no establishment is eligible within %g miles", r.RadiusMiles)
		if len(left) > 0 {
			msg += " (" + LeftOutText(left) + ")"
		}
		return nil, errors.New(msg + ": widen the radius before issuing")
	}
	if r.Arrangement == "" {
		a, err := arrangementFor(tx.tx, r.Category, tx.now)
		if err != nil {
			return nil, err
		}
		if a != nil {
			r.Arrangement, r.Regime = a.ID, a.Regime
		}
	}
	frozen, err := freeze(tx, r, invited)
	if err != nil {
		return nil, err
	}
	r.Status, r.Invited, r.IssuedAt, r.Frozen, r.Shortlist = RefIssued, invited, tx.now, frozen, nil
	var extra []Change
	if len(left) > 0 {
		extra = append(extra, Change{Field: "left_out", After: LeftOutText(left)})
	}
	return invited, tx.putReferral(*r, action, extra...)
}

// LeftOutText says how many were left out and why, grouped by criterion:
// "2 left out: insurance expired, inspection below the floor".
func LeftOutText(left []engine.LeftOut) string {
	if len(left) == 0 {
		return ""
	}
	var whys []string
	for _, l := range left {
		for _, f := range l.Failures {
			if !slices.Contains(whys, f.Short()) {
				whys = append(whys, f.Short())
			}
		}
	}
	return fmt.Sprintf("%d left out: %s", len(left), strings.Join(whys, ", "))
}

// RecordBid records (or corrects) an invited establishment's bid while the
// referral is open for bids.
func (s *Store) RecordBid(b Bid) error {
	b.Referral = s.CanonicalReferral(b.Referral)
	return s.update(func(tx *Tx) error {
		r, err := tx.referral(b.Referral)
		if err != nil {
			return err
		}
		if err := tx.checkBid(&r, &b); err != nil {
			return err
		}
		return tx.putBid(b, true)
	})
}

func (tx *Tx) checkBid(r *Referral, b *Bid) error {
	b.Establishment = canonicalIn(r.Invited, b.Establishment)
	if err := mayStep(r, StepBid); err != nil {
		return err
	}
	if !slices.Contains(r.Invited, b.Establishment) {
		return &ValidationError{"bid", []FieldError{{"establishment", fmt.Sprintf("%q was not invited to %s", b.Establishment, r.ID)}}}
	}
	if err := tx.mayBid(r, b.Establishment); err != nil {
		return err
	}
	var p problems
	if b.CoreWeeklyPence < 0 {
		p.add("core_weekly_pence", "must be 0 or more")
	}
	if b.VariableWeeklyPence < 0 {
		p.add("variable_weekly_pence", "must be 0 or more")
	}
	if b.DiscountPct < 0 || b.DiscountPct > 100 {
		p.add("discount_pct", "must be from 0 to 100")
	}
	if b.OutcomesScore < 0 || b.OutcomesScore > 100 {
		p.add("outcomes_score", "must be from 0 to 100")
	}
	for _, n := range b.NeedsMet {
		if !slices.ContainsFunc(r.Needs, func(x engine.Need) bool { return x.ID == n }) {
			p.add("needs_met", "%q is not one of the referral's needs", n)
		}
	}
	for _, f := range b.FeaturesOffered {
		if !slices.ContainsFunc(r.Features, func(x engine.Feature) bool { return x.ID == f }) {
			p.add("features_offered", "%q is not one of the referral's features", f)
		}
	}
	normDate(&p, "earliest_start", &b.EarliestStart)
	if b.Submitted.IsZero() {
		b.Submitted = tx.now
	}
	switch {
	case b.Submitted.Before(r.IssuedAt.Truncate(time.Second)): // RFC 3339 times in a file carry whole seconds
		p.add("submitted", "%s is before the referral was issued (%s)", whenText(b.Submitted), whenText(r.IssuedAt))
	case b.Submitted.After(tx.now.Add(time.Minute)):
		p.add("submitted", "%s is in the future", whenText(b.Submitted))
	}
	return p.err("bid from " + b.Establishment)
}

// mayBid refuses a bid from an establishment that is suspended, withdrawn
// or excluded, or fails a criterion in the referral's category today: its
// bid could only be non-compliant (evaluation.md §1, §3).
func (tx *Tx) mayBid(r *Referral, id string) error {
	e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(id))
	if err != nil {
		return fmt.Errorf("establishment %q: %w", id, err)
	}
	if e.Status != engine.Qualified {
		return &ValidationError{"bid", []FieldError{{"establishment", fmt.Sprintf("%s is %s: a bid from it cannot be compliant", e.Name, e.Status)}}}
	}
	st, err := tx.standing(&e)
	if err != nil {
		return err
	}
	if f := st.In(r.Category); len(f) > 0 {
		return &StandingError{Name: e.Name, Failures: f}
	}
	return nil
}

// CloseBids closes a referral to bids, ready for evaluation.
func (s *Store) CloseBids(id string) error {
	id = s.CanonicalReferral(id)
	return s.update(func(tx *Tx) error {
		r, err := tx.referral(id)
		if err != nil {
			return err
		}
		if err := mayStep(&r, StepClose); err != nil {
			return err
		}
		r.Status = RefBidsClosed
		return tx.putReferral(r, "referral.close")
	})
}

// Withdraw withdraws a referral that has not been awarded, with the reason.
func (s *Store) Withdraw(id, reason string) error {
	id = s.CanonicalReferral(id)
	if strings.TrimSpace(reason) == "" {
		return errors.New("say why the referral is withdrawn")
	}
	return s.update(func(tx *Tx) error {
		r, err := tx.referral(id)
		if err != nil {
			return err
		}
		if err := mayStep(&r, StepWithdraw); err != nil {
			return err
		}
		r.Status, r.WithdrawnReason = RefWithdrawn, strings.TrimSpace(reason)
		return tx.putReferral(r, "referral.withdraw")
	})
}

// Competition is a referral's mini-competition as the engine takes it,
// with the names of the establishments in it.
type Competition struct {
	Referral Referral
	Engine   engine.Competition
	Names    map[string]string
	Bids     []Bid
	Records  map[string]Establishment // the bidders (and, for an export, the invited)
	// Decision is the kept evaluation of an awarded referral; nil before.
	Decision *Decision
	// Frozen are the establishments in it as the issue froze them.
	Frozen map[string]FrozenEstablishment
}

// Competition assembles a referral's competition from the store: the
// frozen invited list, the bidding establishments as they are now, the
// bids. qualityWeight, when not 0, previews another weight without
// changing the referral ("what if"). Only the bidders' records are read:
// scoring needs no more, and a referral may have invited thousands.
func (s *Store) Competition(id string, qualityWeight int) (*Competition, error) {
	id = s.CanonicalReferral(id)
	return s.competition(id, qualityWeight, false)
}

// QualifiedCores are the core weekly costs a referral's bids are judged
// against, by invited establishment: as its terms froze them at issue
// (evaluation.md §2), the register's for a referral that froze none. A
// later change to the register (a fee uplift, say) moves neither.
func (s *Store) QualifiedCores(id string) (map[string]int64, error) {
	c, err := s.competition(s.CanonicalReferral(id), 0, true)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for eid, e := range c.Records {
		out[eid] = e.CoreWeeklyPence
		if fe, ok := c.Frozen[eid]; ok {
			out[eid] = fe.CoreWeeklyPence
		}
	}
	return out, nil
}

func (s *Store) competition(id string, qualityWeight int, withInvited bool) (*Competition, error) {
	var c *Competition
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		if err := s.mayReferralIn(tx, id); err != nil {
			return err
		}
		c, err = competitionIn(tx, id, qualityWeight, withInvited, s.now().UTC(), nil)
		return err
	})
	return c, err
}

// competitionIn assembles a competition inside a transaction, so that a
// change can decide on exactly what it then writes.
// Each bidder's standing is taken on day (evaluation.md §3).
//
// m, when not nil, answers records whose stored bytes it has decoded
// before (rankcache.go); what it answers is shared, so only the ranking,
// whose Competition is only to be read, passes one.
func competitionIn(tx *bolt.Tx, id string, qualityWeight int, withInvited bool, day time.Time, m *decoded) (*Competition, error) {
	var c Competition
	r, err := m.referral(tx, id)
	if err != nil {
		return nil, fmt.Errorf("referral %q: %w", id, err)
	}
	bids, engineBids, err := m.bids(tx, compositeKey(id, ""))
	if err != nil {
		return nil, err
	}
	c.Referral, c.Bids = r, bids
	c.Names, c.Records, c.Frozen = map[string]string{}, map[string]Establishment{}, map[string]FrozenEstablishment{}
	terms := categoryTerms(tx, r.Category)
	if r.Frozen != nil {
		terms = r.Frozen.Terms // as issued (§2)
	}
	er := r.Engine(terms)
	if qualityWeight != 0 {
		er.QualityWeight = qualityWeight
	}
	c.Engine = engine.Competition{Referral: er, Invited: slices.Clone(r.Invited), Day: day}
	if c.Engine.Invited == nil {
		c.Engine.Invited = []string{}
	}
	var ids []string
	if withInvited {
		ids = slices.Clone(r.Invited)
	}
	for _, b := range bids {
		ids = append(ids, b.Establishment)
	}
	c.Engine.Bids = engineBids
	slices.Sort(ids)
	establishments, frozen := tx.Bucket(bucketEstablishments), tx.Bucket(bucketFrozen)
	for _, eid := range slices.Compact(ids) {
		e, ee, err := m.establishment(establishments, eid)
		if err != nil {
			continue // removed from the register: its bid can only be not invited
		}
		c.Records[eid], c.Names[eid] = e, e.Name
		if fe, ok := m.frozen(frozen, &r, eid); ok {
			fe.apply(&ee)
			c.Frozen[eid] = fe
		}
		c.Engine.Register = append(c.Engine.Register, ee)
	}
	// An awarded referral is the decision as kept: each bidder's standing
	// as the award judged it, the names as they were, on its day.
	if a, err := m.award(tx, id); err == nil && a.Decision != nil {
		c.Decision = a.Decision
		c.Engine.Day = a.Decision.Day
		for i := range c.Engine.Register {
			e := &c.Engine.Register[i]
			if st, ok := a.Decision.Statuses[e.ID]; ok {
				e.Status = st
			}
			e.Qualification = nil
		}
		for id, n := range a.Decision.Names {
			if _, ok := c.Names[id]; ok {
				c.Names[id] = n
			}
		}
		for id, e := range a.Decision.Records {
			if _, ok := c.Records[id]; ok {
				c.Records[id] = e
			}
		}
	}
	return &c, nil
}

// Rank evaluates a referral's bids as they stand, changing nothing. The
// evaluation is worked out once per change of the store (and day): until
// the next change, Rank answers from memory (rankcache.go), so the
// Result and the Competition it returns are shared and only to be read.
func (s *Store) Rank(id string, qualityWeight int) (engine.Result, *Competition, error) {
	id = s.CanonicalReferral(id)
	var out ranking
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := s.mayReferralIn(tx, id); err != nil {
			return err
		}
		day := s.now().UTC()
		var err error
		out, err = s.hub.ranks.rank(tx, id, qualityWeight, day)
		return err
	})
	if err != nil {
		return engine.Result{}, nil, err
	}
	return out.res, out.c, nil
}

// Evaluate scores a referral whose bids are closed and moves it on: to
// evaluated (a recommended bid), awaiting parent choice, or no suitable bid.
func (s *Store) Evaluate(id string) (engine.Result, error) {
	id = s.CanonicalReferral(id)
	var res engine.Result
	err := s.update(func(tx *Tx) error {
		r, err := tx.referral(id)
		if err != nil {
			return err
		}
		if err := mayStep(&r, StepEvaluate); err != nil {
			return err
		}
		c, err := competitionIn(tx.tx, id, 0, false, tx.now, nil)
		if err != nil {
			return err
		}
		res = engine.Evaluate(&c.Engine)
		r.Status = map[engine.Outcome]ReferralStatus{engine.OutcomeRecommended: RefEvaluated,
			engine.OutcomeParentChoice: RefParentChoice, engine.OutcomeNoSuitableBid: RefNoSuitableBid}[res.Outcome]
		r.Shortlist = slices.Clone(res.ParentChoice)
		extra := []Change{{Field: "outcome", After: string(res.Outcome)}}
		if res.Recommended != "" {
			extra = append(extra, Change{Field: "recommended", After: res.Recommended})
		}
		if len(res.ParentChoice) > 0 {
			extra = append(extra, Change{Field: "parent_choice", After: strings.Join(res.ParentChoice, ", ")})
		}
		return tx.putReferral(r, "referral.evaluate", extra...)
	})
	return res, err
}

// AwardRequest is the decision an officer makes.
type AwardRequest struct {
	Referral      string
	Establishment string
	Route         AwardRoute
	Start         string // YYYY-MM-DD
	Reason        string // the parents' reason, for a parent choice
	Justification string // required for a direct placement
	WeeklyPence   int64  // for a direct placement or a block booking
	Terms         string // e.g. the block booking's reference
}

// Award records the placement decision (evaluation.md §6, §7): the
// recommended bid; the parents' choice among the shortlist, with their
// reason; a direct placement, only with a written justification; or a
// placement into a block booking. A non-compliant bid is never awarded.
func (s *Store) Award(req AwardRequest) error {
	req.Referral, req.Establishment = s.CanonicalReferral(req.Referral), s.CanonicalEstablishment(req.Establishment)
	start, err := NormDate(req.Start)
	if err != nil {
		return &ValidationError{"award", []FieldError{{"start", err.Error()}}}
	}
	req.Start = start
	return s.update(func(tx *Tx) error {
		r, err := tx.referral(req.Referral)
		if err != nil {
			return err
		}
		step := map[AwardRoute]Step{RouteCompetition: StepAward, RouteParentChoice: StepParentChoice, RouteDirect: StepDirect, RouteBlock: StepBlock}[req.Route]
		if step == "" {
			return fmt.Errorf("unknown award route %q", req.Route)
		}
		if err := mayStep(&r, step); err != nil {
			return err
		}
		// Decide on the bids as they are in this transaction.
		c, err := competitionIn(tx.tx, r.ID, 0, false, tx.now, nil)
		if err != nil {
			return err
		}
		res := engine.Evaluate(&c.Engine)
		a := Award{Referral: r.ID, Establishment: req.Establishment, Route: req.Route, Start: req.Start,
			Reason: strings.TrimSpace(req.Reason), Justification: strings.TrimSpace(req.Justification),
			DecidedBy: tx.s.actor, At: tx.now, Terms: strings.TrimSpace(strings.Join(nonEmpty(r.Incentive, req.Terms), "; "))}
		// A bidder failing a criterion today is never awarded (§1, §3).
		for _, nc := range res.NonCompliant {
			if nc.Establishment == req.Establishment && len(nc.Failures) > 0 {
				return &StandingError{Name: c.Names[nc.Establishment], Failures: nc.Failures}
			}
		}
		ranked := func() (engine.RankedBid, bool) {
			i := slices.IndexFunc(res.Ranked, func(b engine.RankedBid) bool { return b.Establishment == req.Establishment })
			if i < 0 {
				return engine.RankedBid{}, false
			}
			return res.Ranked[i], true
		}
		switch req.Route {
		case RouteCompetition:
			if req.Establishment != res.Recommended {
				return fmt.Errorf("%s is not the recommended bid (%s)", req.Establishment, res.Recommended)
			}
			rb, _ := ranked()
			a.WeeklyPence = rb.NetWeeklyPence
		case RouteParentChoice:
			// The shortlist the evaluation found and the family was shown;
			// only the chosen bid's compliance is looked at again (§3, §6).
			shortlist := r.Shortlist
			if len(shortlist) == 0 {
				shortlist = res.ParentChoice // evaluated before shortlists were kept
			}
			if !slices.Contains(shortlist, req.Establishment) {
				return fmt.Errorf("%s is not on the parents' shortlist (%s)", req.Establishment, strings.Join(shortlist, ", "))
			}
			if _, ok := ranked(); !ok {
				return fmt.Errorf("%s is no longer compliant, so it cannot be placed with: the family chooses among the others", c.Names[req.Establishment])
			}
			if a.Reason == "" {
				return &ValidationError{"award", []FieldError{{"reason", "record the parents' reason for their choice"}}}
			}
			rb, _ := ranked()
			a.WeeklyPence = rb.NetWeeklyPence
		case RouteDirect, RouteBlock:
			if req.Route == RouteDirect && a.Justification == "" {
				return &ValidationError{"award", []FieldError{{"justification", "a direct placement needs a written justification"}}}
			}
			if req.Route == RouteBlock && a.Terms == "" {
				return &ValidationError{"award", []FieldError{{"terms", "name the block booking"}}}
			}
			e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(req.Establishment))
			if err != nil {
				return fmt.Errorf("establishment %q: %w", req.Establishment, err)
			}
			if e.Status != engine.Qualified {
				return fmt.Errorf("%s is %s: only a qualified establishment can be placed with", e.Name, e.Status)
			}
			st, err := tx.standing(&e)
			if err != nil {
				return err
			}
			if f := st.In(r.Category); len(f) > 0 {
				return &StandingError{Name: e.Name, Failures: f}
			}
			if req.WeeklyPence <= 0 {
				return &ValidationError{"award", []FieldError{{"weekly_pence", "the weekly cost must be more than £0"}}}
			}
			a.WeeklyPence = req.WeeklyPence
		default:
			return fmt.Errorf("unknown award route %q", req.Route)
		}
		if a.Decision, err = decide(tx.tx, c, res, req.Establishment, req.Route); err != nil {
			return err
		}
		r.Status = RefAwarded
		if err := tx.putReferral(r, "referral.award"); err != nil {
			return err
		}
		return tx.putAward(a)
	})
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			out = append(out, strings.TrimSpace(x))
		}
	}
	return out
}

// Reissue widens a referral that found no suitable bid by the widening
// step and issues it again, with a new bid deadline, to everyone eligible
// now (evaluation.md §6), freezing its terms afresh, in one transaction:
// if no one is eligible even then, nothing changes.
func (s *Store) Reissue(id string, deadline time.Time) ([]string, error) {
	id = s.CanonicalReferral(id)
	var invited []string
	err := s.update(func(tx *Tx) error {
		r, err := tx.referral(id)
		if err != nil {
			return err
		}
		if err := mayStep(&r, StepReissue); err != nil {
			return err
		}
		if !deadline.After(tx.now) {
			return errors.New("the new bid deadline must be after now")
		}
		r.Widenings = append(slices.Clip(r.Widenings), Widening{At: tx.now, From: r.RadiusMiles, To: r.RadiusMiles + engine.WideningStepMiles, By: tx.s.actor})
		r.RadiusMiles += engine.WideningStepMiles
		r.Deadline = deadline
		invited, err = tx.issue(&r, "referral.reissue")
		return err
	})
	return invited, err
}

// ExportScenario writes a referral as a scenario file (shared/spec/
// scenario.md), so that anyone can re-check its evaluation with `dpsdesk
// evaluate` and get the desk's figures: the terms it was issued under and
// its invited and bidding establishments as they stood at issue, each with
// its standing today (one that fails a criterion is written as the
// suspension that has taken effect, §1) — or, once awarded, with its
// standing as the award judged it, so the export gives the award's ranking
// forever. It holds no child reference.
func (s *Store) ExportScenario(id string, w io.Writer) error {
	id = s.CanonicalReferral(id)
	c, err := s.competition(id, 0, true)
	if err != nil {
		return err
	}
	ests := make([]scenario.EstablishmentOut, 0, len(c.Engine.Register))
	for _, ee := range c.Engine.Register {
		rec := c.Records[ee.ID]
		methods, adj := rec.Methods.Engine(), rec.AdjustmentPoints()
		if fe, ok := c.Frozen[ee.ID]; ok {
			methods, adj = fe.Methods, fe.Adjustments
		}
		if ee.Status == engine.Qualified && len(ee.StandingIn(&c.Engine.Referral, c.Engine.Day)) > 0 {
			ee.Status = engine.Suspended
		}
		ests = append(ests, scenario.NewEstablishmentOut(ee, c.Names[ee.ID], methods, adj))
	}
	slices.SortFunc(ests, func(a, b scenario.EstablishmentOut) int { return strings.Compare(a.ID, b.ID) })
	return scenario.Write(w, &c.Engine, c.Referral.HomePostcode, ests)
}

// DeferChoice records that the parents want more time, or a taster day
// first: the referral stays awaiting their choice, back in the triage
// queue with the follow-up date.
func (s *Store) DeferChoice(id, followUp, what string) error {
	id = s.CanonicalReferral(id)
	followUp, err := NormDate(followUp)
	if err != nil {
		return &ValidationError{"referral " + id, []FieldError{{"follow_up", err.Error()}}}
	}
	if strings.TrimSpace(what) == "" {
		return errors.New("say what the family wants first (more time, a taster day)")
	}
	return s.update(func(tx *Tx) error {
		r, err := tx.referral(id)
		if err != nil {
			return err
		}
		if err := mayStep(&r, StepDefer); err != nil {
			return err
		}
		if followUp < tx.now.Format(time.DateOnly) {
			return &ValidationError{"referral " + id, []FieldError{{"follow_up", "the follow-up date is in the past"}}}
		}
		r.FollowUp = followUp
		return tx.putReferral(r, "referral.defer", Change{Field: "wanted_first", After: what})
	})
}

// whenText is a moment as people read it, to the second when it has
// seconds: "30 Nov 2026 08:48" or "30 Nov 2026 08:48:53".
func whenText(t time.Time) string {
	if t.Second() != 0 {
		return t.Local().Format("2 Jan 2006 15:04:05")
	}
	return t.Local().Format("2 Jan 2006 15:04")
}
