package store

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// smallStore is a closed store with some establishments, as bytes.
func smallStore(t testing.TB) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	s := openTest(t, path)
	if _, err := s.ImportRegister(strings.NewReader(goodCSV), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func writeStore(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A damaged store is refused at open with one error that names verify
// and the newest backup, and the file is left as it was.
func TestDamagedStoreIsRefusedAtOpen(t *testing.T) {
	good := smallStore(t)
	half := writeStore(t, good[:len(good)/2])
	// A backup beside it, as dpsdesk serve --backup-dir backups keeps.
	os.MkdirAll(filepath.Join(filepath.Dir(half), "backups"), 0o700)
	backup := filepath.Join(filepath.Dir(half), "backups", "dpsdesk-20261129-020000.db")
	os.WriteFile(backup, good, 0o600)
	for _, ro := range []bool{false, true} {
		_, err := Open(half, Options{Actor: "a", ReadOnly: ro})
		var de *DamagedError
		if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "cut short") ||
			!strings.Contains(err.Error(), "dpsdesk verify --db "+half) || !strings.Contains(err.Error(), backup) {
			t.Errorf("read-only %v: %v", ro, err)
		}
	}
	if data, _ := os.ReadFile(half); !bytes.Equal(data, good[:len(good)/2]) {
		t.Error("opening the damaged store changed it")
	}
	if _, err := Open(backup, Options{Actor: "a", ReadOnly: true}); err != nil {
		t.Errorf("the backup: %v", err)
	}
}

func TestMissingBucketIsRefusedAtOpenAndReportedByVerify(t *testing.T) {
	path := writeStore(t, smallStore(t))
	db, _ := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketReferrals) })
	db.Close()
	if _, err := Open(path, Options{Actor: "a", ReadOnly: true}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), `bucket "referrals" is missing`) {
		t.Errorf("open: %v", err)
	}
	s, err := Open(path, Options{Actor: "a", ReadOnly: true, Unchecked: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, err := s.Verify()
	if err != nil || len(ps) != 1 || ps[0].Message != `bucket "referrals" is missing` {
		t.Errorf("verify: %v %v", ps, err)
	}
}

func TestUndecodableRecordIsFoundByVerifyAndNamesVerifyWhereRead(t *testing.T) {
	path := writeStore(t, smallStore(t))
	db, _ := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEstablishments).Put([]byte("126143"), []byte(`{"id":"126143",`))
	})
	db.Close()
	s, err := Open(path, Options{Actor: "a", ReadOnly: true, Unchecked: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, _ := s.Verify()
	if len(ps) == 0 || !strings.Contains(ps[0].Message, `establishments "126143": does not decode`) {
		t.Errorf("verify: %v", ps)
	}
	if _, err := s.Establishments(); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "dpsdesk verify") {
		t.Errorf("reading it: %v", err)
	}
}

// Flipped bytes anywhere past the header never crash open or Verify: each
// is an error or a problem (bbolt's own page check, which runs in a
// goroutine of its own, is run apart by the CLI and tested there).
func TestFlippedBytesNeverCrash(t *testing.T) {
	if raceEnabled {
		t.Skip("checkptr (on with -race) aborts on bbolt's arithmetic over corrupt pages; see race_on_test.go")
	}
	good := smallStore(t)
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 1))
		data := bytes.Clone(good)
		for range 64 {
			data[4096*2+r.IntN(len(data)-8192)] = byte(r.IntN(256))
		}
		openAndVerify(t, writeStore(t, data))
	}
}

// openAndVerify opens, reads and verifies a store as the CLI does: reads
// after open run under guard (the CLI's Main and the desk's loop turn
// faults into panics the same way).
func openAndVerify(t *testing.T, path string) {
	t.Helper()
	s, err := Open(path, Options{Actor: "a", ReadOnly: true})
	if err == nil {
		guard(path, func() error {
			s.Establishments()
			s.Audit(AuditFilter{})
			return nil
		})
		s.Close()
	}
	if s, err := Open(path, Options{Actor: "a", ReadOnly: true, Unchecked: true}); err == nil {
		s.Verify()
		s.Close()
	}
}

func FuzzOpenCorrupted(f *testing.F) {
	good := smallStore(f)
	f.Add(uint32(0), uint32(len(good)/2), []byte{})              // cut to half
	f.Add(uint32(20), uint32(0), bytes.Repeat([]byte{0xff}, 60)) // first meta
	f.Add(uint32(4096+20), uint32(0), []byte{1, 2, 3, 4})
	f.Add(uint32(8192+100), uint32(0), bytes.Repeat([]byte{0x41}, 64))
	f.Add(uint32(len(good)-4096), uint32(0), bytes.Repeat([]byte{0}, 64))
	f.Fuzz(func(t *testing.T, at, cut uint32, patch []byte) {
		if raceEnabled {
			t.Skip("checkptr (on with -race) aborts on bbolt's arithmetic over corrupt pages; see race_on_test.go")
		}
		data := bytes.Clone(good)
		if cut > 0 {
			data = data[:int(cut)%len(data)]
		}
		if len(data) > 0 {
			copy(data[int(at)%len(data):], patch)
		}
		openAndVerify(t, writeStore(t, data))
	})
}
