package ui

import (
	"bytes"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"dpsdesk/engine"
	"dpsdesk/engine/gias/giastest"
	"dpsdesk/store"
)

// The new-establishment form offers what the last GIAS import says of the
// URN typed; ctrl+g fills the empty fields, never one already typed.
func TestNewEstablishmentFormOffersGIAS(t *testing.T) {
	s := testStore(t)
	var b bytes.Buffer
	giastest.WriteFixture(&b)
	plan, err := s.PlanGIAS(&b, "GIAS 2026-11-28")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyGIAS(plan); err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, s, 120, 30)
	d.keys("n")
	d.typeText("E-GIAS-1")
	d.keys("tab")
	d.typeText("Seaview School")
	d.keys("tab", "tab")
	d.typeText("126149")
	d.mustSee("ctrl+g fills the empty fields from GIAS 2026-11-28, URN 126149:",
		"Seaview Independent School · BN1 1AA Brighton · Other independent special school · Seaview Trust · Ofsted")
	d.send(tea.KeyMsg{Type: tea.KeyCtrlG})
	d.mustSee("Filled 6 empty fields from GIAS 2026-11-28", "Seaview Trust", "BN1 1AA", "Brighton", "Outstanding", "2025-06-20")
	d.keys("tab")
	d.typeText("sen")
	for range 5 {
		d.keys("tab")
	}
	d.typeText("2000")
	d.keys("ctrl+s")
	d.mustSee("Added the new establishment")
	e, err := s.Establishment("E-GIAS-1")
	if in, _ := e.Inspection(); err != nil || e.Name != "Seaview School" || e.URN != "126149" || e.Postcode != "BN1 1AA" || in.Framework != engine.FrameworkOfsted || in.Grade != "Outstanding" {
		t.Fatalf("saved %+v %v", e, err)
	}
	// A URN GIAS did not keep offers nothing.
	d.keys("n", "tab", "tab", "tab")
	d.typeText("100001")
	d.mustNotSee("URN 100001:")
}

// The establishment's page says where a judgement came from when GIAS
// gave it, and when.
func TestEstablishmentPageNamesAJudgementsSource(t *testing.T) {
	s := testStore(t)
	es, _ := s.Establishments()
	var e store.Establishment
	for _, x := range es {
		if len(x.Inspections) > 0 && x.Inspections[0].Date != "" {
			e = x
			break
		}
	}
	e.Inspections[0].Source = "GIAS 2026-11-28" // as `import gias` records it
	if err := s.SaveEstablishment(e, ""); err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, s, 120, 40)
	d.keys("/")
	d.typeText(e.Name)
	d.keys("enter", "enter")
	d.mustSee(e.Name, engine.ShowDate(e.Inspections[0].Date)+", from GIAS 28 Nov 2026")
}
