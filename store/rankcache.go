package store

import (
	"sync"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// rankings remembers the rankings worked out since the store last
// changed: the ranked view asks on opening, after every what-if and on
// every change anywhere, the meeting screen and the award form ask too,
// and reading 500 bidders' records is most of the work. A ranking is
// good while no write has committed (bbolt's transaction id says so) and
// the day is the same (standing is taken on the day); a what-if weight
// re-scores the competition already read.
type rankings struct {
	mu   sync.Mutex
	txid int
	day  string
	by   map[rankKey]ranking
}

type rankKey struct {
	id     string
	weight int
}

type ranking struct {
	res engine.Result
	c   *Competition
}

// rankingsKept bounds the memory: past it, the oldest are dropped all at
// once.
const rankingsKept = 64

// rank is the ranking of referral id with a what-if weight (0: its own),
// read in tx on day.
func (k *rankings) rank(tx *bolt.Tx, id string, weight int, day time.Time) (ranking, error) {
	txid, date := tx.ID(), day.Format(time.DateOnly)
	k.mu.Lock()
	if k.txid != txid || k.day != date || len(k.by) >= rankingsKept {
		k.txid, k.day, k.by = txid, date, map[rankKey]ranking{}
	}
	if r, ok := k.by[rankKey{id, weight}]; ok {
		k.mu.Unlock()
		return r, nil
	}
	// The same competition read for another weight: score it again.
	var read *Competition
	for key, r := range k.by {
		if key.id == id {
			read = r.c
			break
		}
	}
	k.mu.Unlock()
	var c *Competition
	if read != nil {
		cc := *read
		cc.Engine.Referral.QualityWeight = cc.Referral.QualityWeight
		if weight != 0 {
			cc.Engine.Referral.QualityWeight = weight
		}
		c = &cc
	} else {
		var err error
		if c, err = competitionIn(tx, id, weight, false, day); err != nil {
			return ranking{}, err
		}
	}
	r := ranking{c: c}
	if c.Decision != nil && (weight == 0 || weight == c.Referral.QualityWeight) {
		r.res = c.Decision.Result // the evaluation as awarded, never recomputed
	} else {
		r.res = engine.Evaluate(&c.Engine)
	}
	k.mu.Lock()
	if k.txid == txid && k.day == date {
		k.by[rankKey{id, weight}] = r
	}
	k.mu.Unlock()
	return r, nil
}
