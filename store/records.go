package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
)

// Authority is a partner council.
type Authority struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Lead bool   `json:"lead,omitempty"` // the lead contracting authority
	// CaseRefPattern is the shape of the authority's case references
	// (see caseref.go): "WSCC/EHCP/#####". Empty: any reference that is
	// not a name.
	CaseRefPattern string `json:"case_ref_pattern,omitempty"`
}

// SeedAuthorities are the SET partnership (glossary).
func SeedAuthorities() []Authority {
	return []Authority{
		{Code: "WSCC", Name: "West Sussex County Council", Lead: true},
		{Code: "ESCC", Name: "East Sussex County Council", Lead: false},
		{Code: "KCC", Name: "Kent County Council", Lead: false},
		{Code: "SCC", Name: "Surrey County Council", Lead: false},
		{Code: "BHCC", Name: "Brighton & Hove City Council", Lead: false},
		{Code: "MED", Name: "Medway Council", Lead: false},
		{Code: "ECC", Name: "Essex County Council", Lead: false},
	}
}

// Category is a lot of the DPS with its rules (evaluation.md §1, §2).
type Category struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	SubCategories []string `json:"sub_categories,omitempty"`
	// InspectionFloors is the lowest passing grade per framework; a
	// framework not named uses its default floor.
	InspectionFloors      engine.Floors `json:"inspection_floors,omitempty"`
	AffordabilityCapPence int64         `json:"affordability_cap_pence,omitempty"` // 0: none
	Needs                 []string      `json:"needs"`
	Features              []string      `json:"features"`
}

// Terms are what a referral in the category is evaluated under: its
// affordability cap and inspection floors (evaluation.md §2).
func (c *Category) Terms() Terms {
	return Terms{AffordabilityCapPence: c.AffordabilityCapPence, InspectionFloors: c.InspectionFloors}
}

// Terms are a category's terms as a referral takes them.
type Terms struct {
	AffordabilityCapPence int64         `json:"affordability_cap_pence,omitempty"` // 0: none
	InspectionFloors      engine.Floors `json:"inspection_floors,omitempty"`
}

// SeedCategories are the six categories of the glossary, with the default
// floors, no caps but for the schools, and the default vocabularies.
func SeedCategories() []Category {
	c := func(id, title string, capPence int64) Category {
		return Category{ID: id, Title: title, AffordabilityCapPence: capPence,
			Needs: engine.SENTypes(), Features: engine.FeatureIDs()}
	}
	iap := c(engine.CategoryIAP, "Independent alternative provision", 0)
	iap.SubCategories = engine.IAPSubCategories()
	return []Category{
		c(engine.CategorySEN, "Independent and non-maintained special schools", 400000),
		iap,
		c(engine.CategoryFostering, "Independent fostering agencies", 0),
		c(engine.CategoryResidential, "Children's homes", 0),
		c(engine.CategoryShortBreaks, "Short breaks", 0),
		c(engine.CategoryFACS, "Family and community support", 0),
	}
}

// Provider is an organisation owning establishments.
type Provider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Inspection is one regulator's latest judgement, in its own words.
type Inspection struct {
	Framework engine.Framework `json:"framework"`
	Grade     string           `json:"grade,omitempty"`
	Date      string           `json:"date,omitempty"` // YYYY-MM-DD
	// Source is where the judgement came from when not typed by an
	// officer: "GIAS 2026-11-28" for `dpsdesk import gias`.
	Source string `json:"source,omitempty"`
}

// Check is the record of one pass/fail criterion (evaluation.md §1).
type Check struct {
	ID       engine.CriterionID `json:"id"`
	Passed   bool               `json:"passed"`
	Evidence string             `json:"evidence,omitempty"`
	Checked  string             `json:"checked,omitempty"` // YYYY-MM-DD
	Expires  string             `json:"expires,omitempty"` // YYYY-MM-DD
	// Source is where the result came from when not an evaluator: the
	// GIAS download that said the establishment closed.
	Source string `json:"source,omitempty"`
}

// MethodScores are the method-statement scores; nil is not yet scored.
type MethodScores struct {
	Workforce          *float64 `json:"workforce,omitempty"`
	OutcomesFramework  *float64 `json:"outcomes_framework,omitempty"`
	ContractManagement *float64 `json:"contract_management,omitempty"`
}

// Adjustment is a periodic contract-management change to the score.
type Adjustment struct {
	Date   string  `json:"date"`
	Points float64 `json:"points"`
	Reason string  `json:"reason"`
	By     string  `json:"by"`
}

// StatusChange is one step of an establishment's status history.
type StatusChange struct {
	At     time.Time     `json:"at"`
	From   engine.Status `json:"from,omitempty"`
	To     engine.Status `json:"to"`
	By     string        `json:"by"`
	Reason string        `json:"reason,omitempty"`
}

