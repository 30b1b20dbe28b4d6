package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"dpsdesk/store"
	"dpsdesk/store/publish"
)

func runPublish(env IO, args []string) error {
	fs := newFlags(env, "publish", "publish [--db PATH] --quarter 2026Q4 --format contracts-finder|contracts-finder-list|find-a-tender|ocds [--notice uk6|uk7] [--out FILE]\n       dpsdesk publish [--db PATH] --quarter 2026Q4 --due",
		`Writes the awards made in the quarter (by UK time), each in the form of the
regime its DPS arrangement is under:
  contracts-finder       PCR 2015 DPS awards: the Contracts Finder buyer API's JSON
  contracts-finder-list  the same as a CSV working list (Contracts Finder takes no CSV)
  find-a-tender          PA 2023 dynamic market awards: OCDS releases in Find a
                         Tender's shape, --notice uk6 (contract award) or uk7
                         (contract details; awards whose contract is entered into)
  ocds                   awards issued under no arrangement: a plain OCDS 1.1 package
Awards under the other regime are left out and counted. A quarter with nothing
to publish in the form asked writes nothing, says so and exits 0. --due lists
what every award of the quarter owes, and by when. No child's case reference,
name or need is ever written. The flags after --out are the choices the
publication facts leave unconfirmed; their defaults are documented in README.`)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	quarter := fs.String("quarter", "", "the `quarter`, e.g. 2026Q4 (required)")
	format := fs.String("format", "", "`contracts-finder`, contracts-finder-list, find-a-tender or ocds")
	noticeFlag := fs.String("notice", "", "with find-a-tender: `uk6` or uk7")
	due := fs.Bool("due", false, "list what the quarter's awards owe and by when, instead of writing them")
	out := fs.String("out", "", "write to `FILE` (0600) instead of standard output")
	publisher := fs.String("publisher", "West Sussex County Council", "the publishing authority's `name`")
	prefix := fs.String("ocid-prefix", "ocds-setdps", "the registered OCDS `prefix` of the partnership")
	c := publish.DefaultChoices()
	fs.IntVar(&c.TermWeeks, "term-weeks", c.TermWeeks, "weeks of the weekly cost in a published value and end date")
	fs.IntVar(&c.VATPercent, "vat-percent", c.VATPercent, "VAT on the weekly cost, which the desk records net (placements are exempt)")
	fs.StringVar(&c.CFValue, "cf-value", c.CFValue, "Contracts Finder values `net` or gross of VAT (UNCONFIRMED)")
	fs.StringVar(&c.CFNotices, "cf-notices", c.CFNotices, "`quarterly` (a notice per buyer and arrangement) or per-award")
	fs.IntVar(&c.CFDays, "cf-days", c.CFDays, "days after an award its Contracts Finder entry is due (UNCONFIRMED under PPN 019)")
	fs.StringVar(&c.LightTouchCode, "light-touch-code", c.LightTouchCode, "the tender.specialRegime `code` for light touch (UNCONFIRMED)")
	fs.StringVar(&c.UK6AwardStatus, "uk6-award-status", c.UK6AwardStatus, "a UK6 award's `status`: pending or active (UNCONFIRMED)")
	fs.StringVar(&c.NoticeDocumentsIn, "notice-documents-in", c.NoticeDocumentsIn, "where the UK6/UK7 document goes: `stage` (awards, contracts) or tender (UNCONFIRMED)")
	fs.StringVar(&c.Relationship, "relationship", c.Relationship, "the relatedProcesses `code` tying an award to its dynamic market (UNCONFIRMED)")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("publish takes no arguments")
	}
	q, err := publish.ParseQuarter(*quarter)
	if err != nil {
		return usageError("--quarter: %v", err)
	}
	if err := c.Check(); err != nil {
		return usageError("%v", err)
	}
	regime, ok := map[string]store.Regime{"contracts-finder": store.RegimePCR2015, "contracts-finder-list": store.RegimePCR2015,
		"find-a-tender": store.RegimePA2023, "ocds": ""}[*format]
	switch {
	case *due && *format != "":
		return usageError("--due lists what is owed; give it without --format")
	case !*due && !ok:
		return usageError("--format must be contracts-finder, contracts-finder-list, find-a-tender or ocds, not %q", *format)
	}
	var notice publish.Notice
	if *format == "find-a-tender" {
		if notice, err = publish.ParseNotice(*noticeFlag); err != nil {
			return usageError("%v", err)
		}
	} else if *noticeFlag != "" {
		return usageError("--notice is for --format find-a-tender")
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	awards, err := publish.Collect(s, q)
	if err != nil {
		return err
	}
	if *due {
		return writeOutput(env, *out, func(w io.Writer) error { return writeDues(w, q, publish.Dues(awards, c)) })
	}
	mine, others := publish.Split(awards, regime)
	if len(others) > 0 {
		var ids []string
		for _, a := range others {
			ids = append(ids, a.Referral.ID)
		}
		fmt.Fprintf(env.Stderr, "left out %d awards of %s issued under another regime (%s): publish them in their own form\n", len(others), q, strings.Join(ids, ", "))
	}
	what := map[string]string{"contracts-finder": "Contracts Finder award information", "contracts-finder-list": "Contracts Finder working list",
		"find-a-tender": "Find a Tender " + string(notice), "ocds": "OCDS release package"}[*format]
	o := publish.Options{Publisher: *publisher, OCIDPrefix: *prefix, URI: "urn:dpsdesk:awards:" + q.String(), Now: time.Now(), Choices: c}
	write := func(w io.Writer) error {
		switch *format {
		case "contracts-finder":
			return publish.ContractsFinder(w, mine, q, o)
		case "contracts-finder-list":
			return publish.WorkingList(w, mine, o)
		case "find-a-tender":
			return publish.FindATender(w, mine, notice, o)
		}
		return publish.OCDS(w, mine, o)
	}
	// Written to memory first: a period with nothing to publish, or a
	// supplier the register lacks, leaves no file behind.
	var buf strings.Builder
	err = write(&buf)
	var missing *publish.MissingError
	switch {
	case errors.Is(err, publish.ErrNothing):
		reason := ""
		if notice == publish.UK7 && len(mine) > 0 {
			reason = fmt.Sprintf(" (%d awards wait for the day their contract is entered into: dpsdesk notice set)", len(mine))
		}
		fmt.Fprintf(env.Stdout, "no awards of %s to publish as %s%s: nothing written\n", q, what, reason)
		return nil
	case errors.As(err, &missing):
		return usageError("the register lacks what %s needs; nothing written:\n%v", what, err)
	case err != nil:
		return err
	}
	err = writeOutput(env, *out, func(w io.Writer) error { _, err := io.WriteString(w, buf.String()); return err })
	if err == nil && *out != "" {
		fmt.Fprintf(env.Stdout, "published %d awards of %s as %s to %s\n", len(mine), q, what, *out)
	}
	return err
}

func writeDues(w io.Writer, q publish.Quarter, dues []publish.Due) error {
	if len(dues) == 0 {
		_, err := fmt.Fprintf(w, "no awards in %s: nothing is due\n", q)
		return err
	}
	fmt.Fprintf(w, "%-14s %-11s %s\n", "REFERRAL", "BY", "WHAT")
	for _, d := range dues {
		by := d.By
		if by == "" {
			by = "-"
		}
		if _, err := fmt.Fprintf(w, "%-14s %-11s %s: %s\n", d.Referral, by, d.What, d.Note); err != nil {
			return err
		}
	}
	return nil
}
