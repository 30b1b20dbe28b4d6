package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

// awaitingChoice is the demo referral whose parents choose among the most
// settings.
func awaitingChoice(t testing.TB, s *store.Store) (store.Referral, []setting) {
	t.Helper()
	refs, _ := s.Referrals()
	var best store.Referral
	var bestSettings []setting
	for _, r := range refs {
		if r.Status != store.RefParentChoice {
			continue
		}
		_, st, err := shortlist(s, r.ID)
		if err == nil && len(st) > len(bestSettings) {
			best, bestSettings = r, st
		}
	}
	if best.ID == "" {
		t.Fatal("no demo referral awaits the parents' choice")
	}
	return best, bestSettings
}

func (d *desk) openMeeting(id string) {
	d.t.Helper()
	d.openReferral(id)
	d.keys("m")
	if _, ok, _ := d.m.ctx.Store.Profile(d.m.ctx.Store.Actor()); !ok && d.m.ctx.Store.CanWrite() == nil {
		d.mustSee("Your contact for families is not set")
		d.keys("y")
	}
	d.mustSee("Choosing a setting")
}

// private is what the family must not see unless shown on purpose: prices,
// scores, internal ids of establishments and other referrals.
func private(t *testing.T, text string, settings []setting, own string) {
	t.Helper()
	if strings.Contains(text, "£") || strings.Contains(text, "total score") || strings.Contains(strings.ToLower(text), "points") {
		t.Errorf("a price or score is shown:\n%s", text)
	}
	for _, s := range settings {
		if total := fmt.Sprintf("%.2f", s.total); strings.Contains(text, total) {
			t.Errorf("the total %s of %s is shown", total, s.name)
		}
		if strings.Contains(text, s.id) {
			t.Errorf("an internal establishment id %s is shown", s.id)
		}
	}
	for _, id := range regexp.MustCompile(`REF-\d{4}-\d{4}`).FindAllString(text, -1) {
		if id != own {
			t.Errorf("another referral %s is shown", id)
		}
	}
	if strings.Contains(strings.ToLower(text), "method statement") || strings.Contains(text, "outcomes score") {
		t.Errorf("an internal note is shown:\n%s", text)
	}
}

// familySafe checks a meeting screen as the family sees it: nothing of
// the desk outside meeting mode (tabs, the store, the login), no other
// child's case reference, no bidder outside the shortlist, and, unless
// prices were shown on purpose, no price or score.
func familySafe(t *testing.T, s *store.Store, d *desk, r store.Referral, settings []setting, pricesShown bool) {
	t.Helper()
	view := d.view()
	if !strings.Contains(view, "meeting mode") {
		t.Fatalf("left meeting mode:\n%s", view)
	}
	for _, outside := range []string{"Register", "Review", "Referrals", "Reports", "Audit", "Setup", "demo.db", "officer.test", "? help", "q quit"} {
		if strings.Contains(view, outside) {
			t.Fatalf("%q from outside meeting mode is on the family's screen:\n%s", outside, view)
		}
	}
	if !pricesShown {
		private(t, view, settings, r.ID)
	}
	refs, _ := s.Referrals()
	for _, o := range refs {
		if o.ID != r.ID && strings.Contains(view, o.ChildRef) {
			t.Fatalf("another child's case reference %s is shown:\n%s", o.ChildRef, view)
		}
	}
	res, c, _ := s.Rank(r.ID, 0)
	for _, b := range c.Bids {
		if !slices.Contains(res.ParentChoice, b.Establishment) && strings.Contains(view, c.Names[b.Establishment]) {
			t.Fatalf("a bidder outside the shortlist, %s, is shown:\n%s", c.Names[b.Establishment], view)
		}
	}
}

