package ui

import (
	"strings"

	"dpsdesk/keymap"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// prompt asks for one line of text inside a screen. enter answers; esc
// cancels, but asks first when something was typed, so a slip of the
// finger never loses it.
type prompt struct {
	keys    keymap.Prompt
	label   string
	input   textinput.Model
	initial string
	discard discard
	answer  func(string) tea.Cmd
	// check, when set, is asked first on enter: a problem keeps the
	// prompt open with what was typed and says what is wrong.
	check func(string) string
	err   string
	// replace: the first character typed replaces the value shown, as
	// the form's typed fields do (a date, a number); an arrow or
	// backspace first keeps it for editing.
	replace, fresh bool
}

func newPrompt(label, value, placeholder string, answer func(string) tea.Cmd) *prompt {
	in := newInput()
	in.Prompt = ""
	in.SetValue(value)
	in.Placeholder = placeholder
	in.CharLimit = 300
	in.Width = 0 // the whole text: view windows it, marking the edges it runs on beyond
	in.Focus()
	return &prompt{keys: keymap.NewPrompt(), label: label, input: in, initial: value, answer: answer}
}

// whole marks the prompt's value as one typed whole (a date, a number),
// as the form block's typed fields: the first character typed replaces
// the value shown; an arrow or backspace first keeps it for editing.
func (p *prompt) whole() *prompt {
	p.replace, p.fresh = true, true
	return p
}

// typed reports whether something was typed that a cancel would lose.
func (p *prompt) typed() bool { return p.input.Value() != p.initial }

// update handles a key; done is true when the prompt is finished.
func (p *prompt) update(msg tea.KeyMsg) (done bool, cmd tea.Cmd) {
	if p.discard.asking {
		return p.discard.key(msg), nil
	}
	switch {
	case key.Matches(msg, p.keys.Save):
		v := strings.TrimSpace(p.input.Value())
		if p.check != nil {
			if p.err = p.check(v); p.err != "" {
				return false, nil
			}
		}
		return true, p.answer(v)
	case key.Matches(msg, p.keys.Cancel):
		if p.typed() {
			p.discard.asking = true
			return false, nil
		}
		return true, nil
	}
	if p.replace && p.fresh && msg.Type == tea.KeyRunes {
		p.input.SetValue("")
	}
	p.fresh = false
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != "" {
		p.err = ""
	}
	return false, cmd
}

// view draws the prompt; drawing changes nothing.
func (p *prompt) view(st Styles, width int) string {
	if p.discard.asking {
		return p.discard.view(st, "what you typed", width)
	}
	keys := hint(p.keys.Save, p.keys.Cancel)
	help := st.Muted.Render("  " + keys)
	if p.err != "" {
		help = question(st, p.err+" ("+keys+")", width)
	}
	label := p.label + ": "
	if lipglossWidth(label) > width-30 { // less than 30 columns left to type in
		// A long question takes its own lines, so what is typed has the
		// whole width and shows.
		var lines []string
		for _, l := range wrap(p.label+":", max(10, width-4)) {
			lines = append(lines, "  "+st.Label.Render(l))
		}
		return strings.Join(lines, "\n") + "\n  " + p.text(max(10, width-6)+1) + "\n" + help
	}
	return "  " + st.Label.Render(label) + p.text(max(10, width-lipglossWidth(label)-8)+1) + "\n" + help
}

// text is what is typed in box cells: the part around the cursor, with
// the ellipsis (ASCII under --ascii) at each edge it runs on beyond.
func (p *prompt) text(box int) string {
	return inputView(p.input, inputFrom(p.input, 0, box), box, "…")
}

func (p *prompt) help() []keyBinding {
	if p.discard.asking {
		return p.discard.help()
	}
	return []keyBinding{p.keys.Save, p.keys.Cancel}
}

// newInput is a text field with a steady cursor: a blinking one repaints
// the screen twice a second, which remote sessions (SSH, Citrix) carry.
func newInput() textinput.Model {
	in := textinput.New()
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}
