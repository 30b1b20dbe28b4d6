package publish

import (
	"errors"
	"fmt"
	"html/template"
	"path/filepath"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// Summary is one bidder's summary of the award decision, in plain text and
// in HTML.
type Summary struct {
	Establishment string // the bidder, for the file name
	Kind          string // "assessment summary" or "feedback"
	Text          string
	HTML          string
}

// Summaries writes each bidder's summary of an awarded referral in the form
// its regime asks: assessment summaries under the Procurement Act 2023
// (PR 2024 reg 31) for a dynamic market award, feedback for a PCR 2015 DPS
// award or one issued under no arrangement.
func Summaries(s *store.Store, referral string) ([]Summary, error) {
	r, err := s.Referral(referral)
	if err != nil {
		return nil, err
	}
	if r.Regime == store.RegimePA2023 {
		return AssessmentSummaries(s, referral)
	}
	return Feedback(s, referral)
}

// AssessmentSummaries are PR 2024 reg 31's, for an award by reference to a
// Procurement Act 2023 dynamic market: for each assessed tender, the award
// criteria with their weights and how each was scored; its own scores,
// each with an explanation from its tender, and the total; why it did not
// win; and the winning tender's scores and explanations. The winner's own
// summary names it with its address and identifier; no summary names any
// other bidder. A referral under a PCR 2015 DPS is refused.
func AssessmentSummaries(s *store.Store, referral string) ([]Summary, error) {
	return summaries(s, referral, store.RegimePA2023)
}

// Feedback is the PCR 2015 counterpart, for a call-off from a PCR 2015 DPS
// (or one issued under no arrangement): the same scores and explanations,
// and what the bidder may ask for under PCR 2015 reg 55(2). A referral
// under a Procurement Act 2023 dynamic market is refused.
func Feedback(s *store.Store, referral string) ([]Summary, error) {
	return summaries(s, referral, store.RegimePCR2015)
}

// sumRow is one criterion's score with its explanation.
type sumRow struct {
	Criterion string
	Available string
	Points    string
	Why       string
}

// sumDoc is a summary before it is written as text or HTML.
type sumDoc struct {
	Title    string
	Head     [][2]string
	Outcome  []string
	Criteria [][3]string // title, points available, how it is scored
	Method   string
	MineHead string
	Mine     []sumRow
	Refused  []string
	WinHead  string
	Win      []sumRow
	Footer   []string
}

func summaries(s *store.Store, referral string, regime store.Regime) ([]Summary, error) {
	r, err := s.Referral(referral)
	if err != nil {
		return nil, err
	}
	pa := regime == store.RegimePA2023
	if pa != (r.Regime == store.RegimePA2023) {
		doc := "PCR 2015 feedback"
		if pa {
			doc = "Assessment summaries under PR 2024 reg 31"
		}
		return nil, fmt.Errorf("%s are not for %s, issued under %s (%w)", doc, r.ID, store.RegimeWords(r), store.ErrWrongRegime)
	}
	a, err := s.AwardOf(referral)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%s has not been awarded yet: summaries are written after the award", referral)
	}
	if err != nil {
		return nil, err
	}
	res, c, err := s.Rank(referral, 0)
	if err != nil {
		return nil, err
	}
	buyer := r.Authority
	if auths, err := s.Authorities(); err == nil {
		for _, au := range auths {
			if au.Code == r.Authority {
				buyer = au.Name
			}
		}
	}
	arr := "issued under no recorded DPS arrangement"
	if r.Arrangement != "" {
		if ar, err := s.Arrangement(r.Arrangement); err == nil {
			arr = fmt.Sprintf("%s (%s)", ar.Title, r.Regime.Title())
			if ar.UniqueID != "" {
				arr = fmt.Sprintf("%s, dynamic market %s", arr, ar.UniqueID)
			}
		}
	}
	er := c.Engine.Referral
	w := res.Weights
	qs := map[string]float64{}
	for _, e := range c.Engine.Register {
		qs[e.ID] = e.QualificationScore
	}
	bids := map[string]store.Bid{}
	for _, b := range c.Bids {
		bids[b.Establishment] = b
	}
	ranked := func(id string) *engine.RankedBid {
		if i := slices.IndexFunc(res.Ranked, func(x engine.RankedBid) bool { return x.Establishment == id }); i >= 0 {
			return &res.Ranked[i]
		}
		return nil
	}
	outside := a.Route == store.RouteDirect || a.Route == store.RouteBlock
	var winner *engine.RankedBid
	if !outside {
		winner = ranked(a.Establishment)
	}
	lowest := int64(0)
	for _, rb := range res.Ranked {
		if lowest == 0 || rb.NetWeeklyPence < lowest {
			lowest = rb.NetWeeklyPence
		}
	}
	explain := func(rb *engine.RankedBid, yours bool) []sumRow {
		b := bids[rb.Establishment]
		p := rb.Points
		your := map[bool]string{true: "your", false: "the winning"}[yours]
		row := func(name string, avail, pts float64, why string) sumRow {
			return sumRow{name, fmt.Sprintf("%.2f", engine.Round2(avail)), fmt.Sprintf("%.2f", engine.Round2(pts)), why}
		}
		priceWhy := "the lowest compliant price"
		if rb.NetWeeklyPence != lowest && lowest > 0 {
			priceWhy = fmt.Sprintf("%.2f times the lowest compliant price", float64(rb.NetWeeklyPence)/float64(lowest))
		}
		return []sumRow{
			row("Price", w.Price, p.Price, fmt.Sprintf("The net weekly price of %s bid was %s.", your, priceWhy)),
			row("Core competency", w.CoreCompetency, p.CoreCompetency, fmt.Sprintf("The establishment's qualification score was %.2f of 100, as it stood when the referral was issued.", engine.Round2(qs[rb.Establishment]))),
			row("Needs met", w.Needs, p.Needs, needsWhy(er.Needs, b.NeedsMet)),
			row("Outcomes approach", w.Outcomes, p.Outcomes, outcomesWhy(b)),
			row("Location", w.Location, p.Location, locationWhy(rb.DistanceMiles)),
			row("Features", w.Features, p.Features, featuresWhy(er.Features, b.FeaturesOffered)),
			{Criterion: "Total", Available: "100.00", Points: fmt.Sprintf("%.2f", rb.Total), Why: fmt.Sprintf("Ranked %d of %d compliant bids.", rb.Rank, len(res.Ranked))},
		}
	}
	criteria := [][3]string{
		{"Price", fmt.Sprintf("%.2f", w.Price), "The lowest compliant net weekly price divided by the bid's, times the points available."},
		{"Core competency", fmt.Sprintf("%.2f", w.CoreCompetency), "The establishment's qualification score (0-100, from its method statements at qualification) as a share of the points."},
		{"Needs met", fmt.Sprintf("%.2f", w.Needs), "The marks of the child's needs the bid meets, as a share of all their marks."},
		{"Outcomes approach", fmt.Sprintf("%.2f", w.Outcomes), "The officer's score (0-100) of the bid's approach to the outcomes sought, as a share of the points."},
		{"Location", fmt.Sprintf("%.2f", w.Location), fmt.Sprintf("By distance from the child's home area in bands of 10 miles: all the points under 10 miles, a fifth less for each further band, none from %d miles.", 10*engine.LocationBands)},
		{"Features", fmt.Sprintf("%.2f", w.Features), "The marks of the desirable features the bid offers, as a share of all their marks; must-have features decide compliance only."},
	}
	var out []Summary
	for _, b := range c.Bids {
		id := b.Establishment
		d := sumDoc{Criteria: criteria}
		if pa {
			d.Title = "Assessment summary (Procurement Regulations 2024, regulation 31)"
		} else {
			d.Title = "Feedback on your bid (Public Contracts Regulations 2015)"
		}
		won := a.Establishment == id
		name := c.Names[id]
		rec, ok := c.Records[id]
		if won && a.Decision != nil {
			if kept, ok2 := a.Decision.Records[id]; ok2 {
				rec, ok = kept, true
			}
		}
		d.Head = [][2]string{{"Buyer", buyer}, {"Competition", fmt.Sprintf("%s, placement: %s", r.ID, engine.SettingKind(r.Category))},
			{"Arrangement", arr}, {"Award decision", store.UKDate(a.At)},
			{"Bids", fmt.Sprintf("%d establishments invited, %d bids received", len(r.Invited), len(c.Bids))},
			{"To", fmt.Sprintf("%s (%s)", name, id)}}
		if ok {
			if rec.Supplier.RegisteredAddress != "" {
				d.Head = append(d.Head, [2]string{"Address", rec.Supplier.RegisteredAddress})
			}
			if scheme, v, has := rec.Supplier.Identifier(); has {
				d.Head = append(d.Head, [2]string{"Identifier", scheme + "-" + v})
			}
		}
		d.Method = fmt.Sprintf("Award criteria and how they were scored: quality %d%%, price %d%%; the points available per criterion follow from that weight (evaluation rules §4, §5).", r.QualityWeight, 100-r.QualityWeight)
		how := map[store.AwardRoute]string{store.RouteDirect: "as a direct placement outside the competition, with a written justification",
			store.RouteBlock: "into a block booking, outside the competition"}[a.Route]
		switch {
		case won && outside:
			// Never "your bid was successful": the competition did not
			// place the child, whatever this bid scored.
			d.Outcome = append(d.Outcome, "Outcome: the placement was made with this establishment "+how+", not on this bid.")
		case won:
			d.Outcome = append(d.Outcome, "Outcome: your bid was successful.")
		case outside:
			d.Outcome = append(d.Outcome, "Outcome: your bid was not successful. The placement was made "+how+".")
		default:
			d.Outcome = append(d.Outcome, "Outcome: your bid was not successful.")
		}
		if a.Route == store.RouteParentChoice {
			d.Outcome = append(d.Outcome, "The closest bids were within "+engine.BandText()+" points of each other, so the parents chose among them (the views of the child's parents on who should provide the service).")
		}
		if mine := ranked(id); mine != nil {
			d.MineHead = "Your bid"
			d.Mine = explain(mine, true)
			if !won && !outside && winner != nil {
				if a.Route == store.RouteParentChoice && slices.Contains(res.ParentChoice, id) {
					d.Outcome = append(d.Outcome, "Your bid was on the parents' shortlist; they chose another.")
				} else {
					d.Outcome = append(d.Outcome, fmt.Sprintf("Your bid scored %.2f below the winning bid.", engine.Round2(winner.Total-mine.Total)))
				}
			}
		} else {
			for _, nc := range res.NonCompliant {
				if nc.Establishment == id {
					d.Refused = nc.Words()
				}
			}
		}
		if winner != nil && !won {
			d.WinHead = "The winning bid"
			d.Win = explain(winner, false)
		}
		if pa {
			d.Footer = append(d.Footer, "Every assessed tender's summary was written from the decision as it was kept at the award, and all were provided at the same time.")
		} else {
			d.Footer = append(d.Footer, "On written request the buyer tells you, within 15 days, the name of the successful tenderer and the characteristics and relative advantages of its bid (PCR 2015 reg 55(2)).")
		}
		d.Footer = append(d.Footer, "The full scoring rules are the partnership's published evaluation rules. Questions about this summary go to the buyer, quoting the competition number above.")
		out = append(out, Summary{Establishment: id, Kind: map[bool]string{true: "assessment summary", false: "feedback"}[pa], Text: d.text(), HTML: d.html()})
	}
	return out, nil
}

