package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

var testNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

// person is a test user with a key of their own.
type person struct {
	name, role, authority string
	signer                gossh.Signer
	pem                   []byte // the private key, for the OpenSSH tools
}

func newPerson(t testing.TB, name, role, authority string) person {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, name)
	if err != nil {
		t.Fatal(err)
	}
	return person{name, role, authority, signer, pem.EncodeToMemory(block)}
}

func (p person) line() string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(p.signer.PublicKey()))) + " " + p.name + " " + p.role + " " + p.authority
}

// testServer is a server on 127.0.0.1 over a demo store.
type testServer struct {
	t      testing.TB
	srv    *Server
	store  *store.Store
	addr   string
	dir    string
	users  string
	logBuf *syncBuffer
	people map[string]person
	served chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func startServer(t testing.TB, cfg Config, people ...person) *testServer {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "dpsdesk.db"), store.Options{Actor: "test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDemo(2026, testNow, nil); err != nil {
		t.Fatal(err)
	}
	ts := &testServer{t: t, store: s, dir: dir, users: filepath.Join(dir, "users.txt"), logBuf: &syncBuffer{}, people: map[string]person{}}
	ts.writeUsers(people...)
	cfg.Store, cfg.UsersPath, cfg.HostKeyPath = s, ts.users, filepath.Join(dir, "host_ed25519")
	cfg.Log = log.New(ts.logBuf, "", 0)
	cfg.Now = func() time.Time { return testNow }
	if cfg.Grace == 0 {
		cfg.Grace = time.Second
	}
	ts.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = l.Addr().String()
	ts.served = make(chan error, 1)
	go func() { ts.served <- ts.srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ts.srv.Shutdown(ctx)
		s.Close()
	})
	return ts
}

func (ts *testServer) writeUsers(people ...person) {
	ts.t.Helper()
	var lines []string
	for _, p := range people {
		ts.people[p.name] = p
		lines = append(lines, p.line())
	}
	if err := os.WriteFile(ts.users, []byte("# who may use the desk\n"+strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		ts.t.Fatal(err)
	}
}

// dial connects as a person under a login name.
func (ts *testServer) dial(login string, signer gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            login,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

// terminal is an SSH session with a pseudo-terminal, as a person's
// ssh -t would open, and everything the desk has drawn on it.
type terminal struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	mu     sync.Mutex
	out    bytes.Buffer
	grew   chan struct{}
	ended  chan error
}

func (ts *testServer) open(name string, command ...string) *terminal {
	ts.t.Helper()
	p := ts.people[name]
	c, err := ts.dial(name, p.signer)
	if err != nil {
		ts.t.Fatalf("%s could not connect: %v", name, err)
	}
	term, err := startTerminal(ts.t, c, command...)
	if err != nil {
		ts.t.Fatal(err)
	}
	return term
}

func startTerminal(t testing.TB, c *gossh.Client, command ...string) (*terminal, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		return nil, err
	}
	term := &terminal{t: t, client: c, sess: sess, grew: make(chan struct{}, 1), ended: make(chan error, 1)}
	if term.in, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	sess.Stderr = term
	go io.Copy(term, out)
	if len(command) > 0 {
		err = sess.Start(strings.Join(command, " "))
	} else {
		err = sess.Shell()
	}
	if err != nil {
		return nil, err
	}
	go func() { term.ended <- sess.Wait() }()
	t.Cleanup(func() { sess.Close(); c.Close() })
	return term, nil
}

func (term *terminal) Write(p []byte) (int, error) {
	term.mu.Lock()
	term.out.Write(p)
	term.mu.Unlock()
	select {
	case term.grew <- struct{}{}:
	default:
	}
	return len(p), nil
}

// text is everything drawn so far, without the terminal's control codes.
func (term *terminal) text() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return ansi.Strip(term.out.String())
}

func (term *terminal) mark() int { return len(term.text()) }

