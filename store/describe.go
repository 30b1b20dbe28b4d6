package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

// The audit trail in words. An entry holds ids and each field's values as
// they were written (JSON for lists and structures); a person reads the
// record's name ("Ashcombe Lodge (SC127262)", "referral REF-2026-0007
// (WSCC/EHCP/12345)") and values in words (needs as "ASD (mark 2)", a
// location as its postcode, money as £1,500.00 a week, dates as 22 Nov
// 2026). Names are looked up when the entry is shown, from the records as
// they are now; the entry itself is never changed.

// EntryWords is one audit entry as a person reads it.
type EntryWords struct {
	Record  string        // the record named: "Ashcombe Lodge (SC127262)"
	Action  string        // what happened: "suspended"
	Changes []ChangeWords // each field, in words
}

// ChangeWords is one field's before and after, in words.
type ChangeWords struct {
	Field, Before, After string
}

// Text is the entry in one line: "Ashcombe Lodge (SC127262): suspended".
func (w EntryWords) Text() string { return w.Record + ": " + w.Action }

// Headline is the entry in one line with what happened first, so that a
// line cut at the edge of the screen still says it: "Suspended: Ashcombe
// Lodge (SC127262)".
func (w EntryWords) Headline() string {
	a := w.Action
	if a != "" {
		a = strings.ToUpper(a[:1]) + a[1:]
	}
	if w.Record == "" || w.Record == "the store" {
		return a
	}
	return a + ": " + w.Record
}

// WhyWords says a kept reason in words: its dates as 30 Jul 2026 and an
// award's route as people say it ("award (parent_choice)" reads "award
// (the parents' choice)").
func WhyWords(why string) string {
	for route, words := range routeWords {
		why = strings.ReplaceAll(why, "("+string(route)+")", "("+words+")")
	}
	return engine.ShowDates(why)
}

var routeWords = map[AwardRoute]string{RouteCompetition: "won in competition", RouteParentChoice: "the parents' choice",
	RouteDirect: "a direct placement", RouteBlock: "a block booking"}

// Line is the change in one line: "needs: ASD (mark 2) -> ASD (mark 3)".
func (c ChangeWords) Line() string {
	switch {
	case c.Before == "" && c.After == "":
		return c.Field + ": (none)"
	case c.Before == "":
		return c.Field + ": " + c.After
	case c.After == "":
		return c.Field + ": " + c.Before + " -> (none)"
	}
	return c.Field + ": " + c.Before + " -> " + c.After
}

