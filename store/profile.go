package store

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// bucketProfiles holds each person's contact details for families. It is
// made by the first profile saved, so stores made before it need no
// upgrade; a store without it simply has no profiles yet.
var bucketProfiles = []byte("profiles")

// Profile is how a person is named to a family: the handout from meeting
// mode gives these, never a login name.
type Profile struct {
	User        string `json:"user"`
	DisplayName string `json:"display_name"`
	Phone       string `json:"phone,omitempty"`
	Email       string `json:"email,omitempty"`
}

// Validate checks a profile field by field.
func (p *Profile) Validate() error {
	var ps problems
	p.DisplayName, p.Phone, p.Email = strings.TrimSpace(p.DisplayName), strings.TrimSpace(p.Phone), strings.TrimSpace(p.Email)
	if msg := ProfileFieldProblem("display_name", p.DisplayName); msg != "" {
		ps.add("display_name", "%s", msg)
	}
	if msg := ProfileFieldProblem("phone", p.Phone); msg != "" {
		ps.add("phone", "%s", msg)
	}
	if msg := ProfileFieldProblem("email", p.Email); msg != "" {
		ps.add("email", "%s", msg)
	}
	return ps.err("profile " + p.User)
}

// ProfileFieldProblem says what is wrong with one field of a profile, or
// "" when it is fine; forms use it as the person types.
func ProfileFieldProblem(field, v string) string {
	v = strings.TrimSpace(v)
	switch field {
	case "display_name":
		if v == "" {
			return "the name families see is required (e.g. Sam Patel, SEND commissioning officer)"
		}
		if len(v) > 80 {
			return "at most 80 characters"
		}
	case "phone":
		if v == "" {
			return "a phone number families can call is required"
		}
		digits := 0
		for _, r := range v {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune(" +()-", r):
			default:
				return fmt.Sprintf("a phone number has digits, spaces and + ( ) - only, not %q", r)
			}
		}
		if digits < 6 || digits > 15 {
			return "a phone number has 6 to 15 digits"
		}
	case "email":
		if v == "" {
			return "an e-mail address is required"
		}
		a, err := mail.ParseAddress(v)
		if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
			return "an e-mail address like name@council.gov.uk"
		}
	}
	return ""
}

// Profile returns a person's profile; ok is false when they have none.
func (s *Store) Profile(user string) (p Profile, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketProfiles) == nil {
			return nil
		}
		p, err = get[Profile](tx, bucketProfiles, []byte(user))
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		ok = err == nil
		return err
	})
	return p, ok, err
}

// SetProfile saves this handle's own profile (the actor's), with its audit
// entry, in one transaction. A viewer changes nothing, not even this.
func (s *Store) SetProfile(p Profile) error {
	p.User = s.actor
	if err := p.Validate(); err != nil {
		return err
	}
	return s.update(func(tx *Tx) error {
		if _, err := tx.tx.CreateBucketIfNotExists(bucketProfiles); err != nil {
			return err
		}
		old, err := get[Profile](tx.tx, bucketProfiles, []byte(p.User))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		var changes []Change
		for _, f := range [][3]string{{"display_name", old.DisplayName, p.DisplayName}, {"phone", old.Phone, p.Phone}, {"email", old.Email, p.Email}} {
			if f[1] != f[2] {
				changes = append(changes, Change{Field: f[0], Before: f[1], After: f[2]})
			}
		}
		if len(changes) == 0 {
			return nil
		}
		if err := tx.put(bucketProfiles, []byte(p.User), p); err != nil {
			return err
		}
		tx.audit("profile.update", "user:"+p.User, changes...)
		return nil
	})
}
