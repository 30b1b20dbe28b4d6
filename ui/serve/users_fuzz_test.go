package serve

import (
	"crypto/ed25519"
	"slices"
	"strings"
	"testing"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
)

// FuzzParseUsers: whatever the users file holds, the parser never
// panics; what it lets in is a valid person with a known role and
// authority; its errors name the file and a line, list at most
// maxProblems problems, and carry no control characters to the log.
func FuzzParseUsers(f *testing.F) {
	pub, _, _ := ed25519.GenerateKey(nil)
	k, _ := gossh.NewPublicKey(pub)
	key := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
	for _, seed := range []string{
		key + " alice officer WSCC\n",
		"# staff\n\n" + key + " ada admin wscc\n" + key + " vic viewer ESCC\n",
		key + " alice boss WSCC\n",
		key + " Alice Smith officer WSCC\n",
		key + " alice officer\n",
		"ssh-ed25519 AAAA erin officer WSCC\n",
		key + " \x1b]2;PWNED\x07 officer WSCC\n",
		key + " alice officer \x1b[2J\n",
		key + " alice officer WSCC\x00\n",
		strings.Repeat("x", maxUsersLine+10) + "\n",
		strings.Repeat("a b c d e\n", 50),
		"\xff\xfe" + key + " alice officer WSCC\r\n",
		"",
	} {
		f.Add(seed)
	}
	auths := []string{"WSCC", "ESCC"}
	f.Fuzz(func(t *testing.T, file string) {
		u, err := ParseUsers(strings.NewReader(file), "users.txt", auths)
		if err != nil {
			msg := err.Error()
			for _, line := range strings.Split(msg, "\n") {
				if !strings.HasPrefix(line, "users.txt") {
					t.Fatalf("a problem without the file's name: %q", line)
				}
			}
			if n := strings.Count(msg, "\n") + 1; n > maxProblems+1 {
				t.Fatalf("%d problems listed", n)
			}
			if i := strings.IndexFunc(msg, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }); i >= 0 {
				t.Fatalf("a control character in the error: %q", msg)
			}
			return
		}
		if u.Len() == 0 {
			t.Fatal("a file listing nobody was taken")
		}
		for _, p := range u.list {
			if !userName.MatchString(p.Name) || !slices.Contains(auths, p.Authority) || p.Key == nil {
				t.Fatalf("let in %+v", p)
			}
			if got, ok := u.Lookup(p.Key); !ok || got.Name != p.Name {
				t.Fatalf("%s's key finds %+v", p.Name, got)
			}
		}
	})
}
