//go:build unix

package serve

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestUsersFileMustBeTheServersOwnAndPrivate tries each thing a users
// file must not be: owned by another account, changeable or readable by
// others, a named pipe, too large. Each reload is refused with a message
// naming the file and what is wrong, quickly, and the users already
// loaded still get in.
func TestUsersFileMustBeTheServersOwnAndPrivate(t *testing.T) {
	people := everyone(t)
	ts := startServer(t, Config{}, people...)
	good, err := os.ReadFile(ts.users)
	if err != nil {
		t.Fatal(err)
	}
	reset := func() {
		os.Remove(ts.users)
		if err := os.WriteFile(ts.users, good, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	stillIn := func(what string) {
		t.Helper()
		c, err := ts.dial("alice", people[0].signer)
		if err != nil {
			t.Fatalf("after %s, alice was shut out: %v", what, err)
		}
		c.Close()
	}
	refused := func(what string, want ...string) {
		t.Helper()
		start := time.Now()
		err := ts.srv.Reload()
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%s: the reload took %s", what, took)
		}
		if err == nil {
			t.Fatalf("%s: the reload was taken", what)
		}
		for _, w := range append(want, ts.users) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", what, err, w)
			}
		}
		stillIn(what)
		reset()
	}

	// Owned by another account (not root, not the server's).
	if os.Geteuid() == 0 {
		os.Chown(ts.users, 65534, -1)
		refused("owned by nobody", "is owned by", "uid 65534", "the account running the server) or root: chown")
	}
	me := serverUID
	serverUID = func() int { return os.Geteuid() + 1 } // the file is not the server's
	if os.Geteuid() != 0 {
		refused("owned by another account", "is owned by", "or root: chown")
	} else {
		if err := ts.srv.Reload(); err != nil { // root's files are taken from root
			t.Errorf("a root-owned file: %v", err)
		}
	}
	serverUID = me

	for _, c := range []struct {
		mode os.FileMode
		want string
	}{
		{0o644, "can be read by every account on this machine (mode 0644): chmod 600"},
		{0o604, "can be read by every account on this machine (mode 0604)"},
		{0o660, "can be changed by others than its owner (mode 0660): chmod 600"},
		{0o602, "can be changed by others than its owner (mode 0602)"},
		{0o700, "is marked executable (mode 0700)"},
	} {
		os.Chmod(ts.users, c.mode)
		refused(c.mode.String(), c.want)
	}
	for _, mode := range []os.FileMode{0o600, 0o400, 0o640, 0o440} {
		os.Chmod(ts.users, mode) // group 0 has a name (root, wheel)
		if err := ts.srv.Reload(); err != nil {
			t.Errorf("mode %04o: %v", mode, err)
		}
	}
	if os.Geteuid() == 0 {
		os.Chown(ts.users, -1, 54321) // a group with no name
		os.Chmod(ts.users, 0o640)
		refused("a nameless group", "can be read by group 54321, which has no name here")
	}
	reset()

	// A named pipe: refused at once, without waiting for a writer.
	os.Remove(ts.users)
	if err := syscall.Mkfifo(ts.users, 0o600); err != nil {
		t.Fatal(err)
	}
	refused("a named pipe", "is not a regular file (a named pipe)")
	os.Remove(ts.users)
	os.Mkdir(ts.users, 0o700)
	refused("a directory", "is not a regular file (a directory)")

	// Too large, and a line too long.
	big := append(append([]byte{}, good...), []byte(strings.Repeat("# padding\n", MaxUsersFile/10+1))...)
	os.WriteFile(ts.users, big, 0o600)
	refused("2 MB", "bytes; at most 1048576 are read")
	os.WriteFile(ts.users, append(append([]byte{}, good...), strings.Repeat("x", 20000)+"\n"...), 0o600)
	if err := ts.srv.Reload(); err == nil || !strings.Contains(err.Error(), "users.txt line 6: is longer than 16384 bytes") {
		t.Errorf("a long line: %v", err)
	}
	stillIn("a long line")
	reset()
	if err := ts.srv.Reload(); err != nil {
		t.Fatalf("the good file again: %v", err)
	}
}

// TestUsersFileReadGivesUp: a read that does not finish (a disk that
// does not answer) does not hold up the reload, nor SIGTERM after it.
func TestUsersFileReadGivesUp(t *testing.T) {
	oldTimeout, oldRead := usersTimeout, readUsers
	defer func() { usersTimeout, readUsers = oldTimeout, oldRead }()
	hung := make(chan struct{})
	defer close(hung)
	usersTimeout = 100 * time.Millisecond
	readUsers = func(string) ([]byte, error) { <-hung; return nil, nil }
	start := time.Now()
	_, err := LoadUsers("/srv/users.txt", []string{"WSCC"})
	if err == nil || !strings.Contains(err.Error(), "users file /srv/users.txt: not read within 100ms") || time.Since(start) > 2*time.Second {
		t.Fatalf("%v after %s", err, time.Since(start))
	}
}

// TestAPipeForUsersFileDoesNotHoldUpSignals: `dpsdesk serve` whose users
// file is swapped for a named pipe refuses it on SIGHUP (the old list
// stays) and still stops on SIGTERM.
func TestAPipeForUsersFileDoesNotHoldUpSignals(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	alice := newPerson(t, "alice", "officer", "WSCC")
	cmd, addr := serveBinary(t, bin, dir, nil, alice)
	users := dir + "/users.txt"
	os.Remove(users)
	if err := syscall.Mkfifo(users, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	logged := func(want string) bool {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			out, _ := os.ReadFile(dir + "/serve.log")
			if strings.Contains(string(out), want) {
				return true
			}
			time.Sleep(50 * time.Millisecond)
		}
		return false
	}
	if !logged("users file not reloaded, the old one stays: users file " + users + " is not a regular file (a named pipe)") {
		out, _ := os.ReadFile(dir + "/serve.log")
		t.Fatalf("log:\n%s", out)
	}
	term := connect(t, addr, alice) // the old list still lets her in
	term.waitFor(0, "establishments")
	cmd.Process.Signal(syscall.SIGTERM)
	term.waitEnd(5 * time.Second)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not stop the server")
	}
}
