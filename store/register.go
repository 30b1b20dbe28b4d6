package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"

	bolt "go.etcd.io/bbolt"
)

// RegisterRow is what the register screen lists of an establishment: kept
// beside the full record so the desk opens without decoding every record.
type RegisterRow struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Provider        string        `json:"provider,omitempty"`
	URN             string        `json:"urn,omitempty"`
	Postcode        string        `json:"postcode"`
	Town            string        `json:"town,omitempty"`
	Categories      []string      `json:"categories"`
	Status          engine.Status `json:"status"`
	Inspection      string        `json:"inspection,omitempty"` // "Ofsted: Good"
	CoreWeeklyPence int64         `json:"core_weekly_pence"`
	NextExpiry      string        `json:"next_expiry,omitempty"`
}

func (e *Establishment) row(provider string) RegisterRow {
	r := RegisterRow{ID: e.ID, Name: e.Name, Provider: provider, URN: e.URN, Postcode: e.Postcode,
		Town: e.Town, Categories: e.Categories, Status: e.Status, CoreWeeklyPence: e.CoreWeeklyPence,
		NextExpiry: e.NextExpiry()}
	if in, ok := e.Inspection(); ok {
		r.Inspection = in.Framework.Title()
		if in.Grade != "" {
			r.Inspection += ": " + in.Grade
		}
	}
	return r
}

// Register lists every establishment, sorted by id. It reads the listing
// only, not the full records.
func (s *Store) Register() ([]RegisterRow, error) {
	var rows []RegisterRow
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		rows, err = all[RegisterRow](tx, bucketRegister, nil)
		return err
	})
	return rows, err
}

// Establishment returns one full record.
func (s *Store) Establishment(id string) (Establishment, error) {
	var e Establishment
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		e, err = get[Establishment](tx, bucketEstablishments, []byte(id))
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return e, fmt.Errorf("establishment %q: %w", id, ErrNotFound)
	}
	return e, err
}

// Establishments returns every full record (for exports and evaluation).
func (s *Store) Establishments() ([]Establishment, error) {
	var es []Establishment
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		es, err = all[Establishment](tx, bucketEstablishments, nil)
		return err
	})
	return es, err
}

// Providers returns every provider, sorted by id.
func (s *Store) Providers() ([]Provider, error) {
	var ps []Provider
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		ps, err = all[Provider](tx, bucketProviders, nil)
		return err
	})
	return ps, err
}

func providerNames(tx *bolt.Tx) (map[string]string, error) {
	ps, err := all[Provider](tx, bucketProviders, nil)
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.ID] = p.Name
	}
	return m, err
}

// ProviderID is the id a provider's name is kept under: lower case words
// joined by hyphens ("Oak Tree Care Ltd" → "oak-tree-care-ltd").
func ProviderID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// ensureProvider finds or creates the provider of that name.
func (tx *Tx) ensureProvider(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	id := ProviderID(name)
	if id == "" {
		return "", &ValidationError{"provider " + name, []FieldError{{"provider", "needs at least one letter or digit"}}}
	}
	b := tx.tx.Bucket(bucketProviders)
	if b.Get([]byte(id)) != nil {
		return id, nil
	}
	if err := tx.put(bucketProviders, []byte(id), Provider{ID: id, Name: name}); err != nil {
		return "", err
	}
	tx.providers[id] = name
	tx.audit("provider.create", id, Change{Field: "name", After: name})
	return id, nil
}

// SaveEstablishment creates or updates an establishment (and its provider,
// by name, when new) as one audited change naming what changed. An
// establishment that is unchanged writes nothing.
func (s *Store) SaveEstablishment(e Establishment, providerName string) error {
	if err := e.Validate(defaultGeo()); err != nil {
		return err
	}
	return s.update(func(tx *Tx) error {
		_, err := tx.saveEstablishment(e, providerName, "")
		return err
	})
}

// saveEstablishment writes e and its listing row with an audit entry
// naming what changed; reason goes on a status change. It says what it
// did (nothing when nothing changed).
func (tx *Tx) saveEstablishment(e Establishment, providerName, reason string) (written, error) {
	w, err := tx.writeEstablishment(e, providerName, reason)
	if err != nil || !w.changed {
		return w, err
	}
	action := "establishment.update"
	if w.creating {
		action = "establishment.create"
	}
	tx.auditOwn(action, e.ID, w.changes) // made by writeEstablishment for it
	return w, nil
}

