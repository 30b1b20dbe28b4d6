package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
)

// demoOutcomes are the desired outcomes the demo's placements are
// reviewed against.
var demoOutcomes = []string{"attends school full time", "manages transitions between lessons", "travels to school independently",
	"takes part in a weekly community activity", "communicates needs to familiar adults", "no unplanned moves in the year",
	"sleeps through most nights", "prepares a simple meal"}

// demoPlacements writes earlier awards over the last two years, each with
// its placement (made by the award), its desired outcomes and the reviews
// held since: one placement ended, one incentive earned, one requirement
// reduced; then a fee uplift applied to fostering, and a few concerns
// (one safeguarding concern whose check is still open). The same seed
// gives the same placements.
func demoPlacements(tx *Tx, rng *rand.Rand, es []demoEst, now time.Time) error {
	register := make([]engine.Establishment, len(es))
	for i := range es {
		register[i] = es[i].e.Engine()
	}
	g := geo.Default()
	today := now.Format(time.DateOnly)
	plan := []struct {
		auth, cat string
		months    int // how long ago the award was
		route     AwardRoute
	}{
		{"WSCC", engine.CategorySEN, 23, RouteCompetition}, {"SCC", engine.CategoryResidential, 21, RouteCompetition},
		{"KCC", engine.CategorySEN, 19, RouteCompetition}, {"SCC", engine.CategoryFostering, 17, RouteCompetition},
		{"WSCC", engine.CategoryIAP, 15, RouteCompetition}, {"BHCC", engine.CategorySEN, 13, RouteDirect},
		{"MED", engine.CategoryFostering, 11, RouteCompetition}, {"ECC", engine.CategorySEN, 9, RouteBlock},
		{"WSCC", engine.CategorySEN, 7, RouteCompetition}, {"KCC", engine.CategoryFostering, 5, RouteCompetition},
		{"ECC", engine.CategoryResidential, 3, RouteCompetition}, {"WSCC", engine.CategoryFostering, 2, RouteCompetition},
	}
	var first string // plan 0's setting, which the direct placement and the block booking use too
	for i, p := range plan {
		awarded := now.AddDate(0, -p.months, 0)
		sectors := g.Sectors(demoAreas[p.auth]...)
		for attempt := 0; ; attempt++ {
			if attempt > 400 {
				return fmt.Errorf("demo: could not make an earlier %s award", p.cat)
			}
			r := Referral{ID: "REF-pending", Authority: p.auth, ChildRef: fmt.Sprintf("%s/EHCP/%05d", p.auth, 10000+rng.IntN(90000)), Category: p.cat,
				HomePostcode: pick(rng, sectors), RadiusMiles: 25, QualityWeight: 50, Status: RefDraft,
				Created: awarded.AddDate(0, 0, -35), Deadline: awarded.AddDate(0, 0, -10)}
			for j, n := range demoPickSome(rng, engine.SENTypes(), 1, 3) {
				r.Needs = append(r.Needs, engine.Need{ID: n, Mark: 1 + j%2})
			}
			if i == 2 {
				r.Incentive = "£750 premium if attendance is full time within 9 months"
			}
			if err := r.Validate(g, SeedAuthorities()); err != nil {
				return err
			}
			er := r.Engine(categoryTerms(tx.tx, r.Category))
			// Invited and evaluated on the demo's today, so that every
			// bidder's evidence is as the register holds it.
			invited := engine.Invite(&er, register, now)
			if len(invited) < 3 {
				continue
			}
			r.Status, r.Invited, r.IssuedAt = RefAwarded, invited, awarded.AddDate(0, 0, -30)
			// Numbered after the demo's other referrals, as the store numbers
			// every referral.
			var err error
			if r.ID, err = tx.nextReferralID(); err != nil {
				return err
			}
			var bids []Bid
			for _, j := range rng.Perm(len(invited))[:3] {
				e := es[slices.IndexFunc(es, func(d demoEst) bool { return d.e.ID == invited[j] })].e
				b := Bid{Referral: r.ID, Establishment: e.ID, CoreWeeklyPence: e.CoreWeeklyPence, VariableWeeklyPence: int64(20+rng.IntN(40)) * 1000,
					OutcomesScore: float64(50 + rng.IntN(50)), Submitted: r.IssuedAt.Add(time.Duration(24+rng.IntN(200)) * time.Hour)}
				for _, n := range r.Needs {
					b.NeedsMet = append(b.NeedsMet, n.ID)
				}
				bids = append(bids, b)
			}
			eb := make([]engine.Bid, len(bids))
			for j := range bids {
				eb[j] = bids[j].Engine()
			}
			res := engine.Evaluate(&engine.Competition{Referral: er, Register: register, Bids: eb, Invited: invited, Day: now})
			route, winner := p.route, res.Recommended
			switch {
			case p.route == RouteCompetition && res.Outcome == engine.OutcomeParentChoice:
				route, winner = RouteParentChoice, res.ParentChoice[0]
				r.Shortlist = slices.Clone(res.ParentChoice)
			case p.route == RouteCompetition && res.Outcome != engine.OutcomeRecommended:
				continue
			case p.route != RouteCompetition:
				winner = first
			}
			if r.Frozen, err = freeze(tx, &r, invited); err != nil {
				return err
			}
			if err := tx.putReferral(r, "referral.create"); err != nil {
				return err
			}
			for _, b := range bids {
				if err := tx.putBid(b, false); err != nil {
					return err
				}
			}
			c, err := competitionIn(tx.tx, r.ID, 0, false, now, nil)
			if err != nil {
				return err
			}
			a := Award{Referral: r.ID, Establishment: winner, Route: route, Start: awarded.AddDate(0, 0, 14).Format(time.DateOnly), DecidedBy: "demo", At: awarded}
			switch route {
			case RouteCompetition, RouteParentChoice:
				rb := res.Ranked[slices.IndexFunc(res.Ranked, func(b engine.RankedBid) bool { return b.Establishment == winner })]
				a.WeeklyPence = rb.NetWeeklyPence
				if route == RouteParentChoice {
					a.Reason = "closer to home and the family liked the taster day"
				}
			case RouteDirect:
				a.Justification = "sibling already placed there; a move would break the placement"
			case RouteBlock:
				a.Terms = "block booking BB-2025-ECC-03"
			}
			if route == RouteDirect || route == RouteBlock {
				e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(winner))
				if err != nil {
					return err
				}
				a.WeeklyPence = e.CoreWeeklyPence
			}
			if a.Decision, err = decide(tx.tx, c, engine.Evaluate(&c.Engine), winner, route); err != nil {
				return err
			}
			if err := tx.putAward(a); err != nil { // and its placement
				return err
			}
			if i == 0 {
				first = winner
			}
			if err := demoReviews(tx, rng, i, r.ID, today); err != nil {
				return fmt.Errorf("demo placement %s: %w", r.ID, err)
			}
			break
		}
	}
	if _, err := tx.applyUplift(UpliftRequest{Category: engine.CategoryFostering, Percent: 250, From: now.AddDate(0, -4, 0).Format(time.DateOnly)}); err != nil {
		return fmt.Errorf("demo uplift: %w", err)
	}
	return demoConcerns(tx, rng, es, now)
}

