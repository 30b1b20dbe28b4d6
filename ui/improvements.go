package ui

import (
	"fmt"
	"strconv"
	"strings"

	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

type improvementsLoadedMsg struct {
	props []store.ImprovementProposal
	err   error
}

// improvements lists the continuous-improvement proposals due (business
// case 7.12): each establishment's adjustment worked out from its
// placements' review ratings, with the reviews as evidence. c confirms
// one as proposed, e changes its points first; either becomes a periodic
// adjustment whose reason names the reviews.
type improvements struct {
	ctx           *Context
	keys          keymap.Improvements
	props         []store.ImprovementProposal
	err           error
	cursor        int
	modal         modal
	width, height int
}

func newImprovements(ctx *Context) *improvements {
	m := &improvements{ctx: ctx, keys: keymap.NewImprovements()}
	m.Update(m.load()())
	return m
}

func (m *improvements) load() tea.Cmd {
	s, now := m.ctx.Store, m.ctx.Now()
	return func() tea.Msg {
		props, err := s.ImprovementProposals(now)
		return improvementsLoadedMsg{props, err}
	}
}

func (m *improvements) Title() string    { return "Improvement proposals" }
func (m *improvements) Init() tea.Cmd    { return nil }
func (m *improvements) Capturing() bool  { return m.modal.asking() }
func (m *improvements) SetSize(w, h int) { m.width, m.height = w, h }

func (m *improvements) ShortHelp() []keyBinding {
	if m.modal.asking() {
		return m.modal.help()
	}
	k := m.keys
	k.Confirm.SetEnabled(m.ctx.Store.CanWrite() == nil && len(m.props) > 0)
	k.Change.SetEnabled(m.ctx.Store.CanWrite() == nil && len(m.props) > 0)
	return []keyBinding{k.Up, k.Down, k.Confirm, k.Change, m.ctx.Global.Back}
}

func (m *improvements) FullHelp() [][]keyBinding { return [][]keyBinding{m.ShortHelp()} }

func (m *improvements) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case improvementsLoadedMsg:
		m.props, m.err = msg.props, msg.err
		m.cursor = max(0, min(m.cursor, len(m.props)-1))
	case storeChangedMsg:
		return m, m.load()
	case tea.KeyMsg:
		if handled, cmd := m.modal.handle(msg); handled {
			return m, cmd
		}
		if c, ok := moveCursor(m.keys.List, msg, m.cursor, len(m.props), max(1, m.height/4)); ok {
			m.cursor = max(0, min(c, len(m.props)-1))
			return m, nil
		}
		if m.cursor >= len(m.props) || !key.Matches(msg, m.keys.Confirm, m.keys.Change) {
			return m, nil
		}
		if err := m.ctx.Store.CanWrite(); err != nil {
			return m, failure(err)
		}
		pr := m.props[m.cursor]
		if key.Matches(msg, m.keys.Confirm) {
			m.modal.confirm = &confirmation{question: fmt.Sprintf("Adjust %s's score by %+g points, with these %d reviews as the reason?", pr.Name, pr.Points, len(pr.Evidence)),
				yes: func() tea.Cmd {
					return act(func() error { return m.ctx.Store.ConfirmImprovement(pr.Establishment, pr.Points, "") }, fmt.Sprintf("%s adjusted by %+g", pr.Name, pr.Points))
				}}
			return m, nil
		}
		m.modal.prompt = newPrompt(fmt.Sprintf("Points for %s (proposed %+g; 0 for no change)", pr.Name, pr.Points), fmt.Sprint(pr.Points), "", func(s string) tea.Cmd {
			pts, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return failure(fmt.Errorf("%q is not a number of points", s))
			}
			return act(func() error {
				return m.ctx.Store.ConfirmImprovement(pr.Establishment, pts, "changed from the proposal")
			}, fmt.Sprintf("%s adjusted by %+g", pr.Name, pts))
		})
		return m, nil
	}
	return m, nil
}

func (m *improvements) View() string {
	st, el := m.ctx.Styles, m.ctx.Glyphs.Ellipsis
	var l []string
	switch {
	case m.modal.prompt != nil:
		l = append(l, m.modal.prompt.view(st, m.width))
	case m.modal.confirm != nil:
		l = append(l, st.Title.Render("  "+m.modal.confirm.question+" (y/n)"))
	default:
		l = append(l, st.Muted.Render("  Each establishment's method-statement score moves half way to how its placements' reviews rate its delivery (at most 10 points a period)."))
	}
	switch {
	case m.err != nil:
		l = append(l, "  The proposals could not be worked out: "+m.err.Error())
	case len(m.props) == 0:
		l = append(l, "  No proposal is due: each comes a period after the last, from two reviews or more.")
	}
	for i, pr := range m.props {
		cur := "  "
		if i == m.cursor {
			cur = m.ctx.Glyphs.Cursor + " "
		}
		line := fmt.Sprintf("%s%+g  %s (%s): score %.2f, delivery %.2f over %d reviews since %s", cur, pr.Points, pr.Name, pr.Establishment, pr.Current, pr.Delivery, len(pr.Evidence), pr.Since)
		if i == m.cursor {
			line = st.Selected.Render(fitLine(line, m.width, el))
		}
		l = append(l, line)
		if i == m.cursor {
			for _, r := range pr.Evidence {
				who := r.Placement
				if who == "" {
					who = r.Authority + " placement"
				}
				l = append(l, fmt.Sprintf("      %s %s: workforce %d, outcomes framework %d, contract management %d", r.Date, who,
					r.Ratings.Workforce, r.Ratings.OutcomesFramework, r.Ratings.ContractManagement))
			}
		}
	}
	return strings.Join(l, "\n")
}
