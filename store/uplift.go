package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// UpliftRequest is a fee uplift for a category (business case 11.1, "a
// common approach to annual fee and cost reviews"): a percentage from a
// day, applied to the qualified core costs of the category's
// establishments and to its live placements' core costs.
type UpliftRequest struct {
	Category string
	Percent  engine.Percent
	From     string // YYYY-MM-DD
	// Previewed, when set, is the Digest of the preview the person was
	// shown: the uplift is applied only if it is still exactly that (a
	// change to the register or the placements since refuses it).
	Previewed string
}

// Digest is the SHA-256 of a preview, as an applied uplift keeps it.
func (pv *UpliftPreview) Digest() string { return digest(pv) }

// UpliftLine is one establishment's or placement's weekly cost before and
// after.
type UpliftLine struct {
	ID        string `json:"id"`   // the establishment's, or the placement's
	Name      string `json:"name"` // the establishment's
	Authority string `json:"authority,omitempty"`
	OldPence  int64  `json:"old_pence"` // core weekly cost
	NewPence  int64  `json:"new_pence"`
	OldNet    int64  `json:"old_net,omitempty"` // a placement's net weekly cost
	NewNet    int64  `json:"new_net,omitempty"`
	From      string `json:"from,omitempty"` // a placement's new period starts then
	OverCap   bool   `json:"over_cap,omitempty"`
}

// UpliftPreview is what an uplift changes: every establishment and
// placement with its old and new weekly cost, the annual effect per
// authority, and the category's cap beside it. Applying gives exactly it.
type UpliftPreview struct {
	Category       string           `json:"category"`
	Title          string           `json:"title"`
	Percent        engine.Percent   `json:"percent"`
	From           string           `json:"from"`
	CapPence       int64            `json:"cap_pence,omitempty"`
	Establishments []UpliftLine     `json:"establishments"`
	Placements     []UpliftLine     `json:"placements"`
	AnnualPence    map[string]int64 `json:"annual_pence"` // authority → net annual effect of its placements
	OverCap        int              `json:"over_cap"`     // establishments the uplift takes over the cap
}

// Uplift is an applied fee uplift, kept.
type Uplift struct {
	Category       string         `json:"category"`
	Percent        engine.Percent `json:"percent"`
	From           string         `json:"from"`
	Establishments int            `json:"establishments"`
	Placements     int            `json:"placements"`
	Digest         string         `json:"digest"` // SHA-256 of the preview applied
	By             string         `json:"by"`
	At             time.Time      `json:"at"`
}

// upliftRecords are the records an uplift's lines come from.
type upliftRecords struct {
	establishments []Establishment
	placements     []placementCosts
}

// placementCosts is a placement's row and cost history, and the period
// an uplift adds.
type placementCosts struct {
	row   PlacementRow
	costs []CostPeriod
	next  CostPeriod
}

// upliftKey is category 0x00 from: one uplift per category and day.
func upliftKey(category, from string) []byte { return compositeKey(category, from) }

// PreviewUplift works out what an uplift would change, changing nothing.
func (s *Store) PreviewUplift(req UpliftRequest) (*UpliftPreview, error) {
	if err := s.mayConfigure("fees (an uplift)"); err != nil {
		return nil, err
	}
	var pv *UpliftPreview
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		pv, _, err = previewUplift(tx, req)
		return err
	})
	return pv, err
}

