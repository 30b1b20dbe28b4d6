package geo

import (
	"errors"
	"math"
	"testing"
)

func TestParseNormalises(t *testing.T) {
	for in, want := range map[string]string{
		"RH12 1AB":     "RH12 1AB",
		"rh121ab":      "RH12 1AB",
		"  Rh12   1ab": "RH12 1AB",
		"RH12 1":       "RH12 1",
		"RH12":         "RH12",
		"W1A 1AA":      "W1A 1AA",
		"W1A1AA":       "W1A 1AA",
		"EC1A 1BB":     "EC1A 1BB",
		"M1 1AE":       "M1 1AE",
		"m11ae":        "M1 1AE",
		"B33 8TH":      "B33 8TH",
		"TN33":         "TN33",
	} {
		p, err := Parse(in)
		if err != nil || p.String() != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, p, err, want)
		}
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for _, in := range []string{
		"", " ", "RH121", "12 1AB", "RH12 1A", "RH12 AB", "RH12 1AB X", "R H12 1AB",
		"RH12-1AB", "ЯH12 1AB", "RHHH2 1AB", "RH12 11B", "1", "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
	} {
		if p, err := Parse(in); !errors.Is(err, ErrMalformedPostcode) {
			t.Errorf("Parse(%q) = %q, %v; want ErrMalformedPostcode", in, p, err)
		}
	}
}

func TestResolve(t *testing.T) {
	g := Default()
	sector, err := g.Resolve("RH12 1")
	if err != nil {
		t.Fatal(err)
	}
	// A full postcode resolves to its sector's centroid, written either way.
	for _, in := range []string{"RH12 1AB", "rh121ab", "RH12 1ZZ"} {
		if loc, err := g.Resolve(in); err != nil || loc != sector {
			t.Errorf("Resolve(%q) = %v, %v; want the sector RH12 1 %v", in, loc, err, sector)
		}
	}
	district, err := g.Resolve("RH12")
	if err != nil || district == sector {
		t.Fatalf("Resolve(RH12) = %v, %v; want the district centroid, not the sector's", district, err)
	}
	// A sector the table lacks falls back to its district.
	if loc, err := g.Resolve("RH12 8ZZ"); err != nil || loc != district {
		t.Errorf("unknown sector of a known district = %v, %v; want the district %v", loc, err, district)
	}
	for _, in := range []string{"ZZ99 9", "ZZ99 9ZZ", "ZZ99", "BT1 1AA"} {
		if _, err := g.Resolve(in); !errors.Is(err, ErrUnknownPostcode) {
			t.Errorf("Resolve(%q) err = %v; want ErrUnknownPostcode", in, err)
		}
	}
	if _, err := g.Resolve("RH121"); !errors.Is(err, ErrMalformedPostcode) {
		t.Errorf("a sector without its space must be malformed, got %v", err)
	}
	s, d := g.Len()
	if s != 12005 || d != 2995 {
		t.Errorf("gazetteer holds %d sectors and %d districts; want 12005 and 2995", s, d)
	}
}

func TestDistanceMiles(t *testing.T) {
	// One degree of latitude is 2πR/360 miles.
	got := DistanceMiles(Location{50, 0}, Location{51, 0})
	if want := 2 * math.Pi * EarthRadiusMiles / 360; math.Abs(got-want) > 1e-9 {
		t.Errorf("1° of latitude = %v miles, want %v", got, want)
	}
	if d := DistanceMiles(Location{51.06, -0.33}, Location{51.06, -0.33}); d != 0 {
		t.Errorf("distance to itself = %v", d)
	}
	a, b := Location{51.0629, -0.3259}, Location{50.8225, -0.1372}
	if DistanceMiles(a, b) != DistanceMiles(b, a) {
		t.Error("distance is not symmetric")
	}
}

func TestNewGazetteerRejectsDamagedTables(t *testing.T) {
	for _, data := range []string{"h\nAB1 0,57.1\n", "h\nAB1 0,x,1,1\n", "h\nAB1 0,91,0,1\n"} {
		if _, err := NewGazetteer([]byte(data), []byte("h\n")); err == nil {
			t.Errorf("NewGazetteer(%q) accepted a damaged table", data)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"RH12 1AB", "rh121ab", "RH12 1", "RH12", "", "  ", "W1A 1AA", "\xff", "RH12 1AB\x00"} {
		f.Add(s)
	}
	g := Default()
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		_, rerr := g.Resolve(s)
		if err != nil {
			if !errors.Is(err, ErrMalformedPostcode) || !errors.Is(rerr, ErrMalformedPostcode) {
				t.Fatalf("Parse(%q) = %v, Resolve = %v: want both malformed", s, err, rerr)
			}
			return
		}
		if rerr != nil && !errors.Is(rerr, ErrUnknownPostcode) {
			t.Fatalf("Resolve(%q) of a well-formed postcode = %v", s, rerr)
		}
		// The normal form parses to itself.
		if q, err := Parse(p.String()); err != nil || q != p {
			t.Fatalf("Parse(%q) = %q, but %q parses to %q, %v", s, p, p, q, err)
		}
	})
}

var sink Location

func BenchmarkResolve(b *testing.B) {
	g := Default()
	b.ReportAllocs()
	for b.Loop() {
		loc, err := g.Resolve("rh12 1ab")
		if err != nil {
			b.Fatal(err)
		}
		sink = loc
	}
}

// BenchmarkFirstLookup is the first postcode lookup of a run: parsing the
// embedded tables, then one lookup.
func BenchmarkFirstLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		g, err := NewGazetteer(sectorsCSV, districtsCSV)
		if err != nil {
			b.Fatal(err)
		}
		if sink, err = g.Resolve("RH12 1AB"); err != nil {
			b.Fatal(err)
		}
	}
}
