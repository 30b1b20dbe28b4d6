package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The store's write figures are read against bbolt itself, measured in the
// same run on the same disk: a bare transaction putting the same bytes,
// committed the same way. The ratio is the x-anchor metric, so that a
// figure means the same on any machine (issue 19).

// bigStoreDir holds the benchmarks' big store once built; TestMain
// removes it after the run (it is some hundreds of megabytes).
var bigStoreDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if bigStoreDir != "" {
		os.RemoveAll(bigStoreDir)
	}
	os.Exit(code)
}

// anchorDB is a bare bbolt file of its own in a test's temporary folder.
func anchorDB(b *testing.B) *bolt.DB {
	b.Helper()
	db, err := bolt.Open(filepath.Join(b.TempDir(), fmt.Sprintf("anchor-%d.db", time.Now().UnixNano())), 0o600, &bolt.Options{InitialMmapSize: initialMmap()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// barePut puts each key with its value in one bare transaction, committed,
// and says how long it took.
func barePut(b *testing.B, db *bolt.DB, keys, vals [][]byte) time.Duration {
	b.Helper()
	start := time.Now()
	err := db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists([]byte("anchor"))
		if err != nil {
			return err
		}
		for i := range keys {
			if err := bk.Put(keys[i], vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// allocationOwners is what f allocated on the heap, in bytes a call,
// parted between bbolt (its nodes and pages) and the desk's own (the rest:
// decoding, encoding, validation, the trail), from the runtime's allocation profile
// sampling every byte while f runs n times. The benchmark's own B/op is
// the sum; this says whose it is.
func allocationOwners(n int, f func()) (own, bbolt float64) {
	old := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = old }()
	sum := func() (own, bbolt int64) {
		// The profile is as of a completed collection: two make sure
		// every allocation of the runs is in it.
		runtime.GC()
		runtime.GC()
		var recs []runtime.MemProfileRecord
		for {
			m, ok := runtime.MemProfile(recs, true)
			if ok {
				recs = recs[:m]
				break
			}
			recs = make([]runtime.MemProfileRecord, m+50)
		}
		for _, r := range recs {
			// Whose code asked: the innermost of bbolt's and the desk's
			// functions on the stack (the desk's work inside a bbolt
			// transaction is the desk's; bbolt's pages are bbolt's).
			// This counting's own reading of the profile is neither's.
			frames := runtime.CallersFrames(r.Stack())
			owner := ""
			for owner == "" {
				fr, more := frames.Next()
				switch {
				case strings.HasPrefix(fr.Function, "go.etcd.io/bbolt"):
					owner = "bbolt"
				case strings.Contains(fr.Function, "allocationOwners"):
					owner = "count"
				case strings.HasPrefix(fr.Function, "dpsdesk/") || !more:
					owner = "desk"
				}
			}
			switch owner {
			case "bbolt":
				bbolt += r.AllocBytes
			case "desk":
				own += r.AllocBytes
			}
		}
		return own, bbolt
	}
	own0, bolt0 := sum()
	for range n {
		f()
	}
	own1, bolt1 := sum()
	return float64(own1-own0) / float64(n), float64(bolt1-bolt0) / float64(n)
}

// allocatedBy is what f allocated on the heap, in bytes.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// reportAnchor reports the anchor's time per operation and the ratio of
// the benchmark's own time to it.
func reportAnchor(b *testing.B, own, anchor time.Duration, n int) {
	if n == 0 || anchor <= 0 {
		return
	}
	b.ReportMetric(float64(anchor.Nanoseconds())/float64(n), "anchor-ns/op")
	b.ReportMetric(float64(own)/float64(anchor), "x-anchor")
}

// BenchmarkBarePut is the anchor alone: one bare bbolt transaction putting
// one establishment's bytes (as the store holds them) under its key,
// committed to disk.
func BenchmarkBarePut(b *testing.B) {
	db := anchorDB(b)
	e := sampleEstablishment("E-000042")
	val := mustJSON(b, e)
	key := []byte(e.ID)
	i := 0
	for b.Loop() {
		i++
		val[len(val)-2] = byte('0' + i%10) // a new value each time
		barePut(b, db, [][]byte{key}, [][]byte{val})
	}
}

func mustJSON(b *testing.B, v any) []byte {
	b.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// bareWriteOf is the import's anchor: the time a bare bbolt transaction
// takes to put every record the store holds (what the import wrote: the
// establishments, their listing, providers, the trail and the seals) into
// a new file of its own, committed, and what bbolt allocated to do it.
func bareWriteOf(b *testing.B, s *Store) (time.Duration, uint64) {
	b.Helper()
	var keys, vals [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				keys = append(keys, append(append([]byte{}, name...), k...))
				vals = append(vals, bytes.Clone(v))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	db := anchorDB(b)
	var took time.Duration
	allocs := allocatedBy(func() { took = barePut(b, db, keys, vals) })
	return took, allocs
}

// BenchmarkBarePutBigStore is what bbolt itself costs for the writes one
// audited change makes in the big store, without the desk: the same
// record's bytes, its listing row, an entry at the end of the trail and
// the two seals, put bare into a copy of the big store in one transaction.
// Each bucket's path from root to leaf is read into memory and rewritten
// (bbolt's copy on write), so this is the floor of BenchmarkAuditedChange's
// time and memory with the store's layout.
func BenchmarkBarePutBigStore(b *testing.B) {
	path, err := bigStore()
	if err != nil {
		b.Fatal(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	cp := filepath.Join(b.TempDir(), "copy.db")
	if err := os.WriteFile(cp, src, 0o600); err != nil {
		b.Fatal(err)
	}
	src = nil
	db, err := bolt.Open(cp, 0o600, &bolt.Options{InitialMmapSize: initialMmap()})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var rec, row, entry []byte
	db.View(func(tx *bolt.Tx) error {
		rec = bytes.Clone(tx.Bucket(bucketEstablishments).Get([]byte("E-000042")))
		row = bytes.Clone(tx.Bucket(bucketRegister).Get([]byte("E-000042")))
		_, v := tx.Bucket(bucketAudit).Cursor().Last()
		entry = bytes.Clone(v)
		return nil
	})
	seal := make([]byte, 40)
	for b.Loop() {
		err := db.Update(func(tx *bolt.Tx) error {
			tx.Bucket(bucketEstablishments).Put([]byte("E-000042"), rec)
			tx.Bucket(bucketRegister).Put([]byte("E-000042"), row)
			a := tx.Bucket(bucketAudit)
			seq, _ := a.NextSequence()
			a.Put(u64(seq), entry)
			tx.Bucket(bucketSeals).Put(sealKey(bucketEstablishments, []byte("E-000042")), seal)
			tx.Bucket(bucketSeals).Put(sealKey(bucketRegister, []byte("E-000042")), seal)
			return tx.Bucket(bucketMeta).Put(keyAuditHead, seal)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
