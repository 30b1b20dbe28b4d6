package store

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"dpsdesk/engine"
	_ "time/tzdata" // UK dates on every platform, Windows included

	bolt "go.etcd.io/bbolt"
)

// Regime is the law a DPS arrangement was set up under, which decides what
// every document about a referral placed through it must be
// (shared/spec/publication-facts.md §0).
type Regime string

const (
	// RegimePCR2015 is a dynamic purchasing system set up under the Public
	// Contracts Regulations 2015 before 24 Feb 2025: it stays under them
	// until it ends, on 23 Feb 2029 at the latest (SI 2024/716 reg 5).
	// Awards are published on Contracts Finder (PCR reg 112).
	RegimePCR2015 Regime = "pcr2015-dps"
	// RegimePA2023 is a dynamic market under the Procurement Act 2023:
	// awards are published on Find a Tender (UK6, UK7) after assessment
	// summaries (PR 2024 reg 31).
	RegimePA2023 Regime = "pa2023-dynamic-market"
)

// Regimes lists the regimes, oldest first.
var Regimes = []Regime{RegimePCR2015, RegimePA2023}

// Title says a regime in words.
func (r Regime) Title() string {
	switch r {
	case RegimePCR2015:
		return "PCR 2015 dynamic purchasing system"
	case RegimePA2023:
		return "Procurement Act 2023 dynamic market"
	}
	return string(r)
}

// Dates from the law (publication-facts.md §0).
const (
	// PA2023Commenced is the first day of the Procurement Act 2023: a DPS
	// under PCR 2015 was established before it.
	PA2023Commenced = "2025-02-24"
	// PCR2015DPSLastDay is the last day any PCR 2015 DPS may run.
	PCR2015DPSLastDay = "2029-02-23"
)

// bucketArrangements holds the DPS arrangements by id. It is made by the
// first arrangement set, so stores made before it need no upgrade; a store
// without it has no arrangements, and its referrals are issued under none.
var bucketArrangements = []byte("arrangements")

// Arrangement is one DPS or dynamic market the partnership places through:
// its regime, its dates, the identifiers its notices must carry, and the
// categories placed through it. A category is placed through one
// arrangement at a time, so issuing a referral finds its arrangement
// without anyone choosing.
type Arrangement struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Regime Regime `json:"regime"`
	// Established is the day it was set up (YYYY-MM-DD): for a PCR 2015
	// DPS, before 24 Feb 2025.
	Established string `json:"established"`
	// Ends is its last day (YYYY-MM-DD), if set; a PCR 2015 DPS ends on 23
	// Feb 2029 at the latest, whatever this says.
	Ends string `json:"ends,omitempty"`
	// UniqueID is the dynamic market's unique identifier on the central
	// digital platform (PR 2024 reg 8), and OCID the ocid of its process,
	// to which every award's release relates (PA 2023 only).
	UniqueID   string   `json:"unique_id,omitempty"`
	OCID       string   `json:"ocid,omitempty"`
	Categories []string `json:"categories"`
}

var (
	ocidRE        = regexp.MustCompile(`^ocds-[a-z0-9]{6}-[A-Za-z0-9._/-]+$`)
	arrangementRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)
)

