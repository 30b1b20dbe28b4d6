package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "desk.db")
	if code, _, stderr := run(t, "", "init", "--db", db, "--as", "lead"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	return db
}

// The desk's flags may stand before the command as well as after it.
func TestGlobalFlagsBeforeOrAfterTheCommand(t *testing.T) {
	db := newStore(t)
	for _, args := range [][]string{
		{"--db", db, "referral", "list"},
		{"--db=" + db, "--ascii", "--no-color", "referral", "list"},
		{"referral", "list", "--db", db, "--ascii"},
		{"--read-only", "referral", "list", "--db", db},
		{"--db", db, "audit", "--as", "x"},
	} {
		code, out, stderr := run(t, "", args...)
		if code != 0 || stderr != "" || out == "" {
			t.Errorf("%v: exit %d, %q, %q", args, code, out, stderr)
		}
	}
	code, out, _ := run(t, "", "--db", db, "referral", "list")
	if code != 0 || !strings.HasPrefix(out, "id  ") {
		t.Errorf("referral list: %q", out)
	}
	// --db before `bids import`, with the command's own arguments after.
	code, _, stderr := run(t, "", "--db", db, "--as", "lead", "bids", "import", "R-NONE", "-")
	if code != ExitUsage || !strings.Contains(stderr, "R-NONE") || strings.Contains(stderr, "unknown command") {
		t.Errorf("bids import after global flags: %d %q", code, stderr)
	}
}

// Only init (and the demo store on first use) makes a store: a mistyped
// path is an error naming `dpsdesk init`, and nothing is created.
func TestAMistypedStorePathIsAnErrorNotANewStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dmeo.db")
	for _, args := range [][]string{
		{"--db", db},
		{"--db", db, "--read-only"},
		{"--db", db, "referral", "list"},
		{"import", "register", "--db", db, "-"},
		{"bids", "import", "--db", db, "R-1", "-"},
		{"publish", "--db", db, "--quarter", "2026Q4", "--format", "ocds"},
	} {
		code, _, stderr := run(t, "col\n", args...)
		want := "dpsdesk: no store at " + db + ": create one with `dpsdesk init --db " + db + "` (or try the demo: `dpsdesk --demo`)\n"
		if code != ExitUsage || stderr != want {
			t.Errorf("%v: exit %d, %q\nwant %q", args, code, stderr, want)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%v created a store at the mistyped path", args)
		}
	}
	code, _, stderr := run(t, "", "init", "--db", db, "--read-only")
	if code != ExitUsage || !strings.Contains(stderr, "leave out --read-only") {
		t.Errorf("init --read-only: %d %q", code, stderr)
	}
}

// A missing required flag says it is required and what it may be, never
// `not ""`.
func TestAMissingRequiredFlagSaysItIsRequired(t *testing.T) {
	db := newStore(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"publish", "--db", db, "--quarter", "2026Q4"}, "dpsdesk: --format is required: contracts-finder, contracts-finder-list, find-a-tender or ocds (or --due for what is owed)\n"},
		{[]string{"publish", "--db", db, "--format", "ocds"}, "dpsdesk: --quarter is required: the quarter to publish, e.g. 2026Q4\n"},
		{[]string{"summaries", "--db", db, "R-1"}, "dpsdesk: --out is required: the DIR to write the summaries in (usage: dpsdesk summaries [--db PATH] --out DIR REFERRAL)\n"},
	} {
		code, _, stderr := run(t, "", c.args...)
		if code != ExitUsage || stderr != c.want || strings.Contains(stderr, `not ""`) {
			t.Errorf("%v: exit %d, %q, want %q", c.args, code, stderr, c.want)
		}
	}
	code, _, stderr := run(t, "", "publish", "--db", db, "--quarter", "2026Q4", "--format", "xml")
	if code != ExitUsage || !strings.Contains(stderr, `--format must be contracts-finder, contracts-finder-list, find-a-tender or ocds, not "xml"`) {
		t.Errorf("publish --format xml: %d %q", code, stderr)
	}
}

// An admin sets the shape of an authority's case references from the
// command line; it is listed with an example.
func TestAuthorityPatternCommand(t *testing.T) {
	db := newStore(t)
	code, out, stderr := run(t, "", "--db", db, "authority", "pattern", "wscc", "WSCC/EHCP/#####")
	if code != 0 || out != "WSCC case references now look like WSCC/EHCP/12345\n" {
		t.Fatalf("pattern: %d %q %q", code, out, stderr)
	}
	code, out, _ = run(t, "", "authority", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "WSCC/EHCP/#####  ") || !strings.Contains(out, "BHCC/EHCP/12345") {
		t.Errorf("list: %d %q", code, out)
	}
	code, _, stderr = run(t, "", "authority", "pattern", "--db", db, "WSCC", "EHCP")
	if code != ExitUsage || !strings.Contains(stderr, "needs at least one # (a digit)") {
		t.Errorf("bad pattern: %d %q", code, stderr)
	}
	code, _, stderr = run(t, "", "authority", "pattern", "--db", db, "XYZ", "X/#")
	if code != ExitUsage || !strings.Contains(stderr, `unknown partner authority "XYZ"`) {
		t.Errorf("unknown authority: %d %q", code, stderr)
	}
	code, out, _ = run(t, "", "audit", "--db", db, "--record", "WSCC")
	if !strings.Contains(out, "authority.pattern  West Sussex County Council (WSCC): case reference pattern set") ||
		!strings.Contains(out, "case reference pattern: WSCC/EHCP/#####") {
		t.Errorf("audit: %q", out)
	}
}

// An admin records an authority's PPON; a number not of its shape is
// refused, changing nothing; it is listed and audited.
func TestAuthorityPPONCommand(t *testing.T) {
	db := newStore(t)
	code, _, stderr := run(t, "", "--db", db, "authority", "ppon", "WSCC", "PBHM-7586-PWLA")
	if code != ExitUsage || !strings.Contains(stderr, "is not a PPON") || !strings.Contains(stderr, "nothing changed") {
		t.Errorf("a bad PPON: %d %q", code, stderr)
	}
	code, out, stderr := run(t, "", "--db", db, "authority", "ppon", "wscc", "gb-ppon-pbhm-7586-pwlp")
	if code != 0 || out != "WSCC is GB-PPON-PBHM-7586-PWLP in published notices\n" {
		t.Fatalf("ppon: %d %q %q", code, out, stderr)
	}
	code, out, _ = run(t, "", "authority", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "PBHM-7586-PWLP") {
		t.Errorf("list: %d %q", code, out)
	}
	code, out, _ = run(t, "", "audit", "--db", db, "--record", "WSCC")
	if !strings.Contains(out, "authority.ppon") || !strings.Contains(out, "PBHM-7586-PWLP") {
		t.Errorf("audit: %q", out)
	}
}

// --demo before a command means the demo store in the data directory.
func TestDemoFlagBeforeACommand(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string { return map[string]string{"XDG_DATA_HOME": dir}[k] }
	var out, errb strings.Builder
	code := Main([]string{"--demo", "referral", "list"}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: env})
	want := filepath.Join(dir, "dpsdesk", "demo.db")
	if code != ExitUsage || !strings.Contains(errb.String(), "no store at "+want) {
		t.Errorf("--demo referral list without a demo store: %d %q", code, errb.String())
	}
}
