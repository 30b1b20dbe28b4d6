package store

import (
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Ids are typed by people without regard to case: "r-2026-0007" finds
// R-2026-0007, "sc127262" finds SC127262, "wscc" the authority WSCC. The
// record keeps its id as it was made (its canonical case); every lookup of
// an id a person typed goes through canonical first.

// caseless is the key in bucket that is id without regard to case: id
// itself when it is there (one read), else the first key equal to it
// under Unicode case folding, else id unchanged (not found later).
func caseless(b *bolt.Bucket, id string) string {
	if b == nil || id == "" || b.Get([]byte(id)) != nil {
		return id
	}
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) == len(id) && strings.EqualFold(string(k), id) {
			return string(k)
		}
	}
	return id
}

// canonical is the stored id of the record a person typed as id.
func (s *Store) canonical(bucket []byte, id string) string {
	out := id
	s.view(func(tx *bolt.Tx) error {
		out = caseless(tx.Bucket(bucket), id)
		return nil
	})
	return out
}

// CanonicalReferral, CanonicalEstablishment, CanonicalCategory and
// CanonicalAuthority give the stored id of what a person typed (itself
// when there is none such).
func (s *Store) CanonicalReferral(id string) string { return s.canonical(bucketReferrals, id) }
func (s *Store) CanonicalEstablishment(id string) string {
	return s.canonical(bucketEstablishments, id)
}
func (s *Store) CanonicalCategory(id string) string  { return s.canonical(bucketCategories, id) }
func (s *Store) CanonicalAuthority(id string) string { return s.canonical(bucketAuthorities, id) }

// canonicalIn is the item of list that is id without regard to case.
func canonicalIn(list []string, id string) string {
	for _, x := range list {
		if x == id {
			return x
		}
	}
	for _, x := range list {
		if strings.EqualFold(x, id) {
			return x
		}
	}
	return id
}
