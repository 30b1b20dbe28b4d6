package ui

import (
	"fmt"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
	"dpsdesk/store/publish"
)

// Pounds formats pence as £1,234.56: engine.Pounds, the one money format.
func Pounds(p int64) string { return engine.Pounds(p) }

// How the desk shows a day and a moment: as people write them.
const (
	dateOnly = "2 Jan 2006"
	dateTime = "2 Jan 2006 15:04"
)

// shortDate is a day as "2 Jan" when it is in now's year, "2 Jan 2006"
// when it is not: a list of deadlines and reviews may run across years.
func shortDate(t, now time.Time) string {
	if t.Year() == now.Year() {
		return t.Format("2 Jan")
	}
	return t.Format(dateOnly)
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
// file name: publish.SafeFileName, as every document is named.
func SafeFileName(s string) string { return publish.SafeFileName(s) }

// auditLines are a record's audit entries, newest first, each in words
// (store.Describe) with its changes below it.
func auditLines(entries []store.AuditEntry, words []store.EntryWords) []string {
	var l []string
	for i := len(entries) - 1; i >= 0; i-- {
		a, action, changes := entries[i], entries[i].Action, []string(nil)
		if i < len(words) {
			action = words[i].Action
			for _, c := range words[i].Changes {
				changes = append(changes, c.Line())
			}
		}
		l = append(l, fmt.Sprintf("#%d %s %s %s", a.Seq, a.Time.Local().Format(dateTime), a.Actor, action))
		for _, c := range changes {
			l = append(l, "    "+c)
		}
	}
	return l
}

// supplierWords says who the supplier is for publication: its
// identifiers, SME and VCSE status and registered address; "" when the
// register holds none of it.
func supplierWords(s store.Supplier) string {
	var parts []string
	for _, id := range []struct{ label, v string }{{"Companies House", s.CompanyNumber}, {"charity", s.CharityNumber}, {"PPON", s.PPON}} {
		if id.v != "" {
			parts = append(parts, id.label+" "+id.v)
		}
	}
	if s.SME == "yes" {
		parts = append(parts, "SME")
	}
	if s.VCSE == "yes" {
		parts = append(parts, "VCSE")
	}
	if s.RegisteredAddress != "" {
		parts = append(parts, s.RegisteredAddress)
	}
	return strings.Join(parts, " · ")
}

// inspectedWhen is a judgement's date and, when it was not typed by an
// officer, where it came from: "28 Nov 2025, from GIAS 28 Nov 2026".
func inspectedWhen(in store.Inspection) string {
	when := orNone(engine.ShowDate(in.Date))
	if in.Source == "" {
		return when
	}
	src := in.Source
	if name, date, ok := strings.Cut(src, " "); ok {
		src = name + " " + engine.ShowDate(date)
	}
	return when + ", from " + src
}
