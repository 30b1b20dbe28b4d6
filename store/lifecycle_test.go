package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"dpsdesk/engine"
)

// takeStep takes one step on a referral with inputs that are otherwise
// good, so that only its state can refuse it.
func takeStep(t *testing.T, s *Store, r Referral, step Step) error {
	t.Helper()
	standing := func() string { // a qualified establishment of its category that stands today
		es, _ := s.Establishments()
		floors, _ := s.Floors()
		for _, e := range es {
			if e.Status == engine.Qualified && slices.Contains(e.Categories, r.Category) && len(StandingOf(&e, testNow, floors).In(r.Category)) == 0 {
				return e.ID
			}
		}
		t.Fatal("no establishment stands")
		return ""
	}
	switch step {
	case StepEdit:
		return s.SaveDraft(r)
	case StepWiden:
		return s.Widen(r.ID, engine.WideningStepMiles)
	case StepIssue:
		_, err := s.Issue(r.ID)
		return err
	case StepBid:
		bids, _ := s.Bids(r.ID)
		floors, _ := s.Floors()
		for _, id := range r.Invited {
			e, _ := s.Establishment(id)
			if slices.ContainsFunc(bids, func(b Bid) bool { return b.Establishment == id }) || e.Status != engine.Qualified || len(StandingOf(&e, testNow, floors).In(r.Category)) > 0 {
				continue
			}
			return s.RecordBid(Bid{Referral: r.ID, Establishment: id, CoreWeeklyPence: e.CoreWeeklyPence, OutcomesScore: 60, Submitted: testNow})
		}
		if r.Status == RefIssued {
			t.Skip("no invited establishment left to bid")
		}
		return s.RecordBid(Bid{Referral: r.ID, Establishment: standing(), OutcomesScore: 60, Submitted: testNow})
	case StepClose:
		return s.CloseBids(r.ID)
	case StepEvaluate:
		_, err := s.Evaluate(r.ID)
		return err
	case StepAward:
		res, _, _ := s.Rank(r.ID, 0)
		return s.Award(AwardRequest{Referral: r.ID, Establishment: res.Recommended, Route: RouteCompetition, Start: "2026-12-07"})
	case StepParentChoice:
		res, _, _ := s.Rank(r.ID, 0)
		id := ""
		if len(res.ParentChoice) > 0 {
			id = res.ParentChoice[0]
		}
		return s.Award(AwardRequest{Referral: r.ID, Establishment: id, Route: RouteParentChoice, Start: "2026-12-07", Reason: "closest to home"})
	case StepDefer:
		return s.DeferChoice(r.ID, "2026-12-01", "a taster day first")
	case StepReissue:
		_, err := s.Reissue(r.ID, testNow.AddDate(0, 0, 14))
		return err
	case StepDirect:
		return s.Award(AwardRequest{Referral: r.ID, Establishment: standing(), Route: RouteDirect, Start: "2026-12-07", WeeklyPence: 200000, Justification: "placement breakdown"})
	case StepBlock:
		return s.Award(AwardRequest{Referral: r.ID, Establishment: standing(), Route: RouteBlock, Start: "2026-12-07", WeeklyPence: 200000, Terms: "block 7"})
	case StepWithdraw:
		return s.Withdraw(r.ID, "the family moved away")
	}
	t.Fatalf("no way to take %s", step)
	return nil
}

// TestEveryStateAndStepFollowsTheLifecycleTable takes every step from
// every state the demo holds, each on its own copy of the store: a step
// the table allows moves the referral as the table says; any other is
// refused with the table's reason and changes nothing.
func TestEveryStateAndStepFollowsTheLifecycleTable(t *testing.T) {
	demo := demoStore(t)
	dir := t.TempDir()
	master := filepath.Join(dir, "master.db")
	if err := demo.BackupTo(master); err != nil {
		t.Fatal(err)
	}
	to := map[Step][]ReferralStatus{
		StepEdit: {RefDraft}, StepWiden: {RefDraft}, StepIssue: {RefIssued}, StepBid: {RefIssued}, StepClose: {RefBidsClosed},
		StepEvaluate: {RefEvaluated, RefParentChoice, RefNoSuitableBid}, StepAward: {RefAwarded}, StepParentChoice: {RefAwarded},
		StepDefer: {RefParentChoice}, StepReissue: {RefIssued}, StepDirect: {RefAwarded}, StepBlock: {RefAwarded}, StepWithdraw: {RefWithdrawn},
	}
	refs, _ := demo.Referrals()
	for _, status := range ReferralStatuses() {
		i := slices.IndexFunc(refs, func(r Referral) bool { return r.Status == status })
		if i < 0 {
			t.Fatalf("the demo has no %s referral", status)
		}
		r := refs[i]
		for _, tr := range Lifecycle() {
			t.Run(string(status)+"/"+string(tr.Step), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "copy.db")
				if err := copyFile(master, path); err != nil {
					t.Fatal(err)
				}
				s, err := Open(path, Options{Actor: "officer.test", Now: func() time.Time { return testNow }})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				before, _ := s.Audit(AuditFilter{})
				err = takeStep(t, s, r, tr.Step)
				after, _ := s.Referral(r.ID)
				if Allowed(tr.Step, status) {
					if err != nil {
						t.Fatalf("%s from %s is in the table but was refused: %v", tr.Step, status, err)
					}
					if !slices.Contains(to[tr.Step], after.Status) {
						t.Errorf("%s from %s led to %s, the table says %s", tr.Step, status, after.Status, tr.To)
					}
					return
				}
				if !errors.Is(err, ErrState) || !strings.Contains(err.Error(), "cannot "+tr.Doing) {
					t.Fatalf("%s from %s: %v, want refused with the table's reason", tr.Step, status, err)
				}
				entries, _ := s.Audit(AuditFilter{})
				if after.Status != status || len(entries) != len(before) {
					t.Errorf("a refused %s changed the store: %s, %d entries (was %d)", tr.Step, after.Status, len(entries), len(before))
				}
			})
		}
	}
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}
