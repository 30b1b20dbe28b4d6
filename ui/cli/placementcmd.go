package cli

import (
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

func runPlacement(env IO, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(env.Stdout, `Usage:
  dpsdesk placement list [--db PATH] [--format table|csv]

list: every placement the store lets you see (an authority's own, or all for
the store's holder): id (the referral's), authority, category, establishment,
route, start, status, end, the net weekly cost today, the next review and
whether it is due or overdue; reviews due and overdue first.
`)
		return nil
	}
	if len(args) == 0 || args[0] != "list" {
		return usageError("usage: dpsdesk placement list [--db PATH] [--format table|csv]")
	}
	s, format, err := openToList(env, "placement list", "Lists every placement: reviews overdue and due first, with the weekly cost today.", args[1:], "table", "csv")
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := s.PlacementRows()
	if err != nil {
		return err
	}
	rules, err := s.PlacementRules()
	if err != nil {
		return err
	}
	now := time.Now()
	today := now.Format(time.DateOnly)
	type line struct {
		row   store.PlacementRow
		due   time.Time
		state engine.ReviewState
	}
	lines := make([]line, 0, len(rows))
	for _, r := range rows {
		l := line{row: r, state: engine.ReviewNotDue}
		if r.Status == store.PlacementLive {
			l.due = r.NextReview(store.RulesFor(rules, r.Category))
			l.state = engine.ReviewStateOn(l.due, now)
		}
		lines = append(lines, l)
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if a.row.Status != b.row.Status {
			return strings.Compare(string(b.row.Status), string(a.row.Status)) // live first
		}
		if a.state != b.state {
			return int(a.state) - int(b.state)
		}
		return a.due.Compare(b.due)
	})
	out := [][]string{{"id", "authority", "category", "establishment", "name", "route", "start", "status", "end", "weekly_pence", "next_review", "review"}}
	var weekly int64
	for _, l := range lines {
		r := l.row
		next, state := "", ""
		if r.Status == store.PlacementLive {
			next, state = l.due.Format(time.DateOnly), l.state.String()
			weekly += r.WeeklyOn(today)
		}
		w := fmt.Sprint(r.WeeklyOn(today))
		if format == "table" {
			w = store.Pounds(r.WeeklyOn(today))
		}
		out = append(out, []string{r.ID, r.Authority, r.Category, r.Establishment, r.Name, string(r.Route), r.Start, string(r.Status), r.End, w, next, state})
	}
	if format == "csv" {
		w := store.NewCSVWriter(env.Stdout)
		w.WriteAll(out)
		return w.Error()
	}
	out[0][9] = "weekly"
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	for _, r := range out {
		fmt.Fprintln(tw, strings.Join(sanitizeCells(r), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d placements; live ones commit %s a week (%s a year)\n", len(lines), store.Pounds(weekly), store.Pounds(engine.AnnualPence(weekly)))
	return nil
}

func sanitizeCells(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = store.Printable(c)
	}
	return out
}

func runUplift(env IO, args []string) error {
	fs := newFlags(env, "uplift", "uplift [--db PATH] --category ID --percent N --from DATE [--apply]",
		`A fee uplift for a category: the percentage (at most two decimals) from the day,
on the qualified core weekly cost of each of its establishments and on the core
cost of each live placement in it. Without --apply it shows what would change:
every establishment and placement with its old and new weekly cost, the annual
effect per authority and the category's cap (with the establishments the uplift
takes over it). With --apply it makes exactly that change, in one audited
transaction. Only an admin (the holder of the store) may apply one.`)
	sf := addStoreFlags(fs, false)
	category := fs.String("category", "", "the category `ID` (sen, iap, fostering, residential, short-breaks, facs)")
	percent := fs.String("percent", "", "the uplift in per cent, e.g. `2.5`")
	from := fs.String("from", "", "the first `DATE` (YYYY-MM-DD) of the new costs")
	apply := fs.Bool("apply", false, "apply it (without: show what it would change)")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("uplift takes no arguments")
	}
	var problems []string
	if *category == "" {
		problems = append(problems, "--category is required")
	}
	p, err := engine.ParsePercent(*percent)
	if err != nil {
		problems = append(problems, "--percent: "+err.Error())
	}
	if !store.ValidDate(*from) {
		problems = append(problems, fmt.Sprintf("--from: %q is not a date (YYYY-MM-DD)", *from))
	}
	if len(problems) > 0 {
		return usageError("%s", strings.Join(problems, "; "))
	}
	sf.readOnly = !*apply
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	req := store.UpliftRequest{Category: *category, Percent: p, From: *from}
	var pv *store.UpliftPreview
	if *apply {
		pv, err = s.ApplyUplift(req)
	} else {
		pv, err = s.PreviewUplift(req)
	}
	if err != nil {
		return err
	}
	writeUplift(env, pv)
	if *apply {
		fmt.Fprintf(env.Stdout, "Applied: %d establishments and %d placements changed, in one audited change.\n", len(pv.Establishments), len(pv.Placements))
	} else {
		fmt.Fprintln(env.Stdout, "Preview only: nothing was changed. Run it again with --apply to apply exactly this.")
	}
	return nil
}

func writeUplift(env IO, pv *store.UpliftPreview) {
	capText := "no cap"
	if pv.CapPence > 0 {
		capText = "cap " + store.Pounds(pv.CapPence) + " a week"
	}
	fmt.Fprintf(env.Stdout, "Fee uplift of %s from %s: %s (%s)\n", pv.Percent, pv.From, store.Printable(pv.Title), capText)
	if pv.OverCap > 0 {
		fmt.Fprintf(env.Stdout, "%d establishments go over the cap and will not be invited to new %s referrals while it stands.\n", pv.OverCap, pv.Category)
	}
	fmt.Fprintf(env.Stdout, "\nEstablishments (%d): qualified core weekly cost\n", len(pv.Establishments))
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tname\tnow\tfrom "+pv.From+"\t")
	for _, l := range pv.Establishments {
		over := ""
		if l.OverCap {
			over = "over the cap"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", store.Printable(l.ID), store.Printable(l.Name), store.Pounds(l.OldPence), store.Pounds(l.NewPence), over)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "\nLive placements (%d): net weekly cost\n", len(pv.Placements))
	tw = tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "placement\tauthority\testablishment\tfrom\tbefore\tafter")
	for _, l := range pv.Placements {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Authority, store.Printable(l.Name), l.From, store.Pounds(l.OldNet), store.Pounds(l.NewNet))
	}
	tw.Flush()
	fmt.Fprintln(env.Stdout, "\nAnnual effect per authority (placements, 52 weeks):")
	var auths []string
	for a := range pv.AnnualPence {
		auths = append(auths, a)
	}
	slices.Sort(auths)
	if len(auths) == 0 {
		fmt.Fprintln(env.Stdout, "  none: no live placement in the category")
	}
	for _, a := range auths {
		fmt.Fprintf(env.Stdout, "  %-6s %s\n", a, store.Pounds(pv.AnnualPence[a]))
	}
}
