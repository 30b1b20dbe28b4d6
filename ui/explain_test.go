package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

// firstReferral is the first of the demo's referrals with the status for
// which ok holds of its ranking.
func firstReferral(t *testing.T, s *store.Store, st store.ReferralStatus, ok func(engine.Result) bool) (string, engine.Result, *store.Competition) {
	t.Helper()
	rows, err := s.ReferralRows()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Status != st {
			continue
		}
		res, c, err := s.Rank(r.ID, 0)
		if err == nil && ok(res) {
			return r.ID, res, c
		}
	}
	t.Fatalf("the demo has no %s referral of that kind", st)
	return "", engine.Result{}, nil
}

// enter on a ranked bid explains its place: each criterion's points out
// of its maximum and why, each of the referral's needs and features by
// name; esc goes back to the ranked view with the cursor where it was.
func TestEnterExplainsARankedBid(t *testing.T) {
	s := testStore(t)
	id, res, c := firstReferral(t, s, store.RefParentChoice, func(r engine.Result) bool { return len(r.Ranked) >= 2 })
	d := newDesk(t, s, 80, 24)
	d.openReferral(id)
	d.keys("r", "j", "enter")
	second := res.Ranked[1]
	w := res.Weights
	d.mustSee(c.Names[second.Establishment], fmt.Sprintf("ranked 2 of %d, %s of 100 points", len(res.Ranked), Points2(second.Total)),
		fmt.Sprintf("Price: %s of %s", Points2(second.Points.Price), weightText(w.Price)),
		fmt.Sprintf("Core competency: %s of %s", Points2(second.Points.CoreCompetency), weightText(w.CoreCompetency)),
		"The lowest compliant bid is", "Qualification score")
	var page []string
	for range 6 { // the whole page, a screen at a time
		page = append(page, d.view())
		d.keys("pgdown")
	}
	all := strings.Join(page, "\n")
	for _, n := range c.Engine.Referral.Needs {
		if !strings.Contains(all, engine.NeedTitle(n.ID)+" ("+n.ID+")") {
			t.Errorf("the page does not name the need %s:\n%s", n.ID, all)
		}
	}
	for _, f := range c.Engine.Referral.Features {
		if !strings.Contains(all, engine.FeatureTitle(f.ID)+" ("+f.ID+")") {
			t.Errorf("the page does not name the feature %s:\n%s", f.ID, all)
		}
	}
	for _, want := range []string{"Needs met:", "Outcomes approach:", "Location:", "Desirable features:",
		"Total: ", "= " + Points2(second.Total), "Core: core competency, out of " + weightText(w.CoreCompetency)} {
		if !strings.Contains(all, want) {
			t.Errorf("the page lacks %q:\n%s", want, all)
		}
	}
	d.keys("esc")
	d.mustSee(d.m.ctx.Glyphs.Cursor+"  2", id+" ranked")
}

// A bid not ranked is reached below the ranked ones and its page gives
// every reason.
func TestEnterExplainsABidNotRanked(t *testing.T) {
	s := testStore(t)
	for _, st := range []store.ReferralStatus{store.RefEvaluated, store.RefParentChoice, store.RefAwarded, store.RefIssued, store.RefBidsClosed} {
		rows, _ := s.ReferralRows()
		for _, r := range rows {
			if r.Status != st {
				continue
			}
			res, c, err := s.Rank(r.ID, 0)
			if err != nil || len(res.NonCompliant) == 0 {
				continue
			}
			d := newDesk(t, s, 80, 24)
			d.openReferral(r.ID)
			d.keys("r")
			for range len(res.Ranked) {
				d.keys("j")
			}
			nc := res.NonCompliant[0]
			d.mustSee(d.m.ctx.Glyphs.Cursor + "  " + c.Names[nc.Establishment])
			d.keys("enter")
			d.mustSee(c.Names[nc.Establishment], "not compliant, not ranked", "Every reason:")
			for _, w := range nc.Words() {
				d.mustSee(w)
			}
			return
		}
	}
	t.Skip("the demo has no bid that is not compliant")
}

