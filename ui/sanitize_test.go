package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestSafeFrameKeepsColourAndDropsEveryOtherControl(t *testing.T) {
	styled := lipgloss.NewStyle().Bold(true).Render("Oak")
	for in, want := range map[string]string{
		"plain\ntext":                           "plain\ntext",
		"\x1b]2;PWNED\x07\x1b[2JOak":            "?]2;PWNED??[2JOak",
		"\x1b[1;31mred\x1b[0m":                  "\x1b[1;31mred\x1b[0m",
		"a\x00b\rc\x7fd\u009be\u202ef\tg":       "a?b?c?d?e?f g",
		"bad byte \xff":                         "bad byte \ufffd",
		"Café · ✓":                              "Café · ✓",
		"\x1b[1m\x1b[38;5;9mok\x1b[0m\x1b[?25l": "\x1b[1m\x1b[38;5;9mok\x1b[0m?[?25l",
	} {
		if got := safeFrame(in); got != want {
			t.Errorf("safeFrame(%q) = %q, want %q", in, got, want)
		}
	}
	if got := safeFrame(styled); got != styled {
		t.Errorf("styled text changed: %q", got)
	}
	if strings.ContainsAny(safeFrame(cell("\x1b]2;x\x07", 10, "…")), "\x07") {
		t.Error("a cell kept a bell")
	}
}
