package store

import (
	"errors"
	"strings"
	"testing"
)

func TestProfileIsSavedWithItsAuditEntry(t *testing.T) {
	s := openTest(t, "")
	if _, ok, err := s.Profile("officer.test"); ok || err != nil {
		t.Fatalf("a new store has a profile: %v %v", ok, err)
	}
	p := Profile{DisplayName: "Sam Patel, SEND commissioning", Phone: "01243 777100", Email: "sam.patel@westsussex.gov.uk"}
	if err := s.SetProfile(p); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Profile("officer.test")
	if !ok || err != nil || got.DisplayName != p.DisplayName || got.Phone != p.Phone || got.Email != p.Email || got.User != "officer.test" {
		t.Fatalf("profile %+v %v %v", got, ok, err)
	}
	entries, _ := s.Audit(AuditFilter{Record: "user:officer.test"})
	if len(entries) != 1 || entries[0].Action != "profile.update" || len(entries[0].Changes) != 3 {
		t.Fatalf("audit %+v", entries)
	}
	// Saving the same again records nothing; one change records one field.
	s.SetProfile(p)
	p.Phone = "01243 777101"
	if err := s.SetProfile(p); err != nil {
		t.Fatal(err)
	}
	entries, _ = s.Audit(AuditFilter{Record: "user:officer.test"})
	if len(entries) != 2 || len(entries[1].Changes) != 1 || entries[1].Changes[0].Before != "01243 777100" {
		t.Fatalf("audit %+v", entries)
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Errorf("verify: %v %v", ps, err)
	}
}

func TestProfileRefusesBadFieldsByName(t *testing.T) {
	s := openTest(t, "")
	before, _ := s.Audit(AuditFilter{})
	err := s.SetProfile(Profile{DisplayName: " ", Phone: "call me", Email: "sam@"})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 3 {
		t.Fatalf("got %v", err)
	}
	for i, f := range []string{"display_name", "phone", "email"} {
		if ve.Problems[i].Field != f {
			t.Errorf("problem %d is %q, want %q", i, ve.Problems[i].Field, f)
		}
	}
	if !strings.Contains(err.Error(), "phone") {
		t.Errorf("error does not name the field: %v", err)
	}
	after, _ := s.Audit(AuditFilter{})
	if len(after) != len(before) {
		t.Error("a refused profile wrote to the audit trail")
	}
}

func TestProfileRefusedToAViewer(t *testing.T) {
	s := openTest(t, "")
	v, err := s.As(Principal{User: "akhan", Role: RoleViewer, Authority: "ESCC"})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.SetProfile(Profile{DisplayName: "A Khan", Phone: "01273 481000", Email: "a.khan@eastsussex.gov.uk"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a viewer saved a profile: %v", err)
	}
}
