//go:build ignore

// benchtable reads `go test -bench` output on standard input and prints
// the one table `make bench` ends with (measure, goal, figure, ratio),
// the table README.md copies. A benchmark it does not know is listed
// under its own name, with its x-anchor ratio when it reports one, so a
// new benchmark is never left out.
//
//	go run .ci/benchtable.go < bench.out
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// result is one benchmark's figures by unit (ns/op, B/op, x-anchor, …).
type result map[string]float64

// row is a line of the table worked out from a result.
type row struct {
	bench   string
	measure string
	goal    string
	figure  func(r result) string
	ratio   func(r result) string
}

func ms(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	case v >= 0.1:
		return fmt.Sprintf("%.2f ms", v)
	}
	return fmt.Sprintf("%.1f µs", v*1000)
}

func perOp(r result) string { return ms(r["ns/op"] / 1e6) }

func allocated(r result) string {
	b, ok := r["B/op"]
	switch {
	case !ok:
		return ""
	case b >= 1<<20:
		return fmt.Sprintf(", %.0f MB allocated", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf(", %.0f KB allocated", b/(1<<10))
	}
	return fmt.Sprintf(", %.0f B allocated", b)
}

// owners is the allocation with whose it is: the desk's own and bbolt's
// (the benchmark's own-B/op and bbolt-B/op).
func owners(r result) string {
	s := allocated(r)
	own, ok1 := r["own-B/op"]
	bb, ok2 := r["bbolt-B/op"]
	if s == "" || !ok1 || !ok2 {
		return s
	}
	short := func(b float64) string {
		return strings.TrimSuffix(strings.TrimPrefix(allocated(result{"B/op": b}), ", "), " allocated")
	}
	return s + " (the desk's own " + short(own) + ", bbolt's " + short(bb) + ")"
}

func metric(unit, format string) func(r result) string {
	return func(r result) string {
		v, ok := r[unit]
		if !ok {
			return "—"
		}
		return fmt.Sprintf(format, v)
	}
}

func none(result) string { return "—" }

// anchor is the x-anchor ratio, with what the anchor measured.
func anchor(what string) func(r result) string {
	return func(r result) string {
		x, ok := r["x-anchor"]
		if !ok {
			return "—"
		}
		s := fmt.Sprintf("%.2f× %s", x, what)
		if a, ok := r["anchor-ms"]; ok {
			s += " (" + ms(a) + ")"
		} else if a, ok := r["anchor-ns/op"]; ok {
			s += " (" + ms(a/1e6)
			if ab, ok := r["anchor-B/op"]; ok {
				s += allocated(result{"B/op": ab})
			}
			s += ")"
		}
		return s
	}
}

var rows = []row{
	{"BenchmarkFilter100000", "filter 100,000 establishments, mean keystroke of a 12-key query, 1 core", "< 16 ms",
		func(r result) string { return ms(r["ms/keystroke"]) }, anchor("raw fuzzy.Find")},
	{"BenchmarkFilter100000", "filter 100,000, slowest keystroke of the query (each key's median over the run, the slowest), 1 core", "< 16 ms",
		func(r result) string {
			s := ms(r["worst-ms"])
			if m, ok := r["max-ms"]; ok {
				s += " (slowest single keystroke seen " + ms(m) + ")"
			}
			return s
		},
		func(r result) string {
			if a := r["anchor-ms"]; a > 0 {
				return fmt.Sprintf("%.2f× raw fuzzy.Find", r["worst-ms"]/a)
			}
			return "—"
		}},
	{"BenchmarkFilter10000", "filter 10,000, mean keystroke, 1 core", "< 5 ms",
		func(r result) string { return ms(r["ms/keystroke"]) + ", slowest " + ms(r["worst-ms"]) }, anchor("raw fuzzy.Find")},
	{"BenchmarkDeskMemory100000", "memory, the register of 100,000 with its filter index and a query typed (whole live heap)", "< 150 MB",
		metric("MB-heap", "%.0f MB"), none},
	{"BenchmarkDeskMemory", "memory, the desk open on a 10,000-establishment store (whole live heap)", "< 100 MB",
		metric("MB-heap", "%.0f MB"), none},
	{"BenchmarkRenderRegister", "draw the register at 200x60 holding 10,000", "< 2 ms", perOp, none},
	{"BenchmarkRankedView500", "draw the ranked view of 500 bids, the cursor moving", "< 1 ms",
		func(r result) string { return perOp(r) + allocated(r) }, none},
	{"BenchmarkRank500", "rank 500 bids from the store, unchanged since last asked", "< 5 ms", perOp, none},
	{"BenchmarkRank500Afresh", "rank 500 bids after a change to the store (only records whose stored bytes changed are decoded again)", "< 5 ms",
		func(r result) string { return perOp(r) + allocated(r) }, none},
	{"BenchmarkBuilderLiveCount", "one change in the referral builder with its live invited count over 10,000", "< 5 ms", perOp, none},
	{"BenchmarkEvaluate", "evaluate one referral: 10,000 establishments, 500 bids", "< 5 ms", perOp, none},
	{"BenchmarkCountEligible", "live invited count over 10,000 establishments", "< 5 ms", perOp, none},
	{"BenchmarkResolve", "resolve a postcode", "< 1 µs", func(r result) string { return fmt.Sprintf("%.0f ns", r["ns/op"]) }, none},
	{"BenchmarkFirstLookup", "first postcode lookup (parse the embedded tables)", "< 30 ms", perOp, none},
	{"BenchmarkOpenFirstScreen", "open a store of 10,000 establishments, 50,000 referrals, 500,000 bids and read the first screen", "< 200 ms", perOp, none},
	{"BenchmarkAuditedChange", "one audited change, committed", "≤ 3× a bare bbolt put, < 20 KB allocated",
		func(r result) string { return perOp(r) + owners(r) }, anchor("a bare put")},
	{"BenchmarkImport10000", "import 10,000 register rows", "< 0.5 s, < 100 MB allocated",
		func(r result) string { return fmt.Sprintf("%.2f s", r["ns/op"]/1e9) + owners(r) }, anchor("a bare write of the same rows")},
	{"BenchmarkBarePutBigStore", "bbolt alone: one audited change's writes put bare into a copy of the big store (the floor of its memory)", "—",
		func(r result) string { return perOp(r) + allocated(r) }, none},
	{"BenchmarkReport50000", "the reports over 50,000 referrals and 500,000 bids", "< 200 ms", perOp, none},
	{"BenchmarkPublishQuarter", "publish a quarter of 2,000 awards as OCDS", "< 1 s", perOp, none},
	{"BenchmarkFiftySessions", "`dpsdesk serve`: 50 SSH sessions typing, key to screen", "p99 < 50 ms",
		func(r result) string {
			return fmt.Sprintf("p50 %s, p99 %s, %.0f keys/s", ms(r["p50-ms"]), ms(r["p99-ms"]), r["keys/s"])
		}, none},
}

var suffix = regexp.MustCompile(`-\d+$`)

func main() {
	results := map[string]result{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := suffix.ReplaceAllString(f[0], "")
		r := result{}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				r[f[i+1]] = v
			}
		}
		if _, seen := results[name]; !seen {
			order = append(order, name)
		}
		results[name] = r
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	fmt.Println()
	fmt.Println("| measure | goal | figure | ratio |")
	fmt.Println("|---|---|---|---|")
	known := map[string]bool{}
	for _, w := range rows {
		known[w.bench] = true
		if r, ok := results[w.bench]; ok {
			fmt.Printf("| %s | %s | %s | %s |\n", w.measure, w.goal, w.figure(r), w.ratio(r))
		}
	}
	for _, name := range order {
		if !known[name] {
			r := results[name]
			fmt.Printf("| %s | — | %s | %s |\n", strings.TrimPrefix(name, "Benchmark"), perOp(r)+allocated(r), anchor("its anchor")(r))
		}
	}
}
