// Package scenario reads and writes scenario files: one referral, the
// establishments that matter to it and the bids received, as JSON
// (shared/spec/scenario.md). Decoding reports every problem with the JSON
// path of the field it is about.
package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
)

// Problem is one thing wrong with a scenario, at a JSON path such as
// "bids[2].outcomes_score".
type Problem struct {
	Path    string
	Message string
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// Problems is every problem found in a scenario; it is the error Decode
// returns for a scenario that is not valid.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Scenario is a decoded scenario file.
type Scenario struct {
	Competition engine.Competition
	// Names maps establishment ids to their names, where given.
	Names map[string]string
}

// maxMoneyPence is the largest amount of money accepted: 2^53 pence keeps
// every sum exact in float64 arithmetic.
const maxMoneyPence = 1 << 53

// Decode parses and validates a scenario. Postcodes are resolved with g.
// The error, when not nil, is Problems.
func Decode(data []byte, g *geo.Gazetteer) (*Scenario, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, Problems{{Path: "scenario", Message: err.Error()}}
	}
	d := &decoder{geo: g, estIDs: map[string]bool{}, bidIDs: map[string]bool{}}
	s := d.scenario(root)
	if len(d.problems) > 0 {
		return nil, d.problems
	}
	return s, nil
}

type decoder struct {
	geo      *geo.Gazetteer
	problems Problems
	estIDs   map[string]bool // every establishment id seen, valid or not
	bidIDs   map[string]bool // every establishment that has bid
}

func (d *decoder) fail(path, format string, args ...any) {
	if path == "" {
		path = "scenario" // the file as a whole
	}
	d.problems = append(d.problems, Problem{path, fmt.Sprintf(format, args...)})
}

// object gives the fields of an object one by one and, at close, reports the
// fields nobody asked for.
type object struct {
	d     *decoder
	path  string
	n     *node
	known []string
}

func (d *decoder) object(n *node, path string) *object {
	if n == nil {
		return nil
	}
	if n.kind != kindObject {
		d.fail(path, "must be an object, not %s", n.kind)
		return nil
	}
	seen := map[string]bool{}
	for _, k := range n.keys {
		if seen[k] {
			d.fail(join(path, k), "appears twice")
		}
		seen[k] = true
	}
	return &object{d: d, path: path, n: n}
}

// get returns the field's value, or nil when it is absent or null.
func (o *object) get(key string, required bool) *node {
	o.known = append(o.known, key)
	for i, k := range o.n.keys {
		if k == key && o.n.vals[i].kind != kindNull {
			return o.n.vals[i]
		}
	}
	if required {
		o.d.fail(join(o.path, key), "required")
	}
	return nil
}

