package cli

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"dpsdesk/ui/serve"
)

func runServe(env IO, args []string) error {
	fs := newFlags(env, "serve", "serve --db PATH --users FILE [--listen :2222] [--host-key FILE] [--idle 30m] [--grace 30s]",
		`Serves the desk over SSH to everyone listed in the users file, on one
shared store. Each line of the users file is
  `+serve.UsersFormat+`
The file must be a regular file owned by the account running the server
(or root), mode 0600, or 0640 with a named group. Only listed keys get
in, under the user name on their line. Roles: admin
(configuration, every authority), officer (the register and their own
authority's referrals), viewer (reads only). SIGHUP reloads the users file
for new sessions; SIGTERM or ctrl+c closes every session (a user with
unsaved input is given --grace to save it) and then the store.`)
	sf := addStoreFlags(fs, false)
	listen := fs.String("listen", ":2222", "the `address` to listen on")
	users := fs.String("users", "", "the users `file` (required)")
	hostKeyPath := fs.String("host-key", "", "the server's private `key`, made on first start (default: dpsdesk_host_ed25519 beside the store)")
	idle := fs.Duration("idle", 30*time.Minute, "close a session after this long without a key, and a connection after this long without a session (0: never)")
	grace := fs.Duration("grace", 30*time.Second, "at shutdown, how long a user with unsaved input has to save it")
	backupDir := fs.String("backup-dir", "", "copy the store into this `directory` at start and every --backup-every (the running server holds the store's lock, so `dpsdesk backup` cannot)")
	backupEvery := fs.Duration("backup-every", 24*time.Hour, "how often to copy the store into --backup-dir")
	backupKeep := fs.Int("backup-keep", 14, "how many copies to keep in --backup-dir")
	pos, err := parse(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("serve takes no arguments, only flags (see dpsdesk help serve)")
	}
	if *users == "" {
		return usageError("--users FILE is required: who may connect, one line each (%s)", serve.UsersFormat)
	}
	if *idle < 0 || *grace < 0 {
		return usageError("--idle and --grace cannot be negative")
	}
	if *backupDir != "" && (*backupEvery < time.Minute || *backupKeep < 1) {
		return usageError("--backup-every must be a minute or more and --backup-keep 1 or more")
	}
	if sf.as == "" {
		sf.as = "dpsdesk-serve"
	}
	s, err := sf.open(env, true)
	if err != nil {
		return err
	}
	defer s.Close() // on the error paths; a clean stop closes it below
	if *hostKeyPath == "" {
		*hostKeyPath = filepath.Join(filepath.Dir(s.Path()), "dpsdesk_host_ed25519")
	}
	logger := log.New(env.Stderr, "dpsdesk serve: ", log.LstdFlags)
	srv, err := serve.New(serve.Config{Store: s, UsersPath: *users, HostKeyPath: *hostKeyPath, Idle: *idle, Grace: *grace, Log: logger})
	if err != nil {
		return &exitError{ExitUsage, err}
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fp, _ := serve.Fingerprint(*hostKeyPath)
	logger.Printf("serving %s on %s (host key %s)", s.Path(), l.Addr(), fp)

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, append(reloadSignals, stopSignals...)...)
	defer signal.Stop(sigs)
	stopBackups := func() {}
	if *backupDir != "" {
		ctx, cancel := context.WithCancel(context.Background())
		backups := make(chan struct{})
		go func() { serve.Backups(ctx, s, *backupDir, *backupEvery, *backupKeep, logger.Printf); close(backups) }()
		stopBackups = sync.OnceFunc(func() { cancel(); <-backups }) // a copy under way finishes first
		defer stopBackups()
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	for {
		select {
		case err := <-served:
			return err
		case sig := <-sigs:
			if slices.Contains(reloadSignals, sig) {
				if err := srv.Reload(); err != nil {
					logger.Printf("users file not reloaded, the old one stays: %v", err)
				}
				continue
			}
			logger.Printf("%s: closing %d sessions", sig, srv.Sessions())
			ctx, cancel := context.WithTimeout(context.Background(), *grace+10*time.Second)
			err := srv.Shutdown(ctx)
			cancel()
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			<-served
			stopBackups()
			if err := s.Close(); err != nil {
				return fmt.Errorf("closing the store: %w", err)
			}
			logger.Printf("stopped; the store is closed")
			return nil
		}
	}
}
