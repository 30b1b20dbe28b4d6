package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dpsdesk/engine/gias/giastest"
)

// giasStore is a store whose register holds some of the fixture's URNs,
// and the fixture download beside it.
func giasStore(t *testing.T) (db, file string) {
	dir := t.TempDir()
	db = filepath.Join(dir, "dpsdesk.db")
	if code, _, stderr := run(t, "", "init", "--db", db, "--as", "j.smith"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	reg := filepath.Join(dir, "register.csv")
	os.WriteFile(reg, []byte("id,name,provider,urn,categories,status,postcode,core_weekly_pence,inspection_framework,inspection_grade,inspection_date,insurance_expiry\n"+
		"E-1,St Mary's School,Oak Tree Care Ltd,126143,sen,qualified,RH12 1AB,150000,ofsted,Good,2024-01-15,2030-01-01\n"+
		"E-2,Downs View School,,126144,sen,qualified,BN7 2AA,150000,ofsted,Good,2023-03-01,2030-01-01\n"+
		"E-3,Gone School,,999999,sen,qualified,RH12 1AB,150000,,,,2030-01-01\n"), 0o600)
	if code, _, stderr := run(t, "", "import", "register", "--db", db, "--as", "j.smith", reg); code != 0 {
		t.Fatalf("import register: %s", stderr)
	}
	var b bytes.Buffer
	if err := giastest.WriteFixture(&b); err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(dir, "edubasealldata"+giastest.FixtureDate+".csv")
	os.WriteFile(file, b.Bytes(), 0o600)
	return db, file
}

func TestImportGIASPreviewThenApply(t *testing.T) {
	db, file := giasStore(t)
	code, preview, stderr := run(t, "", "import", "gias", "--db", db, file)
	if code != 0 {
		t.Fatalf("preview: %d %s", code, stderr)
	}
	for _, want := range []string{
		"GIAS 2026-11-28: 10 rows read, 2 on the register by URN",
		"E-1 (URN 126143) St Mary's School: name: St Mary's School → St Mary’s School\n",
		"E-1 (URN 126143) St Mary's School: inspection: Ofsted Good (2024-01-15) → Ofsted Requires improvement (2026-10-12)\n",
		"E-2 (URN 126144) Downs View School: status: registration pass → closed 31 Aug 2026: registration fails\n",
		"E-2 (URN 126144) Downs View School: now fails, out of those invitations from today: registration failed: GIAS 2026-11-28: closed 31 Aug 2026\n",
		"On the register but not in the file: closed, merged or a mistyped URN (1):\n  E-3 (URN 999999) Gone School",
		"nothing changed (a preview): --apply makes these 3 changes to 2 establishments",
	} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	// The preview changed nothing; --apply changes what it said.
	if _, out, _ := run(t, "", "audit", "--db", db, "--record", "E-1"); strings.Contains(out, "GIAS") {
		t.Fatal("the preview wrote to the store")
	}
	code, applied, stderr := run(t, "", "import", "gias", "--db", db, "--as", "j.smith", file, "--apply")
	if code != 0 {
		t.Fatalf("apply: %d %s", code, stderr)
	}
	lines := func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if strings.HasPrefix(l, "E-") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	if lines(applied) != lines(preview) || !strings.Contains(applied, "changed 3 fields of 2 establishments in one transaction") {
		t.Errorf("applied:\n%s\npreview:\n%s", applied, preview)
	}
	_, out, _ := run(t, "", "audit", "--db", db, "--record", "E-2")
	if !strings.Contains(out, "establishment.gias  Downs View School (E-2): updated from GIAS") || !strings.Contains(out, "source: GIAS 28 Nov 2026") || !strings.Contains(out, "status: registration pass -> closed 31 Aug 2026: registration fails") {
		t.Errorf("audit of E-2:\n%s", out)
	}
	if code, out, _ := run(t, "", "verify", "--db", db); code != 0 {
		t.Errorf("verify: %s", out)
	}
	// The market: open SEN-relevant establishments not on the register.
	code, table, stderr := run(t, "", "market", "--db", db, "--gias", file, "--within", "20")
	if code != 0 || !strings.Contains(table, "Seaview Independent School  URN 126149  Other independent special school") || strings.Contains(table, "St Mary") || strings.Contains(table, "Old Mill") || strings.Contains(table, "Horsham Primary") {
		t.Errorf("market: %d %s\n%s", code, stderr, table)
	}
	code, csv, _ := run(t, "", "market", "--db", db, "--gias", file, "--format", "csv")
	if code != 0 || !strings.HasPrefix(csv, "name,type,urn,town,area,miles,ages,boarders,capacity,pupils,sen_provision,inspection,category\n") ||
		!strings.Contains(csv, "Seaview Independent School,Other independent special school,126149,Brighton,BHCC,0.0,5-16,No boarders,40,38,ASD;SEMH,Ofsted Outstanding (20 Jun 2025),sen") {
		t.Errorf("market csv:\n%s", csv)
	}
}

func TestImportGIASBadFileChangesNothing(t *testing.T) {
	db, file := giasStore(t)
	data, _ := os.ReadFile(file)
	bad := filepath.Join(filepath.Dir(file), "edubasealldata20261129.csv")
	os.WriteFile(bad, bytes.Replace(data, []byte("126145"), []byte("12614X"), 1), 0o600)
	code, out, stderr := run(t, "", "import", "gias", "--db", db, bad, "--apply")
	if code != ExitUsage || out != "" || !strings.Contains(stderr, `edubasealldata20261129.csv: line 4: URN: "12614X" is not a URN (6 digits)`) || !strings.Contains(stderr, "nothing changed: 1 bad rows") {
		t.Errorf("bad row: %d %q %q", code, out, stderr)
	}
	noCols := filepath.Join(filepath.Dir(file), "schools.csv")
	os.WriteFile(noCols, []byte("URN,EstablishmentName,Town\r\n126143,Oak,Horsham\r\n"), 0o600)
	code, _, stderr = run(t, "", "import", "gias", "--db", db, "--date", "2026-11-28", noCols, "--apply")
	if code != ExitUsage || !strings.Contains(stderr, `the header lacks "EstablishmentStatus (name)", "Postcode"`) {
		t.Errorf("header: %d %q", code, stderr)
	}
	code, _, stderr = run(t, "", "import", "gias", "--db", db, noCols)
	if code != ExitUsage || !strings.Contains(stderr, "--date YYYY-MM-DD") {
		t.Errorf("no date: %d %q", code, stderr)
	}
	if _, out, _ := run(t, "", "audit", "--db", db); strings.Contains(out, "GIAS") {
		t.Error("a bad file changed the store")
	}
}
