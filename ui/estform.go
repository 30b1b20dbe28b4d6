package ui

import (
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/store"
)

// newEstablishmentForm edits an establishment, or makes a new one (e nil).
// Status is not on the form: it changes by qualifying, suspending and the
// review queue, each audited as what it is.
func newEstablishmentForm(ctx *Context, e *store.Establishment) *form {
	creating := e == nil
	if creating {
		e = &store.Establishment{Status: engine.Applied}
	}
	in, _ := e.Inspection()
	provider := ""
	if ps, err := ctx.Store.Providers(); err == nil {
		for _, p := range ps {
			if p.ID == e.ProviderID {
				provider = p.Name
			}
		}
	}
	cost := ""
	if !creating {
		cost = strings.TrimPrefix(Pounds(e.CoreWeeklyPence), "£")
	}
	fields := []*field{
		newField("id", "Id (URN or Ofsted no.)", e.ID, "The register id: a URN such as 126143 or an Ofsted number such as SC057941.", nil),
		newField("name", "Name", e.Name, "The establishment's name.", nil),
		newField("provider", "Provider", provider, "The organisation that owns it.", nil),
		newField("urn", "URN", e.URN, "Ofsted/DfE unique reference number, if it has one.", nil),
		newField("categories", "Categories", strings.Join(e.Categories, ";"), "Separated by ;  from: "+strings.Join(engine.CategoryIDs(), ", "), checkList(engine.CategoryIDs(), true, "category")),
		newField("postcode", "Postcode", e.Postcode, "Full postcode or sector, e.g. RH12 1AB or RH12 1: it must resolve.", nil),
		newField("town", "Town", e.Town, "The town people know it by, e.g. Horsham.", nil),
		newField("pattern", "Pattern", e.Pattern, "day, residential-38, residential-52 or mixed", checkList([]string{"day", "residential-38", "residential-52", "mixed"}, false, "pattern")),
		newField("taster_day", "Taster day", e.TasterDay, "yes or no: can families visit for a taster day?", checkList([]string{"yes", "no"}, false, "answer")),
		newField("core_weekly_pence", "Core weekly cost (£)", cost, "Pounds a week, e.g. 1,500.00; never less than 0.", func(s string) string {
			if _, err := parsePounds(s); err != nil {
				return err.Error()
			}
			return ""
		}).typed(),
		newField("inspection_framework", "Inspection framework", string(in.Framework), "ofsted, ofsted-report-card, isi, cqc or unregulated", func(s string) string {
			if s = strings.TrimSpace(s); s != "" && !engine.Framework(s).Valid() {
				return "one of ofsted, ofsted-report-card, isi, cqc, unregulated"
			}
			return ""
		}),
		newField("inspection_grade", "Inspection grade", in.Grade, "In the framework's own words, e.g. Good, Requires improvement, Met.", nil),
		newField("inspection_date", "Inspection date", in.Date, "The day of the inspection: "+engine.DateExample+".", nil).date(true),
		newField("needs", "Needs it can meet", strings.Join(e.Needs, ";"), "SEN type codes separated by ;  from: "+strings.Join(engine.SENTypes(), ", "), checkList(engine.SENTypes(), false, "SEN type code")),
		newField("features", "Features it offers", strings.Join(e.Features, ";"), "Separated by ;  e.g. "+strings.Join(engine.FeatureIDs()[:4], ", "), nil),
		// Who contracts for it, as award notices publish them.
		newField("company_number", "Companies House no.", e.Supplier.CompanyNumber, "The supplier's: eight digits, or two letters and six digits, e.g. 01234567 or SC123456; empty if none.", nil),
		newField("charity_number", "Charity no.", e.Supplier.CharityNumber, "The supplier's Charity Commission number, six or seven digits; empty if none.", nil),
		newField("ppon", "PPON", e.Supplier.PPON, "The supplier's Public Procurement Organisation Number, e.g. PBHM-7586-PWLP; empty if not yet known.", nil),
		newField("registered_address", "Registered address", e.Supplier.RegisteredAddress, "The supplier's registered office, as award notices publish it.", nil),
		newField("sme", "SME (yes/no)", e.Supplier.SME, "Is the supplier a small or medium enterprise? yes, no, or empty while not known.", checkList([]string{"yes", "no"}, false, "answer")),
		newField("vcse", "VCSE (yes/no)", e.Supplier.VCSE, "Is the supplier a voluntary, community or social enterprise? yes, no, or empty.", checkList([]string{"yes", "no"}, false, "answer")),
	}
	fields[0].fixed = !creating // the id, once saved
	title := "New establishment"
	if !creating {
		title = "Edit " + e.Name
	}
	base := *e
	build := func(v map[string]string) (store.Establishment, error) {
		next := base
		next.Inspections = slices.Clone(base.Inspections)
		next.ID, next.Name, next.URN, next.Town = v["id"], v["name"], v["urn"], v["town"]
		next.Categories, next.Postcode = splitList(v["categories"]), v["postcode"]
		next.Pattern, next.TasterDay = v["pattern"], strings.ToLower(v["taster_day"])
		next.Needs, next.Features = splitList(strings.ToUpper(v["needs"])), splitList(v["features"])
		next.Supplier = store.Supplier{CompanyNumber: v["company_number"], CharityNumber: v["charity_number"], PPON: v["ppon"],
			RegisteredAddress: v["registered_address"], SME: strings.ToLower(v["sme"]), VCSE: strings.ToLower(v["vcse"])}
		pence, err := parsePounds(v["core_weekly_pence"])
		if err != nil {
			return next, &store.ValidationError{Record: next.ID, Problems: []store.FieldError{{Field: "core_weekly_pence", Message: err.Error()}}}
		}
		next.CoreWeeklyPence = pence
		fw := engine.Framework(v["inspection_framework"])
		i := slices.IndexFunc(next.Inspections, func(x store.Inspection) bool { return x.Framework == in.Framework })
		switch {
		case fw == "" && i >= 0:
			next.Inspections = slices.Delete(next.Inspections, i, i+1)
		case fw != "" && i >= 0:
			in := store.Inspection{Framework: fw, Grade: v["inspection_grade"], Date: v["inspection_date"]}
			if old := next.Inspections[i]; old.Framework == in.Framework && old.Grade == in.Grade && old.Date == in.Date {
				in.Source = old.Source // unchanged: still what GIAS said
			}
			next.Inspections[i] = in
		case fw != "":
			next.Inspections = append(next.Inspections, store.Inspection{Framework: fw, Grade: v["inspection_grade"], Date: v["inspection_date"]})
		}
		return next, nil
	}
	f := newForm(ctx, title, fields, func(v map[string]string) error {
		next, err := build(v)
		if err != nil {
			return err
		}
		if creating {
			if _, err := ctx.Store.Establishment(next.ID); err == nil {
				return &store.ValidationError{Record: next.ID, Problems: []store.FieldError{{Field: "id", Message: "already on the register"}}}
			}
		}
		if creating {
			return ctx.Store.SaveEstablishment(next, v["provider"])
		}
		// The store is shared: apply this edit to the record as it is
		// now, keeping what others changed since the form opened.
		return ctx.Store.EditEstablishment(base, next, v["provider"])
	})
	f.validate = func(v map[string]string) error {
		next, _ := build(v) // the cost field reads its own text
		return next.Validate(geo.Default())
	}
	f.saved = "Saved " + e.Name
	if creating {
		f.saved = "Added the new establishment (status: applied)"
		offerGIAS(ctx, f) // what the last GIAS import says of the URN typed
	}
	return f
}
