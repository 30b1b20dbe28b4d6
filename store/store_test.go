package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

var testNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

func openTest(t testing.TB, path string) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "dpsdesk.db")
	}
	s, err := Open(path, Options{Actor: "officer.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func f64(v float64) *float64 { return &v }

func sampleEstablishment(id string) Establishment {
	return Establishment{
		ID: id, Name: "Oakmeadow School", URN: "126143", Categories: []string{"sen"}, Status: engine.Qualified,
		Postcode: "rh12 1ab", Town: "Horsham", Pattern: "day", TasterDay: "yes", CoreWeeklyPence: 150000,
		CoreCosts:   map[string]int64{"premises": 20000, "core_staffing": 90000},
		Inspections: []Inspection{{Framework: engine.FrameworkOfsted, Grade: "Good", Date: "2025-03-01"}},
		Needs:       []string{"ASD", "SLCN"}, Features: []string{"wheelchair-access"},
		Checks:      passingChecks("2026-01-10", "2027-01-09"),
		Methods:     MethodScores{f64(70), f64(80), f64(60)},
		Adjustments: []Adjustment{{Date: "2026-06-01", Points: 2, Reason: "six-monthly review", By: "cm"}},
	}
}

// passingChecks records every criterion passed on checked, the insurance
// valid to expires.
func passingChecks(checked, expires string) []Check {
	var out []Check
	for _, c := range engine.Criteria() {
		ch := Check{ID: c.ID, Passed: true, Evidence: "seen", Checked: checked}
		if c.ID == engine.CritInsurance {
			ch.Evidence, ch.Expires = "certificate seen", expires
		}
		out = append(out, ch)
	}
	return out
}

func TestNewStoreIsSeededAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dpsdesk.db")
	s := openTest(t, path)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("store file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	as, _ := s.Authorities()
	cs, _ := s.Categories()
	if len(as) != 7 || len(cs) != 6 {
		t.Fatalf("seeded %d authorities and %d categories, want 7 and 6", len(as), len(cs))
	}
	entries, _ := s.Audit(AuditFilter{})
	if len(entries) != 1+7+6 || entries[0].Action != "store.create" || entries[0].Actor != "officer.test" {
		t.Errorf("audit after creation: %d entries, first %+v", len(entries), entries[0])
	}
}

func TestEstablishmentRoundTrip(t *testing.T) {
	s := openTest(t, "")
	e := sampleEstablishment("126143")
	if err := s.SaveEstablishment(e, "Oak Tree Care Ltd"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Establishment("126143")
	if err != nil {
		t.Fatal(err)
	}
	if got.Postcode != "RH12 1AB" || got.Location.Lat == 0 || got.ProviderID != "oak-tree-care-ltd" {
		t.Errorf("postcode %q at %v, provider %q: want it normalised, resolved and linked", got.Postcode, got.Location, got.ProviderID)
	}
	want := e
	want.Postcode, want.Location, want.ProviderID, want.History = got.Postcode, got.Location, got.ProviderID, got.History
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the record:\n got %+v\nwant %+v", got, want)
	}
	rows, _ := s.Register()
	if len(rows) != 1 || rows[0].Provider != "Oak Tree Care Ltd" || rows[0].Inspection != "Ofsted: Good" || rows[0].NextExpiry != "2027-01-09" {
		t.Errorf("register row = %+v", rows)
	}
	// Saving it unchanged writes nothing; a change is audited by field.
	before, _ := s.Audit(AuditFilter{})
	if err := s.SaveEstablishment(got, ""); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.Audit(AuditFilter{}); len(after) != len(before) {
		t.Errorf("an unchanged save wrote %d audit entries", len(after)-len(before))
	}
	got.CoreWeeklyPence = 155000
	if err := s.SaveEstablishment(got, ""); err != nil {
		t.Fatal(err)
	}
	last, _ := s.Audit(AuditFilter{Record: "126143", Limit: 1})
	if len(last) != 1 || last[0].Action != "establishment.update" ||
		!reflect.DeepEqual(last[0].Changes, []Change{{Field: "core_weekly_pence", Before: "150000", After: "155000"}}) {
		t.Errorf("audit of the change = %+v", last)
	}
}

func TestValidationRejectsBadEstablishments(t *testing.T) {
	s := openTest(t, "")
	for _, c := range []struct {
		change func(*Establishment)
		field  string
	}{
		{func(e *Establishment) { e.ID = "" }, "id"},
		{func(e *Establishment) { e.ID = " x" }, "id"},
		{func(e *Establishment) { e.Name = " " }, "name"},
		{func(e *Establishment) { e.Categories = nil }, "categories"},
		{func(e *Establishment) { e.Categories = []string{"school"} }, "categories"},
		{func(e *Establishment) { e.Status = "approved" }, "status"},
		{func(e *Establishment) { e.Postcode = "ZZ99 9ZZ" }, "postcode"},
		{func(e *Establishment) { e.Postcode = "not a postcode" }, "postcode"},
		{func(e *Establishment) { e.Postcode = "RH12" }, "postcode"},
		{func(e *Establishment) { e.CoreWeeklyPence = -1 }, "core_weekly_pence"},
		{func(e *Establishment) { e.Pattern = "weekly" }, "pattern"},
		{func(e *Establishment) { e.TasterDay = "maybe" }, "taster_day"},
		{func(e *Establishment) { e.Inspections[0].Grade = "Met" }, "inspection_grade"},
		{func(e *Establishment) { e.Inspections[0].Date = "2025-02-30" }, "inspection_date"},
		{func(e *Establishment) {
			e.Inspections[0] = Inspection{Framework: engine.FrameworkReportCard, Grade: "Expected standard", Date: "2025-11-09"}
		}, "inspection_date"},
		{func(e *Establishment) {
			e.SetCheck(Check{ID: engine.CritInsurance, Passed: true, Expires: "2027-13-01"})
		}, "insurance_expiry"},
		{func(e *Establishment) { e.Methods.Workforce = f64(101) }, "workforce"},
		{func(e *Establishment) { e.CoreCosts["premises"] = -5 }, "core_costs.premises"},
	} {
		e := sampleEstablishment("E-1")
		e.CoreCosts = map[string]int64{"premises": 1}
		c.change(&e)
		err := s.SaveEstablishment(e, "")
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.field+":") {
			t.Errorf("want a problem with %s, got %v", c.field, err)
		}
	}
	if rows, _ := s.Register(); len(rows) != 0 {
		t.Errorf("invalid establishments were written: %d", len(rows))
	}
}

// tamper opens the closed store file with bbolt directly and changes it.
func tamper(t *testing.T, path string, fn func(audit *bolt.Bucket)) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { fn(tx.Bucket(bucketAudit)); return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestAuditChainDetectsTampering(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base.db")
	s, err := Open(base, Options{Actor: "a", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := s.SaveEstablishment(sampleEstablishment(fmt.Sprintf("E-%d", i)), ""); err != nil {
			t.Fatal(err)
		}
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Fatalf("a fresh store does not verify: %v %v", ps, err)
	}
	s.Close()

	editEntry := func(seq uint64, edit func(*AuditEntry)) func(*bolt.Bucket) {
		return func(b *bolt.Bucket) {
			var e AuditEntry
			json.Unmarshal(b.Get(u64(seq)), &e)
			edit(&e)
			data, _ := json.Marshal(e)
			b.Put(u64(seq), data)
		}
	}
	for _, c := range []struct {
		name   string
		tamper func(*bolt.Bucket)
		want   string
	}{
		{"edited actor", editEntry(16, func(e *AuditEntry) { e.Actor = "someone else" }), "audit entry 16: its content does not match its hash"},
		{"edited and rehashed", editEntry(16, func(e *AuditEntry) { e.Record = "E-9"; e.Hash = e.computeHash() }), "audit entry 17: does not follow the entry before it"},
		{"deleted", func(b *bolt.Bucket) { b.Delete(u64(16)) }, "audit entry 17: follows entry 15: entries 16 to 16 are missing"},
		{"deleted at the end", func(b *bolt.Bucket) { b.Delete(u64(19)) }, "entries at the end were removed"},
		{"reordered", func(b *bolt.Bucket) {
			x, y := bytes.Clone(b.Get(u64(16))), bytes.Clone(b.Get(u64(17)))
			b.Put(u64(16), y)
			b.Put(u64(17), x)
		}, "audit entry 16: is stored at 16 but says it is 17"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".db")
			data, _ := os.ReadFile(base)
			os.WriteFile(path, data, 0o600)
			tamper(t, path, c.tamper)
			s := openTest(t, path)
			ps, err := s.Verify()
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, p := range ps {
				all = append(all, p.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), c.want) {
				t.Errorf("verify found %q; want %q", all, c.want)
			}
		})
	}
}

func TestSecondOpenFailsFastWithAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	openTest(t, path)
	start := time.Now()
	_, err := Open(path, Options{Actor: "b"})
	want := fmt.Sprintf("dpsdesk.db is open for changes in another dpsdesk (process %d): close it there, or work from that desk", os.Getpid())
	if !errors.Is(err, ErrLocked) || err.Error() != want {
		t.Errorf("second open:\n got %v\nwant %s", err, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second open took %v, want under 2 s", d)
	}
}

func TestOpenRefusesWhatIsNotAStore(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("this is a spreadsheet, not a store\n"), 0o600)
	_, err := Open(text, Options{Actor: "a"})
	if !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), "dpsdesk verify") || !strings.Contains(err.Error(), "dpsdesk backup") {
		t.Errorf("text file: %v", err)
	}
	// A bbolt file of another program.
	other := filepath.Join(dir, "other.db")
	db, _ := bolt.Open(other, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("jobs")); return err })
	db.Close()
	if _, err := Open(other, Options{Actor: "a"}); !errors.Is(err, ErrNotStore) {
		t.Errorf("another program's bbolt file: %v", err)
	}
	// A damaged store: both meta pages overwritten.
	path := filepath.Join(dir, "damaged.db")
	s := openTest(t, path)
	s.Close()
	data, _ := os.ReadFile(path)
	for i := 16; i < 8192; i += 4096 {
		copy(data[i+4:i+64], bytes.Repeat([]byte{0xff}, 60))
	}
	os.WriteFile(path, data, 0o600)
	if _, err := Open(path, Options{Actor: "a"}); !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged store: %v", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	openTest(t, path).Close()
	db, _ := bolt.Open(path, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion+1)) })
	db.Close()
	_, err := Open(path, Options{Actor: "a"})
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "use a newer dpsdesk") {
		t.Errorf("newer schema: %v", err)
	}
}

