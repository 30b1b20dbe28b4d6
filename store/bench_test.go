package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// bigStore is built once per test binary: 10,000 establishments, 50,000
// referrals and 500,000 bids (issue 3's sizing). Records are written
// straight into the buckets in large transactions, as a fixture.
var bigStore = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "dpsdesk-bench")
	if err != nil {
		return "", err
	}
	bigStoreDir = dir
	path := filepath.Join(dir, "big.db")
	s, err := Open(path, Options{Actor: "bench"})
	if err != nil {
		return "", err
	}
	if _, err := s.ImportRegister(bytes.NewReader(largeRegisterCSV(10000)), nil); err != nil {
		return "", err
	}
	const referrals, bidsEach = 50000, 10
	err = s.db.Update(func(tx *bolt.Tx) error {
		for i := range referrals {
			r := Referral{ID: fmt.Sprintf("REF-%06d", i), Authority: SeedAuthorities()[i%7].Code, ChildRef: fmt.Sprintf("WSCC/%06d", i),
				Category: engine.CategoryIDs()[i%6], HomePostcode: "RH12 1", RadiusMiles: 20, QualityWeight: 50, Status: RefAwarded,
				IssuedAt: time.Date(2026, 9, 1+i%90, 9, 0, 0, 0, time.UTC),
				Needs:    []engine.Need{{ID: "ASD", Mark: 1}}, Invited: []string{"E-000001", "E-000002"}}
			data, _ := json.Marshal(r)
			if err := tx.Bucket(bucketReferrals).Put([]byte(r.ID), data); err != nil {
				return err
			}
			if i%2 == 0 {
				a := Award{Referral: r.ID, Establishment: fmt.Sprintf("E-%06d", i%10000), Route: RouteCompetition,
					WeeklyPence: int64(150000 + i%700*100), Start: "2026-12-01", DecidedBy: "bench", At: time.Date(2026, 10, 1+i%60, 9, 0, 0, 0, time.UTC)}
				data, _ := json.Marshal(a)
				if err := tx.Bucket(bucketAwards).Put([]byte(r.ID), data); err != nil {
					return err
				}
			}
			for j := range bidsEach {
				b := Bid{Referral: r.ID, Establishment: fmt.Sprintf("E-%06d", (i+j)%10000), CoreWeeklyPence: 150000,
					VariableWeeklyPence: 30000, OutcomesScore: 70, NeedsMet: []string{"ASD"}}
				data, _ := json.Marshal(b)
				if err := tx.Bucket(bucketBids).Put(compositeKey(b.Referral, b.Establishment), data); err != nil {
					return err
				}
			}
		}
		return buildReferralIndex(tx)
	})
	s.Close()
	return path, err
})

// BenchmarkOpenFirstScreen opens the big store and reads what the desk's
// first screen shows: the register listing (issue 3: under 200 ms).
func BenchmarkOpenFirstScreen(b *testing.B) {
	path, err := bigStore()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := Open(path, Options{Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := s.Register()
		if err != nil || len(rows) != 10000 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
		s.Close()
	}
}

// BenchmarkAuditedChange is one establishment saved with its audit entry,
// committed to disk, in the big store (issue 3: under 10 ms).
func BenchmarkAuditedChange(b *testing.B) {
	path, err := bigStore()
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(path, Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	e, err := s.Establishment("E-000042")
	if err != nil {
		b.Fatal(err)
	}
	// The anchor, interleaved so that both see the same load: a bare
	// bbolt put of the same record's bytes, committed (bench_anchor_test.go).
	db := anchorDB(b)
	key, val := []byte(e.ID), mustJSON(b, e)
	var own, anchor time.Duration
	i := int64(0)
	for b.Loop() {
		i++
		e.CoreWeeklyPence = 100000 + i
		start := time.Now()
		if err := s.SaveEstablishment(e, ""); err != nil {
			b.Fatal(err)
		}
		own += time.Since(start)
		b.StopTimer()
		val[len(val)-2] = byte('0' + i%10)
		anchor += barePut(b, db, [][]byte{key}, [][]byte{val})
		b.StartTimer()
	}
	reportAnchor(b, own, anchor, int(i))
	// Whose the allocation is: the desk's own, and bbolt's copy on
	// write of the paths the change rewrites (outside the timing).
	b.StopTimer()
	mine, bbolts := allocationOwners(50, func() {
		i++
		e.CoreWeeklyPence = 100000 + i
		if err := s.SaveEstablishment(e, ""); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(mine, "own-B/op")
	b.ReportMetric(bbolts, "bbolt-B/op")
}

// BenchmarkImport10000 imports 10,000 register rows into a new store
// (issue 3: under 2 s).
func BenchmarkImport10000(b *testing.B) {
	data := largeRegisterCSV(10000)
	var own, anchor time.Duration
	var anchorBytes uint64
	n := 0
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), fmt.Sprint(time.Now().UnixNano()))
		s, err := Open(path, Options{Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if _, err := s.ImportRegister(bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
		own += time.Since(start)
		b.StopTimer()
		took, allocs := bareWriteOf(b, s) // bench_anchor_test.go
		anchor, anchorBytes = anchor+took, anchorBytes+allocs
		s.Close()
		b.StartTimer()
		n++
	}
	reportAnchor(b, own, anchor, n)
	if n > 0 {
		// What bbolt alone allocates to write the same bytes: the floor
		// of the import's own allocation.
		b.ReportMetric(float64(anchorBytes)/float64(n), "anchor-B/op")
	}
	// Whose the import's allocation is (one more import, untimed).
	b.StopTimer()
	s, err := Open(filepath.Join(b.TempDir(), "owners.db"), Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mine, bbolts := allocationOwners(1, func() {
		if _, err := s.ImportRegister(bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(mine, "own-B/op")
	b.ReportMetric(bbolts, "bbolt-B/op")
}

// BenchmarkReport50000 works out the reports screen's figures over 50,000
// referrals (25,000 awarded) and 500,000 bids (issue 7: under 200 ms).
func BenchmarkReport50000(b *testing.B) {
	path, err := bigStore()
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(path, Options{Actor: "bench", ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		rep, err := s.Report(ReportFilter{})
		if err != nil || rep.Awards != 25000 || rep.Issued != 50000 {
			b.Fatalf("%d awards, %d issued, %v", rep.Awards, rep.Issued, err)
		}
	}
}
