// What the new-user trials of 30 Nov 2026 found, each kept fixed: deadlines
// and received times, the core cost as issued, issuing, refusals put right,
// whole lines on a page.

package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// A bid keyed in after the deadline says it will be non-compliant, and
// the officer can give when it arrived: a bid that came in time by e-mail
// and is keyed in the next morning is not made late by the keying.
func TestBidKeyedInAfterTheDeadline(t *testing.T) {
	src, err := demoPath()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	copyFile(t, src, path)
	clock := testNow
	now := func() time.Time { return clock }
	s, err := store.Open(path, store.Options{Actor: "officer.test", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r, err := s.CreateReferral(store.Referral{Authority: "WSCC", ChildRef: "WSCC/EHCP/55502", Category: engine.CategorySEN,
		HomePostcode: "RH12 1AB", RadiusMiles: 25, QualityWeight: 50, Needs: []engine.Need{{ID: "ASD", Mark: 1}},
		Deadline: testNow.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	invited, err := s.Issue(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	clock = testNow.Add(20 * time.Hour) // the next morning
	e, _ := s.Establishment(invited[0])

	d := newDeskAt(t, s, 100, 34, now)
	d.openReferral(r.ID)
	d.keys("b")
	d.typeText(e.ID)
	d.keys("tab")
	d.mustSee("Received after the bid deadline", "the bid will be non-compliant")
	d.typeText(strings.TrimPrefix(Pounds(e.CoreWeeklyPence), "£"))
	d.keys("tab")
	d.typeText("150")
	d.keys("tab", "tab")
	d.typeText("ASD")
	d.keys("tab", "tab")
	d.typeText("80")
	d.keys("tab", "tab", "tab")
	d.typeText("in an hour")
	d.mustSee(`"in an hour" is not a date and time`)
	d.keys("ctrl+u")
	d.typeText(testNow.Add(time.Hour).Local().Format("02/01/2006 15:04"))
	d.mustNotSee("Received after the bid deadline")
	d.keys("ctrl+s")
	d.mustSee("Bid recorded for " + e.Name)
	bids, _ := s.Bids(r.ID)
	if len(bids) != 1 || !bids[0].Submitted.Equal(testNow.Add(time.Hour).Truncate(time.Minute)) {
		t.Fatalf("bids %+v", bids)
	}
	res, _, err := s.Rank(r.ID, 0)
	if err != nil || !slices.ContainsFunc(res.Ranked, func(b engine.RankedBid) bool { return b.Establishment == e.ID }) {
		t.Errorf("the bid that arrived in time is not ranked: %+v, %v", res.NonCompliant, err)
	}
}

// The builder refuses a bid deadline already past where it is typed: every
// bid would be late (the store refuses to issue it too).
func TestBuilderRefusesAPastDeadline(t *testing.T) {
	d := newDesk(t, testStore(t), 100, 34)
	d.keys("3", "n")
	d.mustSee("New referral")
	d.keys("shift+tab") // round to the last field: the deadline
	d.mustSee("Bid deadline")
	d.keys("ctrl+u")
	d.typeText(testNow.AddDate(0, 0, -1).Local().Format("02/01/2006"))
	d.mustSee("has passed: every bid would be late; give a later one")
	d.keys("ctrl+u")
	d.typeText(testNow.AddDate(0, 0, 10).Local().Format("02/01/2006"))
	d.mustNotSee("has passed")
}

// The bid form judges a core cost against the one the referral froze at
// issue, as the evaluation does: a fee uplift or an edit of the register
// since does not move it. A received time before the issue is refused
// where it is typed.
func TestBidFormUsesTheCoreCostAsIssued(t *testing.T) {
	s := testStore(t)
	r, err := s.CreateReferral(store.Referral{Authority: "WSCC", ChildRef: "WSCC/EHCP/55503", Category: engine.CategorySEN,
		HomePostcode: "RH12 1AB", RadiusMiles: 25, QualityWeight: 50, Needs: []engine.Need{{ID: "ASD", Mark: 1}},
		Deadline: testNow.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	invited, err := s.Issue(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := s.Establishment(invited[0])
	issued := e.CoreWeeklyPence
	e.CoreWeeklyPence += 10000 // £100 more on the register since
	if err := s.SaveEstablishment(e, ""); err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, s, 120, 34)
	d.openReferral(r.ID)
	d.keys("b")
	d.typeText(e.ID)
	d.keys("tab")
	d.mustSee("qualified core cost " + Pounds(issued) + " a week, as issued")
	d.typeText(strings.TrimPrefix(Pounds(issued+5000), "£"))
	d.mustSee("is above its qualified " + Pounds(issued) + ": the bid will be non-compliant")
	for range 8 {
		d.keys("tab") // to Received
	}
	d.typeText("01/01/2026 09:00")
	d.mustSee("is before the referral was issued")
}

// Issuing says what cannot be: with nobody eligible there is no question
// to answer, only what to do; a referral that lists no needs is issued
// only after the question says every bid will score the needs in full.
func TestIssueSaysWhatItCannotDo(t *testing.T) {
	s := testStore(t)
	far, err := s.CreateReferral(store.Referral{Authority: "WSCC", ChildRef: "WSCC/EHCP/55504", Category: engine.CategorySEN,
		HomePostcode: "ZE1 0", RadiusMiles: 5, QualityWeight: 50, Deadline: testNow.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, s, 120, 34)
	d.openReferral(far.ID)
	d.keys("I")
	d.mustSee("no establishment is eligible within 5 miles", "to widen the radius; nothing changed")
	d.mustNotSee("(y/n)")
	near, err := s.CreateReferral(store.Referral{Authority: "WSCC", ChildRef: "WSCC/EHCP/55505", Category: engine.CategorySEN,
		HomePostcode: "RH12 1AB", RadiusMiles: 25, QualityWeight: 50, Deadline: testNow.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	d = newDesk(t, s, 120, 34)
	d.openReferral(near.ID)
	d.keys("I")
	d.mustSee("lists none of the child's needs")
}

// A refusal's line goes once what it said is put right: it does not stand
// beside a form that would now save.
func TestARefusalGoesOncePutRight(t *testing.T) {
	d := newDesk(t, testStore(t), 100, 34)
	d.keys("3", "n")
	d.typeText("WSCC")
	d.keys("tab")
	d.typeText("WSCC/EHCP/55509")
	d.keys("tab")
	d.typeText("sen")
	d.keys("tab", "tab")
	d.typeText("RH12 1AB")
	for !strings.Contains(d.view(), "▸ Bid deadline") {
		d.keys("tab")
	}
	d.keys("ctrl+u")
	d.typeText(testNow.AddDate(0, 0, -1).Local().Format("02/01/2006"))
	d.keys("ctrl+s")
	d.mustSee("Error: not saved: Bid deadline:", "has passed")
	d.keys("ctrl+u")
	d.typeText(testNow.AddDate(0, 0, 10).Local().Format("02/01/2006"))
	d.mustNotSee("has passed", "Error: not saved")
	d.mustSee("Put right: ctrl+s saves it")
}

// A draft edited from its own page says it is saved and how to issue it,
// not to open it from the list the officer is not on.
func TestEditedDraftSaysHowToIssueIt(t *testing.T) {
	s := testStore(t)
	r, err := s.CreateReferral(store.Referral{Authority: "WSCC", ChildRef: "WSCC/EHCP/55506", Category: engine.CategorySEN,
		HomePostcode: "RH12 1AB", RadiusMiles: 25, QualityWeight: 50, Deadline: testNow.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, s, 100, 34)
	d.openReferral(r.ID)
	d.keys("e", "ctrl+s")
	d.mustSee("Draft "+r.ID+" saved: I issues it", "Referrals > "+r.ID)
	d.mustNotSee("open it from the list")
}

// A page's long line is wrapped under itself, its columns kept: nothing of
// it is cut at 80 columns.
func TestHangingKeepsEveryWord(t *testing.T) {
	line := "   [✓] insurance        checked 3 Jan 2026; valid to 11 Oct 2027; certificates seen: employer's, public and professional liability"
	got := hanging(line, 80)
	if len(got) != 2 || !strings.HasPrefix(got[0], "   [✓] insurance        checked") || !strings.HasPrefix(got[1], "     ") {
		t.Fatalf("%q", got)
	}
	var words []string
	for _, l := range got {
		if w := lipglossWidth(l); w > 80 {
			t.Errorf("%q is %d wide", l, w)
		}
		words = append(words, strings.Fields(l)...)
	}
	if strings.Join(words, " ") != strings.Join(strings.Fields(line), " ") {
		t.Errorf("words lost or changed: %q", got)
	}
	if short := "  a short line"; !slices.Equal(hanging(short, 80), []string{short}) {
		t.Errorf("a line that fits was changed")
	}
}

// A query typed puts the cursor on the best match, not on a record looked
// at before that the query also finds further down.
func TestTypingAQueryPutsTheCursorOnTheBestMatch(t *testing.T) {
	d := newDesk(t, testStore(t), 100, 30)
	reg := d.m.tabs[0].stack[0].(*register)
	d.keys("/")
	d.typeText("downridge house")
	d.keys("enter")
	if e, _ := reg.selected(); e.Name != "Downridge House" {
		t.Fatalf("looking at %q", e.Name)
	}
	d.keys("/", "ctrl+u")
	d.typeText("downridge s")
	if e, _ := reg.selected(); e.Name != "Downridge School" || reg.list.cursor != 0 {
		t.Errorf("after typing: %q at row %d", e.Name, reg.list.cursor)
	}
}
