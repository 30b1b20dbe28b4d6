package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// route is how a person reaches a screen: keys from the desk as it opens.
type route struct {
	name string
	open func(d *desk)
}

// everyScreen reaches each screen and page of the desk on the demo.
func everyScreen(t *testing.T, s *store.Store) []route {
	rows, err := s.ReferralRows()
	if err != nil {
		t.Fatal(err)
	}
	first := func(st store.ReferralStatus) string {
		for _, r := range rows {
			if r.Status == st {
				return r.ID
			}
		}
		t.Fatalf("the demo has no %s referral", st)
		return ""
	}
	issued, choice, awarded := first(store.RefIssued), first(store.RefParentChoice), first(store.RefAwarded)
	keys := func(k ...string) func(*desk) { return func(d *desk) { d.keys(k...) } }
	referral := func(id string, k ...string) func(*desk) {
		return func(d *desk) { d.openReferral(id); d.keys(k...) }
	}
	return []route{
		{"register", keys("1")},
		{"register filtering", keys("1", "/", "a", "s", "h")},
		{"establishment page", keys("1", "enter")},
		{"checklist", keys("1", "enter", "c")},
		{"new establishment", keys("1", "n")},
		{"review", keys("2")},
		{"review question", keys("2", "s")},
		{"referrals", keys("3")},
		{"builder", keys("3", "n")},
		{"builder's invited list", func(d *desk) {
			d.keys("3", "n")
			for _, v := range []string{"WSCC", "WSCC/EHCP/55501", "sen", "", "RH12 1AB"} {
				d.typeText(v)
				d.keys("tab")
			}
			d.send(tea.KeyMsg{Type: tea.KeyCtrlO})
		}},
		{"issued referral", referral(issued)},
		{"bid form", referral(issued, "b")},
		{"bid form picking", referral(issued, "b", "s", "c")},
		{"parent choice", referral(choice)},
		{"ranked view", referral(choice, "r")},
		{"ranked what-if question", referral(choice, "r", "w")},
		{"bid explanation", referral(choice, "r", "j", "enter")},
		{"awarded bid explanation", referral(awarded, "r", "enter")},
		{"meeting mode", referral(choice, "m", "y")},
		{"meeting mode recording a choice", referral(choice, "m", "y", "right", "right", "c", "2", "enter")},
		{"meeting mode ended (the curtain)", referral(choice, "m", "y", "esc", "y")},
		{"awarded referral", referral(awarded)},
		{"reports", keys("4")},
		{"audit", keys("5")},
		{"setup", keys("6")},
		{"category form", keys("6", "enter")},
		{"case-reference form", keys("6", "c")},
		{"review schedule form", keys("6", "r")},
		{"fee uplift form", keys("6", "f")},
		{"fee uplift preview", keys("6", "f", "2", ".", "5", "tab", "1", "/", "4", "/", "2", "0", "2", "7", "ctrl+s")},
		{"arrangements", keys("6", "a")},
		{"arrangement form", keys("6", "a", "n")},
		{"placements", keys("7")},
		{"placement page", keys("7", "enter")},
		{"placement review form", keys("7", "enter", "r")},
		{"improvement proposals", keys("7", "i")},
		{"help", keys("3", "?")},
		{"help in a form", keys("3", "n", "f1")},
	}
}

