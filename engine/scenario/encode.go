package scenario

import (
	"encoding/json"
	"io"

	"dpsdesk/engine"
)

// Output is the result in the shape shared/spec/scenario.md gives, numbers
// rounded to 2 decimal places.
type Output struct {
	Referral     string            `json:"referral"`
	Weights      PointsOut         `json:"weights"`
	Invited      []string          `json:"invited"`
	Ranked       []RankedOut       `json:"ranked"`
	NonCompliant []NonCompliantOut `json:"non_compliant"`
	ParentChoice []string          `json:"parent_choice"`
	Recommended  *string           `json:"recommended"`
	Outcome      engine.Outcome    `json:"outcome"`
}

// PointsOut is points (or weights) per criterion.
type PointsOut struct {
	Price          float64 `json:"price"`
	CoreCompetency float64 `json:"core_competency"`
	Needs          float64 `json:"needs"`
	Outcomes       float64 `json:"outcomes"`
	Location       float64 `json:"location"`
	Features       float64 `json:"features"`
}

// RankedOut is one ranked bid.
type RankedOut struct {
	Rank           int       `json:"rank"`
	Establishment  string    `json:"establishment"`
	NetWeeklyPence int64     `json:"net_weekly_pence"`
	DistanceMiles  float64   `json:"distance_miles"`
	Points         PointsOut `json:"points"`
	Total          float64   `json:"total"`
}

// NonCompliantOut is one bid that is not ranked, with its reasons.
type NonCompliantOut struct {
	Establishment string          `json:"establishment"`
	Reasons       []engine.Reason `json:"reasons"`
}

// NewOutput converts an engine result to the output shape.
func NewOutput(r engine.Result) Output {
	w := r.Weights
	o := Output{
		Referral:     r.Referral,
		Weights:      PointsOut{w.Price, w.CoreCompetency, w.Needs, w.Outcomes, w.Location, w.Features},
		Invited:      nonNil(r.Invited),
		Ranked:       make([]RankedOut, len(r.Ranked)),
		NonCompliant: make([]NonCompliantOut, len(r.NonCompliant)),
		ParentChoice: nonNil(r.ParentChoice),
		Outcome:      r.Outcome,
	}
	if r.Recommended != "" {
		o.Recommended = &r.Recommended
	}
	for i, rb := range r.Ranked {
		p := rb.Points
		o.Ranked[i] = RankedOut{
			Rank: rb.Rank, Establishment: rb.Establishment, NetWeeklyPence: rb.NetWeeklyPence,
			DistanceMiles: engine.Round2(rb.DistanceMiles),
			Points: PointsOut{
				engine.Round2(p.Price), engine.Round2(p.CoreCompetency), engine.Round2(p.Needs),
				engine.Round2(p.Outcomes), engine.Round2(p.Location), engine.Round2(p.Features),
			},
			Total: rb.Total,
		}
	}
	for i, nc := range r.NonCompliant {
		o.NonCompliant[i] = NonCompliantOut{nc.Establishment, nc.Reasons}
	}
	return o
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Encode writes the result as indented JSON.
func Encode(w io.Writer, r engine.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewOutput(r))
}
