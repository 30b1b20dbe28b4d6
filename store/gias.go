package store

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/engine/gias"

	bolt "go.etcd.io/bbolt"
)

// The register kept true from the DfE's own data (`dpsdesk import gias`):
// a GIAS download is matched to the register by URN, and what it says of
// an establishment's latest inspection, name, postcode, proprietor and
// closure is planned as changes, printed, and with --apply made in one
// transaction, each establishment's change audited with the download as
// its source. Standing (evaluation.md §1) then does the rest by itself: a
// judgement below a category's floor, or a closure, fails that criterion
// from today, so the establishment leaves invitations and shows in the
// review queue with "GIAS" in the reason.
//
// What GIAS says of the SEN-relevant establishments (and of those on the
// register) is kept in the gias bucket, by URN, apart from the register's
// own records, and replaced whole by the next import: the market beyond
// the register (Reports) and the new-establishment form read it.

// bucketGIAS holds the facts of the last GIAS import. It is made by the
// first import, so older stores need no upgrade.
var bucketGIAS = []byte("gias")

// MarketMaxMiles is how far from a partner's area a fact's distance is
// kept; DefaultMarketMiles is the radius the Reports screen counts within.
const (
	MarketMaxMiles     = 50.0
	DefaultMarketMiles = 20.0
)

// GIASFact is what the last import said of one establishment.
type GIASFact struct {
	URN        string       `json:"urn"`
	Name       string       `json:"name"`
	Type       string       `json:"type"`
	Category   string       `json:"category,omitempty"` // the DPS category of a SEN-relevant kind
	Status     string       `json:"status"`
	LA         string       `json:"la,omitempty"`
	Town       string       `json:"town,omitempty"`
	Postcode   string       `json:"postcode,omitempty"`
	Location   geo.Location `json:"location,omitzero"`
	LowAge     int          `json:"low_age,omitempty"`
	HighAge    int          `json:"high_age,omitempty"`
	Boarders   string       `json:"boarders,omitempty"`
	Capacity   int          `json:"capacity,omitempty"`
	Pupils     int          `json:"pupils,omitempty"`
	SEN        []string     `json:"sen,omitempty"`
	Inspection string       `json:"inspection,omitempty"` // in words: "Ofsted Good (11 Nov 2024)"
	// Judgement is that inspection as the register records one, when GIAS
	// gives a judgement in a framework's words.
	Judgement  *Inspection `json:"judgement,omitempty"`
	Proprietor string      `json:"proprietor,omitempty"`
	// Areas is the distance in miles from each partner authority's area
	// (by code), for those within MarketMaxMiles; 0 inside it.
	Areas  map[string]float64 `json:"areas,omitempty"`
	Source string             `json:"source"` // "GIAS 2026-11-28"
}

// Open reports whether GIAS says it is open (closing or not).
func (f *GIASFact) Open() bool {
	return f.Status == gias.StatusOpen || f.Status == gias.StatusProposedClose
}

// Miles is its distance from the nearest partner area and that area's code
// ("" when none is within MarketMaxMiles).
func (f *GIASFact) Miles() (string, float64) {
	best, miles := "", math.Inf(1)
	for _, code := range slices.Sorted(maps.Keys(f.Areas)) {
		if d := f.Areas[code]; d < miles {
			best, miles = code, d
		}
	}
	return best, miles
}

// GIASNote is something about one row the import leaves alone: a value
// not recognised, an older inspection, a postcode the desk cannot place.
type GIASNote struct {
	Line    int
	URN     string
	ID      string // the register's id, when on the register
	Message string
}

func (n GIASNote) String() string {
	who := "URN " + n.URN
	if n.ID != "" && n.ID != n.URN {
		who = n.ID + " (URN " + n.URN + ")"
	}
	return fmt.Sprintf("line %d: %s: %s", n.Line, who, n.Message)
}

// GIASChange is what the import changes of one establishment.
type GIASChange struct {
	ID, Name, URN string
	Line          int
	// Changes are its audit entry's changes after the source, one per
	// field: name, postcode, provider, inspection, status.
	Changes []Change
	// Fails is what now fails that did not before, in words ("" when
	// nothing new fails): it is out of those invitations from today.
	Fails string
	rec   gias.Record
}