// close reports unknown fields: a misspelt field must not be ignored.
func (o *object) close() {
	for _, k := range o.n.keys {
		if slices.Contains(o.known, k) {
			continue
		}
		msg := "unknown field"
		if s := closest(k, o.known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		o.d.fail(join(o.path, k), "%s", msg)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func (d *decoder) str(n *node, path string) string {
	if n == nil {
		return ""
	}
	if n.kind != kindString {
		d.fail(path, "must be a string, not %s", n.kind)
		return ""
	}
	return n.str
}

// id is a non-empty string without surrounding space.
func (d *decoder) id(n *node, path string) string {
	s := d.str(n, path)
	if n != nil && n.kind == kindString && (s == "" || strings.TrimSpace(s) != s) {
		d.fail(path, "must not be empty or start or end with a space")
	}
	return s
}

func (d *decoder) number(n *node, path string, lo, hi float64) (float64, bool) {
	if n == nil {
		return 0, false
	}
	if n.kind != kindNumber {
		d.fail(path, "must be a number, not %s", n.kind)
		return 0, false
	}
	f, err := n.num.Float64()
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.fail(path, "%s is not a number this program can hold", n.num)
		return 0, false
	}
	if f < lo || f > hi {
		d.fail(path, "must be between %s and %s, not %s", fmtNum(lo), fmtNum(hi), n.num)
		return 0, false
	}
	return f, true
}

// whole is a whole number between lo and hi ("150000", also "150000.0").
func (d *decoder) whole(n *node, path string, lo, hi int64, what string) (int64, bool) {
	if n == nil {
		return 0, false
	}
	f, ok := d.number(n, path, math.Inf(-1), math.Inf(1))
	if !ok {
		return 0, false
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		d.fail(path, "must be %s from %d to %d, not %s", what, lo, hi, n.num)
		return 0, false
	}
	return int64(f), true
}

func (d *decoder) pence(n *node, path string) int64 {
	v, _ := d.whole(n, path, 0, maxMoneyPence, "whole pence")
	return v
}

func (d *decoder) boolean(n *node, path string) bool {
	if n == nil {
		return false
	}
	if n.kind != kindBool {
		d.fail(path, "must be true or false, not %s", n.kind)
	}
	return n.b
}

func (d *decoder) time(n *node, path string) time.Time {
	s := d.str(n, path)
	if n == nil || n.kind != kindString {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.fail(path, "must be an RFC 3339 time such as 2026-12-01T12:00:00Z, not %q", s)
	}
	return t
}

// list calls each for every element of an array.
func (d *decoder) list(n *node, path string, each func(n *node, path string)) {
	if n == nil {
		return
	}
	if n.kind != kindArray {
		d.fail(path, "must be a list, not %s", n.kind)
		return
	}
	for i, v := range n.vals {
		each(v, index(path, i))
	}
}

// ids is a list of distinct ids, each of which must pass allowed (when set).
func (d *decoder) ids(n *node, path string, allowed func(string) string) []string {
	var out []string
	d.list(n, path, func(v *node, p string) {
		s := d.id(v, p)
		switch {
		case s == "":
		case slices.Contains(out, s):
			d.fail(p, "%q is listed twice", s)
		default:
			if allowed != nil {
				if msg := allowed(s); msg != "" {
					d.fail(p, "%s", msg)
					return
				}
			}
			out = append(out, s)
		}
	})
	return out
}

func (d *decoder) location(n *node, path string) geo.Location {
	o := d.object(n, path)
	if o == nil {
		return geo.Location{}
	}
	defer o.close()
	pc, lat, lon := o.get("postcode", false), o.get("lat", false), o.get("lon", false)
	switch {
	case pc != nil && (lat != nil || lon != nil):
		d.fail(path, "give a postcode or lat and lon, not both")
	case pc != nil:
		p := join(path, "postcode")
		s := d.str(pc, p)
		if pc.kind != kindString {
			return geo.Location{}
		}
		loc, err := d.geo.Resolve(s)
		switch err {
		case nil:
			return loc
		case geo.ErrUnknownPostcode:
			d.fail(p, "unknown postcode %q: no such sector or district", s)
		default:
			d.fail(p, "%q is not a UK postcode, sector or district (e.g. \"RH12 1AB\", \"RH12 1\", \"RH12\")", s)
		}
	case lat != nil || lon != nil:
		la, ok1 := d.number(lat, join(path, "lat"), -90, 90)
		lo, ok2 := d.number(lon, join(path, "lon"), -180, 180)
		if lat == nil || lon == nil {
			d.fail(path, "needs both lat and lon")
		}
		if ok1 && ok2 {
			return geo.Location{Lat: la, Lon: lo}
		}
	default:
		d.fail(path, "needs a postcode, or lat and lon")
	}
	return geo.Location{}
}

func (d *decoder) scenario(n *node) *Scenario {
	o := d.object(n, "")
	if o == nil {
		return nil
	}
	s := &Scenario{Names: map[string]string{}}
	c := &s.Competition
	c.Referral = d.referral(o.get("referral", true), "referral")
	d.list(o.get("establishments", true), "establishments", func(n *node, p string) {
		if e, name, ok := d.establishment(n, p); ok {
			c.Register = append(c.Register, e)
			if name != "" {
				s.Names[e.ID] = name
			}
		}
	})
	needs := make([]string, len(c.Referral.Needs))
	for i, nd := range c.Referral.Needs {
		needs[i] = nd.ID
	}
	features := make([]string, len(c.Referral.Features))
	for i, f := range c.Referral.Features {
		features[i] = f.ID
	}
	d.list(o.get("bids", true), "bids", func(n *node, p string) {
		if b, ok := d.bid(n, p, needs, features); ok {
			c.Bids = append(c.Bids, b)
		}
	})
	o.close()
	return s
}

func (d *decoder) referral(n *node, path string) engine.Referral {
	r := engine.Referral{QualityWeight: engine.DefaultQualityWeight}
	o := d.object(n, path)
	if o == nil {
		return r
	}
	defer o.close()
	f := func(k string) string { return join(path, k) }
	r.ID = d.id(o.get("id", true), f("id"))
	r.Category = d.id(o.get("category", true), f("category"))
	if r.Category != "" && !engine.KnownCategory(r.Category) {
		d.fail(f("category"), "unknown category %q (one of %s)", r.Category, strings.Join(engine.CategoryIDs(), ", "))
	}
	r.Home = d.location(o.get("home", true), f("home"))
	r.RadiusMiles, _ = d.number(o.get("radius_miles", true), f("radius_miles"), 0, 1000)
	if q := o.get("quality_weight", false); q != nil {
		v, _ := d.whole(q, f("quality_weight"), engine.MinQualityWeight, engine.MaxQualityWeight, "a whole number")
		r.QualityWeight = int(v)
	}
	if c := o.get("affordability_cap_weekly_pence", false); c != nil {
		if r.AffordabilityCapPence = d.pence(c, f("affordability_cap_weekly_pence")); r.AffordabilityCapPence == 0 && c.kind == kindNumber {
			d.fail(f("affordability_cap_weekly_pence"), "must be more than 0 (leave it out for no cap)")
		}
	}
	seen := map[string]bool{}
	d.list(o.get("needs", false), f("needs"), func(n *node, p string) {
		no := d.object(n, p)
		if no == nil {
			return
		}
		defer no.close()
		nd := engine.Need{ID: d.id(no.get("id", true), join(p, "id")), Mark: 1}
		if m := no.get("mark", false); m != nil {
			v, _ := d.whole(m, join(p, "mark"), 1, 1000, "a whole number")
			nd.Mark = int(v)
		}
		if seen[nd.ID] {
			d.fail(join(p, "id"), "need %q is listed twice", nd.ID)
		}
		seen[nd.ID] = true
		r.Needs = append(r.Needs, nd)
	})
	seen = map[string]bool{}
	d.list(o.get("features", false), f("features"), func(n *node, p string) {
		fo := d.object(n, p)
		if fo == nil {
			return
		}
		defer fo.close()
		ft := engine.Feature{ID: d.id(fo.get("id", true), join(p, "id")), Mark: 1}
		ft.Must = d.boolean(fo.get("must", false), join(p, "must"))
		if m := fo.get("mark", false); m != nil {
			v, _ := d.whole(m, join(p, "mark"), 1, 1000, "a whole number")
			ft.Mark = int(v)
			if ft.Must {
				d.fail(join(p, "mark"), "a must-have feature carries no marks (it only decides compliance)")
			}
		}
		if ft.Must {
			ft.Mark = 0
		}
		if seen[ft.ID] {
			d.fail(join(p, "id"), "feature %q is listed twice", ft.ID)
		}
		seen[ft.ID] = true
		r.Features = append(r.Features, ft)
	})
	r.Deadline = d.time(o.get("deadline", false), f("deadline"))
	return r
}

func (d *decoder) establishment(n *node, path string) (engine.Establishment, string, bool) {
	var e engine.Establishment
	o := d.object(n, path)
	if o == nil {
		return e, "", false
	}
	defer o.close()
	before := len(d.problems)
	f := func(k string) string { return join(path, k) }
	e.ID = d.id(o.get("id", true), f("id"))
	if e.ID != "" && d.estIDs[e.ID] {
		d.fail(f("id"), "establishment %q is listed twice", e.ID)
	}
	d.estIDs[e.ID] = true
	name := d.str(o.get("name", false), f("name"))
	cats := o.get("categories", true)
	e.Categories = d.ids(cats, f("categories"), func(c string) string {
		if engine.KnownCategory(c) {
			return ""
		}
		return fmt.Sprintf("unknown category %q (one of %s)", c, strings.Join(engine.CategoryIDs(), ", "))
	})
	if cats != nil && cats.kind == kindArray && len(cats.vals) == 0 {
		d.fail(f("categories"), "must name at least one category")
	}
	st := d.id(o.get("status", true), f("status"))
	e.Status = engine.Status(st)
	if st != "" && !e.Status.Valid() {
		d.fail(f("status"), "unknown status %q (one of applied, qualified, suspended, withdrawn, excluded)", st)
	}
	e.Location = d.location(o.get("location", true), f("location"))
	e.CoreWeeklyPence = d.pence(o.get("core_weekly_pence", true), f("core_weekly_pence"))
	var m engine.MethodScores
	if mo := d.object(o.get("method_scores", true), f("method_scores")); mo != nil {
		p := f("method_scores")
		m.Workforce, _ = d.number(mo.get("workforce", true), join(p, "workforce"), 0, 100)
		m.OutcomesFramework, _ = d.number(mo.get("outcomes_framework", true), join(p, "outcomes_framework"), 0, 100)
		m.ContractManagement, _ = d.number(mo.get("contract_management", true), join(p, "contract_management"), 0, 100)
		mo.close()
	}
	var adj []float64
	d.list(o.get("score_adjustments", false), f("score_adjustments"), func(n *node, p string) {
		v, _ := d.number(n, p, -100, 100)
		adj = append(adj, v)
	})
	e.QualificationScore = engine.QualificationScore(m, adj)
	return e, name, len(d.problems) == before
}

func (d *decoder) bid(n *node, path string, needs, features []string) (engine.Bid, bool) {
	var b engine.Bid
	o := d.object(n, path)
	if o == nil {
		return b, false
	}
	defer o.close()
	before := len(d.problems)
	f := func(k string) string { return join(path, k) }
	b.Establishment = d.id(o.get("establishment", true), f("establishment"))
	if b.Establishment != "" {
		if !d.estIDs[b.Establishment] {
			d.fail(f("establishment"), "%q is not one of the establishments in this file", b.Establishment)
		}
		if d.bidIDs[b.Establishment] {
			d.fail(f("establishment"), "%q has bid already (at most one bid per establishment)", b.Establishment)
		}
		d.bidIDs[b.Establishment] = true
	}
	b.CoreWeeklyPence = d.pence(o.get("core_weekly_pence", true), f("core_weekly_pence"))
	b.VariableWeeklyPence = d.pence(o.get("variable_weekly_pence", true), f("variable_weekly_pence"))
	if dn := o.get("discount_pct", false); dn != nil {
		b.DiscountPct, _ = d.number(dn, f("discount_pct"), 0, 100)
	}
	b.NeedsMet = d.ids(o.get("needs_met", true), f("needs_met"), member("need", needs))
	b.FeaturesOffered = d.ids(o.get("features_offered", true), f("features_offered"), member("feature", features))
	b.OutcomesScore, _ = d.number(o.get("outcomes_score", true), f("outcomes_score"), 0, 100)
	b.Submitted = d.time(o.get("submitted", false), f("submitted"))
	return b, len(d.problems) == before
}

// member checks that an id is one of the referral's own needs or features.
func member(what string, of []string) func(string) string {
	return func(s string) string {
		if slices.Contains(of, s) {
			return ""
		}
		return fmt.Sprintf("%q is not one of the referral's %ss", s, what)
	}
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// closest suggests the known field nearest to a misspelt one.
func closest(s string, known []string) string {
	best, bestD := "", 3 // suggest only near misses
	for _, k := range known {
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
