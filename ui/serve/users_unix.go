//go:build unix

package serve

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// openNoBlock opens path for reading without waiting for a writer (a
// named pipe) or a device; the caller checks what it opened before
// reading.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}

// serverUID is the account the server runs as; tests replace it.
var serverUID = os.Geteuid

// checkOwnerAndMode: the users file is owned by the account running the
// server or by root, nobody else may change it, and nobody else may read
// it except the members of a named group it is given to (0640).
func checkOwnerAndMode(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("users file %s: its owner cannot be checked", path)
	}
	me := serverUID()
	if int(st.Uid) != me && st.Uid != 0 {
		return fmt.Errorf("users file %s is owned by %s, not by %s (the account running the server) or root: chown %s %s",
			path, account(int(st.Uid)), account(me), nameOr(me), path)
	}
	perm := fi.Mode().Perm()
	switch {
	case perm&0o022 != 0:
		return fmt.Errorf("users file %s can be changed by others than its owner (mode %04o): chmod 600 %s", path, perm, path)
	case perm&0o007 != 0:
		return fmt.Errorf("users file %s can be read by every account on this machine (mode %04o): chmod 600 %s (or 640 with a group of its own)", path, perm, path)
	case perm&0o111 != 0:
		return fmt.Errorf("users file %s is marked executable (mode %04o): chmod 600 %s", path, perm, path)
	case perm&0o040 != 0:
		if g, err := user.LookupGroupId(strconv.Itoa(int(st.Gid))); err != nil || g.Name == "" {
			return fmt.Errorf("users file %s can be read by group %d, which has no name here (mode %04o): chmod 600 %s, or chgrp it to a named group", path, st.Gid, perm, path)
		}
	}
	return nil
}

// account names a uid for an error: "nobody (uid 65534)".
func account(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		return fmt.Sprintf("%s (uid %d)", u.Username, uid)
	}
	return fmt.Sprintf("uid %d", uid)
}

func nameOr(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		return u.Username
	}
	return strconv.Itoa(uid)
}