// previewUplift is the one computation preview and apply share. Which
// establishments: qualified or suspended ones holding the category, with
// a core cost. Which placements: live ones of the category not ended by
// the day; each one's new period starts on the day, or on its start or
// its latest cost change when later (decided), at its core cost then,
// raised.
//
// It returns, beside the preview, the records its lines were worked out
// from, in the lines' order, so that applying it reads each once.
func previewUplift(tx *bolt.Tx, req UpliftRequest) (*UpliftPreview, *upliftRecords, error) {
	var ps problems
	if !ValidDate(req.From) {
		ps.add("from", "%q is not a real date (YYYY-MM-DD)", req.From)
	}
	if req.Percent <= 0 || req.Percent > engine.MaxUpliftBasisPoints {
		ps.add("percent", "an uplift is more than 0%% and at most 100%%")
	}
	if err := ps.err("uplift of " + req.Category); err != nil {
		return nil, nil, err
	}
	c, err := get[Category](tx, bucketCategories, []byte(req.Category))
	if errors.Is(err, ErrNotFound) {
		return nil, nil, fmt.Errorf("category %q: %w", req.Category, ErrNotFound)
	}
	if err != nil {
		return nil, nil, err
	}
	if b := tx.Bucket(bucketUplifts); b != nil {
		if v := b.Get(upliftKey(req.Category, req.From)); v != nil {
			u, _ := get[Uplift](tx, bucketUplifts, upliftKey(req.Category, req.From))
			return nil, nil, fmt.Errorf("%s fees were uplifted by %s from %s already (by %s, %s): one uplift per category and day", c.Title, u.Percent, engine.ShowDate(u.From), u.By, engine.DateText(u.At.Local()))
		}
	}
	recs := &upliftRecords{}
	pv := &UpliftPreview{Category: c.ID, Title: c.Title, Percent: req.Percent, From: req.From, CapPence: c.AffordabilityCapPence, AnnualPence: map[string]int64{}}
	cur := tx.Bucket(bucketEstablishments).Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		var e Establishment
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, nil, undecodable(bucketEstablishments, k, err)
		}
		if (e.Status != engine.Qualified && e.Status != engine.Suspended) || !slices.Contains(e.Categories, c.ID) || e.CoreWeeklyPence <= 0 {
			continue
		}
		l := UpliftLine{ID: e.ID, Name: e.Name, OldPence: e.CoreWeeklyPence, NewPence: engine.UpliftPence(e.CoreWeeklyPence, req.Percent)}
		if l.NewPence > MaxWeeklyPence {
			return nil, nil, fmt.Errorf("%s (%s): %s a week raised by %s is over the most a weekly cost can be (%s)", e.Name, e.ID, Pounds(l.OldPence), req.Percent, Pounds(MaxWeeklyPence))
		}
		l.OverCap = c.AffordabilityCapPence > 0 && l.NewPence > c.AffordabilityCapPence && l.OldPence <= c.AffordabilityCapPence
		if l.OverCap {
			pv.OverCap++
		}
		pv.Establishments = append(pv.Establishments, l)
		recs.establishments = append(recs.establishments, e)
	}
	if len(pv.Establishments) == 0 {
		return nil, nil, fmt.Errorf("%s has no qualified establishments: there is no fee to uplift", c.Title)
	}
	// From the listing rows and the cost records: the placements' reviews
	// are not read.
	if b := tx.Bucket(bucketPlacementIndex); b != nil {
		cur := b.Cursor()
		for k, v := cur.First(); k != nil; k, v = cur.Next() {
			var r PlacementRow
			if err := r.UnmarshalJSON(v); err != nil {
				return nil, nil, undecodable(bucketPlacementIndex, k, err)
			}
			if r.Status != PlacementLive || r.Category != c.ID || len(r.Costs) == 0 {
				continue
			}
			costs, err := get[[]CostPeriod](tx, bucketPlacementCosts, k)
			if err != nil || len(costs) == 0 {
				return nil, nil, fmt.Errorf("placement %s: its costs: %w", r.ID, cmp.Or(err, ErrNotFound))
			}
			p := Placement{ID: r.ID, Start: r.Start, Costs: costs}
			from := max(req.From, r.Start, costs[len(costs)-1].From)
			old := p.CostOn(from)
			next := old
			next.CoreWeeklyPence = engine.UpliftPence(old.CoreWeeklyPence, req.Percent)
			next.net()
			pv.Placements = append(pv.Placements, UpliftLine{ID: r.ID, Name: r.Name, Authority: r.Authority, OldPence: old.CoreWeeklyPence,
				NewPence: next.CoreWeeklyPence, OldNet: old.NetWeeklyPence, NewNet: next.NetWeeklyPence, From: from})
			recs.placements = append(recs.placements, placementCosts{row: r, costs: costs, next: next})
			pv.AnnualPence[r.Authority] += engine.AnnualPence(next.NetWeeklyPence - old.NetWeeklyPence)
		}
	}
	return pv, recs, nil
}

