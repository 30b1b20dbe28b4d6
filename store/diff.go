package store

import (
	"bytes"
	"encoding/json"
	"slices"
)

// diffRecords lists the fields that differ between two versions of a
// record, by their JSON names, values shown as JSON (strings unquoted).
// When creating, every field that has a value is listed as set.
func diffRecords(before, after any, creating bool) []Change {
	b, a := fields(before), fields(after)
	if creating {
		b = nil
	}
	keys := make([]string, 0, len(a)+len(b))
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
		switch k {
		case "history":
			continue // the status change is the change; history follows it
		case "frozen", "decision":
			continue // kept records: their digest is the audit entry's change
		}
		if !bytes.Equal(b[k], a[k]) {
			out = append(out, Change{Field: k, Before: show(b[k]), After: show(a[k])})
		}
	}
	return out
}

func fields(v any) map[string]json.RawMessage {
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var m map[string]json.RawMessage
	json.Unmarshal(data, &m)
	return m
}

func show(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
