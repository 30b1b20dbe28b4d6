package ui

import (
	"fmt"
	"strconv"
	"strings"

	"dpsdesk/engine"
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
	list          list
	modal         modal
	width, height int
}

func newImprovements(ctx *Context) *improvements {
	keys := keymap.NewImprovements()
	m := &improvements{ctx: ctx, keys: keys, list: newList(keys.List)}
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
func (m *improvements) SetSize(w, h int) { m.width, m.height = w, h; m.list.resize(h / 4) }

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
		m.list.setLen(len(m.props))
	case storeChangedMsg:
		return m, m.load()
	case tea.KeyMsg:
		return m, m.modal.keyOr(msg, m.key)
	}
	return m, nil
}

func (m *improvements) key(msg tea.KeyMsg) tea.Cmd {
	if m.list.move(msg) {
		return nil
	}
	{
		i, ok := m.list.at()
		if !ok || !key.Matches(msg, m.keys.Confirm, m.keys.Change) {
			return nil
		}
		if err := m.ctx.Store.CanWrite(); err != nil {
			return failure(err)
		}
		pr := m.props[i]
		if key.Matches(msg, m.keys.Confirm) {
			m.modal.ask(fmt.Sprintf("Adjust %s's score by %+g points, with these %d reviews as the reason?", pr.Name, pr.Points, len(pr.Evidence)), func() tea.Cmd {
				return write(func() error { return m.ctx.Store.ConfirmImprovement(pr.Establishment, pr.Points, "") }, fmt.Sprintf("%s adjusted by %+g", pr.Name, pr.Points))
			})
			return nil
		}
		m.modal.prompt = newPrompt(fmt.Sprintf("Points for %s (proposed %+g; 0 for no change)", pr.Name, pr.Points), fmt.Sprint(pr.Points), "", func(s string) tea.Cmd {
			pts, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return failure(fmt.Errorf("%q is not a number of points", s))
			}
			return write(func() error {
				return m.ctx.Store.ConfirmImprovement(pr.Establishment, pts, "changed from the proposal")
			}, fmt.Sprintf("%s adjusted by %+g", pr.Name, pts))
		})
		m.modal.prompt.whole() // the proposed points are replaced by the first key typed
		return nil
	}
}

func (m *improvements) View() string {
	st, el := m.ctx.Styles, m.ctx.Glyphs.Ellipsis
	var l []string
	switch {
	case m.modal.asking():
		l = append(l, m.modal.view(st, m.width))
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
		if i == m.list.cursor {
			cur = m.ctx.Glyphs.Cursor + " "
		}
		line := fmt.Sprintf("%s%+g  %s (%s): score %.2f, delivery %.2f over %d reviews since %s", cur, pr.Points, pr.Name, pr.Establishment, pr.Current, pr.Delivery, len(pr.Evidence), engine.ShowDate(pr.Since))
		if i == m.list.cursor {
			line = st.Selected.Render(fitLine(line, m.width, el))
		}
		l = append(l, line)
		if i == m.list.cursor {
			for _, r := range pr.Evidence {
				who := r.Placement
				if who == "" {
					who = r.Authority + " placement"
				}
				l = append(l, fmt.Sprintf("      %s %s: workforce %d, outcomes framework %d, contract management %d", engine.ShowDate(r.Date), who,
					r.Ratings.Workforce, r.Ratings.OutcomesFramework, r.Ratings.ContractManagement))
			}
		}
	}
	return strings.Join(l, "\n")
}
