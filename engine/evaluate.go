package engine

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine/geo"
)

// Need is one of the child's needs with its mark (§5: 1 by default).
type Need struct {
	ID   string
	Mark int
}

// Feature is a wanted feature: must-have features decide compliance only;
// desirable ones carry marks (§5).
type Feature struct {
	ID   string
	Mark int
	Must bool
}

// Referral is what a mini-competition is run for.
type Referral struct {
	ID            string
	Category      string
	Home          geo.Location
	RadiusMiles   float64
	QualityWeight int // Q, 30–70 (§4)
	// AffordabilityCapPence is the category's cap on core weekly cost;
	// 0 means no cap is set.
	AffordabilityCapPence int64
	// InspectionFloors are the category's floors (§1.1); nil: defaults.
	InspectionFloors Floors
	Needs            []Need
	Features         []Feature
	Deadline         time.Time // zero: no deadline
}

// Establishment is what the engine needs to know of a register entry.
type Establishment struct {
	ID                 string
	Categories         []string
	Status             Status
	Location           geo.Location
	CoreWeeklyPence    int64   // the qualified core cost
	QualificationScore float64 // 0–100, see QualificationScore
	// Qualification is the record its standing is worked out from (§1);
	// nil when none is known (a scenario file), and then its status alone
	// decides.
	Qualification *QualificationRecord
}

// StandingIn is the establishment's standing on day, held against the
// referral's category floors: the criteria it fails (§1).
func (e *Establishment) StandingIn(r *Referral, day time.Time) []Failure {
	if e.Qualification == nil {
		return nil
	}
	return Standing(e.Qualification, day, r.InspectionFloors)
}

// Bid is an invited establishment's response (§3).
type Bid struct {
	Establishment       string
	CoreWeeklyPence     int64
	VariableWeeklyPence int64
	DiscountPct         float64 // 0–100
	NeedsMet            []string
	FeaturesOffered     []string
	OutcomesScore       float64   // 0–100
	Submitted           time.Time // zero: not known
}

// Reason says why an establishment is not invited or a bid is not compliant.
// The values are the ones shared/spec/scenario.md lists.
type Reason string

const (
	NotEligibleStatus        Reason = "not_eligible:status"
	NotEligibleCategory      Reason = "not_eligible:category"
	NotEligibleDistance      Reason = "not_eligible:distance"
	NotEligibleAffordability Reason = "not_eligible:affordability"
	// NotInvited is for a referral whose invited list was frozen at issue:
	// the establishment is eligible now but was not invited then.
	NotInvited           Reason = "not_invited"
	MissingMustHave      Reason = "missing_must_have:" // followed by the feature id
	CoreCostAboveQualify Reason = "core_cost_above_qualified"
	NonPositivePrice     Reason = "non_positive_price"
	Late                 Reason = "late"
)

// Eligibility returns why e may not be invited to r on day, in the order
// of scenario.md's list; none means it is eligible (§2). A qualified
// establishment that fails a criterion on the day is not eligible by its
// status: the suspension takes effect by itself (§1, decided).
func Eligibility(r *Referral, e *Establishment, day time.Time) []Reason {
	var rs []Reason
	if e.Status != Qualified || len(e.StandingIn(r, day)) > 0 {
		rs = append(rs, NotEligibleStatus)
	}
	if !slices.Contains(e.Categories, r.Category) {
		rs = append(rs, NotEligibleCategory)
	}
	if geo.DistanceMiles(r.Home, e.Location) > r.RadiusMiles {
		rs = append(rs, NotEligibleDistance)
	}
	if r.AffordabilityCapPence > 0 && e.CoreWeeklyPence > r.AffordabilityCapPence {
		rs = append(rs, NotEligibleAffordability)
	}
	return rs
}

// LeftOut is an establishment that would be invited but for a criterion it
// fails on the day (§1, decided).
type LeftOut struct {
	Establishment string
	Failures      []Failure
}

// Invite returns the ids of every establishment eligible for r on day,
// sorted (§2).
func Invite(r *Referral, register []Establishment, day time.Time) []string {
	ids, _ := Invitations(r, register, day)
	return ids
}

