package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// referralPage is one referral: what it asks for, whom it invited, the bids,
// the award, and the keys that move it to its next state.
type referralPage struct {
	ctx           *Context
	keys          keymap.Referral
	id            string
	r             store.Referral
	bids          []store.Bid
	names         map[string]string
	award         *store.Award
	err           error
	page          pager
	width, height int
	modal
}

// referralLoadedMsg is one referral as read, with its bids and award.
type referralLoadedMsg struct {
	id    string
	r     store.Referral
	bids  []store.Bid
	names map[string]string
	award *store.Award
	err   error
}

func newReferralPage(ctx *Context, id string) *referralPage {
	p := &referralPage{ctx: ctx, keys: keymap.NewReferral(), id: id}
	p.Update(p.load()()) // the first frame shows it; changes reload through a command
	return p
}

func (p *referralPage) load() tea.Cmd {
	s, id := p.ctx.Store, p.id
	return func() tea.Msg {
		m := referralLoadedMsg{id: id, names: map[string]string{}}
		if m.r, m.err = s.Referral(id); m.err != nil {
			return m
		}
		m.bids, _ = s.Bids(id)
		slices.SortStableFunc(m.bids, func(a, b store.Bid) int { return a.Submitted.Compare(b.Submitted) }) // as they came in
		if c, err := s.Competition(id, 0); err == nil {
			m.names = c.Names
		}
		for _, e := range m.r.Invited {
			if m.names[e] == "" {
				if est, err := s.Establishment(e); err == nil {
					m.names[e] = est.Name
				}
			}
		}
		if a, err := s.AwardOf(id); err == nil {
			m.award = &a
			if d := a.Decision; d != nil && d.Names[a.Establishment] != "" {
				m.names[a.Establishment] = d.Names[a.Establishment] // as it was when placed
			} else if e, err := s.Establishment(a.Establishment); err == nil {
				m.names[a.Establishment] = e.Name // placed outside the competition, perhaps
			}
		}
		return m
	}
}

func (p *referralPage) Title() string   { return p.id }
func (p *referralPage) Init() tea.Cmd   { return nil }
func (p *referralPage) Capturing() bool { return p.asking() }
func (p *referralPage) SetSize(w, h int) {
	p.width, p.height = w, h
	p.page.height = h
}

// enabled turns on the keys that move this referral on from where it is.
func (p *referralPage) enabled() keymap.Referral {
	k := p.keys
	st := p.r.Status
	rw := p.ctx.Store.CanWrite() == nil && p.err == nil
	may := func(step store.Step) bool { return rw && store.Allowed(step, st) }
	k.Edit.SetEnabled(may(store.StepEdit))
	k.Issue.SetEnabled(may(store.StepIssue))
	k.Bid.SetEnabled(may(store.StepBid))
	k.Close.SetEnabled(may(store.StepClose))
	k.Evaluate.SetEnabled(may(store.StepEvaluate))
	k.Ranked.SetEnabled(p.err == nil && st != store.RefDraft && st != store.RefWithdrawn)
	k.Award.SetEnabled(may(store.StepAward) || may(store.StepParentChoice))
	k.Direct.SetEnabled(may(store.StepDirect))
	k.Block.SetEnabled(may(store.StepBlock))
	k.Reissue.SetEnabled(may(store.StepReissue))
	k.Withdraw.SetEnabled(may(store.StepWithdraw))
	// Meeting mode reopens on the parents' choice once recorded, read-only,
	// for a follow-up conversation.
	chosen := st == store.RefAwarded && p.award != nil && p.award.Route == store.RouteParentChoice
	k.Meeting.SetEnabled(p.err == nil && (st == store.RefParentChoice || chosen))
	k.Export.SetEnabled(p.err == nil && st != store.RefDraft && st != store.RefWithdrawn)
	k.Import.SetEnabled(may(store.StepBid))
	k.Summaries.SetEnabled(p.err == nil && st == store.RefAwarded)
	return k
}

func (p *referralPage) ShortHelp() []keyBinding {
	if p.asking() {
		return p.modal.help()
	}
	k := p.enabled()
	return []keyBinding{k.Meeting, k.Edit, k.Issue, k.Bid, k.Close, k.Evaluate, k.Ranked, k.Award, k.Reissue, k.Direct, k.Block, k.Withdraw}
}

func (p *referralPage) FullHelp() [][]keyBinding {
	k := p.enabled()
	return [][]keyBinding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Edit, k.Issue, k.Bid, k.Close, k.Evaluate, k.Ranked, k.Award, k.Meeting}, {k.Reissue, k.Direct, k.Block, k.Withdraw}, {k.Export, k.Import, k.Summaries}}
}

