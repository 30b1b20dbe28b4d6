package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dpsdesk/store"
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
	if code != 0 || lines[0] != "id,status,authority,category,deadline,invited,bids" || len(lines) != 14 {
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
	awarded := time.Now().AddDate(0, 0, -2).In(store.UKLocation()) // the demo's awards
	q := fmt.Sprintf("%dQ%d", awarded.Year(), (int(awarded.Month())-1)/3+1)
	out := filepath.Join(t.TempDir(), "awards.json")
	code, stdout, stderr := run(t, "", "publish", "--db", db, "--quarter", q, "--format", "contracts-finder", "--out", out)
	if code != 0 || !strings.Contains(stdout, "published 1 awards of "+q+" as Contracts Finder award information") ||
		!strings.Contains(stderr, "left out 1 awards of "+q+" issued under another regime (REF-2026-0009)") {
		t.Fatalf("publish: %d %q %q", code, stdout, stderr)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	for _, n := range []string{"uk6", "uk7"} {
		code, stdout, _ = run(t, "", "publish", "--db", db, "--quarter", q, "--format", "find-a-tender", "--notice", n)
		if code != 0 || !strings.Contains(stdout, `"noticeType": "`+strings.ToUpper(n)+`"`) || !strings.Contains(stdout, `"ocid": "ocds-setdps-REF-2026-0009"`) {
			t.Errorf("find a tender %s: %d %q", n, code, stdout)
		}
	}
	code, stdout, _ = run(t, "", "publish", "--db", db, "--quarter", q, "--format", "contracts-finder-list")
	if code != 0 || !strings.HasPrefix(stdout, "Referral,Arrangement,Buyer,") {
		t.Errorf("contracts finder list: %d %q", code, stdout)
	}
	code, stdout, _ = run(t, "", "publish", "--db", db, "--quarter", q, "--due")
	if code != 0 || !strings.Contains(stdout, "REF-2026-0008") || !strings.Contains(stdout, "Contracts Finder award information (PCR 2015 reg 112)") ||
		!strings.Contains(stdout, "UK7 contract details notice: 120 days after the contract was entered into") {
		t.Errorf("due: %d %q", code, stdout)
	}
	// An empty period writes nothing, says so and succeeds.
	empty := filepath.Join(t.TempDir(), "empty.json")
	code, stdout, _ = run(t, "", "publish", "--db", db, "--quarter", "2019Q1", "--format", "find-a-tender", "--notice", "uk6", "--out", empty)
	if _, err := os.Stat(empty); code != 0 || !strings.Contains(stdout, "no awards of 2019Q1 to publish as Find a Tender UK6: nothing written") || err == nil {
		t.Errorf("an empty quarter: %d %q (file: %v)", code, stdout, err)
	}
	// Awards under arrangements are not published as a plain package.
	code, stdout, stderr = run(t, "", "publish", "--db", db, "--quarter", q, "--format", "ocds")
	if code != 0 || !strings.Contains(stdout, "nothing written") || !strings.Contains(stderr, "left out 2 awards") {
		t.Errorf("ocds of awards under arrangements: %d %q %q", code, stdout, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--quarter", "2026-Q4", "--format", "ocds"}, `--quarter: "2026-Q4" is not a quarter such as 2026Q4`},
		{[]string{"--quarter", q, "--format", "xml"}, "--format must be contracts-finder, contracts-finder-list, find-a-tender or ocds"},
		{[]string{"--quarter", q, "--format", "find-a-tender"}, "--notice must be uk6 or uk7"},
		{[]string{"--quarter", q, "--format", "contracts-finder", "--cf-value", "both"}, "--cf-value must be net or gross"},
	} {
		code, _, stderr := run(t, "", append([]string{"publish", "--db", db}, c.args...)...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q", c.args, code, stderr)
		}
	}
}

func TestArrangementAndNoticeCommands(t *testing.T) {
	db := demoDB(t)
	code, out, _ := run(t, "", "arrangement", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "SET-DPS-2021  pcr2015-dps") || !strings.Contains(out, "2029-02-23 (by law)") || !strings.Contains(out, "ocds-h6vhtk-05d1e7") {
		t.Errorf("arrangement list: %d\n%s", code, out)
	}
	code, out, stderr := run(t, "", "arrangement", "set", "--db", db, "--id", "SET-DM-2025", "--ends", "2030-03-31")
	if code != 0 || !strings.Contains(out, "arrangement SET-DM-2025 set") {
		t.Errorf("arrangement set: %d %q %q", code, out, stderr)
	}
	code, _, stderr = run(t, "", "arrangement", "set", "--db", db, "--id", "NEW", "--title", "New", "--regime", "pcr2015-dps", "--established", "2025-04-01", "--categories", "sen")
	if code != ExitUsage || !strings.Contains(stderr, "established: a PCR 2015 DPS was established before 2025-02-24") {
		t.Errorf("a PCR DPS set up in 2025: %d %q", code, stderr)
	}
	code, _, stderr = run(t, "", "notice", "set", "--db", db, "--summaries-sent", "2026-13-01", "REF-2026-0009")
	if code != ExitUsage || !strings.Contains(stderr, `summaries_sent: "2026-13-01" is not a date`) {
		t.Errorf("a bad date: %d %q", code, stderr)
	}
	code, _, stderr = run(t, "", "notice", "set", "--db", db, "--summaries-sent", "2026-12-01", "REF-2026-0008")
	if code != ExitUsage || !strings.Contains(stderr, "Procurement Act 2023 duties") {
		t.Errorf("notice dates for a PCR award: %d %q", code, stderr)
	}
	if code, out, _ := run(t, "", "help", "arrangement"); code != 0 || !strings.Contains(out, "dpsdesk arrangement set") {
		t.Errorf("help arrangement: %d %q", code, out)
	}
	if code, out, _ := run(t, "", "help", "notice"); code != 0 || !strings.Contains(out, "Usage: dpsdesk notice set") {
		t.Errorf("help notice: %d %q", code, out)
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
	if code != 0 || !strings.Contains(stdout, "wrote 4 feedback summaries (PCR 2015), .txt and .html") {
		t.Fatalf("summaries: %d %q %q", code, stdout, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "REF-2026-0008-*"))
	if len(files) != 8 {
		t.Errorf("files %v", files)
	}
	for _, f := range files {
		if fi, _ := os.Stat(f); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", f, fi.Mode().Perm())
		}
	}
}
