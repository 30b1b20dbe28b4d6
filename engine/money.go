package engine

import (
	"strconv"
	"strings"
)

// Pounds formats pence as people read money everywhere the desk shows or
// writes it: "£1,234.56", "-£12.00". It is the one money format: screens,
// summaries, reports and published documents all call it.
func Pounds(pence int64) string {
	var b strings.Builder
	if pence < 0 {
		b.WriteByte('-')
	}
	b.WriteString("£")
	b.WriteString(groupThousands(absPence(pence) / 100))
	b.WriteByte('.')
	cents := absPence(pence) % 100
	if cents < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.FormatUint(cents, 10))
	return b.String()
}

// PoundsDecimal is pence as a plain decimal number of pounds, "1234.56":
// the form a machine reads (CSV value columns), never shown as prose.
func PoundsDecimal(pence int64) string {
	s := strconv.FormatUint(absPence(pence)/100, 10) + "." + strconv.FormatUint(absPence(pence)%100/10, 10) + strconv.FormatUint(absPence(pence)%10, 10)
	if pence < 0 {
		return "-" + s
	}
	return s
}

func absPence(p int64) uint64 {
	if p < 0 {
		return uint64(-(p + 1)) + 1 // math.MinInt64 too
	}
	return uint64(p)
}

func groupThousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
