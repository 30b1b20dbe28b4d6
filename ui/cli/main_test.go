package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// TestMain lets verify's child process (verify --pages-only) be this test
// binary: when verify starts it, it runs Main instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(Main(os.Args[1:], IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// runBinary runs the real dpsdesk, built once without the race detector
// (whose pointer checks abort on bbolt's reads of a corrupt page before a
// fault can become an error): the exit status and output as a person sees
// them, and a signal if it died of one.
func runBinary(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "dpsdesk-cli-test-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "dpsdesk")
		out, err := exec.Command("go", "build", "-o", binPath, "dpsdesk").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("building dpsdesk: %v", binErr)
	}
	cmd := exec.Command(binPath, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
		if code < 0 {
			t.Errorf("%v died of a signal: %v\n%s", args, err, errb.String())
		}
	default:
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}