// written says what writeEstablishment did: whether the record is new,
// whether anything changed (nothing is written when not) and the fields
// that did.
type written struct {
	creating, changed bool
	changes           []Change
}

// writeEstablishment writes e and its listing row, recording no audit
// entry: its caller records the one entry that says what was done.
func (tx *Tx) writeEstablishment(e Establishment, providerName, reason string) (written, error) {
	var w written
	pid, err := tx.ensureProvider(providerName)
	if err != nil {
		return w, err
	}
	if providerName != "" || e.ProviderID == "" {
		e.ProviderID = pid
	}
	var old Establishment
	var before []byte
	if v := tx.tx.Bucket(bucketEstablishments).Get([]byte(e.ID)); v == nil {
		w.creating = true
	} else if err := json.Unmarshal(v, &old); err != nil {
		return w, undecodable(bucketEstablishments, []byte(e.ID), err)
	} else if before, err = json.Marshal(old); err != nil {
		return w, err
	}
	if w.creating {
		e.History = []StatusChange{{At: tx.now, To: e.Status, By: tx.s.actor, Reason: reasonOr(reason, "added to the register")}}
	} else {
		e.History = old.History
		if old.Status != e.Status {
			e.History = append(slices.Clip(e.History), StatusChange{At: tx.now, From: old.Status, To: e.Status, By: tx.s.actor, Reason: reason})
		}
	}
	data, err := json.Marshal(e)
	if err != nil {
		return w, err
	}
	w.changes = diffJSON(before, data)
	if !w.creating && len(w.changes) == 0 {
		return w, nil
	}
	w.changed = true
	if err := tx.putJSON(bucketEstablishments, []byte(e.ID), data); err != nil {
		return w, err
	}
	provider, err := tx.providerName(e.ProviderID)
	if err != nil {
		return w, err
	}
	row, err := json.Marshal(e.row(provider))
	if err != nil {
		return w, err
	}
	if bytes.Equal(row, tx.tx.Bucket(bucketRegister).Get([]byte(e.ID))) {
		return w, nil // the listing shows nothing that changed: written only when it does
	}
	return w, tx.putJSON(bucketRegister, []byte(e.ID), row)
}

// providerName is a provider's name by its id, read once a transaction.
func (tx *Tx) providerName(id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if name, ok := tx.providers[id]; ok {
		return name, nil
	}
	p, err := get[Provider](tx.tx, bucketProviders, []byte(id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return "", err
	}
	tx.providers[id] = p.Name
	return p.Name, nil
}

// defaultGeo is the gazetteer records are validated with.
func defaultGeo() *geo.Gazetteer { return geo.Default() }

func reasonOr(r, def string) string {
	if r == "" {
		return def
	}
	return r
}

// Suspensions returns an establishment's suspensions, oldest first; with
// id "" every establishment's.
func (s *Store) Suspensions(id string) ([]Suspension, error) {
	var out []Suspension
	prefix := []byte(nil)
	if id != "" {
		prefix = compositeKey(id, "")
	}
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = all[Suspension](tx, bucketSuspensions, prefix)
		return err
	})
	slices.SortFunc(out, func(a, b Suspension) int { return a.Since.Compare(b.Since) })
	return out, err
}

// Suspend suspends an establishment because a criterion failed: it is
// invited to nothing new, for any partner authority, until that criterion
// passes again (evaluation.md §1). One audited change.
func (s *Store) Suspend(id string, criterion engine.CriterionID, reason string) error {
	return s.update(func(tx *Tx) error { return tx.suspend(id, criterion, reason, tx.now) })
}

// suspend records a suspension in force since since (now, but for the
// demo's, which began before the demo was made) and the establishment's
// status change, with the entry saying so.
func (tx *Tx) suspend(id string, criterion engine.CriterionID, reason string, since time.Time) error {
	if !engine.KnownCriterion(criterion) {
		return fmt.Errorf("unknown criterion %q", criterion)
	}
	if strings.TrimSpace(reason) == "" {
		return errors.New("a suspension needs a reason")
	}
	e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(id))
	if err != nil {
		return fmt.Errorf("establishment %q: %w", id, err)
	}
	switch e.Status {
	case engine.Suspended:
		return fmt.Errorf("%s is already suspended", e.Name)
	case engine.Withdrawn, engine.Excluded:
		return fmt.Errorf("%s is %s: there is nothing to suspend", e.Name, e.Status)
	}
	b := tx.tx.Bucket(bucketSuspensions)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	sus := Suspension{Seq: seq, Establishment: id, Criterion: criterion, Reason: reason, Since: since, By: tx.s.actor}
	if err := tx.put(bucketSuspensions, suspensionKey(id, seq), sus); err != nil {
		return err
	}
	e.Status = engine.Suspended
	if _, err := tx.saveEstablishment(e, "", fmt.Sprintf("suspended: %s failed (%s)", criterion, reason)); err != nil {
		return err
	}
	tx.audit("suspension.start", id, Change{Field: "criterion", After: string(criterion)}, Change{Field: "reason", After: reason})
	return nil
}

