package ui

import (
	"testing"
	"time"
)

// BenchmarkExplain500 opens the explanation of the last-ranked of 500
// bids: Explain and the page's words, as enter does.
func BenchmarkExplain500(b *testing.B) {
	s := openBig(b)
	refs, _ := s.Referrals()
	v := newRanked(NewContext(s, Options{Now: func() time.Time { return testNow }}), refs[0].ID)
	last := v.res.Ranked[len(v.res.Ranked)-1].Establishment
	b.ReportAllocs()
	for b.Loop() {
		if lines, ok := explanationLines(v.comp, &v.res, last, v.name(last), 0); !ok || len(lines) < 10 {
			b.Fatal("not explained")
		}
	}
}
