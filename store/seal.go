package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// The audit trail is sealed with a key kept apart from the store (a file
// beside it, dpsdesk.key for dpsdesk.db, or wherever --key says): whoever
// holds the store file alone cannot rewrite history or change a record
// without it showing.
//
//   - Each audit entry's hash is HMAC-SHA256 under the key of the exact
//     bytes stored for it (with the hash's own 64 digits as zeros), and each
//     entry names the one before it (prev): an edited, inserted, removed or
//     reordered entry, or one with a field added, breaks the chain, and a
//     chain recomputed without the key does not verify.
//   - The head (the last entry's sequence and hash) is sealed too, so the
//     last entries cannot be cut off and the head moved back.
//   - Every record written through the trail is sealed with the sequence
//     of the audit entry that wrote it: a record changed, added or removed
//     outside the trail is found.
//
// Entries written before the key (schema 3 and earlier) keep their
// SHA-256 chain; the first sealed entry names the last of them, which
// seals them in turn.

var (
	bucketSeals        = []byte("seals")
	keyKeyedFrom       = []byte("keyed_from")
	keyKeyID           = []byte("key_id")
	keyKeyPath         = []byte("key_path")
	keyAuditHeadSeal   = []byte("audit_head_seal")
	sealedBuckets      = [][]byte{bucketAuthorities, bucketCategories, bucketProviders, bucketEstablishments, bucketRegister, bucketSuspensions, bucketReferrals, bucketBids, bucketAwards, bucketProfiles, bucketFrozen, bucketArrangements, bucketNotices}
	keyFileHeader      = "dpsdesk audit key v1"
	zeroHash           = strings.Repeat("0", 64)
	ErrNoKey           = errors.New("the audit key is missing")
	errKeyNotThisStore = errors.New("the audit key is not this store's")
)

// KeyPathFor is where the key of the store at path is kept by default:
// beside it, with .key for its extension.
func KeyPathFor(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".key"
}

// readKey reads a key file; a missing file is (nil, nil).
func readKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > 4096 {
		return nil, fmt.Errorf("the audit key %s is not a key file", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("the audit key %s can be read or changed by others (mode %04o): make it private with chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head, hexKey, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
	key, err := hex.DecodeString(strings.TrimSpace(hexKey))
	if head != keyFileHeader || err != nil || len(key) != 32 {
		return nil, fmt.Errorf("the audit key %s is not a dpsdesk key file", path)
	}
	return key, nil
}

// ensureKey reads the key at path, making a new one (0600) when there is
// none.
func ensureKey(path string) ([]byte, error) {
	if key, err := readKey(path); err != nil || key != nil {
		return key, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	// Written whole beside it, then linked into place: a kill part way
	// leaves no half key that would block the next init.
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write the audit key %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	err = f.Chmod(0o600)
	if err == nil {
		_, err = fmt.Fprintf(f, "%s\n%s\n", keyFileHeader, hex.EncodeToString(key))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("cannot write the audit key %s: %w", path, err)
	}
	if err := os.Link(tmp, path); errors.Is(err, fs.ErrExist) {
		return readKey(path) // made meanwhile
	} else if err != nil {
		return nil, fmt.Errorf("cannot write the audit key %s: %w", path, err)
	}
	return key, nil
}

func mac(key []byte, parts ...[]byte) []byte { return newMacer(key).sum(nil, parts...) }

// macer is the key's HMAC, made once for the several a transaction takes.
type macer struct{ h hash.Hash }

func newMacer(key []byte) macer { return macer{hmac.New(sha256.New, key)} }

// sum appends the MAC of the parts (each with its length first) to dst.
func (m macer) sum(dst []byte, parts ...[]byte) []byte {
	m.h.Reset()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		m.h.Write(n[:])
		m.h.Write(p)
	}
	return m.h.Sum(dst)
}

func keyID(key []byte) []byte { return mac(key, []byte("dpsdesk key id"))[:8] }

// sealEntry encodes an entry with its hash: the MAC of the very bytes
// stored, with the hash written as 64 zeros.
func sealEntry(e AuditEntry, m macer) ([]byte, string, error) {
	e.Hash = zeroHash
	data, err := json.Marshal(e)
	if err != nil {
		return nil, "", err
	}
	at := hashAt(data)
	if at < 0 {
		return nil, "", errors.New("audit entry: the hash is not at the end of its encoding")
	}
	var sum [sha256.Size]byte
	hex.Encode(data[at:at+64], m.sum(sum[:0], []byte("entry"), data))
	return data, string(data[at : at+64]), nil
}

// hashAt is where the hash's 64 digits start in a stored entry: it must
// end `"hash":"<64 hex digits>"}`; -1 when it does not.
func hashAt(data []byte) int {
	const tail = len(`"hash":"`) + 64 + len(`"}`)
	if len(data) < tail+1 || !bytes.HasSuffix(data, []byte(`"}`)) || !bytes.Equal(data[len(data)-tail:len(data)-tail+8], []byte(`"hash":"`)) {
		return -1
	}
	at := len(data) - 66
	for _, c := range data[at : at+64] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return -1
		}
	}
	return at
}

// entrySealOK reports whether a stored entry's hash is the MAC of its
// bytes.
func entrySealOK(data, key []byte) bool {
	at := hashAt(data)
	if at < 0 {
		return false
	}
	zeroed := bytes.Clone(data)
	copy(zeroed[at:], zeroHash)
	want := hex.EncodeToString(mac(key, []byte("entry"), zeroed))
	return hmac.Equal([]byte(want), data[at:at+64])
}

func headSeal(key, head []byte) []byte { return mac(key, []byte("head"), head) }

