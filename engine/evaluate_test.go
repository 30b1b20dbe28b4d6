package engine

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"dpsdesk/engine/geo"
)

var home = geo.Location{Lat: 51.0, Lon: 0.0}

// north returns a location the given number of miles due north of home.
func north(miles float64) geo.Location {
	return geo.Location{Lat: home.Lat + miles/(2*math.Pi*geo.EarthRadiusMiles/360), Lon: home.Lon}
}

func est(id string, miles float64) Establishment {
	return Establishment{ID: id, Categories: []string{CategorySEN}, Status: Qualified,
		Location: north(miles), CoreWeeklyPence: 150000, QualificationScore: 50}
}

func bid(id string) Bid {
	return Bid{Establishment: id, CoreWeeklyPence: 150000, VariableWeeklyPence: 50000, OutcomesScore: 50}
}

func referral() Referral {
	return Referral{ID: "R-1", Category: CategorySEN, Home: home, RadiusMiles: 30, QualityWeight: 50}
}

func TestWeightsAtTheBounds(t *testing.T) {
	for q, want := range map[int]Weights{
		30: {70, 12, 6, 6, 3, 3},
		50: {50, 20, 10, 10, 5, 5},
		70: {30, 28, 14, 14, 7, 7},
	} {
		w := WeightsFor(q)
		if w != want {
			t.Errorf("WeightsFor(%d) = %+v, want %+v", q, w, want)
		}
		if sum := w.Price + w.CoreCompetency + w.Needs + w.Outcomes + w.Location + w.Features; sum != 100 {
			t.Errorf("WeightsFor(%d) adds to %v, want 100", q, sum)
		}
	}
}

func TestQualificationScoreIsClamped(t *testing.T) {
	m := MethodScores{Workforce: 70, OutcomesFramework: 80, ContractManagement: 60}
	if got := QualificationScore(m, nil); got != 71 {
		t.Errorf("score = %v, want (30×70+40×80+30×60)/100 = 71", got)
	}
	if got := QualificationScore(m, []float64{5, -2}); got != 74 {
		t.Errorf("with adjustments +5 and -2 = %v, want 74", got)
	}
	if got := QualificationScore(MethodScores{100, 100, 100}, []float64{10}); got != 100 {
		t.Errorf("above 100 = %v, want clamped to 100", got)
	}
	if got := QualificationScore(MethodScores{5, 5, 5}, []float64{-10}); got != 0 {
		t.Errorf("below 0 = %v, want clamped to 0", got)
	}
}

func TestLocationBandsAtTenMiles(t *testing.T) {
	for _, c := range []struct {
		miles, bands float64
	}{{0, 5}, {9.99, 5}, {10, 4}, {10.01, 4}, {19.99, 4}, {20, 3}, {49.99, 1}, {50, 0}, {80, 0}} {
		if got := locationBandsScored(c.miles); got != c.bands {
			t.Errorf("%v miles scores %v of 5 bands, want %v", c.miles, got, c.bands)
		}
	}
	// And through a whole evaluation, either side of 10 miles at Q = 50.
	for miles, want := range map[float64]float64{9.99: 5, 10.01: 4} {
		res := Evaluate(&Competition{Referral: referral(), Register: []Establishment{est("E", miles)}, Bids: []Bid{bid("E")}})
		if got := res.Ranked[0].Points.Location; got != want {
			t.Errorf("%v miles scores %v location points, want %v", miles, got, want)
		}
	}
}

func TestRadiusIsInclusive(t *testing.T) {
	r := referral()
	r.RadiusMiles = 10
	reg := []Establishment{est("A-in", 9.99), est("B-edge", 10-1e-9), est("C-out", 10.01)}
	if got := Invite(&r, reg, time.Time{}); !slices.Equal(got, []string{"A-in", "B-edge"}) {
		t.Errorf("invited %v within 10 miles, want A-in and B-edge", got)
	}
}

func TestEligibilityReasons(t *testing.T) {
	r := referral()
	r.AffordabilityCapPence = 100000
	e := est("E", 40)
	e.Status = Suspended
	e.Categories = []string{CategoryFostering}
	want := []Reason{NotEligibleStatus, NotEligibleCategory, NotEligibleDistance, NotEligibleAffordability}
	if got := Eligibility(&r, &e, time.Time{}); !slices.Equal(got, want) {
		t.Errorf("Eligibility = %v, want %v", got, want)
	}
	r.AffordabilityCapPence = 150000 // at the cap is affordable
	if got := Eligibility(&r, &e, time.Time{}); slices.Contains(got, NotEligibleAffordability) {
		t.Error("a core cost equal to the cap must be affordable")
	}
	for _, s := range []Status{Applied, Suspended, Withdrawn, Excluded} {
		e := est("E", 1)
		e.Status = s
		if got := Eligibility(&r, &e, time.Time{}); !slices.Equal(got, []Reason{NotEligibleStatus}) {
			t.Errorf("status %s: %v, want not_eligible:status", s, got)
		}
	}
}

