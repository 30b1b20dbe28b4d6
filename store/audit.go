package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AuditEntry is one change to the store: who, when, what, to which record.
// Entries are chained: Prev is the hash of the entry before, and Hash is
// taken over the very bytes stored for this entry (seal.go), so an edited,
// removed or reordered entry breaks the chain. The bytes stored are always
// json.Marshal of the entry, the hash last: Verify refuses any other bytes
// for it (readEntry), whatever they decode to.
type AuditEntry struct {
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Record  string    `json:"record"`
	Changes []Change  `json:"changes,omitempty"`
	Prev    string    `json:"prev"`
	Hash    string    `json:"hash"`
}

// genesis is the Prev of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// readEntry decodes a stored entry strictly: its bytes must be exactly
// what the desk writes for the entry they decode to. A field added, a key
// in another case or order, a key twice, other spacing or escapes: each
// decodes to an entry (encoding/json is lenient) but is not what was
// written, and noncanonical says how it differs ("" when it does not).
func readEntry(v []byte) (e AuditEntry, noncanonical string, err error) {
	if err := json.Unmarshal(v, &e); err != nil {
		return e, "", err
	}
	want, err := json.Marshal(e)
	if err != nil {
		return e, "", err
	}
	if !bytes.Equal(want, v) {
		noncanonical = jsonDifference(v, want)
	}
	return e, noncanonical, nil
}

// legacySum is the hash of an entry written before the key (schema 3 and
// earlier): SHA-256 of its prev and its stored bytes with the hash empty.
// ok is false when the bytes do not end with the hash.
func legacySum(prev string, v []byte) (string, bool) {
	at := hashAt(v)
	if at < 0 {
		return "", false
	}
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(v[:at])
	h.Write([]byte(`"}`))
	return hex.EncodeToString(h.Sum(nil)), true
}

// appendAudit writes entries after the current head, each sealed with the
// key, moves the head and seals it; it returns the last sequence.
func appendAudit(tx *bolt.Tx, entries []AuditEntry, m macer) (uint64, error) {
	b := tx.Bucket(bucketAudit)
	meta := tx.Bucket(bucketMeta)
	prev := genesis
	if head := meta.Get(keyAuditHead); len(head) == 8+sha256.Size {
		prev = hex.EncodeToString(head[8:])
	}
	var head []byte
	var seq uint64
	for _, e := range entries {
		var err error
		if seq, err = b.NextSequence(); err != nil {
			return 0, err
		}
		e.Seq, e.Prev = seq, prev
		data, sum, err := sealEntry(e, m)
		if err != nil {
			return 0, err
		}
		if err := b.Put(u64(seq), data); err != nil {
			return 0, err
		}
		prev = sum
		head = append(u64(seq), mustHex(sum)...)
	}
	if err := meta.Put(keyAuditHead, head); err != nil {
		return 0, err
	}
	return seq, meta.Put(keyAuditHeadSeal, m.sum(nil, []byte("head"), head))
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	Since  time.Time // at or after
	Until  time.Time // before
	Record string
	Actor  string
	Action string // a prefix, e.g. "establishment."
	// Limit keeps the newest Limit entries when positive.
	Limit int
}

