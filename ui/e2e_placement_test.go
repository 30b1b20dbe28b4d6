package ui_test

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// TestEndToEndReviewWithAReducedRequirement records a placement's review
// that lowers its variable cost, in the built desk at 80x24: the page shows
// the new cost period beside the old, the Audit tab the review and the cost
// change, and the store keeps both.
func TestEndToEndReviewWithAReducedRequirement(t *testing.T) {
	bin := buildDesk(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := exec.Command(bin, "init", "--demo", "--db", db, "--as", "e2e.seed").CombinedOutput(); err != nil {
		t.Fatalf("init --demo: %v\n%s", err, out)
	}
	// The Placements tab's order (live, overdue and due first, then by the
	// day due), and in it a placement to review.
	s, err := store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := s.PlacementRows()
	rules, _ := s.PlacementRules()
	now, today := time.Now(), time.Now().Format(time.DateOnly)
	type line struct {
		row   store.PlacementRow
		due   time.Time
		state engine.ReviewState
	}
	var lines []line
	for _, r := range rows {
		if r.Status == store.PlacementLive {
			due := r.NextReview(store.RulesFor(rules, r.Category))
			lines = append(lines, line{r, due, engine.ReviewStateOn(due, now)})
		}
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if a.state != b.state {
			return int(a.state) - int(b.state)
		}
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return strings.Compare(a.row.ID, b.row.ID)
	})
	at := -1
	var target store.Placement
	for i, l := range lines {
		p, _ := s.Placement(l.row.ID)
		if len(p.Outcomes) > 0 && p.CostOn(today).VariableWeeklyPence > 5000 && p.LastReview() < today && p.Start <= today {
			at, target = i, p
			break
		}
	}
	s.Close()
	if at < 0 {
		t.Fatal("the demo has no live placement with outcomes and a variable cost to review")
	}

	d := startDesk(t, "env NO_COLOR=1 TERM=xterm-256color "+bin+" --db "+db+" --as e2e.officer")
	d.waitFor("300 of 300 establishments")
	d.keys("7")
	d.waitFor("[7 Placements]", "live placements · weekly commitment")
	for range at {
		d.keys("j")
	}
	d.keys("Enter")
	d.waitFor("Placements > "+target.ID, "Weekly cost today")
	d.keys("r")
	d.waitFor("Review of "+target.ID, "Review held on")
	d.keys("Tab") // held today
	for range target.Outcomes {
		d.typeText("met: reached at school and at home")
		d.keys("Tab")
	}
	for _, rating := range []string{"82", "78", "74"} {
		d.typeText(rating)
		d.keys("Tab")
	}
	d.typeText("50") // £50.00 a week from today
	d.keys("Tab", "Tab")
	d.typeText("one-to-one support reduced to mornings")
	d.keys("C-s")
	d.waitFor("Review of " + target.ID + " recorded")
	d.waitFor("Weekly cost history", "from "+engine.ShowDate(today), "variable £50.00")
	d.keys("5")
	d.waitFor("[5 Audit]", "Placement cost changed: "+target.ID, "Placement reviewed: "+target.ID, "variable weekly cost:")
	d.keys("q")
	d.waitGone()

	s, err = store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Placement(target.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := p.Costs[len(p.Costs)-1]
	if len(p.Costs) != len(target.Costs)+1 || !slices.Equal(p.Costs[:len(target.Costs)], target.Costs) || last.From != today || last.VariableWeeklyPence != 5000 || last.By != "e2e.officer" {
		t.Errorf("cost history %+v", p.Costs)
	}
	if rv := p.Reviews[len(p.Reviews)-1]; rv.Date != today || rv.Reduction == nil || rv.Ratings.Workforce != 82 || rv.By != "e2e.officer" {
		t.Errorf("review %+v", rv)
	}
	var acts []string
	entries, _ := s.Audit(store.AuditFilter{Record: target.ID, Actor: "e2e.officer"})
	for _, e := range entries {
		acts = append(acts, e.Action)
	}
	if strings.Join(acts, ",") != "placement.review,placement.cost" {
		t.Errorf("audited %v", acts)
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Errorf("verify after the desk: %v %v", ps, err)
	}
}
