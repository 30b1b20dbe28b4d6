package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/engine/geo"
	"dpsdesk/engine/scenario"
	"dpsdesk/ui"
)

// maxScenarioBytes bounds what evaluate reads: a register of 100,000
// establishments is well under it.
const maxScenarioBytes = 256 << 20

func runEvaluate(env IO, args []string) error {
	fs := newFlags(env, "evaluate", "evaluate [--format json|table] FILE",
		`Scores one referral's bids exactly as the desk does and prints the result.
FILE is a scenario (shared/spec/scenario.md), or - for standard input.
An invalid scenario prints one line per problem on stderr, each starting with
the JSON path of the field, and exits 2 with nothing on stdout.`)
	format := fs.String("format", "json", "output `format`: json (for scripts) or table (for people)")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("evaluate needs one scenario FILE (or - for standard input)")
	}
	if *format != "json" && *format != "table" {
		return usageError("--format must be json or table, not %q", *format)
	}
	data, err := readInput(env, pos[0])
	if err != nil {
		return err
	}
	sc, err := scenario.Decode(data, geo.Default())
	var probs scenario.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(env.Stderr, p)
		}
		return silent(ExitUsage)
	}
	if err != nil {
		return usageError("%s: %v", pos[0], err)
	}
	res := engine.Evaluate(&sc.Competition)
	var out bytes.Buffer // nothing reaches stdout unless all of it does
	if *format == "table" {
		writeTable(&out, sc, res)
	} else if err := scenario.Encode(&out, res); err != nil {
		return err
	}
	_, err = env.Stdout.Write(out.Bytes())
	return err
}

// readInput reads a named file, or standard input for "-".
func readInput(env IO, name string) ([]byte, error) {
	var r io.Reader = env.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, usageError("cannot read %s: %v", name, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	data, err := readAllLimited(r, maxScenarioBytes)
	if err != nil {
		return nil, usageError("cannot read %s: %v", name, err)
	}
	return data, nil
}

func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("larger than %d MiB", limit>>20)
	}
	return data, err
}

// writeTable prints the result for people: the weights, the ranking with
// its points, the bids that were not ranked and why, and the outcome in
// words.
func writeTable(out io.Writer, sc *scenario.Scenario, res engine.Result) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	r := sc.Competition.Referral
	name := func(id string) string {
		if n := sc.Names[id]; n != "" {
			return n + " (" + id + ")"
		}
		return id
	}
	fmt.Fprintf(w, "Referral %s: category %s, radius %s miles, quality %d%% / price %d%%\n",
		r.ID, r.Category, trimFloat(r.RadiusMiles), r.QualityWeight, 100-r.QualityWeight)
	wt := res.Weights
	fmt.Fprintf(w, "Points: price %s, core competency %s, needs %s,\n        outcomes %s, location %s, features %s\n",
		ui.Points2(wt.Price), ui.Points2(wt.CoreCompetency), ui.Points2(wt.Needs), ui.Points2(wt.Outcomes), ui.Points2(wt.Location), ui.Points2(wt.Features))
	fmt.Fprintf(w, "Invited: %s. Bids: %d, of which %d ranked and %d not compliant.\n\n",
		engine.Count(len(res.Invited), "establishment"), len(sc.Competition.Bids), len(res.Ranked), len(res.NonCompliant))

	if len(res.Ranked) > 0 {
		idw := len("Establishment")
		for _, rb := range res.Ranked {
			idw = max(idw, len(rb.Establishment))
		}
		fmt.Fprintf(w, " %4s %-*s %10s %6s %5s %5s %5s %5s %5s %5s %6s\n",
			"Rank", idw, "Establishment", "Net/week", "Miles", "Price", "Core", "Needs", "Outc.", "Loc.", "Feat.", "Total")
		shortlisted := map[string]bool{}
		for _, id := range res.ParentChoice {
			shortlisted[id] = true
		}
		for _, rb := range res.Ranked {
			p := rb.Points
			mark := " "
			if shortlisted[rb.Establishment] || rb.Establishment == res.Recommended {
				mark = "*"
			}
			fmt.Fprintf(w, "%s%4d %-*s %10s %6s %5s %5s %5s %5s %5s %5s %6s\n",
				mark, rb.Rank, idw, rb.Establishment, ui.Pounds(rb.NetWeeklyPence), ui.Points2(rb.DistanceMiles),
				ui.Points2(p.Price), ui.Points2(p.CoreCompetency), ui.Points2(p.Needs), ui.Points2(p.Outcomes), ui.Points2(p.Location), ui.Points2(p.Features),
				ui.Points2(rb.Total))
		}
		if res.Outcome == engine.OutcomeParentChoice {
			fmt.Fprintln(w, "* on the parents' shortlist")
		} else {
			fmt.Fprintln(w, "* recommended award")
		}
		fmt.Fprintln(w)
	}
	if len(res.NonCompliant) > 0 {
		fmt.Fprintln(w, "Not compliant (not ranked):")
		for _, nc := range res.NonCompliant {
			fmt.Fprintf(w, "  %s\n", name(nc.Establishment))
			for _, reason := range nc.Reasons {
				fmt.Fprintf(w, "    - %s\n", reason.Text())
			}
		}
		fmt.Fprintln(w)
	}
	switch res.Outcome {
	case engine.OutcomeNoSuitableBid:
		fmt.Fprintln(w, "Outcome: no suitable bid. No bid is compliant; the officer may widen the\nradius and re-issue the referral.")
	case engine.OutcomeRecommended:
		top := res.Ranked[0]
		fmt.Fprintf(w, "Outcome: recommended award to %s, total %s.\n", name(top.Establishment), ui.Points2(top.Total))
		if len(res.Ranked) > 1 {
			fmt.Fprintf(w, "The next bid (%s) is %s points behind: "+engine.BandText()+" or more, so the parents\nare not asked to choose.\n",
				ui.Points2(res.Ranked[1].Total), ui.Points2(top.Total-res.Ranked[1].Total))
		}
	case engine.OutcomeParentChoice:
		top := res.Ranked[0].Total
		fmt.Fprintf(w, "Outcome: the parents choose. These %d bids are within "+engine.BandText()+" points of the top:\n",
			len(res.ParentChoice))
		for i, rb := range res.Ranked[:len(res.ParentChoice)] {
			fmt.Fprintf(w, "  %d. %s  total %s  (%s below the top)\n", i+1, name(rb.Establishment), ui.Points2(rb.Total), ui.Points2(top-rb.Total))
		}
		if n := len(res.ParentChoice); n < len(res.Ranked) {
			next := res.Ranked[n]
			why := engine.BandText() + " or more below the top"
			if n == engine.MaxShortlist && res.Ranked[0].Total-next.Total < 5 {
				why = "the shortlist holds at most 3"
			}
			fmt.Fprintf(w, "Rank %d (%s, %s) is not on the shortlist: %s.\n", n+1, next.Establishment, ui.Points2(next.Total), why)
		}
		fmt.Fprintln(w, "The award waits for the parents' choice, recorded with their reason.")
	}
}

func trimFloat(x float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")
}