// Patterns of provision.
var patterns = []string{"day", "residential-38", "residential-52", "mixed"}

// CoreCostHeadings are the nine SEN headings of core costs (glossary).
func CoreCostHeadings() []string {
	return []string{"assessment", "premises", "vehicles", "supplies_services", "education",
		"central", "core_staffing", "staff_related", "general_child"}
}

// Establishment is one school, home, agency office or AP site: the unit of
// qualification.
type Establishment struct {
	ID              string           `json:"id"`
	Name            string           `json:"name"`
	ProviderID      string           `json:"provider_id,omitempty"`
	URN             string           `json:"urn,omitempty"`
	Categories      []string         `json:"categories"`
	Status          engine.Status    `json:"status"`
	Postcode        string           `json:"postcode"`
	Location        geo.Location     `json:"location"`
	Town            string           `json:"town,omitempty"`
	Pattern         string           `json:"pattern,omitempty"`
	TasterDay       string           `json:"taster_day,omitempty"` // "", "yes", "no"
	CoreWeeklyPence int64            `json:"core_weekly_pence"`
	CoreCosts       map[string]int64 `json:"core_costs,omitempty"` // heading → weekly pence
	Inspections     []Inspection     `json:"inspections,omitempty"`
	Needs           []string         `json:"needs,omitempty"`
	Features        []string         `json:"features,omitempty"`
	Checks          []Check          `json:"checks,omitempty"`
	Methods         MethodScores     `json:"methods"`
	Adjustments     []Adjustment     `json:"adjustments,omitempty"`
	History         []StatusChange   `json:"history,omitempty"`
	// Supplier is who contracts for it, as publication names them.
	Supplier Supplier `json:"supplier,omitzero"`
}

// FieldError is a problem with one field of a record.
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every problem with a record.
type ValidationError struct {
	Record   string
	Problems []FieldError
}

func (v *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is not valid:", v.Record)
	for _, p := range v.Problems {
		fmt.Fprintf(&b, " %s: %s;", p.Field, p.Message)
	}
	return strings.TrimSuffix(b.String(), ";")
}

type problems struct{ list []FieldError }

func (p *problems) add(field, format string, args ...any) {
	p.list = append(p.list, FieldError{field, fmt.Sprintf(format, args...)})
}

func (p *problems) err(record string) error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{record, p.list}
}

// validID checks an id: what people type and what keys can hold.
func validID(p *problems, field, id string) {
	switch {
	case id == "":
		p.add(field, "required")
	case len(id) > 64:
		p.add(field, "at most 64 characters")
	case strings.TrimSpace(id) != id || textProblem(id, 64) != "":
		p.add(field, "must not start or end with a space or hold control characters")
	}
}

// ValidDate reports whether s is a date a person may type:
// 22/11/2026, 22 Nov 2026, 22 November 2026 or 2026-11-22, on the calendar
// (engine.ParseDate). The store keeps every date as YYYY-MM-DD: each door
// that takes one turns it into that form (normDate) before it is kept.
func ValidDate(s string) bool {
	_, err := engine.ParseDate(s)
	return err == nil
}

// NormDate turns a typed date into the form the store keeps (2026-11-22);
// the error says how to type one.
func NormDate(s string) (string, error) { return engine.ISODate(s) }

// normDate turns a typed date field into YYYY-MM-DD in place, or adds the
// problem saying how to type one. An empty date is left to the caller.
func normDate(p *problems, field string, d *string) {
	if *d == "" {
		return
	}
	iso, err := engine.ISODate(*d)
	if err != nil {
		p.add(field, "%s", err)
		return
	}
	*d = iso
}

