package serve

import (
	"bytes"
	"context"
	"errors"
	tea "github.com/charmbracelet/bubbletea"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestFetchFollowsNoLinks: a symbolic link inside one's own folder leads
// nowhere — not into another authority's folder, not even to a file
// beside it — and a linked directory on the way is refused too.
func TestFetchFollowsNoLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links")
	}
	files := t.TempDir()
	east, west := filepath.Join(files, "ESCC"), filepath.Join(files, "WSCC")
	for dir, body := range map[string]string{east: "east", west: "west"} {
		os.MkdirAll(filepath.Join(dir, "summaries"), 0o700)
		os.WriteFile(filepath.Join(dir, "summaries", "s.txt"), []byte(body), 0o600)
	}
	os.Symlink(filepath.Join(west, "summaries", "s.txt"), filepath.Join(east, "summaries", "abs.txt"))
	os.Symlink("../../WSCC/summaries/s.txt", filepath.Join(east, "summaries", "rel.txt"))
	os.Symlink("s.txt", filepath.Join(east, "summaries", "beside.txt"))
	os.Symlink(filepath.Join(west, "summaries"), filepath.Join(east, "west"))
	os.Symlink("summaries", filepath.Join(east, "inner"))
	for _, c := range []struct{ path, want string }{
		{"summaries/abs.txt", "summaries/abs.txt: a link, not a file"},
		{"summaries/rel.txt", "summaries/rel.txt: a link, not a file"},
		{"summaries/beside.txt", "summaries/beside.txt: a link, not a file"},
		{"west/s.txt", "west/s.txt: a link, not a file"},
		{"inner/s.txt", "inner/s.txt: a link, not a file"},
		{"../WSCC/summaries/s.txt", "name a file in your folder"},
		{"/etc/passwd", "name a file in your folder"},
		{"summaries", "summaries is not a file"},
		{"summaries/none.txt", "no such file in your folder"},
	} {
		f, _, err := openInside(east, c.path)
		if err == nil {
			f.Close()
			t.Errorf("%s was opened", c.path)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), files) {
			t.Errorf("%s: %v, want %q and no server path", c.path, err, c.want)
		}
	}
	f, info, err := openInside(east, "summaries/s.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := os.ReadFile(f.Name()); string(b) != "east" || info.Size() != 4 {
		t.Fatalf("own file: %q", b)
	}
}

// heapPeak samples the heap in use until stop is closed and returns the
// highest figure seen.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// openSized opens a terminal session of the given size.
func (ts *testServer) openSized(name string, w, h int) *terminal {
	ts.t.Helper()
	p := ts.people[name]
	c, err := ts.dial(name, p.signer)
	if err != nil {
		ts.t.Fatalf("%s could not connect: %v", name, err)
	}
	sess, err := c.NewSession()
	if err != nil {
		ts.t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		ts.t.Fatal(err)
	}
	term := &terminal{t: ts.t, client: c, sess: sess, grew: make(chan struct{}, 1), ended: make(chan error, 1)}
	if term.in, err = sess.StdinPipe(); err != nil {
		ts.t.Fatal(err)
	}
	out, _ := sess.StdoutPipe()
	sess.Stderr = term
	go io.Copy(term, out)
	if err := sess.Shell(); err != nil {
		ts.t.Fatal(err)
	}
	go func() { term.ended <- sess.Wait() }()
	ts.t.Cleanup(func() { sess.Close(); c.Close() })
	return term
}

// TestAHugeWindowIsDrawnAtMost500x200: a viewer whose terminal claims
// 20000x20000 (at the start and again by a window change) is drawn 500x200
// and told so; the server stays under 200 MB, another session is served
// meanwhile, and the huge one still answers q.
func TestAHugeWindowIsDrawnAtMost500x200(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	runtime.GC()
	stop := make(chan struct{})
	peak := heapPeak(stop)

	vic := ts.openSized("vic", 20000, 20000)
	vic.waitFor(0, "Register", "the desk draws at most 500x200")
	m := vic.mark()
	if err := vic.sess.WindowChange(100000, 100000); err != nil {
		t.Fatal(err)
	}
	vic.keys("2")
	vic.waitFor(m, "Must be suspended now")

	erin := ts.open("erin")
	erin.waitFor(0, "erin (officer, ESCC)", "Register")
	em := erin.mark()
	erin.keys("3")
	erin.waitFor(em, "ESCC/EHCP/")

	vic.keys("q")
	vic.waitEnd(5 * time.Second)

	// Another huge one whose client goes away is ended; a third is closed
	// by the server stopping.
	gone := ts.openSized("vic", 20000, 20000)
	gone.waitFor(0, "Register")
	gone.client.Close()
	deadline := time.Now().Add(5 * time.Second)
	for ts.srv.Sessions() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions open after the client left", ts.srv.Sessions())
		}
		time.Sleep(20 * time.Millisecond)
	}
	last := ts.openSized("vic", 100000, 100000)
	last.waitFor(0, "Register")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown with a huge session open: %v", err)
	}
	last.waitEnd(2 * time.Second)
	close(stop)
	if p := <-peak; p > 200<<20 {
		t.Fatalf("the heap reached %d MB", p>>20)
	} else {
		t.Logf("heap peak %d MB", p>>20)
	}
}

