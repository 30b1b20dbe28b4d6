package ui

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"dpsdesk/store"

	"github.com/sahilm/fuzzy"
)

// all is every match of a filter's answer, best first.
func all(f *filtered) []match {
	out := make([]match, f.Len())
	for i := range out {
		out[i] = f.At(i)
	}
	return out
}

func TestFilterMatchesNamesProvidersAndCodes(t *testing.T) {
	rows := []store.RegisterRow{
		{ID: "126143", Name: "Oakmeadow School", Provider: "Weald Learning Trust", Postcode: "RH12 1AB"},
		{ID: "SC057941", Name: "Harbour House", Provider: "Coastline Care", Postcode: "BN3 1AA", URN: "SC057941"},
		{ID: "130000", Name: "Rhodes Hall 12", Provider: "Weald Learning Trust", Postcode: "TN33 0AB"},
		{ID: "140000", Name: "Oak Lodge", Provider: "Coastline Care", Postcode: "ME15 7AA"},
	}
	x := newRegisterIndex(rows)
	within := []int{0, 1, 2, 3}
	names := func(f *filtered) []string {
		var out []string
		for _, m := range all(f) {
			out = append(out, rows[m.row].Name)
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"sc0579", []string{"Harbour House"}},                    // an Ofsted number as typed
		{"rh12", []string{"Oakmeadow School", "Rhodes Hall 12"}}, // the postcode first, then the name
		{"rh121ab", []string{"Oakmeadow School"}},                // a postcode without its space
		{"coastline", []string{"Harbour House", "Oak Lodge"}},    // by provider, register order kept
		{"oak", []string{"Oak Lodge", "Oakmeadow School"}},       // a word start scores higher
		{"zzz", nil},
	} {
		if got := names(x.filter(c.query, within)); !slices.Equal(got, c.want) {
			t.Errorf("%q found %v, want %v", c.query, got, c.want)
		}
	}
	// Highlights fall on the name's own letters.
	m := all(x.filter("hh", within))
	if len(m) == 0 || !slices.Equal(nameRunes(x.names[m[0].row], m[0].at), []int{0, 8}) {
		t.Errorf("highlight of hh in %v", m)
	}
	// Only the rows searched, in their order among equals.
	if got := names(x.filter("coastline", []int{3, 1})); !slices.Equal(got, []string{"Oak Lodge", "Harbour House"}) {
		t.Errorf("coastline within 3, 1 found %v", got)
	}
}

// TestFuzzyScoreIsFuzzys: the desk's scorer gives sahilm/fuzzy's score
// and highlights for every ASCII pattern and name, over random strings
// from a small alphabet (so that repeats, separators and near misses are
// common).
func TestFuzzyScoreIsFuzzys(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 1))
	const alphabet = "aabbcdeo o-_./\\1"
	str := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	for range 30000 {
		s, p := str(rng.IntN(14)), strings.TrimSpace(str(1+rng.IntN(4)))
		if p == "" {
			continue
		}
		var at []int
		got, ok := fuzzyScore(p, s, &at)
		want := fuzzy.Find(p, []string{s})
		if ok != (len(want) == 1) || ok && (got != want[0].Score || !slices.Equal(at, want[0].MatchedIndexes)) {
			t.Fatalf("%q in %q: desk %d %v %v, fuzzy %+v", p, s, got, at, ok, want)
		}
	}
}

// randomRegister is n establishments with names made of a few words
// (some not ASCII), providers and codes, for comparing the desk's filter
// with fuzzy.
func randomRegister(rng *rand.Rand, n int) []store.RegisterRow {
	words := []string{"Oak", "Ash", "Brook", "Vale", "Hill", "School", "House", "St. Ann's", "Down-Lea", "Café", "Ōtaki", "Kelvin", "\u212Aent", "Lodge", "C/O", "12"}
	rows := make([]store.RegisterRow, n)
	for i := range rows {
		var name []string
		for range 1 + rng.IntN(4) {
			name = append(name, words[rng.IntN(len(words))])
		}
		prov := ""
		if rng.IntN(3) > 0 {
			prov = words[rng.IntN(len(words))] + " Care " + fmt.Sprint(rng.IntN(5))
		}
		rows[i] = store.RegisterRow{ID: fmt.Sprintf("E%d", i*7919%100000), Name: strings.Join(name, " "), Provider: prov,
			URN: fmt.Sprint(100000 + rng.IntN(900000)), Postcode: fmt.Sprintf("RH%d %dAB", rng.IntN(20), rng.IntN(10))}
	}
	return rows
}

// plainFilter is the register filter done plainly with fuzzy.Find over
// every name and provider and strings.Index over the codes: each row's
// best score, best first, equal scores in within's order.
func plainFilter(rows []store.RegisterRow, query string, within []int) []match {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		out := make([]match, len(within))
		for i, r := range within {
			out[i] = match{row: r}
		}
		return out
	}
	names, provs := make([]string, len(within)), make([]string, len(within))
	for i, r := range within {
		names[i], provs[i] = strings.ToLower(rows[r].Name), strings.ToLower(rows[r].Provider)
	}
	best := map[int]*match{}
	for _, f := range fuzzy.Find(q, names) {
		best[f.Index] = &match{row: within[f.Index], score: f.Score, at: f.MatchedIndexes}
	}
	for _, f := range fuzzy.Find(q, provs) {
		if m := best[f.Index]; m == nil {
			best[f.Index] = &match{row: within[f.Index], score: f.Score}
		} else {
			m.score = max(m.score, f.Score)
		}
	}
	for i, r := range within {
		pc := strings.ToLower(rows[r].Postcode)
		codes := strings.ToLower(rows[r].ID) + "|" + strings.ToLower(rows[r].URN) + "|" + pc + "|" + strings.ReplaceAll(pc, " ", "")
		if at := strings.Index(codes, q); at >= 0 {
			if m := best[i]; m == nil {
				best[i] = &match{row: r, score: codeBonus - at}
			} else {
				m.score = max(m.score, codeBonus-at)
			}
		}
	}
	var out []match
	for i := range within {
		if m := best[i]; m != nil {
			out = append(out, *m)
		}
	}
	slices.SortStableFunc(out, func(a, b match) int { return cmp.Compare(b.score, a.score) })
	return out
}

