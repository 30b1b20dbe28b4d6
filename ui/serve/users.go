package serve

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

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

// LoadUsers reads a users file: one line per key,
//
//	ssh-ed25519 AAAAC3Nz... jsmith officer WSCC
//
// with # comments and blank lines. Roles are admin, officer and viewer;
// the authority is a partner authority's code. A file that can be read by
// others than its owner is refused: it decides who gets into the store.
// Every problem is reported with its line; nothing is half-loaded.
func LoadUsers(path string, authorities []string) (*Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("users file %s can be changed by others than its owner (mode %o): chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	return ParseUsers(f, filepath.Base(path), authorities)
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
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
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
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	if len(u.list) == 0 {
		return nil, fmt.Errorf("%s lists nobody, so nobody could connect: add a line %s", name, UsersFormat)
	}
	return u, nil
}