func suspensionKey(id string, seq uint64) []byte {
	return append(compositeKey(id, ""), u64(seq)...)
}

// Lift lifts an establishment's open suspension once the failed criterion
// passes again: only that criterion is re-checked (evaluation.md §1). The
// evidence that lifts it is recorded.
func (s *Store) Lift(id, evidence string) error { return s.LiftAll([]string{id}, evidence) }

func (tx *Tx) lift(id, evidence string) error {
	e, open, err := tx.openSuspension(id)
	if err != nil {
		return err
	}
	st, err := tx.standing(&e)
	if err != nil {
		return err
	}
	if !st.Passes(open.Criterion) {
		f, _ := st.Failure(open.Criterion)
		where := "the new evidence for it"
		if f.Kind == engine.BelowFloor {
			where = "the new judgement on its page (e)"
		}
		return fmt.Errorf("%s still fails: %s; record %s first", e.Name, f.Text(), where)
	}
	if !st.StandsSomewhere() {
		// Lifting now would only put it back among those to suspend.
		return fmt.Errorf("%s also fails: %s; it would stay out of invitations, so it stays suspended", e.Name, st.Text())
	}
	open.LiftedAt, open.LiftedBy, open.Evidence = tx.now, tx.s.actor, evidence
	if err := tx.put(bucketSuspensions, suspensionKey(id, open.Seq), open); err != nil {
		return err
	}
	e.Status = engine.Qualified
	_, err = tx.saveEstablishment(e, "", "suspension lifted: "+evidence)
	tx.audit("suspension.lift", id, Change{Field: "criterion", After: string(open.Criterion)}, Change{Field: "evidence", After: evidence})
	return err
}

// openSuspension is a suspended establishment with its open suspension.
func (tx *Tx) openSuspension(id string) (Establishment, Suspension, error) {
	e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(id))
	if err != nil {
		return e, Suspension{}, fmt.Errorf("establishment %q: %w", id, err)
	}
	sus, err := all[Suspension](tx.tx, bucketSuspensions, compositeKey(id, ""))
	if err != nil {
		return e, Suspension{}, err
	}
	i := slices.IndexFunc(sus, Suspension.Open)
	if e.Status != engine.Suspended || i < 0 {
		return e, Suspension{}, fmt.Errorf("%s is not suspended", e.Name)
	}
	return e, sus[i], nil
}

// LiftRequest is the new evidence of a suspended establishment's failed
// criterion, seen today.
type LiftRequest struct {
	ID       string
	Evidence string // what was seen
	Expires  string // YYYY-MM-DD the new evidence lapses; "" when it does not
}

