package scenario

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dpsdesk/engine/geo"
)

const valid = `{
 "referral": {"id": "R-1", "category": "sen", "home": {"postcode": "RH12 1"}, "radius_miles": 30,
  "needs": [{"id": "ASD", "mark": 2}], "features": [{"id": "lift", "must": true}, {"id": "slt"}]},
 "establishments": [{"id": "E-1", "name": "Oak", "categories": ["sen"], "status": "qualified",
  "location": {"lat": 51.08, "lon": -0.3}, "core_weekly_pence": 150000,
  "method_scores": {"workforce": 70, "outcomes_framework": 80, "contract_management": 60}}],
 "bids": [{"establishment": "E-1", "core_weekly_pence": 150000, "variable_weekly_pence": 0,
  "needs_met": ["ASD"], "features_offered": ["lift"], "outcomes_score": 75}]
}`

func TestDecodeValid(t *testing.T) {
	s, err := Decode([]byte(valid), geo.Default())
	if err != nil {
		t.Fatal(err)
	}
	c := s.Competition
	if c.Referral.QualityWeight != 50 || c.Referral.Needs[0].Mark != 2 || c.Referral.Features[1].Mark != 1 {
		t.Errorf("defaults not applied: %+v", c.Referral)
	}
	if c.Register[0].QualificationScore != 71 || s.Names["E-1"] != "Oak" {
		t.Errorf("establishment = %+v, names %v", c.Register[0], s.Names)
	}
}

// TestDecodeProblemsNameTheField checks that each kind of bad input is
// reported at the JSON path of the field, as scenario.md requires.
func TestDecodeProblemsNameTheField(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{`"radius_miles": 30`, `"radius_miles": "30"`, `referral.radius_miles: must be a number, not a string`},
		{`"radius_miles": 30`, `"radius_miles": 30, "quality_weight": 29`, `referral.quality_weight: must be a whole number from 30 to 70, not 29`},
		{`"radius_miles": 30`, `"radius_miles": 30, "quality_weight": 71`, `referral.quality_weight:`},
		{`"radius_miles": 30`, `"radius_miles": 30, "radius_mile": 30`, `referral.radius_mile: unknown field (did you mean "radius_miles"?)`},
		{`"radius_miles": 30`, `"radius_miles": 30, "radius_miles": 40`, `referral.radius_miles: appears twice`},
		{`"category": "sen"`, `"category": "school"`, `referral.category: unknown category "school"`},
		{`{"postcode": "RH12 1"}`, `{"postcode": "ZZ99 9"}`, `referral.home.postcode: unknown postcode "ZZ99 9"`},
		{`{"postcode": "RH12 1"}`, `{"postcode": "RH121"}`, `referral.home.postcode: "RH121" is not a UK postcode`},
		{`{"postcode": "RH12 1"}`, `{"lat": 91, "lon": 0}`, `referral.home.lat: must be between -90 and 90, not 91`},
		{`{"postcode": "RH12 1"}`, `{"lat": 51}`, `referral.home: needs both lat and lon`},
		{`{"postcode": "RH12 1"}`, `{}`, `referral.home: needs a postcode, or lat and lon`},
		{`{"id": "lift", "must": true}`, `{"id": "lift", "must": true, "mark": 2}`, `referral.features[0].mark: a must-have feature carries no marks`},
		{`{"id": "ASD", "mark": 2}`, `{"id": "ASD", "mark": 0}`, `referral.needs[0].mark: must be a whole number from 1 to 1000, not 0`},
		{`"status": "qualified"`, `"status": "approved"`, `establishments[0].status: unknown status "approved"`},
		{`"core_weekly_pence": 150000,
  "method`, `"core_weekly_pence": 1500.5,
  "method`, `establishments[0].core_weekly_pence: must be whole pence`},
		{`"workforce": 70`, `"workforce": 101`, `establishments[0].method_scores.workforce: must be between 0 and 100, not 101`},
		{`"establishment": "E-1"`, `"establishment": "E-9"`, `bids[0].establishment: "E-9" is not one of the establishments in this file`},
		{`"needs_met": ["ASD"]`, `"needs_met": ["SEMH"]`, `bids[0].needs_met[0]: "SEMH" is not one of the referral's needs`},
		{`"features_offered": ["lift"]`, `"features_offered": ["lift", "lift"]`, `bids[0].features_offered[1]: "lift" is listed twice`},
		{`"outcomes_score": 75`, `"outcomes_score": -1`, `bids[0].outcomes_score: must be between 0 and 100, not -1`},
		{`"outcomes_score": 75`, `"outcomes_score": 75, "submitted": "yesterday"`, `bids[0].submitted: must be an RFC 3339 time`},
		{`"variable_weekly_pence": 0`, `"variable_weekly_pence": -5`, `bids[0].variable_weekly_pence: must be whole pence from 0`},
		{`"outcomes_score": 75`, `"outcomes_score": 75, "discount_pct": 101`, `bids[0].discount_pct: must be between 0 and 100`},
		{`"outcomes_score": 75`, `"outcome_score": 75`, `bids[0].outcomes_score: required`},
		{`"bids": [`, `"bids": {"x": 1}, "b": [`, `bids: must be a list, not an object`},
		{`{`, `[`, `scenario: not valid JSON at line 2`},
	} {
		in := strings.Replace(valid, c.from, c.to, 1)
		if in == valid {
			t.Fatalf("test case %q does not change the scenario", c.from)
		}
		_, err := Decode([]byte(in), geo.Default())
		var ps Problems
		if !errors.As(err, &ps) {
			t.Errorf("%s: err = %v, want Problems", c.want, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("want a problem %q, got:\n%v", c.want, err)
		}
	}
}

func TestDecodeDuplicateEstablishmentAndBid(t *testing.T) {
	in := strings.Replace(valid, `"bids": [{`, `"bids": [{"establishment": "E-1", "core_weekly_pence": 1, "variable_weekly_pence": 0,
  "needs_met": [], "features_offered": [], "outcomes_score": 75}, {`, 1)
	_, err := Decode([]byte(in), geo.Default())
	if err == nil || !strings.Contains(err.Error(), `bids[1].establishment: "E-1" has bid already`) {
		t.Errorf("two bids from one establishment: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(valid))
	files, _ := filepath.Glob("../../testdata/examples/*.json")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"", "null", "[]", "{}", `{"referral": 1}`, `{"bids": [null]}`, "[[[[[[[[[[[[[[[[[[", `"\ud800"`} {
		f.Add([]byte(s))
	}
	g := geo.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data, g)
		if (s == nil) == (err == nil) {
			t.Fatalf("Decode returned %v and %v: want exactly one", s, err)
		}
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %v is not a list of problems", err)
			}
			for _, p := range ps {
				if p.Path == "" || p.Message == "" {
					t.Fatalf("problem without a path or message: %+v", p)
				}
			}
		}
	})
}
