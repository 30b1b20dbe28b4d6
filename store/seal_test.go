package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// sealedStore is a closed store with a few establishments and its key
// beside it; the last change wrote a record.
func sealedStore(t *testing.T) (path string, key []byte) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "dpsdesk.db")
	s := openTest(t, path)
	for i := range 5 {
		if err := s.SaveEstablishment(sampleEstablishment(fmt.Sprintf("E-%d", i)), ""); err != nil {
			t.Fatal(err)
		}
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Fatalf("a fresh store does not verify: %v %v", ps, err)
	}
	s.Close()
	key, err := readKey(KeyPathFor(path))
	if err != nil || key == nil {
		t.Fatalf("no key beside the store: %v", err)
	}
	if fi, _ := os.Stat(KeyPathFor(path)); fi.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v", fi.Mode().Perm())
	}
	return path, key
}

func rawUpdate(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func verifyFinds(t *testing.T, path string, want ...string) {
	t.Helper()
	s, err := Open(path, Options{Actor: "a", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, err := s.Verify()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, p := range ps {
		all = append(all, p.String())
	}
	got := strings.Join(all, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("verify found:\n%s\nwant %q", got, w)
		}
	}
}

func lastSeq(tx *bolt.Tx) uint64 {
	k, _ := tx.Bucket(bucketAudit).Cursor().Last()
	return binary.BigEndian.Uint64(k)
}

func TestDeletingTheLastEntryAndMovingTheHeadIsFound(t *testing.T) {
	path, _ := sealedStore(t)
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		n := lastSeq(tx)
		b.Delete(u64(n))
		b.SetSequence(n - 1)
		var e AuditEntry
		json.Unmarshal(b.Get(u64(n-1)), &e)
		return tx.Bucket(bucketMeta).Put(keyAuditHead, append(u64(n-1), mustHex(e.Hash)...))
	})
	verifyFinds(t, path, "the audit trail's head was moved without the key", "which the trail does not have: entries at the end were removed")
}

func TestEditingAnEntryAndRechainingWithoutTheKeyIsFound(t *testing.T) {
	path, _ := sealedStore(t)
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		n := lastSeq(tx)
		prev := ""
		for seq := uint64(10); seq <= n; seq++ {
			var e AuditEntry
			json.Unmarshal(b.Get(u64(seq)), &e)
			if seq == 10 {
				e.Actor = "someone else"
			} else {
				e.Prev = prev
			}
			e.Hash = e.computeHash() // the old SHA-256 chain, recomputed
			data, _ := json.Marshal(e)
			b.Put(u64(seq), data)
			prev = e.Hash
		}
		return tx.Bucket(bucketMeta).Put(keyAuditHead, append(u64(n), mustHex(prev)...))
	})
	verifyFinds(t, path, "audit entry 10: its content does not match its hash", "the audit trail's head was moved without the key")
}

func TestARecordEditedOutsideTheTrailIsFound(t *testing.T) {
	path, _ := sealedStore(t)
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEstablishments)
		var e Establishment
		json.Unmarshal(b.Get([]byte("E-2")), &e)
		e.CoreWeeklyPence = 1
		data, _ := json.Marshal(e)
		b.Put([]byte("E-2"), data)
		// One added and one removed, outside the trail too.
		added := bytes.Replace(data, []byte(`"E-2"`), []byte(`"E-9"`), 1)
		b.Put([]byte("E-9"), added)
		return tx.Bucket(bucketRegister).Delete([]byte("E-3"))
	})
	verifyFinds(t, path, `establishments "E-2" was changed outside the audit trail`, `establishments "E-9" was written outside the audit trail (it has no seal)`,
		`register "E-3" was removed outside the audit trail`)
}

func TestAnUnknownFieldInAnEntryIsFound(t *testing.T) {
	path, _ := sealedStore(t)
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		v := b.Get(u64(12))
		return b.Put(u64(12), append([]byte(`{"note":"approved by the director",`), v[1:]...))
	})
	verifyFinds(t, path, "audit entry 12: its content does not match its hash")
}

