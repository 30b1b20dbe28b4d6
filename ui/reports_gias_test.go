package ui

import (
	"bytes"
	"testing"

	"dpsdesk/engine/gias/giastest"
)

// The Reports screen counts the market beyond the register the last GIAS
// import found, per category and partner area, under the screen's filters.
func TestReportsShowTheMarketBeyondTheRegister(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 120, 30)
	d.keys("4")
	d.mustSee("Market beyond the register: no GIAS download imported yet")
	var b bytes.Buffer
	if err := giastest.WriteFixture(&b); err != nil {
		t.Fatal(err)
	}
	plan, err := s.PlanGIAS(&b, "GIAS 2026-11-28")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyGIAS(plan); err != nil {
		t.Fatal(err)
	}
	d.keys("p") // another period: the figures are worked out again
	d.mustSee("Market beyond the register: 7 within 20 miles (GIAS 2026-11-28): sen 6 · iap 1 · BHCC 2")
	d.keys("l", "l") // iap
	d.mustSee("category: iap", "Market beyond the register: 1 within 20 miles (GIAS 2026-11-28): iap 1 · BHCC 1")
}
