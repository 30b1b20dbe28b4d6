package ui

import (
	"strings"
	"testing"
)

// TestFooterNeverCutsAScreensOwnKey: at 80x24, on every screen, each of
// the screen's own keys open now is in the footer whole, the key lines
// end the frame and none is cut; the desk's help is always named (trial
// C 6).
func TestFooterNeverCutsAScreensOwnKey(t *testing.T) {
	s := testStore(t)
	for _, r := range everyScreen(t, s) {
		t.Run(r.name, func(t *testing.T) {
			d := newDesk(t, testStore(t), 80, 24)
			r.open(d)
			lines := strings.Split(d.view(), "\n")
			n := len(d.m.keyLines())
			if n-1 != d.m.keyExtra {
				t.Fatalf("%d key lines, room made for %d", n, d.m.keyExtra+1)
			}
			footer := lines[len(lines)-n:]
			el := d.m.ctx.Glyphs.Ellipsis
			for _, l := range footer {
				if strings.HasSuffix(strings.TrimRight(l, " "), el) {
					t.Errorf("a key line is cut: %q", l)
				}
			}
			all := strings.Join(footer, "\n")
			for _, k := range d.m.top().ShortHelp() {
				if !k.Enabled() || movement(k) {
					continue
				}
				if want := k.Help().Key + " " + k.Help().Desc; !strings.Contains(all, want) {
					t.Errorf("the footer lacks %q:\n%s", want, all)
				}
			}
			help := d.m.ctx.Global.Help.Help().Key + " "
			if c, ok := d.m.top().(capturer); ok && c.Capturing() {
				help = "" // a form or a room names its own help among its keys
			}
			if !strings.Contains(all, help) {
				t.Errorf("the footer does not say where the other keys are:\n%s", all)
			}
		})
	}
}

// TestReviewQueueShowsLift: on a suspended row of the review queue at
// 80x24 the footer shows lift (the trial found it cut off).
func TestReviewQueueShowsLift(t *testing.T) {
	d := newDesk(t, testStore(t), 80, 24)
	d.keys("2")
	lift := d.m.tabs[1].stack[0].(*review).keys.Lift.Help()
	for i := 0; i < 60 && !d.m.tabs[1].stack[0].(*review).enabled().Lift.Enabled(); i++ {
		d.keys("j")
	}
	if !d.m.tabs[1].stack[0].(*review).enabled().Lift.Enabled() {
		t.Fatal("no row of the demo's queue can be lifted")
	}
	lines := strings.Split(d.view(), "\n")
	if footer := strings.Join(lines[len(lines)-len(d.m.keyLines()):], "\n"); !strings.Contains(footer, lift.Key+" "+lift.Desc) {
		t.Errorf("lift is not in the footer:\n%s", footer)
	}
}

// BenchmarkKeyAndFrame is a key pressed on the review queue at 80x24 and
// the frame drawn: the footer's key lines are laid out twice (making
// room in Update, drawing in View).
func BenchmarkKeyAndFrame(b *testing.B) {
	d := newDesk(b, testStore(b), 80, 24)
	d.keys("2")
	keys := []string{"j", "k"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		d.keys(keys[i%2])
		i++
		if len(d.m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}
