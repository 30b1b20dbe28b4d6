package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// coming is a screen whose work has not landed yet: it says so plainly.
type coming struct {
	ctx         *Context
	title, text string
	width       int
}

func newComing(ctx *Context, title, text string) *coming {
	return &coming{ctx: ctx, title: title, text: text}
}

func (c *coming) Init() tea.Cmd                       { return nil }
func (c *coming) Update(tea.Msg) (tea.Model, tea.Cmd) { return c, nil }
func (c *coming) SetSize(w, h int)                    { c.width = w }
func (c *coming) Title() string                       { return c.title }
func (c *coming) ShortHelp() []keyBinding             { return nil }
func (c *coming) FullHelp() [][]keyBinding            { return nil }

func (c *coming) View() string {
	lines := []string{"", "  " + c.ctx.Styles.Title.Render(c.title+": coming"), ""}
	for _, l := range wrap(c.text, max(20, c.width-4)) {
		lines = append(lines, "  "+l)
	}
	return strings.Join(lines, "\n")
}
