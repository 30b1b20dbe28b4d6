package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Role is what a person may do with the store.
type Role string

// The roles. An admin configures the partnership (categories, criteria,
// weights, users) and sees every authority's referrals; an officer works
// the shared register and their own authority's referrals; a viewer reads
// what an officer of their authority would see and changes nothing.
const (
	RoleAdmin   Role = "admin"
	RoleOfficer Role = "officer"
	RoleViewer  Role = "viewer"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleViewer}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("unknown role %q: must be admin, officer or viewer", s)
	}
	return r, nil
}

// Principal is who is working: the name the audit trail records, their
// role, and the partner authority whose referrals, bids and awards they
// hold. An empty Authority means every authority (an admin, or the desk
// opened on the file itself).
type Principal struct {
	User      string
	Role      Role
	Authority string
}

func (p Principal) String() string {
	if p.Authority == "" {
		return fmt.Sprintf("%s (%s)", p.User, p.Role)
	}
	return fmt.Sprintf("%s (%s, %s)", p.User, p.Role, p.Authority)
}

// ErrForbidden is a change or a read the principal's role or authority
// does not allow.
var ErrForbidden = errors.New("not allowed")

// As returns a handle on the same open store that reads and writes as p:
// its audit entries name p.User, its referral reads and writes are limited
// to p.Authority, and a viewer's writes are refused. Every handle shares
// the one file and sees every other's changes; Close on a handle made by
// As does nothing (the store is closed once, by whoever opened it).
func (s *Store) As(p Principal) (*Store, error) {
	if strings.TrimSpace(p.User) == "" {
		return nil, errors.New("store: no user named for the audit trail")
	}
	if !slices.Contains(Roles, p.Role) {
		return nil, fmt.Errorf("store: unknown role %q", p.Role)
	}
	if p.Authority == "" && p.Role != RoleAdmin {
		return nil, fmt.Errorf("store: %s is %s but names no authority", p.User, p.Role)
	}
	if p.Authority != "" {
		auths, err := s.Authorities()
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(auths, func(a Authority) bool { return a.Code == p.Authority }) {
			return nil, fmt.Errorf("store: %s names %q, which is not a partner authority", p.User, p.Authority)
		}
	}
	h := *s
	h.who, h.actor, h.handle, h.owner = p, p.User, s.hub.newHandle(), false
	return &h, nil
}

// Principal is who this handle works as.
func (s *Store) Principal() Principal { return s.who }

// mayWrite refuses every change by a viewer.
func (s *Store) mayWrite() error {
	if s.who.Role == RoleViewer {
		return fmt.Errorf("%s is a viewer and can change nothing (%w)", s.who.User, ErrForbidden)
	}
	return nil
}

// mayConfigure refuses partnership configuration to all but admins.
func (s *Store) mayConfigure(what string) error {
	if s.who.Role != RoleAdmin {
		return fmt.Errorf("only an admin can change %s; %s is %s (%w)", what, s.who.User, s.who.Role, ErrForbidden)
	}
	return nil
}

// sees reports whether the handle may see an authority's referrals.
func (s *Store) sees(authority string) bool {
	return s.who.Authority == "" || s.who.Authority == authority
}

// mayReferral refuses a referral (or its bids or award) of another
// authority.
func (s *Store) mayReferral(id, authority string) error {
	if s.sees(authority) {
		return nil
	}
	return fmt.Errorf("referral %s belongs to %s; %s works for %s (%w)", id, authority, s.who.User, s.who.Authority, ErrForbidden)
}

// mayReferralIn checks a referral by id inside a transaction, from its
// index row. A referral that does not exist is left to the caller to
// report.
func (s *Store) mayReferralIn(tx *bolt.Tx, id string) error {
	if s.who.Authority == "" {
		return nil
	}
	a, ok := referralAuthority(tx, id)
	if !ok {
		return nil
	}
	return s.mayReferral(id, a)
}

