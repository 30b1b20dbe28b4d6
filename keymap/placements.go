package keymap

import "github.com/charmbracelet/bubbles/key"

// Placements is the placements tab (7): live placements, reviews due first.
type Placements struct {
	List
	ShowEnded, Improvements key.Binding
}

// NewPlacements returns the placements tab's keys.
func NewPlacements() Placements {
	return Placements{
		List:         NewList(),
		ShowEnded:    k("f", "live / all", "f"),
		Improvements: k("i", "continuous-improvement proposals", "i"),
	}
}

// Placement is one placement's page.
type Placement struct {
	Scroll
	Review, End, Terms key.Binding
}

// NewPlacement returns the placement page's keys.
func NewPlacement() Placement {
	s := NewScroll()
	s.Bottom = k("G", "bottom (the audit trail)", "G", "end")
	return Placement{
		Scroll: s,
		Review: k("r", "record a review", "r"),
		End:    k("x", "end the placement", "x"),
		Terms:  k("t", "outcomes and incentive", "t"),
	}
}

// Improvements is the continuous-improvement proposals page.
type Improvements struct {
	List
	Confirm, Change key.Binding
}

// NewImprovements returns the proposals page's keys.
func NewImprovements() Improvements {
	return Improvements{List: NewList(), Confirm: k("c", "confirm as proposed", "c"), Change: k("e", "change the points", "e")}
}
