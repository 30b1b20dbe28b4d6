package store

import (
	"strings"
	"testing"
)

// Ids are typed without regard to case; the record keeps its own.
func TestIdsAreFoundWhateverTheCase(t *testing.T) {
	s := demoStore(t)
	r := referralOf(t, s, RefIssued)
	got, err := s.Referral(strings.ToLower(r.ID))
	if err != nil || got.ID != r.ID {
		t.Fatalf("Referral(%q): %v %v", strings.ToLower(r.ID), got.ID, err)
	}
	bids, err := s.Bids(strings.ToLower(r.ID))
	want, _ := s.Bids(r.ID)
	if err != nil || len(bids) != len(want) || len(want) == 0 {
		t.Errorf("Bids lower-case: %d of %d, %v", len(bids), len(want), err)
	}
	var sc string
	ests, _ := s.Establishments()
	for _, e := range ests {
		if strings.HasPrefix(e.ID, "SC") {
			sc = e.ID
			break
		}
	}
	if e, err := s.Establishment(strings.ToLower(sc)); err != nil || e.ID != sc {
		t.Errorf("Establishment(%q): %q %v", strings.ToLower(sc), e.ID, err)
	}
	if s.CanonicalAuthority("wscc") != "WSCC" || s.CanonicalCategory(strings.ToUpper(draft().Category)) != draft().Category {
		t.Errorf("authority/category canonical: %q %q", s.CanonicalAuthority("wscc"), s.CanonicalCategory(strings.ToUpper(draft().Category)))
	}
	// A referral made with the authority typed in lower case keeps WSCC.
	d := draft()
	d.Authority = "wscc"
	d.Category = strings.ToUpper(d.Category)
	made, err := s.CreateReferral(d)
	if err != nil || made.Authority != "WSCC" || made.Category != draft().Category {
		t.Fatalf("create with lower-case authority: %+v %v", made, err)
	}
	// The audit trail is filtered by a record however it is typed.
	entries, err := s.Audit(AuditFilter{Record: strings.ToLower(made.ID)})
	if err != nil || len(entries) == 0 || entries[0].Record != made.ID {
		t.Errorf("audit of %q: %d entries %v", strings.ToLower(made.ID), len(entries), err)
	}
	if _, err := s.Referral("REF-NONE"); err == nil || !strings.Contains(err.Error(), `referral "REF-NONE": not found`) {
		t.Errorf("a referral that is not there: %v", err)
	}
}
