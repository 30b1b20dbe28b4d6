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
	var b []byte
	if !creating {
		b, _ = json.Marshal(before)
	}
	a, _ := json.Marshal(after)
	return diffJSON(b, a)
}

// diffJSON is diffRecords over the records' encodings (json.Marshal's),
// as a transaction has them already for writing: before is nil when the
// record is new. Fields are compared as the bytes they are written as,
// without decoding either record.
func diffJSON(before, after []byte) []Change {
	var buf [2][32]jsonField
	b, a := objectFields(before, buf[0][:0]), objectFields(after, buf[1][:0])
	out := make([]Change, 0, len(a))
	for _, f := range a {
		if skipInDiff(f.key) {
			continue
		}
		old := fieldValue(b, f.key)
		if !bytes.Equal(old, f.val) {
			out = append(out, Change{Field: string(f.key), Before: show(old), After: show(f.val)})
		}
	}
	for _, f := range b {
		if !skipInDiff(f.key) && fieldValue(a, f.key) == nil {
			out = append(out, Change{Field: string(f.key), Before: show(f.val)})
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortFunc(out, func(x, y Change) int { return cmpString(x.Field, y.Field) })
	return out
}

func cmpString(x, y string) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func skipInDiff(key []byte) bool {
	switch string(key) {
	case "history": // the status change is the change; history follows it
		return true
	case "frozen", "decision": // kept records: their digest is the audit entry's change
		return true
	}
	return false
}

func fieldValue(fs []jsonField, key []byte) []byte {
	for _, f := range fs {
		if bytes.Equal(f.key, key) {
			return f.val
		}
	}
	return nil
}

// jsonField is one top-level field of an encoded object: its key (as
// written, without quotes) and its value's bytes.
type jsonField struct{ key, val []byte }

// objectFields splits an object as json.Marshal writes it (compact, keys
// from struct tags) into its top-level fields, appended to out. Anything
// else is decoded the slow way.
func objectFields(data []byte, out []jsonField) []jsonField {
	if len(data) == 0 {
		return out
	}
	fs, ok := scanObject(data, out)
	if ok {
		return fs
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return out
	}
	for k, v := range m {
		out = append(out, jsonField{[]byte(k), v})
	}
	return out
}

func scanObject(data []byte, out []jsonField) ([]jsonField, bool) {
	n := len(data)
	if n < 2 || data[0] != '{' || data[n-1] != '}' {
		return nil, false
	}
	i := 1
	for i < n-1 {
		if data[i] != '"' {
			return nil, false
		}
		j := i + 1
		for j < n && data[j] != '"' {
			if data[j] == '\\' {
				return nil, false // a key with an escape: not one of ours
			}
			j++
		}
		if j+1 >= n || data[j+1] != ':' {
			return nil, false
		}
		end, ok := skipJSONValue(data, j+2)
		if !ok {
			return nil, false
		}
		out = append(out, jsonField{data[i+1 : j], data[j+2 : end]})
		i = end
		switch {
		case i == n-1:
		case data[i] == ',':
			i++
		default:
			return nil, false
		}
	}
	return out, true
}

// skipJSONValue returns where the value starting at i ends: at the comma
// or closing brace after it.
func skipJSONValue(data []byte, i int) (int, bool) {
	depth, start := 0, i
	for i < len(data) {
		switch data[i] {
		case '"':
			i++
			for i < len(data) && data[i] != '"' {
				if data[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(data) {
				return 0, false
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, i > start
			}
			depth--
		case ',':
			if depth == 0 {
				return i, i > start
			}
		}
		i++
	}
	return 0, false
}

// show is a field's value as the audit trail records it: a string
// without its quotes, anything else as written; "" when absent.
func show(raw []byte) string {
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] != '"':
		return string(raw)
	case bytes.IndexByte(raw, '\\') < 0:
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
