package ui

import "github.com/charmbracelet/lipgloss"

// Theme is the desk's 16 colours, chosen once. Colour is never the only
// signal: every state it marks is also said in words or a glyph.
type Theme struct {
	Accent, Muted, Good, Warn, Bad lipgloss.TerminalColor
}

// DefaultTheme uses the ANSI 16 colours every council terminal has.
func DefaultTheme() Theme {
	return Theme{
		Accent: lipgloss.ANSIColor(6), // cyan
		Muted:  lipgloss.ANSIColor(8), // bright black
		Good:   lipgloss.ANSIColor(2),
		Warn:   lipgloss.ANSIColor(3),
		Bad:    lipgloss.ANSIColor(1),
	}
}

// Styles are built from a theme once.
type Styles struct {
	Header, Tab, ActiveTab, Title, Muted, Selected, Error, Info, Good, Warn, Bad, Label, Match, Key lipgloss.Style
}

// NewStyles builds the styles; with plain, only bold and reverse video are
// used (NO_COLOR, --no-color).
func NewStyles(t Theme, plain bool) Styles {
	return NewStylesFor(nil, t, plain)
}

// NewStylesFor builds the styles for one terminal: over SSH each session
// has its own renderer, which knows that terminal's colours. A nil
// renderer is this process's own terminal.
func NewStylesFor(r *lipgloss.Renderer, t Theme, plain bool) Styles {
	s := lipgloss.NewStyle
	if r != nil {
		s = r.NewStyle
	}
	if plain {
		return Styles{
			Header: s().Bold(true), Tab: s(), ActiveTab: s().Bold(true).Reverse(true), Title: s().Bold(true),
			Muted: s(), Selected: s().Reverse(true), Error: s().Bold(true), Info: s(), Good: s(), Warn: s(),
			Bad: s().Bold(true), Label: s().Bold(true), Match: s().Underline(true), Key: s().Bold(true),
		}
	}
	return Styles{
		Header:    s().Bold(true).Foreground(t.Accent),
		Tab:       s().Foreground(t.Muted),
		ActiveTab: s().Bold(true).Reverse(true),
		Title:     s().Bold(true).Foreground(t.Accent),
		Muted:     s().Foreground(t.Muted),
		Selected:  s().Reverse(true),
		Error:     s().Bold(true).Foreground(t.Bad),
		Info:      s().Foreground(t.Good),
		Good:      s().Foreground(t.Good),
		Warn:      s().Foreground(t.Warn),
		Bad:       s().Bold(true).Foreground(t.Bad),
		Label:     s().Bold(true),
		Match:     s().Underline(true).Foreground(t.Accent),
		Key:       s().Bold(true),
	}
}

// Glyphs are the characters the desk draws with; ASCII for terminals
// without box-drawing glyphs (--ascii).
type Glyphs struct {
	Rule, VRule, Cursor, Mark, Ellipsis, Pass, Fail, Bar string
}

// NewGlyphs returns Unicode glyphs, or ASCII ones.
func NewGlyphs(ascii bool) Glyphs {
	if ascii {
		return Glyphs{Rule: "-", VRule: "|", Cursor: ">", Mark: "*", Ellipsis: "~", Pass: "[x]", Fail: "[ ]", Bar: "#"}
	}
	return Glyphs{Rule: "─", VRule: "│", Cursor: "▸", Mark: "●", Ellipsis: "…", Pass: "[✓]", Fail: "[ ]", Bar: "█"}
}
