package store

import (
	"regexp"
	"strings"
	"testing"
)

// Each entry names its record and says its values in words: never raw
// JSON, a location as its postcode, needs with their marks.
func TestAuditEntriesInWords(t *testing.T) {
	s := demoStore(t)
	r, err := s.CreateReferral(draft())
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ws := s.Describe(es)
	var create *EntryWords
	for i, e := range es {
		w := ws[i]
		if w.Record == "" || w.Action == "" {
			t.Errorf("#%d %s says nothing: %+v", e.Seq, e.Action, w)
		}
		for _, c := range w.Changes {
			for _, raw := range []string{`{"`, `["`, `"ID"`, `Lat`, `T09:`} {
				if strings.Contains(c.Line(), raw) {
					t.Errorf("#%d %s: %q shows %s", e.Seq, e.Action, c.Line(), raw)
				}
			}
		}
		if e.Action == "referral.create" && e.Record == r.ID {
			create = &ws[i]
		}
		if e.Action == "establishment.create" {
			est, _ := s.Establishment(e.Record)
			if w.Record != est.Name+" ("+est.ID+")" {
				t.Errorf("establishment entry names %q, want %q", w.Record, est.Name+" ("+est.ID+")")
			}
		}
		if e.Action == "bid.record" && !strings.Contains(lines(w), "establishment: ") {
			t.Errorf("bid entry: %s", lines(w))
		}
	}
	if create == nil {
		t.Fatal("no referral.create entry for the desk's referral")
	}
	if create.Text() != "referral "+r.ID+" (WSCC/EHCP/40412): draft made" {
		t.Errorf("referral.create names %q", create.Text())
	}
	all := lines(*create)
	for _, want := range []string{"needs: ASD (mark 2), SLCN (mark 1)", "features: wheelchair-access (must have), taster-day (mark 1)",
		"home postcode: RH12 1AB", "case reference: WSCC/EHCP/40412", "radius: 25 miles", "quality weight: quality 50%, price 50%",
		"deadline: 6 Dec 2026"} {
		if !strings.Contains(all, want) {
			t.Errorf("referral.create lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "home:") {
		t.Errorf("the home location is shown beside its postcode:\n%s", all)
	}
	// Filtering by a name finds the entries of that establishment.
	est, _ := s.Establishments()
	name := strings.ToLower(est[0].Name)
	found := 0
	for i, e := range es {
		if strings.Contains(ws[i].Search(e), name) {
			found++
		}
	}
	if found == 0 {
		t.Errorf("no entry found by the name %q", name)
	}
}

func lines(w EntryWords) string {
	var b strings.Builder
	for _, c := range w.Changes {
		b.WriteString(c.Line() + "\n")
	}
	return b.String()
}

// The audit screen reads the newest 5,000 entries and says them in words
// when it opens and after each change.
func BenchmarkDescribe5000Entries(b *testing.B) {
	s := openTest(b, "")
	if err := s.SeedDemo(2026, testNow, nil); err != nil {
		b.Fatal(err)
	}
	es, _ := s.Audit(AuditFilter{})
	for len(es) < 5000 {
		es = append(es, es...)
	}
	es = es[:5000]
	b.ResetTimer()
	for range b.N {
		s.DescribeRecords(es)
	}
}

// What the CLI does for each entry it prints, and the screen for each
// entry it shows.
func BenchmarkDescribeOneEntryWithItsChanges(b *testing.B) {
	s := openTest(b, "")
	if err := s.SeedDemo(2026, testNow, nil); err != nil {
		b.Fatal(err)
	}
	es, _ := s.Audit(AuditFilter{Action: "establishment.create", Limit: 1})
	b.ResetTimer()
	for range b.N {
		s.DescribeEntry(es[0])
	}
}

// Every kind of entry the demo makes is said in words, what happened
// first: no action as the code names it, no field in pence, no ISO date.
func TestEveryEntrySaysWhatHappenedInWords(t *testing.T) {
	s := demoStore(t)
	es, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	iso := regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	for i, w := range s.Describe(es) {
		e := es[i]
		if actionWords[e.Action] == "" {
			t.Errorf("#%d %s: no words for the action (%q)", e.Seq, e.Action, w.Headline())
		}
		if !strings.HasPrefix(w.Headline(), strings.ToUpper(w.Action[:1])+w.Action[1:]) {
			t.Errorf("#%d headline %q does not start with what happened", e.Seq, w.Headline())
		}
		for _, c := range w.Changes {
			if strings.Contains(c.Line(), "pence") || strings.Contains(c.Line(), "_") || strings.Contains(c.Line(), "%%") || iso.MatchString(c.Line()) {
				t.Errorf("#%d %s: %q is not in words", e.Seq, e.Action, c.Line())
			}
		}
	}
}
