package store

import (
	"regexp"
	"strings"
)

// Supplier is who contracts for an establishment, as publication names it
// (PCR reg 112; PA 2023 UK6 and UK7): its identifiers on the registers the
// central digital platform recognises, its registered address, and whether
// it is an SME or a VCSE. A provider group may contract through a different
// company for each of its settings, so it is kept with the establishment.
type Supplier struct {
	// CompanyNumber is its Companies House number (GB-COH): eight
	// characters, eight digits or two letters and six digits.
	CompanyNumber string `json:"company_number,omitempty"`
	// CharityNumber is its Charity Commission number (GB-CHC).
	CharityNumber string `json:"charity_number,omitempty"`
	// PPON is its Public Procurement Organisation Number on the central
	// digital platform (GB-PPON), e.g. PBHM-7586-PWLP.
	PPON              string `json:"ppon,omitempty"`
	RegisteredAddress string `json:"registered_address,omitempty"`
	// SME and VCSE are "yes", "no" or "" (not yet known).
	SME  string `json:"sme,omitempty"`
	VCSE string `json:"vcse,omitempty"`
}

// SupplierColumns are the register CSV's supplier identity columns, one
// block at the end of the file.
var SupplierColumns = []string{"company_number", "charity_number", "ppon", "registered_address", "sme", "vcse"}

var (
	companyRE = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6}|R0[0-9]{6})$`)
	charityRE = regexp.MustCompile(`^[0-9]{6,7}$`)
	// PPON: P and three letters, four digits, four letters; the letters
	// are drawn from BCDGHJLMNPQRTVWXYZ (publication-facts.md §3).
	pponRE = regexp.MustCompile(`^P[BCDGHJLMNPQRTVWXYZ]{3}-[0-9]{4}-[BCDGHJLMNPQRTVWXYZ]{4}$`)
)

// normalise tidies what people type: upper case identifiers, no spaces.
func (s *Supplier) normalise() {
	up := func(v string) string { return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), " ", "")) }
	s.CompanyNumber, s.CharityNumber, s.PPON = up(s.CompanyNumber), up(s.CharityNumber), up(s.PPON)
	s.PPON = strings.TrimPrefix(s.PPON, "GB-PPON-")
	s.RegisteredAddress = strings.TrimSpace(s.RegisteredAddress)
	s.SME, s.VCSE = strings.ToLower(strings.TrimSpace(s.SME)), strings.ToLower(strings.TrimSpace(s.VCSE))
}

// check adds a problem for each field that is not of its shape, under the
// register CSV's column names.
func (s *Supplier) check(p *problems) {
	s.normalise()
	if s.CompanyNumber != "" && !companyRE.MatchString(s.CompanyNumber) {
		hint := ""
		if len(s.CompanyNumber) < 8 && strings.Trim(s.CompanyNumber, "0123456789") == "" {
			hint = " (Companies House numbers keep their leading zeros: " + strings.Repeat("0", 8-len(s.CompanyNumber)) + s.CompanyNumber + ")"
		}
		p.add("company_number", "%q is not a Companies House number: eight digits, or two letters and six digits (e.g. 01234567, SC123456)%s", s.CompanyNumber, hint)
	}
	if s.CharityNumber != "" && !charityRE.MatchString(s.CharityNumber) {
		p.add("charity_number", "%q is not a Charity Commission number: six or seven digits (e.g. 1123456)", s.CharityNumber)
	}
	if s.PPON != "" && !pponRE.MatchString(s.PPON) {
		p.add("ppon", "%q is not a PPON: P and three letters, four digits, four letters, e.g. PBHM-7586-PWLP (letters from BCDGHJLMNPQRTVWXYZ)", s.PPON)
	}
	checkText(p, "registered_address", s.RegisteredAddress, MaxNameLen)
	for _, f := range [][2]string{{"sme", s.SME}, {"vcse", s.VCSE}} {
		if f[1] != "" && f[1] != "yes" && f[1] != "no" {
			p.add(f[0], "must be yes, no or empty (not known), not %q", f[1])
		}
	}
}

// Identifier is the supplier's identifier as OCDS names organisations —
// scheme and id — preferring the PPON, then Companies House, then the
// Charity Commission; ok is false when it has none.
func (s Supplier) Identifier() (scheme, id string, ok bool) {
	switch {
	case s.PPON != "":
		return "GB-PPON", s.PPON, true
	case s.CompanyNumber != "":
		return "GB-COH", s.CompanyNumber, true
	case s.CharityNumber != "":
		return "GB-CHC", s.CharityNumber, true
	}
	return "", "", false
}

// Identifiers are all of its identifiers, scheme and id, in that order.
func (s Supplier) Identifiers() [][2]string {
	var out [][2]string
	for _, x := range [][2]string{{"GB-PPON", s.PPON}, {"GB-COH", s.CompanyNumber}, {"GB-CHC", s.CharityNumber}} {
		if x[1] != "" {
			out = append(out, x)
		}
	}
	return out
}
