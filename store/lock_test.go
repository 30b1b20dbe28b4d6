package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// While a desk has the store open for changes, another dpsdesk is told
// which process holds it and what it can do; a read-only open cannot get
// past bbolt's lock either, so nothing advises it.
func TestTheLockSaysWhoHoldsTheStoreAndNothingThatCannotWork(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dpsdesk.db")
	s := openTest(t, path)
	fi, err := os.Stat(PidPathFor(path))
	if err != nil {
		t.Fatalf("no pid file beside the open store: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("pid file mode %v, want 0600", fi.Mode().Perm())
	}
	want := fmt.Sprintf("dpsdesk.db is open for changes in another dpsdesk (process %d): close it there, or work from that desk", os.Getpid())
	for _, ro := range []bool{false, true} {
		_, err := Open(path, Options{Actor: "b", ReadOnly: ro, LockTimeout: 100 * time.Millisecond})
		if !errors.Is(err, ErrLocked) || err.Error() != want {
			t.Errorf("read-only %v:\n got %v\nwant %s", ro, err, want)
		}
		if err != nil && (strings.Contains(err.Error(), "timeout") || strings.Contains(err.Error(), "--read-only")) {
			t.Errorf("the message has a timeout tail or impossible advice: %v", err)
		}
	}
	s.Close()
	if _, err := os.Stat(PidPathFor(path)); !os.IsNotExist(err) {
		t.Errorf("pid file left after close: %v", err)
	}
	// A read-only desk writes no pid file; a dpsdesk that wants to change
	// is told the holder only looks.
	r, err := Open(path, Options{Actor: "a", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := os.Stat(PidPathFor(path)); !os.IsNotExist(err) {
		t.Errorf("a read-only open wrote a pid file: %v", err)
	}
	_, err = Open(path, Options{Actor: "b", LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || err.Error() != "dpsdesk.db is open in another dpsdesk that only looks (--read-only): close it there, then try again" {
		t.Errorf("behind a read-only desk: %v", err)
	}
	// Two that only look can share it.
	r2, err := Open(path, Options{Actor: "c", ReadOnly: true})
	if err != nil {
		t.Errorf("a second read-only open: %v", err)
	} else {
		r2.Close()
	}
}
