package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// prompt asks for one line of text inside a screen. enter answers; esc
// cancels, but asks first when something was typed, so a slip of the
// finger never loses it.
type prompt struct {
	label   string
	input   textinput.Model
	initial string
	asking  bool
	answer  func(string) tea.Cmd
	// check, when set, is asked first on enter: a problem keeps the
	// prompt open with what was typed and says what is wrong.
	check func(string) string
	err   string
}

func newPrompt(label, value, placeholder string, answer func(string) tea.Cmd) *prompt {
	in := newInput()
	in.Prompt = ""
	in.SetValue(value)
	in.Placeholder = placeholder
	in.CharLimit = 300
	in.Width = 50
	in.Focus()
	return &prompt{label: label, input: in, initial: value, answer: answer}
}

// update handles a key; done is true when the prompt is finished.
func (p *prompt) update(msg tea.KeyMsg) (done bool, cmd tea.Cmd) {
	if p.asking {
		switch msg.String() {
		case "y", "Y":
			return true, nil
		case "n", "N", "esc":
			p.asking = false
		}
		return false, nil
	}
	switch msg.String() {
	case "enter":
		v := strings.TrimSpace(p.input.Value())
		if p.check != nil {
			if p.err = p.check(v); p.err != "" {
				return false, nil
			}
		}
		return true, p.answer(v)
	case "esc", "ctrl+c":
		if p.input.Value() != p.initial {
			p.asking = true
			return false, nil
		}
		return true, nil
	}
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != "" {
		p.err = ""
	}
	return false, cmd
}

func (p *prompt) view(st Styles, width int) string {
	if p.asking {
		return st.Error.Render("  Discard what you typed? (y: discard, n: keep typing)")
	}
	p.input.Width = max(10, width-len(p.label)-8)
	help := st.Muted.Render("  enter saves · esc cancels")
	if p.err != "" {
		help = st.Error.Render("  " + p.err + " (enter saves · esc cancels)")
	}
	return "  " + st.Label.Render(p.label+": ") + p.input.View() + "\n" + help
}

func (p *prompt) help() []keyBinding {
	return []keyBinding{bind("enter", "save"), bind("esc", "cancel")}
}

// newInput is a text field with a steady cursor: a blinking one repaints
// the screen twice a second, which remote sessions (SSH, Citrix) carry.
func newInput() textinput.Model {
	in := textinput.New()
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}
