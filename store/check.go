package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged is a store file that cannot be trusted: cut short, with a
// broken page, a missing bucket or a record that does not decode.
var ErrDamaged = errors.New("damaged")

// DamagedError says what is wrong with a store and where the newest
// backup is. Nothing has been changed in the file.
type DamagedError struct {
	Path   string
	Reason string
	Backup string // the newest backup found, or ""
}

func (e *DamagedError) Error() string {
	b := "no backup was found beside it or in backups/ (dpsdesk backup makes one)"
	if e.Backup != "" {
		b = "the newest backup is " + e.Backup + " (check it with `dpsdesk verify --db " + e.Backup + "` before copying it into place)"
	}
	return fmt.Sprintf("%s is %v: %s. Nothing was changed. Run `dpsdesk verify --db %s` for every problem; %s",
		e.Path, ErrDamaged, Printable(e.Reason), e.Path, b)
}

// Unwrap: a damaged store is also not (usable as) a dpsdesk store.
func (e *DamagedError) Unwrap() []error { return []error{ErrDamaged, ErrNotStore} }

func damaged(path, format string, args ...any) *DamagedError {
	return &DamagedError{Path: path, Reason: fmt.Sprintf(format, args...), Backup: NewestBackup(path)}
}

// NewestBackup finds the most recent copy of the store at path: the
// copies dpsdesk serve --backup-dir keeps (NAME-YYYYMMDD-HHMMSS.db) beside
// it or in backups/, and the copies kept before an upgrade (NAME.*.bak).
func NewestBackup(path string) string {
	dir, base := filepath.Dir(path), filepath.Base(path)
	var found []string
	for _, pattern := range []string{
		filepath.Join(dir, base+".*.bak"),
		datedBackups(dir, path),
		datedBackups(filepath.Join(dir, "backups"), path),
	} {
		m, _ := filepath.Glob(pattern)
		found = append(found, m...)
	}
	type cand struct {
		path string
		mod  int64
	}
	var cs []cand
	for _, f := range found {
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			cs = append(cs, cand{f, fi.ModTime().UnixNano()})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].mod > cs[j].mod })
	return cs[0].path
}

// bbolt's file layout (go.etcd.io/bbolt internal/common): each of the
// first two pages is a 16-byte page header and a meta; the meta is magic,
// version, page size, flags (4 bytes each), the root bucket (root page,
// sequence), the freelist page, the high-water page id, the transaction
// id and an FNV-64a checksum of the 56 bytes before it.
const (
	boltMagic     = 0xED0CDAED
	boltVersion   = 2
	pageHeaderLen = 16
	metaLen       = 64
	noFreelist    = ^uint64(0)
)

type boltMeta struct {
	pageSize                 uint32
	root, freelist, pgid, tx uint64
}

// readMeta decodes and checks one meta page; ok is false when it is not
// a sound meta.
func readMeta(page []byte) (boltMeta, bool) {
	if len(page) < pageHeaderLen+metaLen {
		return boltMeta{}, false
	}
	m := page[pageHeaderLen : pageHeaderLen+metaLen]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: le.Uint32(m[8:]), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
		pgid: le.Uint64(m[40:]), tx: le.Uint64(m[48:])}, true
}

// checkFile reads the file's two meta pages itself, before bbolt maps the
// file: a file that is not bbolt at all is ErrNotStore; one whose meta
// pages are both broken, or that is shorter than its pages say (cut short
// by a full disk or a bad copy), is damaged. bbolt would otherwise read
// past the end of the file and the process would die of a signal.
func checkFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is %w: it is not a regular file", path, ErrNotStore)
	}
	size := fi.Size()
	if size == 0 {
		return fmt.Errorf("%s is %w: it is empty (a store whose creation did not finish); remove it and create the store again", path, ErrNotStore)
	}
	head := make([]byte, pageHeaderLen+metaLen)
	n, _ := io.ReadFull(f, head)
	m0, ok0 := readMeta(head[:n])
	if n < pageHeaderLen+4 || binary.LittleEndian.Uint32(head[pageHeaderLen:]) != boltMagic {
		// Not even the magic: another kind of file, unless the second
		// meta page is sound (the first one was overwritten).
		if _, ok := findSecondMeta(f, 0); !ok {
			return fmt.Errorf("%s is %w: it is not a bbolt database (check the path; `dpsdesk verify --db PATH` checks a store, `dpsdesk backup` copies one)", path, ErrNotStore)
		}
	}
	m1, ok1 := findSecondMeta(f, m0.pageSize)
	var m boltMeta
	switch {
	case ok0 && ok1:
		m = m0
		if m1.tx > m0.tx {
			m = m1
		}
	case ok0:
		m = m0
	case ok1:
		m = m1
	default:
		return damaged(path, "neither of its two header (meta) pages is readable")
	}
	if m.pageSize < 512 || m.pageSize > 1<<20 || m.pageSize&(m.pageSize-1) != 0 {
		return damaged(path, "its header gives a page size of %d bytes", m.pageSize)
	}
	if m.pgid < 4 || m.pgid > uint64(1<<62)/uint64(m.pageSize) {
		return damaged(path, "its header gives %d pages", m.pgid)
	}
	if need := int64(m.pgid) * int64(m.pageSize); size < need {
		return damaged(path, "it is %d bytes long but its pages reach %d bytes: it was cut short", size, need)
	}
	if m.root < 2 || m.root >= m.pgid {
		return damaged(path, "its root page %d is outside the file's %d pages", m.root, m.pgid)
	}
	if m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid) {
		return damaged(path, "its free-page list %d is outside the file's %d pages", m.freelist, m.pgid)
	}
	return nil
}

