package publish

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// Notice is a Find a Tender notice the desk writes for an award under a
// Procurement Act 2023 dynamic market.
type Notice string

const (
	// UK6 is the contract award notice (PA 2023 s.50; PR 2024 reg 27),
	// published after the assessment summaries are sent and before the
	// contract is entered into.
	UK6 Notice = "UK6"
	// UK7 is the contract details notice (s.53; reg 32), published after
	// the contract is entered into: within 120 days for light touch.
	UK7 Notice = "UK7"
)

// ParseNotice reads uk6 or uk7.
func ParseNotice(s string) (Notice, error) {
	switch strings.ToUpper(s) {
	case "UK6":
		return UK6, nil
	case "UK7":
		return UK7, nil
	}
	return "", fmt.Errorf("--notice must be uk6 or uk7, not %q", s)
}

// ukExtension is the Cabinet Office's OCDS extension that Find a Tender
// declares in every package.
const ukExtension = "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json"

type (
	ftsPackage struct {
		URI           string       `json:"uri"`
		Version       string       `json:"version"`
		Extensions    []string     `json:"extensions"`
		PublishedDate string       `json:"publishedDate"`
		Publisher     publisher    `json:"publisher"`
		License       string       `json:"license,omitempty"`
		Releases      []ftsRelease `json:"releases"`
	}
	ftsRelease struct {
		OCID             string           `json:"ocid"`
		ID               string           `json:"id"`
		Date             string           `json:"date"`
		Tag              []string         `json:"tag"`
		InitiationType   string           `json:"initiationType"`
		Language         string           `json:"language"`
		Parties          []ftsParty       `json:"parties"`
		Buyer            orgRef           `json:"buyer"`
		RelatedProcesses []relatedProcess `json:"relatedProcesses"`
		Tender           ftsTender        `json:"tender"`
		Awards           []ftsAward       `json:"awards"`
		Contracts        []ftsContract    `json:"contracts,omitempty"`
	}
	identifier struct {
		Scheme    string `json:"scheme"`
		ID        string `json:"id"`
		LegalName string `json:"legalName,omitempty"`
	}
	address struct {
		StreetAddress string `json:"streetAddress,omitempty"`
		CountryName   string `json:"countryName"`
	}
	classification struct {
		Scheme      string `json:"scheme"`
		ID          string `json:"id"`
		Description string `json:"description,omitempty"`
	}
	partyDetails struct {
		Scale           string           `json:"scale,omitempty"`
		VCSE            *bool            `json:"vcse,omitempty"`
		Classifications []classification `json:"classifications,omitempty"`
	}
	ftsParty struct {
		ID                    string        `json:"id"`
		Name                  string        `json:"name"`
		Identifier            *identifier   `json:"identifier,omitempty"`
		AdditionalIdentifiers []identifier  `json:"additionalIdentifiers,omitempty"`
		Address               *address      `json:"address,omitempty"`
		Roles                 []string      `json:"roles"`
		Details               *partyDetails `json:"details,omitempty"`
	}
	relatedProcess struct {
		ID           string   `json:"id"`
		Relationship []string `json:"relationship"`
		Title        string   `json:"title"`
		Scheme       string   `json:"scheme"`
		Identifier   string   `json:"identifier"`
	}
	grossValue struct {
		Amount      float64 `json:"amount"`
		AmountGross float64 `json:"amountGross"`
		Currency    string  `json:"currency"`
	}
	item struct {
		ID             string         `json:"id"`
		Description    string         `json:"description"`
		Classification classification `json:"classification"`
	}
	document struct {
		ID           string `json:"id"`
		DocumentType string `json:"documentType"`
		NoticeType   string `json:"noticeType"`
		Title        string `json:"title"`
		Description  string `json:"description"`
		Language     string `json:"language"`
	}
	ftsTender struct {
		ID                       string     `json:"id"`
		Title                    string     `json:"title"`
		Description              string     `json:"description"`
		Status                   string     `json:"status"`
		Items                    []item     `json:"items,omitempty"`
		ProcurementMethod        string     `json:"procurementMethod"`
		ProcurementMethodDetails string     `json:"procurementMethodDetails"`
		MainProcurementCategory  string     `json:"mainProcurementCategory"`
		SpecialRegime            []string   `json:"specialRegime"`
		AboveThreshold           bool       `json:"aboveThreshold"`
		NumberOfTenderers        int        `json:"numberOfTenderers"`
		Documents                []document `json:"documents,omitempty"`
	}
	ftsAward struct {
		ID                          string     `json:"id"`
		Title                       string     `json:"title"`
		Description                 string     `json:"description"`
		Status                      string     `json:"status"`
		Date                        string     `json:"date"`
		Value                       grossValue `json:"value"`
		Suppliers                   []orgRef   `json:"suppliers"`
		AboveThreshold              bool       `json:"aboveThreshold"`
		AssessmentSummariesDateSent string     `json:"assessmentSummariesDateSent,omitempty"`
		StandstillPeriod            *period    `json:"standstillPeriod,omitempty"`
		ContractPeriod              period     `json:"contractPeriod"`
		Documents                   []document `json:"documents,omitempty"`
	}
	ftsContract struct {
		ID                       string     `json:"id"`
		AwardID                  string     `json:"awardID"`
		Title                    string     `json:"title"`
		Status                   string     `json:"status"`
		Period                   period     `json:"period"`
		Value                    grossValue `json:"value"`
		DateSigned               string     `json:"dateSigned"`
		AboveThreshold           bool       `json:"aboveThreshold"`
		NoAgreedMetricsRationale string     `json:"noAgreedMetricsRationale"`
		Documents                []document `json:"documents,omitempty"`
	}
)

