// Package gias reads the DfE's "Get Information about Schools" download of
// every establishment in England (edubasealldataYYYYMMDD.csv) and says what
// its values mean for the register: which inspection judgement a row
// records, whether the establishment is open or closed, and which rows are
// SEN-relevant settings a DPS could invite.
//
// The file is read as a stream, row by row, decoded as Windows-1252; its
// columns are found by name and unknown ones are ignored, because the DfE
// adds columns from time to time. A value this package does not recognise
// (a new rating word) is reported, never guessed. The package is pure in
// the engine's sense: it reads what it is given and keeps no clock.
package gias

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
)

// The columns this package reads, by their published names.
const (
	ColURN             = "URN"
	ColLA              = "LA (name)"
	ColName            = "EstablishmentName"
	ColType            = "TypeOfEstablishment (name)"
	ColStatus          = "EstablishmentStatus (name)"
	ColOpenDate        = "OpenDate"
	ColCloseDate       = "CloseDate"
	ColLowAge          = "StatutoryLowAge"
	ColHighAge         = "StatutoryHighAge"
	ColBoarders        = "Boarders (name)"
	ColCapacity        = "SchoolCapacity"
	ColPupils          = "NumberOfPupils"
	ColOfstedLastInsp  = "OfstedLastInsp"
	ColOfstedRating    = "OfstedRating (name)"
	ColInspectorate    = "InspectorateName (name)"
	ColLastInspVisit   = "DateOfLastInspectionVisit"
	ColTown            = "Town"
	ColPostcode        = "Postcode"
	ColProprietor      = "PropsName"
	colSENPrefix       = "SEN"
	colSENSuffix       = " (name)"
	MaxSENProvisionCol = 13
)

// RequiredColumns are the columns without which a file is refused: the
// register is matched by URN, and name, status and postcode are what every
// row must say.
func RequiredColumns() []string {
	return []string{ColURN, ColName, ColStatus, ColPostcode}
}

// senColumns are SEN1 (name) … SEN13 (name): the SEN provision recorded.
func senColumns() []string {
	out := make([]string, MaxSENProvisionCol)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d%s", colSENPrefix, i+1, colSENSuffix)
	}
	return out
}

// Record is what the desk reads of one row.
type Record struct {
	Line                int // the file's line the row starts on
	URN                 string
	Name                string
	LA                  string // the local authority it is in
	Type                string // TypeOfEstablishment (name)
	Status              string // EstablishmentStatus (name)
	OpenDate, CloseDate time.Time
	LowAge, HighAge     int // 0 when not given
	Boarders            string
	Capacity, Pupils    int // 0 when not given
	OfstedRating        string
	OfstedLastInsp      time.Time
	Inspectorate        string
	LastInspVisit       time.Time
	Town, Postcode      string
	Proprietor          string
	SEN                 []string // SEN1…SEN13 as given, in order, empty ones left out
}

// Establishment statuses as GIAS words them.
const (
	StatusOpen          = "Open"
	StatusClosed        = "Closed"
	StatusProposedClose = "Open, but proposed to close"
	StatusProposedOpen  = "Proposed to open"
)

// KnownStatus reports whether s is one of GIAS's establishment statuses.
func KnownStatus(s string) bool {
	return slices.Contains([]string{StatusOpen, StatusClosed, StatusProposedClose, StatusProposedOpen}, s)
}

// Open reports whether the establishment is open (closing or not).
func (r *Record) Open() bool { return r.Status == StatusOpen || r.Status == StatusProposedClose }

// Closed reports whether GIAS records the establishment as closed.
func (r *Record) Closed() bool { return r.Status == StatusClosed }

// InspectionKind says what a row tells of the latest inspection.
type InspectionKind int

const (
	NoInspection     InspectionKind = iota // nothing recorded
	Judged                                 // a judgement in a framework's own words
	NotJudged                              // inspected, but no judgement the desk can hold (ISI, "Insufficient evidence")
	UnknownJudgement                       // a word this package does not recognise: reported, left alone
)

// Inspection is the latest inspection a row records.
type Inspection struct {
	Kind      InspectionKind
	Judgement engine.Judgement // for Judged
	// Word is the rating as written (for UnknownJudgement and NotJudged),
	// Inspectorate who inspected, Date when (zero: not given).
	Word         string
	Inspectorate string
	Date         time.Time
}

// ofstedWords are the words of OfstedRating (name) that are four-point
// judgements (evaluation.md §1.1). Serious weaknesses and special measures
// are the two categories of concern of an Inadequate judgement, so they
// are Inadequate in the four-point framework.
var ofstedWords = map[string]string{
	"outstanding":          "Outstanding",
	"good":                 "Good",
	"requires improvement": "Requires improvement",
	"inadequate":           "Inadequate",
	"serious weaknesses":   "Inadequate",
	"special measures":     "Inadequate",
}

// noJudgementWords are ratings GIAS gives that hold no grade.
var noJudgementWords = map[string]bool{"insufficient evidence": true}

