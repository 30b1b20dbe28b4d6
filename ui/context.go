// Package ui is the desk: a bubbletea program with one root model that owns
// the terminal size, the header, the footer and the help, and screens that
// share one contract (Screen). It reads and changes the store only through
// store's methods; the rules it shows come from engine.
package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"dpsdesk/keymap"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

// Context is what every screen shares: the store, the clock, the look.
type Context struct {
	Store  *store.Store
	Now    func() time.Time
	Styles Styles
	Glyphs Glyphs
	Global keymap.Global
	// ASCII: the terminal shows 7-bit ASCII only (--ascii).
	ASCII bool

	// changes wakes the desk when another session changes the store.
	changes <-chan struct{}
	// filesDir is where files the desk writes go; fetch says how a remote
	// person copies one home (nil on this machine's own terminal).
	filesDir string
	fetch    func(rel string) string

	// nav holds the pages a screen opened or closed while handling a key;
	// the root applies them before the next key, so a key typed straight
	// after enter reaches the page enter opened.
	nav []navOp
}

type navOp struct {
	open Screen // nil: close the current page
}

// open asks the root to open a page on top of the current one; the root
// opens it, and starts it, before the next key.
func (c *Context) open(s Screen) {
	c.nav = append(c.nav, navOp{open: s})
}

// close asks the root to close the current page.
func (c *Context) close() {
	c.nav = append(c.nav, navOp{})
}

// Authorities are the partner authorities whose referrals this person
// works: all of them, or their own.
func (c *Context) Authorities() []store.Authority {
	all, _ := c.Store.Authorities()
	if own := c.Store.Principal().Authority; own != "" {
		return slices.DeleteFunc(all, func(a store.Authority) bool { return a.Code != own })
	}
	return all
}

// filesIn is the folder for one kind of file the desk writes, made 0700.
func (c *Context) filesIn(kind string) (string, error) {
	dir := filepath.Join(c.filesDir, kind)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot make %s: %w", dir, err)
	}
	return dir, nil
}

// wrote names files the desk has written as the person can reach them:
// the paths here, or over SSH the names to fetch (the Setup tab says how,
// and lists the newest).
func (c *Context) wrote(paths ...string) string {
	if c.fetch == nil {
		return strings.Join(paths, " and ")
	}
	rel := make([]string, len(paths))
	for i, p := range paths {
		if r, err := filepath.Rel(c.filesDir, p); err == nil {
			rel[i] = filepath.ToSlash(r)
		}
	}
	// One name in several forms (the summary's .txt and .html) is said once.
	stem := strings.TrimSuffix(rel[0], filepath.Ext(rel[0]))
	exts := make([]string, len(rel))
	for i, r := range rel {
		exts[i] = filepath.Ext(r)
		if strings.TrimSuffix(r, exts[i]) != stem {
			return strings.Join(rel, ", ")
		}
	}
	if len(rel) > 1 {
		return stem + " (" + strings.Join(exts, ", ") + ")"
	}
	return rel[0]
}

// remoteChangeMsg says someone else changed the store.
type remoteChangeMsg struct{}

// waitChange waits for another session's change.
func (c *Context) waitChange() tea.Cmd {
	if c.changes == nil {
		return nil
	}
	return func() tea.Msg {
		if _, ok := <-c.changes; !ok {
			return nil
		}
		return remoteChangeMsg{}
	}
}

// Today is the date the desk works to.
func (c *Context) Today() string { return c.Now().Format(time.DateOnly) }

// Screen is the contract every screen keeps (see style.md): a bubbletea
// model, its key map for help, and its size, set by the root.
type Screen interface {
	tea.Model
	ShortHelp() []keyBinding
	FullHelp() [][]keyBinding
	SetSize(width, height int)
	Title() string
}

// room is a screen shared with someone who must see nothing else (meeting
// mode, shown to a family): it gets every key, help and quit included, and
// the header shows neither the tabs nor who is working.
type room interface{ Room() bool }

// capturer is a screen that wants every key (a text field has focus or a
// question is asked): global keys do not apply.
type capturer interface{ Capturing() bool }

// backer is a screen that handles esc itself (clearing a filter, asking
// before discarding); it returns false to let the root go back.
type backer interface {
	Back() (handled bool, cmd tea.Cmd)
}

// helpNoter is a screen whose help says more than its keys: what its
// columns mean (the ranked view).
type helpNoter interface{ HelpNotes() []string }

// dirtier is a screen holding changes that are not saved.
type dirtier interface{ Dirty() bool }
