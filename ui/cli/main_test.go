package cli

import (
	"os"
	"testing"
)

// TestMain lets verify's child process (verify --pages-only) be this test
// binary: when verify starts it, it runs Main instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(Main(os.Args[1:], IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
	}
	os.Exit(m.Run())
}
