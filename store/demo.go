package store

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
)

// demoAreas are the postcode districts of each partner's area that the
// demo register places establishments in.
var demoAreas = map[string][]string{
	"WSCC": {"RH10", "RH11", "RH12", "RH13", "RH14", "RH15", "RH16", "RH20", "BN11", "BN12", "BN13", "BN14", "BN15", "BN16", "BN17", "PO18", "PO19", "PO20", "PO21", "PO22", "GU29"},
	"ESCC": {"BN20", "BN21", "BN22", "BN23", "BN24", "BN25", "BN26", "BN27", "BN7", "BN8", "TN19", "TN20", "TN21", "TN22", "TN31", "TN32", "TN33", "TN34", "TN35", "TN38", "TN39", "TN40"},
	"KCC":  {"CT1", "CT2", "CT5", "CT6", "CT9", "CT10", "CT11", "CT16", "CT20", "TN23", "TN24", "TN25", "TN9", "TN10", "TN11", "ME14", "ME15", "ME16", "DA11", "DA12"},
	"SCC":  {"GU1", "GU2", "GU7", "GU9", "GU15", "GU16", "GU21", "GU22", "KT1", "KT10", "KT12", "KT13", "KT17", "KT22", "RH1", "RH2", "RH4", "RH8", "CR3"},
	"BHCC": {"BN1", "BN2", "BN3", "BN41"},
	"MED":  {"ME1", "ME2", "ME3", "ME4", "ME5", "ME7", "ME8"},
	"ECC":  {"CM1", "CM2", "CM3", "CM7", "CM8", "CM9", "CM12", "CM13", "CO1", "CO2", "CO3", "CO4", "CO15", "SS0", "SS1", "SS7", "SS9", "SS13", "SS14"},
}

