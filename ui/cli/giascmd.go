package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dpsdesk/engine/gias"
	"dpsdesk/store"
)

// giasSource is how the audit trail names the download: its date from
// --date, else from its name (edubasealldataYYYYMMDD.csv).
func giasSource(file, date string) (string, error) {
	if date != "" {
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return "", usageError("--date must be the download's date such as 2026-11-28, not %q", date)
		}
		return gias.Source(d), nil
	}
	if s, ok := gias.SourceFromFileName(filepath.Base(file)); ok {
		return s, nil
	}
	return "", usageError("%s: its name does not carry the download's date (edubasealldataYYYYMMDD.csv): give it with --date YYYY-MM-DD", file)
}

// openGIAS opens the download to stream it (- is standard input).
func openGIAS(env IO, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(env.Stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, usageError("cannot read %s: %v", name, errors.Unwrap(err))
	}
	return f, nil
}

// giasFileError prints a refused header or the bad rows, naming the file:
// nothing was changed, exit status 2.
func giasFileError(env IO, file string, err error, problems []error) error {
	p := store.Printable
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", p(file), p(err.Error()))
		fmt.Fprintf(env.Stderr, "dpsdesk: nothing changed: %s is not a GIAS download the desk can read\n", p(file))
		return silent(ExitUsage)
	}
	for _, e := range problems {
		fmt.Fprintf(env.Stderr, "%s: %s\n", p(file), p(e.Error()))
	}
	fmt.Fprintf(env.Stderr, "dpsdesk: nothing changed: %d bad rows in %s\n", len(problems), p(file))
	return silent(ExitUsage)
}

func runImportGIAS(env IO, args []string) error {
	fs := newFlags(env, "import gias", "import gias [--db PATH] [--date YYYY-MM-DD] FILE [--apply]",
		`Keeps the register true from the DfE's Get Information about Schools download
(edubasealldataYYYYMMDD.csv, Windows-1252). Register establishments are matched
by URN; for each, the latest inspection judgement (only a newer one replaces
the one recorded), name, postcode, proprietor (the provider) and a closure are
compared. Without --apply it prints one line per establishment and field that
would change, and changes nothing. With --apply every change is made in one
transaction, each audited with "GIAS YYYY-MM-DD" as its source: a judgement now
below a category's floor, or a closure, fails that criterion from today, so the
establishment leaves invitations and shows in the Review queue. Values the desk
does not recognise are reported and left alone; register URNs not in the file
are listed. What GIAS says of the SEN-relevant establishments is kept for the
market report and the new-establishment form, replacing the last import's.
A bad row or a header without URN, EstablishmentName, EstablishmentStatus
(name) or Postcode changes nothing (exit status 2).`)
	sf := addStoreFlags(fs, false)
	apply := fs.Bool("apply", false, "make the changes (without it: only print them)")
	date := fs.String("date", "", "the download's `date` (YYYY-MM-DD), when its name does not carry it")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: dpsdesk import gias [--db PATH] [--date YYYY-MM-DD] FILE [--apply]")
	}
	file := pos[0]
	source, err := giasSource(file, *date)
	if err != nil {
		return err
	}
	if !*apply {
		sf.readOnly = true
	}
	in, err := openGIAS(env, file)
	if err != nil {
		return err
	}
	defer in.Close()
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	plan, err := s.PlanGIAS(in, source)
	var he *gias.HeaderError
	if errors.As(err, &he) {
		return giasFileError(env, file, err, nil)
	}
	if err != nil {
		return err
	}
	if len(plan.Problems) > 0 {
		return giasFileError(env, file, nil, plan.Problems)
	}
	changes := plan.Changes
	if *apply {
		res, err := s.ApplyGIAS(plan)
		if err != nil {
			return fmt.Errorf("nothing changed: %w", err)
		}
		changes = res.Changes
	}
	printGIAS(env.Stdout, plan, changes, *apply)
	return nil
}