// Validate checks an arrangement field by field.
func (a *Arrangement) Validate() error {
	var p problems
	a.ID, a.Title, a.UniqueID, a.OCID = strings.TrimSpace(a.ID), strings.TrimSpace(a.Title), strings.TrimSpace(a.UniqueID), strings.TrimSpace(a.OCID)
	if !arrangementRE.MatchString(a.ID) {
		p.add("id", "%q is not an arrangement id: letters, digits, . _ - (at most 40), e.g. SET-DPS-2021", a.ID)
	}
	if a.Title == "" {
		p.add("title", "a title is required (e.g. South East Together SEND placements DPS)")
	}
	checkText(&p, "title", a.Title, MaxNameLen)
	for _, f := range []string{"established", "ends"} {
		v := map[string]string{"established": a.Established, "ends": a.Ends}[f]
		if (v != "" || f == "established") && !ValidDate(v) {
			p.add(f, "%q is not a date YYYY-MM-DD", v)
		}
	}
	if a.Ends != "" && ValidDate(a.Ends) && ValidDate(a.Established) && a.Ends < a.Established {
		p.add("ends", "%s is before it was established (%s)", a.Ends, a.Established)
	}
	switch a.Regime {
	case RegimePCR2015:
		if ValidDate(a.Established) && a.Established >= PA2023Commenced {
			p.add("established", "a PCR 2015 DPS was established before %s; one set up on %s is a Procurement Act 2023 dynamic market", PA2023Commenced, a.Established)
		}
		if a.Ends > PCR2015DPSLastDay {
			p.add("ends", "a PCR 2015 DPS ends on %s at the latest (SI 2024/716 reg 5), not %s", PCR2015DPSLastDay, a.Ends)
		}
		if a.UniqueID != "" || a.OCID != "" {
			p.add("unique_id", "a PCR 2015 DPS has no dynamic market identifier or ocid; leave them empty")
		}
	case RegimePA2023:
		if ValidDate(a.Established) && a.Established < PA2023Commenced {
			p.add("established", "a Procurement Act 2023 dynamic market is set up from %s, not %s", PA2023Commenced, a.Established)
		}
		if a.UniqueID == "" {
			p.add("unique_id", "the dynamic market's unique identifier on Find a Tender is required (every UK6 and UK7 notice carries it)")
		}
		checkText(&p, "unique_id", a.UniqueID, MaxShortLen)
		if !ocidRE.MatchString(a.OCID) {
			p.add("ocid", "%q is not an ocid such as ocds-h6vhtk-04f9c2 (the dynamic market's process on Find a Tender)", a.OCID)
		}
	default:
		p.add("regime", "unknown regime %q: must be %s or %s", a.Regime, RegimePCR2015, RegimePA2023)
	}
	if len(a.Categories) == 0 {
		p.add("categories", "at least one category is placed through it")
	}
	for _, c := range a.Categories {
		if !engine.KnownCategory(c) {
			p.add("categories", "unknown category %q", c)
		}
	}
	return p.err("arrangement " + a.ID)
}

// lastDay is the arrangement's last day, the law's limit included.
func (a *Arrangement) lastDay() string {
	end := a.Ends
	if a.Regime == RegimePCR2015 && (end == "" || end > PCR2015DPSLastDay) {
		end = PCR2015DPSLastDay
	}
	return end
}

// OpenOn reports whether referrals may be issued under it on day
// (YYYY-MM-DD, the UK date).
func (a *Arrangement) OpenOn(day string) bool {
	end := a.lastDay()
	return a.Established <= day && (end == "" || day <= end)
}

// overlaps reports whether two arrangements could both be open on one day.
func (a *Arrangement) overlaps(b *Arrangement) bool {
	ae, be := a.lastDay(), b.lastDay()
	return (ae == "" || b.Established <= ae) && (be == "" || a.Established <= be)
}

// Arrangements lists every arrangement, by id.
func (s *Store) Arrangements() ([]Arrangement, error) {
	var out []Arrangement
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = arrangementsIn(tx)
		return err
	})
	return out, err
}

// Arrangement returns one arrangement.
func (s *Store) Arrangement(id string) (Arrangement, error) {
	var a Arrangement
	err := s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketArrangements) == nil {
			return fmt.Errorf("arrangement %q: %w", id, ErrNotFound)
		}
		var err error
		a, err = get[Arrangement](tx, bucketArrangements, []byte(id))
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("arrangement %q: %w", id, ErrNotFound)
		}
		return err
	})
	return a, err
}

func arrangementsIn(tx *bolt.Tx) ([]Arrangement, error) {
	if tx.Bucket(bucketArrangements) == nil {
		return nil, nil
	}
	return all[Arrangement](tx, bucketArrangements, nil)
}