func TestMeetingShowsTheShortlistInPlainWords(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	if len(settings) != 3 {
		t.Fatalf("the demo's largest shortlist has %d settings, want 3", len(settings))
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		d := newDesk(t, s, size[0], size[1])
		d.openMeeting(r.ID)
		d.mustSee("case reference "+r.ChildRef, settings[0].name, "miles from home", "Can meet:", "Prices and scores are hidden",
			"the order is not a recommendation")
		familySafe(t, s, d, r, settings, false)
		if size[0] >= sideBySide {
			for _, st := range settings {
				d.mustSee(st.name)
			}
		} else {
			d.mustSee("Setting 1 of 3")
			d.keys("right")
			d.mustSee("Setting 2 of 3", settings[1].name)
		}
		// Showing prices asks first; no leaves them hidden.
		d.keys("s")
		d.mustSee("Show prices and scores to everyone who can see this screen? (y/n)")
		d.keys("n")
		familySafe(t, s, d, r, settings, false)
		d.keys("s", "y")
		d.mustSee("PRICES AND SCORES ARE SHOWN", "a week", "total score")
		d.keys("s")
		d.mustNotSee("PRICES AND SCORES ARE SHOWN", "£")
	}
}

func TestMeetingInspectionInPlainWords(t *testing.T) {
	for _, c := range []struct {
		in   store.Inspection
		want string
	}{
		{store.Inspection{Framework: engine.FrameworkISI, Grade: "Met", Date: "2024-04-17"}, "ISI inspected it in April 2024 and found it met every standard"},
		{store.Inspection{Framework: engine.FrameworkISI, Grade: "Not met", Date: "2024-04-17"}, "did not meet every standard"},
		{store.Inspection{Framework: engine.FrameworkOfsted, Grade: "Good", Date: "2023-10-02"}, "Ofsted inspected it in October 2023 and judged it good, the second of its four grades"},
		{store.Inspection{Framework: engine.FrameworkReportCard, Grade: "Needs attention", Date: "2026-02-02"}, "at least one area needs attention"},
		{store.Inspection{Framework: engine.FrameworkReportCard, Grade: "Expected standard", Date: "2026-02-02"}, "every area was at the standard expected"},
		{store.Inspection{Framework: engine.FrameworkCQC, Grade: "Outstanding", Date: "2025-01-09"}, "Care Quality Commission (CQC) inspected it in January 2025 and judged it outstanding, the highest"},
		{store.Inspection{Framework: engine.FrameworkUnregulated}, "Not inspected by a regulator"},
	} {
		if got := inspectionWords(c.in); !strings.Contains(got, c.want) {
			t.Errorf("%s %s: %q lacks %q", c.in.Framework, c.in.Grade, got, c.want)
		}
	}
}

