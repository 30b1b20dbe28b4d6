// Package store keeps everything the desk knows in one bbolt file: the
// partner authorities and categories, the register of providers and
// establishments with their qualification records, suspensions, referrals
// with their frozen invited lists, bids and awards, and the audit trail.
//
// Every change is one bbolt transaction that also appends its audit entry;
// audit entries are hash-chained, so an edited, removed or reordered entry
// is found by Verify. Records are validated here, at the store boundary.
//
// Layout (bucket → key → value):
//
//	meta            "schema"          → uint64 big-endian schema version
//	                "audit_head"      → seq (8 bytes) + SHA-256 of the last entry
//	authorities     code              → Authority (JSON)
//	categories      id                → Category (JSON)
//	providers       id                → Provider (JSON)
//	establishments  id                → Establishment (JSON)
//	register        id                → RegisterRow (JSON): the listing, kept with each put
//	suspensions     estID 0x00 seq    → Suspension (JSON)
//	referrals       id                → Referral (JSON)
//	referral_index  id                → ReferralRow (JSON): for lists and reports, kept with each write
//	bids            refID 0x00 estID  → Bid (JSON)
//	awards          refID             → Award (JSON)
//	audit           seq (8 bytes BE)  → AuditEntry (JSON)
//	seals           bucket 0x00 key   → seq (8 bytes) + HMAC of the record as that entry left it
//	meta            "keyed_from"      → the first entry sealed with the key
//	                "key_id"          → which key (8 bytes of an HMAC)
//	                "audit_head_seal" → HMAC of audit_head
package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes. Version 1 had no
// audit head in meta (so a removed last entry could not be told from a
// trail that ended there) and no register listing; version 2 had no
// referral index. migrate adds them.
// Version 3 had no key: its trail was chained by plain SHA-256 and its
// records were not sealed (see seal.go).
const SchemaVersion = 4

// Bucket names, declared once.
var (
	bucketMeta           = []byte("meta")
	bucketAuthorities    = []byte("authorities")
	bucketCategories     = []byte("categories")
	bucketProviders      = []byte("providers")
	bucketEstablishments = []byte("establishments")
	bucketRegister       = []byte("register")
	bucketSuspensions    = []byte("suspensions")
	bucketReferrals      = []byte("referrals")
	bucketReferralIndex  = []byte("referral_index")
	bucketBids           = []byte("bids")
	bucketAwards         = []byte("awards")
	bucketAudit          = []byte("audit")

	allBuckets = [][]byte{bucketMeta, bucketAuthorities, bucketCategories, bucketProviders,
		bucketEstablishments, bucketRegister, bucketSuspensions, bucketReferrals, bucketReferralIndex, bucketBids, bucketAwards, bucketAudit, bucketSeals}

	keySchema    = []byte("schema")
	keyAuditHead = []byte("audit_head")
)

// Errors a caller can tell apart.
var (
	ErrLocked      = errors.New("open in another dpsdesk")
	ErrNotStore    = errors.New("not a dpsdesk store")
	ErrNewerSchema = errors.New("written by a newer dpsdesk")
	ErrNotFound    = errors.New("not found")
	ErrReadOnly    = errors.New("the store is open read-only")
)

// Options say how to open a store.
type Options struct {
	// ReadOnly opens with a shared lock, for someone who only looks.
	ReadOnly bool
	// LockTimeout is how long to wait for another dpsdesk to let go of the
	// file before giving up; 1 second when zero.
	LockTimeout time.Duration
	// Actor is who the audit entries name: the OS user or the --as name.
	Actor string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Unchecked skips the check of every bucket at open, for Verify,
	// which checks more and reports each problem. The file's header and
	// length are checked always.
	Unchecked bool
	// KeyPath is the audit key's file: KeyPathFor(path) when empty.
	// NoKey opens without one (reading an anchor; nothing can be written).
	KeyPath string
	NoKey   bool
}

// Store is an open dpsdesk store.
type Store struct {
	db    *bolt.DB
	path  string
	actor string
	now   func() time.Time
	ro    bool
	// who is working through this handle; handle tells it apart from the
	// other handles As made on the same file (hub wakes them on a change);
	// owner is the handle Open returned, the one that closes the file.
	who    Principal
	handle int
	owner  bool
	hub    *hub
	// migratedFrom is the copy written before a migration at Open, if any.
	migratedFrom string
	// key seals the audit trail and the records (nil: not found, and the
	// store can be read but not changed); keyPath is where it is kept.
	key     []byte
	keyPath string
	mac     macer // the key's HMAC, for writes (made at the first)
}

