package ui

import (
	"fmt"

	"dpsdesk/engine"
	"dpsdesk/store/publish"
)

// Pounds formats pence as £1,234.56: engine.Pounds, the one money format.
func Pounds(p int64) string { return engine.Pounds(p) }

// statusWord says a status so that it reads without colour: a suspended
// establishment says SUSPENDED.
func statusWord(s engine.Status) string {
	if s == engine.Suspended {
		return "SUSPENDED"
	}
	return string(s)
}

func criterionTitle(id engine.CriterionID) string {
	for _, c := range engine.Criteria() {
		if c.ID == id {
			return c.Title
		}
	}
	return string(id)
}

// Points2 shows points (or miles) to 2 decimal places, rounding half away
// from zero as the rules do.
func Points2(x float64) string { return fmt.Sprintf("%.2f", engine.Round2(x)) }

// SafeFileName keeps an id (a referral's, an establishment's) usable as a
// file name: publish.SafeFileName, as every document is named.
func SafeFileName(s string) string { return publish.SafeFileName(s) }
