package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"dpsdesk/store"
	"dpsdesk/store/publish"
	"dpsdesk/ui"
)

func runSummaries(env IO, args []string) error {
	fs := newFlags(env, "summaries", "summaries [--db PATH] --out DIR REFERRAL",
		`Writes one plain-text assessment summary per bidder of an awarded referral
(REFERRAL-ESTABLISHMENT.txt in DIR): its points per criterion beside the winning
bid's, the reasons if it was not compliant, and the outcome. No other bidder's
identity or price is in any of them.`)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	out := fs.String("out", "", "the `DIR` to write the summaries in (required)")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return usageError("--out is required: the DIR to write the summaries in (usage: dpsdesk summaries [--db PATH] --out DIR REFERRAL)")
	}
	if len(pos) != 1 {
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
	for _, sm := range sums {
		path := filepath.Join(*out, ui.SafeFileName(pos[0])+"-"+ui.SafeFileName(sm.Establishment)+".txt")
		if err := os.WriteFile(path, []byte(sm.Text), 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "wrote %d assessment summaries to %s\n", len(sums), *out)
	return nil
}
