package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"dpsdesk/store"
)

func runAuthority(env IO, args []string) error {
	return runGroup(env, "authority", `Usage:
  dpsdesk authority list [--db PATH]
  dpsdesk authority pattern [--db PATH] CODE PATTERN
  dpsdesk authority ppon [--db PATH] CODE PPON

list: the partner authorities with the shape of their case references.
pattern: set the shape of an authority's case references (an admin's change,
audited). In a pattern # is a digit, @ a letter, anything else itself:
WSCC/EHCP/##### takes WSCC/EHCP/12345. A new referral whose case reference
does not match is refused with an example; referrals made before are kept as
they are. An empty PATTERN ("") takes any reference with a number and no spaces.
ppon: record an authority's Public Procurement Organisation Number, by which
published notices name it as a buyer (an admin's change, audited).
`, args, subcommand{"list", runAuthorityList}, subcommand{"pattern", runAuthorityPattern}, subcommand{"ppon", runAuthorityPPON})
}

func runAuthorityList(env IO, args []string) error {
	s, _, err := openToList(env, "authority list", "Lists the partner authorities and the shape of their case references.", args)
	if err != nil {
		return err
	}
	defer s.Close()
	auths, err := s.Authorities()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "code\tname\tcase references\texample\tppon")
	for _, a := range auths {
		pattern := a.CaseRefPattern
		if pattern == "" {
			pattern = "(any with a number, no spaces)"
		}
		ppon := a.PPON
		if ppon == "" {
			ppon = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", store.Printable(a.Code), store.Printable(a.Name), store.Printable(pattern), store.Printable(a.CaseRefExample()), ppon)
	}
	return tw.Flush()
}

func runAuthorityPattern(env IO, args []string) error {
	return authoritySetting{name: "pattern", arg: "PATTERN", example: "WSCC WSCC/EHCP/#####",
		help: `Sets the shape of an authority's case references: # a digit, @ a letter,
anything else itself (WSCC/EHCP/#####). "" clears it.`,
		set: (*store.Store).SetCaseRefPattern,
		done: func(a store.Authority) string {
			if a.CaseRefPattern == "" {
				return a.Code + " case references: any with a number and no spaces"
			}
			return a.Code + " case references now look like " + a.CaseRefExample()
		}}.run(env, args)
}

func runAuthorityPPON(env IO, args []string) error {
	return authoritySetting{name: "ppon", arg: "PPON", example: "WSCC PBHM-7586-PWLP",
		help: `Records an authority's Public Procurement Organisation Number (GB-PPON):
published notices name it by it as a buyer, and as buyer-CODE until it is
recorded. "" clears it.`,
		set: (*store.Store).SetAuthorityPPON,
		done: func(a store.Authority) string {
			if a.PPON == "" {
				return a.Code + " has no PPON: notices name it buyer-" + a.Code
			}
			return a.Code + " is GB-PPON-" + a.PPON + " in published notices"
		}}.run(env, args)
}

// authoritySetting is one setting of a partner authority that `dpsdesk
// authority NAME CODE VALUE` changes (an admin's change, audited).
type authoritySetting struct {
	name, arg, example, help string
	set                      func(s *store.Store, code, value string) error
	done                     func(a store.Authority) string // said after, as stored
}

func (as authoritySetting) run(env IO, args []string) error {
	usage := "authority " + as.name + " [--db PATH] CODE " + as.arg
	fs := newFlags(env, "authority "+as.name, usage, as.help)
	sf := addStoreFlags(fs, false)
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("usage: dpsdesk %s (e.g. %s)", usage, as.example)
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
	err = as.set(s, a.Code, pos[1])
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		return usageError("%v; nothing changed", err)
	}
	if err != nil {
		return err
	}
	if a, err = s.Authority(a.Code); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, as.done(a))
	return nil
}

// openToList opens the store read only for a list command that takes no
// arguments, only --db and, when formats are given, --format (the first
// is the default): "authority list", "referral list". It gives the format
// asked for.
func openToList(env IO, name, help string, args []string, formats ...string) (*store.Store, string, error) {
	usage := name + " [--db PATH]"
	if len(formats) > 0 {
		usage += " [--format " + strings.Join(formats, "|") + "]"
	}
	fs := newFlags(env, name, usage, help)
	sf := addStoreFlags(fs, false)
	sf.readOnly = true
	var format *string
	if len(formats) > 0 {
		format = fs.String("format", formats[0], "`"+formats[0]+"` for people, "+strings.Join(formats[1:], ", ")+" for scripts")
	}
	pos, err := parse(env, fs, args)
	if err != nil {
		return nil, "", err
	}
	if len(pos) > 0 {
		return nil, "", usageError("%s takes no arguments", name)
	}
	chosen := ""
	if format != nil {
		if chosen = *format; !slices.Contains(formats, chosen) {
			return nil, "", usageError("--format must be %s, not %q", strings.Join(formats, " or "), chosen)
		}
	}
	s, err := sf.open(env, true)
	return s, chosen, err
}
