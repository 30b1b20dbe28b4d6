package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
)

func TestArrangementsAreValidatedByRegime(t *testing.T) {
	for _, c := range []struct {
		a    Arrangement
		want string
	}{
		{Arrangement{ID: "OLD", Title: "t", Regime: RegimePCR2015, Established: "2025-03-01", Categories: []string{"sen"}}, "established: a PCR 2015 DPS was established before 2025-02-24"},
		{Arrangement{ID: "OLD", Title: "t", Regime: RegimePCR2015, Established: "2021-03-01", Ends: "2030-01-01", Categories: []string{"sen"}}, "ends: a PCR 2015 DPS ends on 2029-02-23 at the latest"},
		{Arrangement{ID: "NEW", Title: "t", Regime: RegimePA2023, Established: "2025-06-01", OCID: "ocds-h6vhtk-05d1e7", Categories: []string{"sen"}}, "unique_id: the dynamic market's unique identifier"},
		{Arrangement{ID: "NEW", Title: "t", Regime: RegimePA2023, Established: "2025-06-01", UniqueID: "DM-1", OCID: "h6vhtk-1", Categories: []string{"sen"}}, `ocid: "h6vhtk-1" is not an ocid`},
		{Arrangement{ID: "NEW", Title: "t", Regime: RegimePA2023, Established: "2024-06-01", UniqueID: "DM-1", OCID: "ocds-h6vhtk-1", Categories: []string{"sen"}}, "established: a Procurement Act 2023 dynamic market is set up from 2025-02-24"},
		{Arrangement{ID: "X", Title: "t", Regime: "pcr2006", Established: "2021-01-01", Categories: []string{"sen"}}, `regime: unknown regime "pcr2006"`},
		{Arrangement{ID: "X", Title: "t", Regime: RegimePCR2015, Established: "2021-01-01", Categories: []string{"schools"}}, `categories: unknown category "schools"`},
	} {
		if err := c.a.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.a, err, c.want)
		}
	}
	for _, a := range DemoArrangements() {
		if err := a.Validate(); err != nil {
			t.Errorf("demo %s: %v", a.ID, err)
		}
	}
}

func TestSettingAnArrangementIsAnAdminsAuditedChange(t *testing.T) {
	s := openTest(t, "")
	a := DemoArrangements()[0]
	officer, _ := s.As(Principal{User: "jsmith", Role: RoleOfficer, Authority: "WSCC"})
	if err := officer.SetArrangement(a); !errors.Is(err, ErrForbidden) {
		t.Fatalf("an officer set an arrangement: %v", err)
	}
	if err := s.SetArrangement(a); err != nil {
		t.Fatal(err)
	}
	got, err := s.Arrangement(a.ID)
	if err != nil || got.Regime != RegimePCR2015 || got.Established != "2021-04-01" {
		t.Fatalf("%+v %v", got, err)
	}
	entries, _ := s.Audit(AuditFilter{Record: "arrangement:" + a.ID})
	if len(entries) != 1 || entries[0].Action != "arrangement.set" {
		t.Fatalf("audit: %+v", entries)
	}
	// A category goes through one arrangement at a time.
	b := DemoArrangements()[1]
	b.Categories = append(b.Categories, engine.CategorySEN)
	if err := s.SetArrangement(b); err == nil || !strings.Contains(err.Error(), "sen is placed through SET-DPS-2021") {
		t.Errorf("overlapping categories: %v", err)
	}
	if as, _ := s.Arrangements(); len(as) != 1 {
		t.Errorf("a refused arrangement was kept: %+v", as)
	}
}

