package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole store to w, from one read
// transaction: changes made meanwhile are not in it, and none is half in.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// BackupTo writes a consistent copy to a new file (0600). It refuses to
// overwrite a file, and leaves nothing behind when it fails.
func (s *Store) BackupTo(path string) error {
	if abs, err := filepath.Abs(path); err == nil {
		if self, err := filepath.Abs(s.path); err == nil && abs == self {
			return fmt.Errorf("%s is the store itself: back up to another file", path)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write the backup: %w", err)
	}
	_, err = s.Backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s failed, nothing kept: %w", path, err)
	}
	return nil
}
