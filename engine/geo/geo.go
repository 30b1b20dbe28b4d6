// Package geo resolves UK postcodes to locations and measures distances
// between them (shared/spec/evaluation.md §2).
//
// The postcode sector and district centroids ship inside the binary
// (data/, from the ONS National Statistics Postcode Lookup; see the README
// for the licence and attribution). They are parsed once, on first use.
package geo

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// EarthRadiusMiles is the radius the haversine distance uses (§2).
const EarthRadiusMiles = 3958.8

// Location is a point on the Earth in decimal degrees (WGS84).
type Location struct {
	Lat float64
	Lon float64
}

// Valid reports whether the location is a real latitude/longitude pair.
func (l Location) Valid() bool {
	return !math.IsNaN(l.Lat) && !math.IsNaN(l.Lon) &&
		l.Lat >= -90 && l.Lat <= 90 && l.Lon >= -180 && l.Lon <= 180
}

// DistanceMiles is the great-circle (haversine) distance between a and b in
// miles (§2), with the arithmetic shared/spec/scenario.md "Arithmetic,
// exactly" spells out:
//
//	2 × 3958.8 × asin(sqrt(sin²(Δφ/2) + cos φ1 × cos φ2 × sin²(Δλ/2)))
//
// φ1, φ2, λ1 and λ2 are converted to radians first, then Δφ = φ2 − φ1 and
// Δλ = λ2 − λ1; sin² is the sine times itself. Every product that is added
// or subtracted is rounded first (float64(...)): the arm64 compiler would
// otherwise fuse it into a multiply-add and give other last bits, and so
// possibly another band or displayed mile, than amd64. sin, cos and asin are
// the standard library's: the spec allows maths libraries to differ in their
// last bits, and judges conformance away from band edges, the radius and
// rounding points (scenario.md), where the figures agree.
func DistanceMiles(a, b Location) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := float64(a.Lat*rad), float64(b.Lat*rad)
	λ1, λ2 := float64(a.Lon*rad), float64(b.Lon*rad)
	dφ := φ2 - φ1
	dλ := λ2 - λ1
	s1 := math.Sin(dφ / 2)
	s2 := math.Sin(dλ / 2)
	h := float64(s1*s1) + float64(float64(math.Cos(φ1)*math.Cos(φ2))*float64(s2*s2))
	return 2 * EarthRadiusMiles * math.Asin(math.Sqrt(h))
}

// ErrMalformedPostcode is returned for text that is not shaped like a UK
// postcode, sector or district.
var ErrMalformedPostcode = errors.New("not a UK postcode, sector or district")

// ErrUnknownPostcode is returned for a well-formed postcode whose sector and
// district are both absent from the centroid tables.
var ErrUnknownPostcode = errors.New("unknown postcode: no such sector or district")

// Kind says how much of a postcode was written.
type Kind int

const (
	District Kind = iota // "RH12"
	Sector               // "RH12 1"
	Full                 // "RH12 1AB"
)

// Postcode is a parsed, normalised postcode: upper case, one space between
// the outward and inward codes.
type Postcode struct {
	Outward string // the district, e.g. "RH12"
	Inward  string // "", "1" or "1AB"
}

// Kind says whether the postcode is a district, a sector or a full postcode.
func (p Postcode) Kind() Kind {
	switch len(p.Inward) {
	case 0:
		return District
	case 1:
		return Sector
	}
	return Full
}

// String is the normalised form: "RH12", "RH12 1" or "RH12 1AB".
func (p Postcode) String() string {
	if p.Inward == "" {
		return p.Outward
	}
	return p.Outward + " " + p.Inward
}

// SectorKey is "RH12 1" for a sector or full postcode, "" for a district.
func (p Postcode) SectorKey() string {
	if p.Inward == "" {
		return ""
	}
	return p.Outward + " " + p.Inward[:1]
}

// maxPostcodeLen bounds the input we look at; "AA9A 9AA" is 8 characters and
// generous surrounding space is allowed.
const maxPostcodeLen = 32

// Parse normalises and validates a postcode, sector or district. A full
// postcode may be written with or without its space ("RH12 1AB",
// "rh121ab"); a sector is always written with it ("RH12 1").
func Parse(s string) (Postcode, error) {
	var buf [maxPostcodeLen]byte
	out, in, ok := split(s, &buf)
	if !ok {
		return Postcode{}, ErrMalformedPostcode
	}
	return Postcode{Outward: string(out), Inward: string(in)}, nil
}