// Invitations is Invite with the establishments left out because they
// fail a criterion on the day (qualified, of the category, within the
// radius and the cap, but failing): the builder says how many and why.
func Invitations(r *Referral, register []Establishment, day time.Time) (invited []string, left []LeftOut) {
	for i := range register {
		e := &register[i]
		if !inReach(r, e) {
			continue
		}
		if f := e.StandingIn(r, day); len(f) > 0 {
			left = append(left, LeftOut{e.ID, f})
			continue
		}
		invited = append(invited, e.ID)
	}
	slices.Sort(invited)
	slices.SortFunc(left, func(a, b LeftOut) int { return strings.Compare(a.Establishment, b.Establishment) })
	return invited, left
}

// inReach is eligibility but for standing, cheapest test first.
func inReach(r *Referral, e *Establishment) bool {
	return e.Status == Qualified &&
		(r.AffordabilityCapPence <= 0 || e.CoreWeeklyPence <= r.AffordabilityCapPence) &&
		slices.Contains(e.Categories, r.Category) &&
		geo.DistanceMiles(r.Home, e.Location) <= r.RadiusMiles
}

// NetWeeklyPence is round((core + variable) × (100 − discount) / 100),
// rounding halves away from zero (§3).
func NetWeeklyPence(b *Bid) int64 {
	return int64(math.Round(float64(b.CoreWeeklyPence+b.VariableWeeklyPence) * (100 - b.DiscountPct) / 100))
}

// MonthlyPence and AnnualPence are for display only (§3).
func MonthlyPence(netWeekly int64) int64 { return int64(math.Round(float64(netWeekly) * 52 / 12)) }

// AnnualPence is net weekly × 52 (§3).
func AnnualPence(netWeekly int64) int64 { return netWeekly * 52 }

// Compliance returns why a bid is not compliant, beyond eligibility (§3):
// missing must-have features, a core cost above the qualified one, a net
// price of zero or less, a bid after the deadline.
func Compliance(r *Referral, e *Establishment, b *Bid) []Reason {
	var rs []Reason
	for _, f := range r.Features {
		if f.Must && !slices.Contains(b.FeaturesOffered, f.ID) {
			rs = append(rs, MissingMustHave+Reason(f.ID))
		}
	}
	if b.CoreWeeklyPence > e.CoreWeeklyPence {
		rs = append(rs, CoreCostAboveQualify)
	}
	if NetWeeklyPence(b) <= 0 {
		rs = append(rs, NonPositivePrice)
	}
	if !r.Deadline.IsZero() && !b.Submitted.IsZero() && b.Submitted.After(r.Deadline) {
		rs = append(rs, Late)
	}
	return rs
}

// Words are the reasons in words; not being eligible by status is said as
// the criterion that failed, with its date, where that is why.
func (nc *NonCompliantBid) Words() []string {
	var out []string
	for _, r := range nc.Reasons {
		if r == NotEligibleStatus && len(nc.Failures) > 0 {
			for _, f := range nc.Failures {
				out = append(out, f.Text())
			}
			continue
		}
		out = append(out, r.Text())
	}
	return out
}

// Weights are the points available per criterion (§4).
type Weights struct {
	Price, CoreCompetency, Needs, Outcomes, Location, Features float64
}

// Quality-weight bounds and default (§4).
const (
	MinQualityWeight     = 30
	MaxQualityWeight     = 70
	DefaultQualityWeight = 50
)

// WeightsFor splits the quality weight Q in the fixed shares 40/20/20/10/10
// and gives price the rest (§4). Q must be 30–70; callers validate it.
func WeightsFor(q int) Weights {
	share := func(s int) float64 { return float64(q*s) / 100 }
	return Weights{
		Price:          float64(100 - q),
		CoreCompetency: share(40),
		Needs:          share(20),
		Outcomes:       share(20),
		Location:       share(10),
		Features:       share(10),
	}
}

// Points are one compliant bid's unrounded points per criterion (§5).
type Points struct {
	Price, CoreCompetency, Needs, Outcomes, Location, Features float64
}

// Total adds the points in the order of §5 and rounds half away from zero to
// 2 decimal places.
func (p Points) Total() float64 {
	return Round2(p.Price + p.CoreCompetency + p.Needs + p.Outcomes + p.Location + p.Features)
}

// Round2 rounds half away from zero to 2 decimal places (scenario.md).
func Round2(x float64) float64 { return math.Round(x*100) / 100 }

// hundredths is a rounded total as a whole number of hundredths, the unit
// ranking and the parent-choice band compare in.
func hundredths(total float64) int64 { return int64(math.Round(total * 100)) }

// LocationBands is the number of 10-mile bands that score (§5).
const LocationBands = 5

// locationBandsScored is max(0, 5 − floor(miles/10)): the bands of §5.
func locationBandsScored(miles float64) float64 {
	return max(0, LocationBands-math.Floor(miles/10))
}

