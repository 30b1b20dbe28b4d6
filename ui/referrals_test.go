package ui

import (
	"slices"
	"strings"
	"testing"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// openReferral opens a referral from the list by its id.
func (d *desk) openReferral(id string) {
	d.t.Helper()
	d.keys("3", "/")
	d.typeText(strings.ToLower(id))
	d.keys("enter", "enter")
	d.mustSee("Referrals > " + id)
}

func TestBuildIssueBidEvaluateAward(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.keys("3")
	d.mustSee("[3 Referrals]", "25 of 25 referrals", "parent choice")
	d.keys("n")
	d.mustSee("New referral", "Case ref, never a name")
	d.typeText("WSCC")
	d.keys("tab")
	d.typeText("WSCC/EHCP/55501")
	d.keys("tab")
	d.typeText("sen")
	d.keys("tab", "tab")
	d.typeText("GU29 9")
	d.keys("tab")
	d.typeText("5") // replaces the default 20: a radius typed, not appended
	d.keys("tab")
	d.mustSee("within 5 miles: under 3; ctrl+w widens 10 miles")
	refs, _ := s.Referrals()
	if len(refs) != 25 { // the demo's 13 referrals and 12 earlier awards
		t.Fatalf("a draft was saved before the officer saved it: %d referrals", len(refs))
	}
	// Widening starts from the radius on screen and is recorded with the
	// draft when it is saved.
	d.keys("shift+tab")
	for range 3 {
		d.keys("ctrl+w")
	}
	d.mustSee("within 35 miles", "Widened 3 times")
	d.typeText("4") // the widened value is replaced, not appended to
	d.mustSee("within 4 miles")
	d.keys("backspace")
	d.typeText("35")
	d.keys("tab")
	d.typeText("60") // the focus is on the quality weight

	d.mustSee("Quality 60 / price 40")
	d.keys("tab")
	d.typeText("ASD:2; XYZ")
	d.mustSee(`Needs (marks): "XYZ" is not a need of this category`)
	for range 5 {
		d.keys("backspace")
	}
	d.keys("tab")
	d.typeText("wheelchair-access!; taster-day")
	d.keys("ctrl+s")
	d.mustSee("Referral saved as a draft")
	refs, _ = s.Referrals()
	draft := refs[len(refs)-1] // numbered after the demo's referrals
	r, _ := s.Referral(draft.ID)
	if r.Status != store.RefDraft || r.ChildRef != "WSCC/EHCP/55501" || r.RadiusMiles != 35 || len(r.Widenings) != 3 || r.Widenings[0].From != 5 {
		t.Fatalf("the draft as saved: %+v", r)
	}
	if r.QualityWeight != 60 || len(r.Needs) != 1 || r.Needs[0] != (engine.Need{ID: "ASD", Mark: 2}) || !r.Features[0].Must {
		t.Fatalf("saved %+v", r)
	}

	// The keys move it on; a step not open says so.
	d.openReferral(r.ID)
	d.mustSee("DRAFT", "Case reference WSCC/EHCP/55501", "Next: I issues it")
	d.mustNotSee("0001-01-01")
	d.keys("C")
	d.mustSee("Error: " + r.ID + " is draft: cannot close it to bids (only when issued); next: issue it")
	d.keys("I")
	d.mustSee("Issue " + r.ID + " to the")
	d.keys("y")
	d.mustSee("ISSUED", "Issued "+r.ID)
	r, _ = s.Referral(r.ID)
	if r.Status != store.RefIssued || len(r.Invited) == 0 {
		t.Fatalf("after issue: %s, %d invited", r.Status, len(r.Invited))
	}
	// Two bids by hand.
	for i, id := range r.Invited[:2] {
		e, _ := s.Establishment(id)
		d.keys("b")
		d.typeText(id)
		d.keys("tab")
		d.typeText(strings.TrimPrefix(Pounds(e.CoreWeeklyPence), "£"))
		d.keys("tab")
		d.typeText([]string{"150", "900"}[i])
		d.keys("tab", "tab")
		d.typeText("ASD")
		d.keys("tab")
		d.typeText("wheelchair-access")
		d.keys("tab")
		d.typeText("80")
		d.keys("ctrl+s")
		d.mustSee("Bid recorded")
	}
	d.mustSee("Bids (2)")
	d.keys("C")
	d.mustSee("Close "+r.ID+" early?", "have not bid and", "remain before the deadline")
	d.keys("y")
	d.mustSee("Bids closed")
	d.keys("v")
	d.mustSee("Evaluated: recommended award to", "Ranked", "recommended: no other bid is within 5.00 points")
	d.mustNotSee("recommended award to 1", "recommended award to SC") // named, not an id alone
	// What if: the preview changes nothing.
	d.keys("w")
	d.typeText("30")
	d.keys("enter")
	d.mustSee("WHAT IF", "quality 30% / price 70%")
	if r, _ := s.Referral(r.ID); r.QualityWeight != 60 {
		t.Fatal("the what-if changed the referral")
	}
	d.keys("0", "esc")
	d.keys("a")
	d.mustSee("Award " + r.ID + " to the recommended bid")
	d.keys("ctrl+s")
	d.mustSee("Awarded "+r.ID, "AWARDED", "Competition, decided by officer.test")
	a, err := s.AwardOf(r.ID)
	if err != nil || a.Route != store.RouteCompetition || a.WeeklyPence == 0 {
		t.Fatalf("award %+v %v", a, err)
	}
}

func TestParentChoiceNeedsTheShortlistAndAReason(t *testing.T) {
	s := testStore(t)
	refs, _ := s.Referrals()
	var id string
	for _, r := range refs {
		if r.Status == store.RefParentChoice {
			id = r.ID
			break
		}
	}
	res, _, _ := s.Rank(id, 0)
	d := newDesk(t, s, 100, 30)
	d.openReferral(id)
	d.keys("a")
	d.mustSee("Record the parents' choice for "+id, "The shortlist: 1 ")
	d.typeText("4")
	d.mustSee("! one of the shortlist")
	d.keys("backspace")
	d.typeText("2")
	d.keys("tab", "ctrl+s")
	d.mustSee("Error: not saved: Their reason: the parents' reason is required")
	d.keys("shift+tab", "tab")
	d.typeText("nearer to his grandparents")
	d.keys("ctrl+s")
	d.mustSee("Awarded " + id)
	a, _ := s.AwardOf(id)
	if a.Route != store.RouteParentChoice || a.Establishment != res.ParentChoice[1] || a.Reason != "nearer to his grandparents" {
		t.Errorf("award %+v", a)
	}
}

func TestDirectPlacementNeedsAJustification(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.openReferral("REF-2026-0010") // no suitable bid
	d.mustSee("NO SUITABLE BID", "Next: W widens the radius")
	d.keys("D")
	d.mustSee("Direct placement for REF-2026-0010")
	d.keys("ctrl+s")
	d.mustSee("Error: not saved: Establishment")
	d.keys("esc", "y")
	d.keys("W")
	d.mustSee("Widen REF-2026-0010 by 10 miles (to 30) and issue it again to the")
	d.keys("y")
	d.mustSee("New bid deadline (e.g. 22/11/2026 17:00): 06/12/2026 12:00")
	d.typeText("2026-11-01") // the first key replaces the date offered
	d.keys("enter")
	d.mustSee("the new bid deadline must be after now; nothing changed", "New bid deadline (e.g. 22/11/2026 17:00): 2026-11-01")
	if r, _ := s.Referral("REF-2026-0010"); r.Status != store.RefNoSuitableBid {
		t.Fatalf("a refused re-issue changed the referral: %s", r.Status)
	}
	d.keys("ctrl+u")
	d.typeText("2026-12-09 17:00")
	d.keys("enter")
	d.mustSee("Widened to 30 miles and re-issued", "bids by 9 Dec 2026 17:00", "ISSUED", "widened once")
	r, _ := s.Referral("REF-2026-0010")
	if r.Status != store.RefIssued || r.Frozen == nil || !r.Frozen.At.Equal(r.IssuedAt) || r.Deadline.Local().Format("2006-01-02 15:04") != "2026-12-09 17:00" {
		t.Errorf("after the re-issue: %s, frozen %v, deadline %s", r.Status, r.Frozen != nil, r.Deadline)
	}
}

// TestBuilderSaysWhoIsLeftOutAndWhy: an establishment whose insurance has
// lapsed is counted out of the builder's live count, with the reason.
func TestBuilderSaysWhoIsLeftOutAndWhy(t *testing.T) {
	s := testStore(t)
	queue, _ := s.ReviewQueue(testNow)
	var lapsed store.Establishment
	for _, it := range queue {
		if e, _ := s.Establishment(it.ID); it.Kind == store.ReviewMustSuspend && it.Criterion == engine.CritInsurance && e.Categories[0] == engine.CategorySEN {
			lapsed = e
			break
		}
	}
	if lapsed.ID == "" {
		t.Fatal("no SEN school with lapsed insurance in the demo")
	}
	d := newDesk(t, s, 100, 30)
	d.keys("3", "n")
	d.typeText("WSCC")
	d.keys("tab")
	d.typeText("WSCC/EHCP/55502")
	d.keys("tab")
	d.typeText("sen")
	d.keys("tab", "tab")
	d.typeText(lapsed.Postcode)
	d.keys("tab")
	d.typeText("3")
	d.keys("tab")
	d.mustSee("left out: insurance expired", "within 3 miles")
	r := store.Referral{Category: engine.CategorySEN, HomePostcode: lapsed.Postcode, Home: lapsed.Location, RadiusMiles: 3}
	invited, left, _ := s.Invitations(r, testNow)
	if slices.Contains(invited, lapsed.ID) || !slices.ContainsFunc(left, func(l engine.LeftOut) bool { return l.Establishment == lapsed.ID }) {
		t.Errorf("%s counted in: invited %v, left out %+v", lapsed.Name, invited, left)
	}
}

// TestDiscardingTheBuilderLeavesNothing: nothing is saved until the
// officer saves, so discarding a half-built referral leaves no draft.
func TestDiscardingTheBuilderLeavesNothing(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.keys("3", "n")
	d.typeText("WSCC")
	d.keys("tab")
	d.typeText("WSCC/EHCP/55503")
	d.keys("tab")
	d.typeText("sen")
	d.keys("tab", "tab")
	d.typeText("RH12 1")
	d.keys("tab", "ctrl+w", "tab")
	d.keys("esc")
	d.mustSee("Discard")
	d.keys("y")
	d.mustSee("25 of 25 referrals")
	if refs, _ := s.Referrals(); len(refs) != 25 {
		t.Errorf("%d referrals after a discarded builder, want the demo's 25", len(refs))
	}
	if entries, _ := s.Audit(store.AuditFilter{Action: "referral.create"}); len(entries) != 25 {
		t.Errorf("%d referral.create entries, want 25", len(entries))
	}
}

// The case reference is checked against the authority's pattern as it is
// typed: a name is refused with an example; the category is taken in any
// case; a deadline is typed as a date people write.
func TestBuilderRefusesANameForACaseReference(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 160, 40)
	d.keys("3", "n")
	d.mustSee("New referral", "Case ref, never a name")
	d.typeText("wscc")
	d.keys("tab")
	d.typeText("Jack Smith")
	d.keys("tab")
	d.mustSee(`"Jack Smith" is not a WSCC case reference: type it as WSCC/EHCP/12345`)
	d.keys("shift+tab", "ctrl+u")
	d.typeText("wscc/ehcp/55509")
	d.keys("tab")
	d.mustNotSee("is not a WSCC case reference")
	d.typeText("SEN")
	d.keys("tab", "tab")
	d.typeText("GU29 9")
	d.keys("ctrl+s")
	d.mustSee("Referral saved as a draft", "WSCC/EHCP/55509")
	refs, _ := s.Referrals()
	var made *store.Referral
	for i := range refs {
		if refs[i].ChildRef == "WSCC/EHCP/55509" {
			made = &refs[i]
		}
	}
	if made == nil || made.Category != "sen" || made.Authority != "WSCC" {
		t.Fatalf("made %+v", made)
	}
}

// At 80 columns a deadline in another year says its year; this year's
// say only the day.
func TestReferralListSaysTheYearOfAnotherYearsDeadline(t *testing.T) {
	s := testStore(t)
	rows, _ := s.ReferralRows()
	var old, now store.ReferralRow
	for _, r := range rows {
		switch y := r.Deadline.Local().Year(); {
		case r.Deadline.IsZero():
		case y != testNow.Year() && old.ID == "":
			old = r
		case y == testNow.Year() && now.ID == "":
			now = r
		}
	}
	if old.ID == "" || now.ID == "" {
		t.Fatal("the demo has no deadlines in two years")
	}
	d := newDesk(t, s, 80, 24)
	d.keys("3", "/")
	d.typeText(strings.ToLower(old.ID))
	d.mustSee("Case ref", old.ID, old.ChildRef, old.Deadline.Local().Format("2 Jan 2006"))
	d = newDesk(t, s, 80, 24)
	d.keys("3", "/")
	d.typeText(strings.ToLower(now.ID))
	d.mustSee("Case ref", now.ID, now.ChildRef, " "+now.Deadline.Local().Format("2 Jan")+" ")
	d.mustNotSee(now.Deadline.Local().Format("2 Jan 2006"))
}
