package ui

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"dpsdesk/store"
)

// registerIndex is the register as the filter sees it, normalised once per
// load (lower case):
//   - names, matched fuzzily by sahilm/fuzzy's rules (fuzzyscore.go), with
//     a mask of their characters so that a name that cannot match is
//     passed over without being read, and for each character the names
//     holding it with their score for that character alone: the first key
//     typed is answered from it;
//   - providers, matched fuzzily once per distinct provider, not once per
//     establishment;
//   - codes (id, URN, postcode with and without its space), matched as
//     typed: codes are exact, and fuzzy matches inside them are noise.
//
// Its one question is filter(query, within). It remembers the queries
// typed one key after another over the same rows (a trail): a query that
// extends the last one searches only what that one found, and a
// backspace back to a query on the trail is answered at once.
type registerIndex struct {
	rows      []store.RegisterRow
	names     []string
	nameMasks []uint64
	provOf    []int32 // index into provs, -1 for none
	provs     []string
	provRows  [][]int32 // the rows of each provider
	codeText  string    // every row's codes, one after another
	codeEnd   []int32   // where each row's codes end in codeText
	// firstKey holds, for each ASCII byte, the names with that byte and
	// their score for it alone; otherNames are the names that are not
	// ASCII (fuzzy itself scores them).
	firstKey   [128][]scored
	otherNames []int32

	mu     sync.Mutex // the trail and the scratch below
	within []int      // the rows the trail was found in (never changed)
	posOf  []int32    // a row's place in within, -1 when not in it
	trail  []step
	slot   []int32 // per row: 1 + its place in the hits being collected, 0 for none
	hits   []hit   // the hits being collected, copied out at the end
}

// scored is a row with a score.
type scored struct {
	row, score int32
}

// step is one query on the trail: its answer (whose hits say which way
// each row matched) and the providers that matched; the next key narrows
// them.
type step struct {
	q     string
	provs []int32
	res   *filtered
}

func newRegisterIndex(rows []store.RegisterRow) *registerIndex {
	n := len(rows)
	x := &registerIndex{rows: rows, names: make([]string, n), nameMasks: make([]uint64, n),
		provOf: make([]int32, n), codeEnd: make([]int32, n), slot: make([]int32, n)}
	provIdx := map[string]int32{}
	var count [128]int
	var codes strings.Builder
	for i, r := range rows {
		name := strings.ToLower(r.Name)
		x.names[i] = name
		x.nameMasks[i] = charMask(name)
		if !isASCII(name) {
			x.nameMasks[i] = ^uint64(0) // fuzzy folds some runes to ASCII: let it decide
			x.otherNames = append(x.otherNames, int32(i))
		} else {
			var seen [128]bool
			for j := 0; j < len(name); j++ {
				if c := name[j]; !seen[c] {
					seen[c] = true
					count[c]++
				}
			}
		}
		x.provOf[i] = -1
		if p := strings.ToLower(r.Provider); p != "" {
			j, ok := provIdx[p]
			if !ok {
				j = int32(len(x.provs))
				provIdx[p] = j
				x.provs = append(x.provs, p)
				x.provRows = append(x.provRows, nil)
			}
			x.provOf[i] = j
			x.provRows[j] = append(x.provRows[j], int32(i))
		}
		pc := strings.ToLower(r.Postcode)
		codes.WriteString(strings.ToLower(r.ID) + "|" + strings.ToLower(r.URN) + "|" + pc + "|" + strings.ReplaceAll(pc, " ", ""))
		x.codeEnd[i] = int32(codes.Len())
	}
	x.codeText = codes.String()
	for c := range count {
		if count[c] > 0 {
			x.firstKey[c] = make([]scored, 0, count[c])
		}
	}
	for i, name := range x.names {
		if x.nameMasks[i] != ^uint64(0) {
			x.addFirstKeys(int32(i), name)
		}
	}
	return x
}

// codes is a row's id, URN, postcode and postcode without its space.
func (x *registerIndex) codes(r int32) string {
	from := int32(0)
	if r > 0 {
		from = x.codeEnd[r-1]
	}
	return x.codeText[from:x.codeEnd[r]]
}

// addFirstKeys files an ASCII name under each of its bytes with its score
// for that byte alone: fuzzy takes a lone character at its best place (10
// first, 20 after a separator, the earliest of equals), less 5 a leading
// character (at most 15), less one for each other character.
func (x *registerIndex) addFirstKeys(row int32, name string) {
	var best, at [128]int16
	var seen [128]bool
	for j := 0; j < len(name); j++ {
		c := name[j]
		sc := int16(0)
		if j == 0 {
			sc = fzFirstChar
		} else if fzSep[name[j-1]] {
			sc = fzAfterSep
		}
		if !seen[c] || sc > best[c] {
			best[c], at[c], seen[c] = sc, int16(min(j, 3)), true
		}
	}
	for c := range seen {
		if seen[c] {
			s := int(best[c]) + max(int(at[c])*fzLeadingChar, fzMaxLeadingPen) + 1 - len(name)
			x.firstKey[c] = append(x.firstKey[c], scored{row, int32(s)})
		}
	}
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
			m |= 1 << 63
		}
	}
	return m
}

