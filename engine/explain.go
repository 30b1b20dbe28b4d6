package engine

import (
	"slices"
)

// Marked is one of a referral's needs or features and whether a bid meets
// (or offers) it, with its mark (§5).
type Marked struct {
	ID   string
	Mark int
	Met  bool
}

// Explanation says why one bid stands where it does (§§3–6), in the facts
// an officer can read out to a provider or a parent. For a ranked bid the
// points are the ranking's own figures, never worked out again, and the
// facts are those they rest on; for a bid not ranked, every reason.
type Explanation struct {
	Establishment string
	Rank          int // 0: not ranked
	Ranked        int // how many bids were ranked
	Total         float64
	Weights       Weights
	Points        Points // the ranking's, exactly
	// NetWeeklyPence is the bid's net weekly cost; LowestNetWeeklyPence the
	// lowest among the compliant bids, which scores the full price weight.
	NetWeeklyPence, LowestNetWeeklyPence int64
	// QualificationScore is the score core competency rests on (§1), as
	// the competition holds it: frozen at issue when the referral froze it.
	QualificationScore float64
	OutcomesScore      float64 // the officer's assessment of the approach, 0–100
	DistanceMiles      float64
	// Bands are the location bands scored of LocationBands (§5).
	Bands float64
	// Needs are each of the referral's needs, met or not; Features each
	// desirable feature, offered or not; MustHaves each must-have, offered
	// or not (they decide compliance only).
	Needs, Features, MustHaves []Marked
	// Changed names the criteria whose facts, as the competition holds
	// them now, no longer give the ranking's points: an award's kept
	// evaluation whose register entry or bid has changed since. Their
	// points stand as kept; their facts are not to be read out.
	Changed []string
	// Reasons are a bid's reasons for not being ranked, in words.
	Reasons []string
}

// Criterion names, as Changed gives them.
const (
	CriterionPrice          = "price"
	CriterionCoreCompetency = "core competency"
	CriterionNeeds          = "needs met"
	CriterionOutcomes       = "outcomes approach"
	CriterionLocation       = "location"
	CriterionFeatures       = "desirable features"
)

// Explain says why the establishment's bid stands where res puts it: res
// is the evaluation of c (or the one an award kept of it). ok is false
// when the establishment has no bid in res.
func Explain(c *Competition, res *Result, establishment string) (x Explanation, ok bool) {
	x = Explanation{Establishment: establishment, Weights: res.Weights, Ranked: len(res.Ranked)}
	var bid *Bid
	if i := slices.IndexFunc(c.Bids, func(b Bid) bool { return b.Establishment == establishment }); i >= 0 {
		bid = &c.Bids[i]
	}
	r := &c.Referral
	for _, f := range r.Features {
		m := Marked{ID: f.ID, Mark: f.Mark, Met: bid != nil && slices.Contains(bid.FeaturesOffered, f.ID)}
		if f.Must {
			x.MustHaves = append(x.MustHaves, m)
		} else {
			x.Features = append(x.Features, m)
		}
	}
	if i := slices.IndexFunc(res.NonCompliant, func(n NonCompliantBid) bool { return n.Establishment == establishment }); i >= 0 {
		x.Reasons = res.NonCompliant[i].Words()
		return x, true
	}
	i := slices.IndexFunc(res.Ranked, func(rb RankedBid) bool { return rb.Establishment == establishment })
	if i < 0 {
		return x, false
	}
	rb := res.Ranked[i]
	x.Rank, x.Total, x.Points = rb.Rank, rb.Total, rb.Points
	x.NetWeeklyPence, x.DistanceMiles = rb.NetWeeklyPence, rb.DistanceMiles
	x.LowestNetWeeklyPence = rb.NetWeeklyPence
	for _, o := range res.Ranked {
		x.LowestNetWeeklyPence = min(x.LowestNetWeeklyPence, o.NetWeeklyPence)
	}
	x.Bands = locationBandsScored(rb.DistanceMiles)
	for _, n := range r.Needs {
		x.Needs = append(x.Needs, Marked{ID: n.ID, Mark: n.Mark, Met: bid != nil && slices.Contains(bid.NeedsMet, n.ID)})
	}
	if bid != nil {
		x.OutcomesScore = bid.OutcomesScore
	}
	if j := slices.IndexFunc(c.Register, func(e Establishment) bool { return e.ID == establishment }); j >= 0 {
		x.QualificationScore = c.Register[j].QualificationScore
	}
	// What the facts give, criterion by criterion, against the ranking's
	// figures: they differ only where a kept evaluation's facts changed.
	w, p := x.Worked(), x.Points
	for _, d := range []struct {
		name       string
		got, ranks float64
	}{
		{CriterionPrice, w.Price, p.Price}, {CriterionCoreCompetency, w.CoreCompetency, p.CoreCompetency},
		{CriterionNeeds, w.Needs, p.Needs}, {CriterionOutcomes, w.Outcomes, p.Outcomes},
		{CriterionLocation, w.Location, p.Location}, {CriterionFeatures, w.Features, p.Features},
	} {
		bidFact := d.name == CriterionNeeds || d.name == CriterionOutcomes || d.name == CriterionFeatures
		if d.got != d.ranks || (bid == nil && bidFact) {
			x.Changed = append(x.Changed, d.name)
		}
	}
	return x, true
}

// Worked are the points the explanation's facts give by §5's arithmetic,
// the very arithmetic the ranking uses: equal to Points, criterion by
// criterion, wherever Changed does not name the criterion.
func (x *Explanation) Worked() Points {
	needsMet, needsAll := marks(x.Needs)
	featMet, featAll := marks(x.Features)
	return pointsOf(x.Weights, x.NetWeeklyPence, x.LowestNetWeeklyPence, x.QualificationScore, x.OutcomesScore, x.DistanceMiles,
		needsMet, needsAll, featMet, featAll)
}

// marks adds the marks of what is met and of all.
func marks(ms []Marked) (met, all int) {
	for _, m := range ms {
		all += m.Mark
		if m.Met {
			met += m.Mark
		}
	}
	return met, all
}

// MarksMet and MarksAll are the marks of the needs (or features) met and
// of all of them.
func MarksMet(ms []Marked) int { met, _ := marks(ms); return met }

// MarksAll is the marks of all the needs (or features).
func MarksAll(ms []Marked) int { _, all := marks(ms); return all }
