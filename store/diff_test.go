package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"dpsdesk/engine"
)

// diffByMaps is how diffRecords worked before it read the encodings
// directly: both records decoded into maps of fields. The audit trail
// must say exactly what it said.
func diffByMaps(before, after any, creating bool) []Change {
	fields := func(v any) map[string]json.RawMessage {
		data, _ := json.Marshal(v)
		var m map[string]json.RawMessage
		json.Unmarshal(data, &m)
		return m
	}
	b, a := fields(before), fields(after)
	if creating {
		b = nil
	}
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []Change
	for _, k := range keys {
		if k == "history" || k == "frozen" || k == "decision" {
			continue
		}
		if !bytes.Equal(b[k], a[k]) {
			var s, t string
			if json.Unmarshal(b[k], &s) != nil {
				s = string(b[k])
			}
			if json.Unmarshal(a[k], &t) != nil {
				t = string(a[k])
			}
			out = append(out, Change{Field: k, Before: s, After: t})
		}
	}
	return out
}

func TestDiffSaysWhatItSaidBefore(t *testing.T) {
	base := sampleEstablishment("E-1")
	edits := []func(e *Establishment){
		func(e *Establishment) {},
		func(e *Establishment) { e.Name = `Oak "Tree" <School> & Co` },
		func(e *Establishment) { e.URN = "" },
		func(e *Establishment) { e.Categories = append(e.Categories, "residential") },
		func(e *Establishment) { e.Status = engine.Suspended; e.Town = "Crawley, West Sussex" },
		func(e *Establishment) { e.CoreCosts = nil; e.Needs = []string{"ASD,\"x\"", "}{]["} },
		func(e *Establishment) { e.Methods.Workforce = nil; e.Adjustments = nil },
		func(e *Establishment) { e.Name = "Café Ünïcode \\ back" },
		func(e *Establishment) { e.History = []StatusChange{{To: engine.Qualified, Reason: "x"}} },
	}
	for i, edit := range edits {
		e := base
		e.Categories = slices.Clone(base.Categories)
		edit(&e)
		for _, creating := range []bool{false, true} {
			got, want := diffRecords(base, e, creating), diffByMaps(base, e, creating)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("edit %d (creating %v):\n got %v\nwant %v", i, creating, got, want)
			}
		}
	}
	// Other records' shapes: a referral and nothing before.
	r := Referral{ID: "REF-1", Authority: "WSCC", Needs: []engine.Need{{ID: "ASD", Mark: 2}}}
	if got, want := diffRecords(nil, r, true), diffByMaps(nil, r, true); !reflect.DeepEqual(got, want) {
		t.Errorf("referral: got %v want %v", got, want)
	}
	if got := fmt.Sprint(diffJSON([]byte(`{"a":1}`), []byte(`{"a":2,"b":"x"}`))); got != "[{a 1 2} {b  x}]" {
		t.Errorf("diffJSON: %s", got)
	}
}
