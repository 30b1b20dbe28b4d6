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
// plain text and as HTML that prints on A4, beside the store in
// summaries/. It names the child only by the authority's case reference
// and holds no price, score or other referral.
func writeSummary(ctx *Context, r store.Referral, settings []setting) ([]string, error) {
	dir, err := ctx.filesIn("summaries")
	if err != nil {
		return nil, err
	}
	authority := r.Authority
	if as, err := ctx.Store.Authorities(); err == nil {
		for _, a := range as {
			if a.Code == r.Authority {
				authority = a.Name
			}
		}
	}
	today := ctx.Now().Format("2 January 2006")
	next := []string{
		"Take the time you need to think about these settings. You can ask to visit, or for a taster day where one is offered.",
		"When you have chosen, tell us which setting and why, in your own words. We record your choice and your reason.",
		"We then agree the placement with the setting, with a start date, and write to you to confirm it.",
	}
	contact := fmt.Sprintf("%s, %s. Please quote the case reference %s.", ctx.Store.Actor(), authority, r.ChildRef)

	var t strings.Builder
	fmt.Fprintf(&t, "Choosing a setting\nCase reference: %s\nPrepared on %s\n\n", r.ChildRef, today)
	for _, l := range wrap(fmt.Sprintf(intro, len(settings)), 78) {
		t.WriteString(l + "\n")
	}
	t.WriteString("\n")
	for i, s := range settings {
		for _, l := range s.lines(i+1, 76, false) {
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
	t.WriteString("\nWho to contact\n" + strings.Join(wrap(contact, 78), "\n") + "\n")

	var h strings.Builder
	esc := html.EscapeString
	h.WriteString(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Choosing a setting</title>
<style>
@page { size: A4; margin: 18mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 12pt; line-height: 1.45; color: #000; max-width: 170mm; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 14pt; margin: 16pt 0 4pt; }
.setting { border: 1pt solid #000; padding: 8pt 10pt; margin: 10pt 0; page-break-inside: avoid; }
.setting h2 { margin-top: 0; } p { margin: 3pt 0; } .ref { font-weight: bold; }
</style></head><body>
`)
	fmt.Fprintf(&h, "<h1>Choosing a setting</h1>\n<p>Case reference: <span class=\"ref\">%s</span> · prepared on %s</p>\n", esc(r.ChildRef), esc(today))
	fmt.Fprintf(&h, "<p>%s</p>\n", esc(fmt.Sprintf(intro, len(settings))))
	for i, s := range settings {
		lines := s.lines(i+1, 1000, false)
		fmt.Fprintf(&h, "<div class=\"setting\"><h2>%s</h2>\n", esc(lines[0]))
		for _, l := range lines[1:] {
			if l != "" {
				fmt.Fprintf(&h, "<p>%s</p>\n", esc(l))
			}
		}
		h.WriteString("</div>\n")
	}
	h.WriteString("<h2>What happens next</h2>\n<ul>\n")
	for _, n := range next {
		fmt.Fprintf(&h, "<li>%s</li>\n", esc(n))
	}
	fmt.Fprintf(&h, "</ul>\n<h2>Who to contact</h2>\n<p>%s</p>\n</body></html>\n", esc(contact))

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

const intro = "These are the %d settings you are asked to choose between. The council assessed them so close together that the choice is yours. For each, it says which of your child's needs it can meet and which it cannot."