// LiftWithEvidence records, for each request, the new evidence of the
// suspension's failed criterion (passed, checked today) and lifts the
// suspension once the criterion passes: every one in one transaction, or,
// if any cannot be lifted, none, and nothing is recorded.
func (s *Store) LiftWithEvidence(reqs []LiftRequest) error {
	return s.update(func(tx *Tx) error {
		for _, r := range reqs {
			if err := tx.liftWithEvidence(r); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) liftWithEvidence(r LiftRequest) error {
	e, open, err := tx.openSuspension(r.ID)
	if err != nil {
		return err
	}
	ev := strings.TrimSpace(r.Evidence)
	today := tx.now.Format(time.DateOnly)
	hasExpiry := slices.ContainsFunc(engine.Criteria(), func(c engine.Criterion) bool { return c.ID == open.Criterion && c.HasExpiry })
	switch {
	case ev == "":
		return fmt.Errorf("%s: say what new evidence was seen", e.Name)
	case r.Expires == "" && hasExpiry:
		return fmt.Errorf("%s: the new %s evidence needs its expiry date (YYYY-MM-DD)", e.Name, open.Criterion)
	case r.Expires != "" && !ValidDate(r.Expires):
		return fmt.Errorf("%s: expiry %q is not a real date (YYYY-MM-DD)", e.Name, r.Expires)
	case r.Expires != "" && r.Expires < today:
		return fmt.Errorf("%s: expiry %s is already past", e.Name, r.Expires)
	}
	err = tx.change(r.ID, "qualification.check", func(tx *Tx, e *Establishment) ([]Change, string, error) {
		old := e.Check(open.Criterion)
		c := Check{ID: open.Criterion, Passed: true, Evidence: ev, Checked: today, Expires: r.Expires}
		e.SetCheck(c)
		return checkChanges(old, c), "", nil
	})
	if err != nil {
		return err
	}
	return tx.lift(r.ID, ev)
}

// EditEstablishment saves an edit made on a form that opened the record
// as base. Someone else may have changed it since (a suspension, a check,
// another edit — the store is shared): what this edit changed is applied
// to the record as it is now, and the rest of it is kept. A field both
// changed, differently, is a conflict: nothing is saved, and each such
// field says what it is now, so the editor can decide.
func (s *Store) EditEstablishment(base, next Establishment, providerName string) error {
	if base.ID != next.ID {
		return fmt.Errorf("an edit cannot change the id (%s to %s)", base.ID, next.ID)
	}
	return s.update(func(tx *Tx) error {
		cur, err := get[Establishment](tx.tx, bucketEstablishments, []byte(base.ID))
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%s is no longer on the register: %w", base.ID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		merged, conflicts, err := merge3(base, next, cur)
		if err != nil {
			return err
		}
		if len(conflicts) > 0 {
			v := &ValidationError{Record: base.ID}
			for _, c := range conflicts {
				v.Problems = append(v.Problems, FieldError{Field: c.field, Message: "changed by someone else since this form opened; it is now " + c.now})
			}
			return v
		}
		if err := merged.Validate(defaultGeo()); err != nil {
			return err
		}
		_, err = tx.saveEstablishment(merged, providerName, "")
		return err
	})
}

type conflict struct{ field, now string }

// merge3 applies the change from base to next onto cur, field by field
// (the record's JSON fields), reporting the fields changed on both sides
// to different values.
func merge3[T any](base, next, cur T) (T, []conflict, error) {
	var out T
	fields := func(v T) (map[string]json.RawMessage, error) {
		data, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		m := map[string]json.RawMessage{}
		return m, json.Unmarshal(data, &m)
	}
	b, err := fields(base)
	if err != nil {
		return out, nil, err
	}
	n, err := fields(next)
	if err != nil {
		return out, nil, err
	}
	c, err := fields(cur)
	if err != nil {
		return out, nil, err
	}
	var conflicts []conflict
	keys := slices.Sorted(maps.Keys(n))
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if _, ok := n[k]; !ok {
			keys = append(keys, k) // cleared by this edit
		}
	}
	for _, k := range keys {
		if bytes.Equal(b[k], n[k]) {
			continue // not this edit's change: cur's stands
		}
		if !bytes.Equal(c[k], b[k]) && !bytes.Equal(c[k], n[k]) {
			conflicts = append(conflicts, conflict{field: k, now: shortJSON(c[k])})
			continue
		}
		if n[k] == nil {
			delete(c, k)
		} else {
			c[k] = n[k]
		}
	}
	data, err := json.Marshal(c)
	if err != nil {
		return out, nil, err
	}
	return out, conflicts, json.Unmarshal(data, &out)
}

// shortJSON is a field's value as a person reads it.
func shortJSON(raw json.RawMessage) string {
	if raw == nil {
		return "empty"
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strconv.Quote(s)
	}
	t := string(raw)
	if len(t) > 60 {
		t = t[:57] + "..."
	}
	return t
}

// LiftAll lifts several suspensions whose criterion passes again, with
// the evidence that lifts them: every one in one transaction, or none.
func (s *Store) LiftAll(ids []string, evidence string) error {
	if strings.TrimSpace(evidence) == "" {
		return errors.New("say what evidence lifts the suspension")
	}
	return s.update(func(tx *Tx) error {
		for _, id := range ids {
			if err := tx.lift(id, evidence); err != nil {
				return err
			}
		}
		return nil
	})
}
