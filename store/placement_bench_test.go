package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// placementStore is built once per test binary: 10,000 qualified sen
// establishments and 20,000 live sen placements, each with two reviews
// (issue 16's sizing). Placements are written straight into their
// buckets, as a fixture.
var placementStore = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "dpsdesk-bench-placements")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "placements.db")
	s, err := Open(path, Options{Actor: "bench"})
	if err != nil {
		return "", err
	}
	defer s.Close()
	if _, err := s.ImportRegister(bytes.NewReader(largeRegisterCSV(10000)), nil); err != nil {
		return "", err
	}
	return path, s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketPlacements, bucketPlacementIndex, bucketPlacementCosts} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		for i := range 20000 {
			p := benchPlacement(i)
			data, _ := json.Marshal(p.Costs)
			if err := tx.Bucket(bucketPlacementCosts).Put([]byte(p.ID), data); err != nil {
				return err
			}
			row := p.Row()
			p.Costs = nil
			data, _ = json.Marshal(p)
			if err := tx.Bucket(bucketPlacements).Put([]byte(p.ID), data); err != nil {
				return err
			}
			data, _ = json.Marshal(row)
			if err := tx.Bucket(bucketPlacementIndex).Put([]byte(p.ID), data); err != nil {
				return err
			}
		}
		return nil
	})
})

func benchPlacement(i int) Placement {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%600)
	c := CostPeriod{From: start.Format(time.DateOnly), CoreWeeklyPence: int64(100000 + i%100*1000), VariableWeeklyPence: 30000, Why: "award", By: "bench", At: start}
	c.net()
	p := Placement{ID: fmt.Sprintf("REF-%06d", i), Authority: SeedAuthorities()[i%7].Code, ChildRef: fmt.Sprintf("X/%06d", i), Category: engine.CategorySEN,
		Establishment: fmt.Sprintf("E-%06d", i%10000), Name: fmt.Sprintf("Establishment %d", i%10000), Route: RouteCompetition, Start: c.From,
		Costs: []CostPeriod{c}, Needs: []engine.Need{{ID: "ASD", Mark: 1}}, Outcomes: []string{"attends full time", "travels independently"},
		Status: PlacementLive, Created: start}
	for n := range 2 {
		d := start.AddDate(0, 0, 42+183*n).Format(time.DateOnly)
		p.Reviews = append(p.Reviews, Review{Date: d, Findings: []OutcomeFinding{{Outcome: "attends full time", Result: engine.OutcomeMet}, {Outcome: "travels independently", Result: engine.OutcomeProgressing}},
			Ratings: engine.DeliveryRatings{Workforce: 70, OutcomesFramework: 75, ContractManagement: 80}, By: "bench", At: start})
	}
	return p
}

// BenchmarkPlacementRows reads the 20,000 placements' listing rows, what
// the Placements tab opens on (issue 16: the tab under 100 ms).
func BenchmarkPlacementRows(b *testing.B) {
	path, err := placementStore()
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(path, Options{Actor: "bench", ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		rows, err := s.PlacementRows()
		if err != nil || len(rows) != 20000 {
			b.Fatal(len(rows), err)
		}
	}
}

// BenchmarkApplyUplift applies a sen uplift to 10,000 establishments and
// 20,000 live placements in one transaction, committed and sealed (issue
// 16: under 2 s). Each run starts from a fresh copy of the fixture.
func BenchmarkApplyUplift(b *testing.B) {
	src, err := placementStore()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "u.db")
		copyBenchFile(b, src, path)
		copyBenchFile(b, KeyPathFor(src), KeyPathFor(path))
		s, err := Open(path, Options{Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		pv, err := s.ApplyUplift(UpliftRequest{Category: engine.CategorySEN, Percent: 250, From: "2026-04-01"})
		b.StopTimer()
		if err != nil || len(pv.Establishments) != 10000 || len(pv.Placements) != 20000 {
			b.Fatal(err)
		}
		s.Close()
		b.StartTimer()
	}
}

func copyBenchFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
