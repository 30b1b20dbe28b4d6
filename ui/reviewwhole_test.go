package ui

import (
	"strings"
	"testing"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// The row under the cursor is said whole below the queue: a suspended
// establishment says when it was recorded and, by the rule (evaluation.md
// §1), from when it was in effect, and why.
func TestReviewSaysTheSelectedRowWhole(t *testing.T) {
	s := testStore(t)
	items, err := s.ReviewQueue(testNow)
	if err != nil {
		t.Fatal(err)
	}
	var it store.ReviewItem
	for _, x := range items {
		if x.Kind == store.ReviewSuspended && !x.ReadyToLift && x.InEffect != "" && x.InEffect < x.Date && len(x.Why) > 40 {
			it = x
			break
		}
	}
	if it.ID == "" {
		t.Fatal("the demo has no suspension recorded after its criterion failed, with a long reason")
	}
	if it.Date != testNow.Format("2006-01-02") {
		t.Errorf("the demo's suspension is recorded %s, not as the demo was made (%s)", it.Date, testNow.Format("2006-01-02"))
	}
	d := newDesk(t, s, 120, 40)
	d.keys("2", "/")
	d.typeText(strings.ToLower(it.Name))
	d.keys("enter")
	d.mustSee(it.Name + ": suspended " + engine.ShowDate(it.Date) + ", in effect from " + engine.ShowDate(it.InEffect))
	d.mustSee(it.Why)

	// At 80 columns the row is cut; below the queue it is whole, wrapped.
	d = newDesk(t, s, 80, 24)
	d.keys("2", "/")
	d.typeText(strings.ToLower(it.Name))
	d.keys("enter")
	var below string
	lines := strings.Split(d.view(), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "  "+it.Name+": ") {
			for _, w := range lines[i : i+3] {
				below += " " + strings.TrimSpace(w)
			}
		}
	}
	if !strings.Contains(below, it.Why) {
		t.Errorf("below the queue %q does not say %q whole", below, it.Why)
	}
}
