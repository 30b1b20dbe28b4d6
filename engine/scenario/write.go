package scenario

import (
	"encoding/json"
	"io"
	"time"

	"dpsdesk/engine"
)

// The input shape of scenario.md, for writing a referral out so that anyone
// can re-check its evaluation with `dpsdesk evaluate`.
type (
	fileOut struct {
		Referral       referralOut        `json:"referral"`
		Establishments []EstablishmentOut `json:"establishments"`
		Bids           []bidOut           `json:"bids"`
	}
	referralOut struct {
		ID            string       `json:"id"`
		Category      string       `json:"category"`
		Home          locationOut  `json:"home"`
		RadiusMiles   float64      `json:"radius_miles"`
		QualityWeight int          `json:"quality_weight"`
		CapPence      int64        `json:"affordability_cap_weekly_pence,omitempty"`
		Needs         []needOut    `json:"needs"`
		Features      []featureOut `json:"features"`
		Deadline      string       `json:"deadline,omitempty"`
	}
	locationOut struct {
		Postcode string   `json:"postcode,omitempty"`
		Lat      *float64 `json:"lat,omitempty"`
		Lon      *float64 `json:"lon,omitempty"`
	}
	needOut struct {
		ID   string `json:"id"`
		Mark int    `json:"mark"`
	}
	featureOut struct {
		ID   string `json:"id"`
		Mark int    `json:"mark,omitempty"`
		Must bool   `json:"must,omitempty"`
	}
	methodsOut struct {
		Workforce          float64 `json:"workforce"`
		OutcomesFramework  float64 `json:"outcomes_framework"`
		ContractManagement float64 `json:"contract_management"`
	}
	bidOut struct {
		Establishment       string   `json:"establishment"`
		CoreWeeklyPence     int64    `json:"core_weekly_pence"`
		VariableWeeklyPence int64    `json:"variable_weekly_pence"`
		DiscountPct         float64  `json:"discount_pct,omitempty"`
		NeedsMet            []string `json:"needs_met"`
		FeaturesOffered     []string `json:"features_offered"`
		OutcomesScore       float64  `json:"outcomes_score"`
		Submitted           string   `json:"submitted,omitempty"`
	}
)

// EstablishmentOut is one establishment of a written scenario. The method
// scores and adjustments are given, not the qualification score, as the
// scenario format has them.
type EstablishmentOut struct {
	ID               string        `json:"id"`
	Name             string        `json:"name,omitempty"`
	Categories       []string      `json:"categories"`
	Status           engine.Status `json:"status"`
	Location         locationOut   `json:"location"`
	CoreWeeklyPence  int64         `json:"core_weekly_pence"`
	MethodScores     methodsOut    `json:"method_scores"`
	ScoreAdjustments []float64     `json:"score_adjustments,omitempty"`
}

// NewEstablishmentOut describes an establishment for a scenario file.
func NewEstablishmentOut(e engine.Establishment, name string, m engine.MethodScores, adjustments []float64) EstablishmentOut {
	lat, lon := e.Location.Lat, e.Location.Lon
	return EstablishmentOut{ID: e.ID, Name: name, Categories: e.Categories, Status: e.Status,
		Location: locationOut{Lat: &lat, Lon: &lon}, CoreWeeklyPence: e.CoreWeeklyPence,
		MethodScores: methodsOut{m.Workforce, m.OutcomesFramework, m.ContractManagement}, ScoreAdjustments: adjustments}
}

// Write writes a competition as a scenario file. home is the referral's
// home postcode as written on the referral.
func Write(w io.Writer, c *engine.Competition, home string, ests []EstablishmentOut) error {
	r := c.Referral
	out := fileOut{
		Referral: referralOut{ID: r.ID, Category: r.Category, Home: locationOut{Postcode: home},
			RadiusMiles: r.RadiusMiles, QualityWeight: r.QualityWeight, CapPence: r.AffordabilityCapPence,
			Needs: []needOut{}, Features: []featureOut{}},
		Establishments: ests,
		Bids:           []bidOut{},
	}
	if !r.Deadline.IsZero() {
		out.Referral.Deadline = r.Deadline.UTC().Format(time.RFC3339)
	}
	for _, n := range r.Needs {
		out.Referral.Needs = append(out.Referral.Needs, needOut{n.ID, n.Mark})
	}
	for _, f := range r.Features {
		fo := featureOut{ID: f.ID, Must: f.Must}
		if !f.Must {
			fo.Mark = f.Mark
		}
		out.Referral.Features = append(out.Referral.Features, fo)
	}
	for _, b := range c.Bids {
		bo := bidOut{Establishment: b.Establishment, CoreWeeklyPence: b.CoreWeeklyPence, VariableWeeklyPence: b.VariableWeeklyPence,
			DiscountPct: b.DiscountPct, NeedsMet: nonNil(b.NeedsMet), FeaturesOffered: nonNil(b.FeaturesOffered), OutcomesScore: b.OutcomesScore}
		if !b.Submitted.IsZero() {
			bo.Submitted = b.Submitted.UTC().Format(time.RFC3339Nano)
		}
		out.Bids = append(out.Bids, bo)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
