package serve

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// silent opens a TCP connection from the loopback address from that
// sends nothing.
func silent(t *testing.T, addr, from string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 2 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Skipf("cannot connect from %s (loopback aliases?): %v", from, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedWithin reads until the server closes c, at most d; what was read
// is the server's greeting, if it sent one.
func closedWithin(c net.Conn, d time.Duration) (string, bool) {
	c.SetReadDeadline(time.Now().Add(d))
	b, err := io.ReadAll(c)
	return string(b), err == nil
}

// TestSilentConnectionsDoNotLockOutListedUsers: 200 connections that
// never log in, from twenty addresses, are held to the limits (ten
// waiting per address, a hundred in all, the oldest closed to make room)
// and closed at the login deadline; meanwhile a listed user gets in
// within 2 s and is served.
func TestSilentConnectionsDoNotLockOutListedUsers(t *testing.T) {
	ts := startServer(t, Config{LoginDeadline: 3 * time.Second}, everyone(t)...)
	// Ten from one address wait; an eleventh is refused at once, without
	// a greeting.
	var conns []net.Conn
	for range MaxWaitingPerAddress {
		conns = append(conns, silent(t, ts.addr, "127.0.2.1"))
	}
	waitWaiting(t, ts, MaxWaitingPerAddress)
	extra := silent(t, ts.addr, "127.0.2.1")
	if got, closed := closedWithin(extra, time.Second); !closed || got != "" {
		t.Fatalf("an 11th connection from one address: closed %v, read %q", closed, got)
	}
	// 190 more from twenty addresses: a hundred wait at most.
	for i := range 190 {
		conns = append(conns, silent(t, ts.addr, fmt.Sprintf("127.0.1.%d", 1+i%20)))
		if w := ts.srv.Waiting(); w > MaxWaiting {
			t.Fatalf("%d connections waiting to log in", w)
		}
	}

	start := time.Now()
	c, err := ts.dial("alice", ts.people["alice"].signer)
	if err != nil {
		t.Fatalf("alice could not get in: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("alice got in after %s", took)
	}
	term, err := startTerminal(t, c)
	if err != nil {
		t.Fatal(err)
	}
	term.waitFor(0, "alice (officer, WSCC)")

	// Every silent one is closed by the deadline (or made room before).
	for i, sc := range conns {
		if _, closed := closedWithin(sc, 5*time.Second); !closed {
			t.Fatalf("silent connection %d still open", i)
		}
	}
	if w := ts.srv.Waiting(); w != 0 {
		t.Fatalf("%d still counted as waiting", w)
	}
	log := ts.logBuf.String()
	for _, want := range []string{"refused: 10 connections from 127.0.2.1 are already waiting to log in", "no login within 3s from 127.0.1."} {
		if !strings.Contains(log, want) {
			t.Errorf("the log does not say %q:\n%s", want, lastChars(log, 2000))
		}
	}
	if n := strings.Count(log, "\n"); n > 40 {
		t.Errorf("the flood wrote %d log lines", n)
	}
	m := term.mark()
	term.keys("3")
	term.waitFor(m, "WSCC/EHCP/") // still served
}

// TestAConnectionHoldsAtMostThreeSessions: a fourth session on one
// connection is refused; when one ends, another may start.
func TestAConnectionHoldsAtMostThreeSessions(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	c, err := ts.dial("erin", ts.people["erin"].signer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var open []*gossh.Session
	for range MaxSessionsPerConn {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, s)
	}
	if s, err := c.NewSession(); err == nil {
		s.Close()
		t.Fatal("a fourth session was opened")
	} else if !strings.Contains(err.Error(), "at most 3 sessions on one connection") {
		t.Fatalf("the fourth: %v", err)
	}
	open[0].Close()
	deadline := time.Now().Add(2 * time.Second)
	for {
		s, err := c.NewSession()
		if err == nil {
			s.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no session after one ended: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestIdleClosesConnectionsWithoutASession: --idle applies to a
// connection that logged in and opened nothing, and to one whose session
// has ended.
func TestIdleClosesConnectionsWithoutASession(t *testing.T) {
	ts := startServer(t, Config{Idle: 500 * time.Millisecond}, everyone(t)...)
	c, err := ts.dial("erin", ts.people["erin"].signer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a connection without a session outlived --idle")
	}
	if !strings.Contains(ts.logBuf.String(), "with no session for 500ms") {
		t.Fatalf("log:\n%s", ts.logBuf.String())
	}
}

// waitWaiting waits until n connections are waiting to log in.
func waitWaiting(t *testing.T, ts *testServer, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for ts.srv.Waiting() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections waiting, want %d", ts.srv.Waiting(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestASessionSetsABoundedEnvironment: a client may set a few
// environment variables (NO_COLOR, LANG), not thousands.
func TestASessionSetsABoundedEnvironment(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	c, err := ts.dial("erin", ts.people["erin"].signer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Setenv("LANG", strings.Repeat("x", maxEnvBytes)); err == nil {
		t.Fatal("a 4 KiB variable was taken")
	}
	set := 0
	for i := range 100 {
		if s.Setenv(fmt.Sprintf("V%d", i), "1") == nil {
			set++
		}
	}
	if set != maxEnv-1 {
		t.Fatalf("%d of 100 variables were set", set)
	}
}
