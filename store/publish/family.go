package publish

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dpsdesk/store"

	"github.com/charmbracelet/x/ansi"
)

// Documents handed to people: the family summary from meeting mode and
// the reports screen's CSV are written here too, so that every document the
// desk writes comes from this one package.

// FamilySummary is a family's take-away summary of a meeting about their
// child's placement, as meeting mode sets it out: the settings to choose
// from, or what they chose. It names the child only by the authority's
// case reference and holds no price or score; the desk writes nothing
// else about the child to a file.
type FamilySummary struct {
	Referral string // for the file name
	Title    string
	CaseRef  string
	Prepared string // "22 November 2026"
	Intro    string
	Decided  []string // what was decided, when something was
	Settings []FamilySetting
	Others   string // the other settings looked at, in a sentence, or ""
	Next     []string
	Contact  []string
}

// FamilySetting is one setting as the summary shows it: its heading, then
// its lines, each already wrapped for plain text (Text) and whole for the
// page (Page, the heading first).
type FamilySetting struct {
	Text []string
	Page []string
}

// FamilySummaryWidth is the plain text's width.
const FamilySummaryWidth = 78

// WriteFamilySummary writes the summary as plain text and as HTML that
// prints on one A4 page (three settings side by side) in dir, as
// REFERRAL-family-summary.txt and .html, each 0600, and returns their
// paths.
func WriteFamilySummary(dir string, f FamilySummary) ([]string, error) {
	base := filepath.Join(dir, SafeFileName(f.Referral)+"-family-summary")
	var paths []string
	for _, d := range []struct{ ext, body string }{{".txt", f.text()}, {".html", f.html()}} {
		if err := writeFile(base+d.ext, d.body); err != nil {
			return nil, fmt.Errorf("cannot write the summary: %w", err)
		}
		paths = append(paths, base+d.ext)
	}
	return paths, nil
}

// writeFile writes a document the desk hands to someone: 0600, whatever
// an older copy's mode was.
func writeFile(path, body string) error {
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}

// SafeFileName keeps an id (a referral's, an establishment's) usable as a
// file name.
func SafeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < ' ' {
			return '-'
		}
		return r
	}, s)
}

// Wrap breaks text into lines of at most width columns at spaces (a word
// longer than that has a line of its own), each paragraph on its own; a
// control character shows as ?.
func Wrap(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		para = store.Printable(para)
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case textWidth(line)+1+textWidth(word) <= width:
				line += " " + word
			default:
				out = append(out, line)
				line = word
			}
		}
		out = append(out, line)
	}
	return out
}

func (f FamilySummary) text() string {
	var t strings.Builder
	para := func(s string) {
		for _, l := range Wrap(s, FamilySummaryWidth) {
			t.WriteString(l + "\n")
		}
	}
	fmt.Fprintf(&t, "%s\nCase reference: %s\nPrepared on %s\n\n", f.Title, f.CaseRef, f.Prepared)
	para(f.Intro)
	t.WriteString("\n")
	for _, d := range f.Decided {
		para(d)
	}
	if len(f.Decided) > 0 {
		t.WriteString("\n")
	}
	for _, s := range f.Settings {
		for _, l := range s.Text {
			t.WriteString(l + "\n")
		}
		t.WriteString("\n")
	}
	if f.Others != "" {
		para(f.Others)
		t.WriteString("\n")
	}
	t.WriteString("What happens next\n")
	for _, n := range f.Next {
		para("- " + n)
	}
	t.WriteString("\nWho to contact\n")
	for _, l := range f.Contact {
		t.WriteString(strings.Join(Wrap(l, FamilySummaryWidth), "\n") + "\n")
	}
	return t.String()
}

// familyStyle prints on one A4 page with three settings side by side:
// small margins, a 10.5pt body, the settings in columns that never break
// across pages.
const familyStyle = `<style>
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
`

func (f FamilySummary) html() string {
	var h strings.Builder
	esc := html.EscapeString
	h.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(f.Title) + "</title>\n" + familyStyle)
	fmt.Fprintf(&h, "<h1>%s</h1>\n<p>Case reference: <span class=\"ref\">%s</span> · prepared on %s</p>\n", esc(f.Title), esc(f.CaseRef), esc(f.Prepared))
	fmt.Fprintf(&h, "<p>%s</p>\n", esc(f.Intro))
	if len(f.Decided) > 0 {
		h.WriteString("<div class=\"decided\">\n")
		for _, d := range f.Decided {
			fmt.Fprintf(&h, "<p>%s</p>\n", esc(d))
		}
		h.WriteString("</div>\n")
	}
	h.WriteString("<div class=\"settings\">\n")
	for _, s := range f.Settings {
		if len(s.Page) == 0 {
			continue
		}
		fmt.Fprintf(&h, "<div class=\"setting\"><h2>%s</h2>\n", esc(s.Page[0]))
		for _, l := range s.Page[1:] {
			if l != "" {
				fmt.Fprintf(&h, "<p>%s</p>\n", esc(l))
			}
		}
		h.WriteString("</div>\n")
	}
	h.WriteString("</div>\n")
	if f.Others != "" {
		fmt.Fprintf(&h, "<p>%s</p>\n", esc(f.Others))
	}
	h.WriteString("<div class=\"next\"><h2>What happens next</h2>\n<ul>\n")
	for _, n := range f.Next {
		fmt.Fprintf(&h, "<li>%s</li>\n", esc(n))
	}
	h.WriteString("</ul></div>\n<div class=\"contact\"><h2>Who to contact</h2>\n")
	for _, l := range f.Contact {
		fmt.Fprintf(&h, "<p>%s</p>\n", esc(l))
	}
	h.WriteString("</div>\n</body></html>\n")
	return h.String()
}

// textWidth is how many columns text takes in a terminal or a fixed-width
// file (a wide character takes two).
func textWidth(s string) int { return ansi.StringWidth(s) }

// WriteReportCSV writes a report's table as CSV in dir, as
// report-YYYY-MM-DD-HHMMSS.csv (0600): a heading row, the filters it was
// made with, then its measures. Every cell is made safe for spreadsheets.
func WriteReportCSV(dir string, at time.Time, filters string, rows [][]string) (string, error) {
	path := filepath.Join(dir, "report-"+at.Format("2006-01-02-150405")+".csv")
	var b strings.Builder
	w := store.NewCSVWriter(&b)
	w.Write([]string{"measure", "value"})
	w.Write([]string{"filters", filters})
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return "", err
	}
	if err := writeFile(path, b.String()); err != nil {
		return "", err
	}
	return path, nil
}