// isISI reports whether an inspectorate name is the Independent Schools
// Inspectorate, whose standards judgement GIAS does not carry.
func isISI(name string) bool {
	n := strings.ToLower(name)
	return n == "isi" || strings.Contains(n, "independent schools inspectorate")
}

// Inspection works out the latest inspection the row records: the Ofsted
// rating with its date (OfstedLastInsp, or for an independent school the
// inspectorate's visit date); for an independent school inspected by ISI
// only that it was inspected and when, since GIAS holds no ISI judgement.
// A rating it does not recognise is UnknownJudgement, never a grade.
func (r *Record) Inspection() Inspection {
	word := strings.TrimSpace(r.OfstedRating)
	date := r.OfstedLastInsp
	if date.IsZero() && !isISI(r.Inspectorate) {
		date = r.LastInspVisit
	}
	key := strings.ToLower(strings.Join(strings.Fields(word), " "))
	switch {
	case word != "" && ofstedWords[key] != "":
		return Inspection{Kind: Judged, Word: word, Inspectorate: "Ofsted", Date: date,
			Judgement: engine.Judgement{Framework: engine.FrameworkOfsted, Grade: ofstedWords[key], Date: date}}
	case word != "" && noJudgementWords[key]:
		return Inspection{Kind: NotJudged, Word: word, Inspectorate: "Ofsted", Date: date}
	case word != "":
		return Inspection{Kind: UnknownJudgement, Word: word, Date: date}
	case isISI(r.Inspectorate) && !r.LastInspVisit.IsZero():
		return Inspection{Kind: NotJudged, Inspectorate: "ISI", Date: r.LastInspVisit}
	}
	return Inspection{Kind: NoInspection}
}

// MarketKind is a kind of establishment a partner authority may place a
// child with through the DPS, and the DPS category it would apply to.
type MarketKind struct {
	Type     string // TypeOfEstablishment (name)
	Category string // the DPS category (glossary)
	// NeedsSENProvision: counted only when the row records SEN provision
	// (SEN1 (name) or later), as for independent mainstream schools.
	NeedsSENProvision bool
}

// MarketKinds are the SEN-relevant kinds of establishment: independent
// and non-maintained special schools and special post-16 institutions
// (the sen category), and independent schools that record SEN provision,
// which the DPS buys as independent alternative provision (iap). State
// special schools are placed in outside the DPS and are left out.
func MarketKinds() []MarketKind {
	return []MarketKind{
		{Type: "Other independent special school", Category: engine.CategorySEN},
		{Type: "Non-maintained special school", Category: engine.CategorySEN},
		{Type: "Special post 16 institution", Category: engine.CategorySEN},
		{Type: "Other independent school", Category: engine.CategoryIAP, NeedsSENProvision: true},
	}
}

// MarketKind is the row's SEN-relevant kind, if it is one.
func (r *Record) MarketKind() (MarketKind, bool) {
	for _, k := range MarketKinds() {
		if strings.EqualFold(k.Type, r.Type) && (!k.NeedsSENProvision || len(r.SEN) > 0) {
			return k, true
		}
	}
	return MarketKind{}, false
}

// PartnerLAs are the names GIAS gives (LA (name)) to the partner
// authorities' areas, by the authority's code in the register.
func PartnerLAs() map[string]string {
	return map[string]string{
		"WSCC": "West Sussex", "ESCC": "East Sussex", "KCC": "Kent", "SCC": "Surrey",
		"BHCC": "Brighton and Hove", "MED": "Medway", "ECC": "Essex",
	}
}

// senCode finds the DfE SEN type code a provision is written with
// ("ASD - Autistic Spectrum Disorder", "SpLD - Specific Learning
// Difficulty").
var senCode = regexp.MustCompile(`^([A-Za-z]{2,5})\s*-\s`)

// SENCodes are the row's SEN provision as the desk's SEN type codes where
// the words start with one (engine.SENTypes), else as written.
func (r *Record) SENCodes() []string {
	out := make([]string, 0, len(r.SEN))
	for _, s := range r.SEN {
		if m := senCode.FindStringSubmatch(s); m != nil && slices.Contains(engine.SENTypes(), strings.ToUpper(m[1])) {
			s = strings.ToUpper(m[1])
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// SourceFromFileName is the date of a download from its name,
// edubasealldataYYYYMMDD.csv, as the source the audit trail names
// ("GIAS 2026-11-28"); ok is false when the name does not carry one.
func SourceFromFileName(name string) (string, bool) {
	m := fileDate.FindStringSubmatch(name)
	if m == nil {
		return "", false
	}
	d, err := time.Parse("20060102", m[1])
	if err != nil {
		return "", false
	}
	return Source(d), true
}

var fileDate = regexp.MustCompile(`(?i)edubasealldata(\d{8})\.csv$`)

// Source is how the audit trail names a download of that date.
func Source(d time.Time) string { return "GIAS " + d.Format(time.DateOnly) }
