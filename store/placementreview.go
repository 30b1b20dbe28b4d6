package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
)

// ReviewRequest is a review as the officer records it.
type ReviewRequest struct {
	Placement string
	Date      string // YYYY-MM-DD, not in the future
	Findings  []OutcomeFinding
	Ratings   engine.DeliveryRatings
	Reduction *Reduction // requirements reduced: the variable cost from a day
	Note      string
}

// RecordReview records one review of a live placement: a finding for
// each desired outcome, the provider's delivery rated on its three method
// statements, any requirement reduced (a new cost period: the history is
// kept) and the incentive earned when its outcomes are all met by its day.
// One transaction: the review's entry, and the cost change's when there is
// one.
func (s *Store) RecordReview(req ReviewRequest) error {
	return s.update(func(tx *Tx) error { return tx.recordReview(req) })
}

func (tx *Tx) recordReview(req ReviewRequest) error {
	p, err := tx.placement(req.Placement)
	if err != nil {
		return err
	}
	var ps problems
	if p.Status != PlacementLive {
		return fmt.Errorf("placement %s ended on %s (%s): an ended placement is not reviewed", p.ID, engine.ShowDate(p.Ended.Date), p.Ended.Reason.Title())
	}
	today := tx.now.Format(time.DateOnly)
	switch {
	case !ValidDate(req.Date):
		ps.add("date", "%q is not a real date (YYYY-MM-DD)", req.Date)
	case req.Date > today:
		ps.add("date", "%s is in the future: record a review once it is held", req.Date)
	case req.Date < p.Start:
		ps.add("date", "%s is before the placement started (%s)", req.Date, p.Start)
	case req.Date < p.LastReview():
		ps.add("date", "%s is before the last review (%s)", req.Date, p.LastReview())
	}
	for f, m := range req.Ratings.Problems() {
		ps.add("ratings."+f, "%s", m)
	}
	results := map[string]engine.OutcomeResult{}
	var findings []OutcomeFinding
	for _, f := range req.Findings {
		f.Note = strings.TrimSpace(f.Note)
		checkText(&ps, "findings."+f.Outcome, f.Note, MaxNoteLen)
		switch {
		case !slices.Contains(p.Outcomes, f.Outcome):
			ps.add("findings", "%q is not one of the placement's desired outcomes", f.Outcome)
		case !engine.KnownOutcomeResult(f.Result):
			ps.add("findings."+f.Outcome, "%q is not met, progressing or not met", f.Result)
		case results[f.Outcome] != "":
			ps.add("findings."+f.Outcome, "found twice")
		default:
			results[f.Outcome] = f.Result
			findings = append(findings, f)
		}
	}
	for _, o := range p.Outcomes {
		if results[o] == "" {
			ps.add("findings", "no finding for the outcome %q", o)
		}
	}
	note := strings.TrimSpace(req.Note)
	checkText(&ps, "note", note, MaxNoteLen)
	var cost *CostPeriod
	if req.Reduction != nil {
		cost = reduction(&ps, &p, *req.Reduction, req.Date)
	}
	if err := ps.err("review of placement " + p.ID); err != nil {
		return err
	}
	rv := Review{Date: req.Date, Findings: findings, Ratings: req.Ratings, Reduction: req.Reduction, Note: note, By: tx.s.actor, At: tx.now}
	changes := []Change{{Field: "review", After: req.Date}}
	for _, f := range findings {
		changes = append(changes, Change{Field: "outcome: " + f.Outcome, After: f.Result.Title() + noteSuffix(f.Note)})
	}
	changes = append(changes, Change{Field: "ratings", After: fmt.Sprintf("workforce %d, outcomes framework %d, contract management %d",
		req.Ratings.Workforce, req.Ratings.OutcomesFramework, req.Ratings.ContractManagement)})
	if in := p.Incentive; in != nil && in.Earned == "" && engine.IncentiveEarned(in.Outcomes, results, day(req.Date), day(in.By)) {
		rv.IncentiveEarned = true
		p.Incentive = &Incentive{PremiumPence: in.PremiumPence, Outcomes: in.Outcomes, By: in.By, Earned: req.Date}
		changes = append(changes, Change{Field: "incentive", Before: "not earned", After: fmt.Sprintf("earned: %s premium, every outcome it is tied to met by %s", Pounds(in.PremiumPence), in.By)})
	}
	if note != "" {
		changes = append(changes, Change{Field: "note", After: note})
	}
	old := p
	p.Reviews = append(slices.Clip(p.Reviews), rv)
	if cost == nil {
		return tx.putPlacement(p, &old, "placement.review", changes...)
	}
	// The review and the cost change are two entries of one change.
	cost.By, cost.At = tx.s.actor, tx.now
	before := p.CostOn(cost.From)
	p.Costs = append(slices.Clip(p.Costs), *cost)
	tx.audit("placement.review", p.ID, changes...)
	return tx.putPlacement(p, &old, "placement.cost",
		Change{Field: "from", After: cost.From},
		Change{Field: "variable_weekly_pence", Before: fmt.Sprint(before.VariableWeeklyPence), After: fmt.Sprint(cost.VariableWeeklyPence)},
		Change{Field: "net_weekly_pence", Before: fmt.Sprint(before.NetWeeklyPence), After: fmt.Sprint(cost.NetWeeklyPence)},
		Change{Field: "why", After: cost.Why})
}

