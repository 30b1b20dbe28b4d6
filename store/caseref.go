package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"dpsdesk/engine/geo"

	bolt "go.etcd.io/bbolt"
)

// A child appears only as the authority's case reference, never by name.
// Each authority may set the shape of its references as a pattern, which
// an admin sets (audited): in it '#' stands for a digit, '@' for a letter,
// and every other character for itself, letters without regard to case:
// "WSCC/EHCP/#####" takes "WSCC/EHCP/12345" (and "wscc/ehcp/12345", kept
// as WSCC/EHCP/12345). A new referral, or a draft whose reference is
// changed, must match its authority's pattern; referrals made before keep
// opening as they are. An authority with no pattern takes any reference
// that holds a digit and no spaces, so a name ("Jack Smith") is refused.

// CaseRefExample is a reference that the pattern takes, for messages and
// hints: "WSCC/EHCP/#####" gives "WSCC/EHCP/12345".
func CaseRefExample(pattern string) string {
	if pattern == "" {
		return "WSCC/EHCP/12345"
	}
	var b strings.Builder
	digit, letter := 0, 0
	for _, r := range pattern {
		switch r {
		case '#':
			b.WriteByte(byte('1' + digit%9))
			digit++
		case '@':
			b.WriteByte(byte('A' + letter%26))
			letter++
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchCaseRef reports whether ref has the pattern's shape, and gives it
// with the pattern's own letters where the pattern spells them.
func matchCaseRef(pattern, ref string) (string, bool) {
	p, r := []rune(pattern), []rune(strings.TrimSpace(ref))
	if len(p) != len(r) {
		return ref, false
	}
	out := make([]rune, len(r))
	for i := range p {
		switch {
		case p[i] == '#' && unicode.IsDigit(r[i]) && r[i] < 128:
			out[i] = r[i]
		case p[i] == '@' && unicode.IsLetter(r[i]):
			out[i] = unicode.ToUpper(r[i])
		case p[i] != '#' && p[i] != '@' && (p[i] == r[i] || unicode.ToUpper(p[i]) == unicode.ToUpper(r[i])):
			out[i] = p[i]
		default:
			return ref, false
		}
	}
	return string(out), true
}

// CaseRefExample is a case reference of the authority's shape, for a
// form's hint: its pattern's example, else CODE/EHCP/12345.
func (a Authority) CaseRefExample() string {
	if a.CaseRefPattern == "" {
		return a.Code + "/EHCP/12345"
	}
	return CaseRefExample(a.CaseRefPattern)
}

// CheckCaseRef checks a case reference typed for the authority's referral
// and gives it as it is kept. The error says what is wrong and shows an
// example of the authority's references.
func (a Authority) CheckCaseRef(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	example := a.CaseRefExample()
	if ref == "" {
		return ref, fmt.Errorf("the authority's case reference is required (never the child's name), e.g. %s", example)
	}
	if a.CaseRefPattern != "" {
		if kept, ok := matchCaseRef(a.CaseRefPattern, ref); ok {
			return kept, nil
		}
		return ref, fmt.Errorf("%q is not a %s case reference: type it as %s (never the child's name)", Printable(ref), a.Code, example)
	}
	if strings.IndexFunc(ref, unicode.IsSpace) >= 0 || strings.IndexFunc(ref, unicode.IsDigit) < 0 {
		return ref, fmt.Errorf("%q is not a case reference: it holds a number and no spaces, e.g. %s (never the child's name)", Printable(ref), example)
	}
	return ref, nil
}

// checkPattern says what is wrong with a case-reference pattern, or "".
func checkPattern(pattern string) string {
	if pattern == "" {
		return ""
	}
	if msg := textProblem(pattern, MaxShortLen); msg != "" {
		return msg
	}
	if !strings.Contains(pattern, "#") {
		return "needs at least one # (a digit), e.g. WSCC/EHCP/#####"
	}
	if strings.IndexFunc(pattern, unicode.IsSpace) >= 0 {
		return "must not hold spaces"
	}
	return ""
}

// CheckCaseRef checks a case reference typed for a referral of the
// authority (its code in any case), for a form's live check.
func (s *Store) CheckCaseRef(authority, ref string) (string, error) {
	a, err := s.Authority(authority)
	if err != nil {
		return ref, err
	}
	return a.CheckCaseRef(ref)
}

// Authority returns one partner authority by its code, in any case.
func (s *Store) Authority(code string) (Authority, error) {
	var a Authority
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		a, err = get[Authority](tx, bucketAuthorities, []byte(caseless(tx.Bucket(bucketAuthorities), code)))
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("unknown partner authority %q: %w", code, ErrNotFound)
	}
	return a, err
}

// SetCaseRefPattern sets the shape of an authority's case references
// (empty: none, any reference that is not a name): an admin's change, one
// audited transaction. Referrals made before are not touched.
func (s *Store) SetCaseRefPattern(code, pattern string) error {
	code = s.CanonicalAuthority(code)
	pattern = strings.TrimSpace(pattern)
	if err := s.mayConfigure("an authority's case references"); err != nil {
		return err
	}
	if msg := checkPattern(pattern); msg != "" {
		return &ValidationError{Record: "authority " + code, Problems: []FieldError{{Field: "case_ref_pattern", Message: msg}}}
	}
	return s.changeAuthority(code, "authority.pattern", "case_ref_pattern", func(a *Authority) *string { return &a.CaseRefPattern }, pattern)
}

// SetAuthorityPPON records a partner authority's Public Procurement
// Organisation Number, which publication names it by as a buyer (an
// admin's change, audited); "" clears it.
func (s *Store) SetAuthorityPPON(code, ppon string) error {
	code = s.CanonicalAuthority(code)
	if err := s.mayConfigure("an authority's identifier"); err != nil {
		return err
	}
	id := Supplier{PPON: ppon} // the same shape as a supplier's
	var p problems
	id.check(&p)
	if err := p.err("authority " + code); err != nil {
		return err
	}
	return s.changeAuthority(code, "authority.ppon", "ppon", func(a *Authority) *string { return &a.PPON }, id.PPON)
}

// changeAuthority sets one field of a partner authority to value, audited
// as action; a value it already has changes nothing.
func (s *Store) changeAuthority(code, action, field string, of func(*Authority) *string, value string) error {
	return s.update(func(tx *Tx) error {
		a, err := get[Authority](tx.tx, bucketAuthorities, []byte(code))
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("unknown partner authority %q: %w", code, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if *of(&a) == value {
			return nil
		}
		tx.audit(action, code, Change{Field: field, Before: *of(&a), After: value})
		*of(&a) = value
		return tx.put(bucketAuthorities, []byte(code), a)
	})
}

// ValidateAs checks a referral as a person made or changed it: Validate,
// and its case reference against its authority's pattern when the
// referral is new or the reference was changed (was is the reference as
// stored; "" for a new referral), every problem together. A reference
// that matches is kept as the pattern spells it.
func (r *Referral) ValidateAs(g *geo.Gazetteer, authorities []Authority, was string) error {
	err := r.Validate(g, authorities)
	cerr := checkNewCaseRef(r, was, authorities)
	if cerr == nil {
		return err
	}
	var ve, ce *ValidationError
	if errors.As(err, &ve) && errors.As(cerr, &ce) {
		for _, p := range ve.Problems {
			if p.Field == "child_ref" {
				return err // already said
			}
		}
		ve.Problems = append(ve.Problems, ce.Problems...)
		return ve
	}
	if err != nil {
		return err
	}
	return cerr
}

// checkNewCaseRef checks the case reference of a new referral, or of a
// draft whose reference changed (old is the reference before; "" for a
// new one), and keeps it as the pattern spells it.
func checkNewCaseRef(r *Referral, old string, auths []Authority) error {
	if (old != "" && r.ChildRef == old) || strings.TrimSpace(r.ChildRef) == "" {
		return nil // made before: it keeps opening as it is (or Validate says it is missing)
	}
	for _, a := range auths {
		if a.Code == r.Authority {
			kept, err := a.CheckCaseRef(r.ChildRef)
			if err != nil {
				return &ValidationError{Record: "referral " + r.ID, Problems: []FieldError{{Field: "child_ref", Message: err.Error()}}}
			}
			r.ChildRef = kept
			return nil
		}
	}
	return nil // an unknown authority is Validate's to say
}