// TestMigrationFromSchema1 opens the fixture store of the first schema: it
// is backed up, upgraded in one transaction, and verifies afterwards.
func TestMigrationFromSchema1(t *testing.T) {
	data, err := os.ReadFile("../testdata/store-schema1.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	os.WriteFile(path, data, 0o600)
	s := openTest(t, path)
	if s.MigratedFrom() == "" {
		t.Fatal("no migration happened")
	}
	if b, err := os.ReadFile(s.MigratedFrom()); err != nil || !bytes.Equal(b[:4096], data[:4096]) {
		t.Errorf("the backup before migration is missing or differs: %v", err)
	}
	if fi, _ := os.Stat(s.MigratedFrom()); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	rows, err := s.Register()
	if err != nil || len(rows) != 3 {
		t.Fatalf("register after migration: %d rows, %v", len(rows), err)
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Errorf("verify after migration: %v %v", ps, err)
	}
	last, _ := s.Audit(AuditFilter{Limit: 1})
	if last[0].Action != "store.migrate" {
		t.Errorf("last audit entry %q, want store.migrate", last[0].Action)
	}
}

// TestWriteSchema1Fixture rewrites ../testdata/store-schema1.db when asked:
// DPSDESK_WRITE_FIXTURE=1 go test ./store -run Fixture. Schema 1 is the
// current layout without the register listing and the audit head.
func TestWriteSchema1Fixture(t *testing.T) {
	if os.Getenv("DPSDESK_WRITE_FIXTURE") == "" {
		t.Skip("set DPSDESK_WRITE_FIXTURE=1 to rewrite ../testdata/store-schema1.db")
	}
	path := filepath.Join(t.TempDir(), "v1.db")
	s := openTest(t, path)
	for i, name := range []string{"Oakmeadow School", "Hollow Brook College", "Harbour House"} {
		e := sampleEstablishment(fmt.Sprintf("E-%d", i+1))
		e.Name = name
		if err := s.SaveEstablishment(e, "Fixture Care Ltd"); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	db, _ := bolt.Open(path, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error {
		tx.DeleteBucket(bucketRegister)
		tx.Bucket(bucketMeta).Delete(keyAuditHead)
		return tx.Bucket(bucketMeta).Put(keySchema, u64(1))
	})
	db.Close()
	data, _ := os.ReadFile(path)
	if err := os.WriteFile("../testdata/store-schema1.db", data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestReadOnlyRefusesChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	openTest(t, path).Close()
	s, err := Open(path, Options{Actor: "viewer", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveEstablishment(sampleEstablishment("E-1"), ""); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a change on a read-only store: %v", err)
	}
}

func TestBackupIsAConsistentPrivateCopy(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, filepath.Join(dir, "dpsdesk.db"))
	s.SaveEstablishment(sampleEstablishment("E-1"), "")
	out := filepath.Join(dir, "copy.db")
	if err := s.BackupTo(out); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}
	if err := s.BackupTo(out); err == nil {
		t.Error("a backup overwrote an existing file")
	}
	if err := s.BackupTo(s.Path()); err == nil {
		t.Error("a backup over the store itself was allowed")
	}
	c := openTest(t, out)
	if e, err := c.Establishment("E-1"); err != nil || e.Name != "Oakmeadow School" {
		t.Errorf("the copy lacks the establishment: %v", err)
	}
	if ps, _ := c.Verify(); len(ps) != 0 {
		t.Errorf("the copy does not verify: %v", ps)
	}
}

func TestSuspendAndLift(t *testing.T) {
	s := openTest(t, "")
	e := sampleEstablishment("E-1")
	e.Checks = append(e.Checks, Check{ID: engine.CritRegistration, Passed: true, Checked: "2026-01-01"})
	s.SaveEstablishment(e, "")
	if err := s.Suspend("E-1", engine.CritInsurance, ""); err == nil {
		t.Error("a suspension without a reason was accepted")
	}
	if err := s.Suspend("E-1", engine.CritInsurance, "certificate expired"); err != nil {
		t.Fatal(err)
	}
	if err := s.Suspend("E-1", engine.CritInsurance, "again"); err == nil {
		t.Error("suspended twice")
	}
	got, _ := s.Establishment("E-1")
	if got.Status != engine.Suspended || got.History[len(got.History)-1].To != engine.Suspended {
		t.Errorf("status %s, history %+v", got.Status, got.History)
	}
	// The insurance is still valid here, so to test the refusal make it
	// fail: expired yesterday.
	got.SetCheck(Check{ID: engine.CritInsurance, Passed: true, Checked: "2025-11-01", Expires: "2026-11-21"})
	s.SaveEstablishment(got, "")
	if err := s.Lift("E-1", "new certificate"); err == nil || !strings.Contains(err.Error(), "still fails: insurance expired 21 Nov 2026") {
		t.Errorf("lift while the criterion fails: %v", err)
	}
	got.SetCheck(Check{ID: engine.CritInsurance, Passed: true, Checked: "2026-11-22", Expires: "2027-11-21", Evidence: "renewed"})
	s.SaveEstablishment(got, "")
	if err := s.Lift("E-1", "renewed certificate seen"); err != nil {
		t.Fatal(err)
	}
	sus, _ := s.Suspensions("E-1")
	if len(sus) != 1 || sus[0].Open() || sus[0].Evidence != "renewed certificate seen" || sus[0].LiftedBy != "officer.test" {
		t.Errorf("suspension record %+v", sus)
	}
	if got, _ := s.Establishment("E-1"); got.Status != engine.Qualified {
		t.Errorf("status after lifting %s", got.Status)
	}
	acts := []string{}
	entries, _ := s.Audit(AuditFilter{Record: "E-1", Action: "suspension."})
	for _, e := range entries {
		acts = append(acts, e.Action)
	}
	if strings.Join(acts, ",") != "suspension.start,suspension.lift" {
		t.Errorf("audited %v", acts)
	}
}

func TestAReportCardDatedBeforeReportCardsBeganIsRefused(t *testing.T) {
	s := openTest(t, "")
	e := sampleEstablishment("E-1")
	e.Inspections = []Inspection{{Framework: engine.FrameworkReportCard, Grade: "Expected standard", Date: "31/10/2023"}}
	err := s.SaveEstablishment(e, "")
	if err == nil || !strings.Contains(err.Error(), "inspection_date: 31 Oct 2023 is before 10 Nov 2025") {
		t.Fatalf("a report card of October 2023 was not refused on its date: %v", err)
	}
	if rows, _ := s.Register(); len(rows) != 0 {
		t.Fatal("the refused establishment was written")
	}
	e.Inspections[0].Date = "10 Nov 2025" // the first day of report cards
	if err := s.SaveEstablishment(e, ""); err != nil {
		t.Fatalf("a report card of 10 Nov 2025 was refused: %v", err)
	}
	e.Inspections[0] = Inspection{Framework: engine.FrameworkOfsted, Grade: "Good", Date: "2023-10-31"}
	if err := s.SaveEstablishment(e, ""); err != nil {
		t.Fatalf("a four-point Ofsted judgement of 2023 was refused: %v", err)
	}
}

func TestDemoIsRealisticAndDeterministic(t *testing.T) {
	a, b := openTest(t, ""), openTest(t, "")
	if err := a.SeedDemo(7, testNow, nil); err != nil {
		t.Fatal(err)
	}
	b.SeedDemo(7, testNow, nil)
	var ea, eb bytes.Buffer
	a.ExportRegister(&ea)
	b.ExportRegister(&eb)
	if ea.String() != eb.String() {
		t.Error("the same seed gave two different demo registers")
	}
	es, _ := a.Establishments()
	if len(es) != DemoEstablishments {
		t.Fatalf("%d establishments", len(es))
	}
	status, frameworks, expiring := map[engine.Status]int{}, map[engine.Framework]bool{}, 0
	soon := testNow.AddDate(0, 0, 60).Format(time.DateOnly)
	for _, e := range es {
		status[e.Status]++
		in, _ := e.Inspection()
		frameworks[in.Framework] = true
		if in.Framework == engine.FrameworkReportCard && in.Date < engine.ReportCardsFrom {
			t.Errorf("%s has an Ofsted report card dated %s, before report cards began", e.ID, in.Date)
		}
		if x := e.Check(engine.CritInsurance).Expires; x >= testNow.Format(time.DateOnly) && x <= soon {
			expiring++
		}
		if e.Location.Lat < 50.5 || e.Location.Lat > 52.2 || e.Location.Lon < -1.2 || e.Location.Lon > 1.5 {
			t.Errorf("%s at %v is outside the South East", e.ID, e.Location)
		}
		if cat := e.Categories[0]; cat == engine.CategorySEN && (e.CoreWeeklyPence < 120000 || e.CoreWeeklyPence > 240000) && len(e.Categories) == 1 {
			t.Errorf("special school %s costs %d a week", e.ID, e.CoreWeeklyPence)
		}
	}
	if status[engine.Suspended] == 0 || status[engine.Qualified] < 200 || expiring == 0 || len(frameworks) != 5 {
		t.Errorf("statuses %v, %d insurances expiring within 60 days, frameworks %v", status, expiring, frameworks)
	}
	refs, _ := a.Referrals()
	states := map[ReferralStatus]bool{}
	for _, r := range refs {
		states[r.Status] = true
		if strings.Contains(strings.ToLower(r.ChildRef), "name") || r.ChildRef == "" {
			t.Errorf("child reference %q", r.ChildRef)
		}
	}
	for _, st := range ReferralStatuses() {
		if !states[st] {
			t.Errorf("no demo referral is %s", st)
		}
	}
	if ps, _ := a.Verify(); len(ps) != 0 {
		t.Errorf("demo store does not verify: %v", ps)
	}
}