func TestMeetingSaysSoWhenNoNeedsOrFeaturesAreListed(t *testing.T) {
	st := setting{name: "Oak House", kind: "independent special school", pattern: "day", town: "Hove", noNeeds: true, noFeatures: true}
	text := strings.Join(st.lines(1, 76, false), "\n")
	if strings.Contains(text, "none of the needs listed") || strings.Contains(text, "none of the things asked for") {
		t.Errorf("reads as if it meets none of the child's needs:\n%s", text)
	}
	for _, want := range []string{"the referral lists none in particular", "none were asked for"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

// TestMeetingIsARoomWithOneDoor presses every key the desk knows, at
// every step of meeting mode: the family's screen is all that is ever
// drawn, and nothing private shows unless prices were shown on purpose.
func TestMeetingIsARoomWithOneDoor(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		d := newDesk(t, s, size[0], size[1])
		d.openMeeting(r.ID)
		press := func(keys ...string) {
			t.Helper()
			for _, k := range keys {
				d.keys(k)
				familySafe(t, s, d, r, settings, false)
			}
		}
		// Every global key, list key and other screen's key does nothing.
		press("1", "2", "3", "4", "5", "6", "enter", "tab", "shift+tab", "g", "G", "/", "n", "r", "a", "e", "x", "d", "V",
			"f", "l", "right", "left", "j", "k", "down", "up", "pgdown", "ctrl+w", "ctrl+s", "space", "0", "backspace")
		d.mustSee("Choosing a setting")
		// ? lists only this screen's keys; any key closes it.
		press("?")
		d.mustSee("The keys of this screen", "record their choice", "leave (asks first)")
		d.mustNotSee("Register", "Audit")
		press("1")
		d.mustSee("Choosing a setting")
		// esc, q and ctrl+c ask once before leaving; no stays.
		for _, k := range []string{"esc", "q", "ctrl+c"} {
			press(k)
			d.mustSee("Leave the family's screen? (y/n)")
			press("1", "n")
			d.mustNotSee("Leave the family's screen?")
		}
		// A wrong number keeps the prompt open with what was typed.
		press("c", "9", "enter")
		d.mustSee("Which setting did they choose (1-3): 9", "the setting: type a number from 1 to 3")
		press("backspace", "0", "enter")
		d.mustSee("Which setting did they choose (1-3): 0", "type a number from 1 to 3")
		// The digits go into the prompt, never to the tabs.
		press("backspace", "4", "backspace", "2", "enter")
		d.mustSee("Their reason, in their own words")
		// An empty reason keeps the prompt open.
		press("enter")
		d.mustSee("Their reason, in their own words", "their reason is needed")
		// esc with something typed asks before discarding it; n keeps it.
		d.typeText("1 3 5 near gran")
		familySafe(t, s, d, r, settings, false)
		press("esc")
		d.mustSee("Discard what you typed?")
		press("n")
		d.mustSee("Their reason, in their own words: 1 3 5 near gran")
		press("enter")
		d.mustSee("Placement to start on")
		// A start date that is not one, or is past, keeps the prompt open.
		press("ctrl+u")
		d.typeText("2026-02-30")
		press("enter")
		d.mustSee(`the start date: "2026-02-30" is not a date: type it as 22/11/2026, 22 Nov`)
		press("ctrl+u")
		d.typeText("05/01/2026")
		press("enter")
		d.mustSee("the start date: 5 Jan 2026 is in the past")
		// esc at the start date, then at an empty prompt, ends the choice
		// without recording anything.
		press("esc", "y")
		d.mustSee("Choosing a setting")
		press("c", "esc")
		d.mustSee("Choosing a setting")
		// More time: esc at each of its steps.
		press("t", "esc")
		press("t")
		d.typeText("tomorrow")
		press("enter")
		d.mustSee(`the follow-up date: "tomorrow" is not a date: type it as 22/11/2026`)
		press("esc", "y", "t")
		d.typeText("2026-12-01")
		press("enter")
		d.mustSee("What they want first")
		press("enter")
		d.mustSee("say what they want first")
		press("esc")
		d.mustSee("Choosing a setting")
		// esc at the last question of each, and at showing prices.
		press("c", "1", "enter")
		d.typeText("near gran")
		press("enter", "ctrl+u")
		d.typeText("14 December 2026")
		press("enter")
		d.mustSee("Record: the family chose")
		press("n") // n goes back to the date, kept
		d.mustSee("Placement to start on: 14 Dec 2026")
		press("enter")
		d.mustSee("Record: the family chose")
		press("esc")
		d.mustNotSee("Record: the family chose")
		press("t")
		d.typeText("2026-12-01")
		press("enter")
		d.typeText("more time")
		press("enter")
		d.mustSee("Record: the family wants more time")
		press("esc", "s")
		d.mustSee("Show prices and scores to everyone who can see this screen?")
		press("esc")
		d.mustSee("Prices and scores are hidden")
		if _, err := s.AwardOf(r.ID); err == nil {
			t.Fatal("an award was recorded")
		}
		got, _ := s.Referral(r.ID)
		if got.FollowUp != "" {
			t.Fatal("a follow-up was recorded")
		}
		// Leaving, at last, draws the curtain; only enter returns to the
		// referral page.
		press("esc")
		d.keys("y")
		curtain(t, s, d, r, settings)
		d.keys("enter")
		d.mustSee("Referrals > "+r.ID, "AWAITING PARENT CHOICE")
	}
}

// curtain checks the screen drawn after leaving the meeting: it says the
// meeting has ended and to turn the screen back, and shows nothing of the
// referral (no price, score, setting, bidder or case reference); every
// key but enter leaves it up.
func curtain(t *testing.T, s *store.Store, d *desk, r store.Referral, settings []setting) {
	t.Helper()
	for _, k := range []string{"", "esc", "q", "ctrl+c", "y", "1", "3", "?", "s", "space", "left", "tab"} {
		if k != "" {
			d.keys(k)
		}
		if d.quit {
			t.Fatalf("%s on the curtain quit the desk", k)
		}
		d.mustSee("The meeting has ended", "turn the screen back to you", "press enter to return to the desk", "meeting mode")
		view := d.view()
		private(t, view, settings, r.ID)
		if strings.Contains(view, r.ChildRef) || strings.Contains(view, r.ID) {
			t.Fatalf("the curtain names the referral:\n%s", view)
		}
		res, c, _ := s.Rank(r.ID, 0)
		for _, b := range c.Bids {
			if strings.Contains(view, c.Names[b.Establishment]) {
				t.Fatalf("the curtain names a bidder, %s:\n%s", c.Names[b.Establishment], view)
			}
			for _, rb := range res.Ranked {
				if total := fmt.Sprintf("%.2f", rb.Total); strings.Contains(view, total) {
					t.Fatalf("the curtain shows a score, %s:\n%s", total, view)
				}
			}
		}
		for _, outside := range []string{"Register", "Referrals", "AWAITING", "AWARDED", "GBP", "demo.db", "officer.test"} {
			if strings.Contains(view, outside) {
				t.Fatalf("%q is on the curtain:\n%s", outside, view)
			}
		}
	}
}

// TestMeetingShowsTheSettingBeingRecorded: the officer looked at setting
// 3 last, and the family chose setting 2: from the number on, the screen
// shows setting 2 alone, whatever the width, until it is recorded or let
// go.
func TestMeetingShowsTheSettingBeingRecorded(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	if len(settings) != 3 {
		t.Fatalf("want a shortlist of three, have %d", len(settings))
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		d := newDesk(t, s, size[0], size[1])
		d.openMeeting(r.ID)
		if size[0] < sideBySide {
			d.keys("right", "right")
			d.mustSee("Setting 3 of 3", settings[2].name)
		}
		d.keys("c")
		d.typeText("2")
		d.keys("enter")
		recording := func() {
			t.Helper()
			d.mustSee("Recording your choice", "You chose setting 2 of 3", "2. "+settings[1].name)
			d.mustNotSee(settings[0].name, settings[2].name)
			familySafe(t, s, d, r, settings, false)
		}
		d.mustSee("Their reason, in their own words")
		recording()
		d.typeText("near her gran")
		d.keys("enter")
		d.mustSee("Placement to start on")
		recording()
		d.keys("ctrl+u")
		d.typeText("14/12/2026")
		d.keys("enter")
		d.mustSee("Record: the family chose " + settings[1].name)
		recording()
		d.keys("n") // back to the date: still setting 2
		recording()
		d.keys("esc", "y") // let go: the settings again, as they were
		d.mustSee("Choosing a setting")
		d.mustNotSee("Recording your choice")
		if size[0] < sideBySide {
			d.mustSee("Setting 3 of 3", settings[2].name)
		} else {
			d.mustSee(settings[0].name, settings[1].name, settings[2].name)
		}
	}
	if _, err := s.AwardOf(r.ID); err == nil {
		t.Fatal("an award was recorded")
	}
}

// TestMeetingStartDateIsReplacedByTheFirstKey: the start date offered is
// replaced by the first character typed, as in a form's date field; an
// arrow or backspace first keeps it for editing.
func TestMeetingStartDateIsReplacedByTheFirstKey(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	offered := engine.ShowDate(settings[1].earliest)
	if settings[1].earliest == "" {
		t.Fatal("the demo's three-way bids offer no start date")
	}
	d := newDesk(t, s, 80, 24)
	d.openMeeting(r.ID)
	d.keys("c")
	d.typeText("2")
	d.keys("enter")
	d.typeText("near her gran")
	d.keys("enter")
	d.mustSee("Placement to start on: " + offered)
	d.typeText("30/12/2026")
	d.mustSee("Placement to start on: 30/12/2026")
	d.mustNotSee(offered)
	// Typed, not offered: the next keys add to it.
	d.keys("backspace")
	d.typeText("7")
	d.mustSee("Placement to start on: 30/12/2027")
	d.keys("enter")
	d.mustSee("Placement to start Thursday 30 December 2027")
	d.keys("n") // back to the date: shown whole again, replaced by a key
	d.mustSee("Placement to start on: 30 Dec 2027")
	d.typeText("4 Jan 2027")
	d.mustSee("Placement to start on: 4 Jan 2027")
	d.keys("esc", "y")
	// An arrow first keeps the offered date for editing.
	d.keys("c")
	d.typeText("2")
	d.keys("enter")
	d.typeText("near her gran")
	d.keys("enter")
	d.mustSee("Placement to start on: " + offered)
	d.keys("left")
	d.typeText("0")
	d.mustSee("Placement to start on: " + offered[:len(offered)-1] + "0" + offered[len(offered)-1:])
}

func TestMeetingRecordsTheChoiceAndStaysOnTheFamilysScreen(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	d := newDesk(t, s, 80, 24)
	d.openMeeting(r.ID)
	d.keys("c")
	d.typeText("2")
	d.keys("enter")
	d.mustSee("Their reason, in their own words")
	d.typeText("she liked the garden and it is near her gran")
	d.keys("enter")
	// The earliest start the setting offered is there to take.
	if settings[1].earliest == "" {
		t.Fatal("the demo's three-way bids offer no start date")
	}
	d.mustSee("Placement to start on: " + engine.ShowDate(settings[1].earliest))
	d.keys("ctrl+u")
	d.typeText("2026-12-07")
	d.keys("enter")
	d.mustSee("Record: the family chose " + settings[1].name)
	d.keys("y")
	d.mustSee("Your choice is recorded", "You chose: "+settings[1].name, `"she liked the garden and it is near her gran"`,
		"Monday 7 December 2026", "What happens next", "Who to contact", "Recorded: the family chose "+settings[1].name)
	familySafe(t, s, d, r, settings, false)
	a, err := s.AwardOf(r.ID)
	if err != nil || a.Route != store.RouteParentChoice || a.Establishment != settings[1].id || a.Reason != "she liked the garden and it is near her gran" || a.Start != "2026-12-07" {
		t.Fatalf("award %+v %v", a, err)
	}
	// Still the family's screen: no key leads out but esc, asked.
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "?", "x", "s", "c", "t", "left", "right", "enter"} {
		d.keys(k)
		familySafe(t, s, d, r, settings, false)
	}
	d.keys("p")
	d.mustSee("Family summary written")
	text, _ := os.ReadFile(filepath.Join(filepath.Dir(s.Path()), "summaries", r.ID+"-family-summary.txt"))
	for _, want := range []string{"You chose " + settings[1].name, "she liked the garden", "Monday 7 December 2026", "What happens next"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the summary after the choice lacks %q:\n%s", want, text)
		}
	}
	private(t, string(text), settings, r.ID)
	d.keys("esc", "y")
	curtain(t, s, d, r, settings)
	d.keys("enter")
	d.mustSee("AWARDED", "The parents' reason: she liked the garden")

	// The register changes after the award (a rename, a move, a new
	// judgement): what the family chose and was told stays as it was.
	e, _ := s.Establishment(settings[1].id)
	next := e
	next.Name, next.Town = "Renamed Academy", "Hastings"
	if err := s.EditEstablishment(e, next, ""); err != nil {
		t.Fatal(err)
	}
	// Opened again on the awarded referral: the choice, read-only.
	d.keys("m", "y") // y: open it though no contact for families is set
	d.mustSee("Your choice is recorded", "You chose: "+settings[1].name, "Monday 7 December 2026")
	d.mustNotSee("Renamed Academy", "Hastings")
	d.mustNotSee("c choice", "t more time")
	familySafe(t, s, d, r, settings, false)
	d.keys("p")
	d.mustSee("Family summary written")
	again, _ := os.ReadFile(filepath.Join(filepath.Dir(s.Path()), "summaries", r.ID+"-family-summary.txt"))
	if !strings.Contains(string(again), "You chose "+settings[1].name) || strings.Contains(string(again), "Renamed Academy") || strings.Contains(string(again), "Hastings") {
		t.Errorf("the summary written after the register changed is not the decision as kept:\n%s", again)
	}
}

