package ui

import (
	"strings"
	"testing"

	"dpsdesk/store"
)

// fieldLine is the screen's line of the form field labelled label.
func fieldLine(t *testing.T, d *desk, label string) string {
	t.Helper()
	for _, l := range strings.Split(d.view(), "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " "+d.m.ctx.Glyphs.Cursor), label) {
			return l
		}
	}
	t.Fatalf("no field %q on the screen:\n%s", label, d.view())
	return ""
}

// builderAt opens a new referral with the field labelled label focused.
func builderAt(t *testing.T, d *desk, label string) *form {
	t.Helper()
	d.keys("3", "n")
	f := d.m.top().(*form)
	for i := 0; i < len(f.fields) && f.fields[f.focus].label != label; i++ {
		d.keys("tab")
	}
	if f.fields[f.focus].label != label {
		t.Fatalf("no field %q", label)
	}
	return f
}

// TestLongFieldTextIsMarkedAtItsEdges: text longer than its field says so
// with the ellipsis at the edge it runs on beyond, focused or not, so
// nothing typed looks lost (trial C 1).
func TestLongFieldTextIsMarkedAtItsEdges(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		d := newDesk(t, testStore(t), 80, 24)
		if ascii {
			d.m.ctx.Glyphs = NewGlyphs(true)
		}
		el := d.m.ctx.Glyphs.Ellipsis
		f := builderAt(t, d, "Features")
		typed := "wheelchair-access!; transport; sensory-room:2"
		d.typeText(typed)
		// Typing at the end: the start is off the left edge, marked.
		if l := fieldLine(t, d, "Features"); !strings.Contains(l, " "+el+"hair-access!; transport; sensory-room:2") {
			t.Errorf("focused, at the end: %q", l)
		}
		d.keys("tab") // away: the start, the end marked
		if l := fieldLine(t, d, "Features"); !strings.Contains(l, " wheelchair-access!; transport; sensory-r"+el) {
			t.Errorf("not focused: %q", l)
		}
		d.keys("shift+tab", "home") // back, to the start: the end marked
		if l := fieldLine(t, d, "Features"); !strings.Contains(l, " wheelchair-access!; transport; sensory-r"+el) {
			t.Errorf("focused, at the start: %q", l)
		}
		for range 41 {
			d.keys("right")
		}
		// In the middle: marked at both edges, the cursor off both marks.
		if l := fieldLine(t, d, "Features"); !strings.Contains(l, " "+el+"elchair-access!; transport; sensory-roo"+el) {
			t.Errorf("focused, in the middle: %q", l)
		}
		if got := f.field("features").input.Value(); got != typed {
			t.Errorf("the field holds %q, not what was typed", got)
		}
		// A text that fits has no mark.
		if l := fieldLine(t, d, "Radius (miles)"); strings.Contains(l, el) {
			t.Errorf("a short text is marked: %q", l)
		}
	}
}

// TestTypedFieldsAreReplacedHoweverReached: a number or date field is
// replaced by the first key typed in it, whether it was reached by tab,
// shift+tab, an arrow or enter; an arrow within it keeps the text for
// editing (trial C 2).
func TestTypedFieldsAreReplacedHoweverReached(t *testing.T) {
	for _, label := range []string{"Radius (miles)", "Cohort/sibling size", "Quality weight (%)"} {
		for _, way := range [][2]string{{"tab", "shift+tab"}, {"down", "up"}, {"enter", "up"}, {"up", "down"}} {
			d := newDesk(t, testStore(t), 80, 24)
			f := builderAt(t, d, label)
			fl := f.fields[f.focus]
			d.typeText("two")
			d.keys(way[0], way[1]) // away and back
			d.typeText("1")
			if got := fl.input.Value(); got != "1" {
				t.Errorf("%s reached by %s: holds %q, not 1", label, way[1], got)
			}
		}
	}
	d := newDesk(t, testStore(t), 80, 24)
	f := builderAt(t, d, "Radius (miles)")
	d.keys("down", "up", "left")
	d.typeText("5")
	if got := f.fields[f.focus].input.Value(); got != "250" {
		t.Errorf("an arrow first keeps the text for editing: %q", got)
	}
}

