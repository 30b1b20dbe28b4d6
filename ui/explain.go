package ui

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// The explanation of one bid's place in the ranking: a textPage the
// ranked view opens on enter. Its facts and figures are engine.Explain's,
// the ranking's own (for an awarded referral, the evaluation kept with the
// award); this file only puts them in words an officer can read out.

// weightText writes a criterion's maximum points as people read it: "20",
// "24.8".
func weightText(w float64) string {
	return strconv.FormatFloat(math.Round(w*100)/100, 'f', -1, 64)
}

// rankedLegend says what each column of the ranked view is and its
// maximum at the weights w.
func rankedLegend(w engine.Weights) []string {
	return []string{
		"Columns of the ranked view (points at these weights):",
		"  Price: price, out of " + weightText(w.Price) + ": the lowest compliant net weekly cost scores all of it",
		"  Core: core competency, out of " + weightText(w.CoreCompetency) + ": the qualification score",
		"  Needs: needs met, out of " + weightText(w.Needs) + ": the marks of the child's needs it can meet",
		"  Outc.: outcomes approach, out of " + weightText(w.Outcomes) + ": the officer's assessment",
		"  Loc.: location, out of " + weightText(w.Location) + ": 10-mile bands from the child's home",
		"  Feat.: desirable features, out of " + weightText(w.Features) + ": the marks of those offered",
		"  Total: the points added, out of 100, rounded to 2 places",
		"  * the parents' shortlist or the recommended bid; A the awarded bid",
	}
}