func TestMeetingOffersTheEarliestStartTheSettingOffered(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	d := newDesk(t, s, 160, 48)
	d.openMeeting(r.ID)
	d.mustSee("Could start from " + longDate(settings[0].earliest))
	d.keys("c", "3", "enter")
	d.typeText("small classes")
	d.keys("enter")
	d.mustSee("Placement to start on: " + engine.ShowDate(settings[2].earliest))
	// A date before the one the setting offered is said before it is
	// recorded; n goes back to the date.
	d.keys("ctrl+u")
	d.typeText("2026-12-01")
	d.keys("enter")
	d.mustSee("That is before the earliest it offered")
	d.keys("n", "ctrl+u")
	d.typeText(settings[2].earliest)
	d.keys("enter")
	d.mustNotSee("before the earliest it offered")
	d.keys("y")
	d.mustSee("The placement is to start on " + longDate(settings[2].earliest))
	if a, err := s.AwardOf(r.ID); err != nil || a.Start != settings[2].earliest || a.Establishment != settings[2].id {
		t.Fatalf("award %+v %v", a, err)
	}
}

func TestMeetingDefersWithAFollowUpDate(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	d := newDesk(t, s, 80, 24)
	d.openMeeting(r.ID)
	d.keys("t")
	d.typeText("2026-12-01")
	d.keys("enter")
	d.typeText("a taster day at setting 2")
	d.keys("enter")
	d.mustSee("Record: the family wants a taster day at setting 2; follow up on Tuesday 1")
	d.keys("y")
	d.mustSee("More time to decide", "You would like: a taster day at setting 2", "We will be in touch on Tuesday 1 December 2026", "Recorded: follow up on")
	familySafe(t, s, d, r, settings, false)
	got, _ := s.Referral(r.ID)
	if got.Status != store.RefParentChoice || got.FollowUp != "2026-12-01" {
		t.Fatalf("after deferring: %s, follow up %q", got.Status, got.FollowUp)
	}
	last, _ := s.Audit(store.AuditFilter{Record: r.ID, Limit: 1})
	if last[0].Action != "referral.defer" || last[0].Actor != "officer.test" {
		t.Errorf("audit %+v", last[0])
	}
	d.keys("p")
	text, _ := os.ReadFile(filepath.Join(filepath.Dir(s.Path()), "summaries", r.ID+"-family-summary.txt"))
	if !strings.Contains(string(text), "We will be in touch on Tuesday 1 December 2026") {
		t.Errorf("the summary does not say when we will be in touch:\n%s", text)
	}
	// No contact for families is set: nothing invites a call to no one.
	if strings.Contains(string(text), "call us") || strings.Contains(d.view(), "call us") {
		t.Errorf("with no contact set, the family is asked to call us:\n%s\n%s", text, d.view())
	}
	if err := s.SetProfile(store.Profile{DisplayName: "Sam Patel", Phone: "01243 777100", Email: "sam.patel@westsussex.gov.uk"}); err != nil {
		t.Fatal(err)
	}
	d.keys("p")
	d.mustSee("or sooner if you call us")
	text, _ = os.ReadFile(filepath.Join(filepath.Dir(s.Path()), "summaries", r.ID+"-family-summary.txt"))
	if !strings.Contains(string(text), "or sooner if you call us") || !strings.Contains(string(text), "01243 777100") {
		t.Errorf("with a contact set, the summary does not invite a call to it:\n%s", text)
	}
	d.keys("esc", "y", "enter", "esc")
	d.mustSee("follow up 1 Dec")
}

