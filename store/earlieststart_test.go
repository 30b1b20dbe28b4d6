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
	_, err := s.ImportBids(r.ID, strings.NewReader(head+fresh+",1000,0,50,2026-11-25T10:00:00Z,next week\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2: earliest_start: "next week" is not a date (YYYY-MM-DD)`) {
		t.Fatalf("a bad earliest start: %v", err)
	}
	if _, err := s.ImportBids(r.ID, strings.NewReader(head+fresh+",1000,0,50,2026-11-25T10:00:00Z,2027-01-04\n")); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Bids(r.ID)
	if i := slices.IndexFunc(after, func(b Bid) bool { return b.Establishment == fresh }); i < 0 || after[i].EarliestStart != "2027-01-04" {
		t.Errorf("imported %+v", after)
	}
}