// TestViewsArePure: drawing a screen twice draws the same and changes
// nothing of the screen (no scrolling, no loading, no clamping in View);
// every line is the terminal's width, so nothing garbles.
func TestViewsArePure(t *testing.T) {
	s := testStore(t)
	for _, r := range everyScreen(t, s) {
		t.Run(r.name, func(t *testing.T) {
			d := newDesk(t, testStore(t), 80, 24)
			r.open(d)
			top := d.m.top()
			before := fmt.Sprintf("%+v", deref(top))
			v1 := d.m.View()
			v2 := d.m.View()
			if v1 != v2 {
				t.Errorf("two draws differ:\n%s\n---\n%s", ansi.Strip(v1), ansi.Strip(v2))
			}
			if after := fmt.Sprintf("%+v", deref(top)); after != before {
				t.Errorf("drawing %s changed it", top.Title())
			}
			lines := strings.Split(v1, "\n")
			if len(lines) != 24 {
				t.Errorf("%d lines at 80x24", len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != 80 {
					t.Errorf("line %d is %d wide: %q", i+1, w, ansi.Strip(l))
				}
			}
		})
	}
}

func deref(s Screen) any {
	switch s := s.(type) {
	case *register:
		return *s
	case *review:
		return *s
	case *referrals:
		return *s
	case *referralPage:
		return *s
	case *detail:
		return *s
	case *checklist:
		return *s
	case *form:
		return *s
	case *meeting:
		return *s
	case *ranked:
		return *s
	case *textPage:
		return *s
	case *reports:
		return *s
	case *audit:
		return *s
	case *setup:
		return *s
	case *arrangements:
		return *s
	case *placements:
		return *s
	case *placementPage:
		return *s
	case *improvements:
		return *s
	case *upliftPage:
		return *s
	}
	return s
}

// TestASCIIIsSevenBit: under --ascii no screen draws a byte above 127,
// whatever the data holds.
func TestASCIIIsSevenBit(t *testing.T) {
	s := testStore(t)
	for _, r := range everyScreen(t, s) {
		t.Run(r.name, func(t *testing.T) {
			st := testStore(t)
			d := &desk{t: t, m: New(NewContext(st, Options{NoColor: true, ASCII: true, Now: func() time.Time { return testNow }}))}
			d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
			d.run(d.m.Init())
			r.open(d)
			v := d.m.View()
			for i := 0; i < len(v); i++ {
				if v[i] > 127 {
					line := v[strings.LastIndex(v[:i], "\n")+1:]
					line, _, _ = strings.Cut(line, "\n")
					t.Fatalf("byte %#x drawn under --ascii in %q", v[i], ansi.Strip(line))
				}
			}
		})
	}
}

// TestLongMessagesAreNeverCut: a status message that fits in two lines is
// shown whole, at 80 columns, not cut with an ellipsis.
func TestLongMessagesAreNeverCut(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	long := "only establishments in \"must be suspended now\" can be suspended here: their failed criterion is the reason, so mark one of those"
	d.send(statusMsg{text: long, err: true, seq: statusSeq.Add(1)})
	lines := strings.Split(d.view(), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines", len(lines))
	}
	status := strings.TrimSpace(lines[21]) + " " + strings.TrimSpace(lines[22])
	if !strings.Contains(status, "so mark one of those") || strings.Contains(status, "…") {
		t.Errorf("the message is cut: %q", status)
	}
}

// TestHelpScrollsAndListsEveryKey: at 80x24 the help of a screen with
// many keys scrolls to its last key, and any other key closes it.
func TestHelpScrollsAndListsEveryKey(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.openReferral("REF-2026-0013")
	d.keys("?")
	d.mustSee("REF-2026-0013: keys")
	d.mustNotSee("write the assessment summaries")
	d.keys("pgdown", "pgdown", "pgdown")
	d.mustSee("write the assessment summaries", "quit")
	d.keys("x")
	d.mustNotSee(": keys")
}

// The builder's help names its own keys beside the form's: widening and
// the list of who would be invited.
func TestBuilderHelpNamesItsOwnKeys(t *testing.T) {
	d := newDesk(t, testStore(t), 100, 40)
	d.keys("3", "n", "f1")
	d.mustSee("widen by 10 miles", "list who would be invited")
}

// TestReviewFilter: / finds a row of the queue by name, the count says how
// many of the queue are shown, esc clears it.
func TestReviewFilter(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.keys("2", "/")
	d.typeText("oakpark")
	n := len(d.m.tabs[1].stack[0].(*review).all)
	d.mustSee("/oakpark", "Oakpark House", fmt.Sprintf("1 of %d in the queue", n))
	d.mustNotSee("Beechridge Project")
	d.keys("enter")
	d.keys("esc")
	d.mustSee("Beechridge Project", fmt.Sprintf("%d in the queue", n))
	d.mustNotSee(fmt.Sprintf("of %d", n))
}

// TestPagesSayTheSupplierAndTheRegime: the establishment page gives the
// supplier's identity, and an issued referral's page the arrangement and
// law it was issued under (issue 21).
func TestPagesSayTheSupplierAndTheRegime(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 120, 40)
	d.keys("1", "enter")
	d.mustSee("Supplier: Companies House ")
	rows, _ := s.ReferralRows()
	for _, row := range rows {
		r, _ := s.Referral(row.ID)
		if r.Arrangement != "" {
			d = newDesk(t, s, 120, 40)
			d.openReferral(r.ID)
			d.mustSee("Issued under " + r.Arrangement + ": " + r.Regime.Title())
			return
		}
	}
	t.Fatal("the demo has no referral issued under an arrangement")
}

// TestNoScreenShowsAnISODate: every date on a screen reads "2 Jan 2006",
// never as the store keeps it.
func TestNoScreenShowsAnISODate(t *testing.T) {
	iso := regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	s := testStore(t)
	for _, r := range everyScreen(t, s) {
		t.Run(r.name, func(t *testing.T) {
			d := newDesk(t, testStore(t), 160, 80)
			r.open(d)
			for _, l := range strings.Split(ansi.Strip(d.m.View()), "\n") {
				if iso.MatchString(l) {
					t.Errorf("an ISO date on the screen: %q", strings.TrimSpace(l))
				}
			}
		})
	}
}