// Open opens the store at path, creating it (0600, with its directory) and
// seeding the partner authorities and categories when it does not exist.
// A store from an older schema is backed up beside itself and migrated in
// one transaction; a newer one is refused.
func Open(path string, o Options) (*Store, error) {
	if o.LockTimeout == 0 {
		o.LockTimeout = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Actor == "" {
		return nil, errors.New("store: no actor named for the audit trail")
	}
	if msg := textProblem(o.Actor, MaxShortLen); msg != "" {
		return nil, fmt.Errorf("the name for the audit trail %s", msg)
	}
	_, statErr := os.Stat(path)
	if errors.Is(statErr, fs.ErrNotExist) {
		if o.ReadOnly {
			return nil, fmt.Errorf("%s: no such store", path)
		}
		// Built apart and moved into place whole; if another dpsdesk made
		// it meanwhile, theirs is opened.
		if err := Create(path, o, nil); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return open(path, o, false)
}

// open opens the file; creating says it is a new, empty one to set up.
func open(path string, o Options, creating bool) (*Store, error) {
	if !creating {
		if err := checkFile(path); err != nil {
			return nil, err
		}
	}
	explicitKey := o.KeyPath != ""
	if !explicitKey {
		o.KeyPath = KeyPathFor(path)
	}
	var key []byte
	if !o.NoKey {
		var err error
		if key, err = readKey(o.KeyPath); err != nil {
			return nil, err
		}
	}
	var s *Store
	err := guard(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.LockTimeout, ReadOnly: o.ReadOnly, InitialMmapSize: initialMmap()})
		if err != nil {
			if errors.Is(err, berrors.ErrTimeout) {
				return lockedError(path, o.ReadOnly)
			}
			return openError(path, err)
		}
		s = &Store{db: db, path: path, actor: o.Actor, now: o.Now, ro: o.ReadOnly,
			who: Principal{User: o.Actor, Role: RoleAdmin}, owner: true, hub: &hub{}, key: key, keyPath: o.KeyPath}
		if err := s.prepare(creating); err != nil {
			return err
		}
		if s.key == nil && !explicitKey && !o.NoKey {
			// Not beside it (a backup, a copy): where the store says
			// its key was made.
			if err := s.keyFromMeta(); err != nil {
				return err
			}
		}
		if !creating && !o.Unchecked {
			if err := s.checkStructure(); err != nil {
				return err
			}
		}
		if s.key != nil && s.mac.h == nil {
			// Made now, before any handle is copied from this one (As),
			// so that no handle makes its own while another writes.
			s.mac = newMacer(s.key)
		}
		return nil
	})
	if err != nil {
		if s != nil {
			s.db.Close()
		}
		if creating {
			os.Remove(path)
		}
		return nil, err
	}
	if !creating && !o.ReadOnly {
		writePid(path)
	}
	return s, nil
}

// initialMmap is how much bbolt maps of the file at open: room to grow
// without mapping it again. A write that outgrows the map first copies
// every page it has changed out of it (bbolt's dereference), so a
// 10,000-row import copied its own records some ten times over (two
// thirds of its memory). Address space is free on 64-bit systems; on
// Windows bbolt would make the file itself that large, so there, and on
// 32-bit systems, bbolt's own doubling stays.
func initialMmap() int {
	if runtime.GOOS == "windows" || math.MaxInt == math.MaxInt32 {
		return 0
	}
	return 1 << 30
}

// growBy sets how far past what it needs the file grows when a write
// outgrows it: a quarter of its size, from 32 KiB to 16 MiB. With the
// whole map there from the start bbolt would add its 16 MiB every time,
// so that a new store of a few pages took 16 MiB; this keeps bbolt's own
// growth for small files (a little room, not a power of two) and its
// 16 MiB steps for large ones. Set inside the write transaction, which
// bbolt runs one at a time, where its commit reads it.
func growBy(tx *bolt.Tx) {
	tx.DB().AllocSize = int(min(max(tx.Size()/4, 32<<10), 16<<20))
}

func openError(path string, err error) error {
	name := filepath.Base(path)
	switch {
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return fmt.Errorf("%s is damaged or %w (%v): run `dpsdesk verify --db %s`, and restore from a copy made with `dpsdesk backup`", name, ErrNotStore, err, path)
	}
	return fmt.Errorf("cannot open %s: %w", path, err)
}

