// Package giastest writes GIAS downloads for tests and benchmarks: the real
// header (every column of shared/data/gias-columns.txt, in its order) and
// rows encoded as Windows-1252, as the DfE publishes them. Every value is
// made up here; nothing is copied from a real download.
package giastest

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"dpsdesk/engine/geo"
)

//go:embed columns.txt
var columnsTxt string

// Columns is the download's header row: every column in the published
// order (one per line in columns.txt, which copies the names of
// shared/data/gias-columns.txt).
func Columns() []string {
	var out []string
	for _, l := range strings.Split(columnsTxt, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// Row is one establishment: column → value (UTF-8); columns not given are
// filled with made-up values of their kind when the writer fills, else
// left empty.
type Row map[string]string

// Writer writes a download.
type Writer struct {
	w      io.Writer
	cols   []string
	fill   bool
	rng    *rand.Rand
	buf    []byte
	csvBuf strings.Builder
	cw     *csv.Writer
	line   []string
}

// NewWriter writes the header to w (as Windows-1252, CRLF line ends) with
// the columns given, or every column when cols is nil. fill fills the
// columns a row does not give with made-up values of their kind, for a
// file as wide and heavy as a real one.
func NewWriter(w io.Writer, cols []string, fill bool) (*Writer, error) {
	if cols == nil {
		cols = Columns()
	}
	gw := &Writer{w: w, cols: cols, fill: fill, rng: rand.New(rand.NewPCG(17, 28))}
	gw.cw = csv.NewWriter(&gw.csvBuf)
	gw.cw.UseCRLF = true
	return gw, gw.write(cols)
}

// Write writes one row.
func (gw *Writer) Write(r Row) error {
	gw.line = gw.line[:0]
	for _, c := range gw.cols {
		v, ok := r[c]
		if !ok && gw.fill {
			v = gw.filler(c)
		}
		gw.line = append(gw.line, v)
	}
	return gw.write(gw.line)
}

func (gw *Writer) write(fields []string) error {
	gw.csvBuf.Reset()
	gw.cw.Write(fields)
	gw.cw.Flush()
	if err := gw.cw.Error(); err != nil {
		return err
	}
	b, err := Encode(gw.buf[:0], gw.csvBuf.String())
	if err != nil {
		return err
	}
	gw.buf = b
	_, err = gw.w.Write(b)
	return err
}

// filler is a made-up value for a column the row does not give.
func (gw *Writer) filler(c string) string {
	n := gw.rng.IntN(1000)
	switch {
	case strings.HasSuffix(c, "(code)"):
		return fmt.Sprint(n % 40)
	case strings.HasPrefix(c, "SEN") && strings.HasSuffix(c, "(name)"):
		return ""
	case strings.HasSuffix(c, "(name)"):
		return fillerWords[n%len(fillerWords)]
	case strings.Contains(c, "Date") || strings.HasSuffix(c, "Insp"):
		return fmt.Sprintf("%02d-%02d-%d", 1+n%28, 1+n%12, 1990+n%35)
	case strings.HasPrefix(c, "Number") || strings.Contains(c, "Capacity") || strings.Contains(c, "Places") || strings.Contains(c, "OnRoll"):
		return fmt.Sprint(n)
	}
	return fillerText[n%len(fillerText)]
}

var fillerWords = []string{"Not applicable", "Does not apply", "Mixed", "Not collected", "Primary", "Secondary",
	"Church of England", "Has a sixth form", "Supported by a trust", "Urban city and town", "Horsham Denne"}

var fillerText = []string{"", "12", "Station Road", "The Old Rectory", "www.example.sch.uk", "01403 000000",
	"Mrs", "Head of School", "E02006789", "E01031234", "10012345678"}

// encodeTable is Windows-1252's 0x80-0x9F block, by character.
var encodeTable = map[rune]byte{
	0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
	0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E,
	0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97,
	0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
}

// Encode appends s as Windows-1252; a character it cannot hold is an error.
func Encode(dst []byte, s string) ([]byte, error) {
	for _, r := range s {
		switch b, ok := encodeTable[r]; {
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			dst = append(dst, byte(r))
		case ok:
			dst = append(dst, b)
		default:
			return dst, fmt.Errorf("%q cannot be written in Windows-1252", r)
		}
	}
	return dst, nil
}

// Plausible gives the rows a benchmark needs: establishments of every
// kind across England at real postcode sectors, about one in fifteen of a
// SEN-relevant kind, some closed, with ratings of every word.
func Plausible(seed uint64) func(i int) Row {
	rng := rand.New(rand.NewPCG(seed, 2026))
	g := geo.Default()
	districts := []string{"RH12", "RH13", "BN1", "BN3", "TN34", "ME14", "CT1", "GU1", "CM1", "CO1", "SW1A", "M1", "LS1", "B1", "NE1", "BS1", "OX1", "CB1", "NR1", "ME4"}
	las := []string{"West Sussex", "West Sussex", "Brighton and Hove", "Brighton and Hove", "East Sussex", "Kent", "Kent", "Surrey", "Essex", "Essex", "Westminster", "Manchester", "Leeds", "Birmingham", "Newcastle upon Tyne", "Bristol, City of", "Oxfordshire", "Cambridgeshire", "Norfolk", "Medway"}
	sectors := make([][]string, len(districts))
	for i, d := range districts {
		sectors[i] = g.Sectors(d)
	}
	types := []string{"Community school", "Academy converter", "Voluntary aided school", "Foundation school", "Academy sponsor led", "Free schools",
		"Community special school", "Academy special converter", "Other independent school", "Other independent school",
		"Other independent special school", "Non-maintained special school", "Special post 16 institution"}
	ratings := []string{"Outstanding", "Good", "Good", "Good", "Requires improvement", "Inadequate", "Serious Weaknesses", "Special Measures", "Insufficient evidence", ""}
	sen := []string{"ASD - Autistic Spectrum Disorder", "SEMH - Social, Emotional and Mental Health", "SLCN - Speech, language and Communication", "MLD - Moderate Learning Difficulty", "SpLD - Specific Learning Difficulty", "PD - Physical Disability"}
	return func(i int) Row {
		k := i % len(districts)
		la := las[k]
		sector := sectors[k][rng.IntN(len(sectors[k]))]
		t := types[rng.IntN(len(types))]
		if rng.IntN(3) > 0 {
			t = types[rng.IntN(6)] // most are mainstream state schools
		}
		status := "Open"
		closeDate := ""
		if rng.IntN(12) == 0 {
			status, closeDate = "Closed", fmt.Sprintf("31-08-%d", 2000+rng.IntN(26))
		}
		r := Row{
			"URN": fmt.Sprint(100000 + i), "LA (name)": la, "EstablishmentName": fmt.Sprintf("%s School %d", names[rng.IntN(len(names))], i),
			"TypeOfEstablishment (name)": t, "EstablishmentStatus (name)": status, "CloseDate": closeDate,
			"OpenDate": fmt.Sprintf("01-09-%d", 1950+rng.IntN(70)), "StatutoryLowAge": fmt.Sprint(3 + rng.IntN(9)), "StatutoryHighAge": fmt.Sprint(11 + rng.IntN(9)),
			"Boarders (name)": []string{"No boarders", "Boarding school", "Not applicable"}[rng.IntN(3)],
			"SchoolCapacity":  fmt.Sprint(30 + rng.IntN(1500)), "NumberOfPupils": fmt.Sprint(20 + rng.IntN(1400)),
			"OfstedRating (name)": ratings[rng.IntN(len(ratings))], "OfstedLastInsp": fmt.Sprintf("%02d-%02d-%d", 1+rng.IntN(28), 1+rng.IntN(12), 2015+rng.IntN(11)),
			"InspectorateName (name)": "", "DateOfLastInspectionVisit": "", "Town": "Town " + fmt.Sprint(k),
			"Postcode": sector + string(rune('A'+rng.IntN(26))) + string(rune('A'+rng.IntN(26))), "PropsName": "",
		}
		if strings.Contains(t, "ndependent") {
			r["PropsName"] = fmt.Sprintf("%s Education Ltd", names[rng.IntN(len(names))])
			if rng.IntN(2) == 0 {
				r["OfstedRating (name)"], r["OfstedLastInsp"] = "", ""
				r["InspectorateName (name)"], r["DateOfLastInspectionVisit"] = "ISI", fmt.Sprintf("%02d/%02d/%d", 1+rng.IntN(28), 1+rng.IntN(12), 2019+rng.IntN(7))
			} else {
				r["InspectorateName (name)"] = "Ofsted"
			}
		}
		if t != "Community school" && rng.IntN(2) == 0 {
			for j := 0; j < 1+rng.IntN(3); j++ {
				r[fmt.Sprintf("SEN%d (name)", j+1)] = sen[rng.IntN(len(sen))]
			}
		}
		return r
	}
}

var names = []string{"Oak", "Ash", "Beech", "Willow", "Hazel", "Meadow", "Brook", "St Mary’s", "O’Connell", "Chalk Hill", "Weald", "Priory"}

// FixtureDate is the date of the fixture download.
const FixtureDate = "20261128"

// Fixture is a small download whose rows test every rule of the import
// against a register that holds URNs 126143-126148 (see store's tests):
//   - 126143 St Mary’s (a right single quote, 0x92 in the file): a newer
//     judgement, Requires improvement;
//   - 126144 closed on 31 August 2026;
//   - 126145 an older inspection than the register's;
//   - 126146 a rating word nobody knows;
//   - 126147 a new name, postcode and proprietor;
//   - 126148 inspected by ISI, which GIAS gives no judgement of;
//   - 126149 and 126150: SEN-relevant, open, not on the register (the
//     market), 126151 a closed one, 126152 a mainstream school.
func Fixture() []Row {
	return []Row{
		{"URN": "126143", "LA (name)": "West Sussex", "EstablishmentName": "St Mary’s School", "TypeOfEstablishment (name)": "Other independent special school",
			"EstablishmentStatus (name)": "Open", "OfstedRating (name)": "Requires improvement", "OfstedLastInsp": "12-10-2026", "Town": "Horsham", "Postcode": "RH12 1AB",
			"StatutoryLowAge": "7", "StatutoryHighAge": "19", "Boarders (name)": "Boarding school", "SchoolCapacity": "60", "NumberOfPupils": "52",
			"PropsName": "Oak Tree Care Ltd", "SEN1 (name)": "ASD - Autistic Spectrum Disorder", "SEN2 (name)": "SLCN - Speech, language and Communication"},
		{"URN": "126144", "LA (name)": "East Sussex", "EstablishmentName": "Downs View School", "TypeOfEstablishment (name)": "Non-maintained special school",
			"EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2026", "OfstedRating (name)": "Good", "OfstedLastInsp": "01-03-2023", "Town": "Lewes", "Postcode": "BN7 2AA"},
		{"URN": "126145", "LA (name)": "Kent", "EstablishmentName": "Chalk Hill College", "TypeOfEstablishment (name)": "Special post 16 institution",
			"EstablishmentStatus (name)": "Open", "OfstedRating (name)": "Good", "OfstedLastInsp": "14/05/2019", "Town": "Maidstone", "Postcode": "ME14 1AA"},
		{"URN": "126146", "LA (name)": "Surrey", "EstablishmentName": "Weald House", "TypeOfEstablishment (name)": "Other independent special school",
			"EstablishmentStatus (name)": "Open", "OfstedRating (name)": "Exemplary", "OfstedLastInsp": "2026-09-30", "Town": "Guildford", "Postcode": "GU1 1AA"},
		{"URN": "126147", "LA (name)": "Brighton and Hove", "EstablishmentName": "Harbour School – Hove", "TypeOfEstablishment (name)": "Other independent school",
			"EstablishmentStatus (name)": "Open, but proposed to close", "Town": "Hove", "Postcode": "BN3 2AA", "PropsName": "Coastline Learning Trust",
			"SEN1 (name)": "SEMH - Social, Emotional and Mental Health"},
		{"URN": "126148", "LA (name)": "Essex", "EstablishmentName": "Priory Court", "TypeOfEstablishment (name)": "Other independent special school",
			"EstablishmentStatus (name)": "Open", "InspectorateName (name)": "ISI", "DateOfLastInspectionVisit": "03-02-2026", "Town": "Chelmsford", "Postcode": "CM1 1AA"},
		{"URN": "126149", "LA (name)": "Brighton and Hove", "EstablishmentName": "Seaview Independent School", "TypeOfEstablishment (name)": "Other independent special school",
			"EstablishmentStatus (name)": "Open", "OfstedRating (name)": "Outstanding", "OfstedLastInsp": "20-06-2025", "Town": "Brighton", "Postcode": "BN1 1AA",
			"StatutoryLowAge": "5", "StatutoryHighAge": "16", "Boarders (name)": "No boarders", "SchoolCapacity": "40", "NumberOfPupils": "38",
			"SEN1 (name)": "ASD - Autistic Spectrum Disorder", "SEN2 (name)": "SEMH - Social, Emotional and Mental Health", "PropsName": "Seaview Trust"},
		{"URN": "126150", "LA (name)": "Medway", "EstablishmentName": "Rochester Bridge College", "TypeOfEstablishment (name)": "Special post 16 institution",
			"EstablishmentStatus (name)": "Open", "InspectorateName (name)": "Ofsted", "OfstedRating (name)": "Good", "OfstedLastInsp": "11-11-2024", "Town": "Rochester", "Postcode": "ME1 1AA",
			"StatutoryLowAge": "16", "StatutoryHighAge": "25", "SchoolCapacity": "80", "NumberOfPupils": "71"},
		{"URN": "126151", "LA (name)": "Kent", "EstablishmentName": "Old Mill School", "TypeOfEstablishment (name)": "Other independent special school",
			"EstablishmentStatus (name)": "Closed", "CloseDate": "31/07/2020", "Town": "Canterbury", "Postcode": "CT1 1AA"},
		{"URN": "126152", "LA (name)": "West Sussex", "EstablishmentName": "Horsham Primary", "TypeOfEstablishment (name)": "Community school",
			"EstablishmentStatus (name)": "Open", "OfstedRating (name)": "Good", "OfstedLastInsp": "01-02-2024", "Town": "Horsham", "Postcode": "RH12 2AA"},
	}
}

// WriteFixture writes the fixture download with the full header.
func WriteFixture(w io.Writer) error {
	gw, err := NewWriter(w, nil, false)
	if err != nil {
		return err
	}
	for _, r := range Fixture() {
		if err := gw.Write(r); err != nil {
			return err
		}
	}
	return nil
}