func (p *referralPage) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case referralLoadedMsg:
		if msg.id == p.id {
			p.r, p.bids, p.names, p.award, p.err = msg.r, msg.bids, msg.names, msg.award, msg.err
		}
	case storeChangedMsg:
		return p, p.load()
	case tea.KeyMsg:
		return p, p.keyOr(msg, p.key)
	}
	return p, nil
}

func (p *referralPage) key(msg tea.KeyMsg) tea.Cmd {
	k := p.enabled()
	s := p.ctx.Store
	// A step that is not open now says why instead of doing nothing.
	raw := []key.Binding{p.keys.Edit, p.keys.Issue, p.keys.Bid, p.keys.Close, p.keys.Evaluate, p.keys.Ranked, p.keys.Award, p.keys.Direct, p.keys.Block, p.keys.Reissue, p.keys.Withdraw, p.keys.Meeting, p.keys.Import, p.keys.Export, p.keys.Summaries}
	now := []key.Binding{k.Edit, k.Issue, k.Bid, k.Close, k.Evaluate, k.Ranked, k.Award, k.Direct, k.Block, k.Reissue, k.Withdraw, k.Meeting, k.Import, k.Export, k.Summaries}
	steps := []store.Step{store.StepEdit, store.StepIssue, store.StepBid, store.StepClose, store.StepEvaluate, "", store.StepAward, store.StepDirect, store.StepBlock, store.StepReissue, store.StepWithdraw, "", store.StepBid, "", ""}
	for i := range raw {
		if key.Matches(msg, raw[i]) && !now[i].Enabled() {
			if s.CanWrite() != nil {
				return failure(s.CanWrite())
			}
			step := steps[i]
			if step == store.StepAward && p.r.Status == store.RefParentChoice {
				step = store.StepParentChoice
			}
			if step != "" {
				if err := store.MayStep(&p.r, step); err != nil {
					return failure(err) // the lifecycle table's reason
				}
			}
			return failure(fmt.Errorf("%s is %s: %q is not open to it (next: %s)", p.id, p.r.Status.Title(), raw[i].Help().Desc, orNone(nextStep(p.r.Status))))
		}
	}
	if p.page.scroll(k.Scroll, msg, len(p.lines())) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Edit):
		r := p.r
		p.ctx.open(newBuilder(p.ctx, &r))
		return nil
	case key.Matches(msg, k.Issue):
		invited, left, err := s.Invitations(p.r, p.ctx.Now())
		if err != nil {
			return failure(err)
		}
		n, out := len(invited), leftOutNamed(s, left)
		if n == 0 { // nothing to ask: it cannot be issued
			return failure(fmt.Errorf("no establishment is eligible within %g miles%s: edit it (%s) to widen the radius; nothing changed", p.r.RadiusMiles, out, p.keys.Edit.Help().Key))
		}
		q := fmt.Sprintf("Issue %s to the %s eligible now%s? The invited list is then frozen.", p.id, plural(n, "establishment"), out)
		if n < engine.MinInvited {
			q = fmt.Sprintf("Only %s eligible (fewer than %d)%s. Issue %s anyway? Edit it (%s) to widen.", map[bool]string{true: "1 establishment is", false: plural(n, "establishment") + " are"}[n == 1], engine.MinInvited, out, p.id, p.keys.Edit.Help().Key)
		}
		if len(p.r.Needs) == 0 {
			// By the rules (evaluation.md §5) every bid then has the needs
			// points in full: say so before it is frozen.
			q += " It lists none of the child's needs: every bid will score the needs points in full."
		}
		p.ask(q, func() tea.Cmd {
			return write(func() error { _, err := s.Issue(p.id); return err }, fmt.Sprintf("Issued %s: invitations frozen; %s enters a bid", p.id, p.keys.Bid.Help().Key))
		})
	case key.Matches(msg, k.Bid):
		p.ctx.open(newBidForm(p.ctx, p.r))
		return nil
	case key.Matches(msg, k.Close):
		q := fmt.Sprintf("Close %s to bids with %s? No bid can be entered after.", p.id, plural(len(p.bids), "bid"))
		if left := p.r.Deadline.Sub(p.ctx.Now()); !p.r.Deadline.IsZero() && left > 0 {
			// Closing early is a decision: say what it cuts short.
			days := int(left.Hours() / 24)
			when := plural(days, "day")
			if days == 0 {
				when = "less than a day"
			}
			var silent []string
			for _, id := range p.r.Invited {
				if !slices.ContainsFunc(p.bids, func(b store.Bid) bool { return b.Establishment == id }) {
					silent = append(silent, id)
				}
			}
			who := ""
			if len(silent) > 0 && len(silent) <= 3 {
				var names []string
				for _, id := range silent {
					if e, err := s.Establishment(id); err == nil {
						names = append(names, e.Name)
					}
				}
				who = " (" + strings.Join(names, ", ") + ")"
			}
			q = fmt.Sprintf("Close %s early? %d of %d invited have not bid%s and %s remain before the deadline; no bid can be entered after.",
				p.id, len(silent), len(p.r.Invited), who, when)
		}
		p.ask(q, func() tea.Cmd {
			return write(func() error { return s.CloseBids(p.id) }, "Bids closed: "+p.keys.Evaluate.Help().Key+" evaluates")
		})
	case key.Matches(msg, k.Evaluate):
		res, err := s.Evaluate(p.id)
		if err != nil {
			return refused(err)
		}
		p.ctx.open(newRanked(p.ctx, p.id))
		return tea.Batch(changed, status("Evaluated: %s", outcomeWords(res, p.name)))
	case key.Matches(msg, k.Ranked):
		p.ctx.open(newRanked(p.ctx, p.id))
		return nil
	case key.Matches(msg, k.Meeting):
		if _, ok, _ := s.Profile(s.Actor()); !ok && s.CanWrite() == nil {
			// Asked here, before the screen is turned to the family.
			p.confirm = &confirmation{question: fmt.Sprintf("Your contact for families is not set (Setup, %s: %s): their summary will name the team, not you. Open meeting mode anyway?", p.ctx.Global.Setup.Help().Key, keymap.NewSetup().Profile.Help().Key),
				yes: func() tea.Cmd { p.ctx.open(newMeeting(p.ctx, p.id)); return nil }}
			return nil
		}
		p.ctx.open(newMeeting(p.ctx, p.id))
		return nil
	case key.Matches(msg, k.Award):
		p.ctx.open(newAwardForm(p.ctx, p.r, p.names, store.RouteCompetition))
		return nil
	case key.Matches(msg, k.Direct):
		p.ctx.open(newAwardForm(p.ctx, p.r, p.names, store.RouteDirect))
		return nil
	case key.Matches(msg, k.Block):
		p.ctx.open(newAwardForm(p.ctx, p.r, p.names, store.RouteBlock))
		return nil
	case key.Matches(msg, k.Reissue):
		wider := p.r
		wider.RadiusMiles += engine.WideningStepMiles
		invited, left, err := s.Invitations(wider, p.ctx.Now())
		if err != nil {
			return failure(err)
		}
		out := leftOutNamed(s, left)
		p.confirm = &confirmation{question: fmt.Sprintf("Widen %s by %d miles (to %g) and issue it again to the %s eligible then%s?",
			p.id, engine.WideningStepMiles, wider.RadiusMiles, plural(len(invited), "establishment"), out), yes: func() tea.Cmd {
			// A new round needs a new deadline: 14 days on, at noon, unless
			// the officer types another.
			def := p.ctx.Now().AddDate(0, 0, 14).Local().Format("02/01/2006") + " 12:00"
			var ask func(value string)
			ask = func(value string) {
				p.prompt = newPrompt("New bid deadline (e.g. 22/11/2026 17:00)", value, def, func(v string) tea.Cmd {
					d, err := parseDeadline(v)
					if err == nil && d.IsZero() {
						err = errors.New("give the new bid deadline")
					}
					if err == nil {
						_, err = s.Reissue(p.id, d)
					}
					if err != nil {
						ask(v)
						return refused(err)
					}
					return tea.Batch(changed, status("Widened to %g miles and re-issued to %d; bids by %s", wider.RadiusMiles, len(invited), d.Local().Format(dateTime)))
				})
				p.prompt.whole().initial = "" // the first key typed replaces the date offered
			}
			ask(def)
			return nil
		}}
	case key.Matches(msg, k.Export):
		return p.exportScenario()
	case key.Matches(msg, k.Import):
		p.askImport()
	case key.Matches(msg, k.Summaries):
		return p.writeSummaries()
	case key.Matches(msg, k.Withdraw):
		p.prompt = newPrompt("Withdraw "+p.id+": reason", "", "why, for the audit trail", func(v string) tea.Cmd {
			return write(func() error { return s.Withdraw(p.id, v) }, "Withdrawn "+p.id)
		})
	}
	return nil
}
