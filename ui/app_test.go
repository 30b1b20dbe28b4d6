package ui

import (
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

var testNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

// demoPath is one demo store per test binary, copied for each test.
var demoPath = sync.OnceValues(func() (string, error) {
	dir, err := osMkdirTemp()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "demo.db")
	s, err := store.Open(path, store.Options{Actor: "seed", Now: func() time.Time { return testNow }})
	if err != nil {
		return "", err
	}
	defer s.Close()
	return path, s.SeedDemo(2026, testNow, nil)
})

// testStore opens a private copy of the demo store.
func testStore(t testing.TB) *store.Store {
	t.Helper()
	src, err := demoPath()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	copyFile(t, src, path)
	s, err := store.Open(path, store.Options{Actor: "officer.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// desk is a root model under test with helpers to press keys.
type desk struct {
	t     testing.TB
	m     *Model
	quit  bool
	ascii bool
}

func newDesk(t testing.TB, s *store.Store, w, h int) *desk {
	t.Helper()
	return newDeskAt(t, s, w, h, func() time.Time { return testNow })
}

// newDeskAt is a desk whose clock is now.
func newDeskAt(t testing.TB, s *store.Store, w, h int, now func() time.Time) *desk {
	t.Helper()
	ctx := NewContext(s, Options{NoColor: true, Now: now})
	d := &desk{t: t, m: New(ctx)}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.m.Init())
	return d
}

// send delivers a message and everything its commands produce.
func (d *desk) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

// run executes a command as bubbletea would, feeding its messages back.
// The desk has no timers (its cursors do not blink), so a command that
// has not answered in 5 s is stuck: the test fails.
func (d *desk) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(5 * time.Second):
		d.t.Fatalf("a command did not answer in 5 s")
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
}

// keys presses keys: single runes, or names such as "enter", "esc".
func (d *desk) keys(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText types a string one rune at a time.
func (d *desk) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "ctrl+c": tea.KeyCtrlC, "ctrl+s": tea.KeyCtrlS, "space": tea.KeySpace,
		"backspace": tea.KeyBackspace, "pgdown": tea.KeyPgDown, "ctrl+u": tea.KeyCtrlU, "ctrl+w": tea.KeyCtrlW, "left": tea.KeyLeft, "right": tea.KeyRight,
		"f1": tea.KeyF1, "home": tea.KeyHome, "end": tea.KeyEnd}
	if t, ok := named[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (d *desk) view() string { return ansi.Strip(d.m.View()) }

func (d *desk) mustSee(want ...string) {
	d.t.Helper()
	v := d.view()
	for _, w := range want {
		if !strings.Contains(v, w) {
			d.t.Fatalf("screen lacks %q:\n%s", w, v)
		}
	}
}

func (d *desk) mustNotSee(unwanted ...string) {
	d.t.Helper()
	v := d.view()
	for _, w := range unwanted {
		if strings.Contains(v, w) {
			d.t.Fatalf("screen shows %q:\n%s", w, v)
		}
	}
}

func TestDeskOpensOnTheRegister(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.mustSee("dpsdesk demo.db", "officer.test", "[1 Register]", "300 of 300 establishments", "? help", "q quit")
	if strings.Count(d.view(), "SUSPENDED") == 0 {
		t.Error("no suspended establishment says so in words")
	}
}

func TestTooSmallSaysSo(t *testing.T) {
	d := newDesk(t, testStore(t), 79, 24)
	d.mustSee("terminal too small (need 80x24, have 79x24)")
	d.send(tea.WindowSizeMsg{Width: 80, Height: 23})
	d.mustSee("have 80x23")
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.mustNotSee("too small")
	d.keys("q")
	if !d.quit {
		t.Error("q did not quit")
	}
}

func TestFilterOpenAndBack(t *testing.T) {
	d := newDesk(t, testStore(t), 100, 30)
	d.keys("/")
	d.typeText("q") // typing q in the filter types it; it does not quit
	if d.quit {
		t.Fatal("q quit while typing in the filter")
	}
	d.keys("backspace")
	d.typeText("oakpark")
	d.mustSee("/oakpark", "Oakpark House", "1 of 300 establishments", "best match first")
	d.keys("enter", "enter")
	d.mustSee("Register > Oakpark House", "Ofsted: Requires improvement", "Qualification",
		"Out of invitations and bids (suspend it formally: review screen, 2):", "insurance expired 3 Nov 2026")
	d.keys("esc")
	d.mustSee("1 of 300 establishments")
	d.keys("esc") // clears the filter
	d.mustSee("300 of 300 establishments")
}

func TestQuickFiltersAndSort(t *testing.T) {
	d := newDesk(t, testStore(t), 120, 40)
	d.keys("f", "f", "f") // all → applied → qualified → suspended
	d.mustSee("status: suspended")
	v := d.view()
	if n := strings.Count(v, "qualified"); n != 0 {
		t.Errorf("suspended filter shows %d qualified rows", n)
	}
	d.keys("l")
	d.mustSee("category: sen")
	d.keys("f", "f", "f", "l", "l", "l", "l", "l", "l") // back to all
	d.mustSee("status: all · category: all", "300 of 300")
	d.keys("s", "s", "s")
	d.mustSee("sort: core cost")
	reg := d.m.tabs[0].stack[0].(*register)
	prev := int64(-1)
	for i := range reg.shown.Len() {
		c := reg.idx.rows[reg.shown.At(i).row].CoreWeeklyPence
		if c < prev {
			t.Fatalf("not sorted by core cost: %d after %d", c, prev)
		}
		prev = c
	}
}

func TestHelpShowsTheScreensKeys(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.keys("?")
	d.mustSee("Register: keys", "status filter", "category filter", "new establishment", "quit")
	d.keys("j") // any key closes help
	d.mustNotSee("Register: keys")
}

func TestNewEstablishmentFormValidatesAndSaves(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.keys("n")
	d.mustSee("New establishment", "ctrl+s: save")
	d.typeText("E-NEW-1")
	d.keys("tab")
	d.typeText("Harbour View School")
	d.keys("tab", "tab", "tab")
	d.typeText("sen")
	d.keys("tab")
	d.typeText("ZZ99 9ZZ")
	d.mustSee("! unknown postcode")
	d.keys("ctrl+s")
	d.mustSee("Error: not saved: Postcode: unknown postcode")
	if _, err := s.Establishment("E-NEW-1"); err == nil {
		t.Fatal("saved with an unknown postcode")
	}
	// esc on a changed form asks, and n keeps every typed value.
	d.keys("esc")
	d.mustSee("Discard your changes to New establishment?")
	d.keys("n")
	d.mustSee("Harbour View School", "ZZ99 9ZZ")
	for range 8 {
		d.keys("backspace")
	}
	d.typeText("BN3 1AB")
	d.keys("tab", "tab", "tab", "tab")
	d.typeText("1,850.50")
	d.keys("ctrl+s")
	d.mustSee("Added the new establishment", "301 of 301")
	e, err := s.Establishment("E-NEW-1")
	if err != nil || e.CoreWeeklyPence != 185050 || e.Status != engine.Applied || e.Postcode != "BN3 1AB" {
		t.Fatalf("saved %+v, %v", e, err)
	}
	entries, _ := s.Audit(store.AuditFilter{Record: "E-NEW-1"})
	if len(entries) != 1 || entries[0].Actor != "officer.test" || entries[0].Action != "establishment.create" {
		t.Errorf("audit %+v", entries)
	}
}

func TestQuitWithUnsavedChangesAsks(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.keys("n")
	d.typeText("E-X")
	d.keys("ctrl+c") // in a form: asks, never quits and never drops input
	if d.quit {
		t.Fatal("ctrl+c in a changed form quit")
	}
	d.mustSee("Discard your changes")
	d.keys("n", "esc", "y")
	d.mustSee("[1 Register]", "300 of 300")
}

func TestEditEstablishment(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.keys("/")
	d.typeText("oakpark")
	d.keys("enter", "enter", "e")
	d.mustSee("Edit Oakpark House", "Id (URN or Ofsted no.)", "(fixed)")
	for range 8 {
		d.keys("tab") // from the name to the core weekly cost
	}
	d.keys("ctrl+u")
	d.typeText("-5")
	d.mustSee("! \"-5\" is not an amount")
	d.keys("ctrl+u")
	d.typeText("6,500")
	d.keys("ctrl+s")
	d.mustSee("Saved Oakpark House", "Core weekly cost: £6,500.00")
	last, _ := s.Audit(store.AuditFilter{Record: "SC106340", Limit: 1})
	if len(last) != 1 || last[0].Changes[0].Field != "core_weekly_pence" || last[0].Changes[0].After != "650000" {
		t.Errorf("audit of the edit: %+v", last)
	}
}

// The supplier's identity, which award notices publish, is kept from the
// establishment's form: a number not of its shape is refused where it was
// typed, and a good one is saved with its audit entry.
func TestEditSupplierIdentity(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.keys("/")
	d.typeText("oakpark")
	d.keys("enter", "enter", "e")
	d.mustSee("Edit Oakpark House")
	for range 14 {
		d.keys("tab") // from the name to the Companies House number
	}
	d.mustSee("Companies House no.", "The supplier's: eight digits")
	d.keys("ctrl+u")
	d.typeText("1234567")
	d.mustSee("Companies House numbers keep their leading zeros")
	d.keys("ctrl+s")
	d.mustSee("not saved")
	if e, _ := s.Establishment("SC106340"); e.Supplier.CompanyNumber != "71622250" {
		t.Fatalf("saved a bad company number: %+v", e.Supplier)
	}
	d.keys("ctrl+u")
	d.typeText("01234567")
	d.keys("tab", "tab", "tab", "tab")
	d.mustSee("Is the supplier a small or medium enterprise?")
	d.keys("ctrl+u")
	d.typeText("no")
	d.keys("ctrl+s")
	d.mustSee("Saved Oakpark House")
	e, err := s.Establishment("SC106340")
	if err != nil || e.Supplier.CompanyNumber != "01234567" || e.Supplier.SME != "no" {
		t.Fatalf("saved %+v, %v", e.Supplier, err)
	}
	last, _ := s.Audit(store.AuditFilter{Record: "SC106340", Limit: 1})
	if len(last) != 1 || last[0].Changes[0].Field != "supplier" {
		t.Errorf("audit of the edit: %+v", last)
	}
}

func TestChecklistRecordsAndQualifies(t *testing.T) {
	s := testStore(t)
	// An applicant whose only failing criterion is financial.
	var id, name string
	es, _ := s.Establishments()
	floors, _ := s.Floors()
	for _, e := range es {
		if e.Status == engine.Applied && strings.Join(idsOf(store.StandingOf(&e, testNow, floors).Failures()), ",") == "financial" {
			id, name = e.ID, e.Name
			break
		}
	}
	if id == "" {
		t.Fatal("no applicant failing only financial in the demo")
	}
	d := newDesk(t, s, 100, 30)
	d.keys("/")
	d.typeText(strings.ToLower(name))
	d.keys("enter", "enter", "c")
	d.mustSee("Checklist", "not checked")
	d.keys("Q")
	d.mustSee("Error: not every criterion passes: financial never checked")
	d.keys("j", "space")
	d.mustSee("financial passes (checked today)", "Every criterion passes: Q qualifies it.")
	d.keys("n")
	d.typeText("accounts 2025 reviewed: low risk")
	d.keys("enter")
	d.keys("Q")
	d.mustSee("Qualify " + name + "?")
	d.keys("y")
	d.mustSee("Qualified: " + name)
	e, _ := s.Establishment(id)
	if e.Status != engine.Qualified || e.Check(engine.CritFinancial).Evidence != "accounts 2025 reviewed: low risk" {
		t.Errorf("after qualifying: %s, %+v", e.Status, e.Check(engine.CritFinancial))
	}
	acts := map[string]bool{}
	entries, _ := s.Audit(store.AuditFilter{Record: id})
	for _, a := range entries {
		acts[a.Action] = true
	}
	if !acts["qualification.check"] || !acts["establishment.qualify"] {
		t.Errorf("audited %v", acts)
	}
	// Scores: a bad score changes nothing and says so.
	d.keys("j", "j", "j", "j", "j", "j", "j", "enter")
	d.typeText("140")
	d.keys("enter")
	d.mustSee("Error: workforce: \"140\" is not a score from 0 to 100; nothing changed")
}

func idsOf(fs []engine.Failure) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f.Criterion)
	}
	return out
}

