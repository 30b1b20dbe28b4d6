// Package serve runs the desk for a whole partnership over SSH: one
// process, one open store, one bubbletea program per SSH session, each
// working as the person its key belongs to (their role and authority are
// enforced by the store). It is built on charmbracelet/wish.
package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"dpsdesk/store"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"
)

// Config says how to serve.
type Config struct {
	// Store is the open store every session shares; the caller opened it
	// and closes it after Shutdown.
	Store *store.Store
	// UsersPath is the users file (see LoadUsers).
	UsersPath string
	// HostKeyPath is the server's private key, made (ed25519, 0600) on
	// first start.
	HostKeyPath string
	// Idle closes a session after this long without a key pressed, and a
	// connection after this long without a session; 0 never.
	Idle time.Duration
	// LoginDeadline is how long a connection has to log in;
	// DefaultLoginDeadline (30 s) when 0.
	LoginDeadline time.Duration
	// Grace is how long a session holding unsaved input is given to save
	// it when the server stops.
	Grace time.Duration
	// Log receives one line per session start and end and per refusal:
	// user names, roles, addresses; never a case reference.
	Log *log.Logger
	// Now is the desk's clock; time.Now when nil.
	Now func() time.Time
}

// Server is a running dpsdesk SSH server.
type Server struct {
	cfg   Config
	users atomic.Pointer[Users]
	ssh   *ssh.Server
	guard *guard

	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
	wg       sync.WaitGroup
}

type ctxKey struct{ name string }

var userKey = &ctxKey{"dpsdesk-user"}

// New loads the users file and the host key (making it on first start)
// and builds the server; Serve starts it.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("serve: no store")
	}
	if cfg.Log == nil {
		cfg.Log = log.New(io.Discard, "", 0)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.LoginDeadline <= 0 {
		cfg.LoginDeadline = DefaultLoginDeadline
	}
	srv := &Server{cfg: cfg, sessions: map[*session]struct{}{}}
	srv.guard = newGuard(srv)
	if err := srv.Reload(); err != nil {
		return nil, err
	}
	key, created, err := hostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	if created {
		cfg.Log.Printf("made a new host key %s", cfg.HostKeyPath)
	}
	srv.ssh, err = wish.NewServer(
		wish.WithHostKeyPEM(key),
		wish.WithPublicKeyAuth(srv.authorize),
		wish.WithMiddleware(srv.middleware, srv.files), // files (scp) is looked at first
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	srv.ssh.ConnCallback = srv.guard.accept
	srv.ssh.ServerConfigCallback = srv.guard.serverConfig
	srv.ssh.ChannelHandlers = map[string]ssh.ChannelHandler{"session": srv.guard.sessions}
	return srv, nil
}

// Reload reads the users file again. A file with problems is refused
// whole and the users already loaded stay; sessions already open keep
// the role they started with, new ones get the new file's.
func (srv *Server) Reload() error {
	auths, err := srv.cfg.Store.Authorities()
	if err != nil {
		return err
	}
	codes := make([]string, len(auths))
	for i, a := range auths {
		codes[i] = a.Code
	}
	u, err := LoadUsers(srv.cfg.UsersPath, codes)
	if err != nil {
		return err
	}
	srv.users.Store(u)
	srv.cfg.Log.Printf("users: %d keys from %s", u.Len(), srv.cfg.UsersPath)
	return nil
}

// authorize lets in a listed key offered under its owner's name.
func (srv *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	u, ok := srv.users.Load().Lookup(key)
	switch {
	case !ok:
		srv.cfg.Log.Printf("refused: unlisted key %s for %q from %s", gossh.FingerprintSHA256(key), ctx.User(), ctx.RemoteAddr())
		return false
	case u.Name != ctx.User():
		srv.cfg.Log.Printf("refused: %s's key offered as %q from %s", u.Name, ctx.User(), ctx.RemoteAddr())
		return false
	}
	ctx.SetValue(userKey, u)
	return true
}

// Serve accepts sessions on l until Shutdown.
func (srv *Server) Serve(l net.Listener) error {
	err := srv.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops taking connections, then closes every session: at once
// where nothing typed would be lost, after the grace period where a form
// holds unsaved input (its user is told, on screen). Everything saved is
// in the store; the caller closes the store after Shutdown returns.
func (srv *Server) Shutdown(ctx context.Context) error {
	srv.mu.Lock()
	srv.closing = true
	open := make([]*session, 0, len(srv.sessions))
	for s := range srv.sessions {
		open = append(open, s)
	}
	srv.mu.Unlock()
	lnErr := make(chan error, 1)
	go func() { lnErr <- srv.ssh.Shutdown(ctx) }()
	for _, s := range open {
		s.close(fmt.Sprintf("server stopping: save now, this session closes in %s", srv.cfg.Grace), srv.cfg.Grace)
	}
	done := make(chan struct{})
	go func() { srv.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	srv.ssh.Close()      // connections whose sessions have ended
	srv.guard.closeAll() // and those that never logged in
	err := <-lnErr
	if errors.Is(err, ssh.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// Sessions is how many sessions are open.
func (srv *Server) Sessions() int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.sessions)
}

func (srv *Server) track(s *session) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.closing {
		return false
	}
	srv.sessions[s] = struct{}{}
	srv.wg.Add(1)
	return true
}

func (srv *Server) untrack(s *session) {
	srv.mu.Lock()
	delete(srv.sessions, s)
	srv.mu.Unlock()
	srv.wg.Done()
}

// hostKey reads the host key, or makes one (ed25519, 0600, in a 0700
// directory) when there is none. A key others can read is refused: it is
// what tells users they reached this server and not another.
func hostKey(path string) (pemBytes []byte, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, false, err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			return nil, false, fmt.Errorf("host key %s can be read by others (mode %o): chmod 600 %s", path, fi.Mode().Perm(), path)
		}
		if _, err := gossh.ParsePrivateKey(data); err != nil {
			return nil, false, fmt.Errorf("host key %s: %w", path, err)
		}
		return data, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "dpsdesk host key")
	if err != nil {
		return nil, false, err
	}
	data = pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, false, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, false, err
	}
	return data, true, nil
}

// Fingerprint is the host key's SHA-256 fingerprint, for users to check
// the first time they connect.
func Fingerprint(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return "", err
	}
	return gossh.FingerprintSHA256(signer.PublicKey()), nil
}