// match is one row the filter kept; at holds fuzzy's byte offsets of the
// matched characters in the row's name (none when only the provider or a
// code matched), turned into highlights for the rows drawn.
type match struct {
	row   int
	score int
	at    []int
}

// codeBonus ranks a typed id, URN or postcode above every fuzzy match.
const codeBonus = 1 << 20

// filtered is the answer to one query: how many rows match and, best
// first, which. Only the top rows (enough for a screen) are put in order
// when the query is answered; the rest are ordered the first time a row
// beyond them is asked for. Equal scores keep the order of the rows
// searched (the register's sort). Len and At are for one goroutine.
type filtered struct {
	x      *registerIndex
	q      string
	within []int   // no query: every row of within, in its order
	hits   []hit   // every row that matched, in no order (never changed)
	top    []hit   // the best, in order; all of them once asked for
	at     [][]int // highlights of top rows, worked out when first drawn
}

// hit is a row that matched: its score, its place in the rows searched
// and which ways it matched.
type hit struct {
	row, score, pos int32
	how             uint8
}

// Ways a row matches.
const (
	byName uint8 = 1 << iota
	byProvider
	byCode
)

// topRows is how many rows are put in order when a query is answered:
// more than a screen holds.
const topRows = 256

// Len is how many rows match (0 for nil).
func (f *filtered) Len() int {
	if f == nil {
		return 0
	}
	if f.q == "" {
		return len(f.within)
	}
	return len(f.hits)
}

// At is the i-th best row, 0 ≤ i < Len.
func (f *filtered) At(i int) match {
	if f.q == "" {
		return match{row: f.within[i]}
	}
	if i >= len(f.top) {
		f.top = slices.Clone(f.hits)
		slices.SortFunc(f.top, hitOrder)
		f.at = append(f.at, make([][]int, len(f.top)-len(f.at))...)
	}
	h := f.top[i]
	m := match{row: int(h.row), score: int(h.score)}
	if h.how&byName != 0 {
		if f.at[i] == nil {
			fuzzyScoreAny(f.q, f.x.names[h.row], &f.at[i])
		}
		m.at = f.at[i]
	}
	return m
}

// find is the place of the establishment with this id among the rows
// that match, without putting every match in order; only among the top
// rows unless deep.
func (f *filtered) find(id string, deep bool) (int, bool) {
	if f == nil || id == "" {
		return 0, false
	}
	rows := f.x.rows
	if f.q == "" {
		for i, r := range f.within {
			if rows[r].ID == id {
				return i, true
			}
		}
		return 0, false
	}
	for i, h := range f.top {
		if rows[h.row].ID == id {
			return i, true
		}
	}
	if len(f.top) == len(f.hits) || !deep {
		return 0, false
	}
	for _, h := range f.hits {
		if rows[h.row].ID == id {
			place := 0
			for _, o := range f.hits {
				if better(o, h) {
					place++
				}
			}
			return place, true
		}
	}
	return 0, false
}

// hitOrder is best score first, then the order of the rows searched.
func hitOrder(a, b hit) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.pos, b.pos))
}

// better is hitOrder(a, b) < 0.
func better(a, b hit) bool {
	return a.score > b.score || a.score == b.score && a.pos < b.pos
}

// topOf puts the best topRows of hits in order, keeping them in a bounded
// heap whose root is the worst kept.
func topOf(hits []hit) []hit {
	if len(hits) <= topRows {
		top := slices.Clone(hits)
		slices.SortFunc(top, hitOrder)
		return top
	}
	w := slices.Clone(hits[:topRows])
	for i := topRows/2 - 1; i >= 0; i-- {
		siftDown(w, i)
	}
	for _, h := range hits[topRows:] {
		if better(h, w[0]) {
			w[0] = h
			siftDown(w, 0)
		}
	}
	slices.SortFunc(w, hitOrder)
	return w
}

