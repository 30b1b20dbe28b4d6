package publish

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// Summary is one bidder's assessment summary.
type Summary struct {
	Establishment string // the bidder, for the file name
	Text          string
}

// Summaries writes, for each bidder of an awarded referral, what the
// Procurement Act 2023 asks a buyer to tell it: its points per criterion
// beside the winning bid's, why it was not compliant if it was not, and the
// outcome. No other bidder's identity or price is in any of them, nor
// anything about the child.
func Summaries(s *store.Store, referral string) ([]Summary, error) {
	a, err := s.AwardOf(referral)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%s has not been awarded yet: summaries are written after the award", referral)
	}
	if err != nil {
		return nil, err
	}
	res, c, err := s.Rank(referral, 0)
	if err != nil {
		return nil, err
	}
	r := c.Referral
	buyer := r.Authority
	if auths, err := s.Authorities(); err == nil {
		for _, au := range auths {
			if au.Code == r.Authority {
				buyer = au.Name
			}
		}
	}
	w := res.Weights
	avail := engine.Points{Price: w.Price, CoreCompetency: w.CoreCompetency, Needs: w.Needs, Outcomes: w.Outcomes, Location: w.Location, Features: w.Features}
	var winner *engine.RankedBid
	if a.Route == store.RouteCompetition || a.Route == store.RouteParentChoice {
		if i := slices.IndexFunc(res.Ranked, func(b engine.RankedBid) bool { return b.Establishment == a.Establishment }); i >= 0 {
			winner = &res.Ranked[i]
		}
	}
	var out []Summary
	for _, b := range c.Bids {
		var t strings.Builder
		name := c.Names[b.Establishment]
		fmt.Fprintf(&t, "Assessment summary\n\n")
		fmt.Fprintf(&t, "Buyer:        %s\n", buyer)
		fmt.Fprintf(&t, "Competition:  %s, placement: %s (dynamic purchasing system mini-competition)\n", r.ID, engine.SettingKind(r.Category))
		fmt.Fprintf(&t, "Weights:      quality %d%%, price %d%%\n", r.QualityWeight, 100-r.QualityWeight)
		fmt.Fprintf(&t, "Bids:         %d establishments invited, %d bids received\n", len(r.Invited), len(c.Bids))
		fmt.Fprintf(&t, "To:           %s (%s)\n\n", name, b.Establishment)

		won := a.Establishment == b.Establishment
		outside := a.Route == store.RouteDirect || a.Route == store.RouteBlock
		how := map[store.AwardRoute]string{store.RouteDirect: "as a direct placement outside the competition, with a written justification",
			store.RouteBlock: "into a block booking, outside the competition"}[a.Route]
		switch {
		case won && outside:
			// Never "your bid was successful": the competition did not
			// place the child, whatever this bid scored.
			t.WriteString("Outcome: the placement was made with this establishment " + how + ", not on this bid.\n")
		case won:
			t.WriteString("Outcome: your bid was successful.\n")
		case outside:
			t.WriteString("Outcome: your bid was not successful. The placement was made " + how + ".\n")
		default:
			t.WriteString("Outcome: your bid was not successful.\n")
		}
		if a.Route == store.RouteParentChoice {
			t.WriteString("The closest bids were within " + engine.BandText() + " points of each other, so the parents chose among them.\n")
		}
		i := slices.IndexFunc(res.Ranked, func(x engine.RankedBid) bool { return x.Establishment == b.Establishment })
		if i < 0 {
			t.WriteString("\nYour bid was not compliant, so it was not ranked:\n")
			for _, nc := range res.NonCompliant {
				if nc.Establishment == b.Establishment {
					for _, w := range nc.Words() {
						fmt.Fprintf(&t, "  - %s\n", w)
					}
				}
			}
		} else {
			mine := res.Ranked[i]
			fmt.Fprintf(&t, "\nYour bid ranked %d of %d compliant bids.\n\n", mine.Rank, len(res.Ranked))
			fmt.Fprintf(&t, "%-18s %9s %9s %14s\n", "Criterion", "Available", "Your bid", "Winning bid")
			row := func(label string, av, yours, win float64, hasWin bool) {
				winText := "-"
				if hasWin {
					winText = fmt.Sprintf("%.2f", engine.Round2(win))
				}
				fmt.Fprintf(&t, "%-18s %9.2f %9.2f %14s\n", label, engine.Round2(av), engine.Round2(yours), winText)
			}
			var wp engine.Points
			if winner != nil {
				wp = winner.Points
			}
			p := mine.Points
			row("Price", avail.Price, p.Price, wp.Price, winner != nil)
			row("Core competency", avail.CoreCompetency, p.CoreCompetency, wp.CoreCompetency, winner != nil)
			row("Needs met", avail.Needs, p.Needs, wp.Needs, winner != nil)
			row("Outcomes approach", avail.Outcomes, p.Outcomes, wp.Outcomes, winner != nil)
			row("Location", avail.Location, p.Location, wp.Location, winner != nil)
			row("Features", avail.Features, p.Features, wp.Features, winner != nil)
			var winTotal float64
			if winner != nil {
				winTotal = winner.Total
			}
			row("Total", 100, mine.Total, winTotal, winner != nil)
			t.WriteString("\nPrice points are the lowest compliant price divided by yours, times the price weight.\n")
		}
		t.WriteString("\nThe scoring rules are the partnership's published evaluation rules. Questions about this\nsummary go to the buyer, quoting the competition number above.\n")
		out = append(out, Summary{Establishment: b.Establishment, Text: t.String()})
	}
	return out, nil
}