// printGIAS writes the import's lines: one per establishment and field
// changed, then what was left alone and what the file lacks.
func printGIAS(w io.Writer, plan *store.GIASPlan, changes []store.GIASChange, applied bool) {
	p := store.Printable
	fmt.Fprintf(w, "%s: %d rows read, %d on the register by URN\n", plan.Source, plan.Rows, plan.Matched)
	fields := 0
	for _, c := range changes {
		who := fmt.Sprintf("%s (URN %s) %s", c.ID, c.URN, c.Name)
		for _, ch := range c.Changes {
			fields++
			fmt.Fprintf(w, "%s: %s: %s → %s\n", p(who), p(ch.Field), p(orNone(ch.Before)), p(ch.After))
		}
		if c.Fails != "" {
			fmt.Fprintf(w, "%s: now fails, out of those invitations from today: %s\n", p(who), p(c.Fails))
		}
	}
	if len(plan.Unknown) > 0 {
		fmt.Fprintf(w, "\nNot recognised, left alone (%d):\n", len(plan.Unknown))
		for _, n := range plan.Unknown {
			fmt.Fprintf(w, "  %s\n", p(n.String()))
		}
	}
	if len(plan.Notes) > 0 {
		fmt.Fprintf(w, "\nLeft alone (%d):\n", len(plan.Notes))
		for _, n := range plan.Notes {
			fmt.Fprintf(w, "  %s\n", p(n.String()))
		}
	}
	if len(plan.Missing) > 0 {
		fmt.Fprintf(w, "\nOn the register but not in the file: closed, merged or a mistyped URN (%d):\n", len(plan.Missing))
		for _, r := range plan.Missing {
			fmt.Fprintf(w, "  %s (URN %s) %s\n", p(r.ID), p(r.URN), p(r.Name))
		}
	}
	fmt.Fprintln(w)
	if applied {
		fmt.Fprintf(w, "changed %d fields of %d establishments in one transaction, each audited with the source %q; kept %d GIAS records for the market and the new-establishment form\n",
			fields, len(changes), plan.Source, len(plan.Facts))
		return
	}
	fmt.Fprintf(w, "nothing changed (a preview): --apply makes these %d changes to %d establishments in one transaction and keeps %d GIAS records for the market and the new-establishment form\n",
		fields, len(changes), len(plan.Facts))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func runMarket(env IO, args []string) error {
	fs := newFlags(env, "market", "market [--db PATH] --gias FILE [--within MILES] [--format table|csv]",
		`Lists the market beyond the register: the open establishments of SEN-relevant
kinds in a GIAS download (independent special, non-maintained special, special
post-16, and independent schools recording SEN provision) within MILES of any
partner authority's area that are not on the register, nearest first: where
the contract-management function finds applicants to invite. An area is the
postcode sectors of the open establishments GIAS places in that authority.
Changes nothing.`)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	file := fs.String("gias", "", "the GIAS download (edubasealldataYYYYMMDD.csv)")
	within := fs.Float64("within", store.DefaultMarketMiles, "`miles` from a partner's area (at most 50)")
	format := fs.String("format", "table", "`table` for people, csv for scripts")
	date := fs.String("date", "", "the download's `date` (YYYY-MM-DD), when its name does not carry it")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageError("market takes no arguments (did you mean --gias %s?)", pos[0])
	case *file == "":
		return usageError("usage: dpsdesk market [--db PATH] --gias FILE [--within MILES] [--format table|csv]")
	case *format != "table" && *format != "csv":
		return usageError("--format must be table or csv, not %q", *format)
	case !(*within >= 0 && *within <= store.MarketMaxMiles):
		return usageError("--within must be from 0 to %g miles, not %g", store.MarketMaxMiles, *within)
	}
	source, err := giasSource(*file, *date)
	if err != nil {
		return err
	}
	in, err := openGIAS(env, *file)
	if err != nil {
		return err
	}
	defer in.Close()
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Market(in, source, *within)
	var he *gias.HeaderError
	if errors.As(err, &he) {
		return giasFileError(env, *file, err, nil)
	}
	if err != nil {
		return err
	}
	if len(res.Problems) > 0 {
		return giasFileError(env, *file, nil, res.Problems)
	}
	header := []string{"name", "type", "urn", "town", "area", "miles", "ages", "boarders", "capacity", "pupils", "sen_provision", "inspection", "category"}
	rows := make([][]string, len(res.Market))
	for i, m := range res.Market {
		rows[i] = []string{m.Name, m.Type, m.URN, m.Town, m.Area, strconv.FormatFloat(m.Miles, 'f', 1, 64), ages(m.LowAge, m.HighAge),
			m.Boarders, count(m.Capacity), count(m.Pupils), strings.Join(m.SEN, ";"), m.Inspection, m.Category}
	}
	if *format == "csv" {
		cw := store.NewCSVWriter(env.Stdout)
		cw.Write(header)
		cw.WriteAll(rows)
		return cw.Error()
	}
	w := env.Stdout
	p := store.Printable
	fmt.Fprintf(w, "%s: %d open SEN-relevant establishments within %g miles of a partner's area are not on the register\n", res.Source, len(rows), *within)
	for _, m := range res.Market {
		fmt.Fprintf(w, "\n%s  URN %s  %s\n", p(m.Name), m.URN, p(m.Type))
		where := "in the area"
		if m.Miles > 0 {
			where = fmt.Sprintf("%.1f miles from the area", m.Miles)
		}
		fmt.Fprintf(w, "  %s, %s %s (DPS category %s)  ages %s  boarders: %s  capacity %s, pupils %s\n", p(orNone(m.Town)), m.Area, where, m.Category,
			ages(m.LowAge, m.HighAge), p(orNone(m.Boarders)), count(m.Capacity), count(m.Pupils))
		fmt.Fprintf(w, "  SEN provision: %s  inspection: %s\n", p(orNone(strings.Join(m.SEN, "; "))), p(orNone(m.Inspection)))
	}
	return nil
}

func ages(lo, hi int) string {
	if lo == 0 && hi == 0 {
		return "?"
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

func count(n int) string {
	if n == 0 {
		return "?"
	}
	return strconv.Itoa(n)
}
