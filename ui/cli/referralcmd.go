package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

func runReferral(env IO, args []string) error {
	return runGroup(env, "referral", `Usage:
  dpsdesk referral list [--db PATH] [--format table|csv]
  dpsdesk referral export [--db PATH] [--out FILE] REFERRAL

list: every referral with its status, authority, category, deadline, invited, bids.
export: the referral as a scenario file, to re-check it with dpsdesk evaluate.
`, args, subcommand{"list", runReferralList}, subcommand{"export", runReferralExport})
}

func runReferralList(env IO, args []string) error {
	s, format, err := openToList(env, "referral list", "Lists every referral: id, status, authority, category, deadline, invited, bids.", args, "table", "csv")
	if err != nil {
		return err
	}
	defer s.Close()
	refs, err := s.Referrals()
	if err != nil {
		return err
	}
	rows := [][]string{{"id", "status", "authority", "category", "deadline", "invited", "bids"}}
	for _, r := range refs {
		bids, err := s.Bids(r.ID)
		if err != nil {
			return err
		}
		deadline := ""
		if !r.Deadline.IsZero() {
			deadline = r.Deadline.UTC().Format(time.RFC3339)
		}
		rows = append(rows, []string{r.ID, string(r.Status), r.Authority, r.Category, deadline, fmt.Sprint(len(r.Invited)), fmt.Sprint(len(bids))})
	}
	if format == "csv" {
		w := store.NewCSVWriter(env.Stdout)
		w.WriteAll(rows)
		return w.Error()
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func runReferralExport(env IO, args []string) error {
	fs := newFlags(env, "referral export", "referral export [--db PATH] [--out FILE] REFERRAL",
		`Writes the referral as a scenario file (shared/spec/scenario.md) so that anyone
can re-check its evaluation: dpsdesk evaluate FILE. It holds no child reference.`)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	out := fs.String("out", "", "write to `FILE` (0600) instead of standard output")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("usage: dpsdesk referral export [--db PATH] [--out FILE] REFERRAL")
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Referral(pos[0]); errors.Is(err, store.ErrNotFound) {
		return usageError("no referral %q (dpsdesk referral list shows them)", pos[0])
	}
	return writeOutput(env, *out, func(w io.Writer) error { return s.ExportScenario(pos[0], w) })
}

func runBids(env IO, args []string) error {
	fs := newFlags(env, "bids", "bids import [--db PATH] [--replace] [--encoding latin1] REFERRAL FILE.csv",
		`Loads bids exported from the e-tendering portal for an issued referral: all
of them, or, if any row is bad, none, with every problem as "line N: column:
message". Columns: establishment, core_weekly_pence, variable_weekly_pence,
discount_pct, needs_met, features_offered, outcomes_score, submitted (RFC 3339,
not before the referral was issued nor in the future), earliest_start
(optional); lists in a cell are separated by ;. A row for an establishment that
has bid already is refused unless --replace is given; each replacement is
audited with its before and after. The file must be UTF-8 unless
--encoding latin1 says it is Latin-1, which is then converted.`)
	sf := addStoreFlags(fs, false)
	replace := fs.Bool("replace", false, "replace bids already recorded for the same establishments")
	enc := fs.String("encoding", "utf-8", "the file's `encoding`: utf-8 or latin1")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 3 || pos[0] != "import" {
		return usageError("usage: dpsdesk bids import [--db PATH] [--replace] [--encoding latin1] REFERRAL FILE.csv")
	}
	data, err := readInput(env, pos[2])
	if err != nil {
		return err
	}
	if data, err = store.DecodeText(data, *enc); err != nil {
		return usageError("--encoding: %v", err)
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.ImportBids(pos[1], strings.NewReader(string(data)), *replace)
	var ie *store.ImportError
	switch {
	case errors.As(err, &ie):
		for _, r := range ie.Rows {
			fmt.Fprintf(env.Stderr, "%s: %s\n", pos[2], r)
		}
		fmt.Fprintf(env.Stderr, "dpsdesk: no bids recorded: %s in %s\n", engine.Count(len(ie.Rows), "problem"), pos[2])
		return silent(ExitUsage)
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrState):
		return usageError("%v; no bids recorded", err)
	case err != nil:
		return err
	}
	fmt.Fprintf(env.Stdout, "recorded %s for %s\n", engine.Count(n, "bid"), pos[1])
	return nil
}