func (f AuditFilter) match(e *AuditEntry) bool {
	return (f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(f.Until.IsZero() || e.Time.Before(f.Until)) &&
		(f.Record == "" || e.Record == f.Record) &&
		(f.Actor == "" || e.Actor == f.Actor) &&
		(f.Action == "" || len(e.Action) >= len(f.Action) && e.Action[:len(f.Action)] == f.Action)
}

// Audit returns the entries that match, oldest first.
func (s *Store) Audit(f AuditFilter) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.view(func(tx *bolt.Tx) error {
		match := f.match
		if s.who.Authority != "" {
			// Another authority's referrals, bids and awards are not
			// this handle's to see, in the trail either.
			seen := map[string]bool{}
			match = func(e *AuditEntry) bool {
				if !f.match(e) {
					return false
				}
				ok, known := seen[e.Record]
				if !known {
					ok = s.mayReferralIn(tx, e.Record) == nil
					seen[e.Record] = ok
				}
				return ok
			}
		}
		c := tx.Bucket(bucketAudit).Cursor()
		if f.Limit > 0 {
			// Newest first until we have enough, then reverse.
			for k, v := c.Last(); k != nil && len(out) < f.Limit; k, v = c.Prev() {
				var e AuditEntry
				if err := json.Unmarshal(v, &e); err != nil {
					return fmt.Errorf("audit entry %d: %w", binary.BigEndian.Uint64(k), err)
				}
				if match(&e) {
					out = append(out, e)
				}
			}
			for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
				out[i], out[j] = out[j], out[i]
			}
			return nil
		}
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("audit entry %d: %w", binary.BigEndian.Uint64(k), err)
			}
			if match(&e) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

// Problem is one thing Verify found wrong.
type Problem struct {
	Seq     uint64 // the audit entry, or 0 for the file itself
	Message string
}

func (p Problem) String() string {
	if p.Seq == 0 {
		return p.Message
	}
	return fmt.Sprintf("audit entry %d: %s", p.Seq, p.Message)
}

// Verify checks every bucket, every record (that it decodes) and the whole
// audit chain. It returns every problem found; none means the store is
// sound as far as records go. bbolt's page check is CheckPages. A damaged
// page is a problem, never a crash.
func (s *Store) Verify() ([]Problem, error) {
	var ps []Problem
	err := guard(s.path, func() error {
		return s.view(func(tx *bolt.Tx) error {
			ps = append(ps, walk(tx, true)...)
			if tx.Bucket(bucketAudit) == nil || tx.Bucket(bucketMeta) == nil {
				return nil
			}
			chain, last := verifyChain(tx, s.key)
			ps = append(ps, chain...)
			if tx.Bucket(bucketMeta).Get(keyKeyedFrom) != nil {
				if s.key == nil {
					ps = append(ps, Problem{Message: fmt.Sprintf("the audit key %s is missing: the trail's seals and the records' cannot be checked (give --key PATH)", s.keyPath)})
				} else if !bytes.Equal(tx.Bucket(bucketMeta).Get(keyKeyID), keyID(s.key)) {
					ps = append(ps, Problem{Message: fmt.Sprintf("the audit key %s is not this store's: its seals cannot be checked (give --key PATH)", s.keyPath)})
				} else {
					ps = append(ps, verifySeals(tx, s.key, last)...)
				}
			}
			return nil
		})
	})
	var de *DamagedError
	if errors.As(err, &de) {
		return append(ps, Problem{Message: "file: " + de.Reason}), nil
	}
	return ps, err
}

// verifyChain walks the audit entries in key order checking that each
// entry's bytes are exactly what the desk writes for it (with the key or
// without), its sequence, its link and its hash over those bytes (the
// key's HMAC from keyed_from on, when the key is given; SHA-256 before),
// and that the chain ends at the recorded, sealed head. It returns the
// last sequence found.
func verifyChain(tx *bolt.Tx, key []byte) ([]Problem, uint64) {
	var ps []Problem
	meta := tx.Bucket(bucketMeta)
	keyedFrom := uint64(0)
	if v := meta.Get(keyKeyedFrom); len(v) == 8 {
		keyedFrom = binary.BigEndian.Uint64(v)
	}
	keyOK := key != nil && bytes.Equal(meta.Get(keyKeyID), keyID(key))
	prev, want := genesis, uint64(1)
	var last uint64
	c := tx.Bucket(bucketAudit).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			ps = append(ps, Problem{Message: fmt.Sprintf("audit key %x is not a sequence number", k)})
			continue
		}
		seq := binary.BigEndian.Uint64(k)
		e, odd, err := readEntry(v)
		if err != nil {
			ps = append(ps, Problem{seq, "unreadable: " + err.Error()})
			continue
		}
		if seq != want {
			ps = append(ps, Problem{seq, fmt.Sprintf("follows entry %d: entries %d to %d are missing", want-1, want, seq-1)})
		}
		if e.Seq != seq {
			ps = append(ps, Problem{seq, fmt.Sprintf("is stored at %d but says it is %d: entries were moved", seq, e.Seq)})
		}
		if e.Prev != prev {
			ps = append(ps, Problem{seq, "does not follow the entry before it: an entry was removed, inserted or reordered"})
		}
		if keyedFrom != 0 && seq >= keyedFrom {
			if keyOK && !entrySealOK(v, key) {
				ps = append(ps, Problem{seq, "its content does not match its hash: it was edited (or rewritten without the key)"})
			}
		} else if sum, ok := legacySum(e.Prev, v); !ok || sum != e.Hash {
			ps = append(ps, Problem{seq, "its content does not match its hash: it was edited"})
		}
		if odd != "" {
			ps = append(ps, Problem{seq, "its bytes are not what dpsdesk writes for it: " + odd})
		}
		prev, want, last = e.Hash, seq+1, seq
	}
	head := meta.Get(keyAuditHead)
	switch {
	case len(head) != 8+sha256.Size:
		if last != 0 {
			ps = append(ps, Problem{Message: "the audit trail's head is missing from meta"})
		}
	case binary.BigEndian.Uint64(head[:8]) != last:
		ps = append(ps, Problem{Message: fmt.Sprintf("the audit trail ends at entry %d but the last entry written was %d: entries at the end were removed", last, binary.BigEndian.Uint64(head[:8]))})
	case !bytes.Equal(head[8:], mustHex(prev)):
		ps = append(ps, Problem{Message: "the last audit entry is not the one written last"})
	}
	if keyedFrom != 0 && keyOK && len(head) == 8+sha256.Size && !hmac.Equal(meta.Get(keyAuditHeadSeal), headSeal(key, head)) {
		ps = append(ps, Problem{Message: "the audit trail's head was moved without the key: entries at the end were removed or rewritten"})
	}
	return ps, last
}

func mustHex(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}