func TestReviewSuspendsAndLifts(t *testing.T) {
	s := testStore(t)
	queue, _ := s.ReviewQueue(testNow)
	first := queue[0]
	if first.Kind != store.ReviewMustSuspend {
		t.Fatal("the demo has nothing to suspend")
	}
	d := newDesk(t, s, 100, 120) // tall enough for the whole queue
	d.keys("2")
	d.mustSee("[2 Review]", "Must be suspended now", first.Name, first.Why, "Evidence expiring within 90 days", "Annual audit due")
	d.keys("s")
	d.mustSee("Suspend " + first.Name + "?")
	d.keys("n")
	if e, _ := s.Establishment(first.ID); e.Status != engine.Qualified {
		t.Fatal("n suspended it")
	}
	d.keys("s", "y")
	d.mustSee("Suspended " + first.Name)
	e, _ := s.Establishment(first.ID)
	if e.Status != engine.Suspended {
		t.Fatalf("status %s", e.Status)
	}
	sus, _ := s.Suspensions(first.ID)
	if len(sus) != 1 || sus[0].Criterion != first.Criterion || sus[0].By != "officer.test" || sus[0].Reason != first.Why {
		t.Errorf("suspension %+v", sus)
	}
	// Lifting is one flow: the new evidence of the failed criterion,
	// then its expiry; refused, with what was typed kept, while it fails.
	d.keys("G")
	for d.m.tabs[1].stack[0].(*review).items[d.m.tabs[1].stack[0].(*review).list.cursor].ID != first.ID {
		d.keys("k")
	}
	d.keys("l")
	d.mustSee("Lift "+first.Name+": new insurance evidence seen today", "e.g. renewed insurance")
	d.keys("enter")
	d.mustSee("Error: say what evidence lifts the suspension; nothing changed", "new insurance evidence seen today")
	d.typeText("renewed certificate seen")
	d.keys("enter")
	d.mustSee("New insurance expiry (e.g. 22 Nov 2027)")
	d.typeText("01/11/2026")
	d.keys("enter")
	d.mustSee("expiry 1 Nov 2026 is already past; nothing changed", "New insurance expiry (e.g. 22 Nov 2027): 01/11/2026")
	if e, _ := s.Establishment(first.ID); e.Status != engine.Suspended || e.Check(engine.CritInsurance).Evidence == "renewed certificate seen" {
		t.Fatal("a refused lift changed the store")
	}
	for range len("2026-11-01") {
		d.keys("backspace")
	}
	d.typeText("2027-11-30")
	d.keys("enter")
	d.mustSee("Suspension of " + first.Name + " lifted")
	e, _ = s.Establishment(first.ID)
	if c := e.Check(engine.CritInsurance); e.Status != engine.Qualified || !c.Passed || c.Checked != "2026-11-22" || c.Expires != "2027-11-30" || c.Evidence != "renewed certificate seen" {
		t.Errorf("after the lift: %s, insurance %+v", e.Status, c)
	}
	entries, _ := s.Audit(store.AuditFilter{Record: first.ID, Limit: 3})
	if len(entries) != 3 || entries[2].Action != "suspension.lift" || entries[0].Action != "qualification.check" || entries[0].Time != entries[2].Time {
		t.Errorf("audit of the lift: %+v", entries)
	}
}