// explanationLines are the page explaining the establishment's bid in the
// ranking res of the competition c; weight is the what-if quality weight
// (0: the referral's own).
func explanationLines(c *store.Competition, res *engine.Result, id, name string, weight int) ([]string, bool) {
	x, ok := engine.Explain(&c.Engine, res, id)
	if !ok {
		return nil, false
	}
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	q := c.Engine.Referral.QualityWeight
	switch {
	case weight != 0:
		add(fmt.Sprintf("WHAT IF quality %d%% / price %d%%: not the referral's weights, nothing is saved.", q, 100-q))
	case c.Decision != nil:
		add("As awarded " + engine.DateText(c.Decision.Day) + ": the evaluation kept with the award, not worked out again from today's register.")
	case c.Referral.Status == store.RefIssued:
		add("PROVISIONAL: the referral is still open for bids.")
	}
	var bid *store.Bid
	if i := slices.IndexFunc(c.Bids, func(b store.Bid) bool { return b.Establishment == id }); i >= 0 {
		bid = &c.Bids[i]
	}
	if x.Rank == 0 {
		add(fmt.Sprintf("%s (%s): not compliant, not ranked.", name, id), "", "Every reason:")
		for _, r := range x.Reasons {
			add("  - " + r)
		}
		if bid != nil {
			add("", "Its bid: "+costText(bid, engine.NetWeeklyPence(ptr(bid.Engine())))+".")
		}
		if len(x.MustHaves) > 0 {
			add("", "Must-have features (a bid missing one is not compliant):")
			add(markedLines(x.MustHaves, engine.FeatureTitle, "offered", "NOT offered", false)...)
		}
		return out, true
	}

	place := ""
	switch {
	case c.Decision != nil && weight == 0 && c.Decision.Awarded == id:
		place = " It was awarded the placement."
	case slices.Contains(res.ParentChoice, id):
		place = fmt.Sprintf(" It is on the parents' shortlist: within %s points of the top total.", engine.BandText())
	case res.Recommended == id:
		place = fmt.Sprintf(" It is the recommended bid: no other is within %s points.", engine.BandText())
	case x.Rank > 1:
		place = fmt.Sprintf(" It is %s points below the top total (%s).", Points2(res.Ranked[0].Total-x.Total), Points2(res.Ranked[0].Total))
	}
	add(fmt.Sprintf("%s (%s): ranked %d of %d, %s of 100 points.%s", name, id, x.Rank, x.Ranked, Points2(x.Total), place))
	add(fmt.Sprintf("%s at quality %d%% / price %d%%.", c.Referral.ID, q, 100-q))
	w, p := x.Weights, x.Points
	changed := func(criterion string) bool { return slices.Contains(x.Changed, criterion) }
	head := func(title string, got, of float64) {
		add("", fmt.Sprintf("%s: %s of %s", title, Points2(got), weightText(of)))
	}
	kept := "  As the award kept it; the facts behind it have changed since the award, so they are not given here."

	head("Price", p.Price, w.Price)
	if changed(engine.CriterionPrice) {
		add(kept)
	} else {
		cost := Pounds(x.NetWeeklyPence) + " a week"
		if bid != nil {
			cost = costText(bid, x.NetWeeklyPence)
		}
		add("  Net weekly cost "+cost+".",
			fmt.Sprintf("  The lowest compliant bid is %s a week: %s x %s / %s = %s.", Pounds(x.LowestNetWeeklyPence), weightText(w.Price),
				Pounds(x.LowestNetWeeklyPence), Pounds(x.NetWeeklyPence), Points2(p.Price)))
	}

	head("Core competency", p.CoreCompetency, w.CoreCompetency)
	if changed(engine.CriterionCoreCompetency) {
		add(kept)
	} else {
		source := "as the register holds it"
		if _, ok := c.Frozen[id]; ok && c.Referral.Frozen != nil {
			source = "frozen when the referral was issued"
		}
		add(fmt.Sprintf("  Qualification score %s of 100 (%s): %s x %s / 100 = %s.", score1(x.QualificationScore), source,
			weightText(w.CoreCompetency), score1(x.QualificationScore), Points2(p.CoreCompetency)))
	}

	// Needs and desirable features are scored alike: marks met of all.
	marked := func(c string, items []engine.Marked, none, of string, title func(string) string, yes, no string, points, weight float64) {
		switch {
		case changed(c):
			add(kept)
		case len(items) == 0:
			add("  The referral lists no " + none + ": every bid has the full points.")
		default:
			met, all := engine.MarksMet(items), engine.MarksAll(items)
			add(fmt.Sprintf("  Marks of the %s: %d of %d: %s x %d / %d = %s.", of, met, all, weightText(weight), met, all, Points2(points)))
			add(markedLines(items, title, yes, no, true)...)
		}
	}

	head("Needs met", p.Needs, w.Needs)
	marked(engine.CriterionNeeds, x.Needs, "needs", "needs it can meet", engine.NeedTitle, "met", "NOT met", p.Needs, w.Needs)

	head("Outcomes approach", p.Outcomes, w.Outcomes)
	if changed(engine.CriterionOutcomes) {
		add(kept)
	} else {
		add(fmt.Sprintf("  The officer's assessment of its approach to the outcomes: %s of 100: %s x %s / 100 = %s.", score1(x.OutcomesScore),
			weightText(w.Outcomes), score1(x.OutcomesScore), Points2(p.Outcomes)))
		if bid != nil && bid.OutcomesNote != "" {
			add("  Note: " + bid.OutcomesNote)
		}
	}

	head("Location", p.Location, w.Location)
	if changed(engine.CriterionLocation) {
		add(kept)
	} else {
		// The band is the engine's: each band scored fewer is 10 miles on.
		band := fmt.Sprintf("%d miles or more", engine.LocationBands*10)
		if x.Bands > 0 {
			lo := (engine.LocationBands - int(x.Bands)) * 10
			band = fmt.Sprintf("%d to under %d miles", lo, lo+10)
		}
		add(fmt.Sprintf("  %.1f miles from the child's home: %s scores %g of %d bands: %s x %g / %d = %s.", x.DistanceMiles, band, x.Bands,
			engine.LocationBands, weightText(w.Location), x.Bands, engine.LocationBands, Points2(p.Location)))
	}

	head("Desirable features", p.Features, w.Features)
	marked(engine.CriterionFeatures, x.Features, "desirable features", "features it offers", engine.FeatureTitle, "offered", "NOT offered", p.Features, w.Features)
	if len(x.MustHaves) > 0 {
		add("", "Must-have features (they decide compliance only, no points):")
		add(markedLines(x.MustHaves, engine.FeatureTitle, "offered", "NOT offered", false)...)
	}

	add("", fmt.Sprintf("Total: %s + %s + %s + %s + %s + %s = %s", Points2(p.Price), Points2(p.CoreCompetency), Points2(p.Needs),
		Points2(p.Outcomes), Points2(p.Location), Points2(p.Features), Points2(x.Total)))
	add("  (the unrounded points added, then rounded to 2 places)")
	add("")
	add(rankedLegend(w)...)
	return out, true
}

// markedLines lists needs or features, each met (offered) or not, by
// name, with its mark when marks count.
func markedLines(ms []engine.Marked, title func(string) string, yes, no string, withMark bool) []string {
	var out []string
	for _, m := range ms {
		state := yes
		if !m.Met {
			state = no
		}
		line := fmt.Sprintf("    %s: %s (%s)", state, title(m.ID), m.ID)
		if withMark {
			line += ", mark " + strconv.Itoa(m.Mark)
		}
		out = append(out, line)
	}
	return out
}

// costText is a bid's net weekly cost and what it is made of.
func costText(b *store.Bid, net int64) string {
	s := fmt.Sprintf("%s (core %s + variable %s", Pounds(net), Pounds(b.CoreWeeklyPence), Pounds(b.VariableWeeklyPence))
	if b.DiscountPct != 0 {
		s += ", less " + strconv.FormatFloat(b.DiscountPct, 'f', -1, 64) + "% discount"
	}
	return s + ") a week"
}

// score1 writes a 0-100 score to at most 2 places: "66.67", "70".
func score1(x float64) string { return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) }

func ptr[T any](v T) *T { return &v }