func TestLeavingTheMeetingRecordsNothing(t *testing.T) {
	s := testStore(t)
	r, _ := awaitingChoice(t, s)
	before, _ := s.Audit(store.AuditFilter{})
	d := newDesk(t, s, 80, 24)
	d.openMeeting(r.ID)
	d.keys("c")
	d.typeText("1")
	d.keys("esc", "y") // typed a choice, then thought better of it
	d.keys("esc")
	d.mustSee("Leave the family's screen? (y/n)")
	d.keys("y", "enter")
	d.mustSee("AWAITING PARENT CHOICE")
	after, _ := s.Audit(store.AuditFilter{})
	if len(after) != len(before) {
		t.Errorf("leaving the meeting wrote %d audit entries", len(after)-len(before))
	}
}

func TestMeetingSummaryForTheFamily(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	d := newDesk(t, s, 160, 48)
	d.openMeeting(r.ID)
	d.keys("s", "y", "p") // prices shown on screen: never in the summary
	d.mustSee("Family summary written")
	d.mustNotSee("add your name", "in Setup") // the family reads the status line too
	base := filepath.Join(filepath.Dir(s.Path()), "summaries", r.ID+"-family-summary")
	for _, ext := range []string{".txt", ".html"} {
		data, err := os.ReadFile(base + ext)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, want := range []string{r.ChildRef, settings[0].name, settings[2].name, "What happens next", "Who to contact", "SEND placements team", "not a recommendation"} {
			if !strings.Contains(text, want) && !strings.Contains(text, strings.ReplaceAll(want, "'", "&#39;")) {
				t.Errorf("%s lacks %q", ext, want)
			}
		}
		if strings.Contains(text, "officer.test") {
			t.Errorf("%s names the login, not the person", ext)
		}
		private(t, text, settings, r.ID)
		if fi, _ := os.Stat(base + ext); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", ext, fi.Mode().Perm())
		}
	}
	html, _ := os.ReadFile(base + ".html")
	if !strings.Contains(string(html), "size: A4") {
		t.Error("the HTML does not print on A4")
	}

	// With a profile, the summary names the person and how to reach them.
	if err := s.SetProfile(store.Profile{DisplayName: "Sam Patel", Phone: "01243 777100", Email: "sam.patel@westsussex.gov.uk"}); err != nil {
		t.Fatal(err)
	}
	d.keys("p")
	d.mustNotSee("add your name")
	for _, ext := range []string{".txt", ".html"} {
		data, _ := os.ReadFile(base + ext)
		for _, want := range []string{"Sam Patel", "01243 777100", "sam.patel@westsussex.gov.uk"} {
			if !strings.Contains(string(data), want) {
				t.Errorf("%s lacks %q", ext, want)
			}
		}
		if strings.Contains(string(data), "officer.test") {
			t.Errorf("%s names the login", ext)
		}
	}
}