// An awarded referral's bids are explained from the evaluation kept with
// the award: its figures, said to be as awarded.
func TestAnAwardedBidIsExplainedAsKept(t *testing.T) {
	s := testStore(t)
	id, _, c := firstReferral(t, s, store.RefAwarded, func(r engine.Result) bool { return len(r.Ranked) > 0 })
	if c.Decision == nil {
		t.Fatal("no decision kept")
	}
	kept := c.Decision.Result.Ranked[0]
	d := newDesk(t, s, 80, 24)
	d.openReferral(id)
	d.keys("r", "enter")
	d.mustSee("As awarded "+engine.DateText(c.Decision.Day), fmt.Sprintf("ranked 1 of %d, %s of 100 points", len(c.Decision.Result.Ranked), Points2(kept.Total)),
		fmt.Sprintf("Price: %s of", Points2(kept.Points.Price)))
}

// The what-if question says what enter does (re-rank; nothing is saved),
// and the what-if heading fits 80 columns.
func TestWhatIfSaysItSavesNothing(t *testing.T) {
	s := testStore(t)
	id, _, _ := firstReferral(t, s, store.RefParentChoice, func(r engine.Result) bool { return len(r.Ranked) > 0 })
	d := newDesk(t, s, 80, 24)
	d.openReferral(id)
	d.keys("r", "w")
	d.mustSee("re-rank at it (nothing is saved)")
	d.mustNotSee("enter: save", "enter save")
	d.typeText("7x")
	d.keys("enter") // not a weight: the question stays, with what was typed
	d.mustSee("whole number from 30 to 70", "7x")
	d.keys("backspace", "backspace")
	d.typeText("60")
	d.keys("enter")
	d.mustSee("WHAT IF quality 60% / price 40%: nothing saved, 0 goes back")
	d.keys("?")
	d.mustSee("Core: core competency, out of 24", "Price: price, out of 40")
}

// From the builder, the officer sees who would be invited, nearest first,
// and who would be left out and why; the list changes nothing and esc
// goes back to the builder with what was typed.
func TestBuilderListsWhoWouldBeInvited(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 80, 24)
	d.keys("3", "n")
	d.typeText("WSCC")
	d.keys("tab")
	d.typeText("WSCC/EHCP/55501")
	d.keys("tab")
	d.typeText("sen")
	d.keys("tab", "tab")
	d.typeText("RH12 1AB")
	d.mustSee("ctrl+o lists them")
	r := store.Referral{Category: engine.CategorySEN, HomePostcode: "RH12 1AB", RadiusMiles: 20}
	loc, err := geo.Default().Resolve("RH12 1AB")
	if err != nil {
		t.Fatal(err)
	}
	r.Home = loc
	invited, left, err := s.Invitations(r, testNow)
	if err != nil {
		t.Fatal(err)
	}
	d.send(tea.KeyMsg{Type: tea.KeyCtrlO})
	d.mustSee(fmt.Sprintf("Would invite %d establishments within 20 miles", len(invited)), "nearest first", "   1. ")
	var page []string
	for range 1 + len(invited)/15 {
		page = append(page, d.view())
		d.keys("pgdown")
	}
	all := strings.Join(page, "\n")
	rows, _ := s.Register()
	for _, row := range rows {
		if slices.Contains(invited, row.ID) && !strings.Contains(all, row.Name+" ("+row.ID+")") {
			t.Errorf("%s is not listed:\n%s", row.Name, all)
		}
	}
	// Nearest first: the distances never fall.
	at := map[int]float64{}
	for _, l := range strings.Split(all, "\n") {
		var n int
		var m float64
		if _, err := fmt.Sscanf(strings.TrimSpace(l), "%d. %f miles", &n, &m); err == nil {
			at[n] = m
		}
	}
	if len(at) != len(invited) {
		t.Errorf("%d numbered rows, %d invited", len(at), len(invited))
	}
	for n := 2; n <= len(invited); n++ {
		if at[n] < at[n-1] {
			t.Errorf("row %d at %.1f miles comes after %.1f", n, at[n], at[n-1])
		}
	}
	if len(left) > 0 {
		d.mustSee("Left out, failing a criterion today")
	}
	d.keys("esc")
	d.mustSee("New referral", "RH12 1AB")
}
