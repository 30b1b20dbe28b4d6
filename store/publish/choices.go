package publish

import (
	"fmt"
	"slices"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// Choices are the points shared/spec/publication-facts.md marks
// UNCONFIRMED, or that the desk's records do not settle, each a named
// option with a documented default (README, "Publication"): never a silent
// guess.
type Choices struct {
	// TermWeeks is how many weeks of the weekly cost make a placement's
	// published value, and when its published end date falls (the desk
	// records a start and a weekly cost, not a term). Default 52.
	TermWeeks int
	// VATPercent is the VAT on the weekly cost, which the desk records net.
	// Default 0: education and care placements are exempt supplies.
	VATPercent int
	// CFValue is which value Contracts Finder's Value fields carry, "net"
	// (excluding VAT, the basis of PCR's thresholds; default) or "gross":
	// whether Contracts Finder wants values with or without VAT is
	// UNCONFIRMED (facts §1.4). Both are labelled in the payload either way.
	CFValue string
	// CFNotices is "quarterly" (one notice per buyer and arrangement per
	// quarter grouping its placement awards, as councils publish spot
	// placements; default) or "per-award".
	CFNotices string
	// CFDays is how long after an award its Contracts Finder publication is
	// due: 90 days for sub-central authorities under PPN 07/21; that PPN
	// 019 keeps it is UNCONFIRMED (facts §1.1). Default 90.
	CFDays int
	// LightTouchCode is the tender's specialRegime code for a light-touch
	// contract: the literal Find a Tender uses is UNCONFIRMED (facts §3).
	// Default "lightTouch".
	LightTouchCode string
	// UK6AwardStatus is the award status of a UK6 release, published before
	// the contract is entered into: UNCONFIRMED (facts §3). Default
	// "pending".
	UK6AwardStatus string
	// NoticeDocumentsIn is where a notice's document (noticeType UK6 or
	// UK7) goes: "stage" (UK6 in awards[].documents, UK7 in
	// contracts[].documents; default) or "tender" (tender.documents): seen
	// only in consumer code, UNCONFIRMED (facts §3).
	NoticeDocumentsIn string
	// Relationship is the relatedProcesses relationship code that ties an
	// award to its dynamic market's ocid: "framework" (the OCDS EU profile
	// rule; default); that Find a Tender uses it is UNCONFIRMED (facts §3).
	Relationship string
}

// DefaultChoices are the documented defaults.
func DefaultChoices() Choices {
	return Choices{TermWeeks: 52, VATPercent: 0, CFValue: "net", CFNotices: "quarterly", CFDays: 90,
		LightTouchCode: "lightTouch", UK6AwardStatus: "pending", NoticeDocumentsIn: "stage", Relationship: "framework"}
}

// Check says what is wrong with a choice.
func (c Choices) Check() error {
	switch {
	case c.TermWeeks < 1 || c.TermWeeks > 520:
		return fmt.Errorf("--term-weeks must be from 1 to 520, not %d", c.TermWeeks)
	case c.VATPercent < 0 || c.VATPercent > 100:
		return fmt.Errorf("--vat-percent must be from 0 to 100, not %d", c.VATPercent)
	case c.CFValue != "net" && c.CFValue != "gross":
		return fmt.Errorf("--cf-value must be net or gross, not %q", c.CFValue)
	case c.CFNotices != "quarterly" && c.CFNotices != "per-award":
		return fmt.Errorf("--cf-notices must be quarterly or per-award, not %q", c.CFNotices)
	case c.CFDays < 1 || c.CFDays > 366:
		return fmt.Errorf("--cf-days must be from 1 to 366, not %d", c.CFDays)
	case c.LightTouchCode == "":
		return fmt.Errorf("--light-touch-code must not be empty")
	case !slices.Contains([]string{"pending", "active"}, c.UK6AwardStatus):
		return fmt.Errorf("--uk6-award-status must be pending or active, not %q", c.UK6AwardStatus)
	case c.NoticeDocumentsIn != "stage" && c.NoticeDocumentsIn != "tender":
		return fmt.Errorf("--notice-documents-in must be stage or tender, not %q", c.NoticeDocumentsIn)
	case c.Relationship == "":
		return fmt.Errorf("--relationship must not be empty")
	}
	return nil
}

// LightTouchThresholdPence is the Procurement Act 2023 light-touch
// threshold from 1 Jan 2026, including VAT (facts §2.7): £663,540.
const LightTouchThresholdPence = 66_354_000

// netPence is the published value of an award excluding VAT: the weekly
// cost for the term.
func (c Choices) netPence(a Award) int64 { return a.Award.WeeklyPence * int64(c.TermWeeks) }

// grossPence adds VAT, rounding half a penny up.
func (c Choices) grossPence(a Award) int64 {
	return (c.netPence(a)*int64(100+c.VATPercent) + 50) / 100
}

// endDate is the published end of a placement: the start and the term, less
// a day.
func (c Choices) endDate(a Award) string {
	t, err := time.Parse(time.DateOnly, a.Award.Start)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, 7*c.TermWeeks-1).Format(time.DateOnly)
}

// valueWords labels an award's value with and without VAT.
func (c Choices) valueWords(a Award) (net, gross string) {
	basis := fmt.Sprintf(" (%d weeks at %s a week", c.TermWeeks, engine.Pounds(a.Award.WeeklyPence))
	return engine.Pounds(c.netPence(a)) + " excluding VAT" + basis + ")",
		engine.Pounds(c.grossPence(a)) + fmt.Sprintf(" including VAT at %d%%", c.VATPercent) + basis + " before VAT)"
}

// ukDateTime is a UK date as an OCDS date-time: its midnight in UK time.
func ukDateTime(day string) string {
	t, err := time.ParseInLocation(time.DateOnly, day, store.UKLocation())
	if err != nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

// ukInstant is an instant in UK time, so that its date is the UK date.
func ukInstant(t time.Time) string { return t.In(store.UKLocation()).Format(time.RFC3339) }