// paProcedure says how a dynamic market award was reached, in words.
func paProcedure(a Award) (method, details string) {
	dm := fmt.Sprintf("dynamic market %s (%s)", a.Arrangement.UniqueID, a.Arrangement.Title)
	switch a.Award.Route {
	case store.RouteDirect:
		return "direct", "Direct award outside the " + dm + ", with a written justification"
	case store.RouteBlock:
		return "limited", "Placement into a block booking, outside the " + dm
	}
	return "selective", "Competitive flexible procedure: an award by reference to membership of " + dm + "; a light touch contract"
}

// partyOf is the supplier as an OCDS party, identified by its PPON,
// Companies House or charity number.
func partyOf(a Award) ftsParty {
	ids := a.Identity.Identifiers()
	p := ftsParty{ID: ids[0][0] + "-" + ids[0][1], Name: a.Supplier, Roles: []string{"supplier"},
		Identifier: &identifier{Scheme: ids[0][0], ID: ids[0][1], LegalName: a.Supplier}}
	for _, x := range ids[1:] {
		p.AdditionalIdentifiers = append(p.AdditionalIdentifiers, identifier{Scheme: x[0], ID: x[1]})
	}
	if a.Identity.RegisteredAddress != "" {
		p.Address = &address{StreetAddress: a.Identity.RegisteredAddress, CountryName: "United Kingdom"}
	}
	vcse := a.Identity.VCSE == "yes"
	p.Details = &partyDetails{Scale: map[bool]string{true: "sme", false: "large"}[a.Identity.SME == "yes"], VCSE: &vcse}
	return p
}

