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

// checklist is an establishment's qualification record: the eight pass/fail
// criteria with their evidence, the method scores with the live weighted
// score, and the periodic adjustments. Every change is saved at once as one
// audited store change.
type checklist struct {
	ctx           *Context
	keys          keymap.Checklist
	id            string
	e             *store.Establishment
	floors        store.Floors
	err           error
	cursor        int // 0–7 criteria, 8–10 method statements
	width, height int
	modal
}

const checklistRows = 8 + 3

var methodNames = []struct {
	name   string
	weight int
}{{"workforce", engine.WeightWorkforce}, {"outcomes_framework", engine.WeightOutcomesFramework}, {"contract_management", engine.WeightContractManagement}}

type checklistLoadedMsg struct {
	id     string
	e      store.Establishment
	floors store.Floors
	err    error
}

func newChecklist(ctx *Context, id string) *checklist {
	c := &checklist{ctx: ctx, keys: keymap.NewChecklist(), id: id}
	c.Update(c.load()()) // one record: read at once
	return c
}

func (c *checklist) Title() string   { return "Checklist" }
func (c *checklist) Capturing() bool { return c.asking() }
func (c *checklist) SetSize(w, h int) {
	c.width, c.height = w, h
}

func (c *checklist) Init() tea.Cmd { return nil }

func (c *checklist) load() tea.Cmd {
	s, id := c.ctx.Store, c.id
	return func() tea.Msg {
		e, err := s.Establishment(id)
		if err != nil {
			return checklistLoadedMsg{id: id, err: err}
		}
		floors, err := s.Floors()
		return checklistLoadedMsg{id, e, floors, err}
	}
}

func (c *checklist) ShortHelp() []keyBinding {
	if c.asking() {
		return c.modal.help()
	}
	k := c.keys
	onCriterion := c.cursor < 8
	k.Toggle.SetEnabled(onCriterion)
	k.Evidence.SetEnabled(onCriterion)
	k.Expiry.SetEnabled(onCriterion)
	k.Score.SetEnabled(!onCriterion)
	k.Qualify.SetEnabled(c.canQualify())
	return []keyBinding{k.Up, k.Down, k.Toggle, k.Evidence, k.Expiry, k.Score, k.Adjust, k.Qualify}
}

func (c *checklist) FullHelp() [][]keyBinding { return [][]keyBinding{c.ShortHelp()} }

func (c *checklist) canQualify() bool {
	return c.e != nil && (c.e.Status == engine.Applied) && c.standing().Stands()
}

// standing is the establishment's standing today, as the engine decides it.
func (c *checklist) standing() store.Standing {
	return store.StandingOf(c.e, c.ctx.Now(), c.floors)
}

func (c *checklist) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case checklistLoadedMsg:
		if msg.id == c.id {
			c.err = msg.err
			if msg.err == nil {
				c.e, c.floors = &msg.e, msg.floors
			}
		}
	case storeChangedMsg:
		return c, c.load()
	case tea.KeyMsg:
		return c, c.keyOr(msg, c.key)
	}
	return c, nil
}

