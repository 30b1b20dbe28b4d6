package ui

import (
	"slices"
	"testing"

	"dpsdesk/store"
)

func TestFilterMatchesNamesProvidersAndCodes(t *testing.T) {
	rows := []store.RegisterRow{
		{ID: "126143", Name: "Oakmeadow School", Provider: "Weald Learning Trust", Postcode: "RH12 1AB"},
		{ID: "SC057941", Name: "Harbour House", Provider: "Coastline Care", Postcode: "BN3 1AA", URN: "SC057941"},
		{ID: "130000", Name: "Rhodes Hall 12", Provider: "Weald Learning Trust", Postcode: "TN33 0AB"},
		{ID: "140000", Name: "Oak Lodge", Provider: "Coastline Care", Postcode: "ME15 7AA"},
	}
	x := newRegisterIndex(rows)
	all := []int{0, 1, 2, 3}
	names := func(ms []match) []string {
		var out []string
		for _, m := range ms {
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
		if got := names(x.filter(c.query, all)); !slices.Equal(got, c.want) {
			t.Errorf("%q found %v, want %v", c.query, got, c.want)
		}
	}
	// Highlights fall on the name's own letters.
	m := x.filter("hh", all)
	if len(m) == 0 || !slices.Equal(nameRunes(x.names[m[0].row], m[0].at), []int{0, 8}) {
		t.Errorf("highlight of hh in %v", m)
	}
}

func TestSortByScoreIsStable(t *testing.T) {
	ms := []match{{row: 0, score: 1}, {row: 1, score: 5}, {row: 2, score: 1}, {row: 3, score: 5}, {row: 4, score: -3}}
	got := sortByScore(ms)
	var rows []int
	for _, m := range got {
		rows = append(rows, m.row)
	}
	if !slices.Equal(rows, []int{1, 3, 0, 2, 4}) {
		t.Errorf("order %v", rows)
	}
	wide := []match{{row: 0, score: codeBonus}, {row: 1, score: -5}, {row: 2, score: codeBonus}}
	if got := sortByScore(wide); got[0].row != 0 || got[1].row != 2 || got[2].row != 1 {
		t.Errorf("wide range order %v", got)
	}
}
