package ui

import (
	"unicode/utf8"

	"github.com/sahilm/fuzzy"
)

// The register filter ranks names by sahilm/fuzzy's rules. fuzzy reads
// its source through an interface, rune by rune, several times a
// character; fuzzyScore applies the same rules to ASCII bytes in a single
// pass, so that 100,000 names are scored within a frame. For any ASCII,
// lower-case pattern and name it gives exactly fuzzy's score and matched
// offsets (TestFuzzyScoreIsFuzzys checks it over random strings); for
// anything else, fuzzyScoreAny asks fuzzy itself.
//
// The rules, as fuzzy applies them: each pattern character is taken at
// the best-scoring place among the name's characters until the next
// pattern character comes up (or the name ends): 10 for the name's first
// character, 20 after a separator, and an adjacency bonus that grows with
// each adjacent match; the first match loses 5 per leading character
// (at most 15); and the score loses one per unmatched character.

// Bonuses and penalties, as sahilm/fuzzy v0.1.1 has them.
const (
	fzFirstChar     = 10
	fzAfterSep      = 20
	fzAdjacent      = 5
	fzLeadingChar   = -5
	fzMaxLeadingPen = -15
)

// fzSep marks the separators after which a match scores fzAfterSep.
var fzSep = [256]bool{'/': true, '-': true, '_': true, ' ': true, '.': true, '\\': true}

// isASCII is true when s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fuzzyScore is fuzzy's score of p in s, both ASCII and lower case, and
// whether p matches s at all. When at is not nil the matched byte offsets
// are appended to it (at[:0] reuses its memory).
func fuzzyScore(p, s string, at *[]int) (int, bool) {
	m, n := len(p), len(s)
	if m == 0 || m > n {
		return 0, false
	}
	// A quick look first: every pattern byte in order, or no match.
	for i, j := 0, 0; i < m; j++ {
		if j == n {
			return 0, false
		}
		if s[j] == p[i] {
			i++
		}
	}
	total, matched, lastMatch := 0, 0, -1
	pi, best, bestAt, adj := 0, -1, -1, 0
	var last byte
	for j := 0; j < n; j++ {
		c := s[j]
		if pi < m && c == p[pi] {
			sc := 0
			if j == 0 {
				sc += fzFirstChar
			} else if fzSep[last] {
				sc += fzAfterSep
			}
			if matched > 0 && lastMatch == j-1 {
				b := adj*2 + fzAdjacent
				sc += b
				adj += b
			}
			if sc > best {
				best, bestAt = sc, j
			}
		}
		var nextp, nextc byte
		if pi < m-1 {
			nextp = p[pi+1]
		}
		if j+1 < n {
			nextc = s[j+1]
		}
		if (nextp == nextc || nextc == 0) && bestAt > -1 {
			if matched == 0 {
				best += max(bestAt*fzLeadingChar, fzMaxLeadingPen)
			}
			total += best
			if at != nil {
				*at = append(*at, bestAt)
			}
			matched++
			lastMatch = bestAt
			best = -1
			pi++
		}
		last = c
	}
	return total + matched - n, matched == m
}

// one is a single string as fuzzy's source.
type one string

func (o one) String(int) string { return string(o) }
func (o one) Len() int          { return 1 }

// fuzzyScoreAny is fuzzyScore for any strings: ASCII ones are scored here,
// others by fuzzy itself.
func fuzzyScoreAny(p, s string, at *[]int) (int, bool) {
	if isASCII(p) && isASCII(s) {
		return fuzzyScore(p, s, at)
	}
	found := fuzzy.FindFromNoSort(p, one(s))
	if len(found) == 0 {
		return 0, false
	}
	if at != nil {
		*at = append(*at, found[0].MatchedIndexes...)
	}
	return found[0].Score, true
}
