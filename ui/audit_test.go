package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"dpsdesk/engine"

	bolt "go.etcd.io/bbolt"
)

func TestAuditScreenBrowsesAndFilters(t *testing.T) {
	s := testStore(t)
	s.Suspend("SC106340", engine.CritInsurance, "insurance expired 2026-11-03")
	d := newDesk(t, s, 120, 40)
	d.keys("5")
	e, _ := s.Establishment("SC106340")
	d.mustSee("[5 Audit]", "Audit chain verified", "officer.test", "Suspended: "+e.Name+" (SC106340)")
	// A name finds the entries of its record, each named in words.
	d.keys("/")
	d.typeText(strings.ToLower(e.Name))
	d.keys("enter")
	d.mustSee("criterion: insurance", "Suspended: "+e.Name+" (SC106340)", "Added to the register: "+e.Name+" (SC106340)", "3 of the newest")
	d.mustNotSee("bid recorded")
	// So does the id, in any case.
	d.keys("esc", "/")
	d.typeText("sc106340")
	d.keys("enter")
	d.mustSee("3 of the newest")
	d.keys("esc")
	d.keys("d")
	d.typeText("1/1/2030")
	d.keys("enter")
	d.mustSee("0 of the newest", "since 1 Jan 2030")
}

// An entry's values are in words: no raw JSON, a location is its postcode,
// and the desk's referral.create lists its fields.
func TestAuditScreenSaysValuesInWords(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 120, 60)
	d.keys("5")
	d.mustSee("Audit chain verified")
	d.keys("/")
	d.typeText("draft made")
	d.keys("enter", "enter")
	d.mustSee("Draft made: referral ", "case reference: ", "home postcode: ", "needs: ")
	d.mustNotSee(`{"`, `"ID"`, "Lat", "home: ")
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

// At 80 columns what happened comes first, so a cut line still says it;
// the entry under the cursor is whole, wrapped, never cut.
func TestAuditScreenSaysTheActionFirstAndTheSelectedEntryWhole(t *testing.T) {
	s := testStore(t)
	e, _ := s.Establishment("SC106340")
	s.Suspend("SC106340", engine.CritInsurance, "insurance certificate expired on 2026-11-03 and the broker has not yet sent the renewal")
	d := newDesk(t, s, 80, 24)
	d.keys("5")
	d.mustSee("Suspended: "+e.Name, "reason: insurance certificate expired on 3 Nov 2026", "sent the renewal")
	d.mustNotSee("2026-11-03")
}

// A date the prompt cannot read keeps the prompt open with what was typed
// and says what is wrong.
func TestAuditSincePromptKeepsABadDate(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 80, 24)
	d.keys("5")
	d.mustSee("Audit chain verified")
	d.keys("d")
	d.typeText("yesterday")
	d.keys("enter")
	d.mustSee("Entries since", "yesterday", `"yesterday" is not a date`)
	d.keys("ctrl+u")
	d.typeText("1/1/2030")
	d.keys("enter")
	d.mustSee("0 of the newest", "since 1 Jan 2030")
	d.mustNotSee("Entries since")
}
