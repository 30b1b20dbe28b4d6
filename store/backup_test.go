package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Dated copies are written private, the oldest beyond keep removed, and
// the newest is the one NewestBackup (named in a damaged store's message)
// finds; another store's copies in the same folder are left alone.
func TestBackupIntoKeepsTheNewestAndFindsThem(t *testing.T) {
	s := openTest(t, "")
	dir := filepath.Join(filepath.Dir(s.Path()), "backups")
	os.MkdirAll(dir, 0o700)
	other := filepath.Join(dir, "other-20260101-000000.db")
	os.WriteFile(other, []byte("x"), 0o600)
	var last string
	for i := range 4 {
		p, err := s.BackupInto(dir, testNow.Add(time.Duration(i)*time.Hour), 2)
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("copy %s: %v", p, err)
		}
		os.Chtimes(p, testNow.Add(time.Duration(i)*time.Hour), testNow.Add(time.Duration(i)*time.Hour))
		last = p
	}
	kept, _ := filepath.Glob(datedBackups(dir, s.Path()))
	if len(kept) != 2 || kept[1] != last {
		t.Errorf("kept %v, want the newest two ending %s", kept, last)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another store's copy was removed: %v", err)
	}
	if got := NewestBackup(s.Path()); got != last {
		t.Errorf("newest backup %q, want %q", got, last)
	}
}
