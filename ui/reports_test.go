package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportsScreen(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 30)
	d.keys("4")
	d.mustSee("[4 Reports]", "Period: all time · category: all · authority: all", "Referrals issued", "24", "Awards made", "14",
		"Weekly cost of awards", "Establishments winning most often")
	d.keys("l")
	d.mustSee("category: sen")
	d.keys("a", "a", "a", "a", "a") // BHCC, ECC, ESCC, KCC, MED
	d.mustSee("authority: MED", "no awards in this period")
	d.keys("p")
	d.mustSee("Period: this quarter (1 Oct 2026 to 31 Dec 2026)")
	d.keys("x")
	d.mustSee("Report written:")
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), "reports", "*.csv"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.HasPrefix(string(data), "measure,value\nfilters,Period: this quarter") || !strings.Contains(string(data), "Referrals issued,") {
		t.Errorf("csv:\n%s", data)
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
}