var (
	demoWordsA  = []string{"Oak", "Ash", "Beech", "Willow", "Hazel", "Meadow", "Brook", "River", "Vale", "Down", "Hill", "Forest", "Priory", "Grange", "Harbour", "Orchard", "Heath", "Chalk", "Weald", "Marsh", "Cedar", "Rowan", "Elm", "Holly"}
	demoWordsB  = []string{"Field", "Side", "Lea", "Bank", "Croft", "Mead", "View", "Gate", "Ridge", "Wood", "Dene", "Combe", "Green", "Park", "Court"}
	demoKinds   = map[string][]string{engine.CategorySEN: {"School", "Academy", "College"}, engine.CategoryIAP: {"Learning Centre", "Tuition", "Project", "Skills Centre"}, engine.CategoryFostering: {"Fostering", "Family Placements"}, engine.CategoryResidential: {"House", "Lodge", "Children's Home"}, engine.CategoryShortBreaks: {"Short Breaks", "Respite House"}, engine.CategoryFACS: {"Family Support", "Community Hub"}}
	demoOrgs    = []string{"Southdown Care Group", "Weald Learning Trust", "Coastline Children's Services", "Kestrel Education Ltd", "Harbour Lights Care", "Bright Paths Partnership", "Chalk Hill Schools", "Greenacre Family Services", "Three Rivers Education", "Lantern Care Ltd", "Oakwood Specialist Schools", "Compass Fostering South", "Nightingale Homes", "Blue Sky Alternative Learning", "Marshland Care Trust", "Pathway Tutoring Ltd", "Seaview Children's Homes", "Foxglove Education", "Anchor Family Support", "Willowbrook Care"}
	demoTowns   = map[string]string{"RH10": "Crawley", "RH11": "Crawley", "RH12": "Horsham", "RH13": "Horsham", "RH14": "Billingshurst", "RH15": "Burgess Hill", "RH16": "Haywards Heath", "RH20": "Pulborough", "BN11": "Worthing", "BN12": "Worthing", "BN13": "Worthing", "BN14": "Worthing", "BN15": "Lancing", "BN16": "Littlehampton", "BN17": "Littlehampton", "PO18": "Chichester", "PO19": "Chichester", "PO20": "Selsey", "PO21": "Bognor Regis", "PO22": "Bognor Regis", "GU29": "Midhurst", "BN20": "Eastbourne", "BN21": "Eastbourne", "BN22": "Eastbourne", "BN23": "Eastbourne", "BN24": "Pevensey", "BN25": "Seaford", "BN26": "Polegate", "BN27": "Hailsham", "BN7": "Lewes", "BN8": "Ringmer", "TN19": "Etchingham", "TN20": "Mayfield", "TN21": "Heathfield", "TN22": "Uckfield", "TN31": "Rye", "TN32": "Robertsbridge", "TN33": "Battle", "TN34": "Hastings", "TN35": "Hastings", "TN38": "St Leonards", "TN39": "Bexhill", "TN40": "Bexhill", "CT1": "Canterbury", "CT2": "Canterbury", "CT5": "Whitstable", "CT6": "Herne Bay", "CT9": "Margate", "CT10": "Broadstairs", "CT11": "Ramsgate", "CT16": "Dover", "CT20": "Folkestone", "TN23": "Ashford", "TN24": "Ashford", "TN25": "Wye", "TN9": "Tonbridge", "TN10": "Tonbridge", "TN11": "Hildenborough", "ME14": "Maidstone", "ME15": "Maidstone", "ME16": "Maidstone", "DA11": "Gravesend", "DA12": "Gravesend", "GU1": "Guildford", "GU2": "Guildford", "GU7": "Godalming", "GU9": "Farnham", "GU15": "Camberley", "GU16": "Frimley", "GU21": "Woking", "GU22": "Woking", "KT1": "Kingston", "KT10": "Esher", "KT12": "Walton-on-Thames", "KT13": "Weybridge", "KT17": "Epsom", "KT22": "Leatherhead", "RH1": "Redhill", "RH2": "Reigate", "RH4": "Dorking", "RH8": "Oxted", "CR3": "Caterham", "BN1": "Brighton", "BN2": "Brighton", "BN3": "Hove", "BN41": "Portslade", "ME1": "Rochester", "ME2": "Strood", "ME3": "Hoo", "ME4": "Chatham", "ME5": "Chatham", "ME7": "Gillingham", "ME8": "Rainham", "CM1": "Chelmsford", "CM2": "Chelmsford", "CM3": "South Woodham Ferrers", "CM7": "Braintree", "CM8": "Witham", "CM9": "Maldon", "CM12": "Billericay", "CM13": "Brentwood", "CO1": "Colchester", "CO2": "Colchester", "CO3": "Colchester", "CO4": "Colchester", "CO15": "Clacton-on-Sea", "SS0": "Westcliff-on-Sea", "SS1": "Southend-on-Sea", "SS7": "Benfleet", "SS9": "Leigh-on-Sea", "SS13": "Basildon", "SS14": "Basildon"}
	demoWeights = []struct {
		cat    string
		weight int
	}{{engine.CategorySEN, 34}, {engine.CategoryIAP, 18}, {engine.CategoryFostering, 14}, {engine.CategoryResidential, 18}, {engine.CategoryShortBreaks, 8}, {engine.CategoryFACS, 8}}
)

// DemoEstablishments is how many establishments the demo register holds.
const DemoEstablishments = 300

// SeedDemo fills an empty store with a realistic, fictional register —
// establishments across the seven partner areas at real postcode sectors,
// every inspection framework, realistic fees, some suspended, some with
// insurance about to expire — and referrals with bids in every state. The
// same seed gives the same store. now is the demo's "today".
func (s *Store) SeedDemo(seed uint64, now time.Time, progress func(done, total int)) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x5e7d))
	g := geo.Default()
	es := demoEstablishments(rng, g, now)
	if rows, err := s.Register(); err != nil {
		return err
	} else if len(rows) > 0 {
		return fmt.Errorf("the store already holds %d establishments: the demo goes into an empty store", len(rows))
	}
	// Each authority's case references look like WSCC/EHCP/12345.
	for _, a := range SeedAuthorities() {
		if err := s.SetCaseRefPattern(a.Code, a.Code+"/EHCP/#####"); err != nil {
			return err
		}
	}
	total := len(es) + 1
	err := s.update(func(tx *Tx) error {
		for i := range es {
			d := &es[i] // Validate resolves the postcode into the record
			d.e.Supplier = demoSupplier(d.e, d.provider)
			if err := d.e.Validate(g); err != nil {
				return fmt.Errorf("demo establishment: %w", err)
			}
			// A suspended one is added as it stood before, then suspended
			// through the same door as the desk's own suspensions.
			suspended := d.e.Status == engine.Suspended
			if suspended {
				d.e.Status = engine.Qualified
			}
			if _, err := tx.saveEstablishment(d.e, d.provider, "demo register"); err != nil {
				return err
			}
			if suspended {
				d.e.Status = engine.Suspended
				// Recorded as the demo is made, as its status history and
				// audit entry say; in effect from the day the criterion
				// failed (evaluation.md §1). The draw is kept so that the
				// rest of the demo stays as it was.
				_ = rng.IntN(120)
				if err := tx.suspend(d.e.ID, d.failed, d.reason, now); err != nil {
					return fmt.Errorf("demo establishment: %w", err)
				}
			}
			if progress != nil && i%25 == 0 {
				progress(i, total)
			}
		}
		for _, a := range DemoArrangements() {
			if err := tx.setArrangement(a); err != nil {
				return fmt.Errorf("demo arrangement: %w", err)
			}
		}
		if err := demoReferrals(tx, rng, es, now); err != nil {
			return err
		}
		return demoPlacements(tx, rng, es, now)
	})
	if err == nil && progress != nil {
		progress(total, total)
	}
	return err
}

