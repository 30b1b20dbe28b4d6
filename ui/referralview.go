package ui

import (
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
)

// lines are the referral's page, top to bottom.
func (p *referralPage) lines() []string {
	st := p.ctx.Styles
	if p.err != nil {
		return []string{"  " + p.err.Error()}
	}
	r := p.r
	var l []string
	add := func(format string, args ...any) { l = append(l, " "+fmt.Sprintf(format, args...)) }
	add("%s  %s  %s  %s", st.Label.Render(r.ID), st.Label.Render(strings.ToUpper(r.Status.Title())), r.Authority, r.Category)
	add("Case reference %s (the authority's; never the child's name)", r.ChildRef)
	deadline := "-"
	if !r.Deadline.IsZero() {
		deadline = r.Deadline.Local().Format(dateTime)
	}
	widened := ""
	if n := len(r.Widenings); n > 0 {
		widened = " (widened " + times(n) + ")"
	}
	add("Home %s · radius %g miles%s · quality %d%% / price %d%%", r.HomePostcode, r.RadiusMiles, widened, r.QualityWeight, 100-r.QualityWeight)
	add("Bid deadline %s", deadline)
	add("Needs: %s", orNone(formatNeeds(r.Needs)))
	if len(r.Features) == 0 {
		add("Features: none asked for")
	} else {
		add("Features: %s  (! must-have)", formatFeatures(r.Features))
	}
	if r.SubCategory != "" || r.CohortSize > 0 || r.Incentive != "" {
		add("Sub-category: %s · cohort: %d · incentive: %s", orNone(r.SubCategory), r.CohortSize, orNone(r.Incentive))
	}
	if r.FollowUp != "" {
		add("%s", st.Warn.Render("Parents want more time: follow up on "+engine.ShowDate(r.FollowUp)))
	}
	switch {
	case r.Status == store.RefDraft:
		add("Not issued yet: %s issues it to everyone eligible then; %s edits it.", p.keys.Issue.Help().Key, p.keys.Edit.Help().Key)
	case r.IssuedAt.IsZero():
		add("Never issued: no one was invited.")
	default:
		add("Invited %s when issued %s (terms frozen then).", plural(len(r.Invited), "establishment"), r.IssuedAt.Local().Format(dateTime))
	}
	if r.Status == store.RefWithdrawn {
		add("%s", st.Warn.Render("Withdrawn: "+orNone(r.WithdrawnReason)))
	}
	l = append(l, "", " "+st.Title.Render(fmt.Sprintf("Bids (%d)", len(p.bids))))
	if len(p.bids) == 0 && r.Status != store.RefDraft {
		add("  none yet")
	}
	for _, b := range p.bids {
		eb := b.Engine()
		net := engine.NetWeeklyPence(&eb)
		line := fmt.Sprintf("  %s %s/week  outcomes %g  in %s", cell(p.name(b.Establishment), 24, p.ctx.Glyphs.Ellipsis), rcell(Pounds(net), 10, ""),
			b.OutcomesScore, b.Submitted.Local().Format("02 Jan 15:04"))
		if p.width >= 120 {
			line += fmt.Sprintf("  (core %s, variable %s, discount %g%%)", Pounds(b.CoreWeeklyPence), Pounds(b.VariableWeeklyPence), b.DiscountPct)
		}
		add("%s", line)
	}
	if a := p.award; a != nil {
		l = append(l, "", " "+st.Title.Render("Award"))
		add("  %s, from %s, %s a week", p.name(a.Establishment), engine.ShowDate(a.Start), Pounds(a.WeeklyPence))
		add("  %s, decided by %s on %s", capitalise(strings.ReplaceAll(string(a.Route), "_", " ")), a.DecidedBy, a.At.Local().Format(dateOnly))
		if a.Reason != "" {
			add("  The parents' reason: %s", a.Reason)
		}
		if a.Justification != "" {
			add("  Justification: %s", a.Justification)
		}
		if a.Terms != "" {
			add("  Terms: %s", a.Terms)
		}
	}
	if !slices.Contains([]store.ReferralStatus{store.RefAwarded, store.RefWithdrawn}, r.Status) {
		next := "Next: " + nextStep(r.Status)
		if err := p.ctx.Store.CanWrite(); err != nil {
			next = "Next, for someone who can change it: " + nextStep(r.Status)
		}
		l = append(l, "", " "+st.Muted.Render(next))
	}
	if r.Arrangement != "" {
		l = append(l, "", " "+fmt.Sprintf("Issued under %s: %s", r.Arrangement, r.Regime.Title()))
	}
	return append(l, p.invitedLines()...)
}