func needsWhy(needs []engine.Need, met []string) string {
	if len(needs) == 0 {
		return "The referral listed no needs, so every bid has all the points."
	}
	var yes, no []string
	for _, n := range needs {
		t := fmt.Sprintf("%s (%s, mark %d)", n.ID, engine.NeedTitle(n.ID), n.Mark)
		if slices.Contains(met, n.ID) {
			yes = append(yes, t)
		} else {
			no = append(no, t)
		}
	}
	return "Met: " + listOr(yes, "none") + ". Not met: " + listOr(no, "none") + "."
}

func featuresWhy(fs []engine.Feature, offered []string) string {
	var yes, no []string
	for _, f := range fs {
		if f.Must {
			continue
		}
		t := fmt.Sprintf("%s (mark %d)", engine.FeatureTitle(f.ID), f.Mark)
		if slices.Contains(offered, f.ID) {
			yes = append(yes, t)
		} else {
			no = append(no, t)
		}
	}
	if len(yes)+len(no) == 0 {
		return "The referral listed no desirable features, so every bid has all the points."
	}
	return "Offered: " + listOr(yes, "none") + ". Not offered: " + listOr(no, "none") + "."
}

func outcomesWhy(b store.Bid) string {
	why := fmt.Sprintf("Scored %.0f of 100", b.OutcomesScore)
	if note := strings.TrimSpace(b.OutcomesNote); note != "" {
		return why + ": " + note + "."
	}
	return why + "."
}