// referralAuthority reads a referral's authority from its index row.
func referralAuthority(tx *bolt.Tx, id string) (string, bool) {
	data := tx.Bucket(bucketReferralIndex).Get([]byte(id))
	if data == nil {
		return "", false
	}
	var row struct {
		Authority string `json:"authority"`
	}
	if json.Unmarshal(data, &row) != nil {
		return "", false
	}
	return row.Authority, true
}

// hub tells every handle on a store when another has changed it, so that a
// change made in one session shows in the others at once.
type hub struct {
	mu   sync.Mutex
	last int
	subs map[*subscription]struct{}
	// ranks are the rankings worked out since the file last changed,
	// shared by every handle (rankcache.go).
	ranks rankings
}

type subscription struct {
	handle int
	ch     chan struct{}
}

func (h *hub) newHandle() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last++
	return h.last
}

// notify wakes every subscriber but the handle that made the change. A
// subscriber that has not yet taken the last wake-up gets one, not two.
func (h *hub) notify(from int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		if sub.handle == from {
			continue
		}
		select {
		case sub.ch <- struct{}{}:
		default:
		}
	}
}

// Changes returns a channel that receives whenever another handle on this
// store commits a change, and a function that stops it (and closes the
// channel).
func (s *Store) Changes() (<-chan struct{}, func()) {
	sub := &subscription{handle: s.handle, ch: make(chan struct{}, 1)}
	s.hub.mu.Lock()
	if s.hub.subs == nil {
		s.hub.subs = map[*subscription]struct{}{}
	}
	s.hub.subs[sub] = struct{}{}
	s.hub.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			s.hub.mu.Lock()
			delete(s.hub.subs, sub)
			s.hub.mu.Unlock()
			close(sub.ch)
		})
	}
}

// CanWrite says why this handle can change nothing (the file is open
// read-only, or its person is a viewer), or nil if it can.
func (s *Store) CanWrite() error {
	if s.ro {
		return ErrReadOnly
	}
	return s.mayWrite()
}

// Shared reports whether this handle was made by As: one person's handle
// on a store that others use too.
func (s *Store) Shared() bool { return !s.owner }

// CanConfigure says why this handle cannot change the partnership's
// configuration, or nil if it can.
func (s *Store) CanConfigure() error {
	if err := s.CanWrite(); err != nil {
		return err
	}
	return s.mayConfigure("the partnership's configuration")
}

// SetCategoryCap changes one category's affordability cap (0: none) and
// nothing else of it.
func (s *Store) SetCategoryCap(id string, pence int64) error {
	id = s.CanonicalCategory(id)
	if err := s.mayConfigure("a category"); err != nil {
		return err
	}
	if pence < 0 {
		return &ValidationError{Record: "category " + id, Problems: []FieldError{{Field: "affordability_cap_pence", Message: fmt.Sprintf("must be 0 (no cap) or more, not %d", pence)}}}
	}
	return s.changeCategory(id, func(c *Category) []Change {
		if c.AffordabilityCapPence == pence {
			return nil
		}
		ch := []Change{{Field: "affordability_cap_pence", Before: fmt.Sprint(c.AffordabilityCapPence), After: fmt.Sprint(pence)}}
		c.AffordabilityCapPence = pence
		return ch
	})
}

// changeCategory changes one category as fn says, reading it inside the
// change so that two admins at work do not undo each other's other
// changes; fn's changes are its audit entry, and none writes nothing.
func (s *Store) changeCategory(id string, fn func(c *Category) []Change) error {
	return s.update(func(tx *Tx) error {
		c, err := get[Category](tx.tx, bucketCategories, []byte(id))
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("category %q: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		ch := fn(&c)
		if len(ch) == 0 {
			return nil
		}
		tx.audit("category.update", id, ch...)
		return tx.put(bucketCategories, []byte(id), c)
	})
}