// waitFor waits until every string has been drawn after mark.
func (term *terminal) waitFor(mark int, want ...string) {
	term.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		got := term.text()[mark:]
		missing := ""
		for _, w := range want {
			if !strings.Contains(got, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		select {
		case <-term.grew:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			term.t.Fatalf("the screen never showed %q; it showed:\n%s", missing, lastChars(got, 3000))
		}
	}
}

func lastChars(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func (term *terminal) keys(s string) {
	term.t.Helper()
	if _, err := io.WriteString(term.in, s); err != nil {
		term.t.Fatalf("typing %q: %v", s, err)
	}
}

// waitEnd waits for the server to end the session.
func (term *terminal) waitEnd(within time.Duration) error {
	term.t.Helper()
	select {
	case err := <-term.ended:
		return err
	case <-time.After(within):
		term.t.Fatalf("the session was still open after %s", within)
		return nil
	}
}

func everyone(t testing.TB) []person {
	return []person{
		newPerson(t, "alice", "officer", "WSCC"),
		newPerson(t, "erin", "officer", "ESCC"),
		newPerson(t, "vic", "viewer", "ESCC"),
		newPerson(t, "ada", "admin", "WSCC"),
	}
}

func TestOnlyListedKeysUnderTheirOwnNameGetIn(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	stranger := newPerson(t, "mallory", "officer", "WSCC")
	if c, err := ts.dial("mallory", stranger.signer); err == nil {
		c.Close()
		t.Fatal("an unlisted key got in")
	}
	if c, err := ts.dial("ada", ts.people["alice"].signer); err == nil {
		c.Close()
		t.Fatal("alice's key got in as ada")
	}
	// No passwords: the server offers public keys and nothing else.
	_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{User: "alice", Auth: []gossh.AuthMethod{gossh.Password("alice")},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("a password login: %v", err)
	}
	log := ts.logBuf.String()
	if !strings.Contains(log, "refused: unlisted key SHA256:") || !strings.Contains(log, `refused: alice's key offered as "ada"`) {
		t.Fatalf("refusals not logged:\n%s", log)
	}
	// A session without a terminal is told how to connect.
	c, err := ts.dial("alice", ts.people["alice"].signer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, _ := c.NewSession()
	out, _ := sess.CombinedOutput("")
	if !strings.Contains(string(out), "connect with ssh -t") {
		t.Fatalf("without a terminal: %q", out)
	}
	// Host key: made 0600 on first start, the same on the next.
	fi, err := os.Stat(filepath.Join(ts.dir, "host_ed25519"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key %v %v", fi.Mode(), err)
	}
	first, _ := Fingerprint(filepath.Join(ts.dir, "host_ed25519"))
	again, created, err := hostKey(filepath.Join(ts.dir, "host_ed25519"))
	if err != nil || created || len(again) == 0 {
		t.Fatalf("second start: created %v, %v", created, err)
	}
	if second, _ := Fingerprint(filepath.Join(ts.dir, "host_ed25519")); second != first {
		t.Fatal("the host key changed between starts")
	}
	os.Chmod(filepath.Join(ts.dir, "host_ed25519"), 0o644)
	if _, _, err := hostKey(filepath.Join(ts.dir, "host_ed25519")); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a readable host key: %v", err)
	}
}

func TestRolesAndAuthoritiesOnScreen(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	erin := ts.open("erin")
	erin.waitFor(0, "erin (officer, ESCC)", "Register")
	m := erin.mark()
	erin.keys("3")
	erin.waitFor(m, "1 of 1 referrals", "ESCC/EHCP/")
	if strings.Contains(erin.text(), "WSCC/EHCP/") || strings.Contains(erin.text(), "KCC/EHCP/") {
		t.Fatal("East Sussex's officer was shown another authority's case references")
	}

	// A viewer is shown the queue but cannot suspend from it.
	vic := ts.open("vic")
	vic.waitFor(0, "vic (viewer, ESCC)")
	before, _ := ts.store.Audit(store.AuditFilter{})
	m = vic.mark()
	vic.keys("2")
	vic.waitFor(m, "Must be suspended now")
	m = vic.mark()
	vic.keys("s")
	vic.waitFor(m, "vic is a viewer and can change nothing")
	after, _ := ts.store.Audit(store.AuditFilter{})
	if len(after) != len(before) {
		t.Fatal("a viewer's key press changed the store")
	}

	// The admin sees every authority's referrals.
	ada := ts.open("ada")
	ada.waitFor(0, "ada (admin)")
	m = ada.mark()
	ada.keys("3")
	ada.waitFor(m, "13 of 13 referrals")
}

func TestAChangeShowsInTheOtherSessionsAtOnce(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	queue, err := ts.store.ReviewQueue(testNow)
	if err != nil {
		t.Fatal(err)
	}
	var name, id string
	for _, it := range queue {
		if it.Kind == store.ReviewMustSuspend {
			name, id = it.Name, it.ID
			break
		}
	}
	if name == "" {
		t.Fatal("the demo has nobody to suspend")
	}
	erin := ts.open("erin")
	erin.waitFor(0, "Register")
	m := erin.mark()
	erin.keys("/" + name + "\r")
	erin.waitFor(m, "1 of 300 establishments")

	alice := ts.open("alice")
	alice.waitFor(0, "Register")
	m = alice.mark()
	alice.keys("2")
	alice.waitFor(m, name)
	m = alice.mark()
	alice.keys("s")
	alice.waitFor(m, "Suspend "+name+"?")
	em := erin.mark()
	alice.keys("y")
	alice.waitFor(m, "Suspended "+name)
	// East Sussex's screen changes without a key pressed there.
	erin.waitFor(em, "SUSPENDED")
	e, _ := ts.store.Establishment(id)
	if e.Status != engine.Suspended {
		t.Fatalf("%s is %s", id, e.Status)
	}
	last, _ := ts.store.Audit(store.AuditFilter{Limit: 1})
	if last[0].Actor != "alice" {
		t.Fatalf("the audit trail names %q, not the SSH user", last[0].Actor)
	}
}

func TestIdleSessionsClose(t *testing.T) {
	ts := startServer(t, Config{Idle: 600 * time.Millisecond}, everyone(t)...)
	erin := ts.open("erin")
	erin.waitFor(0, "Register")
	erin.waitFor(0, "unless you press one")
	erin.waitEnd(5 * time.Second)
	if !strings.Contains(ts.logBuf.String(), "session ended: erin") {
		t.Fatalf("log:\n%s", ts.logBuf.String())
	}
}

func TestShutdownClosesSessionsAndGivesUnsavedInputItsTime(t *testing.T) {
	ts := startServer(t, Config{Grace: 3 * time.Second}, everyone(t)...)
	idle := ts.open("erin")
	idle.waitFor(0, "Register")
	typing := ts.open("alice")
	typing.waitFor(0, "Register")
	m := typing.mark()
	typing.keys("\r") // the first establishment
	typing.waitFor(m, "Qualification")
	m = typing.mark()
	typing.keys("e")
	typing.waitFor(m, "ctrl+s: save")
	typing.keys("xyz")
	typing.waitFor(m, "xyz")

	done := make(chan error, 1)
	start := time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- ts.srv.Shutdown(ctx)
	}()
	idle.waitEnd(2 * time.Second) // nothing to lose: closed at once, well before the grace
	typing.waitFor(m, "server stopping: save now")
	typing.keys("\x13") // ctrl+s, within the grace period
	typing.waitEnd(5 * time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 2500*time.Millisecond {
		t.Fatal("the session with unsaved input was not given its grace period")
	}
	rows, _ := ts.store.Register()
	saved := false
	for _, r := range rows {
		saved = saved || strings.HasSuffix(r.Name, "xyz")
	}
	if !saved {
		t.Fatal("what was saved during the grace period is not in the store")
	}
	if c, err := ts.dial("erin", ts.people["erin"].signer); err == nil {
		c.Close()
		t.Fatal("a connection was taken after shutdown")
	}
	if problems, err := ts.store.Verify(); err != nil || len(problems) > 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
}

func TestReloadTakesEffectForNewSessions(t *testing.T) {
	people := everyone(t)
	ts := startServer(t, Config{}, people[0])
	if c, err := ts.dial("erin", people[1].signer); err == nil {
		c.Close()
		t.Fatal("erin got in before being listed")
	}
	alice := ts.open("alice")
	alice.waitFor(0, "alice (officer, WSCC)")

	// A broken file is refused whole and the old list stays.
	os.WriteFile(ts.users, []byte(people[1].line()+"\nssh-ed25519 AAAA erin officer WSCC\n"), 0o600)
	if err := ts.srv.Reload(); err == nil || !strings.Contains(err.Error(), "users.txt line 2: the key is not an SSH public key") {
		t.Fatalf("reload of a broken file: %v", err)
	}
	if c, err := ts.dial("alice", people[0].signer); err != nil {
		t.Fatalf("alice was shut out by a broken reload: %v", err)
	} else {
		c.Close()
	}

	// Alice becomes a viewer and erin is added: new sessions only.
	alice2 := person{"alice", "viewer", "WSCC", people[0].signer, people[0].pem}
	ts.writeUsers(alice2, people[1])
	if err := ts.srv.Reload(); err != nil {
		t.Fatal(err)
	}
	ts.open("erin").waitFor(0, "erin (officer, ESCC)")
	ts.open("alice").waitFor(0, "alice (viewer, WSCC)")
	m := alice.mark()
	alice.keys("3")
	alice.waitFor(m, "n new referral") // the open session keeps its role
}

func TestUsersFileProblemsAreNamedByLine(t *testing.T) {
	p := newPerson(t, "alice", "officer", "WSCC")
	key := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(p.signer.PublicKey())))
	auths := []string{"WSCC", "ESCC"}
	for _, c := range []struct{ file, want string }{
		{key + " alice officer WSCC\n" + key + " bob officer WSCC\n", "u line 2: this key is already alice's (line 1)"},
		{key + " alice boss WSCC\n", `u line 1: unknown role "boss": must be admin, officer or viewer`},
		{key + " alice officer XYZ\n", `u line 1: authority "XYZ": must be one of WSCC, ESCC`},
		{key + " Alice Smith officer WSCC\n", "u line 1: has 6 fields; a line has 5"},
		{key + " alice officer\n", "u line 1: has 4 fields; a line has 5"},
		{"# nobody\n\n", "u lists nobody"},
		{key + " 'alice' officer WSCC\n", `u line 1: user "'alice'"`},
	} {
		_, err := ParseUsers(strings.NewReader(c.file), "u", auths)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.file, err, c.want)
		}
	}
	u, err := ParseUsers(strings.NewReader("# staff\n"+key+" alice officer wscc\n"), "u", auths)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := u.Lookup(p.signer.PublicKey())
	if !ok || got.Authority != "WSCC" || got.Role != store.RoleOfficer {
		t.Fatalf("lookup %+v %v", got, ok)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "users.txt")
	os.WriteFile(path, []byte(key+" alice officer WSCC\n"), 0o666)
	os.Chmod(path, 0o666)
	if _, err := LoadUsers(path, auths); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a users file anyone may change: %v", err)
	}
}

