package cli

import (
	"errors"
	"fmt"
	"os"

	"dpsdesk/store"
	"dpsdesk/store/publish"
)

func runSummaries(env IO, args []string) error {
	fs := newFlags(env, "summaries", "summaries [--db PATH] --out DIR REFERRAL",
		`Writes one summary per bidder of an awarded referral, in plain text and HTML
(REFERRAL-ESTABLISHMENT.txt and .html in DIR), in its regime's form: under a
Procurement Act 2023 dynamic market, the assessment summary of PR 2024 reg 31;
under a PCR 2015 DPS, feedback. Each gives the criteria with their weights and
how they were scored, its own scores each with an explanation and the total,
the outcome, and the winning bid's scores and explanations; the winner's own
names it with its address and identifier. No other bidder's identity or price
is in any of them.`)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	out := fs.String("out", "", "the `DIR` to write the summaries in (required)")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return usageError("usage: dpsdesk summaries [--db PATH] --out DIR REFERRAL")
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	sums, err := publish.Summaries(s, pos[0])
	switch {
	case errors.Is(err, store.ErrNotFound):
		return usageError("no referral %q (dpsdesk referral list shows them)", pos[0])
	case err != nil:
		return usageError("%v", err)
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return err
	}
	if _, err := publish.WriteSummaries(*out, pos[0], sums); err != nil {
		return err
	}
	kind := "summaries"
	if len(sums) > 0 {
		if sums[0].Kind == "feedback" {
			kind = "feedback summaries (PCR 2015)"
		} else {
			kind = "assessment summaries (PR 2024 reg 31)"
		}
	}
	fmt.Fprintf(env.Stdout, "wrote %d %s, .txt and .html, to %s\n", len(sums), kind, *out)
	return nil
}
