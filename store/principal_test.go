package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
)

func as(t *testing.T, s *Store, user string, role Role, authority string) *Store {
	t.Helper()
	h, err := s.As(Principal{User: user, Role: role, Authority: authority})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func auditLen(t *testing.T, s *Store) int {
	t.Helper()
	all, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

// TestOtherAuthoritiesReferralsAreRefused tries every read and write of
// another authority's referrals, bids and awards through the store, as an
// officer and as a viewer of East Sussex, and finds each refused with
// nothing changed; lists, the audit trail and reports leave them out.
func TestOtherAuthoritiesReferralsAreRefused(t *testing.T) {
	s := demoStore(t)
	wscc := map[ReferralStatus]Referral{}
	refs, _ := s.Referrals()
	for _, r := range refs {
		if r.Authority == "WSCC" {
			wscc[r.Status] = r
		}
	}
	for _, st := range []ReferralStatus{RefDraft, RefIssued, RefEvaluated, RefParentChoice} {
		if _, ok := wscc[st]; !ok {
			t.Fatalf("the demo has no WSCC referral %s", st)
		}
	}
	bids, err := s.Bids(wscc[RefParentChoice].ID)
	if err != nil || len(bids) == 0 {
		t.Fatalf("bids: %v %v", bids, err)
	}
	before := auditLen(t, s)

	for _, role := range []Role{RoleOfficer, RoleViewer} {
		h := as(t, s, "esx-"+string(role), role, "ESCC")
		draftRef, issued, evaluated, choice := wscc[RefDraft], wscc[RefIssued], wscc[RefEvaluated], wscc[RefParentChoice]
		newDraft := draft() // a WSCC referral
		moved := draftRef
		moved.Authority = "ESCC" // taking it over is a write to WSCC's referral
		inviteID := ""
		if len(issued.Invited) > 0 {
			inviteID = issued.Invited[0]
		}
		attempts := map[string]func() error{
			"read referral":    func() error { _, err := h.Referral(choice.ID); return err },
			"read bids":        func() error { _, err := h.Bids(choice.ID); return err },
			"read award":       func() error { _, err := h.AwardOf(choice.ID); return err },
			"read competition": func() error { _, err := h.Competition(choice.ID, 0); return err },
			"rank":             func() error { _, _, err := h.Rank(choice.ID, 0); return err },
			"export scenario":  func() error { return h.ExportScenario(choice.ID, &bytes.Buffer{}) },
			"report on WSCC":   func() error { _, err := h.Report(ReportFilter{Authority: "WSCC"}); return err },
			"create for WSCC":  func() error { _, err := h.CreateReferral(newDraft); return err },
			"edit draft":       func() error { return h.SaveDraft(draftRef) },
			"take draft over":  func() error { return h.SaveDraft(moved) },
			"widen":            func() error { return h.Widen(draftRef.ID, 5) },
			"issue":            func() error { _, err := h.Issue(draftRef.ID); return err },
			"record bid": func() error {
				return h.RecordBid(Bid{Referral: issued.ID, Establishment: inviteID, CoreWeeklyPence: 100000, OutcomesScore: 3})
			},
			"import bids": func() error {
				_, err := h.ImportBids(issued.ID, strings.NewReader("establishment,core_weekly\n"))
				return err
			},
			"close bids": func() error { return h.CloseBids(issued.ID) },
			"withdraw":   func() error { return h.Withdraw(issued.ID, "no longer needed") },
			"evaluate":   func() error { _, err := h.Evaluate(evaluated.ID); return err },
			"award": func() error {
				return h.Award(AwardRequest{Referral: evaluated.ID, Route: RouteCompetition, Start: "2026-12-01"})
			},
			"parent choice": func() error {
				return h.Award(AwardRequest{Referral: choice.ID, Establishment: bids[0].Establishment, Route: RouteParentChoice, Start: "2026-12-01", Reason: "closer"})
			},
			"defer parent choice": func() error { return h.DeferChoice(choice.ID, "2026-12-01", "taster day") },
			"reissue":             func() error { _, err := h.Reissue(evaluated.ID); return err },
		}
		for name, try := range attempts {
			err := try()
			if !errors.Is(err, ErrForbidden) {
				t.Errorf("%s: %s: want refused, got %v", role, name, err)
			}
		}
		if n := auditLen(t, s); n != before {
			t.Fatalf("%s: refused attempts wrote %d audit entries", role, n-before)
		}

		// Lists, the trail and reports hold only East Sussex's referrals.
		mine, _ := h.Referrals()
		rows, _ := h.ReferralRows()
		awards, _ := h.Awards()
		if len(mine) == 0 || len(rows) != len(mine) {
			t.Fatalf("%s sees %d referrals, %d rows", role, len(mine), len(rows))
		}
		for _, r := range mine {
			if r.Authority != "ESCC" {
				t.Errorf("%s sees %s of %s", role, r.ID, r.Authority)
			}
		}
		for _, r := range rows {
			if r.Authority != "ESCC" {
				t.Errorf("%s sees the row of %s of %s", role, r.ID, r.Authority)
			}
		}
		if len(awards) != 0 {
			t.Errorf("%s sees awards %v (East Sussex has none)", role, awards)
		}
		trail, _ := h.Audit(AuditFilter{})
		for _, e := range trail {
			if strings.HasPrefix(e.Record, "REF-") {
				if r, err := s.Referral(e.Record); err == nil && r.Authority != "ESCC" {
					t.Errorf("%s sees audit entry %d about %s of %s", role, e.Seq, e.Record, r.Authority)
				}
			}
		}
		if len(trail) == 0 {
			t.Errorf("%s sees no audit trail at all", role)
		}
		rep, err := h.Report(ReportFilter{})
		if err != nil || rep.Issued != len(mine) {
			t.Errorf("%s report: issued %d of %d, %v", role, rep.Issued, len(mine), err)
		}
	}

	// An admin sees every authority's.
	admin := as(t, s, "dps-admin", RoleAdmin, "")
	if _, err := admin.Referral(wscc[RefParentChoice].ID); err != nil {
		t.Errorf("admin: %v", err)
	}
}

func TestViewerChangesNothingAndOfficerSharesTheRegister(t *testing.T) {
	s := demoStore(t)
	viewer := as(t, s, "esx-viewer", RoleViewer, "ESCC")
	officer := as(t, s, "wsx-officer", RoleOfficer, "WSCC")
	other := as(t, s, "esx-officer", RoleOfficer, "ESCC")
	id := firstQualified(t, s)
	e, err := s.Establishment(id)
	if err != nil {
		t.Fatal(err)
	}
	own := draft()
	own.Authority = "ESCC"
	before := auditLen(t, s)
	for name, try := range map[string]func() error{
		"suspend":      func() error { return viewer.Suspend(id, engine.CritInsurance, "lapsed") },
		"edit":         func() error { return viewer.SaveEstablishment(e, "") },
		"check":        func() error { return viewer.RecordCheck(id, Check{ID: engine.CritInsurance, Passed: false}) },
		"bulk status":  func() error { return viewer.SetStatus(engine.Excluded, "test", id) },
		"own referral": func() error { _, err := viewer.CreateReferral(own); return err },
		"import":       func() error { _, err := viewer.ImportRegister(strings.NewReader(""), nil); return err },
	} {
		if err := try(); !errors.Is(err, ErrForbidden) {
			t.Errorf("viewer %s: want refused, got %v", name, err)
		}
	}
	if n := auditLen(t, s); n != before {
		t.Fatalf("a viewer's attempts wrote %d audit entries", n-before)
	}

	// A suspension is the partnership's: made by West Sussex, seen by
	// East Sussex, and named after who made it.
	changes, stop := other.Changes()
	defer stop()
	if err := officer.Suspend(id, engine.CritInsurance, "insurance lapsed"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changes:
	case <-time.After(5 * time.Second):
		t.Fatal("East Sussex's handle was not told of West Sussex's change")
	}
	got, _ := other.Establishment(id)
	if got.Status != engine.Suspended {
		t.Fatalf("East Sussex sees %s", got.Status)
	}
	last, _ := other.Audit(AuditFilter{Limit: 1})
	if len(last) != 1 || last[0].Actor != "wsx-officer" {
		t.Fatalf("last entry %+v", last)
	}
	// A handle is not woken by its own changes.
	mine, stopMine := officer.Changes()
	defer stopMine()
	if err := officer.Lift(id, "new certificate to 2027-11-30"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-mine:
		t.Fatal("a handle was woken by its own change")
	default:
	}
	if _, err := s.As(Principal{User: "x", Role: RoleOfficer}); err == nil {
		t.Error("an officer with no authority was let in")
	}
	if _, err := s.As(Principal{User: "x", Role: RoleOfficer, Authority: "NOPE"}); err == nil {
		t.Error("an unknown authority was let in")
	}
	if err := officer.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(); err != nil {
		t.Fatalf("closing a handle closed the store: %v", err)
	}
}

func TestOnlyAnAdminConfiguresCategories(t *testing.T) {
	s := openTest(t, "")
	for _, role := range []Role{RoleOfficer, RoleViewer} {
		if err := as(t, s, "someone", role, "KCC").SetCategoryCap(engine.CategorySEN, 450000); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s changed a category: %v", role, err)
		}
	}
	admin := as(t, s, "dps-admin", RoleAdmin, "")
	if err := admin.SetCategoryCap(engine.CategorySEN, -1); err == nil || !strings.Contains(err.Error(), "affordability_cap_pence") {
		t.Errorf("a negative cap: %v", err)
	}
	if err := admin.SetCategoryCap(engine.CategorySEN, 450000); err != nil {
		t.Fatal(err)
	}
	last, _ := s.Audit(AuditFilter{Limit: 1})
	if len(last) != 1 || last[0].Action != "category.update" || last[0].Actor != "dps-admin" {
		t.Fatalf("audit %+v", last)
	}
	if got := s.CategoryTerms(engine.CategorySEN).AffordabilityCapPence; got != 450000 {
		t.Fatalf("cap %d", got)
	}
}

// TestAnEditKeepsWhatOthersChangedMeanwhile: two officers on one store.
// West Sussex opens an establishment's form; East Sussex suspends it and
// renames it; West Sussex's save of a new weekly cost keeps the
// suspension, and a rename of its own is a conflict that saves nothing.
func TestAnEditKeepsWhatOthersChangedMeanwhile(t *testing.T) {
	s := demoStore(t)
	west := as(t, s, "wsx", RoleOfficer, "WSCC")
	east := as(t, s, "esx", RoleOfficer, "ESCC")
	id := firstQualified(t, s)
	base, _ := west.Establishment(id)
	if err := east.Suspend(id, engine.CritInsurance, "certificate lapsed"); err != nil {
		t.Fatal(err)
	}
	next := base
	next.CoreWeeklyPence = base.CoreWeeklyPence + 5000
	if err := west.EditEstablishment(base, next, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Establishment(id)
	if got.Status != engine.Suspended || got.CoreWeeklyPence != next.CoreWeeklyPence {
		t.Fatalf("after the edit: %s, %d", got.Status, got.CoreWeeklyPence)
	}

	theirs := got
	theirs.Name = "Renamed By East"
	if err := east.SaveEstablishment(theirs, ""); err != nil {
		t.Fatal(err)
	}
	mine := got
	mine.Name = "Renamed By West"
	before := auditLen(t, s)
	err := west.EditEstablishment(got, mine, "")
	var v *ValidationError
	if !errors.As(err, &v) || v.Problems[0].Field != "name" || !strings.Contains(v.Problems[0].Message, `"Renamed By East"`) {
		t.Fatalf("a conflicting rename: %v", err)
	}
	if n := auditLen(t, s); n != before {
		t.Fatal("a conflict wrote to the store")
	}
	if e, _ := s.Establishment(id); e.Name != "Renamed By East" {
		t.Fatalf("name %q", e.Name)
	}
	// The same change made by both is no conflict.
	if err := west.EditEstablishment(got, theirs, ""); err != nil {
		t.Fatalf("the same rename: %v", err)
	}
}

// firstQualified is the id of the register's first qualified establishment.
func firstQualified(t *testing.T, s *Store) string {
	t.Helper()
	rows, _ := s.Register()
	for _, r := range rows {
		if r.Status == engine.Qualified {
			return r.ID
		}
	}
	t.Fatal("nobody is qualified")
	return ""
}
