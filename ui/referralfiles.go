package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"dpsdesk/store"
	"dpsdesk/store/publish"

	tea "github.com/charmbracelet/bubbletea"
)

// The referral page does for a referral what the command line does,
// without leaving the desk: the scenario file out, bids from the
// e-tendering portal's CSV in.

// exportScenario writes the referral's scenario file (scenario.md) among
// the desk's files.
func (p *referralPage) exportScenario() tea.Cmd {
	dir, err := p.ctx.filesIn("scenarios")
	if err != nil {
		return failure(err)
	}
	path := filepath.Join(dir, SafeFileName(p.id)+".json") // scenario.md: one JSON file
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return failure(err)
	}
	if err := p.ctx.Store.ExportScenario(p.id, f); err != nil {
		f.Close()
		os.Remove(path)
		return failure(err)
	}
	if err := f.Close(); err != nil {
		return failure(err)
	}
	return status("Scenario file of %s written: %s (dpsdesk evaluate reads it)", p.id, p.ctx.wrote(path))
}

// askImport asks for the CSV file of bids and imports it: all its rows,
// or, if any is bad, none, with every problem listed on a page.
func (p *referralPage) askImport() {
	where := "a path on this computer"
	if p.ctx.fetch != nil {
		where = "a name among your files, e.g. bids/" + SafeFileName(p.id) + ".csv"
	}
	var ask func(value string)
	ask = func(value string) {
		p.prompt = newPrompt("Bids CSV for "+p.id, value, where, func(name string) tea.Cmd {
			path, err := p.importPath(name)
			if err == nil {
				var n int
				if n, err = p.importBids(path); err == nil {
					return tea.Batch(changed, status("Recorded %s for %s from %s", plural(n, "bid"), p.id, name))
				}
			}
			var ie *store.ImportError
			if errors.As(err, &ie) {
				lines := []string{fmt.Sprintf("No bids were recorded: %s in %s. Correct the file and import it again (%s).", plural(len(ie.Rows), "problem"), name, p.keys.Import.Help().Key), ""}
				for _, r := range ie.Rows {
					lines = append(lines, r.String())
				}
				p.ctx.open(newTextPage("Bids not imported", lines))
				return failure(fmt.Errorf("no bids recorded: %s in %s (listed)", plural(len(ie.Rows), "problem"), name))
			}
			ask(name)
			return refused(err)
		})
		p.prompt.initial = ""
	}
	ask("")
}

// importPath is where a typed name points: here any path; over SSH only
// a file among the person's own files.
func (p *referralPage) importPath(name string) (string, error) {
	if name == "" {
		return "", errors.New("give the CSV file's name")
	}
	if p.ctx.fetch == nil {
		return name, nil
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%q is not among your files: give a name such as bids/%s.csv", name, SafeFileName(p.id))
	}
	return filepath.Join(p.ctx.filesDir, clean), nil
}

func (p *referralPage) importBids(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	return p.ctx.Store.ImportBids(p.id, strings.NewReader(string(data)), false)
}

// writeSummaries writes the assessment summaries of an awarded referral,
// one per bidder, among the desk's files.
func (p *referralPage) writeSummaries() tea.Cmd {
	sums, err := publish.Summaries(p.ctx.Store, p.id)
	if err != nil {
		return failure(err)
	}
	dir, err := p.ctx.filesIn("summaries")
	if err != nil {
		return failure(err)
	}
	paths, err := publish.WriteSummaries(dir, p.id, sums) // .txt and .html, by regime
	if err != nil {
		return failure(err)
	}
	if len(paths) == 0 {
		return status("%s has no bidder to write to", p.id)
	}
	return status("Wrote %s for %s: %s", plural(len(sums), sums[0].Kind), p.id, p.ctx.wrote(paths[0], paths[1]))
}