// prepare checks the schema, creating, seeding or migrating as needed.
func (s *Store) prepare(creating bool) error {
	var version uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return nil // new, or not ours: told apart below
		}
		v := meta.Get(keySchema)
		if len(v) != 8 {
			return fmt.Errorf("%s is %w: its schema version is unreadable; run `dpsdesk verify --db %s`", s.path, ErrNotStore, s.path)
		}
		version = binary.BigEndian.Uint64(v)
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case version == 0 && !creating && !s.empty():
		return fmt.Errorf("%s is a bbolt file but %w (it has no meta bucket); check the path", s.path, ErrNotStore)
	case version == 0:
		if s.ro {
			return fmt.Errorf("%s: the store is empty and cannot be set up read-only", s.path)
		}
		return s.create()
	case version > SchemaVersion:
		return fmt.Errorf("%s is %w (schema %d; this one reads up to %d): use a newer dpsdesk", s.path, ErrNewerSchema, version, SchemaVersion)
	case version < SchemaVersion:
		if s.ro {
			return fmt.Errorf("%s is from an older dpsdesk (schema %d) and must be opened once without --read-only to upgrade it", s.path, version)
		}
		return s.migrate(version)
	}
	return nil
}

func (s *Store) empty() bool {
	empty := true
	s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
	})
	return empty
}

// create makes every bucket and seeds the authorities and categories, in
// one transaction with its audit entries.
func (s *Store) create() error {
	return s.update(func(tx *Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		if err := tx.tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion)); err != nil {
			return err
		}
		if err := tx.s.keyFrom(tx.tx); err != nil {
			return err
		}
		tx.audit("store.create", "store", Change{Field: "schema", After: fmt.Sprint(SchemaVersion)})
		for _, a := range SeedAuthorities() {
			if err := tx.put(bucketAuthorities, []byte(a.Code), a); err != nil {
				return err
			}
			tx.audit("authority.create", a.Code, Change{Field: "name", After: a.Name})
		}
		for _, c := range SeedCategories() {
			if err := tx.put(bucketCategories, []byte(c.ID), c); err != nil {
				return err
			}
			tx.audit("category.create", c.ID, Change{Field: "title", After: c.Title})
		}
		return nil
	})
}

// keyFrom starts sealing with the key: from the next entry on. Where the
// key is kept is noted, so that a copy (a backup) finds it.
func (s *Store) keyFrom(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if abs, err := filepath.Abs(s.keyPath); err == nil {
		if err := meta.Put(keyKeyPath, []byte(abs)); err != nil {
			return err
		}
	}
	if err := meta.Put(keyKeyedFrom, u64(tx.Bucket(bucketAudit).Sequence()+1)); err != nil {
		return err
	}
	return meta.Put(keyKeyID, keyID(s.key))
}

// keyFromMeta reads the key from where the store says it was made.
func (s *Store) keyFromMeta() error {
	var where string
	s.db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil {
			where = string(meta.Get(keyKeyPath))
		}
		return nil
	})
	if where == "" || where == s.keyPath {
		return nil
	}
	key, err := readKey(where)
	if err != nil || key == nil {
		return err
	}
	s.key, s.keyPath = key, where
	return nil
}

func (s *Store) noKey() error {
	return fmt.Errorf("%w: %s holds the key that seals the audit trail of %s; without it nothing can be changed (give --key PATH where it is kept, or open with --read-only)", ErrNoKey, s.keyPath, s.path)
}

// KeyPath is where the store's audit key is kept.
func (s *Store) KeyPath() string { return s.keyPath }

// HasKey reports whether the audit key was found.
func (s *Store) HasKey() bool { return s.key != nil }

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Actor is who this store's changes are recorded as.
func (s *Store) Actor() string { return s.actor }

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.ro }

// MigratedFrom is the backup written before a migration at Open, or "".
func (s *Store) MigratedFrom() string { return s.migratedFrom }

// Close closes the file; on a handle made by As it does nothing.
func (s *Store) Close() error {
	if !s.owner {
		return nil
	}
	if !s.ro {
		removePid(s.path) // while the lock is still held
	}
	return s.db.Close()
}

// Tx is one audited change in progress.
type Tx struct {
	tx      *bolt.Tx
	s       *Store
	now     time.Time
	entries []AuditEntry
	// providers caches provider names by id for this transaction.
	providers map[string]string
	// written is every record put, by bucket 0x00 key, for its seal.
	written map[string][]byte
}

