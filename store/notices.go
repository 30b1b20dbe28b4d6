package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bucketNotices holds, by referral, the dates publication needs that the
// award itself does not say. Made by the first one recorded.
var bucketNotices = []byte("notices")

// NoticeDates are what an officer records after an award under a
// Procurement Act 2023 dynamic market, for its notices: the day the
// assessment summaries were sent (PR 2024 reg 31; UK6 says it), the end of
// a voluntary standstill if one is set (none is required for dynamic-market
// or light-touch awards, PA 2023 s.51(3)), and the day the contract was
// entered into (UK7 is due 120 days after it for a light-touch contract,
// s.53(1)). Each is YYYY-MM-DD, or empty when not yet so.
type NoticeDates struct {
	Referral      string `json:"referral"`
	SummariesSent string `json:"summaries_sent,omitempty"`
	StandstillEnd string `json:"standstill_end,omitempty"`
	EnteredInto   string `json:"entered_into,omitempty"`
}

// NoticeDatesOf returns what is recorded for a referral (zero when none).
func (s *Store) NoticeDatesOf(referral string) (NoticeDates, error) {
	n := NoticeDates{Referral: referral}
	err := s.view(func(tx *bolt.Tx) error {
		if err := s.mayReferralIn(tx, referral); err != nil {
			return err
		}
		if tx.Bucket(bucketNotices) == nil {
			return nil
		}
		got, err := get[NoticeDates](tx, bucketNotices, []byte(referral))
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		n = got
		return err
	})
	return n, err
}

// AllNoticeDates returns every referral's notice dates this handle may
// see, by referral.
func (s *Store) AllNoticeDates() (map[string]NoticeDates, error) {
	out := map[string]NoticeDates{}
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketNotices) == nil {
			return nil
		}
		all, err := all[NoticeDates](tx, bucketNotices, nil)
		for _, n := range all {
			if s.mayReferralIn(tx, n.Referral) == nil {
				out[n.Referral] = n
			}
		}
		return err
	})
	return out, err
}

// SetNoticeDates records a referral's notice dates, with its audit entry,
// in one transaction. The referral must be awarded under a Procurement Act
// 2023 dynamic market; summaries are sent on or after the award, the
// standstill ends after they are sent, and the contract is entered into
// after the standstill (s.51(4)).
func (s *Store) SetNoticeDates(n NoticeDates) error {
	if err := s.mayWrite(); err != nil {
		return err
	}
	var p problems
	for _, f := range [][2]string{{"summaries_sent", n.SummariesSent}, {"standstill_end", n.StandstillEnd}, {"entered_into", n.EnteredInto}} {
		if f[1] != "" && !ValidDate(f[1]) {
			p.add(f[0], "%q is not a date YYYY-MM-DD", f[1])
		}
	}
	if err := p.err("notice dates of " + n.Referral); err != nil {
		return err
	}
	return s.update(func(tx *Tx) error {
		r, err := tx.referral(n.Referral)
		if err != nil {
			return err
		}
		if r.Regime != RegimePA2023 {
			return fmt.Errorf("%s was issued under %s: assessment summaries, standstill and contract details notices are Procurement Act 2023 duties (%w)", r.ID, regimeWords(r), ErrWrongRegime)
		}
		a, err := get[Award](tx.tx, bucketAwards, []byte(r.ID))
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%s has not been awarded yet", r.ID)
		} else if err != nil {
			return err
		}
		day := UKDate(a.At)
		var p problems
		if n.SummariesSent != "" && n.SummariesSent < day {
			p.add("summaries_sent", "%s is before the award (%s)", n.SummariesSent, day)
		}
		if n.StandstillEnd != "" && n.SummariesSent != "" && n.StandstillEnd <= n.SummariesSent {
			p.add("standstill_end", "%s is not after the summaries were sent (%s)", n.StandstillEnd, n.SummariesSent)
		}
		if n.EnteredInto != "" && n.EnteredInto < day {
			p.add("entered_into", "%s is before the award (%s)", n.EnteredInto, day)
		}
		if n.EnteredInto != "" && n.StandstillEnd != "" && n.EnteredInto <= n.StandstillEnd {
			p.add("entered_into", "%s is not after the voluntary standstill ends (%s): the contract cannot be entered into before then (s.51(4))", n.EnteredInto, n.StandstillEnd)
		}
		if err := p.err("notice dates of " + r.ID); err != nil {
			return err
		}
		if _, err := tx.tx.CreateBucketIfNotExists(bucketNotices); err != nil {
			return err
		}
		old, err := get[NoticeDates](tx.tx, bucketNotices, []byte(r.ID))
		creating := errors.Is(err, ErrNotFound)
		if err != nil && !creating {
			return err
		}
		changes := diffRecords(old, n, creating)
		if len(changes) == 0 {
			return nil
		}
		if err := tx.put(bucketNotices, []byte(r.ID), n); err != nil {
			return err
		}
		tx.audit("notice.dates", r.ID, changes...)
		return nil
	})
}

// ErrWrongRegime is a document or a step that belongs to the other regime
// than the one a referral was issued under.
var ErrWrongRegime = errors.New("not this referral's regime")

// regimeWords says which arrangement and regime a referral was issued under.
func regimeWords(r Referral) string {
	if r.Arrangement == "" {
		return "no DPS arrangement (issued before arrangements were set)"
	}
	return fmt.Sprintf("%s, a %s", r.Arrangement, r.Regime.Title())
}

// RegimeWords says which arrangement and regime a referral was issued
// under, for messages.
func RegimeWords(r Referral) string { return regimeWords(r) }
