package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// While a dpsdesk has a store open for changes it holds bbolt's exclusive
// lock on the file, and it writes its process id to NAME.pid beside it
// (0600), removed again when it closes the store. Another dpsdesk that
// cannot get the lock reads that file to say which process holds it.
// A dpsdesk that opens the store read-only takes a shared lock and writes
// no pid file: bbolt's shared lock waits for the exclusive one, so a
// read-only open cannot look beside a desk that has the store open for
// changes, and no message advises it.

// PidPathFor is the file beside the store naming the process that has it
// open for changes.
func PidPathFor(path string) string { return path + ".pid" }

// writePid notes this process as the one holding the store for changes.
func writePid(path string) {
	_ = os.WriteFile(PidPathFor(path), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	_ = os.Chmod(PidPathFor(path), 0o600)
}

// removePid removes the note, if it is still this process's.
func removePid(path string) {
	if pid, ok := readPid(path); ok && pid == os.Getpid() {
		os.Remove(PidPathFor(path))
	}
}

// readPid reads the process id beside the store, if a live process has it.
func readPid(path string) (int, bool) {
	data, err := os.ReadFile(PidPathFor(path))
	if err != nil || len(data) > 64 {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

// LockedError is a store another dpsdesk holds: errors.Is(err, ErrLocked).
type LockedError struct {
	Name string // the store's file name
	// PID is the process holding it for changes, when known (0: not).
	PID int
	// ReadOnly says the holder only looks (a desk opened --read-only): we
	// wanted to change and found no process holding it for changes.
	ReadOnly bool
}

func (e *LockedError) Error() string {
	if e.ReadOnly {
		return fmt.Sprintf("%s is open in another dpsdesk that only looks (--read-only): close it there, then try again", e.Name)
	}
	who := "another dpsdesk"
	if e.PID > 0 {
		who = fmt.Sprintf("another dpsdesk (process %d)", e.PID)
	}
	return fmt.Sprintf("%s is open for changes in %s: close it there, or work from that desk", e.Name, who)
}

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// lockedError describes who holds the store, as far as can be known.
func lockedError(path string, readOnly bool) error {
	e := &LockedError{Name: filepath.Base(path)}
	pid, ok := readPid(path)
	alive := ok && processAlive(pid)
	if alive {
		e.PID = pid
	} else if !readOnly {
		// Every dpsdesk that opens for changes notes its process: with
		// no note, the one holding the file only reads it.
		e.ReadOnly = true
	}
	return e
}
