package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"dpsdesk/engine"
	"dpsdesk/engine/gias"
	"dpsdesk/engine/gias/giastest"
)

const fixtureSource = "GIAS 2026-11-28"

func giasFixture(t testing.TB) []byte {
	var b bytes.Buffer
	if err := giastest.WriteFixture(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// giasRegister holds the establishments the fixture's rows are about, as
// the council last recorded them, and a residential floor of Good.
func giasRegister(t testing.TB) *Store {
	s := openTest(t, "")
	if err := s.SetCategoryTerms(engine.CategoryResidential, Terms{InspectionFloors: engine.Floors{engine.FrameworkOfsted: "Good"}}); err != nil {
		t.Fatal(err)
	}
	add := func(id, urn, name, postcode, provider string, cats []string, in ...Inspection) {
		e := sampleEstablishment(id)
		e.URN, e.Name, e.Postcode, e.Categories, e.Inspections = urn, name, postcode, cats, in
		if err := s.SaveEstablishment(e, provider); err != nil {
			t.Fatal(err)
		}
	}
	ofsted := func(grade, date string) Inspection {
		return Inspection{Framework: engine.FrameworkOfsted, Grade: grade, Date: date}
	}
	sen := []string{engine.CategorySEN}
	add("E-1", "126143", "St Mary's School", "RH12 1AB", "Oak Tree Care Ltd", []string{engine.CategorySEN, engine.CategoryResidential}, ofsted("Good", "2024-01-15"))
	add("E-2", "126144", "Downs View School", "BN7 2AA", "", sen, ofsted("Good", "2023-03-01"))
	add("E-3", "126145", "Chalk Hill College", "ME14 1AA", "", sen, ofsted("Outstanding", "2024-06-01"))
	add("E-4", "126146", "Weald House", "GU1 1AA", "", sen, ofsted("Good", "2022-02-02"))
	add("E-5", "126147", "Harbour School", "BN3 1AA", "Harbour Ltd", sen)
	add("E-6", "126148", "Priory Court", "CM1 1AA", "", sen, Inspection{Framework: engine.FrameworkISI, Grade: "Met", Date: "2023-05-05"})
	add("E-7", "999999", "Gone School", "RH12 1AB", "", sen)
	return s
}

func planLines(p *GIASPlan) []string {
	var out []string
	for _, c := range p.Changes {
		for _, ch := range c.Changes {
			out = append(out, fmt.Sprintf("%s %s: %s → %s", c.ID, ch.Field, ch.Before, ch.After))
		}
	}
	return out
}

func TestGIASPlanAndApply(t *testing.T) {
	s := giasRegister(t)
	plan, err := s.PlanGIAS(bytes.NewReader(giasFixture(t)), fixtureSource)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"E-1 name: St Mary's School → St Mary’s School",
		"E-1 inspection: Ofsted Good (2024-01-15) → Ofsted Requires improvement (2026-10-12)",
		"E-2 status: registration pass → closed 31 Aug 2026: registration fails",
		"E-5 name: Harbour School → Harbour School – Hove",
		"E-5 postcode: BN3 1AA → BN3 2AA",
		"E-5 provider: Harbour Ltd → Coastline Learning Trust",
	}
	if got := planLines(plan); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if plan.Rows != 10 || plan.Matched != 6 || len(plan.Problems) != 0 {
		t.Errorf("rows %d matched %d problems %v", plan.Rows, plan.Matched, plan.Problems)
	}
	// Below the residential floor (Good) but not the special schools'
	// (Requires improvement): out of residential invitations only.
	if f := plan.Changes[0].Fails; !strings.Contains(f, "GIAS 2026-11-28: inspection below the floor (Good): Ofsted Requires improvement 12 Oct 2026 (residential only)") {
		t.Errorf("E-1 fails %q", f)
	}
	if f := plan.Changes[1].Fails; f != "registration failed: GIAS 2026-11-28: closed 31 Aug 2026" {
		t.Errorf("E-2 fails %q", f)
	}
	if len(plan.Unknown) != 1 || !strings.Contains(plan.Unknown[0].String(), `line 5: E-4 (URN 126146): OfstedRating (name) "Exemplary" is not a rating the desk knows: left alone`) {
		t.Errorf("unknown %v", plan.Unknown)
	}
	notes := fmt.Sprint(plan.Notes)
	for _, w := range []string{"GIAS's Ofsted Good (2019-05-14) is not newer than the register's Outstanding (2024-06-01): left alone",
		"ISI inspected it on 3 Feb 2026; GIAS holds no judgement", `GIAS says "Open, but proposed to close"`} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes lack %q: %s", w, notes)
		}
	}
	if len(plan.Missing) != 1 || plan.Missing[0].ID != "E-7" {
		t.Errorf("missing %v", plan.Missing)
	}
	// Nothing is written by planning.
	if e, _ := s.Establishment("E-1"); e.Name != "St Mary's School" {
		t.Fatal("planning changed the register")
	}

	before, _ := s.Audit(AuditFilter{Limit: 1})
	res, err := s.ApplyGIAS(plan)
	if err != nil {
		t.Fatal(err)
	}
	applied := &GIASPlan{Changes: res.Changes}
	if got := planLines(applied); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("applied:\n%s", strings.Join(got, "\n"))
	}
	// Each establishment's change is one entry naming the download, in
	// one transaction with the facts.
	entries, _ := s.Audit(AuditFilter{})
	var gotEntries []string
	for _, e := range entries {
		if e.Seq <= before[0].Seq {
			continue
		}
		if !e.Time.Equal(entries[len(entries)-1].Time) {
			t.Errorf("entry %d is of another transaction", e.Seq)
		}
		if e.Action == "establishment.gias" {
			if e.Changes[0] != (Change{Field: "source", After: fixtureSource}) {
				t.Errorf("entry %d has no source: %+v", e.Seq, e.Changes)
			}
			for _, ch := range e.Changes[1:] {
				gotEntries = append(gotEntries, fmt.Sprintf("%s %s: %s → %s", e.Record, ch.Field, ch.Before, ch.After))
			}
		}
	}
	if strings.Join(gotEntries, "\n") != strings.Join(want, "\n") {
		t.Errorf("the audit trail says\n%s", strings.Join(gotEntries, "\n"))
	}
	e1, _ := s.Establishment("E-1")
	floors, _ := s.Floors()
	st := StandingOf(&e1, testNow, floors)
	if len(st.In(engine.CategorySEN)) != 0 || len(st.In(engine.CategoryResidential)) != 1 {
		t.Errorf("E-1 standing %s", st.Text())
	}
	e5, _ := s.Establishment("E-5")
	if e5.Postcode != "BN3 2AA" || e5.Location.Lat == 0 {
		t.Errorf("E-5 %+v", e5)
	}
	if rows, _ := s.Register(); !strings.Contains(fmt.Sprint(rows), "Coastline Learning Trust") {
		t.Error("the register listing does not name the new proprietor")
	}
	// The Review queue: the closed school must be suspended, with GIAS
	// as the evidence; St Mary's is out of residential referrals.
	items, _ := s.ReviewQueue(testNow)
	var review []string
	for _, it := range items {
		if it.Kind == ReviewMustSuspend || it.Kind == ReviewOutOfSome {
			review = append(review, it.ID+": "+it.Why)
		}
	}
	if r := strings.Join(review, "\n"); !strings.Contains(r, "E-2: registration failed: GIAS 2026-11-28: closed 31 Aug 2026") || !strings.Contains(r, "E-1: GIAS 2026-11-28: inspection below the floor (Good)") {
		t.Errorf("review queue:\n%s", r)
	}
	// The facts are kept: open SEN-relevant establishments and those on
	// the register, with distances from the partners' areas.
	facts, _ := s.GIASFacts()
	var urns []string
	for _, f := range facts {
		urns = append(urns, f.URN)
	}
	if strings.Join(urns, ",") != "126143,126144,126145,126146,126147,126148,126149,126150" {
		t.Errorf("facts kept: %v", urns)
	}
	f, ok, _ := s.GIASFactOf("126149")
	if !ok || f.Areas["BHCC"] != 0 || f.Areas["WSCC"] <= 0 || f.Areas["WSCC"] > 20 || f.Inspection != "Ofsted Outstanding (20 Jun 2025)" || strings.Join(f.SEN, ";") != "ASD;SEMH" {
		t.Errorf("fact 126149: %+v", f)
	}
	if problems, err := s.Verify(); err != nil || len(problems) > 0 {
		t.Errorf("verify after the import: %v %v", problems, err)
	}
	// The same download again changes nothing (only newer replaces older).
	again, _ := s.PlanGIAS(bytes.NewReader(giasFixture(t)), "GIAS 2026-11-29")
	if len(again.Changes) != 0 {
		t.Errorf("a second import would change %v", planLines(again))
	}
	// The next import replaces the facts whole.
	var small bytes.Buffer
	gw, _ := giastest.NewWriter(&small, nil, false)
	gw.Write(giastest.Fixture()[6])
	p2, _ := s.PlanGIAS(bytes.NewReader(small.Bytes()), "GIAS 2026-12-05")
	if _, err := s.ApplyGIAS(p2); err != nil {
		t.Fatal(err)
	}
	if facts, _ := s.GIASFacts(); len(facts) != 1 || facts[0].Source != "GIAS 2026-12-05" {
		t.Errorf("facts after the next import: %+v", facts)
	}
	if problems, err := s.Verify(); err != nil || len(problems) > 0 {
		t.Errorf("verify after the facts were replaced: %v %v", problems, err)
	}
}

