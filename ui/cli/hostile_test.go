package cli

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dpsdesk/store"

	bolt "go.etcd.io/bbolt"
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
		{"quote.csv", head + "E\"-1,Oak,sen,RH12 1AB,1\n", `quote.csv: line 2: at character 2: bare " in non-quoted-field`},
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

// demoBytes is a demo store, built once, as bytes.
func demoBytes(t *testing.T) []byte {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, stderr := run(t, "", "init", "--demo", "--db", db, "--as", "t"); code != 0 {
		t.Fatalf("init --demo: %s", stderr)
	}
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A damaged store: every command exits 1 with one message naming verify
// (and the newest backup), never a signal or a stack, and changes nothing.
func TestDamagedStoreEveryCommand(t *testing.T) {
	good := demoBytes(t)
	flipped := bytes.Clone(good)
	r := rand.New(rand.NewPCG(2, 2))
	for range 64 {
		flipped[8192+r.IntN(len(flipped)-8192)] = byte(r.IntN(256))
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"half", good[:len(good)/2]}, {"flipped", flipped}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "dpsdesk.db")
			os.WriteFile(db, c.data, 0o600)
			backup := filepath.Join(dir, "dpsdesk.db.schema2.bak")
			os.WriteFile(backup, good, 0o600)
			for _, args := range [][]string{{"export", "register"}, {"referral", "list"}, {"audit"}, {"backup", filepath.Join(dir, "copy.db")}, {"verify"}} {
				code, _, stderr := runBinary(t, append(args, "--db", db)...)
				if strings.Contains(stderr, "goroutine ") {
					t.Errorf("%v: a stack trace: %q", args, stderr)
				}
				// Cut short, everything is refused; flipped bytes are
				// found where they are read (verify reads everything).
				if (c.name == "half" || args[0] == "verify") && code != ExitFailure || code != ExitOK && code != ExitFailure {
					t.Errorf("%v: exit %d %q", args, code, stderr)
				}
				if c.name == "half" && args[0] != "verify" && (!strings.Contains(stderr, "is damaged: it is") || !strings.Contains(stderr, "dpsdesk verify --db "+db) || !strings.Contains(stderr, backup)) {
					t.Errorf("%v: %q", args, stderr)
				}
			}
			code, out, stderr := runBinary(t, "verify", "--db", db)
			if code != ExitFailure || !strings.Contains(out+stderr, "problems") && !strings.Contains(out+stderr, "damaged") {
				t.Errorf("verify: %d %q", code, out)
			}
			if data, _ := os.ReadFile(db); !bytes.Equal(data, c.data) {
				t.Error("the damaged store was changed")
			}
		})
	}
}

// verify on a store whose pages bbolt's own check faults on: the check
// runs in a child process, whose death is reported as a problem.
func TestVerifySurvivesPagesThatCrashBboltsCheck(t *testing.T) {
	good := demoBytes(t)
	for seed := range uint64(12) {
		data := bytes.Clone(good)
		r := rand.New(rand.NewPCG(seed, 7))
		for range 64 {
			data[8192+r.IntN(len(data)-8192)] = byte(r.IntN(256))
		}
		db := filepath.Join(t.TempDir(), "dpsdesk.db")
		os.WriteFile(db, data, 0o600)
		code, out, stderr := runBinary(t, "verify", "--db", db)
		if code != ExitFailure || strings.Contains(out+stderr, "goroutine ") {
			t.Errorf("seed %d: %d %q %q", seed, code, out, stderr)
		}
	}
}

func TestDeskOnADamagedStoreSaysSoAndLogs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	good := demoBytes(t)
	os.WriteFile(db, good[:len(good)/2], 0o600)
	var out, errb bytes.Buffer
	code := Main([]string{"--db", db}, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return map[string]string{"XDG_DATA_HOME": dir}[k] }})
	if code != ExitFailure || !strings.Contains(errb.String(), "dpsdesk verify") {
		t.Errorf("desk: %d %q", code, errb.String())
	}
	log, err := os.ReadFile(filepath.Join(dir, "dpsdesk", "dpsdesk.log"))
	if err != nil || !strings.Contains(string(log), "dpsdesk stopped: ") || !strings.Contains(string(log), "cut short") {
		t.Errorf("log: %q %v", log, err)
	}
}

func TestMissingBucketEveryCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	if code, _, stderr := run(t, "", "init", "--db", db); code != 0 {
		t.Fatal(stderr)
	}
	bdb, _ := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	bdb.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("establishments")) })
	bdb.Close()
	for _, args := range [][]string{{"export", "register"}, {"referral", "list"}, {"audit"}} {
		code, _, stderr := run(t, "", append(args, "--db", db)...)
		if code != ExitFailure || !strings.Contains(stderr, `bucket "establishments" is missing`) || !strings.Contains(stderr, "dpsdesk verify") {
			t.Errorf("%v: %d %q", args, code, stderr)
		}
	}
	code, out, _ := run(t, "", "verify", "--db", db)
	if code != ExitFailure || !strings.Contains(out, `bucket "establishments" is missing`) {
		t.Errorf("verify: %d %q", code, out)
	}
}

