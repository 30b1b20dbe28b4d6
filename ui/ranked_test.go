package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

// rankedOf is the ranked view of n compliant bids, without a store.
func rankedOf(n int) *ranked {
	ctx := &Context{Now: func() time.Time { return testNow }, Styles: NewStyles(DefaultTheme(), false), Glyphs: NewGlyphs(false)}
	comp := &store.Competition{Names: map[string]string{}}
	comp.Engine.Referral.QualityWeight = 60
	comp.Referral.Status = store.RefEvaluated
	res := engine.Result{Outcome: engine.OutcomeRecommended}
	for i := range n {
		id := fmt.Sprintf("E-%03d", i)
		comp.Names[id] = fmt.Sprintf("Setting number %d", i+1)
		res.Ranked = append(res.Ranked, engine.RankedBid{Rank: i + 1, Establishment: id, NetWeeklyPence: int64(100000 + i), Total: float64(90 - i/10)})
	}
	res.Recommended = res.Ranked[0].Establishment
	return &ranked{ctx: ctx, keys: keymap.NewRanked(), id: "R-1", res: res, comp: comp}
}

// Moving down a ranking longer than the screen keeps the selected bid,
// its details and what the ranking found on the screen.
func TestRankedViewKeepsTheSelectedBidOnScreen(t *testing.T) {
	v := rankedOf(120)
	v.SetSize(100, 30)
	for range 70 {
		v.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	screen := fitBlock(v.View(), 100, 30, "…")
	for _, want := range []string{"R-1 ranked", "Setting number 71 ", "Setting number 71: £1,000.70 a week", "recommended: no other bid"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "Setting number 1 ") {
		t.Errorf("the top of the ranking is still drawn:\n%s", screen)
	}
	// Back to the top, the first bid is there again, selected.
	v.Update(tea.KeyMsg{Type: tea.KeyUp})
	for range 80 {
		v.Update(tea.KeyMsg{Type: tea.KeyUp})
	}
	if screen := fitBlock(v.View(), 100, 30, "…"); !strings.Contains(screen, v.ctx.Glyphs.Cursor+"  1* Setting number 1 ") {
		t.Errorf("back at the top:\n%s", screen)
	}
}