// DemoArrangements are the demo partnership's two arrangements during the
// transition: a PCR 2015 DPS set up in 2021, and a Procurement Act 2023
// dynamic market set up in 2025 for the categories moved to it.
func DemoArrangements() []Arrangement {
	return []Arrangement{
		{ID: "SET-DPS-2021", Title: "South East Together SEND placements DPS", Regime: RegimePCR2015, Established: "2021-04-01",
			Categories: []string{engine.CategoryIAP, engine.CategorySEN}},
		{ID: "SET-DM-2025", Title: "South East Together children's placements dynamic market", Regime: RegimePA2023, Established: "2025-06-02",
			UniqueID: "DM-000417-2025", OCID: "ocds-h6vhtk-05d1e7",
			Categories: []string{engine.CategoryFACS, engine.CategoryFostering, engine.CategoryResidential, engine.CategoryShortBreaks}},
	}
}

// demoSupplier is a fictional supplier identity for a demo establishment,
// made from its id (not the random source, so the rest of the demo stays as
// it was): most are SMEs with a company number and a PPON; a few are
// charities (VCSEs).
func demoSupplier(e Establishment, provider string) Supplier {
	h := fnv.New64a()
	h.Write([]byte(e.ID + "/" + provider))
	n := h.Sum64()
	const letters = "BCDGHJLMNPQRTVWXYZ"
	l := func(k uint64) byte { return letters[(n>>k)%uint64(len(letters))] }
	s := Supplier{
		PPON:              fmt.Sprintf("P%c%c%c-%04d-%c%c%c%c", l(3), l(8), l(13), n%10000, l(18), l(23), l(28), l(33)),
		RegisteredAddress: fmt.Sprintf("%d Market Street, %s", 1+n%90, e.Town),
		SME:               "yes", VCSE: "no",
	}
	switch n % 7 {
	case 0:
		s.CharityNumber, s.VCSE = fmt.Sprintf("11%05d", n%100000), "yes"
	case 1:
		s.CompanyNumber, s.SME = fmt.Sprintf("%08d", n%100000000), "no"
	default:
		s.CompanyNumber = fmt.Sprintf("%08d", n%100000000)
	}
	return s
}

