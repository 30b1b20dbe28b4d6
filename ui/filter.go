package ui

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"dpsdesk/store"

	"github.com/sahilm/fuzzy"
)

// registerIndex is the register as the filter sees it, normalised once per
// load (lower case):
//   - names, matched fuzzily (sahilm/fuzzy), with a mask of their characters
//     so that a name that cannot match is passed over without being read;
//   - providers, matched fuzzily once per distinct provider, not once per
//     establishment;
//   - codes (id, URN, postcode with and without its space), matched as
//     typed: codes are exact, and fuzzy matches inside them are noise.
type registerIndex struct {
	rows      []store.RegisterRow
	names     []string
	nameMasks []uint64
	provOf    []int32 // index into provs, -1 for none
	provs     []string
	codes     []string
}

func newRegisterIndex(rows []store.RegisterRow) *registerIndex {
	n := len(rows)
	x := &registerIndex{rows: rows, names: make([]string, n), nameMasks: make([]uint64, n),
		provOf: make([]int32, n), codes: make([]string, n)}
	provIdx := map[string]int32{}
	for i, r := range rows {
		x.names[i] = strings.ToLower(r.Name)
		x.nameMasks[i] = charMask(x.names[i])
		x.provOf[i] = -1
		if p := strings.ToLower(r.Provider); p != "" {
			j, ok := provIdx[p]
			if !ok {
				j = int32(len(x.provs))
				provIdx[p] = j
				x.provs = append(x.provs, p)
			}
			x.provOf[i] = j
		}
		pc := strings.ToLower(r.Postcode)
		x.codes[i] = strings.ToLower(r.ID) + "|" + strings.ToLower(r.URN) + "|" + pc + "|" + strings.ReplaceAll(pc, " ", "")
	}
	return x
}

// charMask has a bit for each of a–z and 0–9 in s, and one for anything
// else: a name can only match a query whose mask it covers.
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			m |= 1 << (c - 'a')
		case c >= '0' && c <= '9':
			m |= 1 << (26 + c - '0')
		case c >= 0x80:
			m |= 1 << 63 // non-ASCII: let fuzzy decide
		}
	}
	return m
}

// match is one row the filter kept; at holds fuzzy's byte offsets of the
// matched characters in the row's name (none when the provider or a code
// matched), turned into highlights only for the rows drawn.
type match struct {
	row   int
	score int
	pos   int // place in the rows searched: ties keep it
	at    []int
}

// codeBonus ranks a typed id, URN or postcode above every fuzzy match.
const codeBonus = 1 << 20

// parallelFrom is the number of names above which scoring is split across
// the cores.
const parallelFrom = 4096

type strs []string

func (s strs) String(i int) string { return s[i] }
func (s strs) Len() int            { return len(s) }

// filter returns the rows among within that match the query, best first;
// equal scores keep within's order.
func (x *registerIndex) filter(query string, within []int) []match {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		out := make([]match, len(within))
		for i, r := range within {
			out[i] = match{row: r, pos: i}
		}
		return out
	}
	// Providers: each distinct one scored once.
	provScore := make([]int, len(x.provs))
	provOK := make([]bool, len(x.provs))
	for _, m := range fuzzy.FindFromNoSort(q, strs(x.provs)) {
		provOK[m.Index], provScore[m.Index] = true, m.Score
	}
	// Names: only those holding every character of the query.
	qm := charMask(q) &^ (1 << 63)
	var candPos []int
	var cand strs
	for pos, r := range within {
		if x.nameMasks[r]&qm == qm {
			candPos = append(candPos, pos)
			cand = append(cand, x.names[r])
		}
	}
	// Every row that matched, in within's order: its name's match, else
	// its provider's or a code's.
	byPos := make([]*fuzzy.Match, len(within))
	parts := fuzzyParallel(q, cand)
	for _, part := range parts {
		for i := range part {
			byPos[candPos[part[i].Index]] = &part[i]
		}
	}
	out := make([]match, 0, len(candPos))
	for pos, r := range within {
		other := minScore
		if p := x.provOf[r]; (p >= 0 && provOK[p]) || byPos[pos] != nil || strings.IndexByte(x.codes[r], q[0]) >= 0 {
			other = x.otherScore(q, r, provOK, provScore)
		}
		switch f := byPos[pos]; {
		case f != nil:
			out = append(out, match{row: r, score: max(f.Score, other), pos: pos, at: f.MatchedIndexes})
		case other > minScore:
			out = append(out, match{row: r, score: other, pos: pos})
		}
	}
	return sortByScore(out)
}

// sortByScore orders matches best score first, keeping their order among
// equal scores. Scores span a small range, so a counting sort does it in
// linear time; a wide range falls back to a comparison sort.
func sortByScore(ms []match) []match {
	if len(ms) < 2 {
		return ms
	}
	lo, hi := ms[0].score, ms[0].score
	for _, m := range ms {
		lo, hi = min(lo, m.score), max(hi, m.score)
	}
	if hi-lo > 1<<16 {
		slices.SortStableFunc(ms, func(a, b match) int { return cmp.Compare(b.score, a.score) })
		return ms
	}
	count := make([]int, hi-lo+2)
	for _, m := range ms {
		count[hi-m.score+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	out := make([]match, len(ms))
	for _, m := range ms {
		at := &count[hi-m.score]
		out[*at] = m
		*at++
	}
	return out
}

// otherScore is a row's best score from its provider or its codes.
func (x *registerIndex) otherScore(q string, r int, provOK []bool, provScore []int) int {
	best := minScore
	if p := x.provOf[r]; p >= 0 && provOK[p] {
		best = provScore[p]
	}
	if i := strings.Index(x.codes[r], q); i >= 0 {
		best = codeBonus - i // the earlier in the id, the better
	}
	return best
}

const minScore = -1 << 30

// fuzzyParallel runs sahilm/fuzzy over the names, split across the cores
// when there are many; each part's indexes are into names.
func fuzzyParallel(q string, names strs) []fuzzy.Matches {
	parts := 1
	if len(names) >= parallelFrom {
		parts = runtime.GOMAXPROCS(0)
	}
	out := make([]fuzzy.Matches, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(names)/parts, (p+1)*len(names)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			found := fuzzy.FindFromNoSort(q, names[lo:hi])
			for i := range found {
				found[i].Index += lo
			}
			out[p] = found
		}()
	}
	wg.Wait()
	return out
}

// nameRunes turns fuzzy's byte offsets in a name into rune positions.
func nameRunes(name string, bytesAt []int) []int {
	var out []int
	r, j := 0, 0
	for i := range name {
		if j >= len(bytesAt) {
			break
		}
		if i == bytesAt[j] {
			out = append(out, r)
			j++
		}
		r++
	}
	return out
}