// GIASPlan is what an import of one download would change.
type GIASPlan struct {
	Source  string
	Rows    int // rows read
	Matched int // rows whose URN is on the register
	Changes []GIASChange
	// Unknown values are left alone; Notes are rows left alone for other
	// reasons; Missing are register establishments whose URN the file
	// does not have (closed, merged or mistyped).
	Unknown  []GIASNote
	Notes    []GIASNote
	Missing  []RegisterRow
	Problems []error // bad rows: nothing may be applied
	Facts    []GIASFact
}

// giasPlanner works out one establishment's changes; planning and applying
// share it, so the preview is what --apply does.
type giasPlanner struct {
	source string
	today  time.Time
	floors Floors
	g      *geo.Gazetteer
}

// establishment applies rec to e (a copy): it returns the changed record,
// its provider's name, the changes, and what it leaves alone.
func (p *giasPlanner) establishment(e Establishment, provider string, rec *gias.Record) (Establishment, string, []Change, []GIASNote, []GIASNote) {
	e.Inspections, e.Checks = slices.Clone(e.Inspections), slices.Clone(e.Checks)
	var ch []Change
	var notes, unknown []GIASNote
	note := func(list *[]GIASNote, format string, args ...any) {
		*list = append(*list, GIASNote{Line: rec.Line, URN: rec.URN, ID: e.ID, Message: fmt.Sprintf(format, args...)})
	}
	// Name.
	if rec.Name != e.Name {
		if msg := textProblem(rec.Name, MaxNameLen); msg != "" {
			note(&notes, "name %s: left alone", msg)
		} else {
			ch = append(ch, Change{Field: "name", Before: e.Name, After: rec.Name})
			e.Name = rec.Name
		}
	}
	// Postcode: a full one that places the establishment.
	if rec.Postcode != "" {
		pc, err := geo.Parse(rec.Postcode)
		var loc geo.Location
		if err == nil {
			loc, err = p.g.Resolve(rec.Postcode)
		}
		switch {
		case err != nil:
			note(&notes, "postcode %q is not one the desk can place: left alone", rec.Postcode)
		case pc.String() != e.Postcode:
			ch = append(ch, Change{Field: "postcode", Before: e.Postcode, After: pc.String()})
			e.Postcode, e.Location = pc.String(), loc
		}
	}
	// Proprietor: the provider, by name.
	if rec.Proprietor != "" && rec.Proprietor != provider {
		if msg := textProblem(rec.Proprietor, MaxNameLen); msg != "" || ProviderID(rec.Proprietor) == "" {
			note(&notes, "proprietor %q cannot be a provider's name: left alone", rec.Proprietor)
		} else {
			ch = append(ch, Change{Field: "provider", Before: provider, After: rec.Proprietor})
			provider = rec.Proprietor
		}
	}
	// Inspection: only a newer judgement replaces the one recorded.
	in := rec.Inspection()
	latest, hasLatest := e.Inspection()
	switch in.Kind {
	case gias.UnknownJudgement:
		note(&unknown, "%s %q is not a rating the desk knows: left alone", gias.ColOfstedRating, in.Word)
	case gias.NotJudged:
		if !in.Date.IsZero() && (!hasLatest || in.Date.Format(time.DateOnly) > latest.Date) {
			what := in.Inspectorate + " inspected it"
			if in.Word != "" {
				what += " (" + in.Word + ")"
			}
			note(&notes, "%s on %s; GIAS holds no judgement the desk can record: record it from the report", what, engine.DateText(in.Date))
		}
	case gias.Judged:
		j := in.Judgement
		date := j.Date.Format(time.DateOnly)
		i := slices.IndexFunc(e.Inspections, func(x Inspection) bool { return x.Framework == j.Framework })
		switch {
		case j.Date.IsZero():
			note(&notes, "%s %s has no inspection date: left alone", j.Framework.Title(), j.Grade)
		case i >= 0 && e.Inspections[i].Date >= date:
			if old := e.Inspections[i]; old.Grade != j.Grade || old.Date != date {
				note(&notes, "GIAS's %s %s (%s) is not newer than the register's %s (%s): left alone", j.Framework.Title(), j.Grade, date, old.Grade, orWord(old.Date, "undated"))
			}
		default:
			next := Inspection{Framework: j.Framework, Grade: j.Grade, Date: date, Source: p.source}
			before := "none"
			if i >= 0 {
				before = inspectionWords(e.Inspections[i])
				e.Inspections[i] = next
			} else {
				e.Inspections = append(e.Inspections, next)
			}
			ch = append(ch, Change{Field: "inspection", Before: before, After: inspectionWords(next)})
		}
	}
	// Status: a closure fails registration from today.
	switch {
	case !gias.KnownStatus(rec.Status):
		note(&unknown, "%s %q is not a status the desk knows: left alone", gias.ColStatus, rec.Status)
	case rec.Closed():
		closed := "closed"
		if !rec.CloseDate.IsZero() {
			closed += " " + engine.DateText(rec.CloseDate)
		}
		source := p.source + ": " + closed
		reg := e.Check(engine.CritRegistration)
		if reg.Passed || !strings.HasPrefix(reg.Source, "GIAS ") {
			c := Check{ID: engine.CritRegistration, Passed: false, Evidence: source, Checked: p.today.Format(time.DateOnly), Source: source}
			ch = append(ch, Change{Field: "status", Before: "registration " + passWord(reg.Passed, reg.Checked), After: closed + ": registration fails"})
			e.SetCheck(c)
		}
	case rec.Status == gias.StatusProposedClose:
		note(&notes, "GIAS says %q", rec.Status)
	}
	if reg := e.Check(engine.CritRegistration); rec.Open() && !reg.Passed && strings.HasPrefix(reg.Source, "GIAS ") {
		note(&notes, "GIAS says it is open again, but its registration still fails (%s): record the registration check once it is confirmed", reg.Source)
	}
	return e, provider, ch, notes, unknown
}

