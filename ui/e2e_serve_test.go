package ui_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"

	gossh "golang.org/x/crypto/ssh"
)

// sshKey writes a new private key for the OpenSSH client and returns its
// path and the users-file form of its public half.
func sshKey(t *testing.T, dir, name string) (path, public string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, name)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sshPub, _ := gossh.NewPublicKey(pub)
	return path, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(sshPub)))
}

// TestEndToEndServeOverSSH runs `dpsdesk serve` and two people's OpenSSH
// clients in tmux at 80x24, as they would connect from council terminals:
// West Sussex's officer suspends a provider and East Sussex's viewer sees
// it at once, and cannot suspend; the server then stops on SIGTERM.
func TestEndToEndServeOverSSH(t *testing.T) {
	bin := buildDesk(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the OpenSSH client is not installed: .ci/run must install it")
		}
		t.Skip("no ssh client (CI installs openssh-client)")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "dpsdesk.db")
	if out, err := exec.Command(bin, "init", "--demo", "--db", db, "--as", "e2e.seed").CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	// Who must be suspended today, read before the server takes the lock.
	look, err := store.Open(db, store.Options{Actor: "e2e.look", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := look.ReviewQueue(time.Now())
	look.Close()
	var name string
	for _, it := range queue {
		if it.Kind == store.ReviewMustSuspend {
			name = it.Name
			break
		}
	}
	if name == "" {
		t.Skip("nobody to suspend today in the demo")
	}
	aliceKey, alicePub := sshKey(t, dir, "alice")
	vicKey, vicPub := sshKey(t, dir, "vic")
	users := filepath.Join(dir, "users.txt")
	os.WriteFile(users, []byte(alicePub+" alice officer WSCC\n"+vicPub+" vic viewer ESCC\n"), 0o600)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().(*net.TCPAddr)
	l.Close()
	srv := exec.Command(bin, "serve", "--db", db, "--users", users, "--listen", addr.String(), "--grace", "2s")
	logFile, _ := os.Create(filepath.Join(dir, "serve.log"))
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr.String()); err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatal("the server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	ssh := func(user, key string) string {
		return "NO_COLOR=1 ssh -t -o SendEnv=NO_COLOR -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR " +
			"-o IdentitiesOnly=yes -i " + key + " -p " + fmt.Sprint(addr.Port) + " " + user + "@127.0.0.1"
	}

	vic := startDesk(t, ssh("vic", vicKey))
	vic.waitFor("vic (viewer, ESCC)", "establishments")
	vic.keys("/")
	vic.typeText(name)
	vic.keys("Enter")
	vic.waitFor("1 of 300 establishments", "LAPSED") // qualified, its insurance lapsed: out already

	alice := startDesk(t, ssh("alice", aliceKey))
	alice.waitFor("alice (officer, WSCC)", "establishments")
	alice.keys("2")
	alice.waitFor("Must be suspended now", name)
	alice.keys("s")
	alice.waitFor("Suspend " + name + "?")
	alice.keys("y")
	alice.waitFor("Suspended " + name)
	vic.waitFor("SUSPENDED") // no key pressed on vic's side

	vic.keys("2")
	vic.waitFor("SUSPENDED", name) // vic's cursor followed the row alice suspended
	vic.keys("g")                  // back to the top
	vic.waitFor("Must be suspended now")
	vic.keys("s")
	vic.waitFor("vic is a viewer and can change nothing")

	vic.keys("q")
	vic.waitGone()
	srv.Process.Signal(syscall.SIGTERM)
	alice.waitGone()
	if err := srv.Wait(); err != nil {
		out, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
		t.Fatalf("serve exit: %v\n%s", err, out)
	}
	s, err := store.Open(db, store.Options{Actor: "e2e.check"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, _ := s.Register()
	for _, r := range rows {
		if r.Name == name && r.Status != engine.Suspended {
			t.Fatalf("%s is %s", name, r.Status)
		}
	}
	last, _ := s.Audit(store.AuditFilter{Action: "suspension.start", Limit: 1})
	if len(last) != 1 || last[0].Actor != "alice" {
		t.Fatalf("the suspension's audit entry: %+v", last)
	}
	if problems, err := s.Verify(); err != nil || len(problems) > 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}
