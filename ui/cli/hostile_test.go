package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A bad CSV exits 2 naming the line and column, and changes nothing: the
// export and the trail are as they were.
func TestImportOfHostileCSVExits2AndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	if code, _, stderr := run(t, "", "init", "--db", db, "--as", "j.smith"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	snapshot := func() string {
		_, reg, _ := run(t, "", "export", "register", "--db", db)
		_, trail, _ := run(t, "", "audit", "--db", db)
		return reg + trail
	}
	before := snapshot()
	head := "id,name,categories,postcode,core_weekly_pence\n"
	for _, c := range []struct{ name, csv, want string }{
		{"quote.csv", head + "E\"-1,Oak,sen,RH12 1AB,1\n", `quote.csv: line 2: bare " in non-quoted-field`},
		{"latin1.csv", head + "E-1,Caf\xe9,sen,RH12 1AB,1\n", "latin1.csv: line 2: name: byte 0xE9 at character 4 is not UTF-8"},
		{"escape.csv", head + "E-1,\x1b]2;PWNED\x07,sen,RH12 1AB,1\n", "escape.csv: line 2: name: holds a control character (U+001B)"},
		{"money.csv", head + "E-1,Oak,sen,RH12 1AB,9223372036854775807\n", "money.csv: line 2: core_weekly_pence: 9223372036854775807 is over £100,000.00"},
	} {
		path := filepath.Join(dir, c.name)
		os.WriteFile(path, []byte(c.csv), 0o600)
		code, out, stderr := run(t, "", "import", "register", "--db", db, path)
		if code != ExitUsage || out != "" || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "nothing imported") {
			t.Errorf("%s: %d %q %q", c.name, code, out, stderr)
		}
		if strings.ContainsAny(stderr, "\x1b\x07") {
			t.Errorf("%s: the message carries the control characters: %q", c.name, stderr)
		}
	}
	if snapshot() != before {
		t.Error("a failed import changed the store")
	}
	latin1 := filepath.Join(dir, "latin1.csv")
	if code, out, stderr := run(t, "", "import", "register", "--db", db, "--encoding", "latin1", latin1); code != 0 || !strings.Contains(out, "1 new") {
		t.Fatalf("--encoding latin1: %d %q %q", code, out, stderr)
	}
	if _, out, _ := run(t, "", "export", "register", "--db", db); !strings.Contains(out, "E-1,Café,") {
		t.Errorf("export after a Latin-1 import: %q", out)
	}
	if code, _, stderr := run(t, "", "import", "register", "--db", db, "--encoding", "cp1252", latin1); code != ExitUsage || !strings.Contains(stderr, `unknown encoding "cp1252"`) {
		t.Errorf("--encoding cp1252: %d %q", code, stderr)
	}
}