// Someone holding the key cuts the trail and re-seals the head: the
// anchor of an earlier backup finds it.
func TestTruncationIsFoundAgainstABackupsAnchor(t *testing.T) {
	path, key := sealedStore(t)
	s := openTest(t, path)
	backup := filepath.Join(filepath.Dir(path), "backup.db")
	if err := s.BackupTo(backup); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Anchor()
	s.Close()
	if b, err := ReadAnchor(backup); err != nil || b != a || a.Entries == 0 || len(a.Head) != 64 {
		t.Fatalf("backup anchor %v %v, store %v", b, err, a)
	}
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		n := lastSeq(tx)
		for seq := n - 1; seq <= n; seq++ {
			b.Delete(u64(seq))
		}
		b.SetSequence(n - 2)
		var e AuditEntry
		json.Unmarshal(b.Get(u64(n-2)), &e)
		head := append(u64(n-2), mustHex(e.Hash)...)
		tx.Bucket(bucketMeta).Put(keyAuditHead, head)
		return tx.Bucket(bucketMeta).Put(keyAuditHeadSeal, headSeal(key, head))
	})
	s2, err := Open(path, Options{Actor: "a", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	ps := s2.CheckAnchor(a, backup)
	if len(ps) != 1 || !strings.Contains(ps[0].Message, fmt.Sprintf("the trail has no entry %d, which %s has", a.Entries, backup)) {
		t.Errorf("anchor check: %v", ps)
	}
}

func TestWritingWithoutTheKeyIsRefusedAndVerifySaysWhy(t *testing.T) {
	path, _ := sealedStore(t)
	os.Rename(KeyPathFor(path), KeyPathFor(path)+".elsewhere")
	s, err := Open(path, Options{Actor: "a"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SaveEstablishment(sampleEstablishment("E-7"), ""); err == nil || !strings.Contains(err.Error(), "the audit key is missing") {
		t.Errorf("save without the key: %v", err)
	}
	ps, _ := s.Verify()
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "dpsdesk.key is missing") {
		t.Errorf("verify without the key: %v", ps)
	}
	// --key elsewhere works.
	s.Close()
	s3, err := Open(path, Options{Actor: "a", KeyPath: KeyPathFor(path) + ".elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if err := s3.SaveEstablishment(sampleEstablishment("E-7"), ""); err != nil {
		t.Errorf("save with --key: %v", err)
	}
	s3.Close()
	// Another store's key is refused for writing.
	other, _ := sealedStore(t)
	s4, err := Open(path, Options{Actor: "a", KeyPath: KeyPathFor(other)})
	if err != nil {
		t.Fatal(err)
	}
	defer s4.Close()
	if err := s4.SaveEstablishment(sampleEstablishment("E-8"), ""); err == nil || !strings.Contains(err.Error(), "not this store's") {
		t.Errorf("save with another key: %v", err)
	}
}

func TestAKeyOthersCanReadIsRefused(t *testing.T) {
	path, _ := sealedStore(t)
	os.Chmod(KeyPathFor(path), 0o644)
	if _, err := Open(path, Options{Actor: "a"}); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("open: %v", err)
	}
}

// After the upgrade to the key, the older SHA-256 entries are sealed by
// the first keyed one: rewriting them and their chain is found.
func TestOlderEntriesAreSealedByTheUpgrade(t *testing.T) {
	data, err := os.ReadFile("../testdata/store-schema1.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	os.WriteFile(path, data, 0o600)
	s := openTest(t, path)
	if ps, _ := s.Verify(); len(ps) != 0 {
		t.Fatalf("after the upgrade: %v", ps)
	}
	if fi, err := os.Stat(KeyPathFor(path)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the upgrade made no private key: %v", err)
	}
	s.Close()
	var keyedFrom uint64
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		keyedFrom = binary.BigEndian.Uint64(tx.Bucket(bucketMeta).Get(keyKeyedFrom))
		b := tx.Bucket(bucketAudit)
		prev := genesis
		for seq := uint64(1); seq < keyedFrom; seq++ {
			var e AuditEntry
			json.Unmarshal(b.Get(u64(seq)), &e)
			if seq == 2 {
				e.Actor = "someone else"
			}
			e.Prev = prev
			e.Hash = e.computeHash()
			data, _ := json.Marshal(e)
			b.Put(u64(seq), data)
			prev = e.Hash
		}
		return nil
	})
	verifyFinds(t, path, fmt.Sprintf("audit entry %d: does not follow the entry before it", keyedFrom))
}
