package ui

import (
	"strings"

	"dpsdesk/store"
	"dpsdesk/store/publish"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// fitLine makes a line exactly w cells wide: cut with an ellipsis, or
// padded with spaces. ANSI styling is kept.
func fitLine(s string, w int, ellipsis string) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	switch {
	case n > w:
		return ansi.Truncate(s, w, ellipsis)
	case n < w:
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// fitBlock makes a block exactly w by h: every line fitted, lines cut or
// added, so the screen never garbles on resize.
func fitBlock(s string, w, h int, ellipsis string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fitLine(l, w, ellipsis)
	}
	return strings.Join(lines, "\n")
}

// cell fits plain text into a column of width w (left-aligned).
func cell(s string, w int, ellipsis string) string {
	return fitLine(store.Printable(s), w, ellipsis)
}

// rcell right-aligns plain text in a column of width w.
func rcell(s string, w int, ellipsis string) string {
	s = store.Printable(s)
	n := lipgloss.Width(s)
	if n >= w {
		return fitLine(s, w, ellipsis)
	}
	return strings.Repeat(" ", w-n) + s
}

// wrap breaks text into lines of at most w cells at spaces: the one way
// the desk and its documents wrap text (publish.Wrap).
func wrap(s string, w int) []string { return publish.Wrap(s, w) }

func lipglossWidth(s string) int { return lipgloss.Width(s) }

// hanging wraps a line of a page that runs beyond width at its spaces,
// its following lines indented two beyond its own indent, so that nothing
// of it is cut; the spacing within the line (its columns) is kept. A
// styled line is given back whole (the page cuts it): styles are not
// carried across a break.
func hanging(line string, width int) []string {
	if width < 20 || lipgloss.Width(line) <= width || strings.Contains(line, "\x1b") {
		return []string{line}
	}
	indent := len(line) - len(strings.TrimLeft(line, " "))
	pad := strings.Repeat(" ", min(indent+2, width/2))
	var out []string
	rest := []rune(line)
	for {
		// The cells up to width, and the last space among them past the
		// indent: the break.
		n, cells, brk := 0, 0, -1
		for n < len(rest) {
			w := lipgloss.Width(string(rest[n]))
			if cells+w > width {
				break
			}
			if rest[n] == ' ' && n > len(pad) {
				brk = n
			}
			cells += w
			n++
		}
		if n == len(rest) {
			return append(out, string(rest))
		}
		if brk < 0 {
			brk = n // no space to break at: the word is broken
		}
		out = append(out, strings.TrimRight(string(rest[:brk]), " "))
		rest = []rune(pad + strings.TrimLeft(string(rest[brk:]), " "))
	}
}
