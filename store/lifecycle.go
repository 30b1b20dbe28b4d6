package store

import (
	"fmt"
	"slices"
	"strings"
)

// Step is one thing done to a referral.
type Step string

const (
	StepEdit         Step = "edit"
	StepWiden        Step = "widen"
	StepIssue        Step = "issue"
	StepBid          Step = "bid"
	StepClose        Step = "close"
	StepEvaluate     Step = "evaluate"
	StepAward        Step = "award"
	StepParentChoice Step = "parent_choice"
	StepDefer        Step = "defer"
	StepReissue      Step = "reissue"
	StepDirect       Step = "direct"
	StepBlock        Step = "block"
	StepWithdraw     Step = "withdraw"
)

// Transition is one row of the referral's lifecycle: the step, the states
// it may be taken from, the state it leads to and what it needs. Who may
// take it is the same for every step — an officer of the referral's
// authority, or an admin; a viewer changes nothing — and the store enforces
// it where every write passes (update, putReferral). It is declared once,
// here; the store's guards, the referral page's keys and its "Next:" line,
// and the command line all read it.
type Transition struct {
	Step  Step
	From  []ReferralStatus
	To    string // the state it leads to, in words
	Doing string // "issue it": what the step does, for messages
	Does  string // "issues it": the same, after the key that takes it
	Needs string // what it needs, in words
	Next  bool   // on the usual way forward from its states (the "Next:" line)
}

var lifecycle = []Transition{
	{StepEdit, []ReferralStatus{RefDraft}, "draft", "edit it", "edits it", "every field valid", false},
	{StepWiden, []ReferralStatus{RefDraft}, "draft", "widen it", "widens it", "a radius", false},
	{StepIssue, []ReferralStatus{RefDraft}, "issued", "issue it", "issues it", "at least one establishment eligible today", true},
	{StepBid, []ReferralStatus{RefIssued}, "issued", "take bids", "enters a bid as it arrives", "an invited establishment that stands today", true},
	{StepClose, []ReferralStatus{RefIssued}, "bids closed", "close it to bids", "closes bids", "nothing; early closing says who has not bid", true},
	{StepEvaluate, []ReferralStatus{RefBidsClosed}, "evaluated, parent choice or no suitable bid", "evaluate it", "evaluates the bids", "bids closed", true},
	{StepAward, []ReferralStatus{RefEvaluated}, "awarded", "award the recommended bid", "awards the recommended bid", "the recommended bid, whose establishment stands today", true},
	{StepParentChoice, []ReferralStatus{RefParentChoice}, "awarded", "record the parents' choice", "opens meeting mode to record the parents' choice", "one of the shortlist, with the parents' reason and a start date", true},
	{StepDefer, []ReferralStatus{RefParentChoice}, "parent choice", "wait for the parents' choice", "records that the family wants more time", "a follow-up date and what the family wants first", false},
	{StepReissue, []ReferralStatus{RefNoSuitableBid}, "issued", "re-issue it", "widens the radius and re-issues it", "someone eligible within the wider radius, and a new deadline", true},
	{StepDirect, []ReferralStatus{RefDraft, RefIssued, RefBidsClosed, RefEvaluated, RefParentChoice, RefNoSuitableBid}, "awarded", "make a direct placement", "makes a direct placement", "a written justification and a qualified establishment that stands today", false},
	{StepBlock, []ReferralStatus{RefDraft, RefIssued, RefBidsClosed, RefEvaluated, RefParentChoice, RefNoSuitableBid}, "awarded", "place it into a block booking", "places it into a block booking", "the block booking's name and a qualified establishment that stands today", false},
	{StepWithdraw, []ReferralStatus{RefDraft, RefIssued, RefBidsClosed, RefEvaluated, RefParentChoice, RefNoSuitableBid}, "withdrawn", "withdraw it", "withdraws it", "a reason", false},
}

// Lifecycle is the whole table, in the order work moves.
func Lifecycle() []Transition { return slices.Clone(lifecycle) }

// TransitionOf is one step's row.
func TransitionOf(s Step) Transition {
	for _, t := range lifecycle {
		if t.Step == s {
			return t
		}
	}
	panic("store: no lifecycle row for step " + string(s))
}

// Allowed reports whether a step may be taken from a state.
func Allowed(s Step, from ReferralStatus) bool {
	return slices.Contains(TransitionOf(s).From, from)
}

// NextSteps are the steps on the usual way forward from a state.
func NextSteps(from ReferralStatus) []Transition {
	var out []Transition
	for _, t := range lifecycle {
		if t.Next && slices.Contains(t.From, from) {
			out = append(out, t)
		}
	}
	return out
}

// MayStep refuses a step the referral's state does not allow, with the
// table's reason: what the step needs the referral to be, and what can be
// done next instead. The store's guards and the desk's keys both ask it.
func MayStep(r *Referral, s Step) error { return mayStep(r, s) }

func mayStep(r *Referral, s Step) error {
	t := TransitionOf(s)
	if slices.Contains(t.From, r.Status) {
		return nil
	}
	from := make([]string, len(t.From))
	for i, st := range t.From {
		from[i] = st.Title()
	}
	msg := fmt.Sprintf("%s is %s: cannot %s (only when %s)", r.ID, r.Status.Title(), t.Doing, strings.Join(from, " or "))
	var next []string
	for _, n := range NextSteps(r.Status) {
		next = append(next, n.Doing)
	}
	if len(next) > 0 {
		msg += "; next: " + strings.Join(next, " or ")
	}
	return stateError(msg)
}

// stateError is a step the state does not allow: errors.Is matches
// ErrState, and its words are the table's alone.
type stateError string

func (e stateError) Error() string        { return string(e) }
func (e stateError) Is(target error) bool { return target == ErrState }
