package ui

import (
	"errors"
	"fmt"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/keymap"
	"dpsdesk/store"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// offerGIAS lets the new-establishment form offer what the last GIAS
// import said of the URN typed (`dpsdesk import gias` keeps it apart from
// the register): shown under the title as it is typed, and ctrl+g fills
// the fields still empty with it, to be checked before saving. Nothing is
// filled without the key, and nothing typed is overwritten.
func offerGIAS(ctx *Context, f *form) {
	keys := keymap.NewEstablishmentForm()
	cache := map[string]*store.GIASFact{}
	lookup := func(urn string) *store.GIASFact {
		if !engine.ValidURN(urn) {
			return nil
		}
		if fact, ok := cache[urn]; ok {
			return fact
		}
		var found *store.GIASFact
		if fact, ok, err := ctx.Store.GIASFactOf(urn); err == nil && ok {
			found = &fact
		}
		cache[urn] = found
		return found
	}
	f.live = func(v map[string]string) []string {
		fact := lookup(v["urn"])
		if fact == nil {
			return nil
		}
		el, w := ctx.Glyphs.Ellipsis, max(20, f.width-4)
		words := []string{fact.Name, strings.TrimSpace(fact.Postcode + " " + fact.Town), fact.Type}
		for _, x := range []string{fact.Proprietor, fact.Inspection, strings.ToLower(fact.Status)} {
			if x != "" {
				words = append(words, x)
			}
		}
		return []string{
			fitLine(ctx.Styles.Muted.Render(fmt.Sprintf("%s fills the empty fields from %s, URN %s:", keys.FillGIAS.Help().Key, fact.Source, fact.URN)), w, el),
			fitLine(ctx.Styles.Muted.Render(strings.Join(words, " · ")), w, el),
		}
	}
	f.extraKeys = []keyBinding{keys.FillGIAS}
	f.extra = func(km tea.KeyMsg) (bool, tea.Cmd) {
		if !key.Matches(km, keys.FillGIAS) {
			return false, nil
		}
		fact := lookup(f.values()["urn"])
		if fact == nil {
			return true, failure(errors.New("the last GIAS import holds nothing for this URN (type the DfE's six digits; `dpsdesk import gias --apply` keeps the SEN-relevant establishments)"))
		}
		fill := map[string]string{"name": fact.Name, "provider": fact.Proprietor, "postcode": fact.Postcode, "town": fact.Town}
		if j := fact.Judgement; j != nil {
			fill["inspection_framework"], fill["inspection_grade"], fill["inspection_date"] = string(j.Framework), j.Grade, j.Date
		}
		n := 0
		for _, fl := range f.fields {
			if v := fill[fl.key]; v != "" && strings.TrimSpace(fl.input.Value()) == "" {
				fl.input.SetValue(v)
				if fl.check != nil {
					fl.err = fl.check(v)
				}
				n++
			}
		}
		return true, status("Filled %d empty fields from %s: check them before saving", n, fact.Source)
	}
}