// split upper-cases s into buf, checks its shape and returns the outward
// and inward codes as slices of buf. It never allocates.
func split(s string, buf *[maxPostcodeLen]byte) (out, in []byte, ok bool) {
	if len(s) > maxPostcodeLen {
		return nil, nil, false
	}
	// Trim surrounding white space; remember where the one inner space is.
	start, end := 0, len(s)
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	n, space := 0, -1
	for i := start; i < end; i++ {
		c := s[i]
		if isSpace(c) {
			if space >= 0 && space != n {
				return nil, nil, false // two separate gaps
			}
			space = n
			continue
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if !isDigit(c) && !isUpper(c) {
			return nil, nil, false
		}
		buf[n] = c
		n++
	}
	b := buf[:n]
	switch {
	case space >= 0:
		out, in = b[:space], b[space:]
		if !validInward(in) {
			return nil, nil, false
		}
	case n >= 5 && validInward(b[n-3:]) && validOutward(b[:n-3]):
		out, in = b[:n-3], b[n-3:] // full postcode without its space
	default:
		out = b
	}
	if !validOutward(out) {
		return nil, nil, false
	}
	return out, in, true
}

// validOutward accepts the district shapes A9, A99, AA9, AA99, A9A and AA9A.
func validOutward(b []byte) bool {
	if len(b) < 2 || len(b) > 4 || !isUpper(b[0]) {
		return false
	}
	i := 1
	if isUpper(b[i]) {
		i++
	}
	if i >= len(b) || !isDigit(b[i]) {
		return false
	}
	i++
	if i < len(b) && (isDigit(b[i]) || isUpper(b[i])) {
		i++
	}
	return i == len(b)
}

// validInward accepts a sector digit ("1") or a full inward code ("1AB").
func validInward(b []byte) bool {
	switch len(b) {
	case 1:
		return isDigit(b[0])
	case 3:
		return isDigit(b[0]) && isUpper(b[1]) && isUpper(b[2])
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// Gazetteer maps postcode sectors and districts to their centroids.
type Gazetteer struct {
	sectors   map[string]Location
	districts map[string]Location
}

//go:embed data/postcode-sectors.csv
var sectorsCSV []byte

//go:embed data/postcode-districts.csv
var districtsCSV []byte

// defaultGazetteer is parsed from the embedded tables on first use and never
// changed after: immutable data, so sharing it is safe.
var defaultGazetteer = sync.OnceValues(func() (*Gazetteer, error) {
	return NewGazetteer(sectorsCSV, districtsCSV)
})

// Default returns the gazetteer built from the tables shipped in the binary.
func Default() *Gazetteer {
	g, err := defaultGazetteer()
	if err != nil {
		// The tables are part of the binary and checked by the tests: a
		// failure here is a broken build, not bad input.
		panic("geo: embedded postcode tables are damaged: " + err.Error())
	}
	return g
}

// NewGazetteer parses centroid tables in the shipped CSV layout: a header
// line, then "code,lat,lon,count" lines.
func NewGazetteer(sectors, districts []byte) (*Gazetteer, error) {
	s, err := parseCentroids(sectors, "sectors")
	if err != nil {
		return nil, err
	}
	d, err := parseCentroids(districts, "districts")
	if err != nil {
		return nil, err
	}
	return &Gazetteer{sectors: s, districts: d}, nil
}

func parseCentroids(data []byte, name string) (map[string]Location, error) {
	m := make(map[string]Location, bytes.Count(data, []byte{'\n'}))
	line := 0
	for len(data) > 0 {
		var row []byte
		row, data, _ = bytes.Cut(data, []byte{'\n'})
		line++
		row = bytes.TrimRight(row, "\r")
		if line == 1 || len(row) == 0 {
			continue // header, trailing newline
		}
		code, rest, ok1 := bytes.Cut(row, []byte{','})
		lat, rest, ok2 := bytes.Cut(rest, []byte{','})
		lon, _, ok3 := bytes.Cut(rest, []byte{','})
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("%s line %d: want code,lat,lon,count", name, line)
		}
		la, err1 := strconv.ParseFloat(string(lat), 64)
		lo, err2 := strconv.ParseFloat(string(lon), 64)
		loc := Location{la, lo}
		if err1 != nil || err2 != nil || !loc.Valid() {
			return nil, fmt.Errorf("%s line %d: bad latitude/longitude", name, line)
		}
		m[string(code)] = loc
	}
	return m, nil
}

// Resolve returns the centroid of the postcode's sector where known, else of
// its district. Malformed and unknown postcodes are distinct errors
// (ErrMalformedPostcode, ErrUnknownPostcode).
func (g *Gazetteer) Resolve(s string) (Location, error) {
	var buf [maxPostcodeLen]byte
	out, in, ok := split(s, &buf)
	if !ok {
		return Location{}, ErrMalformedPostcode
	}
	if len(in) > 0 {
		// The sector key "RH12 1" is the outward code, a space and the
		// inward digit; build it in place so the lookup does not allocate.
		n := len(out)
		var key [6]byte
		copy(key[:], out)
		key[n] = ' '
		key[n+1] = in[0]
		if loc, ok := g.sectors[string(key[:n+2])]; ok {
			return loc, nil
		}
	}
	if loc, ok := g.districts[string(out)]; ok {
		return loc, nil
	}
	return Location{}, ErrUnknownPostcode
}

// Len reports how many sectors and districts the gazetteer knows.
func (g *Gazetteer) Len() (sectors, districts int) {
	return len(g.sectors), len(g.districts)
}

// Sectors lists the known sectors of the given districts ("RH12"), sorted.
func (g *Gazetteer) Sectors(districts ...string) []string {
	var out []string
	for s := range g.sectors {
		d, _, _ := strings.Cut(s, " ")
		if slices.Contains(districts, d) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