// Search is everything of the entry a filter may match, lower case: who,
// what, the record's id and name, and the changes in words.
func (w EntryWords) Search(e AuditEntry) string {
	var b strings.Builder
	for _, s := range []string{e.Record, e.Actor, e.Action, w.Record, w.Action} {
		b.WriteString(strings.ToLower(s))
		b.WriteByte('\n')
	}
	for _, c := range w.Changes {
		b.WriteString(strings.ToLower(c.Line()))
		b.WriteByte('\n')
	}
	if len(w.Changes) == 0 {
		// Described without its changes: their values as written.
		for _, c := range e.Changes {
			b.WriteString(strings.ToLower(c.Before + " " + c.After))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Describe says each entry in words, looking the names it needs up in one
// read of the store.
func (s *Store) Describe(entries []AuditEntry) []EntryWords {
	return s.describe(entries, true)
}

// DescribeRecords names each entry's record and action, without its
// changes (DescribeEntry says those): for a list of thousands, where only
// the entries on screen show their changes.
func (s *Store) DescribeRecords(entries []AuditEntry) []EntryWords {
	return s.describe(entries, false)
}

func (s *Store) describe(entries []AuditEntry, changes bool) []EntryWords {
	out := make([]EntryWords, len(entries))
	s.view(func(tx *bolt.Tx) error {
		n := &namer{tx: tx, names: map[string]string{}}
		for i, e := range entries {
			if !changes {
				e.Changes = nil
			}
			out[i] = n.describe(e)
		}
		return nil
	})
	return out
}

// DescribeEntry says one entry in words.
func (s *Store) DescribeEntry(e AuditEntry) EntryWords {
	return s.Describe([]AuditEntry{e})[0]
}

// namer looks names up, once each.
type namer struct {
	tx    *bolt.Tx
	names map[string]string
}

func (n *namer) cached(kind, id string, look func() string) string {
	k := kind + "\x00" + id
	if v, ok := n.names[k]; ok {
		return v
	}
	v := Printable(look())
	n.names[k] = v
	return v
}

// establishment is "Ashcombe Lodge (SC127262)", or "establishment ID"
// when it is no longer in the register.
func (n *namer) establishment(id string) string {
	return n.cached("e", id, func() string {
		if b := n.tx.Bucket(bucketRegister); b != nil {
			if row, err := get[RegisterRow](n.tx, bucketRegister, []byte(id)); err == nil && row.Name != "" {
				return row.Name + " (" + id + ")"
			}
		}
		return "establishment " + id
	})
}

// referral is "referral REF-2026-0007 (WSCC/EHCP/12345)".
func (n *namer) referral(id string) string {
	return n.cached("r", id, func() string {
		if b := n.tx.Bucket(bucketReferralIndex); b != nil {
			if row, err := get[ReferralRow](n.tx, bucketReferralIndex, []byte(id)); err == nil && row.ChildRef != "" {
				return "referral " + id + " (" + row.ChildRef + ")"
			}
		}
		return "referral " + id
	})
}

func (n *namer) provider(id string) string {
	return n.cached("p", id, func() string {
		if b := n.tx.Bucket(bucketProviders); b != nil {
			if p, err := get[Provider](n.tx, bucketProviders, []byte(id)); err == nil && p.Name != "" {
				return p.Name
			}
		}
		return id
	})
}

func (n *namer) authority(code string) string {
	return n.cached("a", code, func() string {
		if b := n.tx.Bucket(bucketAuthorities); b != nil {
			if a, err := get[Authority](n.tx, bucketAuthorities, []byte(code)); err == nil && a.Name != "" {
				return a.Name + " (" + code + ")"
			}
		}
		return code
	})
}

func (n *namer) category(id string) string {
	return n.cached("c", id, func() string {
		if b := n.tx.Bucket(bucketCategories); b != nil {
			if c, err := get[Category](n.tx, bucketCategories, []byte(id)); err == nil && c.Title != "" {
				return "category " + c.Title + " (" + id + ")"
			}
		}
		return "category " + id
	})
}

// actionWords says each action as people say it.
var actionWords = map[string]string{
	"store.create":             "store created",
	"store.migrate":            "store upgraded",
	"authority.create":         "partner authority added",
	"authority.pattern":        "case reference pattern set",
	"authority.ppon":           "PPON recorded",
	"category.create":          "category added",
	"category.update":          "category terms changed",
	"provider.create":          "provider added",
	"establishment.create":     "added to the register",
	"establishment.update":     "changed",
	"establishment.qualify":    "qualified",
	"establishment.gias":       "updated from GIAS",
	"qualification.check":      "criterion checked",
	"qualification.scores":     "method statements scored",
	"qualification.adjust":     "score adjusted",
	"suspension.start":         "suspended",
	"suspension.lift":          "suspension lifted",
	"referral.create":          "draft made",
	"referral.edit":            "draft changed",
	"referral.issue":           "issued",
	"referral.reissue":         "widened and issued again",
	"referral.widen":           "radius widened",
	"referral.close":           "bids closed",
	"referral.evaluate":        "evaluated",
	"referral.award":           "awarded",
	"referral.defer":           "the family wants more time",
	"referral.withdraw":        "withdrawn",
	"bid.record":               "bid recorded",
	"bid.replace":              "bid replaced",
	"award.make":               "award made",
	"profile.update":           "contact for families changed",
	"arrangement.set":          "publication arrangement set",
	"notice.dates":             "notice dates set",
	"gias.import":              "GIAS data imported",
	"establishment.uplift":     "fee uplift applied",
	"category.uplift":          "fee uplift applied to the category",
	"category.placement_rules": "placement review rules set",
	"placement.create":         "placement made",
	"placement.review":         "placement reviewed",
	"placement.cost":           "placement cost changed",
	"placement.terms":          "placement terms set",
	"placement.end":            "placement ended",
	"placement.uplift":         "fee uplift applied to the placement",
	"concern.record":           "concern recorded",
	"improvement.confirm":      "improvement confirmed",
}

func (n *namer) describe(e AuditEntry) EntryWords {
	w := EntryWords{Action: actionWords[e.Action]}
	if w.Action == "" {
		w.Action = strings.NewReplacer(".", " ", "_", " ").Replace(e.Action)
	}
	kind, _, _ := strings.Cut(e.Action, ".")
	rec := e.Record
	switch kind {
	case "establishment", "qualification", "suspension", "concern", "improvement":
		w.Record = n.establishment(rec)
	case "referral", "bid", "award", "notice":
		w.Record = n.referral(rec)
	case "placement":
		// Its id is its referral's: "REF-2026-0007 (WSCC/EHCP/12345)".
		w.Record = strings.TrimPrefix(n.referral(rec), "referral ")
	case "arrangement":
		w.Record = "arrangement " + strings.TrimPrefix(rec, "arrangement:")
	case "gias":
		w.Record = "the register"
	case "provider":
		w.Record = "provider " + n.provider(rec) + " (" + rec + ")"
	case "authority":
		w.Record = n.authority(rec)
	case "category":
		w.Record = n.category(rec)
	case "profile":
		w.Record = "contact for families of " + strings.TrimPrefix(rec, "user:")
	case "store":
		w.Record = "the store"
	default:
		w.Record = rec
	}
	w.Record = Printable(w.Record)
	// A location is where its postcode is: shown as the postcode.
	hasPostcode := false
	for _, c := range e.Changes {
		if c.Field == "postcode" || c.Field == "home_postcode" {
			hasPostcode = true
		}
	}
	for _, c := range e.Changes {
		if c.Field == "location" || c.Field == "home" {
			if hasPostcode {
				continue
			}
			w.Changes = append(w.Changes, ChangeWords{Field: fieldWords(c.Field), After: "moved (placed by its postcode)"})
			continue
		}
		w.Changes = append(w.Changes, ChangeWords{
			Field:  fieldWords(c.Field),
			Before: Printable(n.value(c.Field, c.Before)),
			After:  Printable(n.value(c.Field, c.After)),
		})
	}
	return w
}

var fieldNames = map[string]string{
	"core_weekly_pence": "core weekly cost", "variable_weekly_pence": "variable weekly cost", "weekly_pence": "weekly cost",
	"affordability_cap_pence": "affordability cap", "child_ref": "case reference", "home_postcode": "home postcode",
	"radius_miles": "radius", "quality_weight": "quality weight", "provider_id": "provider", "taster_day": "taster day",
	"issued_at": "issued", "needs_met": "needs met", "features_offered": "features offered", "outcomes_score": "outcomes score",
	"outcomes_note": "outcomes note", "decided_by": "decided by", "inspection_floors": "inspection floors",
	"core_costs": "core costs", "follow_up": "follow up on", "withdrawn_reason": "why withdrawn",
	"earliest_start": "earliest start", "discount_pct": "discount", "sub_category": "sub-category",
	"cohort_size": "cohort size", "urn": "URN", "id": "id", "wanted_first": "wanted first",
	"case_ref_pattern": "case reference pattern",
	"net_weekly_pence": "net weekly cost", "premium_pence": "premium", "parent_choice": "parents' shortlist",
	"annual_effect": "a year's effect", "percent": "uplift",
}

// fieldWords is a field's name as people say it: "core weekly cost",
// "insurance expires".
func fieldWords(f string) string {
	if w, ok := fieldNames[f]; ok {
		return w
	}
	return strings.NewReplacer("_", " ", ".", " ").Replace(f)
}

// value is one field's value in words.
func (n *namer) value(field, v string) string {
	if v == "" {
		return ""
	}
	last := field
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		last = field[i+1:]
	}
	switch {
	case strings.HasSuffix(last, "_pence"):
		if p, err := strconv.ParseInt(v, 10, 64); err == nil {
			if strings.HasSuffix(last, "weekly_pence") || last == "affordability_cap_pence" {
				return poundsWords(p) + " a week"
			}
			return poundsWords(p)
		}
	case last == "establishment" || last == "recommended":
		return n.establishment(v)
	case last == "parent_choice":
		ids := strings.Split(v, ", ")
		for i, id := range ids {
			ids[i] = n.establishment(id)
		}
		return strings.Join(ids, ", ")
	case last == "outcome":
		switch engine.Outcome(v) {
		case engine.OutcomeRecommended:
			return "a bid recommended"
		case engine.OutcomeParentChoice:
			return "a shortlist for the parents to choose from"
		case engine.OutcomeNoSuitableBid:
			return "no suitable bid"
		}
		return strings.ReplaceAll(v, "_", " ")
	case last == "why" || last == "reason" || last == "note":
		return WhyWords(v)
	case last == "percent":
		return strings.TrimSuffix(v, "%") + "%" // kept as "2.5%"; older entries as "2.5"
	case last == "provider_id":
		return n.provider(v)
	case last == "invited" || last == "shortlist":
		var ids []string
		if json.Unmarshal([]byte(v), &ids) == nil {
			names := make([]string, len(ids))
			for i, id := range ids {
				names[i] = n.establishment(id)
			}
			return engine.Count(len(ids), "establishment") + ": " + strings.Join(names, ", ")
		}
	case last == "radius_miles":
		return v + " miles"
	case last == "quality_weight":
		if q, err := strconv.Atoi(v); err == nil {
			return fmt.Sprintf("quality %d%%, price %d%%", q, 100-q)
		}
	case last == "discount_pct":
		return strings.TrimSuffix(v, "%") + "%" // kept as "2.5%"; older entries as "2.5"
	case last == "route":
		if w, ok := routeWords[AwardRoute(v)]; ok {
			return w
		}
		return strings.ReplaceAll(v, "_", " ")
	case last == "status" || last == "from" || last == "to" || last == "criterion":
		return engine.ShowDates(strings.ReplaceAll(v, "_", " "))
	case last == "inspections":
		var ins []Inspection
		if json.Unmarshal([]byte(v), &ins) == nil {
			parts := make([]string, len(ins))
			for i, in := range ins {
				parts[i] = engine.InspectionLabel(in.Framework, in.Grade)
				if in.Date != "" {
					parts[i] += " (" + engine.ShowDate(in.Date) + ")"
				}
			}
			return strings.Join(parts, ", ")
		}
	case last == "checks":
		var cs []Check
		if json.Unmarshal([]byte(v), &cs) == nil {
			parts := make([]string, len(cs))
			for i, c := range cs {
				parts[i] = c.ID.Words() + " " + passWord(c.Passed, c.Checked)
				if c.Checked != "" {
					parts[i] += " " + engine.ShowDate(c.Checked)
				}
				if c.Expires != "" {
					parts[i] += ", expires " + engine.ShowDate(c.Expires)
				}
			}
			return strings.Join(parts, "; ")
		}
	case last == "adjustments":
		var as []Adjustment
		if json.Unmarshal([]byte(v), &as) == nil {
			parts := make([]string, len(as))
			for i, a := range as {
				parts[i] = fmt.Sprintf("%+g points on %s (%s)", a.Points, engine.ShowDate(a.Date), a.Reason)
			}
			return strings.Join(parts, "; ")
		}
	case last == "widenings":
		var ws []Widening
		if json.Unmarshal([]byte(v), &ws) == nil {
			parts := make([]string, len(ws))
			for i, x := range ws {
				parts[i] = fmt.Sprintf("%g to %g miles on %s", x.From, x.To, engine.DateText(x.At.Local()))
			}
			return strings.Join(parts, "; ")
		}
	case last == "inspection_floors":
		var fl map[string]string
		if json.Unmarshal([]byte(v), &fl) == nil {
			var parts []string
			for f, g := range fl {
				parts = append(parts, engine.InspectionLabel(engine.Framework(f), g)+" or better")
			}
			sort.Strings(parts)
			return strings.Join(parts, ", ")
		}
	case last == "core_costs":
		var cc map[string]int64
		if json.Unmarshal([]byte(v), &cc) == nil {
			var parts []string
			for h, p := range cc {
				parts = append(parts, h+" "+poundsWords(p))
			}
			sort.Strings(parts)
			return strings.Join(parts, ", ") + " a week"
		}
	}
	return plainWords(v)
}

// plainWords says any other value in words: a date as 22 Nov 2026, a time
// as 22 Nov 2026 09:30, a list or structure as its items, never as JSON.
func plainWords(v string) string {
	switch v {
	case "true":
		return "yes"
	case "false":
		return "no"
	}
	if len(v) == 10 {
		if _, err := time.Parse(time.DateOnly, v); err == nil {
			return engine.ShowDate(v)
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return engine.DateText(t.Local()) + " " + t.Local().Format("15:04")
	}
	if v == "" || (v[0] != '[' && v[0] != '{') {
		if strings.Contains(v, " ") && strings.Contains(v, "T") {
			// A sentence with a time in it ("as issued 2026-11-22T09:30:00Z").
			f := strings.Split(v, " ")
			for i, w := range f {
				if t, err := time.Parse(time.RFC3339, strings.TrimRight(w, ",")); err == nil {
					f[i] = engine.DateText(t.Local()) + " " + t.Local().Format("15:04") + w[len(strings.TrimRight(w, ",")):]
				}
			}
			return engine.ShowDates(strings.Join(f, " "))
		}
		return engine.ShowDates(v)
	}
	var x any
	if json.Unmarshal([]byte(v), &x) != nil {
		return v
	}
	return jsonWords(x)
}

// jsonWords flattens a decoded JSON value into words. A need or feature
// with a mark reads "ASD (mark 2)"; a must-have feature "(must have)".
func jsonWords(x any) string {
	switch t := x.(type) {
	case nil:
		return "(none)"
	case string:
		return plainWords(t)
	case bool:
		return map[bool]string{true: "yes", false: "no"}[t]
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case []any:
		parts := make([]string, len(t))
		for i, it := range t {
			parts[i] = jsonWords(it)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		id, hasID := t["ID"].(string)
		if !hasID {
			id, hasID = t["id"].(string)
		}
		if hasID {
			var notes []string
			if must, _ := t["Must"].(bool); must {
				notes = append(notes, "must have")
			} else if mark, ok := t["Mark"].(float64); ok && mark > 0 {
				notes = append(notes, "mark "+strconv.FormatFloat(mark, 'f', -1, 64))
			}
			var rest []string
			for k, v := range t {
				switch k {
				case "ID", "id", "Must", "Mark":
					continue
				}
				rest = append(rest, fieldWords(strings.ToLower(k))+" "+jsonWords(v))
			}
			sort.Strings(rest)
			notes = append(notes, rest...)
			if len(notes) == 0 {
				return id
			}
			return id + " (" + strings.Join(notes, ", ") + ")"
		}
		if _, ok := t["Lat"]; ok {
			return "a place on the map"
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			if p, ok := t[k].(float64); ok && strings.HasSuffix(strings.ToLower(k), "_pence") {
				parts[i] = fieldWords(strings.ToLower(k)) + " " + poundsWords(int64(p))
				continue
			}
			parts[i] = fieldWords(strings.ToLower(k)) + " " + jsonWords(t[k])
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(x)
}

// poundsWords is pence as £1,234.56.
func poundsWords(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	whole := strconv.FormatInt(p/100, 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s£%s.%02d", sign, b.String(), p%100)
}