func TestEveryNonComplianceReason(t *testing.T) {
	r := referral()
	r.Deadline = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	r.Features = []Feature{{ID: "wheelchair-access", Must: true}, {ID: "transport", Must: true}, {ID: "slt", Mark: 1}}
	good := bid("E")
	good.FeaturesOffered = []string{"wheelchair-access", "transport"}
	good.Submitted = r.Deadline // at the deadline is on time
	e := est("E", 1)
	if got := Compliance(&r, &e, &good); len(got) != 0 {
		t.Fatalf("a good bid is non-compliant: %v", got)
	}
	bad := good
	bad.FeaturesOffered = []string{"slt"}
	bad.CoreWeeklyPence = e.CoreWeeklyPence + 1
	bad.DiscountPct = 100
	bad.Submitted = r.Deadline.Add(time.Second)
	want := []Reason{"missing_must_have:wheelchair-access", "missing_must_have:transport", CoreCostAboveQualify, NonPositivePrice, Late}
	if got := Compliance(&r, &e, &bad); !slices.Equal(got, want) {
		t.Errorf("Compliance = %v, want %v", got, want)
	}
	for _, reason := range append(want, NotEligibleStatus, NotEligibleCategory, NotEligibleDistance, NotEligibleAffordability, NotInvited) {
		if reason.Text() == string(reason) {
			t.Errorf("reason %s has no words for people", reason)
		}
	}
}

func TestNetWeeklyRoundsHalfUp(t *testing.T) {
	for _, c := range []struct {
		core, variable int64
		discount       float64
		want           int64
	}{
		{150000, 45000, 0, 195000},
		{100, 50, 1, 149},   // 148.5 → 149
		{1001, 0, 50, 501},  // 500.5 → 501
		{333, 0, 33.5, 221}, // 221.445 → 221
		{150000, 0, 100, 0}, // free is not a price
		{0, 0, 0, 0},
	} {
		b := Bid{CoreWeeklyPence: c.core, VariableWeeklyPence: c.variable, DiscountPct: c.discount}
		if got := NetWeeklyPence(&b); got != c.want {
			t.Errorf("net of %d+%d less %v%% = %d, want %d", c.core, c.variable, c.discount, got, c.want)
		}
	}
	if MonthlyPence(120000) != 520000 || AnnualPence(120000) != 6240000 {
		t.Error("monthly must be weekly × 52 / 12 and annual weekly × 52")
	}
}

func TestNoNeedsAndNoDesirableFeaturesGiveFullPoints(t *testing.T) {
	r := referral()
	r.Features = []Feature{{ID: "wheelchair-access", Must: true}}
	b := bid("E")
	b.FeaturesOffered = []string{"wheelchair-access"}
	res := Evaluate(&Competition{Referral: r, Register: []Establishment{est("E", 1)}, Bids: []Bid{b}})
	p := res.Ranked[0].Points
	if p.Needs != 10 || p.Features != 5 {
		t.Errorf("needs %v, features %v; want the full 10 and 5 when none are listed", p.Needs, p.Features)
	}
}

func TestNeedsAndFeaturesByMarks(t *testing.T) {
	r := referral()
	r.Needs = []Need{{"ASD", 2}, {"SLCN", 1}}
	r.Features = []Feature{{ID: "slt", Mark: 3}, {ID: "ot", Mark: 1}, {ID: "lift", Must: true}}
	b := bid("E")
	b.NeedsMet = []string{"ASD"}
	b.FeaturesOffered = []string{"ot", "lift"}
	res := Evaluate(&Competition{Referral: r, Register: []Establishment{est("E", 1)}, Bids: []Bid{b}})
	p := res.Ranked[0].Points
	if math.Abs(p.Needs-10*2.0/3) > 1e-12 || p.Features != 5*1.0/4 {
		t.Errorf("needs %v, features %v; want 10×2/3 and 5×1/4 (must-haves carry no marks)", p.Needs, p.Features)
	}
}