// TestAFloodOfKeysDoesNotStallTheSession: 10,000 arrow keys at once are
// taken up to what a person could type and the rest ignored, with a
// notice; the session answers a key within 3 s of the flood (0.25 s
// measured without the race detector; the bound is for a loaded machine).
func TestAFloodOfKeysDoesNotStallTheSession(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	erin := ts.open("erin")
	erin.waitFor(0, "Register")
	m := erin.mark()
	erin.keys(strings.Repeat("\x1b[B", 10000))
	flooded := time.Now()
	erin.waitFor(m, "keys are arriving faster than anyone types")
	for !strings.Contains(erin.text()[m:], "ESCC/EHCP/") {
		if time.Since(flooded) > 3*time.Second {
			t.Fatalf("no answer to a key within 3 s of the flood:\n%s", lastChars(erin.text(), 2000))
		}
		erin.keys("3")
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("answered %s after the flood", time.Since(flooded).Round(time.Millisecond))
}

func TestTheKeyBudget(t *testing.T) {
	var readLen atomic.Int64
	b := keyBudget{readLen: &readLen}
	key := tea.KeyMsg{Type: tea.KeyDown}
	readLen.Store(maxInputChunk) // a flood fills every read
	passed, notices := 0, 0
	for range 1000 {
		switch b.filter(nil, key).(type) {
		case tea.KeyMsg:
			passed++
		case nil:
		default:
			notices++
		}
	}
	if passed < keysBurst || passed > keysBurst+5 || notices != 1 {
		t.Fatalf("%d of 1000 keys at once passed, %d notices", passed, notices)
	}
	if _, ok := b.filter(nil, tea.WindowSizeMsg{}).(tea.WindowSizeMsg); !ok {
		t.Fatal("a message that is not a key was held back")
	}
	// Keys in short reads always count, however fast they come.
	readLen.Store(3)
	for i := range 500 {
		if _, ok := b.filter(nil, key).(tea.KeyMsg); !ok {
			t.Fatalf("key %d, in a read of its own, was dropped", i)
		}
	}
	b.last = b.last.Add(-time.Second) // a second later, a flood's keys count again
	readLen.Store(maxInputChunk)
	if _, ok := b.filter(nil, key).(tea.KeyMsg); !ok {
		t.Fatal("a key a second after the flood was dropped")
	}
}

// TestAFloodOfEscapesDoesNotStallTheSession: 10,000 ESC bytes at once
// (a stuck key, a hostile client) are read in bounded chunks; the next
// key is answered within 2 s.
func TestAFloodOfEscapesDoesNotStallTheSession(t *testing.T) {
	ts := startServer(t, Config{}, everyone(t)...)
	erin := ts.open("erin")
	erin.waitFor(0, "Register")
	m := erin.mark()
	start := time.Now()
	erin.keys(strings.Repeat("\x1b", 10000))
	erin.keys("3")
	erin.waitFor(m, "ESCC/EHCP/")
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the key after the flood took %s", took)
	} else {
		t.Logf("answered after %s", took)
	}
}

func TestInputIsReadInBoundedChunksWithEscapeRunsCut(t *testing.T) {
	src := strings.Repeat("\x1b", 1000) + "j\x1b\x1bk\x1b[A" + strings.Repeat("x", 600)
	in := &input{r: strings.NewReader(src), s: &session{}}
	var got []byte
	buf := make([]byte, 4096)
	for {
		n, err := in.Read(buf)
		if n > maxInputChunk {
			t.Fatalf("a read of %d bytes", n)
		}
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
	}
	if want := "\x1b\x1bj\x1b\x1bk\x1b[A" + strings.Repeat("x", 600); string(got) != want {
		t.Fatalf("read %q", got)
	}
	for _, c := range [][4]int{{80, 24, 80, 24}, {20000, 20000, 500, 200}, {501, 10, 500, 10}, {-1, 3, 0, 3}} {
		if w, h, _ := clampWindow(c[0], c[1]); w != c[2] || h != c[3] {
			t.Errorf("%dx%d drawn %dx%d", c[0], c[1], w, h)
		}
	}
}

func TestAFrameOverTheBudgetClosesItsSession(t *testing.T) {
	var buf bytes.Buffer
	overs := 0
	out := output{w: &buf, over: func(int) { overs++ }}
	if n, err := out.Write(make([]byte, 100)); n != 100 || err != nil {
		t.Fatal(n, err)
	}
	if _, err := out.Write(make([]byte, frameBudget+1)); !errors.Is(err, errFrameBudget) || overs != 1 || buf.Len() != 100 {
		t.Fatalf("over the budget: %v, %d calls, %d written", err, overs, buf.Len())
	}
}
