package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"dpsdesk/store"
)

// browser finds a Chromium to print with, and pdfinfo to count the pages;
// without them the test skips, except under CI, which installs them.
func browser(t *testing.T) (chromium, pdfinfo string) {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	pdfinfo, _ = exec.LookPath("pdfinfo")
	if chromium == "" || pdfinfo == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium or pdfinfo is missing (CI installs chromium and poppler-utils)")
		}
		t.Skip("chromium or pdfinfo is not installed (CI installs chromium and poppler-utils)")
	}
	return chromium, pdfinfo
}

// printedPages prints an HTML file to PDF in headless Chromium, as a family
// or an officer printing it would, and counts the PDF's pages.
func printedPages(t *testing.T, chromium, pdfinfo, html string) int {
	t.Helper()
	dir := t.TempDir()
	pdf := filepath.Join(dir, "out.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer",
		"--print-to-pdf="+pdf, "file://"+html)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	out, err := exec.Command(pdfinfo, pdf).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("pdfinfo says no page count:\n%s", out)
	}
	if !strings.Contains(string(out), "(A4)") {
		t.Errorf("not printed on A4:\n%s", out)
	}
	n := 0
	for _, c := range m[1] {
		n = n*10 + int(c-'0')
	}
	return n
}

// TestFamilySummaryPrintsOnOneA4Page prints the HTML summary of a meeting
// with three settings in a real browser: before the choice, after more
// time, after the choice, and with the longest plain words the settings
// can carry. Each is one A4 page.
func TestFamilySummaryPrintsOnOneA4Page(t *testing.T) {
	chromium, pdfinfo := browser(t)
	s := testStore(t)
	r, settings := awaitingChoice(t, s)
	if len(settings) != 3 {
		t.Fatalf("%d settings, want 3", len(settings))
	}
	ctx := NewContext(s, Options{NoColor: true, Now: func() time.Time { return testNow }})
	contact := &store.Profile{DisplayName: "Samantha Patel-Richardson, SEND placements officer", Phone: "01243 777100", Email: "samantha.patel-richardson@westsussex.gov.uk"}

	// The longest a setting's words run: every need and feature of a long
	// referral, half of them not met, a long name and town.
	long := make([]setting, 3)
	for i := range long {
		long[i] = settings[i]
		long[i].name = "The Sir Christopher Wren Memorial Independent Special School and College " + string(rune('A'+i))
		long[i].town = "Bognor Regis"
		long[i].canMeet = []string{"autism", "speech, language and communication needs", "social, emotional and mental health", "moderate learning difficulty"}
		long[i].cannotMeet = []string{"hearing impairment", "visual impairment", "physical disability"}
		long[i].offers = []string{"wheelchair access", "transport to and from home", "a sensory room", "an on-site speech and language therapist"}
		long[i].notOffered = []string{"a taster day", "52-week residential"}
		long[i].noNeeds, long[i].noFeatures = false, false
	}
	for _, c := range []struct {
		name     string
		settings []setting
		done     *outcome
	}{
		{"before the choice", settings, nil},
		{"more time", settings, &outcome{followUp: "2026-12-01", wanted: "a taster day at setting 2 and a visit to setting 3 with her dad"}},
		{"after the choice", settings, &outcome{chosen: settings[1].name, kind: "Independent special school, day", reason: "she liked the garden, the small classes and the speech therapist, and it is near her gran", start: "2027-01-04"}},
		{"the longest words", long, nil},
	} {
		paths, err := writeSummary(ctx, r, c.settings, c.done, contact)
		if err != nil {
			t.Fatal(err)
		}
		html := paths[1]
		data, _ := os.ReadFile(html)
		if strings.Contains(string(data), "£") || strings.Contains(string(data), "score") {
			t.Errorf("%s: the handout shows a price or score", c.name)
		}
		if n := printedPages(t, chromium, pdfinfo, html); n != 1 {
			t.Errorf("%s: the summary prints on %d A4 pages, want 1", c.name, n)
		}
	}
}