// demoReviews sets a placement's desired outcomes (and for plan 2 an
// incentive) and holds its reviews to today: the first 6 weeks after the
// start, then every 6 months, outcomes moving towards met.
func demoReviews(tx *Tx, rng *rand.Rand, i int, id, today string) error {
	p, err := tx.placement(id)
	if err != nil {
		return err
	}
	outcomes := demoPickSome(rng, demoOutcomes, 2, 3)
	var in *Incentive
	if i == 2 {
		in = &Incentive{PremiumPence: 75000, Outcomes: outcomes[:1], By: day(p.Start).AddDate(0, 9, 0).Format(time.DateOnly)}
	}
	if err := tx.setPlacementTerms(id, outcomes, in); err != nil {
		return err
	}
	rules := engine.DefaultPlacementRules()
	last := time.Time{}
	for n := 0; ; n++ {
		due := engine.NextReviewDue(day(p.Start), last, rules).AddDate(0, 0, rng.IntN(10)-3)
		date := due.Format(time.DateOnly)
		if date >= today {
			return nil
		}
		req := ReviewRequest{Placement: id, Date: date, Note: "review meeting with the setting and the family"}
		for k, o := range outcomes {
			res := engine.OutcomeProgressing
			switch {
			case n >= 1 && k == 0, n >= 2 && k == 1, n >= 3:
				res = engine.OutcomeMet
			case n == 0 && rng.IntN(4) == 0:
				res = engine.OutcomeNotMet
			}
			req.Findings = append(req.Findings, OutcomeFinding{Outcome: o, Result: res})
		}
		base := 62 + rng.IntN(15)
		if i == 0 || i == 5 || i == 7 { // the setting that the direct placement and the block booking went to delivers well
			base = 88
		}
		req.Ratings = engine.DeliveryRatings{Workforce: base + rng.IntN(8), OutcomesFramework: base + rng.IntN(8), ContractManagement: base - rng.IntN(8)}
		if i == 1 && n == 1 {
			cur := p.CostOn(date)
			if cur.VariableWeeklyPence > 0 {
				req.Reduction = &Reduction{From: date, VariableWeeklyPence: cur.VariableWeeklyPence / 2, Why: "waking night support no longer needed"}
			}
		}
		if err := tx.recordReview(req); err != nil {
			return err
		}
		last = day(date)
		if i == 3 && n == 2 {
			return tx.endPlacement(id, day(date).AddDate(0, 0, 21).Format(time.DateOnly), engine.EndStepDown, "stepped down to a mainstream school with support")
		}
	}
}

// demoConcerns records a few early warnings shared by every partner: a
// safeguarding concern whose criterion has not been checked since (the
// Review queue asks for it), a complaint, a quality visit and a financial
// concern.
func demoConcerns(tx *Tx, rng *rand.Rand, es []demoEst, now time.Time) error {
	kinds := []struct {
		kind     engine.ConcernKind
		severity string
		what     string
		done     string
		daysAgo  int
	}{
		{engine.ConcernSafeguarding, "high", "allegation against a member of staff reported to the LADO", "LADO referral made; staff member suspended pending investigation", 6},
		{engine.ConcernComplaint, "medium", "parents' complaint about missed therapy sessions", "raised with the head; sessions to be made up", 40},
		{engine.ConcernQualityVisit, "low", "quality visit: record keeping behind", "action plan agreed, revisit in 3 months", 75},
		{engine.ConcernFinancial, "medium", "accounts filed late at Companies House", "asked for management accounts", 120},
	}
	for _, k := range kinds {
		var e *Establishment
		for e == nil || e.Status != engine.Qualified {
			e = &es[rng.IntN(len(es))].e
		}
		c := Concern{Establishment: e.ID, Date: now.AddDate(0, 0, -k.daysAgo).Format(time.DateOnly), Kind: k.kind, Severity: k.severity, What: k.what, Done: k.done}
		if err := tx.recordConcern(c); err != nil {
			return err
		}
	}
	return nil
}
