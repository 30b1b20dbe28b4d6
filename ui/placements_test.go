package ui

import (
	"regexp"
	"strings"
	"testing"

	"dpsdesk/store"
)

// TestPlacementsTabReviewWithReducedRequirement opens the Placements tab,
// a placement, records a review that lowers the variable cost from a day,
// and finds the review, the new cost period beside the old and the audit
// entries on the placement's page.
func TestPlacementsTabReviewWithReducedRequirement(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 120, 40)
	d.keys("7")
	d.mustSee("[7 Placements]", "live placements · weekly commitment", "OVERDUE")
	rows, _ := s.PlacementRows()
	var target store.Placement
	for _, r := range rows {
		p, _ := s.Placement(r.ID)
		if p.Status == store.PlacementLive && len(p.Outcomes) == 2 && p.CostOn("2026-11-22").VariableWeeklyPence > 20000 && p.Start < "2026-11-01" {
			target = p
			break
		}
	}
	if target.ID == "" {
		t.Fatal("the demo has no live placement with two outcomes and a variable cost")
	}
	// Open it: the list's order is by review; move to its row.
	for i := 0; i < 20 && !strings.Contains(d.view(), d.m.ctx.Glyphs.Cursor+" "+reviewCell(d, target.ID)); i++ {
		d.keys("j")
	}
	d.keys("enter")
	d.mustSee("Placements > "+target.ID, "Weekly cost history", "Reviews (")
	d.keys("r")
	d.mustSee("Review of "+target.ID, "Review held on")
	d.keys("tab") // the date stays today
	d.typeText("met: attends every day")
	d.keys("tab")
	d.typeText("p")
	d.keys("tab")
	d.typeText("80")
	d.keys("tab")
	d.typeText("75")
	d.keys("tab")
	d.typeText("70")
	d.keys("tab")
	d.typeText("100")
	d.keys("tab", "tab")
	d.typeText("waking night reduced")
	d.keys("ctrl+s")
	d.mustSee("Review of "+target.ID+" recorded", "requirement reduced: variable £100.00 a week from 22 Nov 2026", "attends every day",
		"requirements reduced at review 22 Nov 2026")
	// Back on the list, the reviewed placement has moved down (its next
	// review is later now) and the cursor is still on it.
	d.keys("esc")
	d.mustSee("[7 Placements]")
	if line := cursorLine(d); !strings.Contains(line, target.ID) {
		t.Errorf("after the review the cursor is on %q, not %s", line, target.ID)
	}
	d.keys("enter")
	d.mustSee("Placements > " + target.ID)
	d.keys("G")
	d.mustSee("placement review", "outcome: prepares a simple meal: progressing")
	var acts []string
	entries, _ := s.Audit(store.AuditFilter{Record: target.ID, Action: "placement."})
	for _, e := range entries {
		acts = append(acts, e.Action)
	}
	if got := strings.Join(acts[len(acts)-2:], ","); got != "placement.review,placement.cost" {
		t.Errorf("audited %v", acts)
	}
	p, _ := s.Placement(target.ID)
	if len(p.Costs) != len(target.Costs)+1 || p.Costs[len(p.Costs)-1].VariableWeeklyPence != 10000 {
		t.Errorf("costs %+v", p.Costs)
	}
	// The placement ends: no review then.
	d.keys("x")
	d.keys("tab")
	d.typeText("step_down")
	d.keys("ctrl+s")
	d.mustSee("Placement " + target.ID + " ended")
	d.keys("g")
	d.mustSee("ENDED on 22 Nov 2026 (step-down)", "after 22 Nov 2026  nothing: ended (step-down)")
	d.keys("r")
	d.mustSee("has ended")
}

// cursorLine is the line of the screen the cursor is on.
func cursorLine(d *desk) string {
	for _, line := range strings.Split(d.view(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), d.m.ctx.Glyphs.Cursor+" ") {
			return line
		}
	}
	return ""
}

// At 80 columns an overdue review says its day whole.
func TestPlacementsAt80ColumnsSayTheReviewWhole(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.keys("7")
	d.mustSee("[7 Placements]", "OVERDUE ")
	whole := regexp.MustCompile(`OVERDUE \d{1,2} [A-Z][a-z]{2}( \d{4})? `)
	for _, line := range strings.Split(d.view(), "\n") {
		if strings.Contains(line, "OVERDUE") && !whole.MatchString(line) {
			t.Errorf("the review is cut: %q", line)
		}
	}
}

// reviewCell is what the list shows of a placement's id.
func reviewCell(d *desk, id string) string {
	for _, line := range strings.Split(d.view(), "\n") {
		if strings.Contains(line, id) {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), d.m.ctx.Glyphs.Cursor))
		}
	}
	return id
}

func TestConcernOnTheEstablishmentPageAndInTheReviewQueue(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 120, 40)
	d.keys("2")
	d.mustSee("Safeguarding concerns: r checks the criterion each touches (1)", "safeguarding concern")
	e, _ := s.Establishments()
	name := e[0].Name
	d.keys("1", "/")
	d.typeText(strings.ToLower(name))
	d.keys("enter", "enter")
	d.mustSee("Concerns shared by the partners (0)")
	d.keys("w")
	d.mustSee("Concern about "+name, "Arose on")
	d.keys("tab")
	d.typeText("complaint")
	d.keys("tab")
	d.typeText("medium")
	d.keys("tab")
	d.typeText("missed sessions")
	d.keys("ctrl+s")
	d.mustSee("recorded: every partner sees it", "Concerns shared by the partners (1)", "complaint medium", "missed sessions", "concern record")
}

func TestReportsShowCommitmentAndOutcomes(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 120, 60)
	d.keys("4")
	d.mustSee("Commitment today: 13 live placements", "a year", "Outcomes met at the latest reviews")
}

func TestImprovementProposalConfirmed(t *testing.T) {
	s := testStore(t)
	props, _ := s.ImprovementProposals(testNow)
	if len(props) == 0 {
		t.Fatal("the demo proposes nothing")
	}
	d := newDesk(t, s, 120, 40)
	d.keys("7", "i")
	d.mustSee("Improvement proposals", props[0].Name, "delivery")
	d.keys("c")
	d.mustSee("Adjust " + props[0].Name + "'s score")
	d.keys("y")
	d.mustSee(props[0].Name + " adjusted by")
	e, _ := s.Establishment(props[0].Establishment)
	if a := e.Adjustments[len(e.Adjustments)-1]; !strings.Contains(a.Reason, "continuous improvement") {
		t.Errorf("adjustment %+v", a)
	}
}