func locationWhy(miles float64) string {
	band := int(miles / 10)
	if band >= engine.LocationBands {
		return fmt.Sprintf("%d miles or more from the child's home area: no location points.", 10*engine.LocationBands)
	}
	return fmt.Sprintf("From %d to under %d miles from the child's home area: band %d of %d.", 10*band, 10*band+10, band+1, engine.LocationBands)
}

func listOr(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, "; ")
}

// text writes the summary as plain text, wrapped for reading.
func (d sumDoc) text() string {
	var t strings.Builder
	t.WriteString(d.Title + "\n\n")
	for _, h := range d.Head {
		fmt.Fprintf(&t, "%-15s %s\n", h[0]+":", indentWrap(h[1], 16))
	}
	t.WriteString("\n")
	for _, o := range d.Outcome {
		t.WriteString(indentWrap(o, 0) + "\n")
	}
	t.WriteString("\n" + indentWrap(d.Method, 0) + "\n")
	for _, c := range d.Criteria {
		fmt.Fprintf(&t, "  %-18s %6s points  %s\n", c[0], c[1], indentWrap(c[2], 36))
	}
	rows := func(head string, rs []sumRow) {
		if len(rs) == 0 {
			return
		}
		fmt.Fprintf(&t, "\n%s\n%-18s %9s %9s  %s\n", head, "Criterion", "Available", "Points", "Why")
		for _, r := range rs {
			fmt.Fprintf(&t, "%-18s %9s %9s  %s\n", r.Criterion, r.Available, r.Points, indentWrap(r.Why, 41))
		}
	}
	rows(d.MineHead, d.Mine)
	if len(d.Refused) > 0 {
		t.WriteString("\nYour bid was not compliant, so it was not scored or ranked:\n")
		for _, w := range d.Refused {
			fmt.Fprintf(&t, "  - %s\n", w)
		}
	}
	rows(d.WinHead, d.Win)
	t.WriteString("\n")
	for _, f := range d.Footer {
		t.WriteString(indentWrap(f, 0) + "\n")
	}
	return t.String()
}