// siftDown restores the heap (the worst at the root) below i.
func siftDown(w []hit, i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(w) && better(w[worst], w[l]) {
			worst = l
		}
		if r < len(w) && better(w[worst], w[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		w[i], w[worst] = w[worst], w[i]
		i = worst
	}
}

// filter answers query among the rows within (indexes into rows, in the
// order ties keep; within must not change afterwards: it is kept). It
// may be called from several goroutines.
func (x *registerIndex) filter(query string, within []int) *filtered {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return &filtered{x: x, within: within}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	same := len(within) == len(x.within) && (len(within) == 0 || &within[0] == &x.within[0])
	if x.posOf == nil || !same && !slices.Equal(within, x.within) {
		x.within, x.trail = within, nil
		x.posOf = slices.Repeat([]int32{-1}, len(x.rows))
		for pos, r := range within {
			x.posOf[r] = int32(pos)
		}
	}
	for len(x.trail) > 0 && !strings.HasPrefix(q, x.trail[len(x.trail)-1].q) {
		x.trail = x.trail[:len(x.trail)-1]
	}
	var from *step
	if len(x.trail) > 0 {
		from = &x.trail[len(x.trail)-1]
		if from.q == q {
			return from.res
		}
	}
	st := x.search(q, from)
	x.trail = append(x.trail, st)
	return st.res
}

// collect gathers the rows a query finds, each once with its best score.
type collect struct {
	slot []int32
	pos  []int32
	hits []hit
}

func (c *collect) keep(row, score int32, how uint8) {
	if i := c.slot[row]; i > 0 {
		h := &c.hits[i-1]
		h.score, h.how = max(h.score, score), h.how|how
		return
	}
	c.hits = append(c.hits, hit{row: row, score: score, pos: c.pos[row], how: how})
	c.slot[row] = int32(len(c.hits))
}

// search scores q over what the step before it found (from), or over
// within when there is none.
func (x *registerIndex) search(q string, from *step) step {
	st := step{q: q}
	c := &collect{slot: x.slot, pos: x.posOf, hits: x.hits[:0]}
	if !isASCII(q) {
		// Rare: fuzzy folds some runes onto others; it decides every row.
		try := func(r int32) {
			if s, ok := fuzzyScoreAny(q, x.names[r], nil); ok {
				c.keep(r, int32(s), byName)
			}
			x.tryCode(c, q, r)
			if p := x.provOf[r]; p >= 0 {
				if s, ok := fuzzyScoreAny(q, x.provs[p], nil); ok {
					c.keep(r, int32(s), byProvider)
				}
			}
		}
		if from != nil {
			for _, h := range from.res.hits {
				try(h.row)
			}
		} else {
			for _, r := range x.within {
				try(int32(r))
			}
		}
	} else {
		x.searchNames(c, q, from)
		st.provs = x.searchProviders(c, q, from)
		x.searchCodes(c, q, from)
	}
	for _, h := range c.hits {
		x.slot[h.row] = 0
	}
	x.hits = c.hits // kept for the next query: only what matched is allocated
	hits := slices.Clone(c.hits)
	top := topOf(hits)
	st.res = &filtered{x: x, q: q, hits: hits, top: top, at: make([][]int, len(top))}
	return st
}

// scoreName is fuzzy's score of an ASCII query in a row's name.
func (x *registerIndex) scoreName(q string, r int32) (int, bool) {
	if x.nameMasks[r] != ^uint64(0) { // ASCII
		return fuzzyScore(q, x.names[r], nil)
	}
	return fuzzyScoreAny(q, x.names[r], nil)
}

func (x *registerIndex) searchNames(c *collect, q string, from *step) {
	switch {
	case from != nil:
		qm := charMask(q) &^ (1 << 63)
		for _, h := range from.res.hits {
			if h.how&byName == 0 || x.nameMasks[h.row]&qm != qm {
				continue
			}
			if s, ok := x.scoreName(q, h.row); ok {
				c.keep(h.row, int32(s), byName)
			}
		}
	case len(q) == 1:
		for _, sc := range x.firstKey[q[0]] {
			if x.posOf[sc.row] >= 0 {
				c.keep(sc.row, sc.score, byName)
			}
		}
		for _, r := range x.otherNames {
			if x.posOf[r] < 0 {
				continue
			}
			if s, ok := fuzzyScoreAny(q, x.names[r], nil); ok {
				c.keep(r, int32(s), byName)
			}
		}
	default:
		qm := charMask(q) &^ (1 << 63)
		for _, r := range x.within {
			if x.nameMasks[r]&qm != qm {
				continue
			}
			if s, ok := x.scoreName(q, int32(r)); ok {
				c.keep(int32(r), int32(s), byName)
			}
		}
	}
}

// searchProviders scores each distinct provider once and keeps its rows;
// it returns the providers that matched.
func (x *registerIndex) searchProviders(c *collect, q string, from *step) []int32 {
	var found []int32
	try := func(p int32) {
		s, ok := fuzzyScoreAny(q, x.provs[p], nil)
		if !ok {
			return
		}
		found = append(found, p)
		for _, r := range x.provRows[p] {
			if x.posOf[r] >= 0 {
				c.keep(r, int32(s), byProvider)
			}
		}
	}
	if from != nil {
		for _, p := range from.provs {
			try(p)
		}
		return found
	}
	for p := range x.provs {
		try(int32(p))
	}
	return found
}

// searchCodes finds q as typed in each row's id, URN and postcode.
func (x *registerIndex) searchCodes(c *collect, q string, from *step) {
	if from != nil {
		for _, h := range from.res.hits {
			if h.how&byCode != 0 {
				x.tryCode(c, q, h.row)
			}
		}
		return
	}
	for _, r := range x.within {
		if strings.IndexByte(x.codes(int32(r)), q[0]) >= 0 {
			x.tryCode(c, q, int32(r))
		}
	}
}

func (x *registerIndex) tryCode(c *collect, q string, r int32) {
	if i := strings.Index(x.codes(r), q); i >= 0 {
		c.keep(r, int32(codeBonus-i), byCode) // the earlier in the id, the better
	}
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

// forget drops the trail: the next query is searched from the index
// alone (benchmarks type each query afresh).
func (x *registerIndex) forget() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.trail = nil
}
