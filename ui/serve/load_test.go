package serve

import (
	"flag"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

var loadFor = flag.Duration("serve.load", time.Minute, "how long BenchmarkFiftySessions types for")

// load is what a load run saw: every keystroke's time until the screen
// answered, and any failure.
type load struct {
	latencies []time.Duration
	errs      []error
}

func (l load) percentile(p float64) time.Duration {
	if len(l.latencies) == 0 {
		return 0
	}
	s := slices.Clone(l.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// runLoad opens n sessions on one server (loopback only) and has each
// type for d: down, up, down, up, to the referrals and back, each key sent
// once the screen has answered the last. A key the screen does not answer
// within 5 seconds is a failure.
func runLoad(tb testing.TB, n int, d time.Duration) load {
	people := everyone(tb)
	ts := startServer(tb, Config{}, people...)
	terms := make([]*terminal, n)
	for i := range terms {
		terms[i] = ts.open(people[i%len(people)].name)
	}
	for _, term := range terms {
		term.waitFor(0, "establishments")
	}
	keys := []string{"j", "k", "j", "k", "3", "1"}
	var mu sync.Mutex
	var res load
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	for i, term := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for k := 0; time.Now().Before(stop); k++ {
				select { // forget what was drawn before this key
				case <-term.grew:
				default:
				}
				start := time.Now()
				if _, err := term.in.Write([]byte(keys[k%len(keys)])); err != nil {
					mu.Lock()
					res.errs = append(res.errs, fmt.Errorf("session %d: typing: %w", i, err))
					mu.Unlock()
					return
				}
				select {
				case <-term.grew:
					mine = append(mine, time.Since(start))
				case <-time.After(5 * time.Second):
					mu.Lock()
					res.errs = append(res.errs, fmt.Errorf("session %d: key %d (%q) had no answer in 5s", i, k, keys[k%len(keys)]))
					mu.Unlock()
					return
				}
			}
			mu.Lock()
			res.latencies = append(res.latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got := ts.srv.Sessions(); got != n {
		res.errs = append(res.errs, fmt.Errorf("%d sessions open at the end, want %d", got, n))
	}
	return res
}

// TestFiftySessionsTypingTogether is the load run, short: fifty people
// typing at once get an answer to every key, and nothing fails.
func TestFiftySessionsTypingTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	res := runLoad(t, 50, 3*time.Second)
	for _, err := range res.errs {
		t.Error(err)
	}
	if len(res.latencies) < 50 {
		t.Fatalf("only %d keys answered", len(res.latencies))
	}
}

// BenchmarkFiftySessions is the load run: 50 SSH sessions on loopback
// each typing for -serve.load (a minute), reporting keys answered per
// second and the 50th and 99th percentile from key to screen.
func BenchmarkFiftySessions(b *testing.B) {
	var res load
	for range b.N {
		res = runLoad(b, 50, *loadFor)
	}
	for _, err := range res.errs {
		b.Error(err)
	}
	b.ReportMetric(float64(len(res.latencies))/loadFor.Seconds(), "keys/s")
	b.ReportMetric(float64(res.percentile(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(res.percentile(0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
}