func goldenMeeting(t *testing.T, w, h int) {
	lipgloss.SetColorProfile(termenv.Ascii)
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	m := New(NewContext(s, Options{NoColor: true, Now: func() time.Time { return testNow }}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	keys := []string{"3", "/"}
	for _, r := range strings.ToLower(r.ID) {
		keys = append(keys, string(r))
	}
	keys = append(keys, "enter", "enter", "m", "y") // y: open it though no contact for families is set
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return strings.Contains(string(b), "Choosing a setting") && strings.Contains(string(b), settings[0].name)
	},
		teatest.WithDuration(5*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	teatest.RequireEqualOutput(t, []byte(final.View()))
}

func TestGoldenMeeting80x24(t *testing.T)  { goldenMeeting(t, 80, 24) }
func TestGoldenMeeting160x48(t *testing.T) { goldenMeeting(t, 160, 48) }

// TestMeetingShowsOnlyWhatCanStillBeOffered: a shortlisted setting whose
// insurance lapses before the meeting is not offered, the screen says one
// can no longer be offered, and no other setting takes its place.
func TestMeetingShowsOnlyWhatCanStillBeOffered(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	gone := settings[0]
	if err := s.RecordCheck(gone.id, store.Check{ID: engine.CritInsurance, Passed: true, Evidence: "certificate", Checked: "2025-11-01", Expires: "2026-11-01"}); err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, s, 80, 24)
	d.openMeeting(r.ID)
	d.mustSee("2 settings to choose from", "1 other setting on the shortlist can no longer be offered")
	d.mustNotSee(gone.name, "insurance")
	d.keys("right")
	d.mustSee(settings[2].name)
	d.mustNotSee(gone.name)
}