// score computes a compliant bid's points (§5). lowest is the lowest net
// weekly price among compliant bids.
func score(r *Referral, w Weights, e *Establishment, b *Bid, net, lowest int64, miles float64) Points {
	needsAll, needsMet := 0, 0
	for _, n := range r.Needs {
		needsAll += n.Mark
		if slices.Contains(b.NeedsMet, n.ID) {
			needsMet += n.Mark
		}
	}
	featAll, featMet := 0, 0
	for _, f := range r.Features {
		if f.Must {
			continue // must-haves decide compliance only
		}
		featAll += f.Mark
		if slices.Contains(b.FeaturesOffered, f.ID) {
			featMet += f.Mark
		}
	}
	return pointsOf(w, net, lowest, e.QualificationScore, b.OutcomesScore, miles, needsMet, needsAll, featMet, featAll)
}

// pointsOf is §5's arithmetic on the facts a bid's points rest on; the
// ranking and the explanation of a bid (Explain) both use it, so they
// cannot differ.
func pointsOf(w Weights, net, lowest int64, qualification, outcomes, miles float64, needsMet, needsAll, featMet, featAll int) Points {
	p := Points{
		Price:          w.Price * float64(lowest) / float64(net),
		CoreCompetency: w.CoreCompetency * qualification / 100,
		Needs:          w.Needs,
		Outcomes:       w.Outcomes * outcomes / 100,
		Location:       w.Location * locationBandsScored(miles) / LocationBands,
		Features:       w.Features,
	}
	if needsAll > 0 {
		p.Needs = w.Needs * float64(needsMet) / float64(needsAll)
	}
	if featAll > 0 {
		p.Features = w.Features * float64(featMet) / float64(featAll)
	}
	return p
}

// Outcome is how a mini-competition ends (§6).
type Outcome string

const (
	OutcomeRecommended   Outcome = "recommended"
	OutcomeParentChoice  Outcome = "parent_choice"
	OutcomeNoSuitableBid Outcome = "no_suitable_bid"
)

// ParentChoiceBand is the band below the top total, in hundredths of a
// point, within which the parents choose (§6: strictly less than 5.00).
const ParentChoiceBand = 500

// BandText is the parent-choice band as people read it: "5.00".
func BandText() string { return fmt.Sprintf("%.2f", float64(ParentChoiceBand)/100) }

// MaxShortlist is the most bids the parents choose among (§6).
const MaxShortlist = 3

// RankedBid is one compliant bid in rank order.
type RankedBid struct {
	Rank           int
	Establishment  string
	NetWeeklyPence int64
	DistanceMiles  float64 // unrounded
	Points         Points  // unrounded
	Total          float64 // rounded to 2 places
}

// NonCompliantBid is a bid that is not ranked, with every reason.
type NonCompliantBid struct {
	Establishment string
	Reasons       []Reason
	// Failures are the criteria the establishment failed on the day of
	// the evaluation, when that is why it is not eligible by its status.
	Failures []Failure
}

// Result is the evaluation of one referral's bids.
type Result struct {
	Referral     string
	Weights      Weights
	Invited      []string
	Ranked       []RankedBid
	NonCompliant []NonCompliantBid
	ParentChoice []string // 2 or 3 ids in rank order when the parents choose
	Recommended  string   // the recommended bid when the outcome is recommended
	Outcome      Outcome
}

// Competition is everything one evaluation looks at.
type Competition struct {
	Referral Referral
	// Register holds the establishments the referral and bids refer to
	// (more is fine). Bids must name establishments in it.
	Register []Establishment
	Bids     []Bid
	// Invited is the list frozen when the referral was issued. When nil,
	// the invited list is worked out now from the register (§2), as
	// `dpsdesk evaluate` does.
	Invited []string
	// Day is the day the bids are evaluated on: each bidder's standing is
	// taken on it (§3). Establishments with no qualification record are
	// judged by their status alone.
	Day time.Time
}

