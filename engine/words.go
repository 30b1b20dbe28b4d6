package engine

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Dates are typed by people in the forms English offices use and shown one
// way; the store keeps them as ISO 8601 (YYYY-MM-DD).

// DateExample is how a date may be typed, for messages and hints.
const DateExample = "22/11/2026, 22 Nov 2026 or 2026-11-22"

var months = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
	"nov": 11, "november": 11, "dec": 12, "december": 12,
}

// ParseDate reads a calendar day as a person types it: 22/11/2026 (day
// first, as in England), 22 Nov 2026, 22 November 2026 or 2026-11-22. The
// day is midnight UTC. A day that is not on the calendar (31/02/2026) is an
// error that says how to type one.
func ParseDate(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	var d, m, y int
	var ok bool
	switch {
	case strings.Count(t, "-") == 2 && len(t) == 10:
		d, m, y, ok = numbers(strings.Split(t, "-"), 2, 1, 0)
	case strings.Count(t, "/") == 2:
		d, m, y, ok = numbers(strings.Split(t, "/"), 0, 1, 2)
	default:
		f := strings.Fields(strings.ReplaceAll(t, ",", " "))
		if len(f) == 3 {
			if mo, known := months[strings.ToLower(strings.TrimSuffix(f[1], "."))]; known {
				d, _ = atoi(f[0])
				y, _ = atoi(f[2])
				m, ok = int(mo), len(f[2]) == 4 && d > 0
			}
		}
	}
	if ok && y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 {
		day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if day.Day() == d && int(day.Month()) == m {
			return day, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: type it as %s", s, DateExample)
}

func numbers(parts []string, di, mi, yi int) (d, m, y int, ok bool) {
	var okD, okM, okY bool
	d, okD = atoi(parts[di])
	m, okM = atoi(parts[mi])
	y, okY = atoi(parts[yi])
	return d, m, y, okD && okM && okY && len(parts[yi]) == 4 && len(parts[di]) <= 2 && len(parts[mi]) <= 2
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// ISODate turns a typed date into the form the store keeps (2026-11-22).
func ISODate(s string) (string, error) {
	if isISO(s) {
		return s, nil // already as kept: the same string, nothing made
	}
	t, err := ParseDate(s)
	if err != nil {
		return "", err
	}
	return t.Format(time.DateOnly), nil
}

// ShowDate writes a kept date (YYYY-MM-DD) as people read it, "22 Nov
// 2026"; anything else is given back as it is.
func ShowDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return DateText(t)
}

// Count says how many of something, with the noun in the right number:
// "1 day", "2 days", "1 establishment", "3 entries", "0 bids".
func Count(n int, noun string) string {
	return strconv.Itoa(n) + " " + Plural(n, noun)
}

// Plural is the noun for n of it: "bid" or "bids", "entry" or "entries".
func Plural(n int, noun string) string {
	if n == 1 || n == -1 || noun == "" {
		return noun
	}
	lower := strings.ToLower(noun)
	switch {
	case strings.HasSuffix(lower, "y") && len(lower) > 1 && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return noun[:len(noun)-1] + "ies"
	case strings.HasSuffix(lower, "s"), strings.HasSuffix(lower, "x"), strings.HasSuffix(lower, "ch"), strings.HasSuffix(lower, "sh"):
		return noun + "es"
	}
	return noun + "s"
}

// isISO reports whether s is a valid date written YYYY-MM-DD.
func isISO(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Year() >= 1000
}

// ShowDates writes every kept date (YYYY-MM-DD) inside a sentence as
// people read it: "fee uplift 2.5% from 2026-07-30" reads "fee uplift
// 2.5% from 30 Jul 2026". Everything else is given back as it is.
func ShowDates(s string) string {
	if len(s) < 10 || !strings.Contains(s, "-") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+10 <= len(s) && isoAt(s, i) {
			if t, err := time.Parse(time.DateOnly, s[i:i+10]); err == nil {
				b.WriteString(DateText(t))
				i += 10
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// isoAt reports whether s holds a YYYY-MM-DD standing alone at i: not part
// of a longer run of digits (an id such as REF-2026-0007 is left alone).
func isoAt(s string, i int) bool {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	for j, c := range []byte(s[i : i+10]) {
		if (j == 4 || j == 7) != (c == '-') || (j != 4 && j != 7 && !digit(c)) {
			return false
		}
	}
	before := i > 0 && (digit(s[i-1]) || s[i-1] == '-')
	after := i+10 < len(s) && (digit(s[i+10]) || s[i+10] == '-')
	return !before && !after
}
