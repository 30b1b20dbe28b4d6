package ui

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"

	"dpsdesk/store"
)

// writeSummary writes the family's take-away summary of a meeting, as
// plain text and as HTML that prints on one A4 page, beside the store in
// summaries/. Before a decision it sets out the settings to choose from;
// after one it confirms what they chose, why in their words and the start
// date (or that they wanted more time, and when we will be in touch). It
// names the child only by the authority's case reference, the officer by
// the name, phone and e-mail of their profile (never a login name), and
// holds no price, score or other referral.
func writeSummary(ctx *Context, r store.Referral, settings []setting, done *outcome, contact *store.Profile) ([]string, error) {
	dir, err := ctx.filesIn("summaries")
	if err != nil {
		return nil, err
	}
	today := ctx.Now().Format("2 January 2006")
	next := nextSteps(done)
	contactText := contactWords(ctx, r, contact)

	title := "Choosing a setting"
	var decided []string // the outcome's lines, when there is one
	shown := settings
	var others []string
	switch {
	case done.choice():
		title = "Your choice of setting"
		decided = append(decided, "You chose "+done.chosen+".")
		if done.reason != "" {
			decided = append(decided, fmt.Sprintf("Why, in your words: %q", done.reason))
		}
		decided = append(decided, "The placement is to start on "+longDate(done.start)+".")
		// The chosen setting in full; the others by name.
		shown = nil
		for _, s := range settings {
			if s.name == done.chosen {
				shown = append(shown, s)
			} else {
				others = append(others, s.name)
			}
		}
	case done != nil:
		title = "Choosing a setting: more time"
		decided = append(decided, "You would like "+done.wanted+" before choosing.",
			"We will be in touch on "+longDate(done.followUp)+".")
	}
	introText := fmt.Sprintf(intro, len(settings)) + " " + notARecommendation
	if done.choice() {
		introText = "This confirms the setting you chose, and what happens next."
	}

	var t strings.Builder
	fmt.Fprintf(&t, "%s\nCase reference: %s\nPrepared on %s\n\n", title, r.ChildRef, today)
	for _, l := range wrap(introText, 78) {
		t.WriteString(l + "\n")
	}
	t.WriteString("\n")
	for _, d := range decided {
		for _, l := range wrap(d, 78) {
			t.WriteString(l + "\n")
		}
	}
	if len(decided) > 0 {
		t.WriteString("\n")
	}
	for i, s := range shown {
		n := i + 1
		if done.choice() {
			n = settingNumber(settings, s)
		}
		for _, l := range s.lines(n, 76, false) {
			t.WriteString(l + "\n")
		}
		t.WriteString("\n")
	}
	if len(others) > 0 {
		for _, l := range wrap("The other settings you looked at: "+strings.Join(others, "; ")+".", 78) {
			t.WriteString(l + "\n")
		}
		t.WriteString("\n")
	}
	t.WriteString("What happens next\n")
	for _, n := range next {
		for _, l := range wrap("- "+n, 78) {
			t.WriteString(l + "\n")
		}
	}
	t.WriteString("\nWho to contact\n")
	for _, l := range contactText {
		t.WriteString(strings.Join(wrap(l, 78), "\n") + "\n")
	}

	var h strings.Builder
	esc := html.EscapeString
	// One A4 page, three settings side by side: small margins, a 10.5pt
	// body, the settings in columns that never break across pages.
	h.WriteString(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>` + esc(title) + `</title>
<style>
@page { size: A4; margin: 14mm 14mm 12mm; }
html, body { margin: 0; padding: 0; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000; }
h1 { font-size: 16pt; margin: 0 0 2pt; } h2 { font-size: 12pt; margin: 10pt 0 3pt; }
p { margin: 2pt 0; } ul { margin: 2pt 0; padding-left: 14pt; } li { margin: 1pt 0; }
.ref { font-weight: bold; }
.decided { border: 2pt solid #000; padding: 6pt 8pt; margin: 8pt 0; page-break-inside: avoid; }
.settings { display: flex; gap: 6pt; margin: 8pt 0; }
* { box-sizing: border-box; }
.setting { flex: 1 1 0; min-width: 0; overflow-wrap: break-word; border: 1pt solid #000; padding: 5pt 6pt; page-break-inside: avoid; break-inside: avoid; }
.setting h2 { font-size: 11pt; margin: 0 0 3pt; }
.next, .contact { page-break-inside: avoid; break-inside: avoid; }
</style></head><body>
`)
	fmt.Fprintf(&h, "<h1>%s</h1>\n<p>Case reference: <span class=\"ref\">%s</span> · prepared on %s</p>\n", esc(title), esc(r.ChildRef), esc(today))
	fmt.Fprintf(&h, "<p>%s</p>\n", esc(introText))
	if len(decided) > 0 {
		h.WriteString("<div class=\"decided\">\n")
		for _, d := range decided {
			fmt.Fprintf(&h, "<p>%s</p>\n", esc(d))
		}
		h.WriteString("</div>\n")
	}
	h.WriteString("<div class=\"settings\">\n")
	for i, s := range shown {
		n := i + 1
		if done.choice() {
			n = settingNumber(settings, s)
		}
		lines := s.lines(n, 1000, false)
		fmt.Fprintf(&h, "<div class=\"setting\"><h2>%s</h2>\n", esc(lines[0]))
		for _, l := range lines[1:] {
			if l != "" {
				fmt.Fprintf(&h, "<p>%s</p>\n", esc(l))
			}
		}
		h.WriteString("</div>\n")
	}
	h.WriteString("</div>\n")
	if len(others) > 0 {
		fmt.Fprintf(&h, "<p>%s</p>\n", esc("The other settings you looked at: "+strings.Join(others, "; ")+"."))
	}
	h.WriteString("<div class=\"next\"><h2>What happens next</h2>\n<ul>\n")
	for _, n := range next {
		fmt.Fprintf(&h, "<li>%s</li>\n", esc(n))
	}
	h.WriteString("</ul></div>\n<div class=\"contact\"><h2>Who to contact</h2>\n")
	for _, l := range contactText {
		fmt.Fprintf(&h, "<p>%s</p>\n", esc(l))
	}
	h.WriteString("</div>\n</body></html>\n")

	base := filepath.Join(dir, SafeFileName(r.ID)+"-family-summary")
	var paths []string
	for ext, body := range map[string]string{".txt": t.String(), ".html": h.String()} {
		if err := os.WriteFile(base+ext, []byte(body), 0o600); err != nil {
			return nil, fmt.Errorf("cannot write the summary: %w", err)
		}
		os.Chmod(base+ext, 0o600) // an older copy keeps its mode otherwise
	}
	paths = append(paths, base+".txt", base+".html")
	return paths, nil
}

// settingNumber is a setting's number on the meeting screen.
func settingNumber(settings []setting, s setting) int {
	for i := range settings {
		if settings[i].id == s.id {
			return i + 1
		}
	}
	return 1
}

const intro = "These are the %d settings you are asked to choose between. The council assessed them so close together that the choice is yours. For each, it says which of your child's needs it can meet and which it cannot."
