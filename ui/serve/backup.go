package serve

import (
	"context"
	"time"

	"dpsdesk/store"
)

// Backups copies the store into dir while the server runs — once at
// start, then every interval — keeping the newest keep copies. The copies
// are consistent (one read transaction) and 0600; a failed copy is
// logged, leaves nothing behind and is tried again next time. It returns
// when ctx ends.
func Backups(ctx context.Context, s *store.Store, dir string, every time.Duration, keep int, logf func(string, ...any)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if path, err := BackupNow(s, dir, time.Now(), keep); err != nil {
			logf("backup failed, the store is unchanged: %v", err)
		} else {
			logf("backed up to %s", path)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// BackupNow writes one copy named after the store and the time, then
// removes all but the newest keep copies of that store in dir: the
// store's BackupInto, where backups and their rotation are kept.
func BackupNow(s *store.Store, dir string, now time.Time, keep int) (string, error) {
	return s.BackupInto(dir, now, keep)
}
