package publish

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var testNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

func demo(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{Actor: "officer.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SeedDemo(2026, testNow, nil); err != nil {
		t.Fatal(err)
	}
	// A direct placement too, so every route is published.
	refs, _ := s.Referrals()
	es, _ := s.Establishments()
	for _, r := range refs {
		if r.Status == store.RefIssued {
			for _, e := range es {
				if e.Status == engine.Qualified {
					if err := s.Award(store.AwardRequest{Referral: r.ID, Establishment: e.ID, Route: store.RouteDirect, Start: "2026-12-01",
						WeeklyPence: 210000, Justification: "placement breakdown; panel approved"}); err != nil {
						t.Fatal(err)
					}
					break
				}
			}
			break
		}
	}
	return s
}

var opts = Options{Publisher: "West Sussex County Council", OCIDPrefix: "ocds-setdps", URI: "urn:dpsdesk:awards:2026Q4", Now: testNow}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./store/publish -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file:\n%s", name, got)
	}
}

// validator compiles the official OCDS 1.1.5 release package schema, with
// the release schema it refers to mapped to the local copy: no network.
func validator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	base := "https://standard.open-contracting.org/schema/1__1__5/"
	for _, name := range []string{"release-package-schema.json", "release-schema.json"} {
		f, err := os.Open(filepath.Join("..", "..", "testdata", "ocds-1.1.5", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(base+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile(base + "release-package-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestOCDSValidatesAgainstTheOfficialSchema(t *testing.T) {
	s := demo(t)
	q, _ := ParseQuarter("2026Q4")
	awards, err := Collect(s, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(awards) != 3 {
		t.Fatalf("%d awards in 2026Q4, want the demo's 2 and the direct placement", len(awards))
	}
	var buf bytes.Buffer
	if err := OCDS(&buf, awards, opts); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sch := validator(t)
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the package does not validate against OCDS 1.1.5: %v", err)
	}
	// The validator does reject what the standard forbids.
	broken := strings.Replace(buf.String(), `"ocid"`, `"ocidd"`, 1)
	if bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(broken)); sch.Validate(bad) == nil {
		t.Fatal("a release without its ocid validated: the schema check proves nothing")
	}
	golden(t, "demo-2026Q4.ocds.json", buf.Bytes())
	// Stable ids: publishing again gives the same ids.
	var again bytes.Buffer
	OCDS(&again, awards, opts)
	if again.String() != buf.String() {
		t.Error("publishing twice gives different output")
	}
	var p struct {
		Releases []struct {
			OCID    string `json:"ocid"`
			Parties []struct {
				Roles []string `json:"roles"`
			} `json:"parties"`
			Awards []struct {
				Value struct{ Currency string } `json:"value"`
			} `json:"awards"`
		} `json:"releases"`
	}
	json.Unmarshal(buf.Bytes(), &p)
	for _, r := range p.Releases {
		if !strings.HasPrefix(r.OCID, "ocds-setdps-REF-2026-") || r.Parties[0].Roles[0] != "buyer" || r.Parties[1].Roles[0] != "supplier" || r.Awards[0].Value.Currency != "GBP" {
			t.Errorf("release %+v", r)
		}
	}
}

func TestContractsFinderCSV(t *testing.T) {
	s := demo(t)
	q, _ := ParseQuarter("2026Q4")
	awards, _ := Collect(s, q)
	var buf bytes.Buffer
	if err := ContractsFinder(&buf, awards, opts); err != nil {
		t.Fatal(err)
	}
	golden(t, "demo-2026Q4.contracts-finder.csv", buf.Bytes())
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "Notice identifier,Title") {
		t.Errorf("csv:\n%s", buf.String())
	}
}

// TestNothingPersonalIsPublished: no child's case reference, and no need,
// in either format.
func TestNothingPersonalIsPublished(t *testing.T) {
	s := demo(t)
	q, _ := ParseQuarter("2026Q4")
	awards, _ := Collect(s, q)
	var out bytes.Buffer
	OCDS(&out, awards, opts)
	ContractsFinder(&out, awards, opts)
	text := out.String()
	for _, a := range awards {
		if strings.Contains(text, a.Referral.ChildRef) {
			t.Errorf("the case reference %s is published", a.Referral.ChildRef)
		}
		for _, n := range a.Referral.Needs {
			if strings.Contains(text, `"`+n.ID+`"`) || strings.Contains(text, ","+n.ID+",") || strings.Contains(text, engine.NeedTitle(n.ID)) {
				t.Errorf("the need %s is published", n.ID)
			}
		}
		if a.Award.Reason != "" && strings.Contains(text, a.Award.Reason) {
			t.Error("the parents' reason is published")
		}
	}
	if strings.Contains(text, "EHCP") {
		t.Error("an EHCP reference is published")
	}
}

func TestQuarters(t *testing.T) {
	q, err := ParseQuarter("2026Q4")
	from, to := q.Span()
	if err != nil || from.Format(time.DateOnly) != "2026-10-01" || to.Format(time.DateOnly) != "2027-01-01" {
		t.Errorf("2026Q4 = %v to %v, %v", from, to, err)
	}
	for _, bad := range []string{"2026Q5", "2026-Q4", "Q4", "26Q1", ""} {
		if _, err := ParseQuarter(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// BenchmarkPublishQuarter publishes a quarter of 2,000 awards as OCDS
// (issue 7: under 1 s), reading them from the store.
func BenchmarkPublishQuarter(b *testing.B) {
	s, err := store.Open(filepath.Join(b.TempDir(), "big.db"), store.Options{Actor: "bench", Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var csv strings.Builder
	csv.WriteString("id,name,provider,categories,status,postcode,core_weekly_pence,insurance_expiry\n")
	for i := range 20 {
		fmt.Fprintf(&csv, "E-%02d,School %d,Provider %d,sen,qualified,RH12 1AB,150000,2027-06-30\n", i, i, i%5)
	}
	if _, err := s.ImportRegister(strings.NewReader(csv.String()), nil); err != nil {
		b.Fatal(err)
	}
	for i := range 2000 {
		r, err := s.CreateReferral(store.Referral{Authority: "WSCC", ChildRef: fmt.Sprintf("WSCC/%05d", i), Category: "sen",
			HomePostcode: "RH12 1", RadiusMiles: 20, QualityWeight: 50})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Award(store.AwardRequest{Referral: r.ID, Establishment: fmt.Sprintf("E-%02d", i%20), Route: store.RouteDirect,
			Start: "2026-12-01", WeeklyPence: int64(150000 + i), Justification: "benchmark"}); err != nil {
			b.Fatal(err)
		}
	}
	q, _ := ParseQuarter("2026Q4")
	for b.Loop() {
		awards, err := Collect(s, q)
		if err != nil || len(awards) != 2000 {
			b.Fatalf("%d awards, %v", len(awards), err)
		}
		var buf bytes.Buffer
		if err := OCDS(&buf, awards, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAssessmentSummaries(t *testing.T) {
	s := demo(t)
	refs, _ := s.Referrals()
	var awarded store.Referral
	for _, r := range refs {
		if r.Status == store.RefAwarded && r.Category == engine.CategorySEN {
			awarded = r
			break
		}
	}
	sums, err := Summaries(s, awarded.ID)
	if err != nil {
		t.Fatal(err)
	}
	bids, _ := s.Bids(awarded.ID)
	if len(sums) != len(bids) {
		t.Fatalf("%d summaries for %d bids", len(sums), len(bids))
	}
	a, _ := s.AwardOf(awarded.ID)
	var all strings.Builder
	for _, sm := range sums {
		all.WriteString("==== " + sm.Establishment + "\n" + sm.Text)
		for _, b := range bids {
			if b.Establishment == sm.Establishment {
				continue
			}
			e, _ := s.Establishment(b.Establishment)
			if strings.Contains(sm.Text, b.Establishment) || strings.Contains(sm.Text, e.Name) {
				t.Errorf("the summary for %s names another bidder %s", sm.Establishment, b.Establishment)
			}
		}
		if strings.Contains(sm.Text, "£") || strings.Contains(sm.Text, awarded.ChildRef) {
			t.Errorf("the summary for %s holds a price or the case reference", sm.Establishment)
		}
		want := "not successful"
		if sm.Establishment == a.Establishment {
			want = "your bid was successful"
		}
		if !strings.Contains(sm.Text, want) {
			t.Errorf("the summary for %s lacks %q:\n%s", sm.Establishment, want, sm.Text)
		}
	}
	golden(t, "demo-summaries.txt", []byte(all.String()))
	if _, err := Summaries(s, refs[0].ID); err == nil || !strings.Contains(err.Error(), "has not been awarded yet") {
		t.Errorf("summaries of a draft: %v", err)
	}
}
