package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dpsdesk/engine"
	"dpsdesk/store"
)

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// parseNeeds reads "ASD:2; SLCN" against the category's vocabulary.
func parseNeeds(s string, vocab []string) ([]engine.Need, error) {
	var out []engine.Need
	for _, item := range splitList(s) {
		id, mark, err := idMark(item)
		if err != nil {
			return nil, err
		}
		id = strings.ToUpper(id)
		if !slices.Contains(vocab, id) {
			return nil, fmt.Errorf("%q is not a need of this category (%s)", id, strings.Join(vocab, ", "))
		}
		if slices.ContainsFunc(out, func(n engine.Need) bool { return n.ID == id }) {
			return nil, fmt.Errorf("%s is listed twice", id)
		}
		out = append(out, engine.Need{ID: id, Mark: mark})
	}
	return out, nil
}

// parseFeatures reads "wheelchair-access!; on-site-slt:2".
func parseFeatures(s string, vocab []string) ([]engine.Feature, error) {
	var out []engine.Feature
	for _, item := range splitList(s) {
		must := strings.HasSuffix(item, "!")
		id, mark, err := idMark(strings.TrimSuffix(item, "!"))
		if err != nil {
			return nil, err
		}
		id = strings.ToLower(id)
		if !slices.Contains(vocab, id) {
			return nil, fmt.Errorf("%q is not a feature of this category (%s)", id, strings.Join(vocab, ", "))
		}
		if slices.ContainsFunc(out, func(f engine.Feature) bool { return f.ID == id }) {
			return nil, fmt.Errorf("%s is listed twice", id)
		}
		if must {
			mark = 0 // must-haves decide compliance only
		}
		out = append(out, engine.Feature{ID: id, Mark: mark, Must: must})
	}
	return out, nil
}

func idMark(item string) (string, int, error) {
	id, m, has := strings.Cut(item, ":")
	id = strings.TrimSpace(id)
	if !has {
		return id, 1, nil
	}
	mark, err := strconv.Atoi(strings.TrimSpace(m))
	if err != nil || mark < 1 || mark > 1000 {
		return "", 0, fmt.Errorf("the mark of %s must be a whole number, 1 or more", id)
	}
	return id, mark, nil
}

func formatNeeds(ns []engine.Need) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.ID
		if n.Mark != 1 {
			parts[i] += ":" + strconv.Itoa(n.Mark)
		}
	}
	return strings.Join(parts, "; ")
}

func formatFeatures(fs []engine.Feature) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		switch {
		case f.Must:
			parts[i] = f.ID + "!"
		case f.Mark != 1:
			parts[i] = f.ID + ":" + strconv.Itoa(f.Mark)
		default:
			parts[i] = f.ID
		}
	}
	return strings.Join(parts, "; ")
}

// parseDeadline reads a deadline as typed: a date (engine.ParseDate:
// 22/11/2026, 22 Nov 2026, 2026-11-22) and a local time, "22/11/2026
// 17:00"; a date alone means 12:00.
func parseDeadline(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	date, clock := s, "12:00"
	if i := strings.LastIndexAny(s, " T"); i > 0 && strings.Contains(s[i+1:], ":") {
		date, clock = strings.TrimSpace(s[:i]), s[i+1:]
	}
	day, err := engine.ParseDate(date)
	hm, cerr := time.Parse("15:04", clock)
	if err != nil || cerr != nil {
		return time.Time{}, fmt.Errorf("%q is not a date and time: type it as 22/11/2026 17:00 (a date alone means 12:00)", s)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hm.Hour(), hm.Minute(), 0, 0, time.Local).UTC(), nil
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// plural says "1 establishment", "2 establishments" (engine.Count).
func plural(n int, noun string) string { return engine.Count(n, noun) }

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// checkList checks a ;-separated list against allowed values.
func checkList(allowed []string, required bool, what string) func(string) string {
	return func(s string) string {
		items := splitList(s)
		if required && len(items) == 0 {
			return "at least one " + what + " is required"
		}
		for _, x := range items {
			if !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, x) }) {
				return fmt.Sprintf("%q is not a known %s", x, what)
			}
		}
		return ""
	}
}

func checkDate(s string) string {
	if s = strings.TrimSpace(s); s != "" && !store.ValidDate(s) {
		return "not a date: type it as " + engine.DateExample
	}
	return ""
}

// parsePounds reads "1500", "1,500.00" or "£1,500.5" as pence.
func parsePounds(s string) (int64, error) {
	t := strings.TrimPrefix(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), "£")
	if t == "" {
		return 0, fmt.Errorf("a weekly cost is required")
	}
	whole, frac, _ := strings.Cut(t, ".")
	if len(frac) > 2 || whole == "" {
		return 0, fmt.Errorf("%q is not an amount in pounds and pence", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") {
		return 0, fmt.Errorf("%q is not an amount in pounds and pence of 0 or more", s)
	}
	return n, nil
}
