package engine

import "slices"

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