func TestReviewLiftsMarkedReadyRowsTogether(t *testing.T) {
	s := testStore(t)
	// Two suspensions whose criterion passes again (the evidence was
	// recorded on the checklist): "ready to lift", lifted together.
	queue, _ := s.ReviewQueue(testNow)
	var ready []store.ReviewItem
	for _, it := range queue {
		if it.Kind == store.ReviewSuspended && it.Criterion == engine.CritInsurance && len(ready) < 2 {
			if err := s.RecordCheck(it.ID, store.Check{ID: engine.CritInsurance, Passed: true, Evidence: "renewed", Checked: "2026-11-22", Expires: "2027-11-21"}); err != nil {
				t.Fatal(err)
			}
			ready = append(ready, it)
		}
	}
	if len(ready) != 2 {
		t.Fatal("the demo has not two insurance suspensions")
	}
	d := newDesk(t, s, 100, 30)
	d.keys("2")
	for _, it := range ready {
		for d.m.tabs[1].stack[0].(*review).items[d.m.tabs[1].stack[0].(*review).list.cursor].ID != it.ID {
			d.keys("j")
		}
		d.mustSee(it.Name + " ")
		d.mustSee("READY TO LIFT: insurance passes again")
		d.keys("space")
	}
	d.keys("l")
	d.mustSee("Lift 2 establishments: evidence that lifts it")
	d.typeText("renewed certificates seen on the checklist")
	d.keys("enter")
	d.mustSee("Suspension of 2 establishments lifted")
	for _, it := range ready {
		if e, _ := s.Establishment(it.ID); e.Status != engine.Qualified {
			t.Errorf("%s is %s after the lift", it.Name, e.Status)
		}
	}
}

