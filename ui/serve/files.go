package serve

import (
	"cmp"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/ssh"
)

// filesDir is where the desk writes a person's files (meeting summaries,
// report exports) on the server: one folder per authority, because a
// summary carries the authority's case reference; admins share one of
// their own.
func (srv *Server) filesDir(u User) string {
	who := cmp.Or(u.Principal().Authority, "partnership") // an admin's is every authority
	return filepath.Join(filepath.Dir(srv.cfg.Store.Path()), "files", who)
}

// fetchHint is the command that copies one of those files to the
// person's own computer, with the address they reached the server on.
func fetchHint(sess ssh.Session, user string) func(rel string) string {
	host, port := "HOST", "2222"
	if a, ok := sess.LocalAddr().(*net.TCPAddr); ok {
		if a.IP != nil && !a.IP.IsUnspecified() {
			host = a.IP.String()
			if a.IP.To4() == nil {
				host = "[" + host + "]"
			}
		}
		port = fmt.Sprint(a.Port)
	}
	return func(rel string) string {
		// -O: the scp protocol; OpenSSH 9 would otherwise ask for SFTP.
		return fmt.Sprintf("scp -O -P %s %s@%s:%s .", port, user, host, rel)
	}
}

// files lets a person copy their own authority's files home with scp:
// `scp -O -P PORT user@host:summaries/NAME .`. Only copying from the
// server, one file at a time, from inside their folder (no "..", nothing
// absolute, no symbolic links followed); nothing can be written to the
// server.
func (srv *Server) files(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		cmd := sess.Command()
		if len(cmd) == 0 || cmd[0] != "scp" {
			next(sess)
			return
		}
		u, ok := sess.Context().Value(userKey).(User)
		if !ok {
			sess.Exit(1)
			return
		}
		srv.cfg.Log.Printf("scp: %s %v", u.Name, cmd)
		if err := sendFile(sess, srv.filesDir(u), cmd[1:]); err != nil {
			fmt.Fprintf(sess, "\x01dpsdesk: %v\n", err) // the scp protocol's error line
			sess.Exit(1)
			return
		}
		sess.Exit(0)
	}
}

// openInside opens the file at path (slash-separated, relative) inside
// dir, with O_NOFOLLOW semantics at every step: a symbolic link anywhere
// on the way is refused, even one that points inside the folder, and
// nothing is opened outside it (os.Root resolves every component within
// dir, so a directory swapped for a link between the check and the open
// cannot lead out either). What is opened must be a regular file.
func openInside(dir, path string) (*os.File, fs.FileInfo, error) {
	if !fs.ValidPath(path) || path == "." {
		return nil, nil, fmt.Errorf("%q: name a file in your folder, e.g. summaries/NAME", path)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: no such file in your folder", path)
	}
	defer root.Close()
	parts := strings.Split(path, "/")
	for i := range parts {
		fi, err := root.Lstat(filepath.Join(parts[:i+1]...))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: no such file in your folder", path)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, nil, fmt.Errorf("%s: a link, not a file; links are not followed", path)
		}
	}
	f, err := root.Open(filepath.FromSlash(path))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: no such file in your folder", path)
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s is not a file", path)
	}
	return f, info, nil
}

// sendFile is the sending side of the scp protocol for one file from
// dir: wait for the client to be ready, send the file's header, wait,
// send its bytes and a zero, wait for the client's acknowledgement.
func sendFile(rw io.ReadWriter, dir string, args []string) error {
	var path string
	times := false
	for _, a := range args {
		switch a {
		case "-f":
		case "-p":
			times = true
		case "-t", "-r", "-d":
			return fmt.Errorf("only copying a file from the server is allowed (scp -O user@host:summaries/NAME .)")
		case "-v", "--":
		default:
			if strings.HasPrefix(a, "-") || path != "" {
				return fmt.Errorf("unexpected %q: copy one file, as scp -O user@host:summaries/NAME .", a)
			}
			path = strings.TrimPrefix(a, "./")
		}
	}
	f, info, err := openInside(dir, path)
	if err != nil {
		return err
	}
	defer f.Close()
	ack := func() error {
		var b [1]byte
		if _, err := io.ReadFull(rw, b[:]); err != nil {
			return fmt.Errorf("the client went away: %w", err)
		}
		if b[0] != 0 {
			return fmt.Errorf("the client refused the copy")
		}
		return nil
	}
	if err := ack(); err != nil { // ready
		return err
	}
	if times {
		t := info.ModTime().Unix()
		fmt.Fprintf(rw, "T%d 0 %d 0\n", t, t)
		if err := ack(); err != nil {
			return err
		}
	}
	fmt.Fprintf(rw, "C0600 %d %s\n", info.Size(), filepath.Base(path))
	if err := ack(); err != nil {
		return err
	}
	if _, err := io.Copy(rw, f); err != nil {
		return err
	}
	if _, err := rw.Write([]byte{0}); err != nil {
		return err
	}
	return ack()
}
