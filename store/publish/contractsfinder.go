package publish

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// The Contracts Finder buyer API (publication-facts.md §1.4) takes one
// notice (create_draft_notice, created pre-awarded) and then each award of
// it (add_draft_award, an AwardDetail). The payload holds those bodies, by
// notice, with what the API cannot carry — which award is which referral,
// and its value with and without VAT in words — beside them, labelled.
type (
	cfPayload struct {
		About      string     `json:"about"`
		ValueBasis string     `json:"valueBasis"`
		Notices    []cfNotice `json:"notices"`
	}
	cfNotice struct {
		Buyer  string         `json:"buyer"`
		Notice cfDraftNotice  `json:"create_draft_notice"`
		Awards []cfAwardEntry `json:"add_draft_award"`
	}
	cfDraftNotice struct {
		Identifier  string  `json:"Identifier"`
		Title       string  `json:"Title"`
		Description string  `json:"Description"`
		ValueLow    float64 `json:"ValueLow"`
		ValueHigh   float64 `json:"ValueHigh"`
		Start       string  `json:"Start"`
		End         string  `json:"End"`
		CpvCodes    string  `json:"CpvCodes"`
	}
	cfAwardEntry struct {
		Referral          string  `json:"referral"`
		ValueExcludingVAT string  `json:"valueExcludingVat"`
		ValueIncludingVAT string  `json:"valueIncludingVat"`
		Detail            cfAward `json:"AwardDetail"`
	}
	cfAward struct {
		NoticeIdentifier     string  `json:"NoticeIdentifier"`
		Value                float64 `json:"Value"`
		SupplierAwardedValue float64 `json:"SupplierAwardedValue"`
		SupplierName         string  `json:"SupplierName"`
		SupplierAddress      string  `json:"SupplierAddress"`
		ReferenceType        string  `json:"ReferenceType,omitempty"`
		Reference            string  `json:"Reference,omitempty"`
		StartDate            string  `json:"StartDate"`
		EndDate              string  `json:"EndDate"`
		AwardedDate          string  `json:"AwardedDate"`
		AwardedProcedureType string  `json:"awardedProcedureType"`
		AdditionalDetails    string  `json:"additionalDetails"`
		AwardedToSME         bool    `json:"awardedToSME"`
		AwardedToVCSO        bool    `json:"awardedToVCSO"`
	}
)

// pcrProcedure says how a PCR 2015 DPS award was reached, in words.
func pcrProcedure(a Award) string {
	switch a.Award.Route {
	case store.RouteDirect:
		return "Direct placement outside the dynamic purchasing system competition, with a written justification"
	case store.RouteBlock:
		return "Placement into a block booking"
	case store.RouteParentChoice:
		return "Call-off from a dynamic purchasing system (PCR 2015 reg 34) by mini-competition; the parents chose among the closest bids"
	}
	return "Call-off from a dynamic purchasing system (PCR 2015 reg 34) by mini-competition"
}

// supplierProblems says what publication needs of a supplier that the
// register does not hold.
func supplierProblems(a Award, needIdentifier bool) []string {
	var ps []string
	where := fmt.Sprintf("%s: the supplier %s (%s)", a.Referral.ID, a.Supplier, a.Award.Establishment)
	if a.Identity.SME == "" {
		ps = append(ps, where+" has no SME status on the register (register CSV column sme)")
	}
	if a.Identity.VCSE == "" {
		ps = append(ps, where+" has no VCSE status on the register (register CSV column vcse)")
	}
	if _, _, ok := a.Identity.Identifier(); needIdentifier && !ok {
		ps = append(ps, where+" has no identifier on the register (register CSV columns ppon, company_number or charity_number)")
	}
	return ps
}

// MissingError lists what the register lacks for publication; nothing was
// written.
type MissingError struct{ Problems []string }

func (e *MissingError) Error() string { return strings.Join(e.Problems, "\n") }

