package ui

import (
	"cmp"
	"runtime/debug"

	"dpsdesk/keymap"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Minimum terminal size: an SSH or Citrix window.
const (
	MinWidth  = 80
	MinHeight = 24
	chrome    = 4 // header 2 lines, footer 2 lines (status, keys), the keys' more lines besides
)

// tab is one of the five screens with the stack of pages opened from it.
type tab struct {
	name  string
	stack []Screen
}

// crash keeps what a panic in the desk was, for the log.
type crash struct {
	value any
	stack []byte
}

// Model is the root of the desk.
type Model struct {
	ctx           *Context
	width, height int
	tabs          []tab
	active        int
	showHelp      bool
	help          pager // the help page's scroll
	confirmQuit   bool
	status        string
	statusErr     bool
	statusLabel   string // "Error: ", or "Notice: " for word from the server
	statusSeq     uint64
	crash         *crash
	// keyExtra is how many lines more than one the key line takes (the
	// screen's own keys never cut): the screens are that much shorter.
	keyExtra int
}

// New builds the desk on a context.
func New(ctx *Context) *Model {
	m := &Model{ctx: ctx, crash: &crash{}}
	m.tabs = []tab{
		{name: "Register", stack: []Screen{newRegister(ctx)}},
		{name: "Review", stack: []Screen{newReview(ctx)}},
		{name: "Referrals", stack: []Screen{newReferrals(ctx)}},
		{name: "Reports", stack: []Screen{newReports(ctx)}},
		{name: "Audit", stack: []Screen{newAudit(ctx)}},
		{name: "Setup", stack: []Screen{newSetup(ctx)}},
		{name: "Placements", stack: []Screen{newPlacements(ctx)}},
	}
	return m
}

// Init starts every tab's first screen.
func (m *Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	for _, t := range m.tabs {
		cmds = append(cmds, t.stack[0].Init())
	}
	cmds = append(cmds, m.ctx.waitChange())
	return tea.Batch(cmds...)
}

func (m *Model) top() Screen {
	t := m.tabs[m.active]
	return t.stack[len(t.stack)-1]
}

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// Update routes messages: sizes and global keys here, the rest to screens;
// then the screens make room for the key lines the screen on top needs.
func (m *Model) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	defer m.catch()
	defer m.fitKeys()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyMsg:
		// Keys typed quickly (or over a slow link) can arrive as one
		// message of several runes; each is its own key press.
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
			}
			return m, tea.Batch(cmds...)
		}
		// ESC ESC is how a terminal sends alt+esc: here it is esc twice.
		if msg.Type == tea.KeyEsc && msg.Alt {
			esc := tea.KeyMsg{Type: tea.KeyEsc}
			return m, tea.Batch(m.key(esc), m.key(esc))
		}
		return m, m.key(msg)
	case closingMsg:
		// The session is being closed from outside (the server stopping,
		// a session left idle): at once if nothing typed would be lost,
		// else the user is told and the server closes it after a while.
		if !m.dirty() {
			return m, tea.Quit
		}
		m.status, m.statusErr, m.statusLabel, m.statusSeq = msg.text, true, "Notice: ", statusSeq.Add(1)
		return m, nil
	case remoteChangeMsg:
		// Someone else changed the store: every screen reloads what it
		// shows (forms keep what is typed), and we wait for the next.
		_, cmd := m.Update(storeChangedMsg{})
		return m, tea.Batch(cmd, m.ctx.waitChange())
	case statusMsg:
		if msg.seq >= m.statusSeq {
			m.status, m.statusErr, m.statusLabel, m.statusSeq = msg.text, msg.err, cmp.Or(msg.label, "Error: "), msg.seq
		}
		return m, nil
	}
	// Everything else (results of work done off the UI goroutine, store
	// changes) goes to every screen; each takes what is its own. A page
	// one asks to open (a form's result to show, say) opens at once.
	var cmds []tea.Cmd
	for i := range m.tabs {
		for j, s := range m.tabs[i].stack {
			next, c := s.Update(msg)
			m.tabs[i].stack[j] = next.(Screen)
			cmds = append(cmds, c)
		}
	}
	cmds = append(cmds, m.navigate())
	return m, tea.Batch(cmds...)
}

