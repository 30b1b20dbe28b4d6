package store

import (
	"slices"
	"strings"
	"testing"
)

func TestImportBidsWithTheEarliestStart(t *testing.T) {
	s := demoStore(t)
	r := referralOf(t, s, RefIssued)
	bids, _ := s.Bids(r.ID)
	var fresh string
	for _, id := range r.Invited {
		if !slices.ContainsFunc(bids, func(b Bid) bool { return b.Establishment == id }) {
			fresh = id
		}
	}
	head := "establishment,core_weekly_pence,variable_weekly_pence,outcomes_score,submitted,earliest_start\n"
	_, err := s.ImportBids(r.ID, strings.NewReader(head+fresh+",1000,0,50,2026-11-22T09:30:00Z,next week\n"), false)
	if err == nil || !strings.Contains(err.Error(), `line 2: earliest_start: "next week" is not a date: type it as 22/11/2026, 22 Nov 2026 or 2026-11-22`) {
		t.Fatalf("a bad earliest start: %v", err)
	}
	if _, err := s.ImportBids(r.ID, strings.NewReader(head+fresh+",1000,0,50,2026-11-22T09:30:00Z,2027-01-04\n"), false); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Bids(r.ID)
	if i := slices.IndexFunc(after, func(b Bid) bool { return b.Establishment == fresh }); i < 0 || after[i].EarliestStart != "2027-01-04" {
		t.Errorf("imported %+v", after)
	}
}

// A date is typed as an English office writes it and kept as YYYY-MM-DD.
func TestTypedDatesAreKeptAsISO(t *testing.T) {
	s := demoStore(t)
	ests, err := s.Establishments()
	if err != nil || len(ests) == 0 {
		t.Fatal(err)
	}
	id := ests[0].ID
	if err := s.RecordCheck(id, Check{ID: "insurance", Passed: true, Evidence: "policy seen", Checked: "2 Nov 2026", Expires: "22/11/2027"}); err != nil {
		t.Fatal(err)
	}
	e, _ := s.Establishment(id)
	if c := e.Check("insurance"); c.Expires != "2027-11-22" || c.Checked != "2026-11-02" {
		t.Errorf("kept %+v", c)
	}
	err = s.RecordCheck(id, Check{ID: "insurance", Passed: true, Evidence: "x", Expires: "31/02/2027"})
	if err == nil || !strings.Contains(err.Error(), `insurance.expires: "31/02/2027" is not a date: type it as 22/11/2026, 22 Nov 2026 or 2026-11-22`) {
		t.Errorf("a day not on the calendar: %v", err)
	}
}