func recordSeal(key, bucket, k, v []byte, seq uint64) []byte {
	return mac(key, []byte("record"), bucket, k, u64(seq), v)
}

func sealKey(bucket, k []byte) []byte {
	return append(append(append([]byte{}, bucket...), 0), k...)
}

// sealWritten seals every record the transaction wrote with the sequence
// of its last audit entry.
func sealWritten(tx *bolt.Tx, m macer, written map[string][]byte, seq uint64) error {
	seals := tx.Bucket(bucketSeals)
	keys := make([]string, 0, len(written))
	for k := range written {
		keys = append(keys, k)
	}
	slices.Sort(keys) // in key order: bbolt appends rather than splits
	for _, k := range keys {
		v := written[k]
		bucket, rk, _ := bytes.Cut([]byte(k), []byte{0})
		n := u64(seq)
		seal := m.sum(append(make([]byte, 0, 8+sha256.Size), n...), []byte("record"), bucket, rk, n, v)
		if err := seals.Put([]byte(k), seal); err != nil {
			return err
		}
	}
	return nil
}

// sealAll seals every record of the sealed buckets with seq, for the
// upgrade that brings in the key (seq is the upgrade's own entry).
func sealAll(tx *bolt.Tx, key []byte, seq uint64) error {
	seals := tx.Bucket(bucketSeals)
	for _, b := range sealedBuckets {
		bk := tx.Bucket(b)
		if bk == nil {
			continue
		}
		if err := bk.ForEach(func(k, v []byte) error {
			return seals.Put(sealKey(b, k), append(u64(seq), recordSeal(key, b, k, v, seq)...))
		}); err != nil {
			return err
		}
	}
	return nil
}

// verifySeals checks that every record of the sealed buckets is as the
// trail last wrote it.
func verifySeals(tx *bolt.Tx, key []byte, last uint64) []Problem {
	var ps []Problem
	seals := tx.Bucket(bucketSeals)
	if seals == nil {
		return nil
	}
	n := 0
	add := func(format string, args ...any) {
		n++
		if n <= 50 {
			ps = append(ps, Problem{Message: fmt.Sprintf(format, args...)})
		}
	}
	for _, b := range sealedBuckets {
		bk := tx.Bucket(b)
		if bk == nil {
			continue
		}
		bk.ForEach(func(k, v []byte) error {
			seal := seals.Get(sealKey(b, k))
			switch {
			case len(seal) != 8+sha256.Size:
				add("%s %s was written outside the audit trail (it has no seal)", b, printableKey(k))
			case binary.BigEndian.Uint64(seal[:8]) > last:
				add("%s %s was last written by audit entry %d, which the trail does not have: entries at the end were removed", b, printableKey(k), binary.BigEndian.Uint64(seal[:8]))
			case !hmac.Equal(seal[8:], recordSeal(key, b, k, v, binary.BigEndian.Uint64(seal[:8]))):
				add("%s %s was changed outside the audit trail (its last entry is %d)", b, printableKey(k), binary.BigEndian.Uint64(seal[:8]))
			}
			return nil
		})
	}
	seals.ForEach(func(k, _ []byte) error {
		b, rk, _ := bytes.Cut(k, []byte{0})
		if bk := tx.Bucket(b); bk == nil || bk.Get(rk) == nil {
			add("%s %s was removed outside the audit trail", b, printableKey(rk))
		}
		return nil
	})
	if n > 50 {
		ps = append(ps, Problem{Message: fmt.Sprintf("and %d more records changed outside the audit trail", n-50)})
	}
	return ps
}

// Anchor is what a backup pins of the trail: how many entries it had and
// the last one's hash. A later trail must still hold that entry with that
// hash; if it does not, entries were removed or rewritten since.
type Anchor struct {
	Entries uint64
	Head    string
}

func (a Anchor) String() string {
	return fmt.Sprintf("%d entries, head %s", a.Entries, a.Head)
}

// Anchor is the trail's anchor now.
func (s *Store) Anchor() (Anchor, error) {
	var a Anchor
	err := guard(s.path, func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta == nil {
				return fmt.Errorf("%s has no meta bucket", s.path)
			}
			if head := meta.Get(keyAuditHead); len(head) == 8+sha256.Size {
				a = Anchor{binary.BigEndian.Uint64(head[:8]), hex.EncodeToString(head[8:])}
			}
			return nil
		})
	})
	return a, err
}

// CheckAnchor compares the trail with an anchor taken earlier (from a
// backup): the entry it names must still be there with the same hash.
func (s *Store) CheckAnchor(a Anchor, from string) []Problem {
	var ps []Problem
	if a.Entries == 0 {
		return nil
	}
	err := guard(s.path, func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			v := tx.Bucket(bucketAudit).Get(u64(a.Entries))
			if v == nil {
				ps = append(ps, Problem{Message: fmt.Sprintf("the trail has no entry %d, which %s has (%s): entries were removed", a.Entries, from, a)})
				return nil
			}
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil || e.Hash != a.Head {
				ps = append(ps, Problem{Message: fmt.Sprintf("audit entry %d differs from the one in %s (%s): the trail was rewritten since", a.Entries, from, a)})
			}
			return nil
		})
	})
	if err != nil {
		ps = append(ps, Problem{Message: "comparing with " + from + ": " + err.Error()})
	}
	return ps
}

// ReadAnchor reads the anchor of a store file (a backup) without its key.
func ReadAnchor(path string) (Anchor, error) {
	s, err := Open(path, Options{ReadOnly: true, Unchecked: true, Actor: "verify", NoKey: true})
	if err != nil {
		return Anchor{}, err
	}
	defer s.Close()
	return s.Anchor()
}
