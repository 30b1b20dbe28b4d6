package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonDifference says, in words, where got (stored bytes) first differs
// from want (what the desk writes for the same value): a field added, a
// key in another case, keys in another order, a key twice, a value
// written another way, or only spacing and escapes.
func jsonDifference(got, want []byte) string {
	g, gerr := jsonEvents(got)
	w, _ := jsonEvents(want)
	if gerr != nil {
		return "it is not one JSON value (" + gerr.Error() + ")"
	}
	known := map[string]map[string]string{} // object path → lower-case key → key
	for _, ev := range w {
		if ev.key {
			if known[ev.path] == nil {
				known[ev.path] = map[string]string{}
			}
			known[ev.path][strings.ToLower(ev.tok)] = ev.tok
		}
	}
	seen := map[string]bool{} // path + key already met in got
	for _, ev := range g {
		if ev.key {
			id := ev.path + "\x00" + strings.ToLower(ev.tok)
			if seen[id] {
				return fmt.Sprintf("the key %q appears twice%s", ev.tok, ev.where())
			}
			seen[id] = true
		}
	}
	for i := range max(len(g), len(w)) {
		if i < len(g) && i < len(w) && g[i] == w[i] {
			continue
		}
		switch {
		case i >= len(g):
			return "it ends early"
		case i >= len(w):
			return "something follows the entry"
		case g[i].key:
			exact, isField := known[g[i].path][strings.ToLower(g[i].tok)]
			switch {
			case !isField:
				return fmt.Sprintf("%q is not one of its fields (a field was added%s)", g[i].tok, g[i].where())
			case exact != g[i].tok:
				return fmt.Sprintf("the key %q is written in another case (dpsdesk writes %q%s)", g[i].tok, exact, g[i].where())
			case w[i].key && !seen[w[i].path+"\x00"+strings.ToLower(w[i].tok)]:
				return fmt.Sprintf("%q is missing%s", w[i].tok, w[i].where())
			case w[i].key:
				return fmt.Sprintf("its keys are in another order (%q before %q%s)", g[i].tok, w[i].tok, g[i].where())
			default:
				return fmt.Sprintf("the key %q is not where dpsdesk writes it%s", g[i].tok, g[i].where())
			}
		case w[i].key:
			return fmt.Sprintf("%q is missing%s", w[i].tok, w[i].where())
		default:
			return fmt.Sprintf("%s is written %s (dpsdesk writes %s)", g[i].name(), shorten(g[i].tok), shorten(w[i].tok))
		}
	}
	return "its spacing or escapes are not what dpsdesk writes"
}

// jsonEvent is one key or value met walking a JSON value, with the path
// of the object or array it is in.
type jsonEvent struct {
	path string
	key  bool
	tok  string
	in   string // the key a value belongs to
}

func (e jsonEvent) where() string {
	if e.path == "" {
		return ""
	}
	return " in " + e.path
}

func (e jsonEvent) name() string {
	switch {
	case e.in != "" && e.path != "":
		return e.path + "." + e.in
	case e.in != "":
		return e.in
	case e.path != "":
		return e.path
	}
	return "the value"
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// jsonEvents lists the keys and values of one JSON value in order. Values
// are their raw tokens (strings with their quotes as decoded and
// re-quoted), delimiters are values too.
func jsonEvents(data []byte) ([]jsonEvent, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	type frame struct {
		path    string
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []frame
	var out []jsonEvent
	path := func() string {
		if len(stack) == 0 {
			return ""
		}
		return stack[len(stack)-1].path
	}
	for {
		t, err := d.Token()
		if err != nil {
			return out, err
		}
		if v, ok := t.(json.Delim); ok && (v == '}' || v == ']') {
			stack = stack[:len(stack)-1]
			out = append(out, jsonEvent{path: path(), tok: v.String()})
		} else if top := len(stack) - 1; top >= 0 && stack[top].object && stack[top].wantKey {
			k, _ := t.(string) // the decoder allows only a string here
			out = append(out, jsonEvent{path: stack[top].path, key: true, tok: k})
			stack[top].key, stack[top].wantKey = k, false
			continue
		} else {
			in, child := "", ""
			if top >= 0 {
				f := &stack[top]
				if f.object {
					in, child = f.key, joinPath(f.path, f.key)
					f.wantKey = true
				} else {
					in = fmt.Sprintf("[%d]", f.index)
					child = f.path + in
					f.index++
				}
			}
			switch v := t.(type) {
			case json.Delim:
				out = append(out, jsonEvent{path: path(), tok: v.String(), in: in})
				stack = append(stack, frame{path: child, object: v == '{', wantKey: v == '{'})
			case string:
				q, _ := json.Marshal(v)
				out = append(out, jsonEvent{path: path(), tok: string(q), in: in})
			default:
				out = append(out, jsonEvent{path: path(), tok: fmt.Sprint(v), in: in})
			}
		}
		if len(stack) == 0 {
			if _, err := d.Token(); err != io.EOF {
				return out, errors.New("more than one value")
			}
			return out, nil
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
