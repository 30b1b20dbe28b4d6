package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

var opts = Options{Publisher: "West Sussex County Council", OCIDPrefix: "ocds-setdps", URI: "urn:dpsdesk:awards:2026Q4", Now: testNow, Choices: DefaultChoices()}

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
// With uk, the Cabinet Office UK extension's release schema is applied to
// it first as a JSON Merge Patch (RFC 7386), as Find a Tender declares.
func validator(t testing.TB, uk bool) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	base := "https://standard.open-contracting.org/schema/1__1__5/"
	read := func(path ...string) any {
		f, err := os.Open(filepath.Join(append([]string{"..", "..", "testdata"}, path...)...))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	for _, name := range []string{"release-package-schema.json", "release-schema.json"} {
		doc := read("ocds-1.1.5", name)
		if uk && name == "release-schema.json" {
			doc = mergePatch(doc, read("ocds-uk-extension", "release-schema.json"))
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

// mergePatch applies an RFC 7386 JSON Merge Patch: objects merge member by
// member, null removes, anything else replaces.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

func validate(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

func collect(t *testing.T, s *store.Store, quarter string) ([]Award, Quarter) {
	t.Helper()
	q, err := ParseQuarter(quarter)
	if err != nil {
		t.Fatal(err)
	}
	awards, err := Collect(s, q)
	if err != nil {
		t.Fatal(err)
	}
	return awards, q
}

// TestOCDSForAwardsUnderNoArrangement: a store from before arrangements
// still publishes its awards as a plain OCDS 1.1.5 package.
func TestOCDSForAwardsUnderNoArrangement(t *testing.T) {
	s := legacyStore(t, 3)
	awards, _ := collect(t, s, "2026Q4")
	if len(awards) != 3 {
		t.Fatalf("%d awards", len(awards))
	}
	var buf bytes.Buffer
	if err := OCDS(&buf, awards, opts); err != nil {
		t.Fatal(err)
	}
	sch := validator(t, false)
	if err := validate(t, sch, buf.Bytes()); err != nil {
		t.Fatalf("the package does not validate against OCDS 1.1.5: %v", err)
	}
	// The validator does reject what the standard forbids.
	if validate(t, sch, []byte(strings.Replace(buf.String(), `"ocid"`, `"ocidd"`, 1))) == nil {
		t.Fatal("a release without its ocid validated: the schema check proves nothing")
	}
	golden(t, "legacy-2026Q4.ocds.json", buf.Bytes())
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

// legacyStore has n direct awards in 2026Q4 and no arrangement at all.
func legacyStore(t testing.TB, n int) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "legacy.db"), store.Options{Actor: "officer.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var csv strings.Builder
	csv.WriteString("id,name,provider,categories,status,postcode,core_weekly_pence,insurance_expiry\n")
	for i := range 20 {
		fmt.Fprintf(&csv, "E-%02d,School %d,Provider %d,sen,qualified,RH12 1AB,150000,2027-06-30\n", i, i, i%5)
	}
	if _, err := s.ImportRegister(strings.NewReader(csv.String()), nil); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		r, err := s.CreateReferral(store.Referral{Authority: "WSCC", ChildRef: fmt.Sprintf("WSCC/%05d", i), Category: "sen",
			HomePostcode: "RH12 1", RadiusMiles: 20, QualityWeight: 50})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Award(store.AwardRequest{Referral: r.ID, Establishment: fmt.Sprintf("E-%02d", i%20), Route: store.RouteDirect,
			Start: "2026-12-01", WeeklyPence: int64(150000 + i), Justification: "benchmark"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestFindATenderNoticesValidateWithTheUKExtension: the demo's dynamic
// market awards as UK6 and UK7 releases, valid against OCDS 1.1.5 with the
// UK extension's patch applied, and as the golden files say.
func TestFindATenderNoticesValidateWithTheUKExtension(t *testing.T) {
	s := demo(t)
	awards, _ := collect(t, s, "2026Q4")
	pa, pcr := Split(awards, store.RegimePA2023)
	if len(pa) == 0 || len(pcr) == 0 {
		t.Fatalf("the demo's 2026Q4 has %d dynamic market awards and %d PCR DPS awards: want both", len(pa), len(pcr))
	}
	sch := validator(t, true)
	for _, n := range []Notice{UK6, UK7} {
		var buf bytes.Buffer
		if err := FindATender(&buf, pa, n, opts); err != nil {
			t.Fatal(err)
		}
		if err := validate(t, sch, buf.Bytes()); err != nil {
			t.Fatalf("%s does not validate against OCDS 1.1.5 with the UK extension: %v\n%s", n, err, buf.String())
		}
		golden(t, "demo-2026Q4."+strings.ToLower(string(n))+".json", buf.Bytes())
		text := buf.String()
		for _, want := range []string{`"noticeType": "` + string(n) + `"`, `"specialRegime": [`, `"lightTouch"`, `"relatedProcesses"`,
			`"identifier": "ocds-h6vhtk-05d1e7"`, `"amountGross"`, `"id": "GB-`, `"vcse"`, ukExtension} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %s", n, want)
			}
		}
		if n == UK6 && !strings.Contains(text, `"assessmentSummariesDateSent": "2026-11-20T00:00:00Z"`) {
			t.Errorf("UK6 lacks the summaries' sent date:\n%s", text)
		}
		if n == UK7 && !strings.Contains(text, `"dateSigned": "2026-11-21T00:00:00Z"`) {
			t.Errorf("UK7 lacks the day the contract was entered into:\n%s", text)
		}
	}
	// The patch is applied: a gross amount that is not a number fails only
	// with it, and the plain schema alone would not have caught it.
	var buf bytes.Buffer
	FindATender(&buf, pa, UK6, opts)
	bad := regexp.MustCompile(`"amountGross": [0-9.]+`).ReplaceAllString(buf.String(), `"amountGross": "lots"`)
	if validate(t, sch, []byte(bad)) == nil {
		t.Error("a gross amount that is not a number validated: the UK patch is not applied")
	}
	if validate(t, validator(t, false), []byte(bad)) != nil {
		t.Error("the plain schema knows amountGross: the test proves nothing about the patch")
	}
}

// A buyer whose PPON is recorded is named by it, with its identifier, in
// every notice, and the notice still validates; until then buyer-CODE.
func TestBuyersAreNamedByTheirPPON(t *testing.T) {
	s := demo(t)
	awards, _ := collect(t, s, "2026Q4")
	pa, _ := Split(awards, store.RegimePA2023)
	for i := range pa {
		pa[i].Buyer.PPON = "PBHM-7586-PWLP"
	}
	var buf bytes.Buffer
	if err := FindATender(&buf, pa, UK6, opts); err != nil {
		t.Fatal(err)
	}
	if err := validate(t, validator(t, true), buf.Bytes()); err != nil {
		t.Fatalf("with the buyer's PPON: %v", err)
	}
	text := buf.String()
	for _, want := range []string{`"id": "GB-PPON-PBHM-7586-PWLP"`, `"scheme": "GB-PPON"`, `"legalName": "` + pa[0].Buyer.Name + `"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %s", want)
		}
	}
	if strings.Contains(text, `"buyer-`) {
		t.Error("a buyer with a PPON is still named buyer-CODE")
	}
}

// TestEveryDemoQuarterIsValidOrWritesNothing: each quarter of the demo's
// year and the next, under each notice: a valid package, or nothing at
// all for a quarter without such awards (an OCDS 1.1.5 package holds one
// release or more).
func TestEveryDemoQuarterIsValidOrWritesNothing(t *testing.T) {
	s := demo(t)
	sch := validator(t, true)
	empty := 0
	for _, quarter := range []string{"2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1"} {
		awards, q := collect(t, s, quarter)
		pa, _ := Split(awards, store.RegimePA2023)
		pcr, _ := Split(awards, store.RegimePCR2015)
		for _, n := range []Notice{UK6, UK7} {
			var buf bytes.Buffer
			err := FindATender(&buf, pa, n, opts)
			if errors.Is(err, ErrNothing) {
				empty++
				if buf.Len() != 0 {
					t.Errorf("%s %s: an empty period wrote %q", quarter, n, buf.String())
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, sch, buf.Bytes()); err != nil {
				t.Errorf("%s %s: %v", quarter, n, err)
			}
		}
		var buf bytes.Buffer
		if err := ContractsFinder(&buf, pcr, q, opts); errors.Is(err, ErrNothing) != (len(pcr) == 0) || (err == nil) != (buf.Len() > 0) {
			t.Errorf("%s Contracts Finder with %d awards: %v, %d bytes", quarter, len(pcr), err, buf.Len())
		}
	}
	if empty == 0 {
		t.Error("no empty quarter was tried")
	}
}

// TestContractsFinderPayload: the PCR 2015 DPS awards as the buyer API's
// JSON, one notice per buyer a quarter (or per award).
func TestContractsFinderPayload(t *testing.T) {
	s := demo(t)
	awards, q := collect(t, s, "2026Q4")
	pcr, _ := Split(awards, store.RegimePCR2015)
	var buf bytes.Buffer
	if err := ContractsFinder(&buf, pcr, q, opts); err != nil {
		t.Fatal(err)
	}
	golden(t, "demo-2026Q4.contracts-finder.json", buf.Bytes())
	var p cfPayload
	if err := json.Unmarshal(buf.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range p.Notices {
		for _, a := range n.Awards {
			total++
			d := a.Detail
			if d.SupplierName == "" || d.SupplierAddress == "" || d.Reference == "" || d.EndDate == "" || d.AwardedDate == "" ||
				!strings.Contains(a.ValueExcludingVAT, "excluding VAT") || !strings.Contains(a.ValueIncludingVAT, "including VAT") ||
				strings.Contains(d.AwardedProcedureType, "selective") {
				t.Errorf("award detail %+v", a)
			}
		}
	}
	if total != len(pcr) {
		t.Errorf("%d award details for %d awards", total, len(pcr))
	}
	per := opts
	per.CFNotices = "per-award"
	var each bytes.Buffer
	ContractsFinder(&each, pcr, q, per)
	json.Unmarshal(each.Bytes(), &p)
	if len(p.Notices) != len(pcr) {
		t.Errorf("per-award: %d notices for %d awards", len(p.Notices), len(pcr))
	}
	var list bytes.Buffer
	if err := WorkingList(&list, pcr, opts); err != nil {
		t.Fatal(err)
	}
	golden(t, "demo-2026Q4.contracts-finder-list.csv", list.Bytes())
	if !strings.HasPrefix(list.String(), "Referral,Arrangement,Buyer,Title,Procedure,Award date (UK),Start date,End date (52 weeks),Supplier,Supplier address,Supplier identifier,SME,VCSE,") {
		t.Errorf("working list:\n%s", list.String())
	}
}

// TestEachRegimeRefusesTheOthersDocuments: an award under the dynamic
// market gets no Contracts Finder entry, one under the PCR DPS no Find a
// Tender notice, and neither a plain OCDS package.
func TestEachRegimeRefusesTheOthersDocuments(t *testing.T) {
	s := demo(t)
	awards, q := collect(t, s, "2026Q4")
	pa, pcr := Split(awards, store.RegimePA2023)
	var buf bytes.Buffer
	if err := ContractsFinder(&buf, pa, q, opts); !errors.Is(err, store.ErrWrongRegime) || !strings.Contains(err.Error(), "Procurement Act 2023 dynamic market") {
		t.Errorf("Contracts Finder for a dynamic market award: %v", err)
	}
	if err := WorkingList(&buf, pa, opts); !errors.Is(err, store.ErrWrongRegime) {
		t.Errorf("the working list for a dynamic market award: %v", err)
	}
	for _, n := range []Notice{UK6, UK7} {
		if err := FindATender(&buf, pcr, n, opts); !errors.Is(err, store.ErrWrongRegime) || !strings.Contains(err.Error(), "PCR 2015 dynamic purchasing system") {
			t.Errorf("%s for a PCR DPS award: %v", n, err)
		}
	}
	if err := OCDS(&buf, awards, opts); !errors.Is(err, store.ErrWrongRegime) {
		t.Errorf("a plain OCDS package of awards under arrangements: %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("a refused document wrote %q", buf.String())
	}
	// Notice dates are a Procurement Act 2023 duty.
	if err := s.SetNoticeDates(store.NoticeDates{Referral: pcr[0].Referral.ID, SummariesSent: "2026-11-21"}); !errors.Is(err, store.ErrWrongRegime) {
		t.Errorf("notice dates for a PCR DPS award: %v", err)
	}
	// Assessment summaries (PR 2024 reg 31) are for dynamic market awards.
	if _, err := AssessmentSummaries(s, pcr[0].Referral.ID); !errors.Is(err, store.ErrWrongRegime) {
		t.Errorf("reg 31 summaries for a PCR DPS award: %v", err)
	}
	if _, err := Feedback(s, pa[0].Referral.ID); !errors.Is(err, store.ErrWrongRegime) {
		t.Errorf("PCR feedback for a dynamic market award: %v", err)
	}
}

// TestAwardsAreDatedByUKTime: an award at 00:30 BST on 1 October is in Q4
// and dated 1 October, not 30 September in Q3.
func TestAwardsAreDatedByUKTime(t *testing.T) {
	clock := time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC)
	s, err := store.Open(filepath.Join(t.TempDir(), "demo.db"), store.Options{Actor: "officer.test", Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedDemo(2026, clock, nil); err != nil {
		t.Fatal(err)
	}
	clock = time.Date(2026, 9, 30, 23, 30, 0, 0, time.UTC)
	id := directPlacement(t, s, store.RegimePCR2015)
	q3, _ := collect(t, s, "2026Q3")
	q4, _ := collect(t, s, "2026Q4")
	for _, a := range q3 {
		if a.Referral.ID == id {
			t.Error("the award at 00:30 BST on 1 October is in Q3")
		}
	}
	if len(q4) != 1 || q4[0].Referral.ID != id || q4[0].Day() != "2026-10-01" {
		t.Fatalf("Q4: %+v", q4)
	}
	var list bytes.Buffer
	WorkingList(&list, q4, opts)
	if !strings.Contains(list.String(), ",2026-10-01,") || strings.Contains(list.String(), "2026-09-30") {
		t.Errorf("working list:\n%s", list.String())
	}
}

// directPlacement places an issued referral of the regime directly.
func directPlacement(t *testing.T, s *store.Store, regime store.Regime) string {
	t.Helper()
	refs, _ := s.Referrals()
	es, _ := s.Establishments()
	for _, r := range refs {
		if r.Status != store.RefIssued || r.Regime != regime {
			continue
		}
		for _, e := range es {
			if e.Status == engine.Qualified && slices.Contains(e.Categories, r.Category) {
				if err := s.Award(store.AwardRequest{Referral: r.ID, Establishment: e.ID, Route: store.RouteDirect, Start: "2026-12-01",
					WeeklyPence: 210000, Justification: "placement breakdown; panel approved"}); err != nil {
					t.Fatal(err)
				}
				return r.ID
			}
		}
	}
	t.Fatalf("no issued %s referral", regime)
	return ""
}

// TestMissingSupplierIdentityIsSaidNotGuessed: a supplier with no SME
// status is not published as "not an SME".
func TestMissingSupplierIdentityIsSaidNotGuessed(t *testing.T) {
	s := demo(t)
	awards, q := collect(t, s, "2026Q4")
	pcr, _ := Split(awards, store.RegimePCR2015)
	pcr[0].Identity.SME = ""
	var buf bytes.Buffer
	err := ContractsFinder(&buf, pcr, q, opts)
	var me *MissingError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), pcr[0].Referral.ID+": the supplier") || !strings.Contains(err.Error(), "no SME status on the register (register CSV column sme)") || buf.Len() != 0 {
		t.Errorf("%v (%d bytes written)", err, buf.Len())
	}
}

// TestNothingPersonalIsPublished: no child's case reference, and no need,
// in any form.
func TestNothingPersonalIsPublished(t *testing.T) {
	s := demo(t)
	awards, q := collect(t, s, "2026Q4")
	pa, pcr := Split(awards, store.RegimePA2023)
	var out bytes.Buffer
	for _, err := range []error{ContractsFinder(&out, pcr, q, opts), WorkingList(&out, pcr, opts), FindATender(&out, pa, UK6, opts), FindATender(&out, pa, UK7, opts)} {
		if err != nil {
			t.Fatal(err)
		}
	}
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

func TestSummariesFollowTheRegime(t *testing.T) {
	s := demo(t)
	refs, _ := s.Referrals()
	for _, regime := range []store.Regime{store.RegimePA2023, store.RegimePCR2015} {
		var awarded store.Referral
		for _, r := range refs {
			if a, err := s.AwardOf(r.ID); err == nil && r.Regime == regime && a.Route == store.RouteCompetition {
				awarded = r
				break
			}
		}
		if awarded.ID == "" {
			t.Fatalf("the demo has no competition awarded under %s", regime)
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
		winner, _ := s.Establishment(a.Establishment)
		var all strings.Builder
		for _, sm := range sums {
			all.WriteString("==== " + sm.Establishment + "\n" + sm.Text)
			for _, b := range bids {
				if b.Establishment == sm.Establishment {
					continue
				}
				e, _ := s.Establishment(b.Establishment)
				if strings.Contains(sm.Text, b.Establishment) || strings.Contains(sm.Text, e.Name) || strings.Contains(sm.HTML, e.Name) {
					t.Errorf("the summary for %s names another bidder %s", sm.Establishment, b.Establishment)
				}
			}
			if strings.Contains(sm.Text, "£") || strings.Contains(sm.Text, awarded.ChildRef) || strings.Contains(sm.HTML, awarded.ChildRef) {
				t.Errorf("the summary for %s holds a price or the case reference", sm.Establishment)
			}
			want := []string{"not successful", "The winning bid"}
			if sm.Establishment == a.Establishment {
				_, id, _ := winner.Supplier.Identifier()
				want = []string{"your bid was successful", winner.Name, id, winner.Supplier.RegisteredAddress}
			}
			if regime == store.RegimePA2023 {
				want = append(want, "Assessment summary (Procurement Regulations 2024, regulation 31)")
			} else {
				want = append(want, "PCR 2015 reg 55(2)")
			}
			for _, w := range append(want, "How it was scored", "Why") {
				if !strings.Contains(sm.Text+sm.HTML, w) {
					t.Errorf("the summary for %s lacks %q:\n%s", sm.Establishment, w, sm.Text)
				}
			}
			// Each criterion has its explanation, for this bid and the winner's.
			for _, c := range []string{"Price", "Core competency", "Needs met", "Outcomes approach", "Location", "Features"} {
				if n := strings.Count(sm.HTML, "<tr><td>"+c+"</td><td class=\"n\">"); n < 2 {
					t.Errorf("the summary for %s has %s %d times in its tables", sm.Establishment, c, n)
				}
				if m := regexp.MustCompile("<tr><td>"+c+`</td><td class="n">[0-9.]+</td><td class="n">[0-9.]+</td><td>([^<]*)</td>`).FindAllStringSubmatch(sm.HTML, -1); len(m) == 0 || strings.TrimSpace(m[0][1]) == "" {
					t.Errorf("the summary for %s does not explain %s", sm.Establishment, c)
				}
			}
		}
		golden(t, "demo-summaries-"+string(regime)+".txt", []byte(all.String()))
		if regime == store.RegimePA2023 {
			golden(t, "demo-summary-"+string(regime)+".html", []byte(sums[0].HTML))
		}
	}
	if _, err := Summaries(s, refs[0].ID); err == nil || !strings.Contains(err.Error(), "has not been awarded yet") {
		t.Errorf("summaries of a draft: %v", err)
	}
}

// BenchmarkFindATenderQuarter writes a quarter of 2,000 dynamic market
// awards as UK6 releases (the awards as Collect gives them).
func BenchmarkFindATenderQuarter(b *testing.B) {
	arr := store.DemoArrangements()[1]
	awards := make([]Award, 2000)
	for i := range awards {
		awards[i] = Award{
			Award:    store.Award{Referral: fmt.Sprintf("REF-2026-%05d", i), Establishment: "E-1", Route: store.RouteCompetition, WeeklyPence: int64(150000 + i), Start: "2026-12-01", At: testNow},
			Referral: store.Referral{ID: fmt.Sprintf("REF-2026-%05d", i), Authority: "WSCC", Category: "fostering", Arrangement: arr.ID, Regime: arr.Regime},
			Buyer:    store.Authority{Code: "WSCC", Name: "West Sussex County Council"}, Supplier: "Provider", Setting: "Setting", Tenderers: 4,
			Identity:    store.Supplier{PPON: "PBHM-7586-PWLP", CompanyNumber: "01234567", RegisteredAddress: "1 High Street, Horsham", SME: "yes", VCSE: "no"},
			Arrangement: arr, Notice: store.NoticeDates{SummariesSent: "2026-11-22"},
		}
	}
	for b.Loop() {
		var buf bytes.Buffer
		if err := FindATender(&buf, awards, UK6, opts); err != nil {
			b.Fatal(err)
		}
	}
}
