package ui

import (
	"os"
	"testing"
	"time"

	"dpsdesk/store"
)

func osMkdirTemp() (string, error) { return os.MkdirTemp("", "dpsdesk-ui") }

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func reopen(t testing.TB, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path, store.Options{Actor: "officer.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
