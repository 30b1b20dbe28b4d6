package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
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

func TestMeetingShowsTheShortlistInPlainWords(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		d := newDesk(t, s, size[0], size[1])
		d.openMeeting(r.ID)
		d.mustSee("case reference "+r.ChildRef, settings[0].name, "miles from home", "Can meet:", "Prices and scores are hidden")
		view := d.view()
		// Only the meeting itself, not the header's breadcrumb.
		body := view[strings.Index(view, "Choosing a setting"):]
		private(t, body, settings, r.ID)
		if size[0] >= sideBySide {
			for _, st := range settings {
				d.mustSee(st.name)
			}
		} else {
			d.mustSee("Setting 1 of")
			d.keys("right")
			d.mustSee("Setting 2 of", settings[1].name)
		}
		d.keys("s")
		d.mustSee("PRICES AND SCORES ARE SHOWN", "a week", "total score")
		d.keys("s")
		d.mustNotSee("PRICES AND SCORES ARE SHOWN", "£")
	}
}

func TestMeetingRecordsTheChoice(t *testing.T) {
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	d := newDesk(t, s, 160, 48)
	d.openMeeting(r.ID)
	d.keys("c")
	d.typeText("9")
	d.keys("enter")
	d.mustSee("Error: choose 1 to")
	d.keys("c")
	d.typeText("2")
	d.keys("enter")
	d.mustSee("Their reason, in their own words")
	d.typeText("she liked the garden and it is near her gran")
	d.keys("enter")
	d.mustSee("Record: the family chose " + settings[1].name)
	d.keys("y")
	d.mustSee("Recorded: the family chose "+settings[1].name, "AWARDED", "The parents' reason: she liked the garden")
	a, err := s.AwardOf(r.ID)
	if err != nil || a.Route != store.RouteParentChoice || a.Establishment != settings[1].id || a.Reason != "she liked the garden and it is near her gran" {
		t.Fatalf("award %+v %v", a, err)
	}
}

func TestMeetingDefersWithAFollowUpDate(t *testing.T) {
	s := testStore(t)
	r, _ := awaitingChoice(t, s)
	d := newDesk(t, s, 80, 24)
	d.openMeeting(r.ID)
	d.keys("t")
	d.typeText("2026-12-01")
	d.keys("enter")
	d.typeText("a taster day at setting 2")
	d.keys("enter")
	d.mustSee("Record: the family wants a taster day at setting 2; follow up on 2026-12-01")
	d.keys("y")
	d.mustSee("Recorded: follow up on 2026-12-01")
	got, _ := s.Referral(r.ID)
	if got.Status != store.RefParentChoice || got.FollowUp != "2026-12-01" {
		t.Fatalf("after deferring: %s, follow up %q", got.Status, got.FollowUp)
	}
	last, _ := s.Audit(store.AuditFilter{Record: r.ID, Limit: 1})
	if last[0].Action != "referral.defer" || last[0].Actor != "officer.test" {
		t.Errorf("audit %+v", last[0])
	}
	d.keys("esc", "esc")
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
	d.keys("s", "p") // prices shown on screen: never in the summary
	d.mustSee("Family summary written")
	base := filepath.Join(filepath.Dir(s.Path()), "summaries", r.ID+"-family-summary")
	for _, ext := range []string{".txt", ".html"} {
		data, err := os.ReadFile(base + ext)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		for _, want := range []string{r.ChildRef, settings[0].name, "What happens next", "Who to contact", "officer.test"} {
			if !strings.Contains(text, want) && !strings.Contains(text, strings.ReplaceAll(want, "'", "&#39;")) {
				t.Errorf("%s lacks %q", ext, want)
			}
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
}

func goldenMeeting(t *testing.T, w, h int) {
	lipgloss.SetColorProfile(termenv.Ascii)
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	m := New(NewContext(s, Options{NoColor: true, ASCII: true, Now: func() time.Time { return testNow }}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	keys := []string{"3", "/"}
	for _, r := range strings.ToLower(r.ID) {
		keys = append(keys, string(r))
	}
	keys = append(keys, "enter", "enter", "m")
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), settings[0].name) },
		teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	teatest.RequireEqualOutput(t, []byte(final.View()))
}

func TestGoldenMeeting80x24(t *testing.T)  { goldenMeeting(t, 80, 24) }
func TestGoldenMeeting160x48(t *testing.T) { goldenMeeting(t, 160, 48) }