// Change is one field's before and after, as the audit trail records it.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// audit records one entry, complete: nothing edits it afterwards (it
// keeps its own copy of the changes), and it is written, sealed, when the
// transaction commits.
func (tx *Tx) audit(action, record string, changes ...Change) {
	tx.auditOwn(action, record, slices.Clone(changes))
}

// auditOwn is audit for changes made for this entry alone (a fresh slice
// no one else keeps), which it takes without a copy.
func (tx *Tx) auditOwn(action, record string, changes []Change) {
	tx.entries = append(tx.entries, AuditEntry{Time: tx.now, Actor: tx.s.actor, Action: action, Record: record, Changes: changes})
}

func (tx *Tx) put(bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.putJSON(bucket, key, data)
}

// putJSON writes a record already encoded (json.Marshal's bytes), checked
// and remembered for its seal.
func (tx *Tx) putJSON(bucket, key, data []byte) error {
	if msg := jsonTextProblem(data); msg != "" {
		return checkJSONText(fmt.Sprintf("%s %s", bucket, printableKey(key)), data)
	}
	if err := tx.tx.Bucket(bucket).Put(key, data); err != nil {
		return err
	}
	tx.written[string(sealKey(bucket, key))] = data
	return nil
}

// update runs fn in one bbolt transaction and appends its audit entries
// before committing: the change and its record of it land together or not
// at all. Every write path records its entry; one that finds nothing to
// change writes nothing.
func (s *Store) update(fn func(tx *Tx) error) error {
	if s.ro {
		return ErrReadOnly
	}
	if err := s.mayWrite(); err != nil {
		return err
	}
	if s.key == nil {
		return s.noKey()
	}
	wrote := false
	// Under guard: bbolt rolls the transaction back if reading a damaged
	// page faults in it, and the fault is an error naming verify.
	err := guard(s.path, func() error {
		return s.db.Update(func(btx *bolt.Tx) error {
			growBy(btx)
			tx := &Tx{tx: btx, s: s, now: s.now().UTC().Truncate(time.Millisecond), written: map[string][]byte{}, providers: map[string]string{}}
			if err := fn(tx); err != nil {
				return err
			}
			if len(tx.entries) == 0 {
				if len(tx.written) > 0 {
					// The one write door: no record without its entry.
					return fmt.Errorf("store: %d records written without an audit entry", len(tx.written))
				}
				return nil // nothing changed
			}
			wrote = true
			if id := btx.Bucket(bucketMeta).Get(keyKeyID); !bytes.Equal(id, keyID(s.key)) {
				return fmt.Errorf("%w: %s seals another store's trail, not %s's (give --key PATH where this store's key is kept)", errKeyNotThisStore, s.keyPath, s.path)
			}
			if s.mac.h == nil {
				s.mac = newMacer(s.key) // at open, before it is made there (create, migrate)
			}
			last, err := appendAudit(btx, tx.entries, s.mac)
			if err != nil {
				return err
			}
			return sealWritten(btx, s.mac, tx.written, last)
		})
	})
	if err == nil && wrote {
		s.hub.notify(s.handle)
	}
	return err
}

func get[T any](tx *bolt.Tx, bucket, key []byte) (T, error) {
	var v T
	data := tx.Bucket(bucket).Get(key)
	if data == nil {
		return v, ErrNotFound
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, undecodable(bucket, key, err)
	}
	return v, nil
}

// undecodable is a record that does not decode: a damaged store.
func undecodable(bucket, key []byte, err error) error {
	return fmt.Errorf("%s %s does not decode (%v): the store may be %w; run `dpsdesk verify`", bucket, printableKey(key), err, ErrDamaged)
}

// all decodes every value of a bucket (or of a key prefix of it).
func all[T any](tx *bolt.Tx, bucket, prefix []byte) ([]T, error) {
	var out []T
	c := tx.Bucket(bucket).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var t T
		if err := json.Unmarshal(v, &t); err != nil {
			return nil, undecodable(bucket, k, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

// compositeKey joins ids with a 0x00 byte, which no id contains, so that a
// prefix scan over "a\x00" finds exactly a's children.
func compositeKey(parts ...string) []byte {
	return []byte(join0(parts))
}

func join0(parts []string) string {
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(p)
	}
	return b.String()
}
