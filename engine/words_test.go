package engine

import (
	"strings"
	"testing"
	"time"
)

func TestDatesAreTypedTheEnglishWayAndShownOneWay(t *testing.T) {
	want := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"22/11/2026", "22 Nov 2026", "22 November 2026", "2026-11-22", " 22 nov 2026 ", "22/11/2026", "22 Sept 2026"} {
		got, err := ParseDate(s)
		if s == "22 Sept 2026" {
			want = time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC)
		}
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	if got, _ := ParseDate("1/2/2026"); !got.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("1/2/2026 is the first of February, got %v", got)
	}
	for _, s := range []string{"31/02/2026", "2026-02-30", "11/22/2026", "22 Smarch 2026", "tomorrow", "", "22/11/26", "2026-1-2"} {
		_, err := ParseDate(s)
		if err == nil || !strings.Contains(err.Error(), "type it as 22/11/2026, 22 Nov 2026 or 2026-11-22") {
			t.Errorf("ParseDate(%q): %v", s, err)
		}
	}
	if iso, err := ISODate("22 November 2026"); iso != "2026-11-22" || err != nil {
		t.Errorf("ISODate: %q %v", iso, err)
	}
	if got := ShowDate("2026-11-02"); got != "2 Nov 2026" {
		t.Errorf("ShowDate: %q", got)
	}
}

func TestCountsSayOneOfSomething(t *testing.T) {
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{1, "day", "1 day"}, {2, "day", "2 days"}, {0, "bid", "0 bids"}, {1, "establishment", "1 establishment"},
		{7, "establishment", "7 establishments"}, {3, "entry", "3 entries"}, {2, "category", "2 categories"},
		{2, "match", "2 matches"}, {1, "entry", "1 entry"},
	} {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}

// Every judgement has one short label, in one scheme, that fits the
// register's 13-character column at 80x24.
func TestInspectionLabelsAreOneSchemeThatFits(t *testing.T) {
	want := map[string]string{
		"ofsted/Good": "Ofsted Good", "ofsted/Requires improvement": "Ofsted RI", "ofsted/Outstanding": "Ofsted Outst",
		"cqc/Outstanding": "CQC Outst", "ofsted-report-card/Needs attention": "RC Needs att", "isi/Not met": "ISI Not met",
		"unregulated/": "Unregulated", "ofsted/": "Ofsted",
	}
	for k, w := range want {
		f, g, _ := strings.Cut(k, "/")
		if got := InspectionLabel(Framework(f), g); got != w {
			t.Errorf("InspectionLabel(%s, %q) = %q, want %q", f, g, got, w)
		}
	}
	for _, f := range Frameworks() {
		for _, g := range append(f.Grades(), "") {
			l := InspectionLabel(f, g)
			if len(l) > 13 || strings.Contains(l, ".") || strings.Contains(l, ":") {
				t.Errorf("InspectionLabel(%s, %q) = %q: over 13 characters or not in the scheme", f, g, l)
			}
		}
	}
}

// A date already kept as YYYY-MM-DD is given back as it is; one that only
// looks like it is still refused.
func TestISODateKeepsAndRefuses(t *testing.T) {
	for _, ok := range []string{"2026-11-22", "2024-02-29", "1000-01-01"} {
		if iso, err := ISODate(ok); iso != ok || err != nil {
			t.Errorf("%s: %q, %v", ok, iso, err)
		}
	}
	for _, bad := range []string{"2026-02-30", "2025-02-29", "0999-01-01", "2026-13-01", "2026-1a-01", "20261122"} {
		if iso, err := ISODate(bad); err == nil {
			t.Errorf("%s read as %s", bad, iso)
		}
	}
}

func TestShowDatesInASentence(t *testing.T) {
	for in, want := range map[string]string{
		"fee uplift 2.5% from 2026-07-30 (Independent fostering agencies)": "fee uplift 2.5% from 30 Jul 2026 (Independent fostering agencies)",
		"requirements reduced at review 2025-11-01: waking night":          "requirements reduced at review 1 Nov 2025: waking night",
		"2026-12-14":              "14 Dec 2026",
		"REF-2026-0007 stays":     "REF-2026-0007 stays",
		"not a day 2026-02-31 ok": "not a day 2026-02-31 ok",
		"":                        "",
	} {
		if got := ShowDates(in); got != want {
			t.Errorf("ShowDates(%q) = %q, want %q", in, got, want)
		}
	}
}