func TestPriceIsRelativeToTheLowestCompliantBid(t *testing.T) {
	r := referral()
	cheap, dear, late := bid("A"), bid("B"), bid("C")
	dear.VariableWeeklyPence = 250000 // net 400,000: half the points of A's 200,000
	late.VariableWeeklyPence = 0      // cheapest of all, but not compliant
	r.Deadline = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	late.Submitted = r.Deadline.Add(time.Hour)
	reg := []Establishment{est("A", 1), est("B", 1), est("C", 1)}
	res := Evaluate(&Competition{Referral: r, Register: reg, Bids: []Bid{dear, late, cheap}})
	if res.Ranked[0].Points.Price != 50 || res.Ranked[1].Points.Price != 25 {
		t.Errorf("price points %v and %v, want 50 and 25", res.Ranked[0].Points.Price, res.Ranked[1].Points.Price)
	}
	if len(res.NonCompliant) != 1 || res.NonCompliant[0].Establishment != "C" {
		t.Errorf("non-compliant = %+v, want the late bid C", res.NonCompliant)
	}
}

func TestTiesBreakByPriceThenDistanceThenID(t *testing.T) {
	r := referral()
	// Identical bids at identical distances: the id decides.
	reg := []Establishment{est("E-2", 5), est("E-10", 5), est("E-1", 5)}
	bids := []Bid{bid("E-2"), bid("E-10"), bid("E-1")}
	res := Evaluate(&Competition{Referral: r, Register: reg, Bids: bids})
	if got := ids(res.Ranked); !slices.Equal(got, []string{"E-1", "E-10", "E-2"}) {
		t.Errorf("order %v, want byte order E-1, E-10, E-2", got)
	}
	// Same total: one is nearer (both in the same 10-mile band).
	reg = []Establishment{est("A", 6), est("B", 2)}
	res = Evaluate(&Competition{Referral: r, Register: reg, Bids: []Bid{bid("A"), bid("B")}})
	if got := ids(res.Ranked); !slices.Equal(got, []string{"B", "A"}) {
		t.Errorf("order %v, want the nearer B first", got)
	}
	// Same total to the hundredth, different price: the cheaper first. A is
	// dearer but its better outcomes score makes up the price points.
	a, b := bid("A"), bid("B")
	a.VariableWeeklyPence = 50200
	reg = []Establishment{est("A", 1), est("B", 1)}
	pa := 50*200000.0/200200 - 50 // A's price points less B's
	a.OutcomesScore = 50 - pa*10  // 10 outcome points per 100 of score
	res = Evaluate(&Competition{Referral: r, Register: reg, Bids: []Bid{a, b}})
	if res.Ranked[0].Total != res.Ranked[1].Total {
		t.Fatalf("totals %v and %v should tie", res.Ranked[0].Total, res.Ranked[1].Total)
	}
	if got := ids(res.Ranked); !slices.Equal(got, []string{"B", "A"}) {
		t.Errorf("order %v, want the cheaper B first", got)
	}
}

func ids(rs []RankedBid) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Establishment)
	}
	return out
}

// competitionWithGaps makes one bid per gap, each that many points below a
// perfect total, by lowering its outcomes score.
func competitionWithGaps(gaps ...float64) *Competition {
	c := &Competition{Referral: referral()}
	for i, g := range gaps {
		id := fmt.Sprintf("E-%d", i)
		c.Register = append(c.Register, est(id, 1))
		b := bid(id)
		b.OutcomesScore = 100 - g*10 // 10 outcome points per 100 of score
		c.Bids = append(c.Bids, b)
	}
	return c
}

func TestParentChoiceBand(t *testing.T) {
	for _, c := range []struct {
		name    string
		gaps    []float64
		outcome Outcome
		chosen  int
	}{
		{"alone", []float64{0}, OutcomeRecommended, 1},
		{"exactly 5.00 behind is out", []float64{0, 5}, OutcomeRecommended, 1},
		{"4.99 behind is in", []float64{0, 4.99}, OutcomeParentChoice, 2},
		{"three within", []float64{0, 1, 4.99}, OutcomeParentChoice, 3},
		{"at most three", []float64{0, 1, 2, 3}, OutcomeParentChoice, 3},
		{"equal totals", []float64{0, 0}, OutcomeParentChoice, 2},
	} {
		res := Evaluate(competitionWithGaps(c.gaps...))
		if res.Outcome != c.outcome {
			t.Errorf("%s: outcome %s, want %s (totals %v)", c.name, res.Outcome, c.outcome, totals(res))
		}
		switch c.outcome {
		case OutcomeRecommended:
			if res.Recommended != res.Ranked[0].Establishment || res.ParentChoice != nil {
				t.Errorf("%s: recommended %q, shortlist %v", c.name, res.Recommended, res.ParentChoice)
			}
		case OutcomeParentChoice:
			if len(res.ParentChoice) != c.chosen || res.Recommended != "" {
				t.Errorf("%s: shortlist %v, want %d bids and no recommendation", c.name, res.ParentChoice, c.chosen)
			}
		}
	}
	if res := Evaluate(&Competition{Referral: referral()}); res.Outcome != OutcomeNoSuitableBid {
		t.Errorf("no bids: outcome %s", res.Outcome)
	}
}