// findSecondMeta reads the meta on page 1, trying the page size the first
// meta gave and then the usual ones.
func findSecondMeta(f *os.File, hint uint32) (boltMeta, bool) {
	buf := make([]byte, pageHeaderLen+metaLen)
	for _, ps := range []uint32{hint, uint32(os.Getpagesize()), 4096, 8192, 16384, 65536} {
		if ps < 512 {
			continue
		}
		n, _ := f.ReadAt(buf, int64(ps))
		if m, ok := readMeta(buf[:n]); ok && m.pageSize == ps {
			return m, true
		}
	}
	return boltMeta{}, false
}

// guard runs fn with memory faults turned into panics and every panic into
// a DamagedError: reading a damaged bbolt file can do either.
func guard(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = damaged(path, "reading it failed (%v)", r)
		}
	}()
	return fn()
}

// view runs a read transaction under guard: a damaged page read in it is
// an error naming verify, never a crash, whichever goroutine reads (the
// desk reads in goroutines of bubbletea's).
func (s *Store) view(fn func(*bolt.Tx) error) error {
	return guard(s.path, func() error { return s.db.View(fn) })
}

// decoders say how to check each bucket's values; nil is not JSON.
var decoders = map[string]func([]byte) error{
	"authorities":    decodeAs[Authority],
	"categories":     decodeAs[Category],
	"providers":      decodeAs[Provider],
	"establishments": decodeAs[Establishment],
	"register":       decodeAs[RegisterRow],
	"suspensions":    decodeAs[Suspension],
	"referrals":      decodeAs[Referral],
	"referral_index": decodeAs[ReferralRow],
	"bids":           decodeAs[Bid],
	"awards":         decodeAs[Award],
	"audit":          decodeAs[AuditEntry],
}

func decodeAs[T any](data []byte) error {
	var v T
	return json.Unmarshal(data, &v)
}

// walkedAtOpen are the buckets every open reads whole: the small ones the
// first screen shows. The large ones (referrals, bids, the trail) have
// their first and last keys read, which reads the pages from their root to
// either end; reading all of them would cost most of a second on a large
// store, so that is Verify's.
var walkedAtOpen = map[string]bool{"meta": true, "authorities": true, "categories": true, "providers": true,
	"establishments": true, "register": true}

// walk reads every bucket the store should have and every key and value
// in it: a missing bucket, a nested bucket, keys out of order, and (when
// full is set) a value that does not decode are problems. Without full,
// only the small buckets are read whole. It must run under guard.
func walk(tx *bolt.Tx, full bool) []Problem {
	var ps []Problem
	decode := full
	for _, name := range allBuckets {
		b := tx.Bucket(name)
		if b == nil {
			ps = append(ps, Problem{Message: fmt.Sprintf("bucket %q is missing", name)})
			continue
		}
		if !full && !walkedAtOpen[string(name)] {
			c := b.Cursor()
			k0, v0 := c.First()
			k1, v1 := c.Last()
			switch {
			case (k0 == nil) != (k1 == nil), k0 != nil && bytes.Compare(k0, k1) > 0:
				ps = append(ps, Problem{Message: fmt.Sprintf("%s: its first and last keys are out of order", name)})
			case k0 != nil && (v0 == nil || v1 == nil):
				ps = append(ps, Problem{Message: fmt.Sprintf("%s: holds a bucket where a record belongs", name)})
			}
			continue
		}
		dec := decoders[string(name)]
		var prev []byte
		bad := 0
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var msg string
			switch {
			case prev != nil && bytes.Compare(prev, k) >= 0:
				msg = "keys out of order"
			case v == nil:
				msg = "holds a bucket where a record belongs"
			case decode && dec != nil:
				if err := dec(v); err != nil {
					msg = "does not decode: " + err.Error()
				}
			}
			if msg != "" {
				bad++
				if bad <= 20 {
					ps = append(ps, Problem{Message: fmt.Sprintf("%s %s: %s", name, printableKey(k), msg)})
				}
			}
			prev = append(prev[:0], k...)
		}
		if bad > 20 {
			ps = append(ps, Problem{Message: fmt.Sprintf("%s: %d more records with problems", name, bad-20)})
		}
	}
	if meta := tx.Bucket(bucketMeta); meta != nil {
		if v := meta.Get(keySchema); len(v) != 8 {
			ps = append(ps, Problem{Message: "meta: the schema version is unreadable"})
		}
	}
	return ps
}

func printableKey(k []byte) string {
	if len(k) == 8 && k[0] == 0 {
		return fmt.Sprint(binary.BigEndian.Uint64(k))
	}
	return fmt.Sprintf("%q", Printable(strings.ReplaceAll(string(k), "\x00", "/")))
}

// checkStructure is the check every open makes: every bucket there and
// every page of every bucket readable, under guard. Decoding every record
// is left to Verify (it would cost seconds on a large store); a record that
// does not decode is an error where it is read, never a crash.
func (s *Store) checkStructure() error {
	return guard(s.path, func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			if ps := walk(tx, false); len(ps) > 0 {
				reason := ps[0].Message
				if len(ps) > 1 {
					reason += fmt.Sprintf(" (and %d more problems)", len(ps)-1)
				}
				return damaged(s.path, "%s", reason)
			}
			return nil
		})
	})
}

// CheckPages runs bbolt's own consistency check (every page reachable
// once, no dangling or double-used pages, keys in order). bbolt runs it in
// a goroutine of its own, where a damaged page can kill the process, so
// `dpsdesk verify` runs it in a child process.
func (s *Store) CheckPages() []Problem {
	var ps []Problem
	s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			ps = append(ps, Problem{Message: "file: " + err.Error()})
		}
		return nil
	})
	return ps
}
