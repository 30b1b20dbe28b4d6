package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPlacementListAndUplift(t *testing.T) {
	db := demoDB(t)
	code, out, stderr := run(t, "", "placement", "list", "--db", db, "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || lines[0] != "id,authority,category,establishment,name,route,start,status,end,weekly_pence,next_review,review" || len(lines) != 15 {
		t.Fatalf("placement list: %d %q %s", code, out, stderr)
	}
	if !strings.Contains(lines[len(lines)-1], ",ended,") {
		t.Errorf("the ended placement is not last: %s", lines[len(lines)-1])
	}
	if strings.Contains(out, "/EHCP/") {
		t.Error("the list holds case references")
	}
	fosteringBefore := ""
	for _, l := range lines {
		if strings.Contains(l, ",fostering,") && strings.Contains(l, ",live,") {
			fosteringBefore = l
			break
		}
	}
	preview := func(from string) string {
		code, out, stderr := run(t, "", "uplift", "--db", db, "--category", "fostering", "--percent", "3", "--from", from)
		if code != 0 {
			t.Fatalf("preview: %d %s", code, stderr)
		}
		return out
	}
	// Ahead of its day: previewed, never applied (today's costs would rise).
	ahead := preview("2099-04-01")
	if !strings.Contains(ahead, "Fee uplift of 3% from 2099-04-01") || !strings.Contains(ahead, "Preview only: nothing was changed") ||
		!strings.Contains(ahead, "Annual effect per authority") || !strings.Contains(ahead, "no cap") {
		t.Errorf("preview:\n%s", ahead)
	}
	if again := preview("2099-04-01"); again != ahead {
		t.Error("a preview changed something: the second differs from the first")
	}
	if code, _, stderr := run(t, "", "uplift", "--db", db, "--category", "fostering", "--percent", "3", "--from", "2099-04-01", "--apply"); code == 0 || !strings.Contains(stderr, "applied on or after that day") {
		t.Errorf("applied ahead of its day: %d %s", code, stderr)
	}
	_, after, _ := run(t, "", "placement", "list", "--db", db, "--format", "csv")
	if !strings.Contains(after, fosteringBefore) {
		t.Errorf("an uplift from 2099 changed today's weekly cost: %q not in\n%s", fosteringBefore, after)
	}
	// From yesterday: applied, exactly as previewed.
	from := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	first := preview(from)
	code, applied, stderr := run(t, "", "uplift", "--db", db, "--category", "fostering", "--percent", "3", "--from", from, "--apply")
	if code != 0 || allButLastLine(applied) != allButLastLine(first) || !strings.Contains(applied, "Applied:") {
		t.Fatalf("apply: %d %s\n%s\nwant what the preview said:\n%s", code, stderr, applied, first)
	}
	_, trail, _ := run(t, "", "audit", "--db", db, "--record", "fostering")
	if !strings.Contains(trail, "category.uplift") {
		t.Errorf("the uplift is not in the trail:\n%s", trail)
	}
	if code, _, stderr := run(t, "", "uplift", "--db", db, "--category", "fostering", "--percent", "3", "--from", from, "--apply"); code != 1 || !strings.Contains(stderr, "already") {
		t.Errorf("the same uplift twice: %d %s", code, stderr)
	}
	for _, bad := range [][]string{{"--percent", "2.555", "--from", "2027-04-01", "--category", "sen"}, {"--percent", "2", "--from", "2027-04-31", "--category", "sen"}, {"--percent", "2", "--from", "2027-04-01"}} {
		if code, _, stderr := run(t, "", append([]string{"uplift", "--db", db}, bad...)...); code != 2 || stderr == "" {
			t.Errorf("uplift %v: %d %s", bad, code, stderr)
		}
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if code, _, stderr := run(t, "", "init", "--db", empty); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "", "uplift", "--db", empty, "--category", "sen", "--percent", "2", "--from", "2027-04-01"); code != 1 || !strings.Contains(stderr, "no qualified establishments") {
		t.Errorf("an uplift on a category with no establishments: %d %s", code, stderr)
	}
}

// allButLastLine drops the closing line (preview only, or applied).
func allButLastLine(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return s[:strings.LastIndex(s, "\n")+1]
}
