package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Create makes a new store at path, and its audit key (0600, at
// o.KeyPath, else KeyPathFor(path)) unless the key is there: the partner authorities and
// categories, then whatever fill adds (the demo register), built in a
// temporary file beside path and moved into place only when complete. A
// kill or a full disk part way leaves no store at path (a temporary
// file, named .NAME.tmp-*, is removed on the next Create once it is an
// hour old). A path that exists is refused with fs.ErrExist.
func Create(path string, o Options, fill func(*Store) error) error {
	if o.LockTimeout == 0 {
		o.LockTimeout = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Actor == "" {
		return errors.New("store: no actor named for the audit trail")
	}
	if msg := textProblem(o.Actor, MaxShortLen); msg != "" {
		return fmt.Errorf("the name for the audit trail %s", msg)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, fs.ErrExist)
	}
	dir, base := filepath.Dir(path), filepath.Base(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	removeStaleTemps(dir, base)
	if o.KeyPath == "" {
		o.KeyPath = KeyPathFor(path)
	}
	_, statKey := os.Stat(o.KeyPath)
	if _, err := ensureKey(o.KeyPath); err != nil {
		return err
	}
	madeKey := statKey != nil
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot create the store in %s: %w", dir, err)
	}
	tmp := f.Name()
	f.Close()
	os.Remove(tmp) // bbolt makes the file itself (0600)
	done := false
	defer func() {
		if !done {
			os.Remove(tmp)
			if madeKey {
				os.Remove(o.KeyPath)
			}
		}
	}()
	o.ReadOnly = false
	s, err := open(tmp, o, true)
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	s.path = path // what it is called once in place
	if fill != nil {
		if err := fill(s); err != nil {
			s.Close()
			return err
		}
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if err := place(tmp, path); err != nil {
		return err
	}
	done = true
	syncDir(dir)
	return nil
}

// place moves the finished file to path without replacing a file that
// appeared there meanwhile: a hard link fails if path exists.
func place(tmp, path string) error {
	if err := os.Link(tmp, path); err == nil {
		os.Remove(tmp)
		return nil
	} else if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w (made by someone else meanwhile)", path, fs.ErrExist)
	}
	// A file system without hard links: check, then rename.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w (made by someone else meanwhile)", path, fs.ErrExist)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("cannot move the new store into place at %s: %w", path, err)
	}
	return nil
}

func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeStaleTemps removes what an interrupted Create left, once it is
// old enough that no Create can still be writing it.
func removeStaleTemps(dir, base string) {
	old, _ := filepath.Glob(filepath.Join(dir, "."+base+".tmp-*"))
	for _, f := range old {
		if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > time.Hour &&
			strings.HasPrefix(filepath.Base(f), "."+base+".tmp-") {
			os.Remove(f)
		}
	}
}
