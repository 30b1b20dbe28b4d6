package serve

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Limits on connections, whoever makes them.
const (
	// DefaultLoginDeadline is how long a connection has to log in.
	DefaultLoginDeadline = 30 * time.Second
	// MaxWaitingPerAddress is how many connections from one address may
	// be waiting to log in at once; more are refused.
	MaxWaitingPerAddress = 10
	// MaxWaiting is how many may be waiting in all; when there are more,
	// the one that has waited longest is closed, so a flood from many
	// addresses cannot keep a listed user out.
	MaxWaiting = 100
	// MaxSessionsPerConn is how many sessions (the desk, scp) one
	// connection may have open at once.
	MaxSessionsPerConn = 3
	// maxLoginTries is how many keys a connection may offer.
	maxLoginTries = 6
	// maxEnv and maxEnvBytes bound the environment a session may set
	// (ssh SendEnv, NO_COLOR): each variable is kept until the session
	// ends, so without a limit a listed user could grow the server with
	// them.
	maxEnv      = 32
	maxEnvBytes = 4 << 10
)

var connKey = &ctxKey{"dpsdesk-conn"}

// conn is one TCP connection to the server, from accept to close.
type conn struct {
	net.Conn
	g       *guard
	ip      string
	started time.Time

	mu       sync.Mutex
	waiting  bool // counted among those waiting to log in
	closed   bool
	sessions int
	idle     *time.Timer // closes a logged-in connection with no session
}

// guard counts connections: those waiting to log in, per address and in
// all, and every open one, so that shutdown can close them all.
type guard struct {
	srv *Server

	mu       sync.Mutex
	perAddr  map[string]int
	waiting  []*conn // oldest first
	all      map[*conn]struct{}
	closing  bool
	refusals atomic.Int64 // refusals not yet logged
	lastLog  time.Time
}

func newGuard(srv *Server) *guard {
	return &guard{srv: srv, perAddr: map[string]int{}, all: map[*conn]struct{}{}}
}

// accept is the server's ConnCallback: a connection over the limits is
// refused (nil) or makes room; one let in must log in by the deadline.
func (g *guard) accept(ctx ssh.Context, nc net.Conn) net.Conn {
	ip := nc.RemoteAddr().String()
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	c := &conn{Conn: nc, g: g, ip: ip, started: time.Now(), waiting: true}
	var evict *conn
	g.mu.Lock()
	switch {
	case g.closing:
		g.mu.Unlock()
		return nil
	case g.perAddr[ip] >= MaxWaitingPerAddress:
		g.mu.Unlock()
		g.refused("refused: %d connections from %s are already waiting to log in", MaxWaitingPerAddress, ip)
		return nil
	case len(g.waiting) >= MaxWaiting:
		evict = g.waiting[0]
		g.waiting = g.waiting[1:]
		if g.perAddr[evict.ip]--; g.perAddr[evict.ip] <= 0 {
			delete(g.perAddr, evict.ip)
		}
		evict.mu.Lock() // g.mu, then a conn's: nothing takes them the other way
		evict.waiting = false
		evict.mu.Unlock()
	}
	g.perAddr[ip]++
	g.waiting = append(g.waiting, c)
	g.all[c] = struct{}{}
	g.mu.Unlock()
	if evict != nil {
		g.refused("closed: %d connections waiting to log in; the oldest, from %s, made room", MaxWaiting, evict.ip)
		evict.Close()
	}
	ctx.SetValue(connKey, c)
	deadline := g.srv.cfg.LoginDeadline
	time.AfterFunc(deadline, func() {
		c.mu.Lock()
		late := c.waiting && !c.closed
		c.mu.Unlock()
		if late {
			g.refused("closed: no login within %s from %s", deadline, c.ip)
			c.Close()
		}
	})
	return c
}

// refused logs a refusal, at most one line a second with a count of any
// left unlogged, so a flood cannot flood the log.
func (g *guard) refused(format string, args ...any) {
	n := g.refusals.Add(1)
	g.mu.Lock()
	now := time.Now()
	if now.Sub(g.lastLog) < time.Second {
		g.mu.Unlock()
		return
	}
	g.lastLog = now
	g.mu.Unlock()
	g.refusals.Add(-n)
	if n > 1 {
		format += " (and %d more refused since the last line)"
		args = append(args, n-1)
	}
	g.srv.cfg.Log.Printf(format, args...)
}

