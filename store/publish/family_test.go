package publish

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocumentsAreWrittenPrivately: every document this package writes is
// 0600, even over an older copy that others could read, and a report cell
// that a spreadsheet would run is written to be shown.
func TestDocumentsAreWrittenPrivately(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "REF-1-family-summary.txt")
	os.WriteFile(old, []byte("old"), 0o644)
	os.Chmod(old, 0o644)
	paths, err := WriteFamilySummary(dir, FamilySummary{Referral: "REF/1", Title: "Choosing a setting", CaseRef: "WSCC/EHCP/1", Prepared: "22 November 2026",
		Intro: "These are the settings.", Settings: []FamilySetting{{Text: []string{"1. Oak School"}, Page: []string{"1. Oak School", "A day school"}}},
		Next: []string{"We will write to you."}, Contact: []string{"Sam Patel"}})
	if err != nil || len(paths) != 2 {
		t.Fatal(paths, err)
	}
	rep, err := WriteReportCSV(dir, testNow, "all time", [][]string{{"Awards made", "=1+1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(paths, rep) {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, fi.Mode(), err)
		}
	}
	if filepath.Base(paths[0]) != "REF-1-family-summary.txt" {
		t.Errorf("file name %s", paths[0])
	}
	data, _ := os.ReadFile(rep)
	if !strings.Contains(string(data), "Awards made,'=1+1") {
		t.Errorf("report:\n%s", data)
	}
	page, _ := os.ReadFile(paths[1])
	if !strings.Contains(string(page), `<div class="setting"><h2>1. Oak School</h2>`) || !strings.Contains(string(page), "size: A4") {
		t.Errorf("page:\n%s", page)
	}
}