// ContractsFinder writes the awards under PCR 2015 DPSs as the Contracts
// Finder buyer API's JSON: a notice per buyer and arrangement for the
// quarter (or one per award, Choices.CFNotices), each with its awards'
// AwardDetail — every field of it the desk knows: supplier name, address
// and identifier, SME and VCSE status (PCR reg 112(1)), value, start, end
// and award dates (UK dates), the procedure in words. An award under a
// Procurement Act 2023 dynamic market is refused.
func ContractsFinder(w io.Writer, awards []Award, q Quarter, o Options) error {
	if err := refuseOthers(awards, store.RegimePCR2015, "Contracts Finder publication"); err != nil {
		return err
	}
	if len(awards) == 0 {
		return ErrNothing
	}
	var missing []string
	for _, a := range awards {
		missing = append(missing, supplierProblems(a, false)...)
	}
	if len(missing) > 0 {
		return &MissingError{missing}
	}
	c := o.Choices
	value := func(a Award) float64 {
		if c.CFValue == "gross" {
			return pounds(c.grossPence(a))
		}
		return pounds(c.netPence(a))
	}
	basis := "excluding VAT"
	if c.CFValue == "gross" {
		basis = fmt.Sprintf("including VAT at %d%%", c.VATPercent)
	}
	p := cfPayload{
		About: "Contracts Finder buyer API (api/rest/2), award information under PCR 2015 reg 112 for call-offs from PCR 2015 dynamic purchasing systems: " +
			"for each notice, POST create_draft_notice with its body (pre-awarded), then POST add_draft_award with each AwardDetail, " +
			"its NoticeId found by GET Draft/Notices/Lookup/{NoticeIdentifier}. Dates are UK dates.",
		ValueBasis: fmt.Sprintf("Value, SupplierAwardedValue, ValueLow and ValueHigh are in GBP %s, for %d weeks of the weekly cost; valueExcludingVat and valueIncludingVat say both.", basis, c.TermWeeks),
	}
	groups := map[string][]Award{}
	var keys []string
	for _, a := range awards {
		key := a.Referral.Authority + "\x00" + a.Arrangement.ID
		if c.CFNotices == "per-award" {
			key += "\x00" + a.Referral.ID
		}
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], a)
	}
	slices.Sort(keys)
	for _, key := range keys {
		as := groups[key]
		first := as[0]
		arr := first.Arrangement
		n := cfNotice{Buyer: first.Buyer.Name}
		if c.CFNotices == "per-award" {
			n.Notice.Identifier = o.OCIDPrefix + "-" + first.Referral.ID
			n.Notice.Title = "Placement awarded: " + engine.SettingKind(first.Referral.Category)
			n.Notice.Description = fmt.Sprintf("A placement awarded under %s, a dynamic purchasing system established on %s under the Public Contracts Regulations 2015.", arr.Title, arr.Established)
		} else {
			n.Notice.Identifier = fmt.Sprintf("%s-%s-%s-%s", o.OCIDPrefix, first.Referral.Authority, arr.ID, q)
			n.Notice.Title = fmt.Sprintf("Placements awarded under %s, %d Q%d", arr.Title, q.Year, q.Q)
			count := "one award, below"
			if len(as) > 1 {
				count = fmt.Sprintf("%d separate awards, each below", len(as))
			}
			n.Notice.Description = fmt.Sprintf("Placement awards of %s made from %s to %s under %s, a dynamic purchasing system established on %s under the Public Contracts Regulations 2015: %s.",
				first.Buyer.Name, q.first(), q.last(), arr.Title, arr.Established, count)
		}
		var cpvs []string
		for i, a := range as {
			v := value(a)
			if i == 0 || v < n.Notice.ValueLow {
				n.Notice.ValueLow = v
			}
			n.Notice.ValueHigh = max(n.Notice.ValueHigh, v)
			if n.Notice.Start == "" || a.Award.Start < n.Notice.Start {
				n.Notice.Start = a.Award.Start
			}
			n.Notice.End = max(n.Notice.End, c.endDate(a))
			if code := cpv(a.Referral.Category); code != "" && !slices.Contains(cpvs, code) {
				cpvs = append(cpvs, code)
			}
			net, gross := c.valueWords(a)
			d := cfAward{NoticeIdentifier: n.Notice.Identifier, Value: v, SupplierAwardedValue: v,
				SupplierName: a.Supplier, SupplierAddress: a.Identity.RegisteredAddress,
				StartDate: a.Award.Start, EndDate: c.endDate(a), AwardedDate: a.Day(),
				AwardedProcedureType: pcrProcedure(a),
				AdditionalDetails: fmt.Sprintf("%s, %s a week; competition %s: %d bids.", engine.SettingKind(a.Referral.Category),
					engine.Pounds(a.Award.WeeklyPence), a.Referral.ID, a.Tenderers),
				AwardedToSME: a.Identity.SME == "yes", AwardedToVCSO: a.Identity.VCSE == "yes"}
			if scheme, id, ok := a.Identity.Identifier(); ok {
				d.ReferenceType, d.Reference = scheme, id
			}
			n.Awards = append(n.Awards, cfAwardEntry{Referral: a.Referral.ID, ValueExcludingVAT: net, ValueIncludingVAT: gross, Detail: d})
		}
		slices.Sort(cpvs)
		n.Notice.CpvCodes = strings.Join(cpvs, ",")
		p.Notices = append(p.Notices, n)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

func (q Quarter) first() string { f, _ := q.Span(); return f.Format("2 January 2006") }
func (q Quarter) last() string  { _, t := q.Span(); return t.AddDate(0, 0, -1).Format("2 January 2006") }

// WorkingList writes the awards under PCR 2015 DPSs as a CSV for the
// officer preparing the Contracts Finder entries: a working list, not an
// upload (Contracts Finder takes no buyer CSV). Every column is what the
// award detail asks, with UK dates, SME and VCSE status, the supplier's
// address and identifier, and values with and without VAT in their
// headings.
func WorkingList(w io.Writer, awards []Award, o Options) error {
	if err := refuseOthers(awards, store.RegimePCR2015, "The Contracts Finder working list"); err != nil {
		return err
	}
	if len(awards) == 0 {
		return ErrNothing
	}
	c := o.Choices
	cw := store.NewCSVWriter(w)
	cw.Write([]string{"Referral", "Arrangement", "Buyer", "Title", "Procedure", "Award date (UK)", "Start date", "End date (" + strconv.Itoa(c.TermWeeks) + " weeks)",
		"Supplier", "Supplier address", "Supplier identifier", "SME", "VCSE", "Weekly cost excluding VAT (GBP)",
		"Value excluding VAT (GBP)", "Value including VAT at " + strconv.Itoa(c.VATPercent) + "% (GBP)", "Bids", "CPV code"})
	for _, a := range awards {
		id := ""
		if scheme, v, ok := a.Identity.Identifier(); ok {
			id = scheme + "-" + v
		}
		cw.Write([]string{
			a.Referral.ID, a.Arrangement.ID, a.Buyer.Name, "Placement: " + engine.SettingKind(a.Referral.Category), pcrProcedure(a),
			a.Day(), a.Award.Start, c.endDate(a), a.Supplier, a.Identity.RegisteredAddress, id,
			cmp.Or(a.Identity.SME, "not known"), cmp.Or(a.Identity.VCSE, "not known"),
			engine.PoundsDecimal(a.Award.WeeklyPence), engine.PoundsDecimal(c.netPence(a)), engine.PoundsDecimal(c.grossPence(a)),
			strconv.Itoa(a.Tenderers), cpv(a.Referral.Category),
		})
	}
	cw.Flush()
	return cw.Error()
}