// release takes c out of those waiting to log in.
func (g *guard) release(c *conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, w := range g.waiting {
		if w == c {
			g.waiting = append(g.waiting[:i], g.waiting[i+1:]...)
			if g.perAddr[c.ip]--; g.perAddr[c.ip] <= 0 {
				delete(g.perAddr, c.ip)
			}
			return
		}
	}
}

// Waiting is how many connections are waiting to log in.
func (srv *Server) Waiting() int {
	srv.guard.mu.Lock()
	defer srv.guard.mu.Unlock()
	return len(srv.guard.waiting)
}

// closeAll closes every connection, logged in or not, and takes no more.
func (g *guard) closeAll() {
	g.mu.Lock()
	g.closing = true
	all := make([]*conn, 0, len(g.all))
	for c := range g.all {
		all = append(all, c)
	}
	g.mu.Unlock()
	for _, c := range all {
		c.Close()
	}
}

func (c *conn) Close() error {
	c.mu.Lock()
	first := !c.closed
	wasWaiting := c.waiting
	c.closed, c.waiting = true, false
	if c.idle != nil {
		c.idle.Stop()
	}
	c.mu.Unlock()
	if first {
		if wasWaiting {
			c.g.release(c)
		}
		c.g.mu.Lock()
		delete(c.g.all, c)
		c.g.mu.Unlock()
	}
	return c.Conn.Close()
}

// loggedIn: the connection proved it holds a listed key; it no longer
// counts as waiting, and is closed after --idle without a session.
func (c *conn) loggedIn() {
	c.mu.Lock()
	was := c.waiting
	c.waiting = false
	c.mu.Unlock()
	if was {
		c.g.release(c)
	}
	c.sessionEnded(0)
}

// sessionStarted counts a session (SSH channel), refusing one over
// MaxSessionsPerConn.
func (c *conn) sessionStarted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sessions >= MaxSessionsPerConn {
		return false
	}
	c.sessions++
	if c.idle != nil {
		c.idle.Stop()
		c.idle = nil
	}
	return true
}

// sessionEnded uncounts a session (by ended); with none left, the
// connection is closed after idle unless one starts.
func (c *conn) sessionEnded(ended int) {
	idle := c.g.srv.cfg.Idle
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions -= ended
	if c.sessions > 0 || idle <= 0 || c.closed {
		return
	}
	if c.idle != nil {
		c.idle.Stop()
	}
	var t *time.Timer
	t = time.AfterFunc(idle, func() {
		c.mu.Lock()
		still := c.idle == t && c.sessions == 0 && !c.closed
		c.mu.Unlock()
		if still {
			c.g.srv.cfg.Log.Printf("closed: a connection from %s with no session for %s", c.ip, idle)
			c.Close()
		}
	})
	c.idle = t
}

// serverConfig is each connection's SSH configuration: it knows when
// its connection has logged in.
func (g *guard) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	c, _ := ctx.Value(connKey).(*conn)
	return &gossh.ServerConfig{
		MaxAuthTries: maxLoginTries,
		AuthLogCallback: func(_ gossh.ConnMetadata, _ string, err error) {
			if err == nil && c != nil {
				c.loggedIn()
			}
		},
	}
}

// sessions is the "session" channel handler: at most MaxSessionsPerConn
// at once on a connection.
func (g *guard) sessions(srv *ssh.Server, sc *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	c, _ := ctx.Value(connKey).(*conn)
	if c == nil {
		ch.Reject(gossh.Prohibited, "no session")
		return
	}
	if !c.sessionStarted() {
		ch.Reject(gossh.ResourceShortage, "at most 3 sessions on one connection")
		return
	}
	defer c.sessionEnded(1)
	ssh.DefaultSessionHandler(srv, sc, limitedChannel{ch}, ctx)
}

// limitedChannel is a session channel whose client may set at most
// maxEnv environment variables of at most maxEnvBytes each; more are
// refused.
type limitedChannel struct{ gossh.NewChannel }

func (lc limitedChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := lc.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		envs := 0
		for r := range reqs {
			if r.Type == "env" {
				if envs++; envs > maxEnv || len(r.Payload) > maxEnvBytes {
					r.Reply(false, nil)
					continue
				}
			}
			out <- r
		}
	}()
	return ch, out, nil
}
