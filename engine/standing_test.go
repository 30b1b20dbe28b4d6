package engine

import (
	"slices"
	"testing"
	"time"
)

var standingDay = time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)

// passingRecord is a record where every criterion passes, the insurance
// valid to expires.
func passingRecord(expires time.Time) *QualificationRecord {
	q := &QualificationRecord{}
	for _, c := range Criteria() {
		ch := CriterionCheck{ID: c.ID, Passed: true, Checked: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)}
		if c.HasExpiry {
			ch.Expires = expires
		}
		q.Checks = append(q.Checks, ch)
	}
	return q
}

func set(q *QualificationRecord, c CriterionCheck) *QualificationRecord {
	for i := range q.Checks {
		if q.Checks[i].ID == c.ID {
			q.Checks[i] = c
		}
	}
	return q
}

func criteriaOf(fs []Failure) []CriterionID {
	var out []CriterionID
	for _, f := range fs {
		out = append(out, f.Criterion)
	}
	return out
}

func TestStandingEachCriterionFailsAlone(t *testing.T) {
	if f := Standing(passingRecord(standingDay.AddDate(0, 6, 0)), standingDay, nil); len(f) != 0 {
		t.Fatalf("every criterion passes, standing = %v", f)
	}
	checked := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for _, c := range Criteria() {
		failed := set(passingRecord(standingDay.AddDate(0, 6, 0)), CriterionCheck{ID: c.ID, Passed: false, Checked: checked})
		got := Standing(failed, standingDay, nil)
		if len(got) != 1 || got[0].Criterion != c.ID || got[0].Kind != FailedCheck || !got[0].Since.Equal(checked) {
			t.Errorf("%s failed on 2 Nov: standing = %+v, want that one criterion failed since 2 Nov", c.ID, got)
		}
		never := set(passingRecord(standingDay.AddDate(0, 6, 0)), CriterionCheck{ID: c.ID})
		if got := Standing(never, standingDay, nil); len(got) != 1 || got[0].Kind != NeverChecked {
			t.Errorf("%s never checked: standing = %+v, want it failing as never checked", c.ID, got)
		}
	}
}

func TestEvidenceIsValidThroughItsExpiryDate(t *testing.T) {
	expires := time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	q := passingRecord(expires)
	for _, c := range []struct {
		day  time.Time
		fail bool
	}{
		{time.Date(2026, 11, 17, 23, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), false}, // the expiry date itself
		{time.Date(2026, 11, 18, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), true}, // the next day
		{standingDay, true},
	} {
		got := Standing(q, c.day, nil)
		if (len(got) > 0) != c.fail {
			t.Errorf("insurance expiring 18 Nov, on %s: standing %v, want failing=%v", c.day, got, c.fail)
			continue
		}
		if c.fail {
			f := got[0]
			if f.Criterion != CritInsurance || f.Kind != Expired || !f.Since.Equal(time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("failure %+v, want insurance expired, failing since 19 Nov", f)
			}
			if f.Text() != "insurance expired 18 Nov 2026" {
				t.Errorf("text %q, want %q", f.Text(), "insurance expired 18 Nov 2026")
			}
		}
	}
}

func TestInspectionAgainstEachFrameworkAndCategoryFloor(t *testing.T) {
	insp := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		f      Framework
		grade  string
		floors Floors
		fail   bool
	}{
		{FrameworkOfsted, "Requires improvement", nil, false},
		{FrameworkOfsted, "Inadequate", nil, true},
		{FrameworkOfsted, "Requires improvement", Floors{FrameworkOfsted: "Good"}, true},
		{FrameworkOfsted, "Good", Floors{FrameworkOfsted: "Good"}, false},
		{FrameworkCQC, "Inadequate", nil, true},
		{FrameworkCQC, "Requires improvement", Floors{FrameworkOfsted: "Good"}, false}, // another framework's floor
		{FrameworkReportCard, "Needs attention", nil, false},
		{FrameworkReportCard, "Urgent improvement", nil, true},
		{FrameworkReportCard, SafeguardingNotMet, nil, true},
		{FrameworkReportCard, "Needs attention", Floors{FrameworkReportCard: "Expected standard"}, true},
		{FrameworkISI, "Met", nil, false},
		{FrameworkISI, "Not met", nil, true},
		{FrameworkUnregulated, "", Floors{FrameworkOfsted: "Outstanding"}, false},
	} {
		q := passingRecord(standingDay.AddDate(1, 0, 0))
		q.Inspections = []Judgement{{Framework: c.f, Grade: c.grade, Date: insp}}
		got := Standing(q, standingDay, c.floors)
		if (len(got) > 0) != c.fail {
			t.Errorf("%s %q against %v: standing %+v, want failing=%v", c.f, c.grade, c.floors, got, c.fail)
			continue
		}
		if c.fail && (got[0].Kind != BelowFloor || got[0].Criterion != CritInspection || !got[0].Since.Equal(insp)) {
			t.Errorf("%s %q: failure %+v, want below the floor since the inspection", c.f, c.grade, got[0])
		}
	}
}

