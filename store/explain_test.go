package store

import (
	"testing"

	"dpsdesk/engine"
)

// Every bid of every demo referral, awarded ones as the award kept them,
// is explained with the ranking's own figures: the facts give the points
// criterion by criterion, and the points add up to the total.
func TestEveryDemoBidIsExplainedWithTheRankingsFigures(t *testing.T) {
	s := demoStore(t)
	refs, err := s.Referrals()
	if err != nil {
		t.Fatal(err)
	}
	explained, kept := 0, 0
	for _, r := range refs {
		res, c, err := s.Rank(r.ID, 0)
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		for _, b := range c.Engine.Bids {
			x, ok := engine.Explain(&c.Engine, &res, b.Establishment)
			if !ok {
				t.Errorf("%s: %s is not explained", r.ID, b.Establishment)
				continue
			}
			explained++
			if c.Decision != nil {
				kept++
			}
			if x.Rank == 0 {
				if len(x.Reasons) == 0 {
					t.Errorf("%s: %s neither ranked nor given a reason", r.ID, b.Establishment)
				}
				continue
			}
			if len(x.Changed) > 0 || x.Worked() != x.Points {
				t.Errorf("%s: %s: the facts give %+v (changed %v), the ranking %+v", r.ID, b.Establishment, x.Worked(), x.Changed, x.Points)
			}
			if x.Points.Total() != x.Total {
				t.Errorf("%s: %s: the points add up to %.2f, the total is %.2f", r.ID, b.Establishment, x.Points.Total(), x.Total)
			}
		}
	}
	if explained == 0 || kept == 0 {
		t.Errorf("explained %d bids, %d of them awarded: the demo has none?", explained, kept)
	}
}