func TestGIASBadFileChangesNothing(t *testing.T) {
	s := giasRegister(t)
	data := giasFixture(t)
	bad := bytes.Replace(data, []byte("31-08-2026"), []byte("31-08-20X6"), 1)
	plan, err := s.PlanGIAS(bytes.NewReader(bad), fixtureSource)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Problems) != 1 || !strings.Contains(plan.Problems[0].Error(), `line 3: CloseDate: "31-08-20X6" is not a date`) {
		t.Fatalf("problems %v", plan.Problems)
	}
	before, _ := s.Audit(AuditFilter{Limit: 1})
	if _, err := s.ApplyGIAS(plan); err == nil {
		t.Fatal("a plan with bad rows was applied")
	}
	after, _ := s.Audit(AuditFilter{Limit: 1})
	if after[0].Seq != before[0].Seq {
		t.Error("something was written")
	}
	_, err = s.PlanGIAS(strings.NewReader("URN,EstablishmentName\r\n126143,Oak\r\n"), fixtureSource)
	var he *gias.HeaderError
	if !errors.As(err, &he) || !strings.Contains(err.Error(), `"EstablishmentStatus (name)", "Postcode"`) {
		t.Errorf("header: %v", err)
	}
	// A change that cannot be made leaves every other undone.
	plan, _ = s.PlanGIAS(bytes.NewReader(data), fixtureSource)
	plan.Changes[len(plan.Changes)-1].ID = "E-404"
	if _, err := s.ApplyGIAS(plan); err == nil {
		t.Fatal("applied with a missing establishment")
	}
	if e, _ := s.Establishment("E-1"); e.Name != "St Mary's School" {
		t.Error("a failed import changed E-1")
	}
}