// Validate checks an establishment and resolves its postcode into Location.
// Every problem is listed, field by field.
func (e *Establishment) Validate(g *geo.Gazetteer) error {
	var p problems
	validID(&p, "id", e.ID)
	if strings.TrimSpace(e.Name) == "" {
		p.add("name", "required")
	}
	checkText(&p, "name", e.Name, MaxNameLen)
	if e.URN != "" && !engine.ValidURN(e.URN) {
		p.add("urn", "%q is not a URN: the DfE's unique reference number is 6 digits, e.g. 126143 (leave it empty when there is none)", Printable(e.URN))
	}
	checkText(&p, "postcode", e.Postcode, MaxShortLen)
	checkText(&p, "town", e.Town, MaxShortLen)
	checkText(&p, "provider_id", e.ProviderID, MaxShortLen)
	checkList(&p, "categories", e.Categories)
	checkList(&p, "needs", e.Needs)
	checkList(&p, "features", e.Features)
	for _, in := range e.Inspections {
		checkText(&p, "inspection_grade", in.Grade, MaxShortLen)
		checkText(&p, "inspection_source", in.Source, MaxShortLen)
	}
	for _, c := range e.Checks {
		f := checkFieldsOf(c.ID)
		checkText(&p, f.evidence, c.Evidence, MaxNoteLen)
		checkText(&p, f.source, c.Source, MaxNoteLen)
	}
	for i, a := range e.Adjustments {
		checkText(&p, fmt.Sprintf("adjustments[%d].reason", i), a.Reason, MaxNoteLen)
		checkText(&p, fmt.Sprintf("adjustments[%d].by", i), a.By, MaxShortLen)
		if a.Points < -100 || a.Points > 100 || a.Points != a.Points {
			p.add(fmt.Sprintf("adjustments[%d].points", i), "must be from -100 to 100")
		}
	}
	for i, h := range e.History {
		checkText(&p, fmt.Sprintf("history[%d].reason", i), h.Reason, MaxNoteLen)
	}
	if len(e.Categories) == 0 {
		p.add("categories", "at least one category is required")
	}
	for _, c := range e.Categories {
		if !engine.KnownCategory(c) {
			p.add("categories", "unknown category %q (one of %s)", c, strings.Join(engine.CategoryIDs(), ", "))
		}
	}
	if !e.Status.Valid() {
		p.add("status", "unknown status %q (one of applied, qualified, suspended, withdrawn, excluded)", e.Status)
	}
	if pc, err := geo.Parse(e.Postcode); err != nil {
		p.add("postcode", "%q is not a UK postcode or sector (e.g. RH12 1AB, RH12 1)", e.Postcode)
	} else if pc.Kind() == geo.District {
		p.add("postcode", "%q is only a district: give the full postcode or its sector (e.g. RH12 1AB)", e.Postcode)
	} else if loc, err := g.Resolve(e.Postcode); err != nil {
		p.add("postcode", "unknown postcode %q: no such sector or district", e.Postcode)
	} else {
		e.Postcode, e.Location = pc.String(), loc
	}
	if e.Pattern != "" && !slices.Contains(patterns, e.Pattern) {
		p.add("pattern", "unknown pattern %q (one of %s)", e.Pattern, strings.Join(patterns, ", "))
	}
	if e.TasterDay != "" && e.TasterDay != "yes" && e.TasterDay != "no" {
		p.add("taster_day", "must be yes or no, not %q", e.TasterDay)
	}
	if e.CoreWeeklyPence < 0 || e.CoreWeeklyPence > MaxWeeklyPence {
		p.add("core_weekly_pence", "must be from 0 to %d (£100,000.00 a week)", MaxWeeklyPence)
	}
	for h, v := range e.CoreCosts {
		if !slices.Contains(CoreCostHeadings(), h) {
			p.add("core_costs", "unknown heading %q", h)
		} else if v < 0 || v > MaxWeeklyPence {
			p.add("core_costs."+h, "must be from 0 to %d (£100,000.00 a week)", MaxWeeklyPence)
		}
	}
	seen := map[engine.Framework]bool{}
	for i, in := range e.Inspections {
		switch {
		case !in.Framework.Valid():
			p.add("inspection_framework", "unknown framework %q (one of ofsted, ofsted-report-card, isi, cqc, unregulated)", in.Framework)
		case seen[in.Framework]:
			p.add("inspection_framework", "%s is recorded twice", in.Framework)
		case in.Framework == engine.FrameworkUnregulated && in.Grade != "":
			p.add("inspection_grade", "an unregulated setting has no regulator's grade")
		case in.Framework != engine.FrameworkUnregulated && !in.Framework.ValidGrade(in.Grade):
			p.add("inspection_grade", "%q is not a %s grade (one of %s)", in.Grade, in.Framework.Title(), strings.Join(in.Framework.Grades(), ", "))
		}
		seen[in.Framework] = true
		normDate(&p, "inspection_date", &e.Inspections[i].Date)
	}
	for i, c := range e.Checks {
		if !knownCriterion(c.ID) {
			p.add("checks", "unknown criterion %q", c.ID)
		}
		f := checkFieldsOf(c.ID)
		normDate(&p, f.checked, &e.Checks[i].Checked)
		normDate(&p, f.expires, &e.Checks[i].Expires)
	}
	for name, v := range map[string]*float64{"workforce": e.Methods.Workforce,
		"outcomes_framework": e.Methods.OutcomesFramework, "contract_management": e.Methods.ContractManagement} {
		if v != nil && !(*v >= 0 && *v <= 100) {
			p.add(name, "must be from 0 to 100")
		}
	}
	e.Supplier.check(&p)
	if len(p.list) == 0 {
		return nil
	}
	slices.SortFunc(p.list, func(a, b FieldError) int { return strings.Compare(a.Field, b.Field) })
	return p.err("establishment " + e.ID)
}

