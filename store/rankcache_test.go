package store

import (
	"reflect"
	"slices"
	"testing"

	"dpsdesk/engine"
)

// The ranking is remembered only until the store changes: a bid recorded
// is in the next ranking, a what-if weight scores as a fresh evaluation
// would, and the referral's own weight is its own again afterwards.
func TestRankIsWorkedOutAgainAfterAChange(t *testing.T) {
	s := demoStore(t)
	r := referralOf(t, s, RefIssued)
	before, _, err := s.Rank(r.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := s.Rank(r.ID, 0)
	if !reflect.DeepEqual(before, again) {
		t.Fatal("the same store ranks differently")
	}
	fresh := func(weight int) engine.Result {
		c, err := s.Competition(r.ID, weight)
		if err != nil {
			t.Fatal(err)
		}
		return engine.Evaluate(&c.Engine)
	}
	for _, w := range []int{70, 30, 0} {
		got, c, err := s.Rank(r.ID, w)
		if err != nil {
			t.Fatal(err)
		}
		if want := fresh(w); !reflect.DeepEqual(got, want) {
			t.Errorf("weight %d: ranked %+v, evaluated afresh %+v", w, got.Weights, want.Weights)
		}
		if w == 0 && c.Engine.Referral.QualityWeight != r.QualityWeight {
			t.Errorf("back to its own weight: %d, not %d", c.Engine.Referral.QualityWeight, r.QualityWeight)
		}
	}
	// A new bid from an invited establishment that may bid.
	bid := ""
	floors, _ := s.Floors()
	for _, id := range r.Invited {
		e, _ := s.Establishment(id)
		if slices.ContainsFunc(before.Ranked, func(b engine.RankedBid) bool { return b.Establishment == id }) ||
			slices.ContainsFunc(before.NonCompliant, func(b engine.NonCompliantBid) bool { return b.Establishment == id }) ||
			e.Status != engine.Qualified || len(StandingOf(&e, testNow, floors).In(r.Category)) > 0 {
			continue
		}
		if err := s.RecordBid(Bid{Referral: r.ID, Establishment: id, CoreWeeklyPence: e.CoreWeeklyPence, OutcomesScore: 60, Submitted: testNow}); err != nil {
			t.Fatal(err)
		}
		bid = id
		break
	}
	if bid == "" {
		t.Skip("no invited establishment left to bid")
	}
	after, _, _ := s.Rank(r.ID, 0)
	if len(after.Ranked)+len(after.NonCompliant) != len(before.Ranked)+len(before.NonCompliant)+1 || !reflect.DeepEqual(after, fresh(0)) {
		t.Errorf("after a bid from %s: %d ranked, %d not, before %d and %d", bid, len(after.Ranked), len(after.NonCompliant), len(before.Ranked), len(before.NonCompliant))
	}
}

// A ranking after a change to a bidder's record or to a bid is what a
// fresh evaluation gives: the records remembered between rankings
// (decoded in rankcache.go) are answered only while their stored bytes
// are the same, whichever handle made the change.
func TestRankAfterABidderOrABidChanges(t *testing.T) {
	s := demoStore(t)
	r := referralOf(t, s, RefIssued)
	other, err := s.As(Principal{User: "other", Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) engine.Result {
		t.Helper()
		got, _, err := s.Rank(r.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Competition(r.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := engine.Evaluate(&c.Engine); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the ranking is not a fresh evaluation's:\n got %+v\nwant %+v", what, got.Ranked, want.Ranked)
		}
		return got
	}
	before := check("first")
	if len(before.Ranked) < 2 {
		t.Skip("fewer than two ranked bids")
	}
	top := before.Ranked[0].Establishment
	if err := other.Suspend(top, engine.CritInsurance, "insurance certificate lapsed"); err != nil {
		t.Fatal(err)
	}
	after := check("after the top bidder was suspended")
	if len(after.Ranked) > 0 && after.Ranked[0].Establishment == top {
		t.Errorf("the suspended %s still ranks first", top)
	}
	second := before.Ranked[1].Establishment
	b, err := s.Bids(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, bid := range b {
		if bid.Establishment == second {
			bid.CoreWeeklyPence += 50000
			if err := other.RecordBid(bid); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("after a bid was changed")
}
