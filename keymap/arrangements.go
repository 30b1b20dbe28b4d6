package keymap

import "github.com/charmbracelet/bubbles/key"

// Arrangements are the keys of the DPS arrangements page (Setup, a).
type Arrangements struct {
	List
	// Show opens the page from Setup; New adds an arrangement there.
	Show, New key.Binding
}

// NewArrangements returns the arrangements page's keys.
func NewArrangements() Arrangements {
	l := NewList()
	l.Open = k("enter", "change the arrangement (admins)", "enter")
	return Arrangements{List: l, Show: k("a", "DPS arrangements and their regimes", "a"), New: k("n", "add an arrangement (admins)", "n")}
}