// TestFilterIsPlainFuzzy: typing, extending and backspacing random
// queries over a random register in random orders, the desk's filter
// finds exactly what the plain filter finds, in the same order, with the
// same highlights; the optimisations change nothing a person sees.
func TestFilterIsPlainFuzzy(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 2))
	rows := randomRegister(rng, 1200)
	x := newRegisterIndex(rows)
	queries := []string{"oak", "oak sch", "brook", "st. a", "café", "cafe", "kelvin", "k", "vale h", "ōt", "o", "rh1", "rh12", "12", "e1",
		"c/o", "down-l", "ash care", "care 3", "lodge 1", "ab", "e", "s", "  ho", "hous e", "zq", "ann's"}
	for round := range 24 {
		within := rng.Perm(len(rows))[:len(rows)-rng.IntN(len(rows)/2)]
		q := queries[rng.IntN(len(queries))]
		typed := ""
		check := func() {
			t.Helper()
			got, want := all(x.filter(typed, within)), plainFilter(rows, typed, within)
			if len(got) != len(want) {
				t.Fatalf("round %d, %q: desk found %d, plain %d", round, typed, len(got), len(want))
			}
			for i := range got {
				if got[i].row != want[i].row || got[i].score != want[i].score || !slices.Equal(got[i].at, want[i].at) {
					t.Fatalf("round %d, %q, row %d: desk %+v, plain %+v", round, typed, i, got[i], want[i])
				}
			}
		}
		for _, ch := range q {
			typed += string(ch)
			check()
		}
		for range rng.IntN(len(typed) + 1) { // backspaces
			typed = typed[:len(typed)-1]
			check()
		}
	}
}

// TestFilterTopRowsAreFuzzyFinds: on names alone (no provider, codes that
// cannot match), the top rows the desk shows are those of fuzzy.Find over
// the same names, with the same scores; among equal scores the register's
// order decides (fuzzy.Find's own order among equals is arbitrary).
func TestFilterTopRowsAreFuzzyFinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 3))
	rows := randomRegister(rng, 4000)
	for i := range rows {
		rows[i].Provider, rows[i].ID, rows[i].URN, rows[i].Postcode = "", "#", "#", "#"
	}
	x := newRegisterIndex(rows)
	within := rng.Perm(len(rows))
	names := make([]string, len(within))
	for i, r := range within {
		names[i] = strings.ToLower(rows[r].Name)
	}
	for _, q := range []string{"o", "oa", "oak", "oak s", "sch", "h", "ho", "hou", "l", "lo", "lod", "k", "c", "ca", "caf", "café", "s", "st", "st.", "1", "12 h"} {
		found := fuzzy.Find(q, names)
		got := x.filter(q, within)
		if got.Len() != len(found) {
			t.Fatalf("%q: desk %d, fuzzy.Find %d", q, got.Len(), len(found))
		}
		slices.SortFunc(found, func(a, b fuzzy.Match) int {
			return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Index, b.Index))
		})
		for i := range min(len(found), topRows+20) {
			m := got.At(i)
			if m.row != within[found[i].Index] || m.score != found[i].Score || !slices.Equal(m.at, found[i].MatchedIndexes) {
				t.Fatalf("%q, row %d: desk %+v, fuzzy.Find %+v", q, i, m, found[i])
			}
		}
	}
}

// The cursor stays on the establishment looked at when the result
// changes: find gives its place among the matches, beyond the rows put
// in order too, the same place the full order gives it.
func TestFindIsThePlaceInTheOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 4))
	rows := randomRegister(rng, 2000)
	x := newRegisterIndex(rows)
	within := rng.Perm(len(rows))
	f := x.filter("o", within)
	if f.Len() <= topRows {
		t.Fatalf("only %d match", f.Len())
	}
	for _, want := range []int{0, 7, topRows - 1, topRows, f.Len() / 2, f.Len() - 1} {
		x.forget()
		g := x.filter("o", within) // a fresh answer: nothing ordered beyond the top
		if g == f || len(g.top) != topRows {
			t.Fatal("not a fresh answer")
		}
		id := rows[f.At(want).row].ID
		got, ok := g.find(id, true)
		if !ok || rows[f.At(got).row].ID != id {
			t.Errorf("%s at %d: find says %d, %v", id, want, got, ok)
		}
	}
	if _, ok := g0(x, within).find(rows[f.At(f.Len()-1).row].ID, false); ok && f.Len() > topRows {
		t.Error("found beyond the top rows without looking deep")
	}
	if _, ok := f.find("no such id", true); ok {
		t.Error("found an id that is not there")
	}
}

// g0 is a fresh answer to "o".
func g0(x *registerIndex, within []int) *filtered {
	x.forget()
	return x.filter("o", within)
}
