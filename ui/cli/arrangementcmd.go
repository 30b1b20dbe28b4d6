package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"dpsdesk/store"
)

func runArrangement(env IO, args []string) error {
	return runGroup(env, "arrangement", `Usage:
  dpsdesk arrangement list [--db PATH]
  dpsdesk arrangement set [--db PATH] --id ID --title TITLE --regime pcr2015-dps|pa2023-dynamic-market
        --established YYYY-MM-DD [--ends YYYY-MM-DD] [--unique-id ID --ocid OCID] --categories sen;iap

The DPS arrangements the partnership places through, and the law each is under:
a PCR 2015 DPS (established before 24 Feb 2025; it ends by 23 Feb 2029 at the
latest) or a Procurement Act 2023 dynamic market (its unique identifier on
Find a Tender and the ocid of its process). Each category is placed through one
arrangement at a time: issuing a referral records the arrangement that places
its category that day, and every document about it follows that regime. Only
an admin sets one (the store file's holder is one); each change is audited.
`, args, subcommand{"list", runArrangementList}, subcommand{"set", runArrangementSet})
}

func runArrangementList(env IO, args []string) error {
	s, _, err := openToList(env, "arrangement list", "Lists the DPS arrangements with their regimes, dates, identifiers and categories.", args)
	if err != nil {
		return err
	}
	defer s.Close()
	as, err := s.Arrangements()
	if err != nil {
		return err
	}
	if len(as) == 0 {
		fmt.Fprintln(env.Stdout, "no DPS arrangements: referrals are issued under none (dpsdesk arrangement set adds one)")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tREGIME\tESTABLISHED\tENDS\tUNIQUE ID\tOCID\tCATEGORIES\tTITLE")
	for _, a := range as {
		ends := a.Ends
		if ends == "" && a.Regime == store.RegimePCR2015 {
			ends = store.PCR2015DPSLastDay + " (by law)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Regime, a.Established, dash(ends), dash(a.UniqueID), dash(a.OCID),
			strings.Join(a.Categories, ";"), store.Printable(a.Title))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runArrangementSet(env IO, args []string) error {
	fs := newFlags(env, "arrangement set", "arrangement set [--db PATH] --id ID --title TITLE --regime R --established DATE [--ends DATE] [--unique-id ID --ocid OCID] --categories LIST",
		"Adds or changes a DPS arrangement (admin only; audited). Flags not given keep an existing arrangement's values.")
	sf := addStoreFlags(fs, false)
	id := fs.String("id", "", "the arrangement's `id`, e.g. SET-DPS-2021 (required)")
	title := fs.String("title", "", "its `title`")
	regime := fs.String("regime", "", "`pcr2015-dps` or pa2023-dynamic-market")
	established := fs.String("established", "", "the `day` it was set up, YYYY-MM-DD")
	ends := fs.String("ends", "", "its last `day`, YYYY-MM-DD (none: open; a PCR 2015 DPS ends by 23 Feb 2029)")
	unique := fs.String("unique-id", "", "a dynamic market's unique `identifier` on Find a Tender")
	ocid := fs.String("ocid", "", "a dynamic market's `ocid`, e.g. ocds-h6vhtk-05d1e7")
	cats := fs.String("categories", "", "the `categories` placed through it, separated by ;")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *id == "" {
		return usageError("usage: dpsdesk arrangement set --id ID ... (see dpsdesk help arrangement)")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.Arrangement(*id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	a.ID = *id
	for name, set := range map[string]func(){
		"title": func() { a.Title = *title }, "regime": func() { a.Regime = store.Regime(*regime) },
		"established": func() { a.Established = *established }, "ends": func() { a.Ends = *ends },
		"unique-id": func() { a.UniqueID = *unique }, "ocid": func() { a.OCID = *ocid },
		"categories": func() {
			a.Categories = nil
			for _, c := range strings.Split(*cats, ";") {
				if c = strings.TrimSpace(c); c != "" {
					a.Categories = append(a.Categories, c)
				}
			}
		},
	} {
		if given[name] {
			set()
		}
	}
	if err := s.SetArrangement(a); err != nil {
		var ve *store.ValidationError
		if errors.As(err, &ve) || errors.Is(err, store.ErrForbidden) {
			return usageError("%v", err)
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "arrangement %s set: %s, %s\n", a.ID, a.Regime.Title(), strings.Join(a.Categories, ";"))
	return nil
}
