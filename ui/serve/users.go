package serve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"dpsdesk/store"

	gossh "golang.org/x/crypto/ssh"
)

// User is one line of the users file: who may connect, with which key, in
// which role, for which partner authority.
type User struct {
	Name      string
	Role      store.Role
	Authority string // for an admin, where they work; they see every authority
	Key       gossh.PublicKey
	Line      int
}

// Principal is who the user works as in the store.
func (u User) Principal() store.Principal {
	p := store.Principal{User: u.Name, Role: u.Role, Authority: u.Authority}
	if u.Role == store.RoleAdmin {
		p.Authority = ""
	}
	return p
}

// Users is a parsed users file: keys to people.
type Users struct {
	byKey map[string]User
	list  []User
}

// Lookup finds the person a key belongs to.
func (u *Users) Lookup(key gossh.PublicKey) (User, bool) {
	if u == nil || key == nil {
		return User{}, false
	}
	found, ok := u.byKey[string(key.Marshal())]
	return found, ok
}

// Len is how many keys are listed.
func (u *Users) Len() int { return len(u.list) }

var userName = regexp.MustCompile(`^[a-z][a-z0-9._-]{0,63}$`)

// UsersFormat says what a line of the users file holds, for errors and
// help.
const UsersFormat = "KEY-TYPE KEY USER ROLE AUTHORITY (e.g. ssh-ed25519 AAAAC3Nz… jsmith officer WSCC)"

// Limits on the users file: what is read at most, how long reading may
// take (a file on a hung network disk must not hold up SIGHUP and then
// SIGTERM), how long a line may be, and how many problems are listed.
const (
	MaxUsersFile   = 1 << 20 // 1 MiB: some 8,000 lines
	maxUsersLine   = 16 << 10
	maxProblems    = 20
	usersReadLimit = 5 * time.Second
)

// usersTimeout is how long LoadUsers waits for the file, and
// readUsers how it reads it; tests replace them.
var (
	usersTimeout = usersReadLimit
	readUsers    = readUsersFile
)

// LoadUsers reads a users file: one line per key,
//
//	ssh-ed25519 AAAAC3Nz... jsmith officer WSCC
//
// with # comments and blank lines. Roles are admin, officer and viewer;
// the authority is a partner authority's code. The file decides who gets
// into the store, so it must be a regular file (not a pipe or a device:
// it is opened without blocking and checked before anything is read) of
// at most MaxUsersFile bytes, owned by the account running the server or
// by root, and writable by its owner alone; on Unix it is 0600, or 0640
// when its group is a named group (chgrp dpsdesk). Reading it gives up
// after a few seconds. Every problem is reported with the file and its
// line; nothing is half-loaded.
func LoadUsers(path string, authorities []string) (*Users, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	read := readUsers
	go func() {
		data, err := read(path)
		done <- result{data, err}
	}()
	t := time.NewTimer(usersTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		return ParseUsers(bytes.NewReader(r.data), filepath.Base(path), authorities)
	case <-t.C:
		return nil, fmt.Errorf("users file %s: not read within %s (a pipe, or a disk that does not answer?): it must be a regular file on a local disk", path, usersTimeout)
	}
}

// readUsersFile opens the file without blocking, checks what it is, who
// owns it and who may read and change it, and reads at most MaxUsersFile
// bytes of it.
func readUsersFile(path string) ([]byte, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("users file %s is not a regular file (%s): it must be a plain text file", path, kind(fi.Mode()))
	}
	if err := checkOwnerAndMode(path, fi); err != nil {
		return nil, err
	}
	if fi.Size() > MaxUsersFile {
		return nil, fmt.Errorf("users file %s is %d bytes; at most %d are read (some 8,000 lines): is it the right file?", path, fi.Size(), MaxUsersFile)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxUsersFile+1))
	if err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	if len(data) > MaxUsersFile { // it grew while being read
		return nil, fmt.Errorf("users file %s is over %d bytes: is it the right file?", path, MaxUsersFile)
	}
	return data, nil
}

// kind names a file type for an error.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "not a plain file"
}

// ParseUsers reads users from r; name is the file's name for errors.
func ParseUsers(r io.Reader, name string, authorities []string) (*Users, error) {
	u := &Users{byKey: map[string]User{}}
	byName := map[string]User{}
	var problems []string
	bad := func(line int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s line %d: %s", name, line, fmt.Sprintf(format, args...)))
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxUsersLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 5 {
			bad(line, "has %d fields; a line has 5: %s", len(f), UsersFormat)
			continue
		}
		key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(f[0] + " " + f[1]))
		if err != nil {
			bad(line, "the key is not an SSH public key (%v)", err)
			continue
		}
		usr := User{Name: f[2], Authority: strings.ToUpper(f[4]), Key: key, Line: line}
		if !userName.MatchString(usr.Name) {
			bad(line, "user %q: lower-case letters, digits, '.', '_' or '-', starting with a letter", usr.Name)
			continue
		}
		if usr.Role, err = store.ParseRole(f[3]); err != nil {
			bad(line, "%v", err)
			continue
		}
		if !slices.Contains(authorities, usr.Authority) {
			bad(line, "authority %q: must be one of %s", f[4], strings.Join(authorities, ", "))
			continue
		}
		k := string(key.Marshal())
		if other, dup := u.byKey[k]; dup {
			bad(line, "this key is already %s's (line %d): one key, one person", other.Name, other.Line)
			continue
		}
		if other, seen := byName[usr.Name]; seen && (other.Role != usr.Role || other.Authority != usr.Authority) {
			bad(line, "%s is %s for %s on line %d: a person has one role and one authority", usr.Name, other.Role, other.Authority, other.Line)
			continue
		}
		byName[usr.Name] = usr
		u.byKey[k] = usr
		u.list = append(u.list, usr)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		bad(line+1, "is longer than %d bytes: a line is one key and four words", maxUsersLine)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(problems) > maxProblems {
		problems = append(problems[:maxProblems], fmt.Sprintf("%s: and %d more problems", name, len(problems)-maxProblems))
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	if len(u.list) == 0 {
		return nil, fmt.Errorf("%s lists nobody, so nobody could connect: add a line %s", name, UsersFormat)
	}
	return u, nil
}
