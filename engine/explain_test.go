package engine_test

import (
	"os"
	"path/filepath"
	"testing"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/engine/scenario"
)

// Every bid of every scoring example is explained: a ranked bid's facts
// give exactly the ranking's points, criterion by criterion, and those add
// up to its total; a bid not ranked gives its reasons.
func TestExplanationsGiveTheRankingsFigures(t *testing.T) {
	files, _ := filepath.Glob("../testdata/examples/*.json")
	fused, _ := filepath.Glob("testdata/fused/*.json")
	files = append(files, fused...)
	n := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := scenario.Decode(data, geo.Default())
		if err != nil {
			continue // an example of a refused file
		}
		res := engine.Evaluate(&s.Competition)
		for _, b := range s.Competition.Bids {
			x, ok := engine.Explain(&s.Competition, &res, b.Establishment)
			if !ok {
				t.Errorf("%s: %s is not explained", name, b.Establishment)
				continue
			}
			n++
			CheckExplanation(t, name, x)
		}
	}
	if n < 20 {
		t.Errorf("explained %d bids: the examples were not found", n)
	}
}

// CheckExplanation holds an explanation to the ranking it explains.
func CheckExplanation(t *testing.T, where string, x engine.Explanation) {
	t.Helper()
	if x.Rank == 0 {
		if len(x.Reasons) == 0 {
			t.Errorf("%s: %s is neither ranked nor given a reason", where, x.Establishment)
		}
		return
	}
	if len(x.Changed) > 0 {
		t.Errorf("%s: %s: the facts do not give the points of %v", where, x.Establishment, x.Changed)
	}
	if w := x.Worked(); w != x.Points {
		t.Errorf("%s: %s: the facts give %+v, the ranking %+v", where, x.Establishment, w, x.Points)
	}
	if got := x.Points.Total(); got != x.Total {
		t.Errorf("%s: %s: the points add up to %.2f, the total is %.2f", where, x.Establishment, got, x.Total)
	}
	w, p := x.Weights, x.Points
	for _, c := range [][2]float64{{p.Price, w.Price}, {p.CoreCompetency, w.CoreCompetency}, {p.Needs, w.Needs},
		{p.Outcomes, w.Outcomes}, {p.Location, w.Location}, {p.Features, w.Features}} {
		if c[0] < 0 || c[0] > c[1] {
			t.Errorf("%s: %s: %v points out of %v", where, x.Establishment, c[0], c[1])
		}
	}
}

// A kept evaluation whose facts have changed since keeps its points and
// says which criteria its facts no longer give.
func TestExplanationOfAKeptEvaluationSaysWhatChanged(t *testing.T) {
	data, err := os.ReadFile("../testdata/examples/06-mixed.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Decode(data, geo.Default())
	if err != nil {
		t.Fatal(err)
	}
	kept := engine.Evaluate(&s.Competition)
	top := kept.Ranked[0]
	for i := range s.Competition.Register {
		if s.Competition.Register[i].ID == top.Establishment {
			s.Competition.Register[i].QualificationScore += 7
		}
	}
	x, ok := engine.Explain(&s.Competition, &kept, top.Establishment)
	if !ok || x.Points != top.Points || x.Total != top.Total {
		t.Fatalf("the kept points are not the explanation's: %+v", x)
	}
	if len(x.Changed) != 1 || x.Changed[0] != engine.CriterionCoreCompetency {
		t.Errorf("changed %v, want core competency only", x.Changed)
	}
	if len(x.Needs) != len(s.Competition.Referral.Needs) {
		t.Errorf("needs %+v, want each of the referral's", x.Needs)
	}
}