// reduction checks a requirement reduction and makes its cost period: the
// variable cost lowered (never raised) from a day on or after the start,
// the review and the latest cost change.
func reduction(ps *problems, p *Placement, r Reduction, reviewDay string) *CostPeriod {
	r.Why = strings.TrimSpace(r.Why)
	checkText(ps, "reduction.why", r.Why, MaxNoteLen)
	if r.Why == "" {
		ps.add("reduction.why", "say which requirement was reduced")
	}
	if !ValidDate(r.From) {
		ps.add("reduction.from", "%q is not a real date (YYYY-MM-DD)", r.From)
		return nil
	}
	last := p.Costs[len(p.Costs)-1].From
	if r.From < reviewDay {
		ps.add("reduction.from", "%s is before the review (%s): a reduction applies from the review on", r.From, reviewDay)
	}
	if r.From < last {
		ps.add("reduction.from", "the weekly cost already changes on %s: a later change starts on or after it", last)
	}
	cur := p.CostOn(r.From)
	if r.VariableWeeklyPence < 0 || r.VariableWeeklyPence >= cur.VariableWeeklyPence {
		ps.add("reduction.variable_weekly_pence", "a reduction lowers the variable cost below %s a week, to £0 at least; %s is not lower", Pounds(cur.VariableWeeklyPence), Pounds(r.VariableWeeklyPence))
		return nil
	}
	c := CostPeriod{From: r.From, CoreWeeklyPence: cur.CoreWeeklyPence, VariableWeeklyPence: r.VariableWeeklyPence, DiscountPct: cur.DiscountPct,
		Why: "requirements reduced at review " + reviewDay + ": " + r.Why}
	c.net()
	return &c
}

func noteSuffix(n string) string {
	if n == "" {
		return ""
	}
	return ": " + n
}

// EndPlacement ends a live placement on a day, for a reason: no cost after
// it.
func (s *Store) EndPlacement(id, date string, reason engine.EndReason, note string) error {
	return s.update(func(tx *Tx) error { return tx.endPlacement(id, date, reason, note) })
}

