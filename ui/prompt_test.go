package ui

import (
	"fmt"
	"testing"
)

// TestPromptedNumberIsReplacedByTheFirstKey: a prompt holding a proposed
// number (the points of an improvement proposal) is replaced by the first
// character typed, as a form's number field; backspace first edits it.
func TestPromptedNumberIsReplacedByTheFirstKey(t *testing.T) {
	s := testStore(t)
	props, _ := s.ImprovementProposals(testNow)
	if len(props) == 0 {
		t.Fatal("the demo proposes nothing")
	}
	p := props[0]
	label := fmt.Sprintf("Points for %s (proposed %+g; 0 for no change): ", p.Name, p.Points)
	d := newDesk(t, s, 120, 40)
	d.keys("7", "i")
	d.mustSee("Improvement proposals", p.Name)
	d.keys("e")
	d.mustSee(label + fmt.Sprint(p.Points))
	d.typeText("3")
	d.mustSee(label + "3")
	d.typeText("5")
	d.mustSee(label + "35")
	d.keys("esc", "y", "e", "backspace")
	proposed := fmt.Sprint(p.Points)
	d.typeText("9")
	d.mustSee(label + proposed[:len(proposed)-1] + "9")
}