func TestTwoCategoriesWithDifferentFloors(t *testing.T) {
	residential := Floors{FrameworkOfsted: "Good"}
	q := passingRecord(standingDay.AddDate(1, 0, 0))
	q.Inspections = []Judgement{{Framework: FrameworkOfsted, Grade: "Requires improvement", Date: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}}
	e := Establishment{ID: "E", Categories: []string{CategorySEN, CategoryResidential}, Status: Qualified,
		Location: north(2), CoreWeeklyPence: 100000, Qualification: q}
	sen := referral()
	res := referral()
	res.Category, res.InspectionFloors = CategoryResidential, residential
	if got := Invite(&sen, []Establishment{e}, standingDay); !slices.Equal(got, []string{"E"}) {
		t.Errorf("SEN (default floor): invited %v, want E", got)
	}
	inv, left := Invitations(&res, []Establishment{e}, standingDay)
	if len(inv) != 0 || len(left) != 1 || left[0].Failures[0].Text() != "inspection below the floor (Good): Ofsted Requires improvement 1 Jun 2026" {
		t.Errorf("residential (floor Good): invited %v, left out %+v, want E left out below the floor", inv, left)
	}
}

func TestBidFromFailingEstablishmentIsNonCompliantWithTheCriterion(t *testing.T) {
	r := referral()
	a, b := est("A", 1), est("B", 2)
	a.Qualification = passingRecord(standingDay.AddDate(1, 0, 0))
	b.Qualification = passingRecord(time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC))
	issued := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	if got := Invite(&r, []Establishment{a, b}, issued); !slices.Equal(got, []string{"A", "B"}) {
		t.Fatalf("on 10 Nov both pass: invited %v", got)
	}
	res := Evaluate(&Competition{Referral: r, Register: []Establishment{a, b}, Bids: []Bid{bid("A"), bid("B")},
		Invited: []string{"A", "B"}, Day: standingDay})
	if len(res.Ranked) != 1 || res.Ranked[0].Establishment != "A" {
		t.Fatalf("ranked %+v, want only A", res.Ranked)
	}
	if len(res.NonCompliant) != 1 || res.NonCompliant[0].Establishment != "B" ||
		!slices.Equal(res.NonCompliant[0].Reasons, []Reason{NotEligibleStatus}) ||
		!slices.Equal(criteriaOf(res.NonCompliant[0].Failures), []CriterionID{CritInsurance}) {
		t.Errorf("non-compliant %+v, want B not eligible by status, insurance named", res.NonCompliant)
	}
	// On the day before, B still stands.
	res = Evaluate(&Competition{Referral: r, Register: []Establishment{a, b}, Bids: []Bid{bid("A"), bid("B")},
		Invited: []string{"A", "B"}, Day: issued})
	if len(res.Ranked) != 2 {
		t.Errorf("on 10 Nov both rank, got %+v", res.Ranked)
	}
}

func TestExpiryWindows(t *testing.T) {
	for days, want := range map[int]int{0: 30, 30: 30, 31: 60, 60: 60, 61: 90, 90: 90, 91: 0} {
		if got := ExpiryWindow(days); got != want {
			t.Errorf("ExpiryWindow(%d) = %d, want %d", days, got, want)
		}
	}
}

// Every criterion has its own example of evidence, for the desk's hints
// (lifting an inspection suspension is not hinted with an insurance
// certificate).
func TestEveryCriterionHasItsOwnExample(t *testing.T) {
	seen := map[string]CriterionID{}
	for _, c := range Criteria() {
		if c.Example == "" {
			t.Errorf("%s has no example of evidence", c.ID)
		}
		if other, ok := seen[c.Example]; ok {
			t.Errorf("%s and %s share the example %q", c.ID, other, c.Example)
		}
		seen[c.Example] = c.ID
	}
}
