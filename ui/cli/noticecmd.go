package cli

import (
	"errors"
	"flag"
	"fmt"

	"dpsdesk/store"
)

func runNotice(env IO, args []string) error {
	fs := newFlags(env, "notice set", "notice set [--db PATH] [--summaries-sent DATE] [--standstill-end DATE] [--entered-into DATE] REFERRAL",
		`Records, for a referral awarded under a Procurement Act 2023 dynamic market,
the dates its Find a Tender notices need (audited): the day the assessment
summaries were sent (UK6 says it), the end of a voluntary standstill if one is
set (none is required for dynamic-market or light-touch awards), and the day
the contract was entered into (UK7 is due within 120 days of it). Flags not
given keep what is recorded; an empty value clears it.`)
	sf := addStoreFlags(fs, false)
	sent := fs.String("summaries-sent", "", "the `day` the assessment summaries were sent, YYYY-MM-DD")
	standstill := fs.String("standstill-end", "", "the `day` a voluntary standstill ends, YYYY-MM-DD")
	entered := fs.String("entered-into", "", "the `day` the contract was entered into, YYYY-MM-DD")
	if len(args) == 0 || args[0] != "set" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			_, err := parse(env, fs, args)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
		return usageError("usage: dpsdesk notice set [--db PATH] [--summaries-sent DATE] [--standstill-end DATE] [--entered-into DATE] REFERRAL")
	}
	pos, err := parse(env, fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("notice set takes one REFERRAL")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.NoticeDatesOf(pos[0])
	if err != nil {
		return usageError("%v", err)
	}
	n.Referral = pos[0]
	if given["summaries-sent"] {
		n.SummariesSent = *sent
	}
	if given["standstill-end"] {
		n.StandstillEnd = *standstill
	}
	if given["entered-into"] {
		n.EnteredInto = *entered
	}
	if err := s.SetNoticeDates(n); err != nil {
		var ve *store.ValidationError
		if errors.As(err, &ve) || errors.Is(err, store.ErrWrongRegime) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrForbidden) {
			return usageError("%v", err)
		}
		return usageError("%v", err)
	}
	fmt.Fprintf(env.Stdout, "%s: summaries sent %s, voluntary standstill ends %s, contract entered into %s\n", n.Referral, dash(n.SummariesSent), dash(n.StandstillEnd), dash(n.EnteredInto))
	return nil
}
