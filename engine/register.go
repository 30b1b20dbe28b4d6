package engine

import (
	"slices"
	"strings"
)

// Status is an establishment's place on the register (evaluation.md §2).
type Status string

const (
	Applied   Status = "applied"
	Qualified Status = "qualified"
	Suspended Status = "suspended"
	Withdrawn Status = "withdrawn"
	Excluded  Status = "excluded"
)

// Statuses lists every status in the order the register shows them.
func Statuses() []Status { return []Status{Applied, Qualified, Suspended, Withdrawn, Excluded} }

// Valid reports whether s is one of the five statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses(), s) }

// Category ids (glossary: "Category (lot)").
const (
	CategorySEN         = "sen"
	CategoryIAP         = "iap"
	CategoryFostering   = "fostering"
	CategoryResidential = "residential"
	CategoryShortBreaks = "short-breaks"
	CategoryFACS        = "facs"
)

// CategoryIDs lists the DPS's categories in the business case's order.
func CategoryIDs() []string {
	return []string{CategorySEN, CategoryIAP, CategoryFostering, CategoryResidential, CategoryShortBreaks, CategoryFACS}
}

// ValidURN reports whether s is a unique reference number as the DfE gives
// one to every school in England (Get Information about Schools): six
// digits, e.g. 126143.
func ValidURN(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// KnownCategory reports whether id is one of the DPS's categories.
func KnownCategory(id string) bool { return slices.Contains(CategoryIDs(), id) }

// IAPSubCategories are the five sub-categories of independent alternative
// provision (glossary; seed 001).
func IAPSubCategories() []string {
	return []string{"early-intervention", "vocational", "interim", "online-tutoring", "complex-learners"}
}

// SENTypes are the DfE's SEN type codes a referral's needs are drawn from.
func SENTypes() []string {
	return []string{"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH"}
}

// FeatureIDs is the default vocabulary of must-have and desirable features.
func FeatureIDs() []string {
	return []string{
		"wheelchair-access", "on-site-slt", "on-site-ot", "sensory-room", "special-diet",
		"eal-support", "transport", "female-staff", "taster-day",
		"38-week-residential", "52-week-residential",
	}
}

// NeedTitle says a SEN type code in plain English, for families.
func NeedTitle(code string) string {
	if t, ok := map[string]string{
		"SPLD": "specific learning difficulty (such as dyslexia)", "MLD": "moderate learning difficulty",
		"SLD": "severe learning difficulty", "PMLD": "profound and multiple learning difficulty",
		"SEMH": "social, emotional and mental health needs", "SLCN": "speech, language and communication needs",
		"HI": "hearing impairment", "VI": "visual impairment", "MSI": "multi-sensory impairment",
		"PD": "physical disability", "ASD": "autism", "OTH": "other needs",
	}[code]; ok {
		return t
	}
	return code
}

// FeatureTitle says a feature in plain English, for families.
func FeatureTitle(id string) string {
	if t, ok := map[string]string{
		"wheelchair-access": "wheelchair access", "on-site-slt": "a speech and language therapist on site",
		"on-site-ot": "an occupational therapist on site", "sensory-room": "a sensory room", "special-diet": "special diets",
		"eal-support": "support with English as an additional language", "transport": "transport to and from home",
		"female-staff": "female staff", "taster-day": "a taster day", "38-week-residential": "38-week residential places",
		"52-week-residential": "52-week residential places",
	}[id]; ok {
		return t
	}
	return strings.ReplaceAll(id, "-", " ")
}

// SettingKind says what kind of setting a category is, in plain English.
func SettingKind(category string) string {
	if t, ok := map[string]string{
		CategorySEN: "independent special school", CategoryIAP: "alternative provision", CategoryFostering: "fostering agency",
		CategoryResidential: "children's home", CategoryShortBreaks: "short breaks", CategoryFACS: "family and community support",
	}[category]; ok {
		return t
	}
	return category
}

// PatternTitle says a pattern of provision in plain English.
func PatternTitle(pattern string) string {
	if t, ok := map[string]string{
		"day": "day placement", "residential-38": "residential, 38 weeks a year",
		"residential-52": "residential, all year (52 weeks)", "mixed": "day or residential",
	}[pattern]; ok {
		return t
	}
	return "not stated"
}
