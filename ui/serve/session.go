package serve

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dpsdesk/ui"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// session is one person's desk over one SSH session.
type session struct {
	p       *tea.Program
	done    chan struct{}
	lastKey atomic.Int64 // unix nanoseconds of the last input
	// overBudget is set when a frame was over frameBudget.
	overBudget atomic.Bool
	once       sync.Once
}

// close asks the desk to close, and makes sure it has after grace.
func (s *session) close(text string, grace time.Duration) {
	s.once.Do(func() {
		go func() {
			select {
			case <-s.done:
				return
			default:
			}
			go s.p.Send(ui.Closing(text)) // returns when delivered or the program ends
			t := time.NewTimer(grace)
			defer t.Stop()
			select {
			case <-s.done:
			case <-t.C:
				s.p.Quit()
			}
		}()
	})
}

// What one session may cost the server. Go cannot account memory to a
// goroutine, so the budget is kept on what a session controls and what
// its memory grows with: the window it is drawn for (at most
// MaxWidth x MaxHeight cells, whatever the terminal claims), the input
// taken per read (maxInputChunk bytes), and the bytes of each frame
// drawn (frameBudget: a frame over it closes that session, never the
// server). A full 500x200 frame measured about 100 KB.
const (
	MaxWidth      = 500
	MaxHeight     = 200
	maxInputChunk = 255 // bubbletea reads 256; a shorter read is a whole one
	frameBudget   = 8 << 20
)

// clampWindow is the size the desk is drawn at for a window of w x h,
// and whether that is smaller.
func clampWindow(w, h int) (int, int, bool) {
	cw, ch := min(max(w, 0), MaxWidth), min(max(h, 0), MaxHeight)
	return cw, ch, cw != w || ch != h
}

// input counts key presses for the idle timeout as they pass, and hands
// them over at most maxInputChunk bytes at a time. A run of more than two
// ESC bytes is cut to two: no key a terminal sends holds three (alt+esc
// is two), and bubbletea draws the screen once per key, so 10,000 of
// them would hold the session for seconds.
type input struct {
	r       io.Reader
	s       *session
	escRun  int          // ESC bytes in a row so far, across reads
	readLen atomic.Int64 // bytes the latest read returned
}

func (in *input) Read(p []byte) (int, error) {
	if len(p) > maxInputChunk {
		p = p[:maxInputChunk]
	}
	for {
		n, err := in.r.Read(p)
		if n > 0 {
			in.s.lastKey.Store(time.Now().UnixNano())
		}
		kept := 0
		for _, b := range p[:n] {
			if b == 0x1b {
				in.escRun++
				if in.escRun > 2 {
					continue
				}
			} else {
				in.escRun = 0
			}
			p[kept] = b
			kept++
		}
		if kept > 0 || n == 0 || err != nil {
			in.readLen.Store(int64(kept))
			return kept, err
		}
	}
}

// keyBudget drops keys arriving faster than anyone types. bubbletea
// draws the screen after every key, so 10,000 arrow keys sent at once
// would hold a session (and a core) for seconds. Keys that came in a
// short read (a person's: one key, or a few over a slow link, or a held
// key repeating) always count; keys that came many to a read (a flood
// fills every read) count while there are tokens — keysBurst, refilled
// at keysPerSec — and are dropped after. A paste is one message. The
// first key dropped in a flood becomes a notice on the status line.
type keyBudget struct {
	readLen *atomic.Int64 // bytes in the input's latest read
	tokens  float64
	last    time.Time
	dropped int
}

const (
	keysPerSec  = 20
	keysBurst   = 50
	personsRead = 16 // bytes: the longest key sequence is 7
)

func (b *keyBudget) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	if _, ok := msg.(tea.KeyMsg); !ok {
		return msg
	}
	now := time.Now()
	if b.last.IsZero() {
		b.tokens = keysBurst
	} else {
		b.tokens = min(keysBurst, b.tokens+now.Sub(b.last).Seconds()*keysPerSec)
	}
	b.last = now
	if b.readLen.Load() <= personsRead || b.tokens >= 1 {
		b.tokens = max(0, b.tokens-1)
		b.dropped = 0
		return msg
	}
	b.dropped++
	if b.dropped == 1 {
		return ui.Notice("keys are arriving faster than anyone types: the rest are ignored")
	}
	return nil
}

// output passes the desk's frames to the terminal and closes the session
// when one is over frameBudget.
type output struct {
	w    io.Writer
	over func(n int)
}

func (o output) Write(p []byte) (int, error) {
	if len(p) > frameBudget {
		o.over(len(p))
		return 0, errFrameBudget
	}
	return o.w.Write(p)
}

var errFrameBudget = errors.New("a frame over the session's budget")

// sessionOptions are what the person asked for after the host name:
// `ssh -t desk no-color ascii`.
func sessionOptions(sess ssh.Session) (noColor, ascii bool, err error) {
	for _, env := range sess.Environ() {
		if strings.HasPrefix(env, "NO_COLOR=") && env != "NO_COLOR=" {
			noColor = true
		}
	}
	for _, a := range sess.Command() {
		switch strings.TrimLeft(a, "-") {
		case "no-color":
			noColor = true
		case "ascii":
			ascii = true
		default:
			return false, false, fmt.Errorf("unknown option %q: the desk takes no-color and ascii (ssh -t HOST no-color ascii)", a)
		}
	}
	return noColor, ascii, nil
}

