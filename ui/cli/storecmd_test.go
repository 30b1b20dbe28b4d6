package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dpsdesk/store"
)

func TestInitImportExportVerifyAudit(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	if code, _, stderr := run(t, "", "init", "--db", db, "--as", "j.smith"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "", "init", "--db", db); code != ExitUsage || !strings.Contains(stderr, "already exists") {
		t.Errorf("init over a store: %d %s", code, stderr)
	}
	csv := filepath.Join(dir, "register.csv")
	os.WriteFile(csv, []byte("id,name,categories,postcode,core_weekly_pence,status\nE-1,Oak School,sen,RH12 1AB,150000,qualified\n"), 0o600)
	code, out, stderr := run(t, "", "import", "register", "--db", db, "--as", "j.smith", csv)
	if code != 0 || !strings.Contains(out, "imported 1 row: 1 new") {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,name,categories,postcode,core_weekly_pence\nE-2,Ash School,sen,ZZ99 9ZZ,-1\n"), 0o600)
	code, out, stderr = run(t, "", "import", "register", "--db", db, bad)
	if code != ExitUsage || out != "" || !strings.Contains(stderr, "bad.csv: line 2: core_weekly_pence:") || !strings.Contains(stderr, "nothing imported") {
		t.Errorf("bad import: %d %q %q", code, out, stderr)
	}
	code, out, _ = run(t, "", "export", "register", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "id,name,provider,urn,categories") || !strings.Contains(out, "E-1,Oak School,,,sen,qualified,RH12 1AB") {
		t.Errorf("export: %d %q", code, out)
	}
	code, out, _ = run(t, "", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "audit trail of 15 entries verified") {
		t.Errorf("verify: %d %q", code, out)
	}
	// The trail names the record and says its values in words; the
	// record is typed in any case.
	code, out, _ = run(t, "", "audit", "--db", db, "--record", "e-1")
	if code != 0 || !strings.Contains(out, "j.smith  establishment.create  Oak School (E-1): added to the register\n") ||
		!strings.Contains(out, "      core weekly cost: £1,500.00 a week\n") || !strings.Contains(out, "      categories: sen\n") ||
		strings.Contains(out, "Lat") || strings.Contains(out, "[") {
		t.Errorf("audit: %d %q", code, out)
	}
	code, out, _ = run(t, "", "audit", "--db", db, "--since", "1/1/2000", "--record", "E-1")
	if code != 0 || !strings.Contains(out, "Oak School (E-1)") {
		t.Errorf("audit --since 1/1/2000: %d %q", code, out)
	}
	code, _, stderr = run(t, "", "audit", "--db", db, "--since", "yesterday")
	if code != ExitUsage || !strings.Contains(stderr, `--since: "yesterday" is not a date: type it as 22/11/2026, 22 Nov 2026 or 2026-11-22`) {
		t.Errorf("audit --since yesterday: %d %q", code, stderr)
	}
	backup := filepath.Join(dir, "copy.db")
	if code, _, stderr := run(t, "", "backup", "--db", db, backup); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v %v", fi, err)
	}
}

func TestLockedStoreExitsWithStatus3(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dpsdesk.db")
	s, err := store.Open(db, store.Options{Actor: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	code, _, stderr := run(t, "", "verify", "--db", db)
	want := fmt.Sprintf("dpsdesk: dpsdesk.db is open for changes in another dpsdesk (process %d): close it there, or work from that desk\n", os.Getpid())
	if code != ExitLocked || stderr != want {
		t.Errorf("verify of a locked store: exit %d, %q; want %q", code, stderr, want)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	// The commands a person runs beside the desk say the same, and
	// --read-only (which bbolt's lock also keeps out) is not advised.
	for _, args := range [][]string{{"referral", "export", "--db", db, "R-1"}, {"--db", db, "--read-only"}, {"--read-only", "--db", db, "referral", "list"}} {
		code, _, stderr := run(t, "", args...)
		if code != ExitLocked || stderr != want {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}

func TestCommandsRefuseAMissingStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	for _, args := range [][]string{{"verify", "--db", db}, {"export", "register", "--db", db}, {"audit", "--db", db}} {
		code, _, stderr := run(t, "", args...)
		if code != ExitUsage || !strings.Contains(stderr, "no store at") || !strings.Contains(stderr, "dpsdesk init") {
			t.Errorf("%v: %d %q", args, code, stderr)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%v created the store", args)
		}
	}
}

func TestVerifyReportsANonStore(t *testing.T) {
	f := filepath.Join(t.TempDir(), "notes.db")
	os.WriteFile(f, []byte("not a database at all, just some words in a file\n"), 0o600)
	code, _, stderr := run(t, "", "verify", "--db", f)
	if code != ExitFailure || !strings.Contains(stderr, "not a dpsdesk store") {
		t.Errorf("verify of a text file: %d %q", code, stderr)
	}
}

func TestDefaultStorePath(t *testing.T) {
	sf := &storeFlags{}
	env := IO{Getenv: func(k string) string { return map[string]string{"XDG_DATA_HOME": "/data"}[k] }}
	if p, _ := sf.path(env); p != "/data/dpsdesk/dpsdesk.db" {
		t.Errorf("default path %q", p)
	}
	env.Getenv = func(k string) string {
		return map[string]string{"XDG_DATA_HOME": "/data", "DPSDESK_DB": "/srv/set.db"}[k]
	}
	if p, _ := sf.path(env); p != "/srv/set.db" {
		t.Errorf("DPSDESK_DB path %q", p)
	}
	sf.db = "/tmp/x.db"
	if p, _ := sf.path(env); p != "/tmp/x.db" {
		t.Errorf("--db path %q", p)
	}
}