// SetArrangement adds or changes an arrangement, with its audit entry, in
// one transaction. Only an admin may. Its regime cannot change once a
// referral was issued under it, and no category may be placed through two
// arrangements open at the same time.
func (s *Store) SetArrangement(a Arrangement) error {
	if err := s.mayConfigure("a DPS arrangement"); err != nil {
		return err
	}
	a.Categories = slices.Compact(slices.Sorted(slices.Values(a.Categories)))
	if err := a.Validate(); err != nil {
		return err
	}
	return s.update(func(tx *Tx) error {
		return tx.setArrangement(a)
	})
}

func (tx *Tx) setArrangement(a Arrangement) error {
	if _, err := tx.tx.CreateBucketIfNotExists(bucketArrangements); err != nil {
		return err
	}
	old, err := get[Arrangement](tx.tx, bucketArrangements, []byte(a.ID))
	creating := errors.Is(err, ErrNotFound)
	if err != nil && !creating {
		return err
	}
	others, err := arrangementsIn(tx.tx)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == a.ID || !o.overlaps(&a) {
			continue
		}
		for _, c := range a.Categories {
			if slices.Contains(o.Categories, c) {
				return &ValidationError{"arrangement " + a.ID, []FieldError{{"categories",
					fmt.Sprintf("%s is placed through %s (%s) while this one is open too: a category goes through one arrangement at a time", c, o.ID, o.Title)}}}
			}
		}
	}
	if !creating && old.Regime != a.Regime {
		if used, err := arrangementUsed(tx.tx, a.ID); err != nil {
			return err
		} else if used != "" {
			return &ValidationError{"arrangement " + a.ID, []FieldError{{"regime",
				fmt.Sprintf("referral %s was issued under it as a %s: its regime cannot change", used, old.Regime.Title())}}}
		}
	}
	changes := diffRecords(old, a, creating)
	if len(changes) == 0 {
		return nil
	}
	if err := tx.put(bucketArrangements, []byte(a.ID), a); err != nil {
		return err
	}
	tx.audit("arrangement.set", "arrangement:"+a.ID, changes...)
	return nil
}

// arrangementUsed names a referral issued under the arrangement, if any.
func arrangementUsed(tx *bolt.Tx, id string) (string, error) {
	c := tx.Bucket(bucketReferrals).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if !strings.Contains(string(v), `"arrangement":"`+id+`"`) {
			continue
		}
		r, err := get[Referral](tx, bucketReferrals, k)
		if err != nil {
			return "", err
		}
		if r.Arrangement == id {
			return r.ID, nil
		}
	}
	return "", nil
}

// UKDate is the day an instant falls on in England: an award at 00:30 BST
// on 1 October is on 1 October.
func UKDate(t time.Time) string { return t.In(ukTime()).Format(time.DateOnly) }

// UKLocation is England's time (Europe/London, embedded in the binary).
func UKLocation() *time.Location { return ukTime() }

// ukTime is Europe/London, loaded once (from the embedded tzdata where
// the system has none).
var ukTime = sync.OnceValue(func() *time.Location {
	uk, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC // not reached: time/tzdata is embedded
	}
	return uk
})

// arrangementFor is the arrangement a referral of this category is issued
// under on the day: none when the store has no arrangements at all (a
// store from before them), else the one open that day that places the
// category, or an error saying that none does.
func arrangementFor(tx *bolt.Tx, category string, at time.Time) (*Arrangement, error) {
	as, err := arrangementsIn(tx)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	day := UKDate(at)
	for i := range as {
		if as[i].OpenOn(day) && slices.Contains(as[i].Categories, category) {
			return &as[i], nil
		}
	}
	return nil, fmt.Errorf("no DPS arrangement places the %s category on %s: an admin sets one (Setup, or `dpsdesk arrangement set`) before it is issued", category, day)
}
