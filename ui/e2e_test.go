package ui_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

// tmuxDesk is the built dpsdesk running in a tmux session of its own, at
// 80x24, driven as a person would: send-keys to type, capture-pane to read.
type tmuxDesk struct {
	t      *testing.T
	socket string
}

// buildDesk builds the binary once for the end-to-end tests.
func buildDesk(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed: .ci/run must install it")
		}
		t.Skip("tmux is not installed (CI installs it)")
	}
	bin := filepath.Join(t.TempDir(), "dpsdesk")
	if out, err := exec.Command("go", "build", "-o", bin, "dpsdesk").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startDesk(t *testing.T, command string) *tmuxDesk {
	d := &tmuxDesk{t: t, socket: "dpsdesk-e2e-" + filepath.Base(t.TempDir())}
	d.tmux("new-session", "-d", "-s", "desk", "-x", "80", "-y", "24", command)
	t.Cleanup(func() { exec.Command("tmux", "-L", d.socket, "kill-server").Run() })
	return d
}

func (d *tmuxDesk) tmux(args ...string) string {
	d.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", d.socket}, args...)...).CombinedOutput()
	if err != nil {
		d.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (d *tmuxDesk) screen() string { return d.tmux("capture-pane", "-p", "-t", "desk") }

// waitFor waits until the screen shows every want, or fails showing it.
func (d *tmuxDesk) waitFor(want ...string) {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := d.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (d *tmuxDesk) keys(keys ...string) {
	d.tmux(append([]string{"send-keys", "-t", "desk"}, keys...)...)
}
func (d *tmuxDesk) typeText(s string) { d.tmux("send-keys", "-t", "desk", "-l", s) }

// waitGone waits for the desk to exit and its session to close.
func (d *tmuxDesk) waitGone() {
	d.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("tmux", "-L", d.socket, "has-session", "-t", "desk").Run() == nil {
		if time.Now().After(deadline) {
			d.t.Fatalf("the desk did not quit:\n%s", d.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEndToEndSuspendFromTheReviewScreen(t *testing.T) {
	bin := buildDesk(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := exec.Command(bin, "init", "--demo", "--db", db, "--as", "e2e.seed").CombinedOutput(); err != nil {
		t.Fatalf("init --demo: %v\n%s", err, out)
	}
	// The first establishment the review queue says must be suspended.
	s, err := store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	queue, err := s.ReviewQueue(time.Now())
	s.Close()
	if err != nil || len(queue) == 0 || queue[0].Kind != store.ReviewMustSuspend {
		t.Fatalf("the demo has nothing to suspend: %v", err)
	}
	target := queue[0]

	d := startDesk(t, "env NO_COLOR=1 TERM=xterm-256color "+bin+" --db "+db+" --as e2e.officer")
	d.waitFor("[1 Register]", "300 of 300 establishments", "? help")

	// Filter the register and open the establishment.
	d.keys("/")
	d.typeText(strings.ToLower(target.Name))
	d.keys("Enter")
	d.waitFor("/" + strings.ToLower(target.Name))
	d.keys("Enter")
	d.waitFor("Register > "+target.Name, "Qualification", "Must be suspended:")
	d.keys("Escape", "Escape")
	d.waitFor("300 of 300 establishments")

	// Suspend it from the review screen.
	d.keys("2")
	d.waitFor("[2 Review]", "Must be suspended now", target.Name)
	d.keys("s")
	d.waitFor("Suspend " + target.Name + "?")
	d.keys("y")
	d.waitFor("Suspended " + target.Name)
	d.keys("q")
	d.waitGone()

	// The store and its audit trail say so.
	s, err = store.Open(db, store.Options{Actor: "e2e", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e, err := s.Establishment(target.ID)
	if err != nil || e.Status != engine.Suspended {
		t.Fatalf("after the desk: %s is %s, %v", target.Name, e.Status, err)
	}
	sus, _ := s.Suspensions(target.ID)
	if len(sus) != 1 || !sus[0].Open() || sus[0].By != "e2e.officer" || sus[0].Criterion != target.Criterion {
		t.Errorf("suspension %+v", sus)
	}
	entries, _ := s.Audit(store.AuditFilter{Record: target.ID, Action: "suspension.start"})
	if len(entries) != 1 || entries[0].Actor != "e2e.officer" {
		t.Errorf("audit %+v", entries)
	}
	if ps, err := s.Verify(); err != nil || len(ps) != 0 {
		t.Errorf("verify after the desk: %v %v", ps, err)
	}
	if fi, _ := os.Stat(db); fi.Mode().Perm() != 0o600 {
		t.Errorf("store mode %v", fi.Mode().Perm())
	}
}
