package cli

import (
	"fmt"
	"io"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store/publish"
)

func runPublish(env IO, args []string) error {
	fs := newFlags(env, "publish", "publish [--db PATH] --quarter 2026Q4 --format ocds|contracts-finder [--out FILE]",
		`Writes every award made in the quarter: an Open Contracting Data Standard 1.1
release package (ocds), or the CSV for a Contracts Finder upload. No child's case
reference, name or need is ever written.`)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	quarter := fs.String("quarter", "", "the `quarter`, e.g. 2026Q4 (required)")
	format := fs.String("format", "", "`ocds` or contracts-finder (required)")
	out := fs.String("out", "", "write to `FILE` (0600) instead of standard output")
	publisher := fs.String("publisher", "West Sussex County Council", "the publishing authority's `name`")
	prefix := fs.String("ocid-prefix", "ocds-setdps", "the registered OCDS `prefix` of the partnership")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("publish takes no arguments")
	}
	if *quarter == "" {
		return usageError("--quarter is required: the quarter to publish, e.g. 2026Q4")
	}
	if *format == "" {
		return usageError("--format is required: ocds or contracts-finder")
	}
	q, err := publish.ParseQuarter(*quarter)
	if err != nil {
		return usageError("--quarter: %v", err)
	}
	if *format != "ocds" && *format != "contracts-finder" {
		return usageError("--format must be ocds or contracts-finder, not %q", *format)
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
	o := publish.Options{Publisher: *publisher, OCIDPrefix: *prefix, URI: "urn:dpsdesk:awards:" + q.String(), Now: time.Now()}
	err = writeOutput(env, *out, func(w io.Writer) error {
		if *format == "ocds" {
			return publish.OCDS(w, awards, o)
		}
		return publish.ContractsFinder(w, awards, o)
	})
	if err == nil && *out != "" {
		fmt.Fprintf(env.Stdout, "published %s of %s to %s\n", engine.Count(len(awards), "award"), q, *out)
	}
	return err
}