// ApplyUplift applies an uplift in one transaction, exactly as its preview
// says (it is worked out again inside the change): each establishment's
// qualified core cost (the register's figure from now on, which new
// invitations and the cap use) and each live placement's cost history gains
// a period from the day. Every record changed has its audit entry; the
// uplift itself is kept with the SHA-256 of what it changed. It returns
// what it applied.
func (s *Store) ApplyUplift(req UpliftRequest) (*UpliftPreview, error) {
	if err := s.mayConfigure("fees (an uplift)"); err != nil {
		return nil, err
	}
	var pv *UpliftPreview
	err := s.update(func(tx *Tx) error {
		var err error
		pv, err = tx.applyUplift(req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return pv, nil
}

func (tx *Tx) applyUplift(req UpliftRequest) (*UpliftPreview, error) {
	pv, recs, err := previewUplift(tx.tx, req)
	if err != nil {
		return nil, err
	}
	// The register's core costs change when the uplift is applied, and a
	// referral issued after freezes them: applied before its first day,
	// it would raise today's costs early. Preview it any day; apply it on
	// or after the day (placements' new periods start on the day itself).
	if today := engine.Day(tx.now).Format(time.DateOnly); pv.From > today {
		return nil, &ValidationError{Record: "uplift of " + req.Category, Problems: []FieldError{{"from", fmt.Sprintf(
			"an uplift from %s is applied on or after that day, not before: the register's core costs change when it is applied; preview it now, apply it then", engine.ShowDate(pv.From))}}}
	}
	if req.Previewed != "" && pv.Digest() != req.Previewed {
		return nil, errors.New("the establishments or placements of " + req.Category + " changed since the preview: nothing was applied; look at the preview again")
	}
	why := fmt.Sprintf("fee uplift %s from %s (%s)", pv.Percent, pv.From, pv.Title)
	if tx.providers == nil {
		if tx.providers, err = providerNames(tx.tx); err != nil {
			return nil, err
		}
	}
	for i, l := range pv.Establishments {
		e := recs.establishments[i]
		e.CoreWeeklyPence = l.NewPence
		if err := tx.put(bucketEstablishments, []byte(e.ID), e); err != nil {
			return nil, err
		}
		if err := tx.put(bucketRegister, []byte(e.ID), e.row(tx.providers[e.ProviderID])); err != nil {
			return nil, err
		}
		tx.audit("establishment.uplift", e.ID, Change{Field: "core_weekly_pence", Before: fmt.Sprint(l.OldPence), After: fmt.Sprint(l.NewPence)},
			Change{Field: "why", After: why})
	}
	for i, l := range pv.Placements {
		pc := recs.placements[i]
		if err := tx.s.mayPlacement(pc.row.ID, pc.row.Authority); err != nil {
			return nil, err
		}
		next := pc.next
		next.From, next.Why, next.By, next.At = l.From, why, tx.s.actor, tx.now
		costs := append(slices.Clip(pc.costs), next)
		row := pc.row
		row.Costs = append(slices.Clip(row.Costs), CostStep{From: next.From, NetWeeklyPence: next.NetWeeklyPence})
		if err := tx.put(bucketPlacementCosts, []byte(row.ID), costs); err != nil {
			return nil, err
		}
		if err := tx.put(bucketPlacementIndex, []byte(row.ID), row); err != nil {
			return nil, err
		}
		tx.audit("placement.uplift", row.ID,
			Change{Field: "from", After: l.From},
			Change{Field: "core_weekly_pence", Before: fmt.Sprint(l.OldPence), After: fmt.Sprint(l.NewPence)},
			Change{Field: "net_weekly_pence", Before: fmt.Sprint(l.OldNet), After: fmt.Sprint(l.NewNet)},
			Change{Field: "why", After: why})
	}
	if _, err := tx.tx.CreateBucketIfNotExists(bucketUplifts); err != nil {
		return nil, err
	}
	u := Uplift{Category: pv.Category, Percent: pv.Percent, From: pv.From, Establishments: len(pv.Establishments), Placements: len(pv.Placements),
		Digest: pv.Digest(), By: tx.s.actor, At: tx.now}
	var annual []string
	for _, a := range sortedKeys(pv.AnnualPence) {
		annual = append(annual, fmt.Sprintf("%s %s", a, Pounds(pv.AnnualPence[a])))
	}
	tx.audit("category.uplift", pv.Category, Change{Field: "percent", After: pv.Percent.String()}, Change{Field: "from", After: pv.From},
		Change{Field: "establishments", After: fmt.Sprint(u.Establishments)}, Change{Field: "placements", After: fmt.Sprint(u.Placements)},
		Change{Field: "annual_effect", After: strings.Join(annual, "; ")}, Change{Field: "applied", After: "sha256 " + u.Digest})
	return pv, tx.put(bucketUplifts, upliftKey(u.Category, u.From), u)
}

// Uplifts lists the uplifts applied, by category and day.
func (s *Store) Uplifts() ([]Uplift, error) {
	var out []Uplift
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketUplifts) == nil {
			return nil
		}
		var err error
		out, err = all[Uplift](tx, bucketUplifts, nil)
		return err
	})
	return out, err
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