func totals(r Result) []float64 {
	var t []float64
	for _, rb := range r.Ranked {
		t = append(t, rb.Total)
	}
	return t
}

func TestFrozenInvitedList(t *testing.T) {
	r := referral()
	a, b, c := est("A", 1), est("B", 1), est("C", 1)
	b.Status = Suspended // suspended after the referral was issued
	comp := &Competition{Referral: r, Register: []Establishment{a, b, c},
		Bids: []Bid{bid("A"), bid("B"), bid("C")}, Invited: []string{"B", "A"}}
	res := Evaluate(comp)
	if !slices.Equal(res.Invited, []string{"A", "B"}) {
		t.Errorf("invited %v, want the frozen list sorted", res.Invited)
	}
	want := []NonCompliantBid{{Establishment: "B", Reasons: []Reason{NotEligibleStatus}}, {Establishment: "C", Reasons: []Reason{NotInvited}}}
	if fmt.Sprint(res.NonCompliant) != fmt.Sprint(want) {
		t.Errorf("non-compliant %v, want %v", res.NonCompliant, want)
	}
}

func TestInspectionFloors(t *testing.T) {
	for _, c := range []struct {
		f     Framework
		grade string
		pass  bool
	}{
		{FrameworkOfsted, "Good", true},
		{FrameworkOfsted, "Requires improvement", true},
		{FrameworkOfsted, "Inadequate", false},
		{FrameworkCQC, "Inadequate", false},
		{FrameworkReportCard, "Needs attention", true},
		{FrameworkReportCard, "Urgent improvement", false},
		{FrameworkReportCard, SafeguardingNotMet, false},
		{FrameworkISI, "Met", true},
		{FrameworkISI, "Not met", false},
		{FrameworkOfsted, "Met", false}, // another framework's word
		{FrameworkUnregulated, "", true},
	} {
		if got := c.f.MeetsFloor(c.grade, ""); got != c.pass {
			t.Errorf("%s %q meets the default floor = %v, want %v", c.f, c.grade, got, c.pass)
		}
	}
	if FrameworkOfsted.MeetsFloor("Requires improvement", "Good") {
		t.Error("a category floor of Good must fail Requires improvement")
	}
}

// BenchmarkEvaluate scores one referral against a register of 10,000
// establishments with 500 bids (issue 2: under 5 ms).
func BenchmarkEvaluate(b *testing.B) {
	c := bigCompetition(10000, 500)
	b.ReportAllocs()
	for b.Loop() {
		res := Evaluate(c)
		if len(res.Ranked) == 0 {
			b.Fatal("nothing ranked")
		}
	}
}

// BenchmarkCountEligible is the builder's live count over 10,000
// establishments, each with its qualification record (issue 5: under 5 ms
// per change).
func BenchmarkCountEligible(b *testing.B) {
	c := bigCompetition(10000, 0)
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for i := range c.Register {
		c.Register[i].Qualification = passingRecord(day.AddDate(1, 0, 0))
	}
	for b.Loop() {
		if n, _ := Invitations(&c.Referral, c.Register, day); len(n) == 0 {
			b.Fatal("none eligible")
		}
	}
}

func bigCompetition(nEst, nBids int) *Competition {
	r := referral()
	r.RadiusMiles = 60
	r.Needs = []Need{{"ASD", 2}, {"SLCN", 1}, {"SEMH", 1}}
	r.Features = []Feature{{ID: "wheelchair-access", Must: true}, {ID: "slt", Mark: 2}, {ID: "ot", Mark: 1}}
	c := &Competition{Referral: r}
	cats := CategoryIDs()
	for i := range nEst {
		e := est(fmt.Sprintf("E-%05d", i), float64(i%97))
		e.Location.Lon += float64(i%13) / 10
		e.Categories = []string{cats[i%len(cats)], CategorySEN}
		e.CoreWeeklyPence = int64(100000 + i%50*3000)
		e.QualificationScore = float64(i % 101)
		c.Register = append(c.Register, e)
	}
	for i := range nBids {
		e := c.Register[i*nEst/nBids]
		b := bid(e.ID)
		b.CoreWeeklyPence = e.CoreWeeklyPence
		b.VariableWeeklyPence = int64(20000 + i*37%50000)
		b.NeedsMet = []string{"ASD", "SEMH"}[:1+i%2]
		b.FeaturesOffered = []string{"wheelchair-access", "slt", "ot"}[:1+i%3]
		b.OutcomesScore = float64(i % 100)
		c.Bids = append(c.Bids, b)
	}
	return c
}