// checkFields are the names a criterion's check is reported under.
type checkFields struct{ evidence, source, checked, expires string }

// checkFieldNames are the eight criteria's, named once (Validate runs on
// every row of an import).
var checkFieldNames = func() map[engine.CriterionID]checkFields {
	m := map[engine.CriterionID]checkFields{}
	for _, c := range criteria {
		m[c.ID] = namedCheckFields(c.ID)
	}
	return m
}()

func namedCheckFields(id engine.CriterionID) checkFields {
	f := checkFields{evidence: "checks." + string(id) + ".evidence", source: "checks." + string(id) + ".source",
		checked: "checks." + string(id) + ".checked", expires: "checks." + string(id) + ".expires"}
	if id == engine.CritInsurance {
		f.expires = "insurance_expiry" // the register CSV's column
	}
	return f
}

func checkFieldsOf(id engine.CriterionID) checkFields {
	if f, ok := checkFieldNames[id]; ok {
		return f
	}
	return namedCheckFields(id)
}

// Check returns the record of one criterion (zero when never checked).
func (e *Establishment) Check(id engine.CriterionID) Check {
	for _, c := range e.Checks {
		if c.ID == id {
			return c
		}
	}
	return Check{ID: id}
}

// SetCheck replaces (or adds) the record of one criterion.
func (e *Establishment) SetCheck(c Check) {
	for i := range e.Checks {
		if e.Checks[i].ID == c.ID {
			e.Checks[i] = c
			return
		}
	}
	if e.Checks == nil {
		e.Checks = make([]Check, 0, len(criteria)) // room for all eight at once
	}
	e.Checks = append(e.Checks, c)
}

// Inspection returns the latest judgement recorded (by date), if any.
func (e *Establishment) Inspection() (Inspection, bool) {
	if len(e.Inspections) == 0 {
		return Inspection{}, false
	}
	latest := e.Inspections[0]
	for _, in := range e.Inspections[1:] {
		if in.Date > latest.Date {
			latest = in
		}
	}
	return latest, true
}

// Engine gives the scores to the engine; a statement not yet scored counts 0.
func (m MethodScores) Engine() engine.MethodScores {
	v := func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	}
	return engine.MethodScores{Workforce: v(m.Workforce), OutcomesFramework: v(m.OutcomesFramework), ContractManagement: v(m.ContractManagement)}
}

// AdjustmentPoints are the periodic adjustments' points, in order.
func (e *Establishment) AdjustmentPoints() []float64 {
	adj := make([]float64, len(e.Adjustments))
	for i, a := range e.Adjustments {
		adj[i] = a.Points
	}
	return adj
}

// QualificationScore is the weighted method score with its adjustments.
func (e *Establishment) QualificationScore() float64 {
	return engine.QualificationScore(e.Methods.Engine(), e.AdjustmentPoints())
}

// Engine is what the scoring engine needs to know of the establishment.
func (e *Establishment) Engine() engine.Establishment {
	return engine.Establishment{ID: e.ID, Categories: e.Categories, Status: e.Status,
		Location: e.Location, CoreWeeklyPence: e.CoreWeeklyPence, QualificationScore: e.QualificationScore(),
		Qualification: e.Qualification()}
}

// NextExpiry is the earliest expiry among its evidence, "" when none.
func (e *Establishment) NextExpiry() string {
	next := ""
	for _, c := range e.Checks {
		if c.Expires != "" && (next == "" || c.Expires < next) {
			next = c.Expires
		}
	}
	return next
}

// Suspension records that an establishment stopped meeting a criterion
// (evaluation.md §1). It applies to every partner authority.
type Suspension struct {
	Seq           uint64             `json:"seq"`
	Establishment string             `json:"establishment"`
	Criterion     engine.CriterionID `json:"criterion"`
	Reason        string             `json:"reason"`
	Since         time.Time          `json:"since"`
	By            string             `json:"by"`
	LiftedAt      time.Time          `json:"lifted_at,omitzero"`
	LiftedBy      string             `json:"lifted_by,omitempty"`
	Evidence      string             `json:"evidence,omitempty"` // what lifted it
}

// Open reports whether the suspension still applies.
func (s Suspension) Open() bool { return s.LiftedAt.IsZero() }

// criteria are the eight, read once: engine.Criteria copies them on every
// call, and Validate asks for each check of every record written.
var criteria = engine.Criteria()

func knownCriterion(id engine.CriterionID) bool {
	for _, c := range criteria {
		if c.ID == id {
			return true
		}
	}
	return false
}
