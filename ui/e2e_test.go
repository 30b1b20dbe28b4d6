package ui_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// tmuxDesk is the built dpsdesk running in a tmux session of its own, at
// 80x24, driven as a person would: send-keys to type, capture-pane to read.
type tmuxDesk struct {
	t      *testing.T
	socket string
}

// buildDesk builds the binary once for the end-to-end tests.
func buildDesk(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed: .ci/run must install it")
		}
		t.Skip("tmux is not installed (CI installs it)")
	}
	bin := filepath.Join(t.TempDir(), "dpsdesk")
	if out, err := exec.Command("go", "build", "-o", bin, "dpsdesk").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startDesk(t *testing.T, command string) *tmuxDesk {
	// A tmux server of its own, named after the test's unique temporary
	// folder: tests run at once (or by two people on one machine) never
	// share a session.
	dir := t.TempDir()
	d := &tmuxDesk{t: t, socket: "dpsdesk-e2e-" + filepath.Base(filepath.Dir(dir)) + "-" + filepath.Base(dir)}
	d.tmux("new-session", "-d", "-s", "desk", "-x", "80", "-y", "24", command)
	t.Cleanup(func() { exec.Command("tmux", "-L", d.socket, "kill-server").Run() })
	return d
}

func (d *tmuxDesk) tmux(args ...string) string {
	d.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", d.socket}, args...)...).CombinedOutput()
	if err != nil {
		d.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (d *tmuxDesk) screen() string { return d.tmux("capture-pane", "-p", "-t", "desk") }

// waitFor waits until the screen shows every want, or fails showing it.
func (d *tmuxDesk) waitFor(want ...string) {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := d.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (d *tmuxDesk) keys(keys ...string) {
	d.tmux(append([]string{"send-keys", "-t", "desk"}, keys...)...)
}

// cursorLine is the list's row under the cursor, "" when none shows.
func (d *tmuxDesk) cursorLine() string {
	for _, line := range strings.Split(d.screen(), "\n") {
		if strings.Contains(line, "▸") {
			return line
		}
	}
	return ""
}

func (d *tmuxDesk) typeText(s string) { d.tmux("send-keys", "-t", "desk", "-l", s) }

// waitGone waits for the desk to exit and its session to close.
func (d *tmuxDesk) waitGone() {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("tmux", "-L", d.socket, "has-session", "-t", "desk").Run() == nil {
		if time.Now().After(deadline) {
			d.t.Fatalf("the desk did not quit:\n%s", d.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEndToEndSuspendFromTheReviewScreen(t *testing.T) {
	bin := buildDesk(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := exec.Command(bin, "init", "--demo", "--db", db, "--as", "e2e.seed").CombinedOutput(); err != nil {
		t.Fatalf("init --demo: %v\n%s", err, out)
	}
	// The first establishment the review queue says must be suspended.
	s, err := store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	queue, err := s.ReviewQueue(time.Now())
	s.Close()
	if err != nil || len(queue) == 0 || queue[0].Kind != store.ReviewMustSuspend {
		t.Fatalf("the demo has nothing to suspend: %v", err)
	}
	target := queue[0]
	mustSuspend := 0
	for _, it := range queue {
		if it.Kind == store.ReviewMustSuspend {
			mustSuspend++
		}
	}

	d := startDesk(t, "env NO_COLOR=1 TERM=xterm-256color "+bin+" --db "+db+" --as e2e.officer")
	d.waitFor("[1 Register]", "300 of 300 establishments", "? help")

	// Filter the register and open the establishment.
	d.keys("/")
	d.typeText(strings.ToLower(target.Name))
	d.keys("Enter")
	d.waitFor("/" + strings.ToLower(target.Name))
	d.keys("Enter")
	d.waitFor("Register > "+target.Name, "Qualification", "Out of invitations and bids")
	d.keys("Escape", "Escape")
	d.waitFor("300 of 300 establishments")

	// Suspend it from the review screen.
	d.keys("2")
	d.waitFor("[2 Review]", "Must be suspended now", target.Name)
	d.keys("s")
	d.waitFor("Suspend " + target.Name + "?")
	d.keys("y")
	d.waitFor("Suspended " + target.Name)
	// The cursor stays on it, now among the suspended.
	d.waitFor("SUSPENDED: ", target.Name+": suspended "+time.Now().Format("2 Jan 2006"))
	if !strings.Contains(d.cursorLine(), target.Name) {
		t.Fatalf("after suspending, the cursor is on %q, not %s", d.cursorLine(), target.Name)
	}
	d.keys("g")

	// Lift it again in one flow: to its row among the suspended, then the
	// new evidence and its expiry; a past expiry is refused and kept.
	d.waitFor("Must be suspended now, already out of invitations (" + strconv.Itoa(mustSuspend-1) + ")")
	for i := 0; !strings.Contains(d.cursorLine(), target.Name); i++ {
		if i > 200 {
			t.Fatalf("the cursor never reached %s in the suspended list", target.Name)
		}
		// One row at a time: wait until the screen shows the move.
		before := d.cursorLine()
		d.keys("j")
		for end := time.Now().Add(2 * time.Second); d.cursorLine() == before && time.Now().Before(end); {
			time.Sleep(20 * time.Millisecond)
		}
	}
	d.keys("l")
	d.waitFor("Lift " + target.Name + ": new " + string(target.Criterion) + " evidence")
	d.typeText("renewed certificate seen")
	d.keys("Enter")
	d.waitFor("New " + string(target.Criterion) + " expiry (e.g. 22 Nov 2027)")
	d.typeText("2020-01-01")
	d.keys("Enter")
	d.waitFor("already past; nothing changed", "expiry (e.g. 22 Nov 2027): 2020-01-01")
	d.keys("C-u")
	d.typeText(time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
	d.keys("Enter")
	d.waitFor("Suspension of " + target.Name + " lifted")
	d.keys("q")
	d.waitGone()

	// The store and its audit trail say so.
	s, err = store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e, err := s.Establishment(target.ID)
	if err != nil || e.Status != engine.Qualified {
		t.Fatalf("after the desk: %s is %s, %v", target.Name, e.Status, err)
	}
	sus, _ := s.Suspensions(target.ID)
	if len(sus) != 1 || sus[0].Open() || sus[0].By != "e2e.officer" || sus[0].Criterion != target.Criterion ||
		sus[0].LiftedBy != "e2e.officer" || sus[0].Evidence != "renewed certificate seen" {
		t.Errorf("suspension %+v", sus)
	}
	if c := e.Check(target.Criterion); !c.Passed || c.Evidence != "renewed certificate seen" || c.Expires != time.Now().AddDate(1, 0, 0).Format(time.DateOnly) {
		t.Errorf("the new evidence: %+v", c)
	}
	entries, _ := s.Audit(store.AuditFilter{Record: target.ID, Action: "suspension.start"})
	if len(entries) != 1 || entries[0].Actor != "e2e.officer" {
		t.Errorf("audit %+v", entries)
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Errorf("verify after the desk: %v %v", ps, err)
	}
	if fi, _ := os.Stat(db); fi.Mode().Perm() != 0o600 {
		t.Errorf("store mode %v", fi.Mode().Perm())
	}
}

func TestEndToEndReferralFromBuilderToAward(t *testing.T) {
	bin := buildDesk(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if out, err := exec.Command(bin, "init", "--demo", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("init --demo: %v\n%s", err, out)
	}
	desk := "env NO_COLOR=1 TERM=xterm-256color " + bin + " --db " + db + " --as e2e.officer"

	// Build the referral and issue it.
	d := startDesk(t, desk)
	d.waitFor("300 of 300 establishments")
	d.keys("3")
	d.waitFor("[3 Referrals]", "25 of 25 referrals")
	d.keys("n")
	d.waitFor("New referral", "Case ref, never a name")
	for _, step := range []string{"WSCC", "WSCC/EHCP/20001", "sen", "", "RH12 1", "25", "", "ASD:2", "wheelchair-access!"} {
		if step != "" {
			d.typeText(step)
		}
		d.keys("Tab")
	}
	d.waitFor("Would invite", "within 25 miles")
	d.keys("C-s")
	d.waitFor("Referral saved as a draft", "26 of 26 referrals")
	d.keys("/")
	d.typeText("ehcp/20001")
	d.keys("Enter", "Enter")
	d.waitFor("DRAFT", "Case reference WSCC/EHCP/20001")
	d.keys("I")
	d.waitFor("to the")
	d.keys("y")
	d.waitFor("ISSUED", "Invited")
	d.keys("q")
	d.waitGone()

	// Bids from the e-tendering portal, loaded with the command line.
	s, err := store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	refs, _ := s.Referrals()
	var r store.Referral
	for _, x := range refs {
		if x.ChildRef == "WSCC/EHCP/20001" {
			r = x
		}
	}
	if r.Status != store.RefIssued || len(r.Invited) < 3 {
		s.Close()
		t.Fatalf("after the desk: %s with %d invited", r.Status, len(r.Invited))
	}
	// Two bids from the e-tendering portal's CSV, far dearer and weaker
	// than the third, which the officer enters by hand.
	csv := "establishment,core_weekly_pence,variable_weekly_pence,needs_met,features_offered,outcomes_score,submitted\n"
	for _, id := range r.Invited[1:3] {
		e, _ := s.Establishment(id)
		csv += fmt.Sprintf("%s,%d,150000,ASD,wheelchair-access,20,%s\n", id, e.CoreWeeklyPence, time.Now().UTC().Format(time.RFC3339))
	}
	first, _ := s.Establishment(r.Invited[0])
	s.Close()
	bids := filepath.Join(dir, "bids.csv")
	os.WriteFile(bids, []byte(csv), 0o600)

	// Import them from the desk, enter the third by picking the
	// establishment by name, then close, evaluate, look at the ranking,
	// award.
	d = startDesk(t, desk)
	d.waitFor("300 of 300 establishments")
	d.keys("3", "/")
	d.typeText("ehcp/20001")
	d.keys("Enter", "Enter")
	d.waitFor("ISSUED", "Bids (0)")
	d.keys("U")
	d.waitFor("Bids CSV for " + r.ID)
	d.typeText(bids)
	d.keys("Enter")
	d.waitFor("Recorded 2 bids for "+r.ID, "Bids (2)")
	d.keys("b")
	d.waitFor("Bid for "+r.ID, "Type part of its name")
	d.typeText(first.Name)
	d.waitFor(first.Name + "  " + first.ID + "  qualified core")
	d.keys("Tab")
	d.waitFor(first.Name+" ("+first.ID+")", "qualified core cost")
	for _, step := range []string{fmt.Sprintf("%d.%02d", first.CoreWeeklyPence/100, first.CoreWeeklyPence%100), "0", "", "ASD", "wheelchair-access", "95", "a strong plan"} {
		if step != "" {
			d.typeText(step)
		}
		d.keys("Tab")
	}
	d.keys("C-s")
	d.waitFor("Bid recorded for "+first.Name, "Bids (3)")
	d.keys("C")
	d.waitFor("Close "+r.ID+" early?", fmt.Sprintf("%d of %d invited have not bid", len(r.Invited)-3, len(r.Invited)))
	d.keys("y")
	d.waitFor("BIDS CLOSED")
	d.keys("v")
	d.waitFor("Evaluated: recommended award to ", "("+r.Invited[0]+")", "ranked", "* recommended")
	d.keys("Escape")
	d.waitFor("EVALUATED")
	d.keys("a")
	d.waitFor("to the recommended bid")
	d.keys("C-s")
	d.waitFor("AWARDED", "Competition, decided by e2e.officer")
	d.keys("q")
	d.waitGone()

	s, err = store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.AwardOf(r.ID)
	if err != nil || a.Establishment != r.Invited[0] || a.Route != store.RouteCompetition || a.DecidedBy != "e2e.officer" {
		t.Fatalf("award %+v, %v", a, err)
	}
	entries, _ := s.Audit(store.AuditFilter{Record: r.ID})
	var acts []string
	for _, e := range entries {
		acts = append(acts, e.Action)
	}
	if got := strings.Join(acts, ","); !strings.HasPrefix(got, "referral.create") || !strings.HasSuffix(got, "referral.close,referral.evaluate,referral.award,award.make,placement.create") || strings.Count(got, "bid.record") != 3 {
		t.Errorf("audit trail %s", got)
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Errorf("verify: %v %v", ps, err)
	}
}

func TestEndToEndMeetingModeChoice(t *testing.T) {
	bin := buildDesk(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := exec.Command(bin, "init", "--demo", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("init --demo: %v\n%s", err, out)
	}
	s, err := store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	// The demo's referral whose parents choose among three settings.
	refs, _ := s.Referrals()
	var id string
	for _, r := range refs {
		if res, _, err := s.Rank(r.ID, 0); err == nil && r.Status == store.RefParentChoice && len(res.ParentChoice) == 3 {
			id = r.ID
		}
	}
	res, c, err := s.Rank(id, 0)
	s.Close()
	if err != nil || len(res.ParentChoice) != 3 {
		t.Fatalf("no shortlist of three: %v", err)
	}
	// Meeting mode numbers the settings by name, not by score.
	byName := slices.Clone(res.ParentChoice)
	slices.SortFunc(byName, func(a, b string) int { return strings.Compare(c.Names[a], c.Names[b]) })
	secondID := byName[1]
	second, third := c.Names[secondID], c.Names[byName[2]]

	d := startDesk(t, "env NO_COLOR=1 TERM=xterm-256color "+bin+" --db "+db+" --as e2e.officer")
	d.waitFor("300 of 300 establishments")
	d.keys("3", "/")
	d.typeText(strings.ToLower(id))
	d.keys("Enter", "Enter")
	d.waitFor("AWAITING PARENT CHOICE", "m opens meeting mode")
	d.keys("m")
	d.waitFor("Your contact for families is not set", "Open meeting mode anyway?")
	d.keys("y")
	d.waitFor("Choosing a setting", "Setting 1 of", "Prices and scores are hidden")
	if strings.Contains(d.screen(), "£") {
		t.Errorf("meeting mode shows a price:\n%s", d.screen())
	}
	d.keys("Right")
	d.waitFor("Setting 2 of", second)
	d.keys("Right")
	d.waitFor("Setting 3 of", third)
	// Setting 3 was looked at last; the family chose 2: from the number
	// on, the screen shows setting 2 alone.
	d.keys("c")
	d.typeText("2")
	d.keys("Enter")
	d.waitFor("Their reason, in their own words", "Recording your choice", "2. "+second)
	if strings.Contains(d.screen(), third) {
		t.Errorf("setting 3 is on screen while setting 2 is recorded:\n%s", d.screen())
	}
	d.typeText("it has a garden and it is near her gran")
	d.keys("Enter")
	d.waitFor("Placement to start on: ", "2. "+second) // the earliest the setting offered
	// The first key typed replaces the date offered.
	d.typeText("2026-13-01") // no such month: the prompt stays, with what was typed
	d.keys("Enter")
	d.waitFor("the start date: \"2026-13-01\" is not a date", "2026-13-01")
	d.keys("C-u")
	start := time.Now().AddDate(0, 0, 35)
	d.typeText(start.Format("02/01/2006")) // as an English office types it
	d.keys("Enter")
	d.waitFor("Record: the family chose")
	d.keys("y")
	// Still the family's screen: what they chose, no price, nothing else.
	d.waitFor("Your choice is recorded", "You chose: "+second, start.Format("Monday 2 January 2006"), "What happens next")
	if scr := d.screen(); strings.Contains(scr, "£") || strings.Contains(scr, "Register") || strings.Contains(scr, "AWARDED") {
		t.Errorf("the screen after the choice shows more than the family's:\n%s", scr)
	}
	d.keys("4") // a tab key: nothing happens
	d.waitFor("You chose: " + second)
	d.keys("p")
	d.waitFor("Family summary written")
	summary, err := os.ReadFile(filepath.Join(filepath.Dir(db), "summaries", id+"-family-summary.txt"))
	if err != nil || !strings.Contains(string(summary), "You chose "+second) || strings.Contains(string(summary), "£") {
		t.Errorf("the summary after the choice does not confirm it (%v):\n%s", err, summary)
	}
	d.keys("Escape")
	d.waitFor("Leave the family's screen?")
	d.keys("y")
	// A curtain, until the screen is turned back: nothing of the referral.
	d.waitFor("The meeting has ended", "turn the screen back to you", "press enter to return to the desk")
	if scr := d.screen(); strings.Contains(scr, "£") || strings.Contains(scr, "GBP") || strings.Contains(scr, "AWARDED") || strings.Contains(scr, second) || strings.Contains(scr, third) {
		t.Errorf("the curtain shows more than that the meeting has ended:\n%s", scr)
	}
	d.keys("Escape") // not the key it names: the curtain stays
	d.waitFor("The meeting has ended")
	d.keys("Enter")
	d.waitFor("AWARDED", "The parents' reason: it has a garden")
	d.keys("q")
	d.waitGone()

	s, err = store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.AwardOf(id)
	if err != nil || a.Route != store.RouteParentChoice || a.Establishment != secondID || a.Reason != "it has a garden and it is near her gran" || a.Start != start.Format(time.DateOnly) || a.DecidedBy != "e2e.officer" {
		t.Fatalf("award %+v, %v", a, err)
	}
}
