package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// An audit entry given an added field, a key in another case or its keys
// in another order still decodes to the same entry; `dpsdesk verify`
// refuses it all the same, and passes the store untouched.
func TestVerifyRefusesAnEntryNotAsTheDeskWroteIt(t *testing.T) {
	for _, c := range []struct{ name, from, to, says string }{
		{"added field", `"actor":`, `"approved":"yes","actor":`, `"approved" is not one of its fields`},
		{"re-cased key", `"actor":`, `"ACTOR":`, `the key "ACTOR" is written in another case`},
		{"re-ordered keys", `"action":"store.create","record":"store"`, `"record":"store","action":"store.create"`, `its keys are in another order ("record" before "action")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "dpsdesk.db")
			if code, _, stderr := run(t, "", "init", "--db", db); code != 0 {
				t.Fatalf("init: %d %s", code, stderr)
			}
			if code, out, _ := run(t, "", "verify", "--db", db); code != 0 {
				t.Fatalf("a new store does not verify: %d %s", code, out)
			}
			bdb, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			err = bdb.Update(func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("audit"))
				k, v := b.Cursor().First()
				edited := bytes.Replace(v, []byte(c.from), []byte(c.to), 1)
				if bytes.Equal(edited, v) {
					t.Fatalf("%q is not in the first entry %s", c.from, v)
				}
				return b.Put(bytes.Clone(k), edited)
			})
			bdb.Close()
			if err != nil {
				t.Fatal(err)
			}
			code, out, _ := run(t, "", "verify", "--db", db)
			if code != ExitFailure || !strings.Contains(out, "audit entry 1: its bytes are not what dpsdesk writes for it: "+c.says) {
				t.Errorf("verify: exit %d\n%s\nwant exit %d and entry 1 refused: %s", code, out, ExitFailure, c.says)
			}
		})
	}
}
