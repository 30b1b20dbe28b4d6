package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ReferralRow is what lists and reports need of a referral, kept beside
// the record by every write so that neither decodes the records (a record
// holds its whole invited list).
type ReferralRow struct {
	ID        string         `json:"id"`
	Status    ReferralStatus `json:"status"`
	Authority string         `json:"authority"`
	Category  string         `json:"category"`
	ChildRef  string         `json:"child_ref"`
	Deadline  time.Time      `json:"deadline,omitzero"`
	IssuedAt  time.Time      `json:"issued_at,omitzero"`
	FollowUp  string         `json:"follow_up,omitempty"`
	Invited   int            `json:"invited"`
	Bids      int            `json:"bids"`
	Award     *AwardRow      `json:"award,omitempty"`
}

// AwardRow is what reports need of an award.
type AwardRow struct {
	Route         AwardRoute `json:"route"`
	Establishment string     `json:"establishment"`
	WeeklyPence   int64      `json:"weekly_pence"`
	At            time.Time  `json:"at"`
}

// indexReferral writes a referral's row from its record, its bids and its
// award as they are in the transaction.
func indexReferral(tx *bolt.Tx, id string) error {
	r, err := get[Referral](tx, bucketReferrals, []byte(id))
	if err != nil {
		return err
	}
	row := ReferralRow{ID: r.ID, Status: r.Status, Authority: r.Authority, Category: r.Category, ChildRef: r.ChildRef,
		Deadline: r.Deadline, IssuedAt: r.IssuedAt, FollowUp: r.FollowUp, Invited: len(r.Invited)}
	c := tx.Bucket(bucketBids).Cursor()
	prefix := compositeKey(id, "")
	for k, _ := c.Seek(prefix); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
		row.Bids++
	}
	if a, err := get[Award](tx, bucketAwards, []byte(id)); err == nil {
		row.Award = &AwardRow{Route: a.Route, Establishment: a.Establishment, WeeklyPence: a.WeeklyPence, At: a.At}
	}
	data, err := json.Marshal(row)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketReferralIndex).Put([]byte(id), data)
}

// ReferralRows lists every referral's row, sorted by id. The rows are
// decoded on every core: the reports read all of them.
func (s *Store) ReferralRows() ([]ReferralRow, error) {
	var out []ReferralRow
	err := s.view(func(tx *bolt.Tx) error {
		var vals [][]byte // valid while the transaction is open
		c := tx.Bucket(bucketReferralIndex).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			vals = append(vals, v)
		}
		out = make([]ReferralRow, len(vals))
		parts := max(1, min(runtime.GOMAXPROCS(0), len(vals)/1024))
		errs := make([]error, parts)
		var wg sync.WaitGroup
		for p := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := p * len(vals) / parts; i < (p+1)*len(vals)/parts; i++ {
					if err := json.Unmarshal(vals[i], &out[i]); err != nil {
						errs[p] = fmt.Errorf("referral row %d: %w", i, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if s.who.Authority != "" {
			out = slices.DeleteFunc(out, func(r ReferralRow) bool { return !s.sees(r.Authority) })
		}
		return errors.Join(errs...)
	})
	return out, err
}

// buildReferralIndex (2 → 3) writes every referral's row.
func buildReferralIndex(tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketReferralIndex); err != nil {
		return err
	}
	return tx.Bucket(bucketReferrals).ForEach(func(k, _ []byte) error {
		if err := indexReferral(tx, string(k)); err != nil {
			return fmt.Errorf("referral %q: %w", k, err)
		}
		return nil
	})
}
