package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// setting is one shortlisted establishment as a family sees it: plain
// words, no internal codes. Price and points are kept apart and shown only
// when the officer chooses to.
type setting struct {
	id, name, kind, pattern, town, inspection, taster string
	earliest                                          string // YYYY-MM-DD, when its bid offered one
	miles                                             float64
	canMeet, cannotMeet, offers, notOffered           []string
	noNeeds, noFeatures                               bool // the referral lists none
	weekly                                            int64
	total                                             float64
}

// shortlist reads a referral's parents' shortlist as settings.
func shortlist(s *store.Store, id string) (store.Referral, []setting, error) {
	res, c, err := s.Rank(id, 0)
	if err != nil {
		return store.Referral{}, nil, err
	}
	r := c.Referral
	ids := r.Shortlist // as the evaluation found it, not as it would be now
	if len(ids) == 0 {
		ids = res.ParentChoice
	}
	var out []setting
	for _, eid := range ids {
		if !slices.ContainsFunc(res.Ranked, func(rb engine.RankedBid) bool { return rb.Establishment == eid }) {
			continue // no longer compliant: it can no longer be offered (the meeting says so)
		}
		e := c.Records[eid]
		st := setting{id: eid, name: e.Name, kind: engine.SettingKind(r.Category), pattern: engine.PatternTitle(e.Pattern), town: e.Town,
			noNeeds: len(r.Needs) == 0, noFeatures: len(r.Features) == 0}
		if st.town == "" {
			st.town = e.Postcode
		}
		for _, rb := range res.Ranked {
			if rb.Establishment == eid {
				st.miles, st.weekly, st.total = rb.DistanceMiles, rb.NetWeeklyPence, rb.Total
			}
		}
		if in, ok := e.Inspection(); ok {
			st.inspection = inspectionWords(in)
		}
		// A referral that asked about taster days has the bid's answer
		// among the features; otherwise the register says.
		if !slices.ContainsFunc(r.Features, func(f engine.Feature) bool { return f.ID == "taster-day" }) {
			st.taster = map[string]string{"yes": "Offers a taster day", "no": "No taster day"}[e.TasterDay]
			if st.taster == "" {
				st.taster = "Taster day: not stated"
			}
		}
		var bid store.Bid
		for _, b := range c.Bids {
			if b.Establishment == eid {
				bid = b
			}
		}
		st.earliest = bid.EarliestStart
		for _, n := range r.Needs {
			if slices.Contains(bid.NeedsMet, n.ID) {
				st.canMeet = append(st.canMeet, engine.NeedTitle(n.ID))
			} else {
				st.cannotMeet = append(st.cannotMeet, engine.NeedTitle(n.ID))
			}
		}
		for _, f := range r.Features {
			if slices.Contains(bid.FeaturesOffered, f.ID) {
				st.offers = append(st.offers, engine.FeatureTitle(f.ID))
			} else {
				st.notOffered = append(st.notOffered, engine.FeatureTitle(f.ID))
			}
		}
		out = append(out, st)
	}
	// By name, not by score: the numbers only tell them apart, and the
	// order must not read as a recommendation.
	slices.SortStableFunc(out, func(a, b setting) int { return strings.Compare(a.name, b.name) })
	return r, out, nil
}

// inspectionWords is the latest inspection as a sentence a parent
// understands: who inspected, when, and what they found, in the
// framework's own judgement explained.
func inspectionWords(in store.Inspection) string {
	when := ""
	if d, err := time.Parse(time.DateOnly, in.Date); err == nil {
		when = " in " + d.Format("January 2006")
	}
	g := in.Grade
	switch in.Framework {
	case engine.FrameworkUnregulated:
		return "Not inspected by a regulator; visited and checked by the council"
	case engine.FrameworkISI:
		if g == "Met" {
			return "ISI inspected it" + when + " and found it met every standard (ISI inspects independent schools)"
		}
		return "ISI inspected it" + when + " and found it did not meet every standard (ISI inspects independent schools)"
	case engine.FrameworkOfsted, engine.FrameworkCQC:
		place := map[string]string{
			"Outstanding":          "the highest of its four grades",
			"Good":                 "the second of its four grades",
			"Requires improvement": "the third of its four grades: not yet good",
			"Inadequate":           "the lowest of its four grades",
		}[g]
		who := "Ofsted"
		if in.Framework == engine.FrameworkCQC {
			who = "The Care Quality Commission (CQC)"
		}
		if place == "" {
			return who + " inspected it" + when
		}
		return fmt.Sprintf("%s inspected it%s and judged it %s, %s", who, when, strings.ToLower(g), place)
	case engine.FrameworkReportCard:
		found := map[string]string{
			"Exceptional":             "every area was exceptional, its highest grade",
			"Strong standard":         "every area was at a strong standard or better",
			"Expected standard":       "every area was at the standard expected of a good school, or better",
			"Needs attention":         "at least one area needs attention: something it must improve, though not urgently",
			"Urgent improvement":      "at least one area needs urgent improvement",
			engine.SafeguardingNotMet: "its safeguarding did not meet the standard",
		}[g]
		if found == "" {
			return "Ofsted inspected it" + when + " (report card)"
		}
		return "Ofsted inspected it" + when + " and its report card says " + found
	}
	return in.Framework.Title() + " inspected it" + when
}

// lines describes a setting for the family, wrapped to width.
func (s setting) lines(n int, width int, prices bool) []string {
	var l []string
	para := func(text string) {
		l = append(l, wrap(text, width)...)
	}
	para(fmt.Sprintf("%d. %s", n, s.name))
	para(capitalise(s.kind) + ", " + s.pattern)
	para(fmt.Sprintf("%.1f miles from home, in %s", s.miles, s.town))
	if s.inspection != "" {
		para(s.inspection)
	}
	l = append(l, "")
	if s.noNeeds {
		para("Needs: the referral lists none in particular, so none are compared here")
	} else {
		para("Can meet: " + orWord(s.canMeet, "none of the needs listed"))
		if len(s.cannotMeet) > 0 {
			para("Cannot meet: " + strings.Join(s.cannotMeet, "; "))
		}
	}
	if s.noFeatures {
		para("Features: none were asked for, so none are compared here")
	} else {
		para("Offers: " + orWord(s.offers, "none of the things asked for"))
		if len(s.notOffered) > 0 {
			para("Does not offer: " + strings.Join(s.notOffered, "; "))
		}
	}
	if s.taster != "" {
		para(s.taster)
	}
	if s.earliest != "" {
		para("Could start from " + longDate(s.earliest))
	}
	if prices {
		l = append(l, "")
		para(fmt.Sprintf("Cost: %s a week · total score %.2f", Pounds(s.weekly), s.total))
	}
	return l
}

func orWord(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, "; ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