// FindATender writes the awards under Procurement Act 2023 dynamic markets
// as an OCDS 1.1 release package in Find a Tender's shape, with the
// Cabinet Office UK extension: one release per award, each under its own
// ocid, related to its dynamic market's ocid; the notice type (UK6 or UK7)
// on the notice's document; light touch as the special regime; the value
// with and without VAT; the assessment summaries' sent date and a
// voluntary standstill's end where recorded. A UK7 is written only for an
// award whose contract has been entered into (recorded with `dpsdesk
// notice set`). An award under a PCR 2015 DPS is refused.
func FindATender(w io.Writer, awards []Award, notice Notice, o Options) error {
	if err := refuseOthers(awards, store.RegimePA2023, "A Find a Tender "+string(notice)); err != nil {
		return err
	}
	if notice == UK7 {
		var signed []Award
		for _, a := range awards {
			if a.Notice.EnteredInto != "" {
				signed = append(signed, a)
			}
		}
		awards = signed
	}
	if len(awards) == 0 {
		return ErrNothing
	}
	var missing []string
	for _, a := range awards {
		missing = append(missing, supplierProblems(a, true)...)
	}
	if len(missing) > 0 {
		return &MissingError{missing}
	}
	c := o.Choices
	p := ftsPackage{URI: o.URI, Version: "1.1", Extensions: []string{ukExtension}, PublishedDate: ukInstant(o.Now),
		Publisher: publisher{o.Publisher}, License: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
	for _, a := range awards {
		r := a.Referral
		ocid := o.OCIDPrefix + "-" + r.ID
		buyer := ftsParty{ID: buyerID(a.Buyer), Name: a.Buyer.Name, Roles: []string{"buyer"}, Identifier: buyerIdentifier(a.Buyer),
			Details: &partyDetails{Classifications: []classification{{Scheme: "UK_CA_TYPE", ID: "publicAuthoritySubCentralGovernment"}}}}
		supplier := partyOf(a)
		method, details := paProcedure(a)
		title := "Placement: " + engine.SettingKind(r.Category)
		net, gross := c.netPence(a), c.grossPence(a)
		val := grossValue{Amount: pounds(net), AmountGross: pounds(gross), Currency: "GBP"}
		above := gross >= LightTouchThresholdPence
		term := period{StartDate: ukDateTime(a.Award.Start), EndDate: ukDateTime(c.endDate(a))}
		doc := document{ID: fmt.Sprintf("%s-%s", ocid, notice), NoticeType: string(notice), Language: "en"}
		if notice == UK6 {
			doc.DocumentType, doc.Title, doc.Description = "awardNotice", "Contract award notice (UK6)", "Contract award notice on Find a Tender"
		} else {
			doc.DocumentType, doc.Title, doc.Description = "contractNotice", "Contract details notice (UK7)", "Contract details notice on Find a Tender"
		}
		rel := ftsRelease{
			OCID: ocid, ID: fmt.Sprintf("%s-%s", ocid, notice), Tag: []string{"award"}, InitiationType: "tender", Language: "en",
			Parties: []ftsParty{buyer, supplier}, Buyer: orgRef{ID: buyer.ID, Name: buyer.Name},
			RelatedProcesses: []relatedProcess{{ID: "1", Relationship: []string{c.Relationship}, Title: a.Arrangement.Title + " (" + a.Arrangement.UniqueID + ")",
				Scheme: "ocid", Identifier: a.Arrangement.OCID}},
			Tender: ftsTender{ID: r.ID, Title: title,
				Description: fmt.Sprintf("A placement awarded by reference to membership of the dynamic market %s (%s).", a.Arrangement.UniqueID, a.Arrangement.Title),
				Status:      "complete", ProcurementMethod: method, ProcurementMethodDetails: details, MainProcurementCategory: "services",
				SpecialRegime: []string{c.LightTouchCode}, AboveThreshold: above, NumberOfTenderers: a.Tenderers},
			Awards: []ftsAward{{ID: r.ID + "-award", Title: title, Description: fmt.Sprintf("%s a week for %d weeks (%s)", engine.Pounds(a.Award.WeeklyPence), c.TermWeeks, details),
				Status: c.UK6AwardStatus, Date: ukInstant(a.Award.At), Value: val, Suppliers: []orgRef{{ID: supplier.ID, Name: supplier.Name}},
				AboveThreshold: above, ContractPeriod: term}},
		}
		if code := cpv(r.Category); code != "" {
			rel.Tender.Items = []item{{ID: "1", Description: title, Classification: classification{Scheme: "CPV", ID: code}}}
		}
		aw := &rel.Awards[0]
		if d := a.Notice.SummariesSent; d != "" {
			aw.AssessmentSummariesDateSent = ukDateTime(d)
		}
		if d := a.Notice.StandstillEnd; d != "" {
			aw.StandstillPeriod = &period{EndDate: ukDateTime(d)}
		}
		rel.Date = ukInstant(a.Award.At)
		if notice == UK7 {
			rel.Tag = []string{"contract"}
			aw.Status = "active"
			rel.Date = ukDateTime(a.Notice.EnteredInto)
			rel.Contracts = []ftsContract{{ID: r.ID + "-contract", AwardID: aw.ID, Title: title, Status: "active", Period: term, Value: val,
				DateSigned: ukDateTime(a.Notice.EnteredInto), AboveThreshold: above,
				NoAgreedMetricsRationale: "A light touch contract: the duty to set key performance indicators does not apply (Procurement Act 2023 s.52(6)(d))."}}
		}
		switch {
		case c.NoticeDocumentsIn == "tender":
			rel.Tender.Documents = []document{doc}
		case notice == UK6:
			aw.Documents = []document{doc}
		default:
			rel.Contracts[0].Documents = []document{doc}
		}
		p.Releases = append(p.Releases, rel)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

// Due is one notice or publication owed for an award, and by when.
type Due struct {
	Referral string
	What     string
	By       string // YYYY-MM-DD, or "" when it depends on something not recorded
	Note     string
}

// Dues lists what each award owes and when, by its regime: Contracts
// Finder publication for a PCR 2015 DPS award (Choices.CFDays after it);
// for a dynamic market award, the assessment summaries, then UK6 before
// the contract is entered into, then UK7 within 120 days after (light
// touch, s.53(1)).
func Dues(awards []Award, c Choices) []Due {
	var out []Due
	add := func(a Award, what, by, note string) {
		out = append(out, Due{Referral: a.Referral.ID, What: what, By: by, Note: note})
	}
	plus := func(day string, days int) string {
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return ""
		}
		return t.AddDate(0, 0, days).Format(time.DateOnly)
	}
	for _, a := range awards {
		switch a.Referral.Regime {
		case store.RegimePCR2015:
			add(a, "Contracts Finder award information (PCR 2015 reg 112)", plus(a.Day(), c.CFDays),
				fmt.Sprintf("%d days after the award (--cf-days)", c.CFDays))
		case store.RegimePA2023:
			if a.Notice.SummariesSent == "" {
				add(a, "assessment summaries to every assessed tenderer (PR 2024 reg 31)", "", "before the UK6; not recorded as sent yet")
			}
			before := a.Notice.EnteredInto
			if before == "" {
				before = a.Award.Start
			}
			if a.Notice.EnteredInto == "" {
				add(a, "UK6 contract award notice", before, "before the contract is entered into (the placement starts then)")
				add(a, "UK7 contract details notice", "", "within 120 days after the contract is entered into: record that day with `dpsdesk notice set`")
			} else {
				add(a, "UK7 contract details notice", plus(a.Notice.EnteredInto, 120), "120 days after the contract was entered into (light touch)")
			}
		default:
			add(a, "publication", "", "issued under no DPS arrangement: `dpsdesk publish --format ocds`")
		}
	}
	return out
}