func TestReviewBulkExcludeIsAllOrNothing(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.keys("2", "space", "space", "x")
	d.mustSee("Exclude 2 establishments: reason")
	d.keys("enter")
	d.mustSee("Error: say why; nothing changed")
	d.keys("x")
	d.typeText("failed due diligence")
	d.keys("enter")
	d.mustSee("excluded: 2 establishments")
	entries, _ := s.Audit(store.AuditFilter{Action: "establishment.excluded"})
	if len(entries) != 2 {
		t.Errorf("%d exclusions audited, want 2", len(entries))
	}
}

// TestEveryLineIsExactlyTheTerminalsWidth is the size matrix: every screen,
// from 80x24 to 250x70, fills the terminal exactly.
func TestEveryLineIsExactlyTheTerminalsWidth(t *testing.T) {
	s := testStore(t)
	screens := []struct {
		name string
		keys []string
	}{
		{"register", nil}, {"filter", []string{"/", "o", "a"}}, {"help", []string{"?"}},
		{"detail", []string{"enter"}}, {"checklist", []string{"enter", "c"}}, {"form", []string{"n"}},
		{"review", []string{"2"}}, {"review-confirm", []string{"2", "s"}}, {"reports", []string{"4"}}, {"audit", []string{"5"}},
		{"referrals", []string{"3"}}, {"builder", []string{"3", "n"}}, {"referral", []string{"3", "j", "j", "j", "j", "j", "j", "enter"}},
		{"ranked", []string{"3", "j", "j", "j", "j", "j", "j", "enter", "r"}},
		{"meeting", []string{"3", "j", "j", "j", "j", "j", "j", "enter", "m"}},
		{"meeting-prices", []string{"3", "j", "j", "j", "j", "j", "j", "enter", "m", "s", "y"}},
		{"meeting-help", []string{"3", "j", "j", "j", "j", "j", "j", "enter", "m", "?"}},
		{"meeting-choice", []string{"3", "j", "j", "j", "j", "j", "j", "enter", "m", "c", "9", "enter"}},
	}
	for _, size := range [][2]int{{80, 24}, {81, 25}, {100, 30}, {120, 40}, {160, 48}, {250, 70}, {79, 24}, {40, 10}} {
		for _, sc := range screens {
			d := newDesk(t, s, size[0], size[1])
			d.keys(sc.keys...)
			lines := strings.Split(d.view(), "\n")
			if len(lines) != size[1] {
				t.Errorf("%s at %dx%d: %d lines", sc.name, size[0], size[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != size[0] {
					t.Errorf("%s at %dx%d: line %d is %d wide: %q", sc.name, size[0], size[1], i+1, w, l)
					break
				}
			}
		}
	}
}

func TestPlainOutputHasNoColour(t *testing.T) {
	d := newDesk(t, testStore(t), 120, 40)
	d.keys("2")
	if regexp.MustCompile(`\x1b\[[0-9;]*3[0-9]m|\x1b\[[0-9;]*9[0-7]m`).MatchString(d.m.View()) {
		t.Error("NO_COLOR output has colour codes")
	}
}

func TestResizeKeepsTheCursorInView(t *testing.T) {
	d := newDesk(t, testStore(t), 120, 60)
	d.keys("G")
	d.mustSee("row 300")
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.mustSee("row 300")
	reg := d.m.tabs[0].stack[0].(*register)
	name := reg.idx.rows[reg.shown.At(reg.list.cursor).row].Name
	d.mustSee(name[:10])
}

func TestKeysThatArriveTogether(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.keys("/")
	d.typeText("oakpark")
	d.keys("enter", "enter")
	d.mustSee("Register > Oakpark House")
	d.send(tea.KeyMsg{Type: tea.KeyEsc, Alt: true}) // esc esc, as a terminal sends it
	d.mustSee("300 of 300 establishments")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2s")}) // typed faster than read
	d.mustSee("Suspend Beechridge Project?")
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("nq")})
	if !d.quit {
		t.Error("n then q, arriving together, did not cancel and quit")
	}
}
