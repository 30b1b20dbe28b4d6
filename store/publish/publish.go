// Package publish writes every document the desk hands to someone: what a
// DPS owes the public for each quarter's awards, in the form of the regime
// each award's arrangement is under (Contracts Finder for a PCR 2015 DPS,
// Find a Tender UK6 and UK7 for a Procurement Act 2023 dynamic market, a
// plain OCDS package for awards under none), the bidders' summaries, the
// family's summary from meeting mode and the reports' CSV. Nothing about
// the child — case reference, name or needs — is ever published.
package publish

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// Quarter is a calendar quarter such as 2026Q4.
type Quarter struct {
	Year, Q int
}

var quarterRE = regexp.MustCompile(`^(\d{4})Q([1-4])$`)

// ParseQuarter reads "2026Q4".
func ParseQuarter(s string) (Quarter, error) {
	m := quarterRE.FindStringSubmatch(s)
	if m == nil {
		return Quarter{}, fmt.Errorf("%q is not a quarter such as 2026Q4", s)
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	return Quarter{y, q}, nil
}

func (q Quarter) String() string { return fmt.Sprintf("%dQ%d", q.Year, q.Q) }

// Span is the quarter's first instant and the next quarter's, in UK time:
// an award at 00:30 BST on 1 October is in Q4.
func (q Quarter) Span() (time.Time, time.Time) {
	from := time.Date(q.Year, time.Month(3*(q.Q-1)+1), 1, 0, 0, 0, 0, store.UKLocation())
	return from, from.AddDate(0, 3, 0)
}

// Award is one published award with what publication needs of it.
type Award struct {
	Award     store.Award
	Referral  store.Referral
	Buyer     store.Authority
	Supplier  string // the provider organisation, else the establishment
	Setting   string // the establishment
	Tenderers int
	// Identity is the supplier's identity as the award kept it (else as
	// the register has it now).
	Identity store.Supplier
	// Arrangement is the one the referral was issued under (zero when it
	// was issued under none); Notice the dates recorded for its notices.
	Arrangement store.Arrangement
	Notice      store.NoticeDates
}

// Day is the UK date of the award decision.
func (a Award) Day() string { return store.UKDate(a.Award.At) }

// Collect gathers the awards made in a quarter (by UK time), oldest first,
// under every regime.
func Collect(s *store.Store, q Quarter) ([]Award, error) {
	from, to := q.Span()
	awards, err := s.Awards()
	if err != nil {
		return nil, err
	}
	auths, err := s.Authorities()
	if err != nil {
		return nil, err
	}
	providers, err := s.Providers()
	if err != nil {
		return nil, err
	}
	pname := map[string]string{}
	for _, p := range providers {
		pname[p.ID] = p.Name
	}
	arrs, err := s.Arrangements()
	if err != nil {
		return nil, err
	}
	notices, err := s.AllNoticeDates()
	if err != nil {
		return nil, err
	}
	var out []Award
	for _, a := range awards {
		if a.At.Before(from) || !a.At.Before(to) {
			continue
		}
		r, err := s.Referral(a.Referral)
		if err != nil {
			return nil, err
		}
		bids, err := s.Bids(a.Referral)
		if err != nil {
			return nil, err
		}
		pa := Award{Award: a, Referral: r, Tenderers: len(bids)}
		for _, au := range auths {
			if au.Code == r.Authority {
				pa.Buyer = au
			}
		}
		for _, ar := range arrs {
			if ar.ID == r.Arrangement {
				pa.Arrangement = ar
			}
		}
		pa.Notice = notices[r.ID]
		now, nowErr := s.Establishment(a.Establishment)
		if d := a.Decision; d != nil && d.Names[a.Establishment] != "" {
			// The decision as kept: names as they were at the award.
			pa.Setting, pa.Supplier = d.Names[a.Establishment], d.Supplier
			pa.Identity = d.Records[a.Establishment].Supplier
		} else if nowErr == nil {
			pa.Setting, pa.Supplier = now.Name, pname[now.ProviderID]
		}
		if pa.Identity == (store.Supplier{}) && nowErr == nil {
			pa.Identity = now.Supplier
		}
		if pa.Supplier == "" {
			pa.Supplier = pa.Setting
		}
		out = append(out, pa)
	}
	sortAwards(out)
	return out, nil
}

// Split divides awards into those issued under regime (an empty regime:
// under no arrangement) and the rest.
func Split(awards []Award, regime store.Regime) (mine, others []Award) {
	for _, a := range awards {
		if a.Referral.Regime == regime {
			mine = append(mine, a)
		} else {
			others = append(others, a)
		}
	}
	return mine, others
}

// refuseOthers refuses to write a regime's document for a referral issued
// under another.
func refuseOthers(awards []Award, regime store.Regime, document string) error {
	var bad []string
	for _, a := range awards {
		if a.Referral.Regime != regime {
			bad = append(bad, fmt.Sprintf("%s was issued under %s", a.Referral.ID, store.RegimeWords(a.Referral)))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	want := "awards issued under no DPS arrangement"
	if regime != "" {
		want = "awards under a " + regime.Title()
	}
	return fmt.Errorf("%s is for %s: %s (%w)", document, want, strings.Join(bad, "; "), store.ErrWrongRegime)
}

func sortAwards(as []Award) {
	slices.SortFunc(as, func(a, b Award) int {
		return cmp.Or(a.Award.At.Compare(b.Award.At), strings.Compare(a.Award.Referral, b.Award.Referral))
	})
}

// procedure says how an award was reached, in OCDS's words.
func procedure(route store.AwardRoute) (method, details string) {
	switch route {
	case store.RouteDirect:
		return "direct", "Direct placement outside the competition, with a written justification"
	case store.RouteBlock:
		return "limited", "Placement into a block booking"
	case store.RouteParentChoice:
		return "selective", "Dynamic purchasing system mini-competition; the parents chose among the closest bids"
	}
	return "selective", "Dynamic purchasing system mini-competition"
}

func pounds(pence int64) float64 { return float64(pence) / 100 }

// Options say who publishes, and the choices publication-facts.md leaves
// UNCONFIRMED.
type Options struct {
	Publisher  string    // the publishing authority's name
	OCIDPrefix string    // the registered OCDS prefix, e.g. "ocds-setdps"
	URI        string    // where the package is published
	Now        time.Time // publishedDate
	Choices
}

// ErrNothing is a period with no award to publish in the form asked for:
// nothing is written.
var ErrNothing = errors.New("no award to publish")

type (
	pkg struct {
		URI           string    `json:"uri"`
		Version       string    `json:"version"`
		PublishedDate string    `json:"publishedDate"`
		Publisher     publisher `json:"publisher"`
		Releases      []release `json:"releases"`
	}
	publisher struct {
		Name string `json:"name"`
	}
	release struct {
		OCID           string     `json:"ocid"`
		ID             string     `json:"id"`
		Date           string     `json:"date"`
		Tag            []string   `json:"tag"`
		InitiationType string     `json:"initiationType"`
		Language       string     `json:"language"`
		Parties        []party    `json:"parties"`
		Buyer          orgRef     `json:"buyer"`
		Tender         tender     `json:"tender"`
		Awards         []award    `json:"awards"`
		Contracts      []contract `json:"contracts"`
	}
	party struct {
		ID         string      `json:"id"`
		Name       string      `json:"name"`
		Identifier *identifier `json:"identifier,omitempty"`
		Roles      []string    `json:"roles"`
	}
	orgRef struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	value struct {
		Amount   float64 `json:"amount"`
		Currency string  `json:"currency"`
	}
	period struct {
		StartDate string `json:"startDate,omitempty"`
		EndDate   string `json:"endDate,omitempty"`
	}
	tender struct {
		ID                       string  `json:"id"`
		Title                    string  `json:"title"`
		Status                   string  `json:"status"`
		ProcurementMethod        string  `json:"procurementMethod"`
		ProcurementMethodDetails string  `json:"procurementMethodDetails"`
		MainProcurementCategory  string  `json:"mainProcurementCategory"`
		NumberOfTenderers        int     `json:"numberOfTenderers"`
		TenderPeriod             *period `json:"tenderPeriod,omitempty"`
	}
	award struct {
		ID          string   `json:"id"`
		Title       string   `json:"title"`
		Description string   `json:"description"`
		Status      string   `json:"status"`
		Date        string   `json:"date"`
		Value       value    `json:"value"`
		Suppliers   []orgRef `json:"suppliers"`
	}
	contract struct {
		ID      string `json:"id"`
		AwardID string `json:"awardID"`
		Title   string `json:"title"`
		Status  string `json:"status"`
		Period  period `json:"period"`
		Value   value  `json:"value"`
	}
)

// partyID is a stable id for an organisation within a release.
func partyID(kind, name string) string { return kind + "-" + store.ProviderID(name) }

// buyerID is a partner authority's party id: GB-PPON-… once its PPON is
// recorded (`dpsdesk authority ppon`), buyer-CODE until then.
func buyerID(a store.Authority) string {
	if a.PPON != "" {
		return "GB-PPON-" + a.PPON
	}
	return "buyer-" + a.Code
}

// buyerIdentifier is its identifier, nil until its PPON is recorded.
func buyerIdentifier(a store.Authority) *identifier {
	if a.PPON == "" {
		return nil
	}
	return &identifier{Scheme: "GB-PPON", ID: a.PPON, LegalName: a.Name}
}

// OCDS writes the awards as an OCDS 1.1 release package: one release per
// referral, with the mini-competition as the tender, the award and the
// contract; the partner authority as buyer and the provider as supplier.
// Values are a year of the weekly cost, in GBP. Ids are stable across runs.
// It is for awards issued under no DPS arrangement (a store from before
// them); an award under an arrangement is published in its regime's form
// (ContractsFinder, FindATender). There must be at least one award: an
// OCDS 1.1.5 package holds one release or more.
func OCDS(w io.Writer, awards []Award, o Options) error {
	if err := refuseOthers(awards, "", "a plain OCDS package"); err != nil {
		return err
	}
	if len(awards) == 0 {
		return ErrNothing
	}
	p := pkg{URI: o.URI, Version: "1.1", PublishedDate: o.Now.UTC().Format(time.RFC3339), Publisher: publisher{o.Publisher}, Releases: []release{}}
	for _, a := range awards {
		r := a.Referral
		ocid := o.OCIDPrefix + "-" + r.ID
		buyer := orgRef{ID: buyerID(a.Buyer), Name: a.Buyer.Name}
		supplier := orgRef{ID: partyID("supplier", a.Supplier), Name: a.Supplier}
		method, details := procedure(a.Award.Route)
		title := "Placement: " + engine.SettingKind(r.Category)
		annual := value{pounds(engine.AnnualPence(a.Award.WeeklyPence)), "GBP"}
		rel := release{
			OCID: ocid, ID: ocid + "-award", Date: a.Award.At.UTC().Format(time.RFC3339),
			Tag: []string{"award", "contract"}, InitiationType: "tender", Language: "en",
			Parties: []party{{buyer.ID, buyer.Name, buyerIdentifier(a.Buyer), []string{"buyer"}}, {supplier.ID, supplier.Name, nil, []string{"supplier"}}},
			Buyer:   buyer,
			Tender: tender{ID: r.ID, Title: title, Status: "complete", ProcurementMethod: method, ProcurementMethodDetails: details,
				MainProcurementCategory: "services", NumberOfTenderers: a.Tenderers},
			Awards: []award{{ID: r.ID + "-award", Title: title, Description: fmt.Sprintf("%s a week (%s)", engine.Pounds(a.Award.WeeklyPence), details),
				Status: "active", Date: a.Award.At.UTC().Format(time.RFC3339), Value: annual, Suppliers: []orgRef{supplier}}},
			Contracts: []contract{{ID: r.ID + "-contract", AwardID: r.ID + "-award", Title: title, Status: "active",
				Period: period{StartDate: startInstant(a.Award.Start)}, Value: annual}},
		}
		if !r.IssuedAt.IsZero() {
			tp := period{StartDate: r.IssuedAt.UTC().Format(time.RFC3339)}
			if !r.Deadline.IsZero() {
				tp.EndDate = r.Deadline.UTC().Format(time.RFC3339)
			}
			rel.Tender.TenderPeriod = &tp
		}
		p.Releases = append(p.Releases, rel)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "Brighton & Hove", as written
	return enc.Encode(p)
}

func startInstant(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// cpv is the Common Procurement Vocabulary code for a category.
func cpv(category string) string {
	return map[string]string{
		engine.CategorySEN: "80340000", engine.CategoryIAP: "80000000", engine.CategoryFostering: "85311300",
		engine.CategoryResidential: "85311300", engine.CategoryShortBreaks: "85312000", engine.CategoryFACS: "85320000",
	}[category]
}
