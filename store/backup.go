package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backups in one place: BackupTo writes one consistent copy; BackupInto
// writes the dated copies dpsdesk serve keeps (NAME-YYYYMMDD-HHMMSS.db)
// and rotates them; NewestBackup (check.go) finds them again through
// datedBackups.

// datedBackups is the pattern of the dated copies of the store at path
// kept in dir.
func datedBackups(dir, path string) string {
	base := filepath.Base(path)
	return filepath.Join(dir, strings.TrimSuffix(base, filepath.Ext(base))+"-????????-??????.db")
}

// BackupInto writes one copy into dir (made, 0700, when missing), named
// after the store and the time, then removes all but the newest keep
// dated copies of this store there (keep 0 keeps every one). It returns
// the copy's path.
func (s *Store) BackupInto(dir string, now time.Time, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	stem := strings.TrimSuffix(filepath.Base(s.path), filepath.Ext(s.path))
	path := filepath.Join(dir, fmt.Sprintf("%s-%s.db", stem, now.UTC().Format("20060102-150405")))
	if err := s.BackupTo(path); err != nil {
		return "", err
	}
	old, err := filepath.Glob(datedBackups(dir, s.path))
	if err != nil || keep <= 0 || len(old) <= keep {
		return path, err
	}
	slices.Sort(old) // the names sort by time
	for _, p := range old[:len(old)-keep] {
		os.Remove(p)
	}
	return path, nil
}

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