// middleware runs the desk for one SSH session.
func (srv *Server) middleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer next(sess)
		u, ok := sess.Context().Value(userKey).(User)
		if !ok { // not reached: authorize sets it for every session let in
			sess.Exit(1)
			return
		}
		pty, windows, ok := sess.Pty()
		if !ok {
			fmt.Fprintln(sess.Stderr(), "dpsdesk is a desk for a terminal: connect with ssh -t")
			sess.Exit(2)
			return
		}
		noColor, ascii, err := sessionOptions(sess)
		if err != nil {
			fmt.Fprintln(sess.Stderr(), "dpsdesk:", err)
			sess.Exit(2)
			return
		}
		h, err := srv.cfg.Store.As(u.Principal())
		if err != nil {
			srv.cfg.Log.Printf("refused: %s: %v", u.Name, err)
			fmt.Fprintln(sess.Stderr(), "dpsdesk: your entry in the users file is not usable; ask the administrator")
			sess.Exit(1)
			return
		}
		changes, stopChanges := h.Changes()
		defer stopChanges()

		s := &session{done: make(chan struct{})}
		s.lastKey.Store(time.Now().UnixNano())
		env := append(sess.Environ(), "TERM="+pty.Term)
		renderer := lipgloss.NewRenderer(sess, termenv.WithEnvironment(environ(env)), termenv.WithUnsafe(), termenv.WithColorCache(true))
		out := output{w: sess, over: func(n int) {
			if s.overBudget.CompareAndSwap(false, true) {
				srv.cfg.Log.Printf("session over its budget: %s's screen needed %d MiB; closing it", u.Name, n>>20)
				go s.p.Quit()
			}
		}}
		in := &input{r: sess, s: s}
		s.p = ui.NewProgram(h, ui.Options{
			NoColor: noColor, ASCII: ascii, Now: srv.cfg.Now,
			Input: in, Output: out, Renderer: renderer, Changes: changes,
			FilesDir: srv.filesDir(u), Fetch: fetchHint(sess, u.Name),
		}, tea.WithoutSignalHandler(), tea.WithEnvironment(env), tea.WithFilter((&keyBudget{readLen: &in.readLen}).filter))
		if !srv.track(s) {
			fmt.Fprintln(sess.Stderr(), "dpsdesk: the server is stopping; try again in a minute")
			sess.Exit(1)
			return
		}
		defer srv.untrack(s)
		start := time.Now()
		srv.cfg.Log.Printf("session start: %s from %s, %dx%d", u.Principal(), sess.RemoteAddr(), pty.Window.Width, pty.Window.Height)

		go func() {
			resize := func(w ssh.Window) {
				cw, ch, clamped := clampWindow(w.Width, w.Height)
				s.p.Send(tea.WindowSizeMsg{Width: cw, Height: ch})
				if clamped && w.Width > 0 && w.Height > 0 && (w.Width > MaxWidth || w.Height > MaxHeight) {
					s.p.Send(ui.Notice(fmt.Sprintf("your window is %dx%d; the desk draws at most %dx%d", w.Width, w.Height, MaxWidth, MaxHeight)))
				}
			}
			resize(pty.Window)
			for {
				select {
				case <-s.done:
					return
				case <-sess.Context().Done():
					s.p.Quit() // the connection went away
					return
				case w, ok := <-windows:
					if !ok {
						windows = nil
						continue
					}
					resize(w)
				}
			}
		}()
		if srv.cfg.Idle > 0 {
			go srv.watchIdle(s)
		}
		_, err = s.p.Run()
		close(s.done)
		s.p.Kill() // the program has ended; this only releases what it holds
		reason := "ended"
		if s.overBudget.Load() {
			reason = "closed over its budget"
			fmt.Fprintf(sess.Stderr(), "dpsdesk closed this session: its screen needed more than the server gives one session (%d MiB)\r\n", frameBudget>>20)
		} else if errors.Is(err, tea.ErrProgramPanic) {
			reason = "stopped by an internal error"
			fmt.Fprintln(sess.Stderr(), "dpsdesk stopped after an internal error; everything saved before it is in the store")
		}
		srv.cfg.Log.Printf("session %s: %s after %s", reason, u.Name, time.Since(start).Round(time.Second))
		sess.Exit(0)
	}
}

// watchIdle closes a session left without a key for cfg.Idle, warning a
// minute (or a tenth of the time, if shorter) before.
func (srv *Server) watchIdle(s *session) {
	idle := srv.cfg.Idle
	warnBefore := min(time.Minute, idle/10)
	tick := time.NewTicker(min(time.Second, max(idle/20, 10*time.Millisecond)))
	defer tick.Stop()
	warned := false
	for {
		select {
		case <-s.done:
			return
		case <-tick.C:
		}
		quiet := time.Since(time.Unix(0, s.lastKey.Load()))
		switch {
		case quiet < idle-warnBefore:
			warned = false
		case !warned: // always warned before closing, however late this tick
			warned = true
			left := max(idle-quiet, warnBefore/2)
			go s.p.Send(ui.Notice(fmt.Sprintf("no key for a while: this session closes in %s unless you press one", left.Round(time.Second))))
		case quiet >= idle:
			s.close(fmt.Sprintf("no key for %s: save now, this session closes in %s", idle, warnBefore), warnBefore)
			return
		}
	}
}

type environ []string

func (e environ) Environ() []string { return e }
func (e environ) Getenv(k string) string {
	for _, v := range e {
		if strings.HasPrefix(v, k+"=") {
			return v[len(k)+1:]
		}
	}
	return ""
}
