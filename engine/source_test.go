package engine

import (
	"testing"
	"time"
)

// A failure whose record came from the DfE's download says so early in
// its words, where a narrow screen still shows it.
func TestFailureNamesItsSource(t *testing.T) {
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	q := passingRecord(day.AddDate(1, 0, 0))
	for i := range q.Checks {
		if q.Checks[i].ID == CritRegistration {
			q.Checks[i] = CriterionCheck{ID: CritRegistration, Checked: day, Source: "GIAS 2026-11-28: closed 31 Aug 2026"}
		}
	}
	q.Inspections = []Judgement{{Framework: FrameworkOfsted, Grade: "Inadequate", Date: time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC), Source: "GIAS 2026-11-28"}}
	fs := Standing(q, day, nil)
	if len(fs) != 2 {
		t.Fatalf("failures %+v", fs)
	}
	want := []string{"GIAS 2026-11-28: inspection below the floor (Requires improvement): Ofsted Inadequate 12 Oct 2026",
		"registration failed: GIAS 2026-11-28: closed 31 Aug 2026"}
	for i, f := range fs {
		if f.Text() != want[i] {
			t.Errorf("%q, want %q", f.Text(), want[i])
		}
	}
}