func (p *referralPage) View() string {
	foot := p.modal.view(p.ctx.Styles, p.width)
	page := p.page // a copy: drawing changes nothing
	if foot != "" {
		page.height = max(1, p.height-strings.Count(foot, "\n")-2)
		foot = "\n\n" + foot
	}
	return strings.Join(page.window(p.lines()), "\n") + foot
}

// invitedLines list whom the referral invited, each with where its bid
// stands, so a bid is entered for a name seen here.
func (p *referralPage) invitedLines() []string {
	r := p.r
	if len(r.Invited) == 0 {
		return nil
	}
	st, el := p.ctx.Styles, p.ctx.Glyphs.Ellipsis
	bid := map[string]bool{}
	for _, b := range p.bids {
		bid[b.Establishment] = true
	}
	l := []string{"", " " + st.Title.Render(fmt.Sprintf("Invited (%d)", len(r.Invited)))}
	for _, id := range r.Invited {
		state := "no bid yet"
		switch {
		case bid[id]:
			state = "bid in"
		case r.Status != store.RefIssued:
			state = "no bid"
		}
		l = append(l, "   "+cell(p.name(id), max(20, min(40, p.width-30)), el)+" "+cell(id, 10, el)+" "+state)
	}
	return l
}

// leftOutNamed says who is left out and why, naming up to three:
// " (2 left out: insurance expired: Hillgreen School, Oak Lodge)".
func leftOutNamed(s *store.Store, left []engine.LeftOut) string {
	if len(left) == 0 {
		return ""
	}
	var names []string
	for _, l := range left[:min(3, len(left))] {
		name := l.Establishment
		if e, err := s.Establishment(l.Establishment); err == nil {
			name = e.Name
		}
		names = append(names, name)
	}
	more := ""
	if len(left) > 3 {
		more = fmt.Sprintf(" and %d more", len(left)-3)
	}
	return " (" + store.LeftOutText(left) + ": " + strings.Join(names, ", ") + more + ")"
}

// outcomeWords says an evaluation's outcome, the recommended bidder by
// name: "recommended award to Ashcombe Lodge (SC127262)".
func outcomeWords(res engine.Result, name func(id string) string) string {
	switch res.Outcome {
	case engine.OutcomeRecommended:
		if n := name(res.Recommended); n != "" && n != res.Recommended {
			return "recommended award to " + n + " (" + res.Recommended + ")"
		}
		return "recommended award to " + res.Recommended
	case engine.OutcomeParentChoice:
		return fmt.Sprintf("the parents choose among %s", plural(len(res.ParentChoice), "bid"))
	}
	return "no suitable bid (W widens and re-issues)"
}

func (p *referralPage) name(id string) string {
	if n := p.names[id]; n != "" {
		return n
	}
	return id
}

// nextStep says the usual next steps from a state with their keys, from
// the store's lifecycle table.
func nextStep(s store.ReferralStatus) string {
	keys := keymap.NewReferral()
	byStep := map[store.Step]key.Binding{
		store.StepEdit: keys.Edit, store.StepIssue: keys.Issue, store.StepBid: keys.Bid, store.StepClose: keys.Close,
		store.StepEvaluate: keys.Evaluate, store.StepAward: keys.Award, store.StepParentChoice: keys.Meeting,
		store.StepReissue: keys.Reissue, store.StepDirect: keys.Direct, store.StepBlock: keys.Block, store.StepWithdraw: keys.Withdraw,
	}
	var parts []string
	for _, t := range store.NextSteps(s) {
		b, ok := byStep[t.Step]
		if !ok {
			continue
		}
		parts = append(parts, b.Help().Key+" "+t.Does)
	}
	return strings.Join(parts, "; ")
}