func (c *checklist) key(msg tea.KeyMsg) tea.Cmd {
	if c.e == nil {
		return nil
	}
	k := c.keys
	readOnly := c.ctx.Store.CanWrite() != nil
	switch {
	case key.Matches(msg, k.Up):
		c.cursor = max(0, c.cursor-1)
	case key.Matches(msg, k.Down):
		c.cursor = min(checklistRows-1, c.cursor+1)
	case readOnly && (key.Matches(msg, k.Toggle, k.Evidence, k.Expiry, k.Score, k.Adjust, k.Qualify)):
		return failure(c.ctx.Store.CanWrite())
	case key.Matches(msg, k.Toggle) && c.cursor < 8:
		chk := c.e.Check(engine.Criteria()[c.cursor].ID)
		chk.Passed = !chk.Passed
		chk.Checked = c.ctx.Today()
		word := map[bool]string{true: "passes", false: "fails"}[chk.Passed]
		return c.record(chk, fmt.Sprintf("%s %s (checked today)", chk.ID, word))
	case key.Matches(msg, k.Evidence) && c.cursor < 8:
		chk := c.e.Check(engine.Criteria()[c.cursor].ID)
		c.prompt = newPrompt("Evidence for "+chk.ID.Words(), chk.Evidence, "what was seen, e.g. certificate no. and insurer", func(v string) tea.Cmd {
			chk.Evidence = v
			return c.record(chk, "Evidence recorded for "+chk.ID.Words())
		})
	case key.Matches(msg, k.Expiry) && c.cursor < 8:
		chk := c.e.Check(engine.Criteria()[c.cursor].ID)
		c.prompt = newPrompt("New expiry of "+chk.ID.Words()+" (e.g. 22 Nov 2027; empty for none)", "", "now "+orNone(engine.ShowDate(chk.Expires)), func(v string) tea.Cmd {
			if msg := checkDate(v); msg != "" {
				return failure(fmt.Errorf("expiry %q: %s; nothing changed", v, msg))
			}
			chk.Expires = v
			return c.record(chk, "Expiry recorded for "+chk.ID.Words())
		})
	case key.Matches(msg, k.Score) && c.cursor >= 8:
		m := methodNames[c.cursor-8]
		cur := c.methodPtr(c.cursor - 8)
		now := "not scored"
		if *cur != nil {
			now = strconv.FormatFloat(**cur, 'f', -1, 64)
		}
		c.prompt = newPrompt(fmt.Sprintf("New %s score (0-100, - for none)", m.name), "", "now "+now, func(v string) tea.Cmd {
			scores := c.e.Methods
			p := c.methodOf(&scores, c.cursor-8)
			switch v {
			case "":
				return status("No score typed; nothing changed")
			case "-":
				*p = nil
			default:
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || f < 0 || f > 100 {
					return failure(fmt.Errorf("%s: %q is not a score from 0 to 100; nothing changed", m.name, v))
				}
				*p = &f
			}
			return write(func() error { return c.ctx.Store.SetMethodScores(c.id, scores) }, "Score recorded for "+m.name)
		})
	case key.Matches(msg, k.Adjust):
		c.prompt = newPrompt("Adjustment: points and reason", "", "e.g. -5 missed two monitoring visits", func(v string) tea.Cmd {
			pts, reason, _ := strings.Cut(v, " ")
			f, err := strconv.ParseFloat(pts, 64)
			if err != nil {
				return failure(fmt.Errorf("start with the points, e.g. +2 or -5, then the reason; nothing changed"))
			}
			return write(func() error { return c.ctx.Store.AddAdjustment(c.id, f, strings.TrimSpace(reason)) }, "Adjustment recorded")
		})
	case key.Matches(msg, k.Qualify):
		if !c.canQualify() {
			if c.e.Status != engine.Applied {
				return failure(fmt.Errorf("%s is %s: only an applicant is qualified here", c.e.Name, c.e.Status))
			}
			return failure(fmt.Errorf("not every criterion passes: %s", c.standing().Text()))
		}
		name := c.e.Name
		c.ask(fmt.Sprintf("Qualify %s? Every criterion passes; it can then be invited to referrals.", name), func() tea.Cmd {
			return write(func() error { return c.ctx.Store.Qualify(c.id) }, "Qualified: "+name+" is on the register and can be invited")
		})
	}
	return nil
}

func joinIDs(ids []engine.CriterionID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}

func (c *checklist) methodPtr(i int) **float64 { return c.methodOf(&c.e.Methods, i) }

func (c *checklist) methodOf(m *store.MethodScores, i int) **float64 {
	return [...]**float64{&m.Workforce, &m.OutcomesFramework, &m.ContractManagement}[i]
}

func (c *checklist) record(chk store.Check, done string) tea.Cmd {
	return write(func() error { return c.ctx.Store.RecordCheck(c.id, chk) }, done)
}
