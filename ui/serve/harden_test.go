package serve

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestFetchFollowsNoLinks: a symbolic link inside one's own folder leads
// nowhere — not into another authority's folder, not even to a file
// beside it — and a linked directory on the way is refused too.
func TestFetchFollowsNoLinks(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links")
	}
	files := t.TempDir()
	east, west := filepath.Join(files, "ESCC"), filepath.Join(files, "WSCC")
	for dir, body := range map[string]string{east: "east", west: "west"} {
		os.MkdirAll(filepath.Join(dir, "summaries"), 0o700)
		os.WriteFile(filepath.Join(dir, "summaries", "s.txt"), []byte(body), 0o600)
	}
	os.Symlink(filepath.Join(west, "summaries", "s.txt"), filepath.Join(east, "summaries", "abs.txt"))
	os.Symlink("../../WSCC/summaries/s.txt", filepath.Join(east, "summaries", "rel.txt"))
	os.Symlink("s.txt", filepath.Join(east, "summaries", "beside.txt"))
	os.Symlink(filepath.Join(west, "summaries"), filepath.Join(east, "west"))
	os.Symlink("summaries", filepath.Join(east, "inner"))
	for _, c := range []struct{ path, want string }{
		{"summaries/abs.txt", "summaries/abs.txt: a link, not a file"},
		{"summaries/rel.txt", "summaries/rel.txt: a link, not a file"},
		{"summaries/beside.txt", "summaries/beside.txt: a link, not a file"},
		{"west/s.txt", "west/s.txt: a link, not a file"},
		{"inner/s.txt", "inner/s.txt: a link, not a file"},
		{"../WSCC/summaries/s.txt", "name a file in your folder"},
		{"/etc/passwd", "name a file in your folder"},
		{"summaries", "summaries is not a file"},
		{"summaries/none.txt", "no such file in your folder"},
	} {
		f, _, err := openInside(east, c.path)
		if err == nil {
			f.Close()
			t.Errorf("%s was opened", c.path)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), files) {
			t.Errorf("%s: %v, want %q and no server path", c.path, err, c.want)
		}
	}
	f, info, err := openInside(east, "summaries/s.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := os.ReadFile(f.Name()); string(b) != "east" || info.Size() != 4 {
		t.Fatalf("own file: %q", b)
	}
}
