package store

import (
	"errors"
	"strings"
	"testing"
)

// A referral's case reference has its authority's shape; a name is never
// taken for one, and referrals made before keep opening.
func TestCaseReferencesFollowTheAuthoritysPattern(t *testing.T) {
	s := demoStore(t)
	wscc, err := s.Authority("wscc")
	if err != nil || wscc.CaseRefPattern != "WSCC/EHCP/#####" {
		t.Fatalf("demo WSCC pattern: %+v %v", wscc, err)
	}
	for _, c := range []struct{ ref, want string }{
		{"Jack Smith", `child_ref: "Jack Smith" is not a WSCC case reference: type it as WSCC/EHCP/12345 (never the child's name)`},
		{"WSCC/EHCP/1234", `type it as WSCC/EHCP/12345`},
		{"ESCC/EHCP/12345", `is not a WSCC case reference`},
	} {
		d := draft()
		d.ChildRef = c.ref
		_, err := s.CreateReferral(d)
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v", c.ref, err)
		}
	}
	d := draft()
	d.ChildRef = "wscc/ehcp/40412"
	r, err := s.CreateReferral(d)
	if err != nil || r.ChildRef != "WSCC/EHCP/40412" {
		t.Fatalf("lower-case reference: %q %v", r.ChildRef, err)
	}
	// A draft made before the pattern keeps saving while its reference
	// is not changed; changing it to a name is refused.
	if err := s.SetCaseRefPattern("WSCC", "W/#####"); err != nil {
		t.Fatal(err)
	}
	r.RadiusMiles = 30
	if err := s.SaveDraft(r); err != nil {
		t.Errorf("an old draft no longer saves: %v", err)
	}
	r.ChildRef = "Jack Smith"
	if err := s.SaveDraft(r); err == nil || !strings.Contains(err.Error(), "type it as W/12345") {
		t.Errorf("a name saved as the reference: %v", err)
	}
	if got, _ := s.Referral(r.ID); got.ChildRef != "WSCC/EHCP/40412" {
		t.Errorf("kept %q", got.ChildRef)
	}
	// The pattern's change is audited.
	es, _ := s.Audit(AuditFilter{Record: "WSCC", Action: "authority.pattern"})
	if len(es) != 2 || es[1].Changes[0].Before != "WSCC/EHCP/#####" || es[1].Changes[0].After != "W/#####" {
		t.Errorf("audit: %+v", es)
	}
	if w := s.DescribeEntry(es[1]); w.Text() != "West Sussex County Council (WSCC): case reference pattern set" {
		t.Errorf("in words: %q", w.Text())
	}
	officer, err := s.As(Principal{User: "jsmith", Role: RoleOfficer, Authority: "WSCC"})
	if err != nil {
		t.Fatal(err)
	}
	if err := officer.SetCaseRefPattern("WSCC", "X/#"); !errors.Is(err, ErrForbidden) {
		t.Errorf("an officer set the pattern: %v", err)
	}
	if err := s.SetCaseRefPattern("WSCC", "EHCP"); err == nil || !strings.Contains(err.Error(), "needs at least one #") {
		t.Errorf("a pattern with no digit: %v", err)
	}
	// With no pattern, any reference with a number and no spaces, never a
	// name.
	if err := s.SetCaseRefPattern("WSCC", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckCaseRef("WSCC", "Jack Smith"); err == nil || !strings.Contains(err.Error(), `"Jack Smith" is not a case reference`) {
		t.Errorf("no pattern, a name: %v", err)
	}
	if kept, err := s.CheckCaseRef("WSCC", "EHCP-9921"); err != nil || kept != "EHCP-9921" {
		t.Errorf("no pattern, a reference: %q %v", kept, err)
	}
}
