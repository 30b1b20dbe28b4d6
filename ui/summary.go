package ui

import (
	"fmt"
	"strings"

	"dpsdesk/store"
	"dpsdesk/store/publish"
)

// writeSummary sets out the family's take-away summary of a meeting, which
// store/publish writes as plain text and as HTML that prints on one A4
// page, beside the store in summaries/. Before a decision it sets out the settings to choose from;
// after one it confirms what they chose, why in their words and the start
// date (or that they wanted more time, and when we will be in touch). It
// names the child only by the authority's case reference, the officer by
// the name, phone and e-mail of their profile (never a login name), and
// holds no price, score or other referral.
func writeSummary(ctx *Context, r store.Referral, settings []setting, done *outcome, contact *store.Profile) ([]string, error) {
	dir, err := ctx.filesIn("summaries")
	if err != nil {
		return nil, err
	}
	today := ctx.Now().Format("2 January 2006")
	next := nextSteps(done, hasNumber(contact))
	contactText := contactWords(ctx, r, contact)

	title := "Choosing a setting"
	var decided []string // the outcome's lines, when there is one
	shown := settings
	var others []string
	switch {
	case done.choice():
		title = "Your choice of setting"
		decided = append(decided, "You chose "+done.chosen+".")
		if done.reason != "" {
			decided = append(decided, fmt.Sprintf("Why, in your words: %q", done.reason))
		}
		decided = append(decided, "The placement is to start on "+longDate(done.start)+".")
		// The chosen setting in full; the others by name.
		shown = nil
		for _, s := range settings {
			if s.name == done.chosen {
				shown = append(shown, s)
			} else {
				others = append(others, s.name)
			}
		}
	case done != nil:
		title = "Choosing a setting: more time"
		decided = append(decided, "You would like "+done.wanted+" before choosing.",
			"We will be in touch on "+longDate(done.followUp)+".")
	}
	introText := fmt.Sprintf(intro, len(settings)) + " " + notARecommendation
	if done.choice() {
		introText = "This confirms the setting you chose, and what happens next."
	}
	doc := publish.FamilySummary{Referral: r.ID, Title: title, CaseRef: r.ChildRef, Prepared: today, Intro: introText,
		Decided: decided, Next: next, Contact: contactText}
	for i, s := range shown {
		n := i + 1
		if done.choice() {
			n = settingNumber(settings, s)
		}
		doc.Settings = append(doc.Settings, publish.FamilySetting{Text: s.lines(n, 76, false), Page: s.lines(n, 1000, false)})
	}
	if len(others) > 0 {
		doc.Others = "The other settings you looked at: " + strings.Join(others, "; ") + "."
	}
	// The document is written by the one package that writes documents.
	return publish.WriteFamilySummary(dir, doc)
}

// settingNumber is a setting's number on the meeting screen.
func settingNumber(settings []setting, s setting) int {
	for i := range settings {
		if settings[i].id == s.id {
			return i + 1
		}
	}
	return 1
}

const intro = "These are the %d settings you are asked to choose between. The council assessed them so close together that the choice is yours. For each, it says which of your child's needs it can meet and which it cannot."
