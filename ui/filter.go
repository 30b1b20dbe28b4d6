package ui

import (
	"strings"
	"unicode/utf8"

	"dpsdesk/store"

	"github.com/sahilm/fuzzy"
)

// registerIndex is the register as the filter sees it, built once per
// load: each establishment's search target is its name, provider, id, URN
// and postcode, normalised to lower case.
type registerIndex struct {
	rows      []store.RegisterRow
	targets   []string
	nameRunes []int // how many runes of the target are the name
}

func newRegisterIndex(rows []store.RegisterRow) *registerIndex {
	x := &registerIndex{rows: rows, targets: make([]string, len(rows)), nameRunes: make([]int, len(rows))}
	for i, r := range rows {
		name := strings.ToLower(r.Name)
		x.targets[i] = name + " " + strings.ToLower(r.Provider) + " " + strings.ToLower(r.ID) + " " +
			strings.ToLower(r.URN) + " " + strings.ToLower(r.Postcode)
		x.nameRunes[i] = utf8.RuneCountInString(name)
	}
	return x
}

// match is one row the filter kept, with the runes of its name to
// highlight.
type match struct {
	row  int
	name []int
}

type subset struct {
	x      *registerIndex
	within []int
}

func (s subset) String(i int) string { return s.x.targets[s.within[i]] }
func (s subset) Len() int            { return len(s.within) }

// filter returns the rows among within whose target matches the query,
// best match first (sahilm/fuzzy's order; ties keep within's order).
func (x *registerIndex) filter(query string, within []int) []match {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		out := make([]match, len(within))
		for i, r := range within {
			out[i] = match{row: r}
		}
		return out
	}
	found := fuzzy.FindFrom(q, subset{x, within})
	out := make([]match, len(found))
	for i, f := range found {
		row := within[f.Index]
		out[i] = match{row: row, name: nameRunes(x.targets[row], f.MatchedIndexes, x.nameRunes[row])}
	}
	return out
}

// nameRunes turns fuzzy's byte offsets into rune positions within the
// name (the first n runes of the target).
func nameRunes(target string, bytesAt []int, n int) []int {
	var out []int
	r, j := 0, 0
	for i := range target {
		if r >= n || j >= len(bytesAt) {
			break
		}
		if i == bytesAt[j] {
			out = append(out, r)
			j++
		}
		r++
	}
	return out
}
