package ui

import (
	"fmt"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// notARecommendation is said wherever the settings are listed.
const notARecommendation = "They are numbered only to tell them apart: the order is not a recommendation."

// outcome is what the family decided in a meeting: a setting chosen, or
// more time before choosing.
type outcome struct {
	chosen, kind, reason, start string // a choice
	followUp, wanted            string // more time
}

func (o *outcome) choice() bool { return o != nil && o.chosen != "" }

// meeting is the screen shared with the family in the meeting: the
// shortlisted settings side by side (one at a time on a narrow screen),
// in plain words. Prices and scores are hidden unless the officer shows
// them, after saying yes to a question. It records their choice with their
// reason and the start date, or that they want more time; after either it
// stays on a confirmation the family can read, and writes a summary for
// them to take away.
//
// It is a room with one door: it takes every key (the root gives it them
// all: no tab keys, no global help, no quit), and esc, q or ctrl+c ask
// once before leaving. Leaving draws a curtain first: a neutral screen
// (no price, score or setting) asking the officer to turn the screen back
// before a named key returns to the referral page, which lists every bid.
type meeting struct {
	ctx           *Context
	keys          keymap.Meeting
	id            string
	r             store.Referral
	settings      []setting
	done          *outcome // the choice or more time, once recorded
	err           error
	prices        bool
	help          bool
	at            int   // the setting shown when one at a time
	gone          int   // shortlisted settings that can no longer be offered
	page          pager // offset only: the View works out the height
	width, height int
	// recording is the setting whose choice is being recorded, from the
	// moment its number is typed until it is recorded or let go: the
	// screen shows it alone, whichever was looked at last.
	recording *recorded
	// curtain: the meeting has ended; only Return leaves (to the desk).
	curtain bool
	modal
}

// recorded is the setting the family chose, with its number on screen.
type recorded struct {
	n int
	s setting
}

// sideBySide is the width from which the settings stand side by side.
const sideBySide = 100

func newMeeting(ctx *Context, id string) *meeting {
	m := &meeting{ctx: ctx, keys: keymap.NewMeeting(), id: id}
	m.Update(m.load()()) // the first frame shows it; changes reload through a command
	return m
}

// meetingLoadedMsg is a referral's shortlist as read for the meeting.
type meetingLoadedMsg struct {
	id       string
	r        store.Referral
	settings []setting
	done     *outcome
	gone     int
	err      error
}

// load reads the referral and its shortlist; an awarded referral opens on
// what was decided.
func (m *meeting) load() tea.Cmd {
	s, id := m.ctx.Store, m.id
	return func() tea.Msg {
		msg := meetingLoadedMsg{id: id}
		r, err := s.Referral(id)
		if err != nil {
			msg.err = err
			return msg
		}
		msg.r = r
		switch r.Status {
		case store.RefAwarded:
			if msg.done, msg.err = decided(s, r); msg.err != nil {
				return msg
			}
			_, msg.settings, _ = shortlist(s, id)
		case store.RefParentChoice:
			msg.r, msg.settings, msg.err = shortlist(s, id)
			msg.gone = max(0, len(msg.r.Shortlist)-len(msg.settings))
		default:
			msg.err = fmt.Errorf("this referral is %s now: there is no choice to make here (%s leaves)", strings.ToLower(r.Status.Title()), keymap.NewMeeting().Leave.Help().Key)
		}
		return msg
	}
}

// decided is the family's choice as the award keeps it.
func decided(s *store.Store, r store.Referral) (*outcome, error) {
	a, err := s.AwardOf(r.ID)
	if err != nil {
		return nil, err
	}
	name := a.Establishment
	o := &outcome{kind: engine.SettingKind(r.Category), reason: a.Reason, start: a.Start}
	e, ok := store.Establishment{}, false
	if a.Decision != nil {
		e, ok = a.Decision.Records[a.Establishment] // as it was when they chose
	}
	if !ok {
		e, err = s.Establishment(a.Establishment)
		ok = err == nil
	}
	if ok {
		name = e.Name
		o.kind = capitalise(o.kind) + ", " + engine.PatternTitle(e.Pattern)
	}
	o.chosen = name
	return o, nil
}

func (m *meeting) Title() string    { return "Meeting" }
func (m *meeting) Init() tea.Cmd    { return nil }
func (m *meeting) Capturing() bool  { return true }
func (m *meeting) Room() bool       { return true }
func (m *meeting) SetSize(w, h int) { m.width, m.height = w, h }

// Dirty: a prompt holding typed text is input not yet saved.
func (m *meeting) Dirty() bool {
	return m.prompt != nil && m.prompt.input.Value() != m.prompt.initial
}

// choosing is the meeting before anything is recorded.
func (m *meeting) choosing() bool { return m.err == nil && m.done == nil && len(m.settings) > 0 }

func (m *meeting) enabled() keymap.Meeting {
	k := m.keys
	if m.curtain {
		for _, b := range []*key.Binding{&k.Left, &k.Right, &k.Move, &k.Up, &k.Down, &k.Prices, &k.Choose, &k.Defer, &k.Print, &k.Help, &k.Leave} {
			b.SetEnabled(false)
		}
		return k
	}
	k.Return.SetEnabled(false)
	stacked := m.width < sideBySide
	rw := m.ctx.Store.CanWrite() == nil
	k.Left.SetEnabled(m.choosing() && stacked)
	k.Right.SetEnabled(m.choosing() && stacked)
	k.Choose.SetEnabled(m.choosing() && rw)
	k.Defer.SetEnabled(m.choosing() && rw)
	k.Prices.SetEnabled(m.choosing())
	k.Print.SetEnabled(m.err == nil && (m.done != nil || len(m.settings) > 0))
	return k
}

func (m *meeting) ShortHelp() []keyBinding {
	if m.asking() {
		return m.modal.help()
	}
	if m.help {
		return []keyBinding{bind("any key", "closes this help")}
	}
	if m.curtain {
		return []keyBinding{m.enabled().Return}
	}
	// Short words, so that every key fits one line at 80 columns; ? has
	// them in full.
	k := m.enabled()
	short := func(b key.Binding, keys, desc string) keyBinding {
		s := bind(keys, desc)
		s.SetEnabled(b.Enabled())
		return s
	}
	return []keyBinding{short(k.Left, k.Move.Help().Key, k.Move.Help().Desc), short(k.Choose, "c", "choice"), short(k.Defer, "t", "more time"),
		short(k.Print, k.Print.Help().Key, "summary"), short(k.Prices, k.Prices.Help().Key, "prices"), short(k.Help, k.Help.Help().Key, "keys"), short(k.Leave, k.Leave.Help().Key, "leave")}
}

func (m *meeting) FullHelp() [][]keyBinding {
	k := m.enabled()
	return [][]keyBinding{{k.Left, k.Right, k.Up, k.Down}, {k.Choose, k.Defer, k.Print, k.Prices}, {k.Help, k.Leave, k.Return}}
}

func (m *meeting) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case meetingLoadedMsg:
		if msg.id != m.id {
			return m, nil
		}
		m.r, m.err, m.gone = msg.r, msg.err, msg.gone
		if msg.done != nil {
			m.done = msg.done
		}
		if msg.done == nil || m.settings == nil { // after the choice, what was on the screen stays
			m.settings = msg.settings
		}
		m.at = min(m.at, max(0, len(m.settings)-1))
	case storeChangedMsg:
		return m, m.load()
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *meeting) key(km tea.KeyMsg) tea.Cmd {
	if m.curtain {
		if key.Matches(km, m.keys.Return) {
			m.ctx.close()
			return nil
		}
		return status("The meeting has ended: turn the screen back to you, then %s returns to the desk", m.keys.Return.Help().Key)
	}
	if m.help {
		m.help = false
		return nil
	}
	if handled, cmd := m.handle(km); handled {
		if !m.asking() {
			m.recording = nil // recorded, or let go
		}
		return cmd
	}
	k := m.enabled()
	switch {
	case key.Matches(km, k.Leave):
		m.ask("Leave the family's screen?", func() tea.Cmd {
			// The referral page behind lists every bid and its price:
			// a curtain first, until the screen is turned back.
			m.curtain, m.prices, m.help, m.page.offset = true, false, false, 0
			return nil
		})
	case key.Matches(km, k.Help):
		m.help = true
	case key.Matches(km, k.Left):
		m.at, m.page.offset = max(0, m.at-1), 0
	case key.Matches(km, k.Right):
		m.at, m.page.offset = min(len(m.settings)-1, m.at+1), 0
	case key.Matches(km, k.Up, k.Down):
		top, body, bottom := m.parts()
		m.page.height = m.bodyHeight(top, bottom)
		m.page.scroll(keymap.Scroll{Up: k.Up, Down: k.Down}, km, len(body))
	case key.Matches(km, k.Prices) && m.prices:
		m.prices = false
	case key.Matches(km, k.Prices):
		m.ask("Show prices and scores to everyone who can see this screen?", func() tea.Cmd {
			m.prices = true
			return nil
		})
	case key.Matches(km, k.Print):
		return m.print()
	case key.Matches(km, m.keys.Choose, m.keys.Defer) && m.choosing() && m.ctx.Store.CanWrite() != nil:
		return failure(m.ctx.Store.CanWrite())
	case key.Matches(km, k.Choose):
		m.askChoice()
	case key.Matches(km, k.Defer):
		m.askDefer()
	default:
		return status("On the family's screen only the keys below work (%s lists them; %s leaves)", k.Help.Help().Key, k.Leave.Help().Key)
	}
	return nil
}
