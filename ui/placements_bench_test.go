package ui

import (
	"fmt"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"
)

// syntheticPlacements are n live placements' listing rows.
func syntheticPlacements(n int) []store.PlacementRow {
	rows := make([]store.PlacementRow, n)
	for i := range rows {
		start := testNow.AddDate(0, 0, -i%700).Format(time.DateOnly)
		rows[i] = store.PlacementRow{ID: fmt.Sprintf("REF-%06d", i), Authority: store.SeedAuthorities()[i%7].Code, Category: engine.CategoryIDs()[i%6],
			Establishment: fmt.Sprintf("E-%06d", i%10000), Name: benchWords[i%len(benchWords)] + " " + benchKinds[i%len(benchKinds)],
			Route: store.RouteCompetition, Start: start, Status: store.PlacementLive, Costs: []store.CostStep{{From: start, NetWeeklyPence: int64(100000 + i%500*100)}}}
		if i%3 > 0 {
			rows[i].LastReview, rows[i].Reviews = testNow.AddDate(0, 0, -i%200).Format(time.DateOnly), 1
		}
	}
	return rows
}

// BenchmarkPlacementsTab20000 is the Placements tab's own share of opening
// on 20,000 live placements: each one's next review and state, the sort
// (overdue and due first), the commitment, and the first screen drawn at
// 200x60. Reading the rows from the store is store's
// BenchmarkPlacementRows; the two add to the tab's opening (issue 16:
// under 100 ms).
func BenchmarkPlacementsTab20000(b *testing.B) {
	rows := syntheticPlacements(20000)
	rules := map[string]engine.PlacementRules{}
	for _, c := range engine.CategoryIDs() {
		rules[c] = engine.DefaultPlacementRules()
	}
	ctx := &Context{Now: func() time.Time { return testNow }, Styles: NewStyles(DefaultTheme(), false), Glyphs: NewGlyphs(false)}
	for b.Loop() {
		p := &placements{ctx: ctx, keys: keymap.NewPlacements()}
		p.SetSize(200, 56)
		p.Update(placementsLoadedMsg{rows: rows, rules: rules})
		if v := p.View(); len(v) == 0 || p.live != 20000 {
			b.Fatal("nothing drawn")
		}
	}
}