func (tx *Tx) endPlacement(id, date string, reason engine.EndReason, note string) error {
	p, err := tx.placement(id)
	if err != nil {
		return err
	}
	if p.Status != PlacementLive {
		return fmt.Errorf("placement %s ended already, on %s", p.ID, engine.ShowDate(p.Ended.Date))
	}
	var ps problems
	note = strings.TrimSpace(note)
	switch {
	case !ValidDate(date):
		ps.add("date", "%q is not a real date (YYYY-MM-DD)", date)
	case date < p.Start:
		ps.add("date", "%s is before the placement started (%s)", date, p.Start)
	case date < p.LastReview():
		ps.add("date", "%s is before its last review (%s)", date, p.LastReview())
	}
	if !slices.Contains(engine.EndReasons(), reason) {
		ps.add("reason", "%q is not a reason a placement ends (planned_move, step_down, breakdown, provider_notice, left_area)", reason)
	}
	checkText(&ps, "note", note, MaxNoteLen)
	if err := ps.err("ending of placement " + p.ID); err != nil {
		return err
	}
	old := p
	p.Status, p.Ended = PlacementEnded, &Ending{Date: date, Reason: reason, Note: note, By: tx.s.actor, At: tx.now}
	ch := []Change{{Field: "status", Before: string(PlacementLive), After: string(PlacementEnded)}, {Field: "end", After: date},
		{Field: "reason", After: reason.Title()}}
	if note != "" {
		ch = append(ch, Change{Field: "note", After: note})
	}
	return tx.putPlacement(p, &old, "placement.end", ch...)
}

// SetPlacementTerms records the placement's desired outcomes and its
// incentive (premium, the outcomes it is tied to, its day), as the
// Individual Placement Agreement sets them. Outcomes already reviewed stay;
// an earned incentive is not changed.
func (s *Store) SetPlacementTerms(id string, outcomes []string, in *Incentive) error {
	return s.update(func(tx *Tx) error { return tx.setPlacementTerms(id, outcomes, in) })
}

func (tx *Tx) setPlacementTerms(id string, outcomes []string, in *Incentive) error {
	p, err := tx.placement(id)
	if err != nil {
		return err
	}
	if p.Status != PlacementLive {
		return fmt.Errorf("placement %s has ended: its terms are kept as they were", p.ID)
	}
	var ps problems
	outcomes = cleanList(outcomes)
	checkList(&ps, "outcomes", outcomes)
	for _, rv := range p.Reviews {
		for _, f := range rv.Findings {
			if !slices.Contains(outcomes, f.Outcome) {
				ps.add("outcomes", "%q was reviewed on %s and stays", f.Outcome, rv.Date)
			}
		}
	}
	if in != nil {
		in = &Incentive{PremiumPence: in.PremiumPence, Outcomes: cleanList(in.Outcomes), By: in.By}
		if p.Incentive != nil && p.Incentive.Earned != "" {
			ps.add("incentive", "was earned at the review of %s and is not changed", p.Incentive.Earned)
		}
		if in.PremiumPence <= 0 || in.PremiumPence > 10_000_000 {
			ps.add("incentive.premium_pence", "a premium is more than £0 and at most £100,000.00")
		}
		if !ValidDate(in.By) {
			ps.add("incentive.by", "%q is not a real date (YYYY-MM-DD)", in.By)
		}
		if len(in.Outcomes) == 0 {
			ps.add("incentive.outcomes", "name the outcomes it is paid for")
		}
		for _, o := range in.Outcomes {
			if !slices.Contains(outcomes, o) {
				ps.add("incentive.outcomes", "%q is not one of the desired outcomes", o)
			}
		}
	} else if p.Incentive != nil && p.Incentive.Earned != "" {
		in = p.Incentive
	}
	if err := ps.err("terms of placement " + p.ID); err != nil {
		return err
	}
	old := p
	p.Outcomes, p.Incentive = outcomes, in
	ch := diffRecords(struct {
		Outcomes  []string   `json:"outcomes"`
		Incentive *Incentive `json:"incentive"`
	}{old.Outcomes, old.Incentive}, struct {
		Outcomes  []string   `json:"outcomes"`
		Incentive *Incentive `json:"incentive"`
	}{p.Outcomes, p.Incentive}, false)
	if len(ch) == 0 {
		return nil
	}
	return tx.putPlacement(p, &old, "placement.terms", ch...)
}

// Pounds writes pence as £1,234.56.
func Pounds(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	whole := fmt.Sprint(p / 100)
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return fmt.Sprintf("%s£%s.%02d", sign, whole, p%100)
}