// TestSaveNamesEveryFieldWithAProblem: ctrl+s on a form with several
// problems says the first in full and how many more, and which (trial C 5).
func TestSaveNamesEveryFieldWithAProblem(t *testing.T) {
	d := newDesk(t, testStore(t), 120, 40)
	builderAt(t, d, "Home postcode")
	d.typeText("ZZ99 9ZZ")
	d.keys("tab")
	d.typeText("far")
	d.keys("ctrl+s")
	v := strings.Join(strings.Fields(d.view()), " ")
	for _, want := range []string{"not saved: Partner authority: ", "; and 4 more: Case ref, never a name, Category, Home postcode, Radius (miles)"} {
		if !strings.Contains(v, want) {
			t.Errorf("the status lacks %q:\n%s", want, d.view())
		}
	}
}

// TestFieldHelpWraps: f1 in a form gives each field's help whole, wrapped,
// scrolling when long (trial C 4).
func TestFieldHelpWraps(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	builderAt(t, d, "Home postcode")
	d.keys("f1")
	v := strings.Join(strings.Fields(d.view()), " ")
	if !strings.Contains(v, "Home postcode: The child's home: full postcode, sector or district, e.g. RH12 1AB.") {
		t.Errorf("the focused field's help is not whole:\n%s", d.view())
	}
	if strings.Contains(d.view(), "district, e"+d.m.ctx.Glyphs.Ellipsis) {
		t.Errorf("help cut:\n%s", d.view())
	}
	d.keys("pgdown")
	v = strings.Join(strings.Fields(d.view()), " ")
	if !strings.Contains(v, "Bid deadline a date and local time, e.g. 22/11/2026 17:00; a date alone means 12:00.") {
		t.Errorf("the last field's help is not whole after a page down:\n%s", d.view())
	}
}

// TestReviewFormLabelsOutcomesByTheirWords: each finding is labelled by
// its outcome's words, cut to the label column, whole in the hint
// (trial C 3).
func TestReviewFormLabelsOutcomesByTheirWords(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 80, 24)
	d.keys("7", "enter", "r")
	f := d.m.top().(*form)
	var p store.Placement
	for _, fl := range f.fields {
		if o, ok := strings.CutPrefix(fl.key, "findings."); ok {
			if fl.label != o {
				t.Errorf("the finding for %q is labelled %q", o, fl.label)
			}
			p.Outcomes = append(p.Outcomes, o)
		}
	}
	if len(p.Outcomes) == 0 {
		t.Fatal("the review form has no outcome")
	}
	d.mustNotSee("Outcome 1")
	el := d.m.ctx.Glyphs.Ellipsis
	for _, o := range p.Outcomes {
		d.mustSee(strings.TrimRight(cell(o, labelWidth, el), " "))
	}
	d.keys("tab")
	d.mustSee("“" + p.Outcomes[0] + "”")
}

// TestPromptMarksTextRunningOn: a prompt's answer longer than its room
// is marked with the ellipsis at the edge it runs on beyond.
func TestPromptMarksTextRunningOn(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.keys("2", "x")
	d.typeText("the provider asked to leave the DPS at the end of the term because the school is closing")
	d.mustSee("reason: …", "is closing")
	d.keys("home")
	d.mustSee("reason: the provider asked")
	d.mustNotSee("is closing")
	line := ""
	for _, l := range strings.Split(d.view(), "\n") {
		if strings.Contains(l, "reason: the provider") {
			line = strings.TrimRight(l, " ")
		}
	}
	if !strings.HasSuffix(line, "…") {
		t.Errorf("the end is not marked: %q", line)
	}
}
