package store

import (
	"bytes"
	"encoding/json"
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
	// read are the bidders' records decoded for rankings, kept across
	// changes: after a change, only what changed is decoded again.
	read decoded
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
		if c, err = competitionIn(tx, id, weight, false, day, &k.read); err != nil {
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

// decoded remembers records as decoded from the store, each beside a copy
// of the bytes it was decoded from. A record is answered from memory only
// while its stored bytes are exactly those: any change to it, however
// made, is a different value and is decoded afresh, so nothing stale is
// ever answered. Most of a ranking's time was decoding its 500 bidders'
// records and bids, which rarely change between two rankings (issue 19).
// A nil *decoded decodes every time.
type decoded struct {
	mu        sync.Mutex
	est       memo[establishmentRead]
	bid       memo[bidRead]
	frozens   memo[FrozenEstablishment]
	referrals memo[Referral]
	awards    memo[Award]
}

type establishmentRead struct {
	rec Establishment
	eng engine.Establishment
}

type bidRead struct {
	rec Bid
	eng engine.Bid
}

// memoKept bounds each kind of record remembered: past it, all of that
// kind are forgotten at once (some megabytes at most).
const memoKept = 4096

type memo[T any] struct {
	by map[string]memoEntry[T]
}

type memoEntry[T any] struct {
	raw []byte
	v   T
}

// read answers the record stored under key as raw, decoding it only if
// these bytes were not the ones last decoded for key.
func (m *memo[T]) read(key, raw []byte, decode func([]byte) (T, error)) (T, error) {
	if e, ok := m.by[string(key)]; ok && bytes.Equal(e.raw, raw) {
		return e.v, nil
	}
	v, err := decode(raw)
	if err != nil {
		return v, err
	}
	if m.by == nil || len(m.by) >= memoKept {
		m.by = map[string]memoEntry[T]{}
	}
	m.by[string(key)] = memoEntry[T]{raw: bytes.Clone(raw), v: v}
	return v, nil
}

// establishment is a register record with its engine form.
func (d *decoded) establishment(b *bolt.Bucket, id string) (Establishment, engine.Establishment, error) {
	key := []byte(id)
	raw := b.Get(key)
	if raw == nil {
		return Establishment{}, engine.Establishment{}, ErrNotFound
	}
	decode := func(raw []byte) (establishmentRead, error) {
		var e Establishment
		if err := json.Unmarshal(raw, &e); err != nil {
			return establishmentRead{}, undecodable(bucketEstablishments, key, err)
		}
		return establishmentRead{rec: e, eng: e.Engine()}, nil
	}
	var r establishmentRead
	var err error
	if d == nil {
		r, err = decode(raw)
	} else {
		d.mu.Lock()
		r, err = d.est.read(key, raw, decode)
		d.mu.Unlock()
	}
	return r.rec, r.eng, err
}

// bids are a referral's bids (the keys under prefix), with their engine
// form.
func (d *decoded) bids(tx *bolt.Tx, prefix []byte) ([]Bid, []engine.Bid, error) {
	var bids []Bid
	var eng []engine.Bid
	if d != nil {
		d.mu.Lock()
		defer d.mu.Unlock()
	}
	c := tx.Bucket(bucketBids).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		decode := func(raw []byte) (bidRead, error) {
			var b Bid
			if err := json.Unmarshal(raw, &b); err != nil {
				return bidRead{}, undecodable(bucketBids, k, err)
			}
			return bidRead{rec: b, eng: b.Engine()}, nil
		}
		var r bidRead
		var err error
		if d == nil {
			r, err = decode(v)
		} else {
			r, err = d.bid.read(k, v, decode)
		}
		if err != nil {
			return nil, nil, err
		}
		bids, eng = append(bids, r.rec), append(eng, r.eng)
	}
	return bids, eng, nil
}

// frozen is an invited establishment as the referral's latest issue froze
// it (decision.go's frozenEstablishment).
// b is the frozen bucket (nil when the store has none).
func (d *decoded) frozen(b *bolt.Bucket, r *Referral, id string) (FrozenEstablishment, bool) {
	if r.Frozen == nil || b == nil {
		return FrozenEstablishment{}, false
	}
	key := compositeKey(r.ID, r.Frozen.Round, id)
	raw := b.Get(key)
	if raw == nil {
		return FrozenEstablishment{}, false
	}
	decode := func(raw []byte) (FrozenEstablishment, error) {
		var fe FrozenEstablishment
		return fe, json.Unmarshal(raw, &fe)
	}
	var fe FrozenEstablishment
	var err error
	if d == nil {
		fe, err = decode(raw)
	} else {
		d.mu.Lock()
		fe, err = d.frozens.read(key, raw, decode)
		d.mu.Unlock()
	}
	return fe, err == nil
}

// referral is a referral's record.
func (d *decoded) referral(tx *bolt.Tx, id string) (Referral, error) {
	if d == nil {
		return get[Referral](tx, bucketReferrals, []byte(id))
	}
	return remembered(&d.mu, &d.referrals, tx, bucketReferrals, []byte(id))
}

// award is a referral's award, with the decision it rests on (evaluation
// of every bid: the largest record a ranking reads).
func (d *decoded) award(tx *bolt.Tx, id string) (Award, error) {
	if d == nil {
		return get[Award](tx, bucketAwards, []byte(id))
	}
	return remembered(&d.mu, &d.awards, tx, bucketAwards, []byte(id))
}

// remembered is get through m.
func remembered[T any](mu *sync.Mutex, m *memo[T], tx *bolt.Tx, bucket, key []byte) (T, error) {
	raw := tx.Bucket(bucket).Get(key)
	if raw == nil {
		var zero T
		return zero, ErrNotFound
	}
	mu.Lock()
	defer mu.Unlock()
	return m.read(key, raw, func(raw []byte) (T, error) {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return v, undecodable(bucket, key, err)
		}
		return v, nil
	})
}