type demoEst struct {
	e        Establishment
	provider string
	failed   engine.CriterionID
	reason   string
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func demoEstablishments(rng *rand.Rand, g *geo.Gazetteer, now time.Time) []demoEst {
	codes := make([]string, 0, len(demoAreas))
	for c := range demoAreas {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	sectors := map[string][]string{}
	for _, c := range codes {
		sectors[c] = g.Sectors(demoAreas[c]...)
	}
	day := func(offset int) string { return now.AddDate(0, 0, offset).Format(time.DateOnly) }
	usedNames := map[string]bool{}
	var out []demoEst
	for i := range DemoEstablishments {
		auth := codes[i%len(codes)]
		sector := pick(rng, sectors[auth])
		district, _, _ := strings.Cut(sector, " ")
		cat := demoCategory(rng)
		cats := []string{cat}
		if cat == engine.CategorySEN && rng.IntN(4) == 0 {
			cats = append(cats, engine.CategoryResidential)
		}
		if cat == engine.CategoryIAP && rng.IntN(5) == 0 {
			cats = append(cats, engine.CategorySEN)
		}
		slices.Sort(cats)
		var name string
		for name == "" || usedNames[name] {
			name = pick(rng, demoWordsA) + strings.ToLower(pick(rng, demoWordsB)) + " " + pick(rng, demoKinds[cat])
		}
		usedNames[name] = true
		full := fmt.Sprintf("%s%c%c", sector, 'A'+rune(rng.IntN(26)), 'A'+rune(rng.IntN(26)))
		e := Establishment{
			ID:   fmt.Sprintf("%s%06d", map[bool]string{true: "SC", false: "1"}[cat == engine.CategoryResidential || cat == engine.CategoryFostering], 100000+i*317%900000),
			Name: name, Categories: cats, Status: engine.Qualified, Postcode: full, Town: demoTowns[district],
			CoreWeeklyPence: demoFee(rng, cat), Needs: demoPickSome(rng, engine.SENTypes(), 2, 6),
			Features: demoPickSome(rng, engine.FeatureIDs(), 2, 6),
		}
		if e.ID[0] == '1' {
			e.URN = e.ID[1:] // the DfE's six digits
		}
		e.Pattern, e.TasterDay = demoPattern(rng, cat), pick(rng, []string{"yes", "yes", "no"})
		e.Inspections = []Inspection{demoInspection(rng, cat, now)}
		overdue := 0
		if i%12 == 5 {
			overdue = 120 // some annual audits are due
		}
		for _, c := range engine.Criteria() {
			chk := Check{ID: c.ID, Passed: true, Checked: day(-rng.IntN(330) - 20 - overdue), Evidence: demoEvidence(c.ID)}
			if c.HasExpiry {
				chk.Expires = day(rng.IntN(420) - 20) // some lapsed, some within 60 days
			}
			e.Checks = append(e.Checks, chk)
		}
		w, o, m := float64(40+rng.IntN(61)), float64(35+rng.IntN(66)), float64(40+rng.IntN(61))
		e.Methods = MethodScores{&w, &o, &m}
		if rng.IntN(6) == 0 {
			e.Adjustments = []Adjustment{{Date: day(-rng.IntN(200)), Points: float64(pick(rng, []int{-5, -2, 2, 5})), Reason: "six-monthly contract review", By: "demo"}}
		}
		d := demoEst{e: e, provider: demoOrgs[rng.IntN(len(demoOrgs))]}
		switch r := rng.IntN(100); {
		case r < 8:
			d.e.Status = engine.Suspended
			d.failed = pick(rng, []engine.CriterionID{engine.CritInsurance, engine.CritInspection, engine.CritFinancial, engine.CritRegistration})
			chk := d.e.Check(d.failed)
			chk.Passed = false
			chk.Evidence = "lapsed: awaiting new evidence"
			if d.failed == engine.CritInsurance {
				chk.Passed, chk.Expires = true, day(-rng.IntN(60)-1)
			}
			if grades := d.e.Inspections[0].Framework.Grades(); d.failed == engine.CritInspection && len(grades) > 0 {
				// The evidence was seen; the judgement itself is below the floor.
				chk.Passed = true
				d.e.Inspections[0].Grade = grades[len(grades)-1]
			}
			d.e.SetCheck(chk)
			d.reason = map[engine.CriterionID]string{engine.CritInsurance: "insurance certificate expired",
				engine.CritInspection: "inspection judgement below the floor", engine.CritFinancial: "financial assessment: high risk",
				engine.CritRegistration: "registration under review by the regulator"}[d.failed]
		case r < 14:
			d.e.Status = engine.Applied
			chk := d.e.Check(engine.CritFinancial)
			chk.Passed, chk.Checked, chk.Evidence = false, "", ""
			d.e.SetCheck(chk)
		case r < 17:
			d.e.Status = engine.Withdrawn
		case r < 19:
			d.e.Status = engine.Excluded
		}
		out = append(out, d)
	}
	return out
}

func demoCategory(rng *rand.Rand) string {
	n := rng.IntN(100)
	for _, w := range demoWeights {
		if n < w.weight {
			return w.cat
		}
		n -= w.weight
	}
	return engine.CategorySEN
}

// demoFees are the weekly core-cost ranges in whole pounds per category:
// an independent special school day place about £1,200–£2,400, a 52-week
// children's home place far more.
var demoFees = map[string][2]int64{
	engine.CategorySEN: {1200, 2400}, engine.CategoryIAP: {300, 1200}, engine.CategoryFostering: {800, 1300},
	engine.CategoryResidential: {4000, 8500}, engine.CategoryShortBreaks: {500, 1500}, engine.CategoryFACS: {200, 800},
}

// demoFee is a weekly core cost in pence, to the nearest £5.
func demoFee(rng *rand.Rand, cat string) int64 {
	lo, hi := demoFees[cat][0], demoFees[cat][1]
	return (lo + rng.Int64N(hi-lo+1)) / 5 * 5 * 100
}

func demoPattern(rng *rand.Rand, cat string) string {
	switch cat {
	case engine.CategoryResidential:
		return pick(rng, []string{"residential-52", "residential-52", "residential-38"})
	case engine.CategorySEN:
		return pick(rng, []string{"day", "day", "day", "mixed", "residential-38"})
	}
	return "day"
}

func demoInspection(rng *rand.Rand, cat string, now time.Time) Inspection {
	var fw engine.Framework
	switch cat {
	case engine.CategorySEN:
		fw = pick(rng, []engine.Framework{engine.FrameworkOfsted, engine.FrameworkOfsted, engine.FrameworkISI, engine.FrameworkReportCard})
	case engine.CategoryResidential, engine.CategoryFostering:
		fw = pick(rng, []engine.Framework{engine.FrameworkOfsted, engine.FrameworkOfsted, engine.FrameworkReportCard})
	case engine.CategoryShortBreaks:
		fw = pick(rng, []engine.Framework{engine.FrameworkCQC, engine.FrameworkOfsted})
	case engine.CategoryFACS:
		fw = pick(rng, []engine.Framework{engine.FrameworkCQC, engine.FrameworkUnregulated})
	default:
		fw = pick(rng, []engine.Framework{engine.FrameworkUnregulated, engine.FrameworkUnregulated, engine.FrameworkOfsted})
	}
	ago := rng.IntN(1100) + 30
	if from := fw.InUseFrom(); from != "" {
		// A framework that began lately (report cards, 10 Nov 2025) has
		// no judgement before it began: the draw is folded into the days
		// since, so every other record of the demo stays as it was.
		start, _ := time.Parse(time.DateOnly, from)
		if span := int(now.Sub(start).Hours()/24) - 30; span <= 0 {
			fw = engine.FrameworkOfsted // too early for one: the four-point framework
		} else if now.AddDate(0, 0, -ago).Before(start) {
			ago = 30 + ago%span
		}
	}
	in := Inspection{Framework: fw, Date: now.AddDate(0, 0, -ago).Format(time.DateOnly)}
	if grades := fw.Grades(); len(grades) > 0 {
		// Mostly good judgements, as on a qualified register.
		passing := slices.Index(grades, fw.DefaultFloor()) + 1
		in.Grade = grades[min(rng.IntN(passing)+rng.IntN(2)*rng.IntN(passing), passing-1)]
	}
	return in
}

func demoEvidence(id engine.CriterionID) string {
	return map[engine.CriterionID]string{
		engine.CritExclusions: "self-declaration and checks: no grounds", engine.CritFinancial: "accounts reviewed: acceptable risk",
		engine.CritInsurance: "certificates seen: employer's, public and professional liability", engine.CritCompliance: "no notices in 3 years",
		engine.CritInspection: "latest report read", engine.CritRegistration: "registration number checked with the regulator",
		engine.CritContinuity: "plans and safeguarding policy seen", engine.CritDataProtection: "ICO registration and policy seen",
	}[id]
}

func demoPickSome(rng *rand.Rand, from []string, lo, hi int) []string {
	n := lo + rng.IntN(hi-lo+1)
	idx := rng.Perm(len(from))[:n]
	slices.Sort(idx)
	out := make([]string, n)
	for i, j := range idx {
		out[i] = from[j]
	}
	return out
}

// demoReferrals writes referrals in every state, with bids evaluated by
// the engine so the outcomes are the real ones.
func demoReferrals(tx *Tx, rng *rand.Rand, es []demoEst, now time.Time) error {
	register := make([]engine.Establishment, len(es))
	byID := map[string]*Establishment{}
	for i := range es {
		register[i] = es[i].e.Engine()
		byID[es[i].e.ID] = &es[i].e
	}
	g := geo.Default()
	plan := []struct {
		status ReferralStatus
		auth   string
		cat    string
	}{
		{RefDraft, "WSCC", engine.CategorySEN}, {RefIssued, "ESCC", engine.CategorySEN},
		{RefIssued, "KCC", engine.CategoryResidential}, {RefBidsClosed, "SCC", engine.CategorySEN},
		{RefEvaluated, "WSCC", engine.CategoryIAP}, {RefParentChoice, "WSCC", engine.CategorySEN},
		{RefParentChoice, "ECC", engine.CategoryResidential}, {RefAwarded, "BHCC", engine.CategorySEN},
		{RefAwarded, "MED", engine.CategoryFostering}, {RefNoSuitableBid, "KCC", engine.CategorySEN},
		{RefWithdrawn, "SCC", engine.CategoryIAP}, {RefIssued, "WSCC", engine.CategoryFostering},
		// Last: parents choosing among three settings, the meeting the
		// desk's meeting mode is made for (the ones above choose among two).
		{RefParentChoice, "WSCC", engine.CategorySEN},
	}
	for i, p := range plan {
		sectors := g.Sectors(demoAreas[p.auth]...)
		for attempt := 0; ; attempt++ {
			if attempt > 400 {
				return fmt.Errorf("demo: could not make a %s referral", p.status)
			}
			r := Referral{
				ID: "REF-pending", Authority: p.auth, // numbered when written
				ChildRef: fmt.Sprintf("%s/EHCP/%05d", p.auth, 10000+rng.IntN(90000)), Category: p.cat,
				HomePostcode: pick(rng, sectors), RadiusMiles: 20, QualityWeight: pick(rng, []int{50, 50, 40, 60}),
				Needs: []engine.Need{}, Status: RefDraft, Created: now.AddDate(0, 0, -30+i),
				Deadline: now.AddDate(0, 0, 14-i).Truncate(24 * time.Hour).Add(12 * time.Hour),
			}
			for j, n := range demoPickSome(rng, engine.SENTypes(), 1, 3) {
				r.Needs = append(r.Needs, engine.Need{ID: n, Mark: 1 + j%2})
			}
			r.Features = []engine.Feature{{ID: pick(rng, []string{"wheelchair-access", "transport", "on-site-slt"}), Must: true}, {ID: "taster-day", Mark: 1}, {ID: "sensory-room", Mark: 2}}
			if err := r.Validate(g, SeedAuthorities()); err != nil {
				return err
			}
			var capPence int64
			if p.cat == engine.CategorySEN {
				capPence = 400000
			}
			er := r.Engine(Terms{AffordabilityCapPence: capPence})
			// Issued on its day, to those standing then (evaluation.md §1, §2).
			issued := r.Created.Add(2 * time.Hour)
			invited := engine.Invite(&er, register, issued)
			if len(invited) < 4 {
				continue
			}
			if p.status == RefDraft {
				var err error
				if r.ID, err = tx.nextReferralID(); err != nil {
					return err
				}
				if err := tx.putReferral(r, "referral.create"); err != nil {
					return err
				}
				break
			}
			r.Status, r.Invited, r.IssuedAt = RefIssued, invited, issued
			if a, err := arrangementFor(tx.tx, r.Category, issued); err != nil {
				return err
			} else if a != nil {
				r.Arrangement, r.Regime = a.ID, a.Regime
			}
			var bids []Bid
			nb := min(len(invited), 3+rng.IntN(4))
			for _, j := range rng.Perm(len(invited))[:nb] {
				e := byID[invited[j]]
				b := Bid{Referral: r.ID, Establishment: e.ID, CoreWeeklyPence: e.CoreWeeklyPence,
					VariableWeeklyPence: int64(rng.IntN(60)) * 1000, OutcomesScore: float64(40 + rng.IntN(60)),
					Submitted: r.IssuedAt.Add(time.Duration(24+rng.IntN(200)) * time.Hour)}
				b.OutcomesNote = demoOutcomesNote(b.OutcomesScore)
				if b.Submitted.After(r.Deadline) {
					b.Submitted = r.Deadline.Add(-time.Hour)
				}
				for _, n := range r.Needs {
					if rng.IntN(3) > 0 {
						b.NeedsMet = append(b.NeedsMet, n.ID)
					}
				}
				for _, f := range r.Features {
					if rng.IntN(4) > 0 || (f.Must && p.status != RefNoSuitableBid) {
						b.FeaturesOffered = append(b.FeaturesOffered, f.ID)
					}
				}
				if p.status == RefNoSuitableBid {
					b.FeaturesOffered = slices.DeleteFunc(b.FeaturesOffered, func(f string) bool { return f == r.Features[0].ID })
				}
				bids = append(bids, b)
			}
			eb := make([]engine.Bid, len(bids))
			for j := range bids {
				eb[j] = bids[j].Engine()
			}
			// Evaluated as of the demo's today (an award two days ago): a
			// bidder that has lapsed since the issue is non-compliant (§3).
			day := now
			if p.status == RefAwarded {
				day = now.AddDate(0, 0, -2)
			}
			res := engine.Evaluate(&engine.Competition{Referral: er, Register: register, Bids: eb, Invited: invited, Day: day})
			want := map[ReferralStatus]engine.Outcome{RefParentChoice: engine.OutcomeParentChoice, RefAwarded: engine.OutcomeRecommended,
				RefNoSuitableBid: engine.OutcomeNoSuitableBid, RefEvaluated: engine.OutcomeRecommended}[p.status]
			if want != "" && res.Outcome != want {
				continue
			}
			if day != now {
				// A demo award whose ranked bidders all still stand today,
				// so the demo shows no decision overtaken by a lapse.
				if today := engine.Evaluate(&engine.Competition{Referral: er, Register: register, Bids: eb, Invited: invited, Day: now}); len(today.Ranked) != len(res.Ranked) {
					continue
				}
			}
			if i == len(plan)-1 {
				if len(res.ParentChoice) != 3 {
					continue // the three-way choice
				}
				for j := range bids { // each setting says when it could start: a Monday
					d := now.AddDate(0, 0, 14+7*j)
					d = d.AddDate(0, 0, (8-int(d.Weekday()))%7)
					bids[j].EarliestStart = d.Format(time.DateOnly)
				}
			}
			if p.status == RefIssued && i%2 == 0 {
				bids = bids[:len(bids)/2] // bids still arriving
			}
			r.Status = p.status
			if p.status == RefParentChoice {
				r.Shortlist = slices.Clone(res.ParentChoice)
			}
			if p.status == RefWithdrawn {
				bids = nil
			}
			var err error
			if r.ID, err = tx.nextReferralID(); err != nil {
				return err
			}
			if r.Frozen, err = freeze(tx, &r, invited); err != nil {
				return err
			}
			r.Frozen.At = r.IssuedAt // frozen as it was issued, on the demo's own day for it
			if err := tx.putReferral(r, "referral.create"); err != nil {
				return err
			}
			for _, b := range bids {
				b.Referral = r.ID
				if err := tx.putBid(b, false); err != nil {
					return err
				}
			}
			if p.status == RefAwarded {
				top := res.Ranked[0]
				c, err := competitionIn(tx.tx, r.ID, 0, false, day, nil)
				if err != nil {
					return err
				}
				a := Award{Referral: r.ID, Establishment: top.Establishment, Route: RouteCompetition,
					WeeklyPence: top.NetWeeklyPence, Start: now.AddDate(0, 0, 21).Format(time.DateOnly),
					DecidedBy: "demo", At: day}
				if a.Decision, err = decide(tx.tx, c, engine.Evaluate(&c.Engine), top.Establishment, RouteCompetition); err != nil {
					return err
				}
				if err := tx.putAward(a); err != nil {
					return err
				}
				if r.Regime == RegimePA2023 {
					// Under the dynamic market: the summaries went out with
					// the decision, and the contract was signed the next day.
					n := NoticeDates{Referral: r.ID, SummariesSent: UKDate(day), EnteredInto: UKDate(day.AddDate(0, 0, 1))}
					if _, err := tx.tx.CreateBucketIfNotExists(bucketNotices); err != nil {
						return err
					}
					if err := tx.put(bucketNotices, []byte(r.ID), n); err != nil {
						return err
					}
					tx.audit("notice.dates", r.ID, diffRecords(nil, n, true)...)
				}
			}
			break
		}
	}
	return nil
}

// demoOutcomesNote is an officer's note of a method statement, in keeping
// with the score it was given.
func demoOutcomesNote(score float64) string {
	switch {
	case score >= 85:
		return "a plan for each EHCP outcome, with named staff, weekly therapy and termly measures"
	case score >= 70:
		return "covers every outcome; the communication targets are less specific than the rest"
	case score >= 55:
		return "covers most outcomes; little on preparing for adulthood or how progress is measured"
	}
	return "a general approach; the EHCP outcomes are not taken one by one"
}
