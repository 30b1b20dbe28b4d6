package ui

import (
	"errors"
	"fmt"
	"strings"

	"dpsdesk/engine"
	"dpsdesk/store"

	tea "github.com/charmbracelet/bubbletea"
)

// askLift is lifting in one flow. Where every selected suspension's
// criterion passes again, it asks only what lifts it. Otherwise it asks
// for the new evidence of the failed criterion (seen today) and, when the
// criterion's evidence lapses, its new expiry, then records it and lifts
// in one step; if the criterion still fails, nothing is recorded and the
// question stays open with what was typed.
func (r *review) askLift(sel []store.ReviewItem) tea.Cmd {
	ready := true
	for _, it := range sel {
		ready = ready && it.ReadyToLift
	}
	crit := sel[0].Criterion
	for _, it := range sel[1:] {
		if it.Criterion != crit {
			crit = ""
		}
	}
	if !ready && crit == "" {
		return failure(errors.New("these were suspended for different criteria: lift them one at a time, or mark only those ready to lift"))
	}
	label := fmt.Sprintf("Lift %s: evidence that lifts it%s", names(sel), who(sel))
	if !ready {
		label = fmt.Sprintf("Lift %s: new %s evidence seen today%s", names(sel), crit, who(sel))
	}
	forAll := ""
	if len(sel) > 1 {
		forAll = fmt.Sprintf(" for all %d", len(sel))
	}
	var askNote func(value string)
	askNote = func(value string) {
		r.prompt = newPrompt(label, value, "e.g. "+liftExample(sel), func(note string) tea.Cmd {
			if note == "" {
				askNote("")
				return failure(fmt.Errorf("say what evidence lifts the suspension; nothing changed"))
			}
			if ready || !hasExpiry(crit) {
				return r.lift(sel, ready, note, "", func() { askNote(note) })
			}
			var askExpiry func(value string)
			askExpiry = func(value string) {
				r.prompt = newPrompt(fmt.Sprintf("New %s expiry%s (e.g. 22 Nov 2027)", crit, forAll), value, "the date the new evidence lapses", func(exp string) tea.Cmd {
					return r.lift(sel, ready, note, exp, func() { askExpiry(exp) })
				})
				r.prompt.initial = ""
			}
			askExpiry("")
			return nil
		})
		r.prompt.initial = ""
	}
	askNote("")
	return nil
}

// lift lifts the selected suspensions, all or none: where all are ready,
// on the evidence that lifts them; otherwise recording the new evidence
// first. On a refusal again asks what was last asked, keeping what was
// typed.
func (r *review) lift(sel []store.ReviewItem, ready bool, note, expires string, again func()) tea.Cmd {
	var err error
	if ready {
		err = r.ctx.Store.LiftAll(ids(sel), note)
	} else {
		reqs := make([]store.LiftRequest, len(sel))
		for i, it := range sel {
			reqs[i] = store.LiftRequest{ID: it.ID, Evidence: note, Expires: expires}
		}
		err = r.ctx.Store.LiftWithEvidence(reqs)
	}
	if err != nil {
		again()
		return failure(fmt.Errorf("%w; nothing changed", err))
	}
	done := "it can be invited again"
	if len(sel) > 1 {
		done = "they can be invited again"
	}
	return tea.Batch(changed, status("Suspension of %s lifted: %s", names(sel), done))
}

func hasExpiry(id engine.CriterionID) bool {
	for _, c := range engine.Criteria() {
		if c.ID == id {
			return c.HasExpiry
		}
	}
	return false
}

func ids(items []store.ReviewItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// names says who an action applies to: one by name, several by count.
func names(items []store.ReviewItem) string {
	if len(items) == 1 {
		return items[0].Name
	}
	return plural(len(items), "establishment")
}

// who names the marked rows a bulk question is about, up to three:
// " (Ashcombe Lodge, Oak House and 3 more)"; "" for one.
func who(items []store.ReviewItem) string {
	if len(items) < 2 {
		return ""
	}
	ns := make([]string, 0, 3)
	for _, it := range items[:min(3, len(items))] {
		ns = append(ns, it.Name)
	}
	if len(items) > 3 {
		return fmt.Sprintf(" (%s and %d more)", strings.Join(ns, ", "), len(items)-3)
	}
	return fmt.Sprintf(" (%s and %s)", strings.Join(ns[:len(ns)-1], ", "), ns[len(ns)-1])
}

// liftExample is the placeholder of the evidence that lifts: an example of
// the evidence of the criterion the selected were suspended for.
func liftExample(sel []store.ReviewItem) string {
	for _, c := range engine.Criteria() {
		if c.ID == sel[0].Criterion {
			return c.Example
		}
	}
	return "the evidence seen, and where"
}
