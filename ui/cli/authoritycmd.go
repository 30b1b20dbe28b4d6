package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"dpsdesk/store"
)

func runAuthority(env IO, args []string) error {
	return runGroup(env, "authority", `Usage:
  dpsdesk authority list [--db PATH]
  dpsdesk authority pattern [--db PATH] CODE PATTERN

list: the partner authorities with the shape of their case references.
pattern: set the shape of an authority's case references (an admin's change,
audited). In a pattern # is a digit, @ a letter, anything else itself:
WSCC/EHCP/##### takes WSCC/EHCP/12345. A new referral whose case reference
does not match is refused with an example; referrals made before are kept as
they are. An empty PATTERN ("") takes any reference with a number and no spaces.
`, args, subcommand{"list", runAuthorityList}, subcommand{"pattern", runAuthorityPattern})
}

func runAuthorityList(env IO, args []string) error {
	fs := newFlags(env, "authority list", "authority list [--db PATH]", "Lists the partner authorities and the shape of their case references.")
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("authority list takes no arguments")
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	auths, err := s.Authorities()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "code\tname\tcase references\texample")
	for _, a := range auths {
		pattern := a.CaseRefPattern
		if pattern == "" {
			pattern = "(any with a number, no spaces)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", store.Printable(a.Code), store.Printable(a.Name), store.Printable(pattern), store.Printable(a.CaseRefExample()))
	}
	return tw.Flush()
}

func runAuthorityPattern(env IO, args []string) error {
	fs := newFlags(env, "authority pattern", "authority pattern [--db PATH] CODE PATTERN",
		`Sets the shape of an authority's case references: # a digit, @ a letter,
anything else itself (WSCC/EHCP/#####). "" clears it.`)
	sf := addStoreFlags(fs, false)
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("usage: dpsdesk authority pattern [--db PATH] CODE PATTERN (e.g. WSCC WSCC/EHCP/#####)")
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.Authority(pos[0])
	if err != nil {
		return usageError("%v (dpsdesk authority list shows them)", err)
	}
	err = s.SetCaseRefPattern(a.Code, pos[1])
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		return usageError("%v; nothing changed", err)
	}
	if err != nil {
		return err
	}
	if pos[1] == "" {
		fmt.Fprintf(env.Stdout, "%s case references: any with a number and no spaces\n", a.Code)
		return nil
	}
	fmt.Fprintf(env.Stdout, "%s case references now look like %s\n", a.Code, store.CaseRefExample(pos[1]))
	return nil
}
