package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// computeHash is the SHA-256 chain of the entries written before the key
// (schema 3 and earlier), for tests that forge one.
func (e AuditEntry) computeHash() string {
	e.Hash = ""
	data, _ := json.Marshal(e)
	sum := sha256.Sum256(append([]byte(e.Prev), data...))
	return hex.EncodeToString(sum[:])
}

// Bytes that decode to the same entry but are not what the desk wrote.
var oddEntries = []struct {
	name  string
	edit  func([]byte) []byte
	wants string
}{
	{"an added field", func(v []byte) []byte {
		return bytes.Replace(v, []byte(`"actor":`), []byte(`"approved":"by the director","actor":`), 1)
	}, `"approved" is not one of its fields (a field was added)`},
	{"a re-cased key", func(v []byte) []byte {
		return bytes.Replace(v, []byte(`"actor":`), []byte(`"Actor":`), 1)
	}, `the key "Actor" is written in another case (dpsdesk writes "actor")`},
	{"re-ordered keys", func(v []byte) []byte {
		var m struct {
			Seq    json.RawMessage `json:"seq"`
			Time   json.RawMessage `json:"time"`
			Actor  json.RawMessage `json:"actor"`
			Action json.RawMessage `json:"action"`
		}
		json.Unmarshal(v, &m)
		head := `{"seq":` + string(m.Seq) + `,"time":` + string(m.Time) + `,"actor":` + string(m.Actor) + `,"action":` + string(m.Action)
		swapped := `{"seq":` + string(m.Seq) + `,"time":` + string(m.Time) + `,"action":` + string(m.Action) + `,"actor":` + string(m.Actor)
		if !bytes.HasPrefix(v, []byte(head)) {
			panic("unexpected encoding: " + string(v))
		}
		return append([]byte(swapped), v[len(head):]...)
	}, `its keys are in another order ("action" before "actor")`},
	{"a key twice", func(v []byte) []byte {
		return bytes.Replace(v, []byte(`"actor":`), []byte(`"actor":"someone else","actor":`), 1)
	}, `the key "actor" appears twice`},
	{"a space", func(v []byte) []byte {
		return bytes.Replace(v, []byte(`"actor":`), []byte(`"actor": `), 1)
	}, "its spacing or escapes are not what dpsdesk writes"},
}

// Someone holding the key rewrites the last entry with bytes that decode
// to the same entry, seals them and the head again: every other check
// passes, and verify still refuses the entry (with the key and without).
func TestAnEntryNotWrittenAsTheDeskWritesItFailsVerify(t *testing.T) {
	for _, c := range oddEntries {
		t.Run(c.name, func(t *testing.T) {
			path, key := sealedStore(t)
			var seq uint64
			rawUpdate(t, path, func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketAudit)
				seq = lastSeq(tx)
				v := c.edit(bytes.Clone(b.Get(u64(seq))))
				var e AuditEntry
				if err := json.Unmarshal(v, &e); err != nil {
					t.Fatalf("the edited entry does not decode: %v", err)
				}
				at := hashAt(v)
				copy(v[at:], zeroHash)
				sum := hex.EncodeToString(mac(key, []byte("entry"), v))
				copy(v[at:], sum)
				head := append(u64(seq), mustHex(sum)...)
				tx.Bucket(bucketMeta).Put(keyAuditHead, head)
				tx.Bucket(bucketMeta).Put(keyAuditHeadSeal, headSeal(key, head))
				return b.Put(u64(seq), v)
			})
			s, err := Open(path, Options{Actor: "a", ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ps, err := s.Verify()
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[0].Seq != seq || !strings.Contains(ps[0].Message, "its bytes are not what dpsdesk writes for it: "+c.wants) {
				t.Errorf("with the key, verify found %v; want only entry %d: %s", ps, seq, c.wants)
			}
			s.Close()
			os.Rename(KeyPathFor(path), KeyPathFor(path)+".away")
			verifyFinds(t, path, "its bytes are not what dpsdesk writes for it: "+c.wants)
		})
	}
}

// An entry from before the key (the schema-1 fixture's), given an added
// field and its SHA-256 taken again over the new bytes, is refused.
func TestAnOlderEntryNotWrittenAsTheDeskWritesItFailsVerify(t *testing.T) {
	data, err := os.ReadFile("../testdata/store-schema1.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	os.WriteFile(path, data, 0o600)
	s := openTest(t, path)
	if ps, _ := s.Verify(); len(ps) != 0 {
		t.Fatalf("the upgraded fixture does not verify: %v", ps)
	}
	s.Close()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		v := oddEntries[0].edit(bytes.Clone(b.Get(u64(1))))
		var e AuditEntry
		json.Unmarshal(v, &e)
		at := hashAt(v)
		sum, _ := legacySum(e.Prev, v)
		if sum == e.Hash {
			t.Fatal("the added field did not change the hash")
		}
		copy(v[at:], e.Hash) // as it was: the next entry names it
		return b.Put(u64(1), v)
	})
	verifyFinds(t, path, "audit entry 1: its bytes are not what dpsdesk writes for it: "+oddEntries[0].wants,
		"audit entry 1: its content does not match its hash")
}

// The stores the desk writes verify: a new one, the demo, the upgraded
// schema-1 fixture (above); here the demo.
func TestTheDemoStoreVerifies(t *testing.T) {
	s := openTest(t, "")
	if err := s.SeedDemo(2026, testNow, nil); err != nil {
		t.Fatal(err)
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Errorf("the demo store: %v %v", ps, err)
	}
}

func TestJSONDifferenceSaysWhere(t *testing.T) {
	want := []byte(`{"seq":3,"changes":[{"field":"name","after":"Oak"},{"field":"urn"}],"hash":"ab"}`)
	for _, c := range []struct{ got, says string }{
		{`{"seq":3,"changes":[{"field":"name","after":"Oak"},{"Field":"urn"}],"hash":"ab"}`, `the key "Field" is written in another case (dpsdesk writes "field" in changes[1])`},
		{`{"seq":3,"changes":[{"field":"name","after":"Oak","x":1},{"field":"urn"}],"hash":"ab"}`, `"x" is not one of its fields (a field was added in changes[0])`},
		{`{"seq":3,"changes":[{"field":"name","after":"Oak"},{"field":"urn"}],"hash":"ab"}  `, "its spacing or escapes are not what dpsdesk writes"},
		{`{"seq":3,"changes":[{"field":"n\u0061me","after":"Oak"},{"field":"urn"}],"hash":"ab"}`, "its spacing or escapes are not what dpsdesk writes"},
		{`{"seq":3.0,"changes":[{"field":"name","after":"Oak"},{"field":"urn"}],"hash":"ab"}`, "seq is written 3.0 (dpsdesk writes 3)"},
		{`{"seq":3,"hash":"ab"}`, `"changes" is missing`},
	} {
		if got := jsonDifference([]byte(c.got), want); got != c.says {
			t.Errorf("%s:\n got %s\nwant %s", c.got, got, c.says)
		}
	}
}