func TestIssueRecordsTheArrangementAndRefusesACategoryWithNone(t *testing.T) {
	s := demoStore(t)
	r, err := s.CreateReferral(draft())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Issue(r.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Referral(r.ID)
	if got.Arrangement != "SET-DPS-2021" || got.Regime != RegimePCR2015 {
		t.Errorf("issued under %q (%s), want the PCR DPS", got.Arrangement, got.Regime)
	}
	entries, _ := s.Audit(AuditFilter{Record: r.ID, Action: "referral.issue"})
	named := false
	for _, e := range entries {
		for _, c := range e.Changes {
			named = named || (c.Field == "arrangement" && c.After == "SET-DPS-2021")
		}
	}
	if !named {
		t.Errorf("the issue's audit entry does not name the arrangement: %+v", entries)
	}
	// The regime of an arrangement in use cannot change.
	a, _ := s.Arrangement("SET-DPS-2021")
	a.Regime, a.UniqueID, a.OCID, a.Established = RegimePA2023, "DM-1", "ocds-abcdef-1", "2025-03-01"
	if err := s.SetArrangement(a); err == nil || !strings.Contains(err.Error(), "its regime cannot change") {
		t.Errorf("regime changed under issued referrals: %v", err)
	}
	// A category that no open arrangement places is not issued.
	a, _ = s.Arrangement("SET-DPS-2021")
	a.Ends = testNow.AddDate(0, 0, -1).Format(time.DateOnly)
	if err := s.SetArrangement(a); err != nil {
		t.Fatal(err)
	}
	r2, _ := s.CreateReferral(draft())
	if _, err := s.Issue(r2.ID); err == nil || !strings.Contains(err.Error(), "no DPS arrangement places the sen category") {
		t.Errorf("issued with no arrangement open: %v", err)
	}
	if got, _ := s.Referral(r2.ID); got.Status != RefDraft {
		t.Errorf("a refused issue changed the referral: %s", got.Status)
	}
}

func TestUKDate(t *testing.T) {
	at := time.Date(2026, 9, 30, 23, 30, 0, 0, time.UTC) // 00:30 BST on 1 Oct
	if d := UKDate(at); d != "2026-10-01" {
		t.Errorf("UKDate = %s", d)
	}
}

func TestRegisterCSVSupplierIdentityIsCheckedWithLineAndColumn(t *testing.T) {
	s := openTest(t, "")
	head := "id,name,categories,postcode,core_weekly_pence,company_number,charity_number,ppon,registered_address,sme,vcse\n"
	good := "E-1,Oak School,sen,RH12 1AB,150000,01234567,,PBHM-7586-PWLP,\"1 High Street, Horsham\",yes,no\n"
	bad := "E-2,Elm School,sen,RH12 1AB,150000,1234567,12ab,PBHM-7586-PWLA,,maybe,yes\n"
	_, err := s.ImportRegister(strings.NewReader(head+good+bad), nil)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("imported a bad supplier identity: %v", err)
	}
	for _, want := range []string{
		`line 3: company_number: "1234567" is not a Companies House number`, "(Companies House numbers keep their leading zeros: 01234567)",
		`line 3: charity_number: "12AB" is not a Charity Commission number`,
		`line 3: ppon: "PBHM-7586-PWLA" is not a PPON`,
		`line 3: sme: must be yes, no or empty (not known), not "maybe"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "line 2") {
		t.Errorf("the good row is blamed:\n%v", err)
	}
	if _, err := s.ImportRegister(strings.NewReader(head+good), nil); err != nil {
		t.Fatal(err)
	}
	e, _ := s.Establishment("E-1")
	if e.Supplier != (Supplier{CompanyNumber: "01234567", PPON: "PBHM-7586-PWLP", RegisteredAddress: "1 High Street, Horsham", SME: "yes", VCSE: "no"}) {
		t.Errorf("supplier %+v", e.Supplier)
	}
	if sch, id, _ := e.Supplier.Identifier(); sch+"-"+id != "GB-PPON-PBHM-7586-PWLP" {
		t.Errorf("identifier %s-%s", sch, id)
	}
	var out strings.Builder
	s.ExportRegister(&out)
	if !strings.Contains(out.String(), `,01234567,,PBHM-7586-PWLP,"1 High Street, Horsham",yes,no`) {
		t.Errorf("export:\n%s", out.String())
	}
}

func TestDemoSuppliersAreValid(t *testing.T) {
	s := demoStore(t)
	es, _ := s.Establishments()
	for _, e := range es {
		if _, _, ok := e.Supplier.Identifier(); !ok || e.Supplier.SME == "" || e.Supplier.VCSE == "" {
			t.Fatalf("demo %s supplier %+v", e.ID, e.Supplier)
		}
	}
}