// Evaluate scores and ranks a referral's bids (§§2–6). It is deterministic:
// the same competition gives the same result.
func Evaluate(c *Competition) Result {
	r := &c.Referral
	res := Result{Referral: r.ID, Weights: WeightsFor(r.QualityWeight), Outcome: OutcomeNoSuitableBid}

	byID := make(map[string]*Establishment, len(c.Bids))
	bidders := make(map[string]bool, len(c.Bids))
	for i := range c.Bids {
		bidders[c.Bids[i].Establishment] = true
	}
	for i := range c.Register {
		if e := &c.Register[i]; bidders[e.ID] {
			byID[e.ID] = e
		}
	}
	frozen := c.Invited != nil
	if frozen {
		res.Invited = slices.Sorted(slices.Values(c.Invited))
	} else {
		res.Invited = Invite(r, c.Register, c.Day)
	}

	type candidate struct {
		e     *Establishment
		b     *Bid
		net   int64
		miles float64
	}
	var ok []candidate
	for i := range c.Bids {
		b := &c.Bids[i]
		e := byID[b.Establishment]
		if e == nil {
			// Callers validate bids against the register; an unknown
			// establishment can only be not invited.
			res.NonCompliant = append(res.NonCompliant, NonCompliantBid{Establishment: b.Establishment, Reasons: []Reason{NotInvited}})
			continue
		}
		var reasons []Reason
		failures := e.StandingIn(r, c.Day)
		_, invited := slices.BinarySearch(res.Invited, e.ID)
		switch {
		case invited && (e.Status != Qualified || len(failures) > 0):
			// Invited, then suspended, withdrawn or excluded, or failing a
			// criterion on the day (§1, §3).
			reasons = append(reasons, NotEligibleStatus)
		case !invited:
			reasons = Eligibility(r, e, c.Day)
			if len(reasons) == 0 && frozen {
				reasons = append(reasons, NotInvited)
			}
		}
		reasons = append(reasons, Compliance(r, e, b)...)
		if len(reasons) > 0 {
			nc := NonCompliantBid{Establishment: e.ID, Reasons: reasons}
			if slices.Contains(reasons, NotEligibleStatus) {
				nc.Failures = failures
			}
			res.NonCompliant = append(res.NonCompliant, nc)
			continue
		}
		ok = append(ok, candidate{e, b, NetWeeklyPence(b), geo.DistanceMiles(r.Home, e.Location)})
	}
	if len(ok) == 0 {
		return res
	}

	lowest := ok[0].net
	for _, c := range ok[1:] {
		lowest = min(lowest, c.net)
	}
	res.Ranked = make([]RankedBid, len(ok))
	for i, c := range ok {
		p := score(r, res.Weights, c.e, c.b, c.net, lowest, c.miles)
		res.Ranked[i] = RankedBid{
			Establishment: c.e.ID, NetWeeklyPence: c.net, DistanceMiles: c.miles,
			Points: p, Total: p.Total(),
		}
	}
	// §6: total, highest first; then lower net weekly, shorter distance,
	// establishment id in byte order.
	slices.SortFunc(res.Ranked, func(a, b RankedBid) int {
		return cmp.Or(
			cmp.Compare(hundredths(b.Total), hundredths(a.Total)),
			cmp.Compare(a.NetWeeklyPence, b.NetWeeklyPence),
			cmp.Compare(a.DistanceMiles, b.DistanceMiles),
			cmp.Compare(a.Establishment, b.Establishment),
		)
	})
	for i := range res.Ranked {
		res.Ranked[i].Rank = i + 1
	}

	top := hundredths(res.Ranked[0].Total)
	var band []string
	for _, rb := range res.Ranked {
		if len(band) == MaxShortlist || top-hundredths(rb.Total) >= ParentChoiceBand {
			break
		}
		band = append(band, rb.Establishment)
	}
	if len(band) >= 2 {
		res.ParentChoice, res.Outcome = band, OutcomeParentChoice
	} else {
		res.Recommended, res.Outcome = band[0], OutcomeRecommended
	}
	return res
}

// Text says what a reason means, in words for officers and bidders.
func (r Reason) Text() string {
	switch r {
	case NotEligibleStatus:
		return "not eligible: not qualified (applied, suspended, withdrawn or excluded)"
	case NotEligibleCategory:
		return "not eligible: does not hold the referral's category"
	case NotEligibleDistance:
		return "not eligible: further from the child's home than the referral's radius"
	case NotEligibleAffordability:
		return "not eligible: core weekly cost above the category's affordability cap"
	case NotInvited:
		return "not invited when the referral was issued"
	case CoreCostAboveQualify:
		return "core weekly cost above the establishment's qualified core cost"
	case NonPositivePrice:
		return "net weekly price is zero or less"
	case Late:
		return "bid arrived after the deadline"
	}
	if f, ok := strings.CutPrefix(string(r), string(MissingMustHave)); ok {
		return "does not offer the must-have feature " + f
	}
	return string(r)
}
