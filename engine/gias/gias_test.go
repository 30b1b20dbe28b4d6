package gias_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/gias"
	"dpsdesk/engine/gias/giastest"
)

var (
	update    = flag.Bool("update", false, "rewrite testdata/edubasealldata20261128.csv from the generator")
	synthetic = flag.String("synthetic", "", "write a 50,000-row download to this `file` (for measuring the command)")
)

// TestWriteSynthetic writes the benchmark's download to a file when
// -synthetic names one: go test ./engine/gias -run TestWriteSynthetic -synthetic /tmp/edubasealldata20261128.csv
func TestWriteSynthetic(t *testing.T) {
	if *synthetic == "" {
		t.Skip("no -synthetic file named")
	}
	if err := os.WriteFile(*synthetic, Synthetic(t, 50000), 0o600); err != nil {
		t.Fatal(err)
	}
}

func fixtureBytes(t testing.TB) []byte {
	var b bytes.Buffer
	if err := giastest.WriteFixture(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The committed fixture is what the generator writes: the real header,
// Windows-1252 bytes.
func TestFixtureIsGenerated(t *testing.T) {
	path := filepath.Join("testdata", "edubasealldata"+giastest.FixtureDate+".csv")
	data := fixtureBytes(t)
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("%s is not what the generator writes (go test ./engine/gias -run TestFixtureIsGenerated -update): %v", path, err)
	}
	if !bytes.Contains(got, []byte("St Mary\x92s School")) || !bytes.Contains(got, []byte("Harbour School \x96 Hove")) {
		t.Error("the fixture should carry Windows-1252 bytes 0x92 and 0x96")
	}
	if !bytes.HasPrefix(got, []byte("URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,")) || bytes.Count(got[:bytes.IndexByte(got, '\n')], []byte(",")) != len(giastest.Columns())-1 {
		t.Error("the fixture's header is not the download's")
	}
}

func readAll(t *testing.T, data []byte) ([]gias.Record, []error) {
	t.Helper()
	rd, err := gias.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var recs []gias.Record
	var errs []error
	for {
		r, err := rd.Next()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, r)
	}
}

func TestReadsTheFixture(t *testing.T) {
	recs, errs := readAll(t, fixtureBytes(t))
	if len(errs) > 0 || len(recs) != len(giastest.Fixture()) {
		t.Fatalf("%d records, errors %v", len(recs), errs)
	}
	r := recs[0]
	if r.Name != "St Mary’s School" || r.Line != 2 || r.URN != "126143" || r.LA != "West Sussex" || r.Pupils != 52 || r.HighAge != 19 {
		t.Errorf("first row read as %+v", r)
	}
	in := r.Inspection()
	if in.Kind != gias.Judged || in.Judgement.Framework != engine.FrameworkOfsted || in.Judgement.Grade != "Requires improvement" || in.Date != time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC) {
		t.Errorf("inspection %+v", in)
	}
	if got := strings.Join(r.SENCodes(), ";"); got != "ASD;SLCN" {
		t.Errorf("SEN codes %q", got)
	}
	if recs[4].Name != "Harbour School – Hove" {
		t.Errorf("en dash: %q", recs[4].Name)
	}
	if d := recs[2].OfstedLastInsp; d != time.Date(2019, 5, 14, 0, 0, 0, 0, time.UTC) {
		t.Errorf("dd/mm/yyyy read as %v", d)
	}
	if d := recs[3].OfstedLastInsp; d != time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC) {
		t.Errorf("ISO date read as %v", d)
	}
	if in := recs[3].Inspection(); in.Kind != gias.UnknownJudgement || in.Word != "Exemplary" {
		t.Errorf("an unknown word must stay unknown: %+v", in)
	}
	if in := recs[5].Inspection(); in.Kind != gias.NotJudged || in.Inspectorate != "ISI" {
		t.Errorf("ISI inspection: %+v", in)
	}
	if !recs[1].Closed() || recs[1].CloseDate.Format(time.DateOnly) != "2026-08-31" || !recs[4].Open() {
		t.Error("statuses")
	}
	kinds := map[string]bool{}
	for _, r := range recs {
		if k, ok := r.MarketKind(); ok {
			kinds[r.URN] = true
			_ = k
		}
	}
	for urn, want := range map[string]bool{"126143": true, "126147": true, "126150": true, "126152": false} {
		if kinds[urn] != want {
			t.Errorf("URN %s SEN-relevant = %v", urn, kinds[urn])
		}
	}
}

