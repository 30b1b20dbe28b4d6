package ui

import (
	"fmt"
	"os"
	"testing"
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

func typeName(v any) string { return fmt.Sprintf("%T", v) }
