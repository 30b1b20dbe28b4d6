package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, stderr := run(t, "", "init", "--demo", "--db", db); code != 0 {
		t.Fatalf("init --demo: %s", stderr)
	}
	return db
}

func TestReferralListExportAndBidsImport(t *testing.T) {
	db := demoDB(t)
	code, out, _ := run(t, "", "referral", "list", "--db", db, "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || lines[0] != "id,status,authority,category,deadline,invited,bids" || len(lines) != 26 {
		t.Fatalf("referral list: %d %q", code, out)
	}
	var issued string
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); f[1] == "issued" {
			issued = f[0]
			break
		}
	}
	// Export → evaluate: the scenario file re-checks the evaluation.
	scen := filepath.Join(t.TempDir(), "r.json")
	if code, _, stderr := run(t, "", "referral", "export", "--db", db, "--out", scen, issued); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	code, out, stderr := run(t, "", "evaluate", scen)
	var res map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res["referral"] != issued {
		t.Fatalf("evaluate of the export: %d %s %s", code, out, stderr)
	}
	if data, _ := os.ReadFile(scen); strings.Contains(string(data), "EHCP") {
		t.Error("the export holds a child reference")
	}
	if code, _, stderr := run(t, "", "referral", "export", "--db", db, "R-NONE"); code != ExitUsage || !strings.Contains(stderr, `no referral "R-NONE"`) {
		t.Errorf("export of an unknown referral: %d %s", code, stderr)
	}
	csv := filepath.Join(t.TempDir(), "bids.csv")
	os.WriteFile(csv, []byte("establishment,core_weekly_pence,variable_weekly_pence,outcomes_score,submitted\nNOPE,1,1,50,2026-11-25T10:00:00Z\n"), 0o600)
	code, _, stderr = run(t, "", "bids", "import", "--db", db, issued, csv)
	if code != ExitUsage || !strings.Contains(stderr, `bids.csv: line 2: establishment: "NOPE" was not invited`) || !strings.Contains(stderr, "no bids recorded") {
		t.Errorf("bids import: %d %s", code, stderr)
	}
}

func TestPublish(t *testing.T) {
	db := demoDB(t)
	year := time.Now().Year()
	q := fmt.Sprintf("%dQ%d", year, (int(time.Now().Month())-1)/3+1)
	out := filepath.Join(t.TempDir(), "awards.json")
	code, stdout, stderr := run(t, "", "publish", "--db", db, "--quarter", q, "--format", "ocds", "--out", out)
	if code != 0 || !strings.Contains(stdout, "published 2 awards") {
		t.Fatalf("publish: %d %q %q", code, stdout, stderr)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	code, stdout, _ = run(t, "", "publish", "--db", db, "--quarter", q, "--format", "contracts-finder")
	if code != 0 || !strings.HasPrefix(stdout, "Notice identifier,") {
		t.Errorf("contracts finder: %d %q", code, stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--quarter", "2026-Q4", "--format", "ocds"}, `--quarter: "2026-Q4" is not a quarter such as 2026Q4`},
		{[]string{"--quarter", q, "--format", "xml"}, "--format must be ocds or contracts-finder"},
	} {
		code, _, stderr := run(t, "", append([]string{"publish", "--db", db}, c.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q", c.args, code, stderr)
		}
	}
}

func TestSummariesCommand(t *testing.T) {
	db := demoDB(t)
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := run(t, "", "summaries", "--db", db, "--out", dir, "REF-2026-0001")
	if code != ExitUsage || !strings.Contains(stderr, "has not been awarded yet") {
		t.Errorf("summaries of a draft: %d %q", code, stderr)
	}
	code, stdout, stderr := run(t, "", "summaries", "--db", db, "--out", dir, "REF-2026-0008")
	if code != 0 || !strings.Contains(stdout, "wrote 4 assessment summaries") {
		t.Fatalf("summaries: %d %q %q", code, stdout, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "REF-2026-0008-*.txt"))
	if len(files) != 4 {
		t.Errorf("files %v", files)
	}
	for _, f := range files {
		if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", f, fi.Mode().Perm())
		}
	}
}
