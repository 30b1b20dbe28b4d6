package ui

import (
	"encoding/json"
	"testing"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

func TestAuditScreenBrowsesAndFilters(t *testing.T) {
	s := testStore(t)
	s.Suspend("SC106340", engine.CritInsurance, "insurance expired 2026-11-03")
	d := newDesk(t, s, 120, 40)
	d.keys("5")
	d.mustSee("[5 Audit]", "Audit chain verified", "officer.test", "suspension.start", "SC106340")
	d.keys("/")
	d.typeText("sc106340")
	d.keys("enter")
	d.mustSee("criterion: insurance", "suspension.start", "establishment.create", "3 of the newest")
	d.mustNotSee("bid.record")
	d.keys("esc")
	d.keys("d")
	d.typeText("2030-01-01")
	d.keys("enter")
	d.mustSee("0 of the newest")
}

func TestAuditScreenSaysWhenTheChainIsBroken(t *testing.T) {
	s := testStore(t)
	path := s.Path()
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		k := []byte{0, 0, 0, 0, 0, 0, 0, 20}
		var e map[string]any
		json.Unmarshal(b.Get(k), &e)
		e["actor"] = "someone else"
		data, _ := json.Marshal(e)
		return b.Put(k, data)
	})
	db.Close()
	s2 := reopen(t, path)
	d := newDesk(t, s2, 120, 40)
	d.keys("5")
	d.mustSee("AUDIT CHAIN BROKEN: audit entry 20: its content does not match its hash")
}