// catch records a panic's value and stack for the log, then lets
// bubbletea restore the terminal.
func (m *Model) catch() {
	if r := recover(); r != nil {
		m.crash.value, m.crash.stack = r, debug.Stack()
		panic(r)
	}
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	g := m.ctx.Global
	if m.confirmQuit {
		switch answer := keymap.NewConfirm(); {
		case key.Matches(msg, answer.Yes):
			return tea.Quit
		case key.Matches(msg, answer.No, answer.Cancel):
			m.confirmQuit = false
		}
		return nil
	}
	if m.showHelp {
		// The help scrolls; any other key closes it.
		if !m.help.scroll(keymap.NewScroll(), msg, len(m.helpLines())) {
			m.showHelp = false
		}
		return nil
	}
	if r, ok := m.top().(room); ok && r.Room() {
		// A room has one door, its own: every key is its, and none
		// reaches the tabs, the help or quit.
		if m.tooSmall() {
			return nil
		}
		m.status = ""
		return m.forward(msg)
	}
	if m.tooSmall() {
		if key.Matches(msg, g.Quit, g.ForceQuit) {
			return m.quit()
		}
		return nil
	}
	top := m.top()
	if c, ok := top.(capturer); ok && c.Capturing() {
		if key.Matches(msg, g.FieldHelp) {
			m.openHelp()
			return nil
		}
		return m.forward(msg)
	}
	m.status = ""
	switch {
	case key.Matches(msg, g.Quit, g.ForceQuit):
		return m.quit()
	case key.Matches(msg, g.Help, g.FieldHelp):
		m.openHelp()
		return nil
	case key.Matches(msg, g.Register, g.Review, g.Referrals, g.Report, g.Audit, g.Setup, g.Placements):
		m.active = int(msg.Runes[0] - '1')
		return nil
	case key.Matches(msg, g.Back):
		if b, ok := top.(backer); ok {
			if handled, cmd := b.Back(); handled {
				return cmd
			}
		}
		if t := &m.tabs[m.active]; len(t.stack) > 1 {
			t.stack = t.stack[:len(t.stack)-1]
		}
		return nil
	}
	return m.forward(msg)
}

func (m *Model) forward(msg tea.Msg) tea.Cmd {
	t := &m.tabs[m.active]
	next, cmd := m.top().Update(msg)
	t.stack[len(t.stack)-1] = next.(Screen)
	return tea.Batch(cmd, m.navigate())
}

// navigate opens and closes the pages screens asked for.
func (m *Model) navigate() tea.Cmd {
	var cmds []tea.Cmd
	t := &m.tabs[m.active]
	for _, op := range m.ctx.nav {
		switch {
		case op.open != nil:
			op.open.SetSize(m.innerSize())
			t.stack = append(t.stack, op.open)
			cmds = append(cmds, op.open.Init())
		case len(t.stack) > 1:
			t.stack = t.stack[:len(t.stack)-1]
		}
	}
	if len(m.ctx.nav) > 0 {
		m.status = "" // what was said belongs to the page left; a new message follows
	}
	m.ctx.nav = m.ctx.nav[:0]
	return tea.Batch(cmds...)
}

// quit asks first when a screen holds unsaved changes.
func (m *Model) quit() tea.Cmd {
	if m.dirty() {
		m.confirmQuit = true
		return nil
	}
	return tea.Quit
}

// dirty reports whether any page holds input not yet saved.
func (m *Model) dirty() bool {
	for _, t := range m.tabs {
		for _, s := range t.stack {
			if d, ok := s.(dirtier); ok && d.Dirty() {
				return true
			}
		}
	}
	return false
}

func (m *Model) innerSize() (int, int) {
	return m.width, max(0, m.height-chrome-m.keyExtra)
}

// resize gives every screen the room inside the header and footer.
func (m *Model) resize() {
	for _, t := range m.tabs {
		for _, s := range t.stack {
			s.SetSize(m.innerSize())
		}
	}
}

// fitKeys makes room for the key lines the screen on top needs now: when
// their number changes, every screen is resized (in Update, so View stays
// pure).
func (m *Model) fitKeys() {
	if m.width == 0 {
		return
	}
	if n := len(m.keyLayout()) - 1; n != m.keyExtra {
		m.keyExtra = n
		m.resize()
	}
}
