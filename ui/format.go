package ui

import (
	"fmt"
	"strings"

	"dpsdesk/engine"
)

// Pounds formats pence as £1,234.56.
func Pounds(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	whole := fmt.Sprint(p / 100)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s£%s.%02d", sign, b.String(), p%100)
}

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
// file name.
func SafeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '-'
		}
		return r
	}, s)
}