// indentWrap breaks text at 80 columns, indenting continuation lines by indent.
func indentWrap(s string, indent int) string {
	var b strings.Builder
	col := indent // the first line starts after the caller's indent too
	for i, word := range strings.Fields(s) {
		if i > 0 && col+1+len(word) > 80 {
			b.WriteString("\n" + strings.Repeat(" ", indent))
			col = indent
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}

var summaryHTML = template.Must(template.New("summary").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: sans-serif; max-width: 48em; margin: 2em auto; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; }
dt { font-weight: bold; float: left; clear: left; width: 9em; }
dd { margin-left: 10em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<dl>{{range .Head}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
{{range .Outcome}}<p>{{.}}</p>{{end}}
<h2>Award criteria</h2>
<p>{{.Method}}</p>
<table><tr><th>Criterion</th><th>Points available</th><th>How it was scored</th></tr>
{{range .Criteria}}<tr><td>{{index . 0}}</td><td class="n">{{index . 1}}</td><td>{{index . 2}}</td></tr>
{{end}}</table>
{{if .Mine}}<h2>{{.MineHead}}</h2>{{template "rows" .Mine}}{{end}}
{{if .Refused}}<h2>Your bid was not compliant</h2><p>So it was not scored or ranked:</p><ul>{{range .Refused}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Win}}<h2>{{.WinHead}}</h2>{{template "rows" .Win}}{{end}}
{{range .Footer}}<p>{{.}}</p>{{end}}
</body>
</html>
{{define "rows"}}<table><tr><th>Criterion</th><th>Available</th><th>Points</th><th>Why</th></tr>
{{range .}}<tr><td>{{.Criterion}}</td><td class="n">{{.Available}}</td><td class="n">{{.Points}}</td><td>{{.Why}}</td></tr>
{{end}}</table>{{end}}`))

func (d sumDoc) html() string {
	var b strings.Builder
	if err := summaryHTML.Execute(&b, d); err != nil {
		return "" // the template is fixed and its data plain strings
	}
	return b.String()
}

// WriteSummaries writes each summary in dir as REFERRAL-ESTABLISHMENT.txt
// and .html, each 0600, and returns their paths.
func WriteSummaries(dir, referral string, sums []Summary) ([]string, error) {
	var paths []string
	for _, sm := range sums {
		base := filepath.Join(dir, SafeFileName(referral)+"-"+SafeFileName(sm.Establishment))
		for _, d := range []struct{ ext, body string }{{".txt", sm.Text}, {".html", sm.HTML}} {
			if err := writeFile(base+d.ext, d.body); err != nil {
				return paths, err
			}
			paths = append(paths, base+d.ext)
		}
	}
	return paths, nil
}
