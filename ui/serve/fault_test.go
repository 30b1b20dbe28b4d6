package serve

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"dpsdesk/store"

	gossh "golang.org/x/crypto/ssh"
)

// buildBinary builds dpsdesk for the tests that run it as people do.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dpsdesk")
	if out, err := exec.Command("go", "build", "-o", bin, "dpsdesk").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freeAddr is a loopback address nobody is listening on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serveBinary starts `dpsdesk serve` on a new demo store.
func serveBinary(t *testing.T, bin, dir string, extra []string, people ...person) (*exec.Cmd, string) {
	t.Helper()
	db := filepath.Join(dir, "dpsdesk.db")
	if _, err := os.Stat(db); err != nil {
		if out, err := exec.Command(bin, "init", "--demo", "--db", db, "--as", "fault.seed").CombinedOutput(); err != nil {
			t.Fatalf("init: %v\n%s", err, out)
		}
	}
	var lines []string
	for _, p := range people {
		lines = append(lines, p.line())
	}
	users := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(users, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, append([]string{"serve", "--db", db, "--users", users, "--listen", addr, "--grace", "2s"}, extra...)...)
	log, _ := os.Create(filepath.Join(dir, "serve.log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); log.Close() })
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if i > 100 {
			out, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
			t.Fatalf("the server did not start: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cmd, addr
}

func connect(t *testing.T, addr string, p person) *terminal {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: p.name, Auth: []gossh.AuthMethod{gossh.PublicKeys(p.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	term, err := startTerminal(t, c)
	if err != nil {
		t.Fatal(err)
	}
	return term
}

// TestKillingTheServerMidWriteLosesNothingCommitted kills `dpsdesk serve`
// (SIGKILL: no clean shutdown) while two officers are recording checks as
// fast as they can type, then checks the store: consistent, its audit
// chain whole, and each establishment's checks exactly as its last audit
// entry says.
func TestKillingTheServerMidWriteLosesNothingCommitted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	alice, erin := newPerson(t, "alice", "officer", "WSCC"), newPerson(t, "erin", "officer", "ESCC")
	cmd, addr := serveBinary(t, bin, dir, nil, alice, erin)

	var terms []*terminal
	for i, p := range []person{alice, erin} {
		term := connect(t, addr, p)
		term.waitFor(0, "establishments")
		m := term.mark()
		term.keys(strings.Repeat("j", i*3) + "\r") // different establishments
		term.waitFor(m, "Qualification")
		m = term.mark()
		term.keys("c")
		term.waitFor(m, "exclusions")
		terms = append(terms, term)
	}
	stop := make(chan struct{})
	for _, term := range terms {
		go func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := term.in.Write([]byte(" j k")); err != nil {
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	close(stop)

	out, err := exec.Command(bin, "verify", "--db", filepath.Join(dir, "dpsdesk.db")).CombinedOutput()
	if err != nil {
		t.Fatalf("verify after the kill: %v\n%s", err, out)
	}
	s, err := store.Open(filepath.Join(dir, "dpsdesk.db"), store.Options{Actor: "fault.check"})
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer s.Close()
	trail, _ := s.Audit(store.AuditFilter{Action: "qualification.check"})
	if len(trail) < 4 {
		t.Fatalf("only %d checks were recorded before the kill: the test typed too slowly to hit a write", len(trail))
	}
	last := map[string]string{} // establishment.criterion → result
	for _, e := range trail {
		for _, c := range e.Changes {
			if strings.HasSuffix(c.Field, ".result") {
				last[e.Record+"/"+strings.TrimSuffix(c.Field, ".result")] = c.After
			}
		}
	}
	for k, want := range last {
		id, crit, _ := strings.Cut(k, "/")
		e, err := s.Establishment(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range e.Checks {
			if string(c.ID) == crit {
				got := map[bool]string{true: "pass", false: "fail"}[c.Passed]
				if got != want {
					t.Errorf("%s %s is %s in the store, %s by its last audit entry", id, crit, got, want)
				}
			}
		}
	}
	t.Logf("%d checks recorded before the kill; %s", len(trail), strings.TrimSpace(string(out)))
}

// TestSIGTERMStopsCleanly stops `dpsdesk serve` as systemd does: sessions
// are closed, the store is closed (another dpsdesk can open it at once)
// and the exit status is 0.
func TestSIGTERMStopsCleanly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGTERM")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	alice := newPerson(t, "alice", "officer", "WSCC")
	cmd, addr := serveBinary(t, bin, dir, []string{"--backup-dir", filepath.Join(dir, "backups")}, alice)
	term := connect(t, addr, alice)
	term.waitFor(0, "establishments")
	cmd.Process.Signal(syscall.SIGTERM)
	term.waitEnd(5 * time.Second)
	if err := cmd.Wait(); err != nil {
		out, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
		t.Fatalf("exit: %v\n%s", err, out)
	}
	out, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
	for _, want := range []string{"session start: alice (officer, WSCC)", "closing 1 sessions", "session ended: alice", "stopped; the store is closed"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the log does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "EHCP") {
		t.Error("a case reference reached the server log")
	}
	if out, err := exec.Command(bin, "verify", "--db", filepath.Join(dir, "dpsdesk.db")).CombinedOutput(); err != nil {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	copies, _ := filepath.Glob(filepath.Join(dir, "backups", "dpsdesk-*.db"))
	if len(copies) != 1 || !strings.Contains(string(out), "backed up to "+copies[0]) {
		t.Fatalf("backups %v; log:\n%s", copies, out)
	}
	if out, err := exec.Command(bin, "verify", "--db", copies[0]).CombinedOutput(); err != nil {
		t.Fatalf("verify the copy: %v\n%s", err, out)
	}
}