func orWord(s, word string) string {
	if s == "" {
		return word
	}
	return s
}

// inspectionWords is a judgement as the preview and the audit write it.
func inspectionWords(in Inspection) string {
	return fmt.Sprintf("%s %s (%s)", in.Framework.Title(), in.Grade, orWord(in.Date, "undated"))
}

// newlyFailing says what fails after that did not before, "" when nothing.
func newlyFailing(before, after Standing) string {
	if sameFailures(before, after) || after.Stands() {
		return ""
	}
	return after.Text()
}

func sameFailures(a, b Standing) bool {
	for _, c := range b.Categories {
		fa, fb := a.In(c), b.In(c)
		if len(fa) != len(fb) {
			return false
		}
		for i := range fa {
			if fa[i].Criterion != fb[i].Criterion || fa[i].Kind != fb[i].Kind {
				return false
			}
		}
	}
	return true
}

// PlanGIAS reads a download (the stream r) and works out what an import
// would change. source names the download in the audit trail ("GIAS
// 2026-11-28"). A header without the columns the import needs is an error
// (*gias.HeaderError); bad rows are the plan's Problems, every one listed.
func (s *Store) PlanGIAS(r io.Reader, source string) (*GIASPlan, error) {
	rows, err := s.Register() // the listing: the full records only of those matched
	if err != nil {
		return nil, err
	}
	byURN := map[string][]string{}
	for _, row := range rows {
		if row.URN != "" {
			byURN[row.URN] = append(byURN[row.URN], row.ID)
		}
	}
	plan := &GIASPlan{Source: source}
	var matched []gias.Record
	seen := map[string]bool{}
	err = readGIAS(r, source, func(rec *gias.Record) bool { return len(byURN[rec.URN]) > 0 }, func(rec *gias.Record) {
		if !seen[rec.URN] {
			seen[rec.URN] = true
			matched = append(matched, *rec)
		}
	}, plan)
	if err != nil {
		return nil, err
	}
	plan.Matched = len(matched)
	err = s.view(func(tx *bolt.Tx) error {
		floors, err := floorsIn(tx)
		if err != nil {
			return err
		}
		names, err := providerNames(tx)
		if err != nil {
			return err
		}
		pl := &giasPlanner{source: source, today: s.now(), floors: floors, g: defaultGeo()}
		for i := range matched {
			rec := &matched[i]
			for _, id := range byURN[rec.URN] {
				e, err := get[Establishment](tx, bucketEstablishments, []byte(id))
				if err != nil {
					return fmt.Errorf("establishment %q: %w", id, err)
				}
				next, _, ch, notes, unknown := pl.establishment(e, names[e.ProviderID], rec)
				plan.Notes, plan.Unknown = append(plan.Notes, notes...), append(plan.Unknown, unknown...)
				if len(ch) > 0 {
					fails := newlyFailing(StandingOf(&e, pl.today, floors), StandingOf(&next, pl.today, floors))
					plan.Changes = append(plan.Changes, GIASChange{ID: e.ID, Name: e.Name, URN: e.URN, Line: rec.Line, Changes: ch, Fails: fails, rec: *rec})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		if row.URN != "" && !seen[row.URN] {
			plan.Missing = append(plan.Missing, row)
		}
	}
	slices.SortStableFunc(plan.Changes, func(a, b GIASChange) int { return strings.Compare(a.ID, b.ID) })
	return plan, nil
}

// readGIAS streams the download, calls matched for each good row that keep
// says is on the register, and fills plan's row count, problems and facts
// (every open SEN-relevant establishment and every kept one), with their
// distances from the partners' areas.
func readGIAS(r io.Reader, source string, keep func(*gias.Record) bool, matched func(*gias.Record), plan *GIASPlan) error {
	rd, err := gias.NewReader(r)
	if err != nil {
		return err
	}
	g := defaultGeo()
	areas := newAreaPoints()
	las := map[string]string{} // LA name → authority code
	for code, la := range gias.PartnerLAs() {
		las[la] = code
	}
	firstLine := map[string]int{}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			plan.Problems = append(plan.Problems, err)
			var re *gias.RowError
			if errors.As(err, &re) && !re.Stop {
				continue
			}
			break
		}
		if first, dup := firstLine[rec.URN]; dup {
			plan.Problems = append(plan.Problems, &gias.RowError{Line: rec.Line, Column: gias.ColURN, Message: fmt.Sprintf("%s is also on line %d", rec.URN, first)})
			continue
		}
		firstLine[strings.Clone(rec.URN)] = rec.Line
		var loc geo.Location
		located := false
		if rec.Postcode != "" {
			if l, err := g.Resolve(rec.Postcode); err == nil {
				loc, located = l, true
			}
		}
		if code, ok := las[rec.LA]; ok && located && rec.Open() {
			areas.add(code, rec.Postcode, loc)
		}
		onRegister := keep(&rec)
		kind, relevant := rec.MarketKind()
		relevant = relevant && rec.Open()
		if onRegister || relevant {
			rec.Own() // kept past the next row
		}
		if onRegister {
			matched(&rec)
		}
		if relevant || onRegister {
			f := GIASFact{URN: rec.URN, Name: rec.Name, Type: rec.Type, Category: kind.Category, Status: rec.Status, LA: rec.LA,
				Town: rec.Town, Postcode: rec.Postcode, LowAge: rec.LowAge, HighAge: rec.HighAge, Boarders: rec.Boarders,
				Capacity: rec.Capacity, Pupils: rec.Pupils, SEN: rec.SENCodes(), Proprietor: rec.Proprietor, Source: source}
			if located {
				f.Location = loc
			}
			in := rec.Inspection()
			f.Inspection = inspectionText(in)
			if in.Kind == gias.Judged && !in.Date.IsZero() {
				f.Judgement = &Inspection{Framework: in.Judgement.Framework, Grade: in.Judgement.Grade, Date: in.Date.Format(time.DateOnly), Source: source}
			}
			if code, ok := las[rec.LA]; ok && located {
				f.Areas = map[string]float64{code: 0}
			}
			plan.Facts = append(plan.Facts, f)
		}
	}
	plan.Rows = rd.Rows()
	for i := range plan.Facts {
		areas.distances(&plan.Facts[i])
	}
	return nil
}

// postcodeSector is a postcode's sector ("RH12 1"), the place the desk
// knows it by.
func postcodeSector(postcode string) string {
	if pc, err := geo.Parse(postcode); err == nil {
		return pc.SectorKey()
	}
	return postcode
}

// inspectionText is the inspection a fact shows, in words.
func inspectionText(in gias.Inspection) string {
	date := ""
	if !in.Date.IsZero() {
		date = " (" + engine.DateText(in.Date) + ")"
	}
	switch in.Kind {
	case gias.Judged:
		return in.Judgement.Framework.Title() + " " + in.Judgement.Grade + date
	case gias.NotJudged:
		return strings.TrimSpace(in.Inspectorate+" "+in.Word) + date
	case gias.UnknownJudgement:
		return fmt.Sprintf("%q (not a rating the desk knows)%s", in.Word, date)
	}
	return ""
}

// areaPoints are the places of each partner's area: the postcode sectors
// of the open establishments GIAS puts in it, which cover a county well.
// A distance from the area is the distance to the nearest of them.
type areaPoints struct {
	points map[string][]geo.Location
	seen   map[string]bool
	box    map[string][4]float64 // minLat, maxLat, minLon, maxLon
}

func newAreaPoints() *areaPoints {
	return &areaPoints{points: map[string][]geo.Location{}, seen: map[string]bool{}, box: map[string][4]float64{}}
}

func (a *areaPoints) add(code, postcode string, loc geo.Location) {
	key := code + "|" + postcodeSector(postcode)
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	b, ok := a.box[code]
	if !ok {
		b = [4]float64{loc.Lat, loc.Lat, loc.Lon, loc.Lon}
	}
	b = [4]float64{min(b[0], loc.Lat), max(b[1], loc.Lat), min(b[2], loc.Lon), max(b[3], loc.Lon)}
	a.box[code] = b
	a.points[code] = append(a.points[code], loc)
}

// distances fills f.Areas with the miles to each area within
// MarketMaxMiles (an area f is in is 0 already).
func (a *areaPoints) distances(f *GIASFact) {
	if !f.Location.Valid() || (f.Location == geo.Location{}) {
		return
	}
	const degLat = MarketMaxMiles / 69.0 // a degree of latitude is about 69 miles
	degLon := MarketMaxMiles / (69.0 * math.Cos(f.Location.Lat*math.Pi/180))
	for code, pts := range a.points {
		if _, in := f.Areas[code]; in {
			continue
		}
		b := a.box[code]
		if f.Location.Lat < b[0]-degLat || f.Location.Lat > b[1]+degLat || f.Location.Lon < b[2]-degLon || f.Location.Lon > b[3]+degLon {
			continue
		}
		best := math.Inf(1)
		for _, p := range pts {
			best = min(best, geo.DistanceMiles(f.Location, p))
		}
		if best <= MarketMaxMiles {
			if f.Areas == nil {
				f.Areas = map[string]float64{}
			}
			f.Areas[code] = math.Round(best*100) / 100
		}
	}
}

// GIASResult says what an applied import did.
type GIASResult struct {
	Changes []GIASChange // as applied, the same as the plan's
	Facts   int
}

// ApplyGIAS makes the plan's changes in one transaction: each
// establishment's change audited with the download as its source, and the
// facts kept replaced whole. A plan with problems is refused, and if any
// change cannot be made nothing is. Each change is worked out again on
// the record as it is now, so one edited since the preview is changed by
// what the download says of it now.
func (s *Store) ApplyGIAS(plan *GIASPlan) (GIASResult, error) {
	var res GIASResult
	if len(plan.Problems) > 0 {
		return res, fmt.Errorf("the file has %d bad rows: nothing was imported", len(plan.Problems))
	}
	if err := s.mayWrite(); err != nil {
		return res, err
	}
	err := s.update(func(tx *Tx) error {
		res = GIASResult{}
		floors, err := floorsIn(tx.tx)
		if err != nil {
			return err
		}
		names, err := providerNames(tx.tx)
		if err != nil {
			return err
		}
		pl := &giasPlanner{source: plan.Source, today: tx.now, floors: floors, g: defaultGeo()}
		for _, c := range plan.Changes {
			e, err := get[Establishment](tx.tx, bucketEstablishments, []byte(c.ID))
			if err != nil {
				return fmt.Errorf("establishment %q: %w", c.ID, err)
			}
			provider := names[e.ProviderID]
			next, nextProvider, ch, _, _ := pl.establishment(e, provider, &c.rec)
			if len(ch) == 0 {
				continue
			}
			if err := next.Validate(pl.g); err != nil {
				return fmt.Errorf("line %d: %w", c.Line, err)
			}
			before := len(tx.entries)
			if nextProvider == provider {
				nextProvider = ""
			}
			if _, err := tx.saveEstablishment(next, nextProvider, plan.Source); err != nil {
				return fmt.Errorf("line %d: %w", c.Line, err)
			}
			// One entry naming the source and each field, not a generic
			// update (a new provider keeps its own entry).
			kept := tx.entries[:before]
			for _, en := range tx.entries[before:] {
				if en.Action == "provider.create" {
					kept = append(kept, en)
				}
			}
			tx.entries = kept
			tx.audit("establishment.gias", c.ID, append([]Change{{Field: "source", After: plan.Source}}, ch...)...)
			applied := c
			applied.Name, applied.Changes = e.Name, ch
			applied.Fails = newlyFailing(StandingOf(&e, tx.now, floors), StandingOf(&next, tx.now, floors))
			res.Changes = append(res.Changes, applied)
		}
		n, err := tx.replaceGIASFacts(plan.Facts)
		res.Facts = n
		if err != nil {
			return err
		}
		tx.audit("gias.import", "gias", Change{Field: "source", After: plan.Source},
			Change{Field: "rows", After: fmt.Sprint(plan.Rows)}, Change{Field: "establishments_changed", After: fmt.Sprint(len(res.Changes))},
			Change{Field: "facts_kept", After: fmt.Sprint(n)})
		return nil
	})
	return res, err
}

// replaceGIASFacts puts the new facts in place of the last import's.
func (tx *Tx) replaceGIASFacts(facts []GIASFact) (int, error) {
	b, err := tx.tx.CreateBucketIfNotExists(bucketGIAS)
	if err != nil {
		return 0, err
	}
	keep := make(map[string]bool, len(facts))
	for _, f := range facts {
		keep[f.URN] = true
	}
	var gone [][]byte
	b.ForEach(func(k, _ []byte) error {
		if !keep[string(k)] {
			gone = append(gone, slices.Clone(k))
		}
		return nil
	})
	seals := tx.tx.Bucket(bucketSeals)
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
		if err := seals.Delete(sealKey(bucketGIAS, k)); err != nil {
			return 0, err
		}
		delete(tx.written, string(sealKey(bucketGIAS, k)))
	}
	slices.SortFunc(facts, func(a, b GIASFact) int { return strings.Compare(a.URN, b.URN) })
	for _, f := range facts {
		if err := tx.put(bucketGIAS, []byte(f.URN), f); err != nil {
			return 0, err
		}
	}
	return len(facts), nil
}

// GIASFacts returns every fact the last import kept, by URN; none before
// the first import.
func (s *Store) GIASFacts() ([]GIASFact, error) {
	var out []GIASFact
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketGIAS) == nil {
			return nil
		}
		var err error
		out, err = all[GIASFact](tx, bucketGIAS, nil)
		return err
	})
	return out, err
}

// GIASFactOf is what the last import said of one URN.
func (s *Store) GIASFactOf(urn string) (GIASFact, bool, error) {
	var f GIASFact
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketGIAS) == nil {
			return nil
		}
		var err error
		f, err = get[GIASFact](tx, bucketGIAS, []byte(urn))
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		found = err == nil
		return err
	})
	return f, found, err
}