func TestAuditPrintsNoControlCharacters(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	if code, _, stderr := run(t, "", "init", "--db", db, "--as", "x\x1b]2;PWNED\x07"); code == 0 || strings.ContainsAny(stderr, "\x1b\x07") {
		t.Errorf("init --as with escape codes: %d %q", code, stderr)
	}
	if code, _, stderr := run(t, "", "init", "--db", db, "--as", "x"); code != 0 {
		t.Fatal(stderr)
	}
	// Written into the trail behind the store's back.
	bdb, _ := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		k, v := b.Cursor().First()
		return b.Put(k, bytes.Replace(v, []byte(`"actor":"x"`), []byte(`"actor":"x\u001b]2;PWNED\u0007"`), 1))
	})
	bdb.Close()
	_, out, _ := run(t, "", "audit", "--db", db)
	if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, "x?]2;PWNED?") {
		t.Errorf("audit printed %q", out)
	}
	code, out, _ := run(t, "", "verify", "--db", db)
	if code != ExitFailure || !strings.Contains(out, "audit entry 1: its content does not match its hash") {
		t.Errorf("verify: %d %q", code, out)
	}
}

// init --demo killed at any moment leaves no store (or the whole one):
// never a half store that verify calls fine and the next init refuses.
func TestInitKilledMidWayLeavesNothingInTheWay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, after := range []time.Duration{20 * time.Millisecond, 50 * time.Millisecond, 80 * time.Millisecond, 150 * time.Millisecond} {
		dir := t.TempDir()
		db := filepath.Join(dir, "demo.db")
		cmd := exec.Command(os.Args[0], "init", "--demo", "--db", db, "--as", "t")
		cmd.Env = append(os.Environ(), childEnv+"=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		cmd.Process.Kill()
		cmd.Wait()
		if _, err := os.Stat(db); err == nil {
			// It finished in time: then it is whole.
			if code, out, stderr := run(t, "", "verify", "--db", db); code != 0 {
				t.Errorf("after %v: a store that does not verify: %q %q", after, out, stderr)
			}
			continue
		}
		if code, _, stderr := run(t, "", "init", "--demo", "--db", db, "--as", "t"); code != 0 {
			t.Errorf("after %v: the next init: %d %q", after, code, stderr)
		}
		if _, out, _ := run(t, "", "export", "register", "--db", db); strings.Count(out, "\n") < 100 {
			t.Errorf("after %v: the demo register has %d lines", after, strings.Count(out, "\n"))
		}
	}
}

// A store that cannot be finished (here: its folder made read-only part
// way is not portable; a fill that fails stands for the full disk) leaves
// nothing at the path.
func TestFailedCreateLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	err := store.Create(db, store.Options{Actor: "t"}, func(*store.Store) error { return errors.New("no space left on device") })
	if err == nil {
		t.Fatal("no error")
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if code, _, stderr := run(t, "", "init", "--db", db); code != 0 {
		t.Errorf("init after: %d %q", code, stderr)
	}
}

func TestVerifyFindsTamperingAndComparesWithTheNewestBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	code, out, stderr := run(t, "", "init", "--db", db, "--as", "j.smith")
	if code != 0 || !strings.Contains(out, "its audit key is "+filepath.Join(dir, "dpsdesk.key")) {
		t.Fatalf("init: %d %q %q", code, out, stderr)
	}
	if fi, err := os.Stat(filepath.Join(dir, "dpsdesk.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key: %v %v", fi, err)
	}
	csv := filepath.Join(dir, "register.csv")
	os.WriteFile(csv, []byte("id,name,categories,postcode,core_weekly_pence\nE-1,Oak School,sen,RH12 1AB,150000\n"), 0o600)
	if code, _, stderr := run(t, "", "import", "register", "--db", db, csv); code != 0 {
		t.Fatal(stderr)
	}
	os.MkdirAll(filepath.Join(dir, "backups"), 0o700)
	backup := filepath.Join(dir, "backups", "dpsdesk-20261130-020000.db")
	code, out, _ = run(t, "", "backup", "--db", db, backup)
	if code != 0 || !strings.Contains(out, "anchor: 15 entries, head ") {
		t.Fatalf("backup: %d %q", code, out)
	}
	code, out, _ = run(t, "", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "it holds the anchor of "+backup) || !strings.Contains(out, "anchor: 15 entries, head ") {
		t.Errorf("verify: %d %q", code, out)
	}
	// The backup verifies on its own, with the key the store names.
	if code, out, stderr := run(t, "", "verify", "--db", backup); code != 0 {
		t.Errorf("verify the backup: %d %q %q", code, out, stderr)
	}
	// A record changed outside the trail.
	bdb, _ := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("establishments"))
		return b.Put([]byte("E-1"), bytes.Replace(b.Get([]byte("E-1")), []byte("150000"), []byte("1"), 1))
	})
	bdb.Close()
	code, out, _ = run(t, "", "verify", "--db", db)
	if code != ExitFailure || !strings.Contains(out, `establishments "E-1" was changed outside the audit trail`) {
		t.Errorf("verify after an edit outside the trail: %d %q", code, out)
	}
	// Without the key nothing can be changed, and verify says it could not check.
	os.Rename(filepath.Join(dir, "dpsdesk.key"), filepath.Join(dir, "moved.key"))
	code, _, stderr = run(t, "", "import", "register", "--db", db, csv)
	if code == 0 || !strings.Contains(stderr, "the audit key is missing") {
		t.Errorf("import without the key: %d %q", code, stderr)
	}
	code, _, stderr = run(t, "", "import", "register", "--db", db, "--key", filepath.Join(dir, "moved.key"), csv)
	if code != 0 {
		t.Errorf("import with --key: %d %q", code, stderr)
	}
}