// A 50,000-row download (every column, as heavy as the real one) planned
// against a register of 10,000 establishments, a tenth of them in it.
func BenchmarkGIASPreview50k(b *testing.B) {
	s := openTest(b, "")
	var buf bytes.Buffer
	gw, _ := giastest.NewWriter(&buf, nil, true)
	row := giastest.Plausible(1)
	rows := make([]giastest.Row, 50000)
	for i := range rows {
		rows[i] = row(i)
		gw.Write(rows[i])
	}
	data := buf.Bytes()
	var reg strings.Builder
	reg.WriteString("id,name,urn,categories,status,postcode,core_weekly_pence,inspection_framework,inspection_grade,inspection_date,insurance_expiry\n")
	for i := range 10000 {
		urn := fmt.Sprint(900000 + i)
		if i%10 == 0 {
			urn = rows[i*5]["URN"]
		}
		fmt.Fprintf(&reg, "E-%05d,School %d,%s,sen,qualified,RH12 1AB,150000,ofsted,Good,2020-01-01,2027-06-01\n", i, i, urn)
	}
	if _, err := s.ImportRegister(strings.NewReader(reg.String()), nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		plan, err := s.PlanGIAS(bytes.NewReader(data), fixtureSource)
		if err != nil || len(plan.Problems) > 0 || plan.Matched != 1000 {
			b.Fatal(err, plan.Problems, plan.Matched)
		}
	}
}