func TestRatingWords(t *testing.T) {
	for word, want := range map[string]string{"Outstanding": "Good?", "Serious Weaknesses": "Inadequate", "Special Measures": "Inadequate",
		"requires  improvement": "Requires improvement", "Insufficient evidence": "", "Excellent": "?"} {
		r := gias.Record{OfstedRating: word, OfstedLastInsp: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
		in := r.Inspection()
		switch want {
		case "?":
			if in.Kind != gias.UnknownJudgement {
				t.Errorf("%q guessed as %+v", word, in)
			}
		case "":
			if in.Kind != gias.NotJudged {
				t.Errorf("%q: %+v", word, in)
			}
		case "Good?":
			if in.Judgement.Grade != "Outstanding" {
				t.Errorf("%q: %+v", word, in)
			}
		default:
			if in.Kind != gias.Judged || in.Judgement.Grade != want {
				t.Errorf("%q: %+v, want %s", word, in, want)
			}
		}
	}
}

func TestHeaderLackingColumnsIsRefusedNamingThem(t *testing.T) {
	data := "URN,LA (name),EstablishmentName,TypeOfEstablishment (name)\r\n126143,Kent,Oak,Community school\r\n"
	_, err := gias.NewReader(strings.NewReader(data))
	var he *gias.HeaderError
	if !errors.As(err, &he) || !strings.Contains(err.Error(), `"EstablishmentStatus (name)", "Postcode"`) || strings.Contains(err.Error(), `"URN"`) {
		t.Errorf("err = %v", err)
	}
	if _, err := gias.NewReader(strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
}

func TestBadRowsNameTheirLineAndColumn(t *testing.T) {
	var b bytes.Buffer
	gw, _ := giastest.NewWriter(&b, nil, false)
	gw.Write(giastest.Row{"URN": "126143", "EstablishmentName": "Good", "EstablishmentStatus (name)": "Open", "Postcode": "RH12 1AB"})
	gw.Write(giastest.Row{"URN": "12614", "EstablishmentName": "Short URN", "EstablishmentStatus (name)": "Open", "Postcode": "RH12 1AB"})
	gw.Write(giastest.Row{"URN": "126145", "EstablishmentName": "Bad date", "EstablishmentStatus (name)": "Closed", "CloseDate": "31-13-2026", "Postcode": "RH12 1AB"})
	data := append(b.Bytes(), []byte("126146,x\r\n")...)
	data = bytes.Replace(data, []byte("Good"), []byte("Go\x81d"), 1) // a byte Windows-1252 leaves undefined
	recs, errs := readAll(t, data)
	want := []string{"line 2: EstablishmentName: character 3 is a byte Windows-1252 does not define",
		`line 3: URN: "12614" is not a URN`, `line 4: CloseDate: "31-13-2026" is not a date`, "line 5: wrong number of fields"}
	if len(recs) != 0 || len(errs) != len(want) {
		t.Fatalf("records %v errors %v", recs, errs)
	}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("error %d = %v, want %q", i, errs[i], w)
		}
	}
}

func TestSourceFromFileName(t *testing.T) {
	if s, ok := gias.SourceFromFileName("/tmp/edubasealldata20261128.csv"); !ok || s != "GIAS 2026-11-28" {
		t.Errorf("%q %v", s, ok)
	}
	for _, name := range []string{"schools.csv", "edubasealldata20261328.csv"} {
		if _, ok := gias.SourceFromFileName(name); ok {
			t.Errorf("%s gave a date", name)
		}
	}
}

// A 50,000-row download as wide as the real one (every column, filled),
// read from end to end.
func BenchmarkRead50k(b *testing.B) {
	data := Synthetic(b, 50000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		rd, err := gias.NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Synthetic is a filled download of n rows.
func Synthetic(tb testing.TB, n int) []byte {
	var buf bytes.Buffer
	gw, err := giastest.NewWriter(&buf, nil, true)
	if err != nil {
		tb.Fatal(err)
	}
	row := giastest.Plausible(1)
	for i := range n {
		if err := gw.Write(row(i)); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// Whatever bytes a file holds, reading it ends in a header error, row
// errors or records, never a panic, and every record it gives is whole.
func FuzzReader(f *testing.F) {
	var b bytes.Buffer
	giastest.WriteFixture(&b)
	f.Add(b.Bytes())
	f.Add([]byte("URN,EstablishmentName,EstablishmentStatus (name),Postcode\r\n126143,\"Oak\x92s,Open,RH12 1AB\r\n"))
	f.Add([]byte("\xef\xbb\xbfURN,EstablishmentName,EstablishmentStatus (name),Postcode,OfstedLastInsp\n126143,Oak,Closed,RH12 1AB,31/02/2026\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := gias.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for range 10000 {
			r, err := rd.Next()
			if err == io.EOF {
				return
			}
			var re *gias.RowError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("not a row error: %v", err)
			}
			if err != nil && re.Stop {
				return
			}
			if err == nil && (!engine.ValidURN(r.URN) || r.Name == "" || r.Line < 2) {
				t.Fatalf("a record that is not whole: %+v", r)
			}
			_ = r.Inspection()
			_ = r.SENCodes()
		}
	})
}