func TestBackupsWhileServingAreConsistentPrivateAndPruned(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	dir := filepath.Join(ts.dir, "backups")
	var last string
	for i := range 5 {
		p, err := BackupNow(ts.store, dir, testNow.Add(time.Duration(i)*time.Hour), 3)
		if err != nil {
			t.Fatal(err)
		}
		last = p
	}
	copies, _ := filepath.Glob(filepath.Join(dir, "*.db"))
	if len(copies) != 3 || copies[2] != last {
		t.Fatalf("kept %v", copies)
	}
	fi, _ := os.Stat(last)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("a backup is %o", fi.Mode().Perm())
	}
	b, err := store.Open(last, store.Options{Actor: "check", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if problems, err := b.Verify(); err != nil || len(problems) > 0 {
		t.Fatalf("the copy: %v %v", problems, err)
	}
}

// TestFilesAreFetchedWithScpFromOnesOwnFolderOnly: a meeting summary
// written over SSH lands in the authority's folder on the server; its
// officer copies it home with the OpenSSH scp the Setup tab names, and
// cannot reach another authority's folder or write anything.
func TestFilesAreFetchedWithScpFromOnesOwnFolderOnly(t *testing.T) {
	if _, err := exec.LookPath("scp"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("scp is not installed: .ci/run must install openssh-client")
		}
		t.Skip("no scp")
	}
	ts := startServer(t, Config{}, everyone(t)...)
	erin := ts.open("erin")
	erin.waitFor(0, "Register")
	m := erin.mark()
	erin.keys("6")
	erin.waitFor(m, "Your files", "scp -O -P ", "erin@127.0.0.1:summaries/NAME .")

	east := ts.srv.filesDir(User{Name: "erin", Role: store.RoleOfficer, Authority: "ESCC"})
	west := ts.srv.filesDir(User{Name: "alice", Role: store.RoleOfficer, Authority: "WSCC"})
	for dir, body := range map[string]string{east: "east", west: "west"} {
		os.MkdirAll(filepath.Join(dir, "summaries"), 0o700)
		os.WriteFile(filepath.Join(dir, "summaries", "s.txt"), []byte(body), 0o600)
	}
	key := filepath.Join(t.TempDir(), "erin")
	os.WriteFile(key, ts.people["erin"].pem, 0o600)
	_, port, _ := net.SplitHostPort(ts.addr)
	scp := func(args ...string) ([]byte, error) {
		base := []string{"-O", "-P", port, "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"}
		return exec.Command("scp", append(base, args...)...).CombinedOutput()
	}
	home := t.TempDir()
	if out, err := scp("erin@127.0.0.1:summaries/s.txt", home); err != nil {
		t.Fatalf("fetching her own summary: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(filepath.Join(home, "s.txt")); string(got) != "east" {
		t.Fatalf("fetched %q", got)
	}
	os.Remove(filepath.Join(home, "s.txt"))
	if out, err := scp("erin@127.0.0.1:../WSCC/summaries/s.txt", home); err == nil {
		t.Fatalf("fetched another authority's file:\n%s", out)
	}
	// A link in her own folder does not lead into West Sussex's.
	os.Symlink(filepath.Join(west, "summaries", "s.txt"), filepath.Join(east, "summaries", "w.txt"))
	if out, err := scp("erin@127.0.0.1:summaries/w.txt", home); err == nil || !strings.Contains(string(out), "a link, not a file") {
		t.Fatalf("fetched through a link: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(home, "w.txt")); err == nil {
		t.Fatal("a file came through a link")
	}
	os.WriteFile(filepath.Join(home, "up.txt"), []byte("x"), 0o600)
	if out, err := scp(filepath.Join(home, "up.txt"), "erin@127.0.0.1:summaries/up.txt"); err == nil {
		t.Fatalf("wrote to the server:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(east, "summaries", "up.txt")); err == nil {
		t.Fatal("a file was uploaded")
	}
}
