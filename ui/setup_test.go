package ui

import (
	"errors"
	"slices"
	"testing"

	"dpsdesk/engine"
	"dpsdesk/store"
)

func TestSetupShowsWhoYouAreAndAnAdminChangesACap(t *testing.T) {
	s := testStore(t)
	admin, err := s.As(store.Principal{User: "dps.lead", Role: store.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, admin, 80, 24)
	d.keys("6")
	d.mustSee("You: dps.lead (admin)", "configures the partnership", "sen", "£4,000.00/wk", "no cap")
	d.keys("enter") // sen, the first
	d.mustSee("Category sen", "£4,000.00", "Ofsted floor", "Requires improvement", "Report card floor")
	d.keys("ctrl+u")
	d.typeText("-5")
	d.keys("ctrl+s")
	d.mustSee("not saved")
	if got := s.CategoryTerms(engine.CategorySEN).AffordabilityCapPence; got != 400000 {
		t.Fatalf("a refused cap changed the store: %d", got)
	}
	d.keys("ctrl+u")
	d.typeText("4,250")
	d.keys("ctrl+s")
	d.mustSee("Category sen saved", "£4,250.00/wk")
	if got := s.CategoryTerms(engine.CategorySEN).AffordabilityCapPence; got != 425000 {
		t.Fatalf("cap %d", got)
	}
	last, _ := s.Audit(store.AuditFilter{Limit: 1})
	if last[0].Action != "category.update" || last[0].Actor != "dps.lead" {
		t.Fatalf("audit %+v", last[0])
	}
}

func TestSetupIsReadOnlyForOfficersAndViewers(t *testing.T) {
	s := testStore(t)
	for _, role := range []store.Role{store.RoleOfficer, store.RoleViewer} {
		h, err := s.As(store.Principal{User: "kent." + string(role), Role: role, Authority: "KCC"})
		if err != nil {
			t.Fatal(err)
		}
		d := newDesk(t, h, 80, 24)
		d.keys("6")
		d.mustSee("kent."+string(role)+" ("+string(role)+", KCC)", "Only the partnership's admin changes these.")
		d.mustNotSee("enter change")
		d.keys("enter")
		d.mustSee("Error:")
		d.mustNotSee("Category sen")
		if err := h.CanConfigure(); !errors.Is(err, store.ErrForbidden) {
			t.Fatalf("%s may configure: %v", role, err)
		}
	}
}

// TestAnEditSavedAfterSomeoneElsesSuspensionKeepsIt: the edit form was
// opened before another session suspended the establishment; saving it
// must not put the establishment back on the register.
func TestAnEditSavedAfterSomeoneElsesSuspensionKeepsIt(t *testing.T) {
	s := testStore(t)
	west, _ := s.As(store.Principal{User: "wsx", Role: store.RoleOfficer, Authority: "WSCC"})
	east, _ := s.As(store.Principal{User: "esx", Role: store.RoleOfficer, Authority: "ESCC"})
	rows, _ := s.Register()
	var row store.RegisterRow
	for _, r := range rows {
		if r.Status == engine.Qualified {
			row = r
			break
		}
	}
	d := newDesk(t, west, 80, 24)
	d.keys("/")
	d.typeText(row.Name)
	d.keys("enter", "enter", "e")
	d.mustSee("Edit " + row.Name)
	if err := east.Suspend(row.ID, engine.CritInsurance, "certificate lapsed"); err != nil {
		t.Fatal(err)
	}
	d.typeText(" House")
	d.keys("ctrl+s")
	d.mustSee("Saved " + row.Name)
	e, _ := s.Establishment(row.ID)
	if e.Name != row.Name+" House" || e.Status != engine.Suspended {
		t.Fatalf("after the save: %q %s", e.Name, e.Status)
	}
}

func TestFilesWrittenForARemoteTerminalAreNamedToFetch(t *testing.T) {
	ctx := &Context{filesDir: "/srv/files/ESCC", fetch: func(rel string) string { return "scp " + rel }}
	if got := ctx.wrote("/srv/files/ESCC/summaries/REF-1-family-summary.txt", "/srv/files/ESCC/summaries/REF-1-family-summary.html"); got != "summaries/REF-1-family-summary (.txt, .html)" {
		t.Fatalf("%q", got)
	}
	if got := ctx.wrote("/srv/files/ESCC/reports/r.csv"); got != "reports/r.csv" {
		t.Fatalf("%q", got)
	}
	local := &Context{}
	if got := local.wrote("/home/x/summaries/a.txt", "/home/x/summaries/a.html"); got != "/home/x/summaries/a.txt and /home/x/summaries/a.html" {
		t.Fatalf("%q", got)
	}
}

func TestAnAdminRaisesACategoryFloorAndTheRegisterFollows(t *testing.T) {
	s := testStore(t)
	admin, err := s.As(store.Principal{User: "dps.lead", Role: store.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	// A residential home judged Requires improvement by Ofsted, standing
	// under the default floor.
	floors, _ := s.Floors()
	es, _ := s.Establishments()
	var target store.Establishment
	for _, e := range es {
		in, ok := e.Inspection()
		if e.Status == engine.Qualified && len(e.Categories) == 1 && e.Categories[0] == engine.CategoryResidential &&
			ok && in.Framework == engine.FrameworkOfsted && in.Grade == "Requires improvement" && store.StandingOf(&e, testNow, floors).Stands() {
			target = e
			break
		}
	}
	if target.ID == "" {
		t.Fatal("no standing residential home judged Requires improvement in the demo")
	}
	d := newDesk(t, admin, 80, 24)
	d.keys("6", "j", "j", "j")
	d.mustSee("Inspection floors of residential")
	d.keys("enter")
	d.mustSee("Category residential", "Ofsted floor")
	d.keys("tab")
	d.keys("ctrl+u")
	d.typeText("outstandingish")
	d.mustSee("not one of the Ofsted grades")
	d.keys("ctrl+u")
	d.typeText("good")
	d.mustSee("20 more out of residential")
	d.keys("ctrl+s")
	d.mustSee("Category residential saved", "Ofsted Good")
	last, _ := s.Audit(store.AuditFilter{Limit: 1})
	if last[0].Action != "category.update" || last[0].Changes[0].Field != "inspection_floors.ofsted" || last[0].Changes[0].After != "Good" {
		t.Fatalf("audit %+v", last[0])
	}
	// The home is now below the residential floor: its page says so and
	// it is out of invitations.
	d.keys("1", "/")
	d.typeText(target.Name)
	d.keys("enter", "enter")
	d.mustSee("below the residential floor (Good)", "Out of invitations and bids", "inspection below the floor (Good): Ofsted Requires improvement")
	r := store.Referral{Category: engine.CategoryResidential, Home: target.Location, RadiusMiles: 5}
	invited, left, err := s.Invitations(r, testNow)
	if err != nil || slices.Contains(invited, target.ID) || !slices.ContainsFunc(left, func(l engine.LeftOut) bool { return l.Establishment == target.ID }) {
		t.Errorf("invited %v, left out %+v (%v): want %s left out", invited, left, err, target.ID)
	}
}

func TestSetupSetsYourContactForFamilies(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 80, 24)
	d.keys("6")
	d.mustSee("Contact for families: none yet (u adds yours)", "u your contact for families")
	d.keys("u")
	d.mustSee("Your contact for families", "Name for families")
	d.typeText("Sam Patel, SEND placements")
	d.keys("tab")
	d.typeText("call me")
	d.keys("tab")
	d.typeText("sam@")
	d.keys("ctrl+s")
	d.mustSee("a phone number has digits")
	if _, ok, _ := s.Profile("officer.test"); ok {
		t.Fatal("a refused profile was saved")
	}
	d.mustSee("Phone: a phone number has digits, spaces and + ( ) - only, not 'c'")
	d.keys("ctrl+u") // the focus is on the first field refused
	d.typeText("01243 777100")
	d.keys("tab", "ctrl+u")
	d.typeText("sam.patel@westsussex.gov.uk")
	d.keys("ctrl+s")
	d.mustSee("Your contact for families saved", "Contact for families: Sam Patel, SEND placements", "01243 777100 · sam.patel@westsussex.gov.uk")
	p, ok, err := s.Profile("officer.test")
	if !ok || err != nil || p.Phone != "01243 777100" {
		t.Fatalf("profile %+v %v %v", p, ok, err)
	}
	last, _ := s.Audit(store.AuditFilter{Limit: 1})
	if last[0].Action != "profile.update" || last[0].Actor != "officer.test" || last[0].Record != "user:officer.test" {
		t.Fatalf("audit %+v", last[0])
	}
}

// TestAnAdminSetsADPSArrangementInSetup: the arrangements page lists each
// with its regime, and an admin adds one through its form (the store
// checks it whole: a PCR 2015 DPS set up after 24 Feb 2025 is refused).
func TestAnAdminSetsADPSArrangementInSetup(t *testing.T) {
	s := testStore(t)
	admin, _ := s.As(store.Principal{User: "dps.lead", Role: store.RoleAdmin})
	d := newDesk(t, admin, 100, 30)
	d.keys("6")
	d.mustSee("DPS arrangements: SET-DM-2025 (PA 2023), SET-DPS-2021 (PCR 2015)", "(a shows them)")
	d.keys("a")
	d.mustSee("DPS arrangements", "SET-DM-2025", "Procurement Act 2023 dynamic market", "dynamic market DM-000417-2025", "n adds one")
	fill := func(established string) {
		d.keys("n")
		d.mustSee("New DPS arrangement", "Regime")
		for _, v := range []string{"KCC-LIST-2019", "Kent placements DPS", "pcr2015-dps", established, "2020-12-31", "", "", "sen; iap"} {
			d.typeText(v)
			d.keys("tab")
		}
		d.keys("ctrl+s")
	}
	fill("2025-04-01")
	d.mustSee("not saved", "! a PCR 2015 DPS was established")
	if _, err := s.Arrangement("KCC-LIST-2019"); err == nil {
		t.Fatal("a refused arrangement was kept")
	}
	d.keys("esc", "y")
	fill("2019-04-01")
	d.mustSee("Arrangement saved", "KCC-LIST-2019")
	a, err := s.Arrangement("KCC-LIST-2019")
	if err != nil || a.Regime != store.RegimePCR2015 || !slices.Equal(a.Categories, []string{"iap", "sen"}) || a.Ends != "2020-12-31" {
		t.Fatalf("%+v %v", a, err)
	}
	officer, _ := s.As(store.Principal{User: "kent.officer", Role: store.RoleOfficer, Authority: "KCC"})
	o := newDesk(t, officer, 100, 30)
	o.keys("6", "a")
	o.mustSee("SET-DPS-2021", "Only the partnership's admin changes these.")
	o.keys("n")
	o.mustSee("Error:")
	o.mustNotSee("New DPS arrangement")
}

// TestAdminSetsACaseReferencePattern: the admin picks an authority by name
// and types its pattern; the builder then refuses a name for a case
// reference of that authority, with an example.
func TestAdminSetsACaseReferencePattern(t *testing.T) {
	s := testStore(t)
	admin, err := s.As(store.Principal{User: "dps.lead", Role: store.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, admin, 100, 30)
	d.keys("6", "c")
	d.mustSee("Case-reference pattern", "Authority")
	d.typeText("west sus")
	d.mustSee("West Sussex")
	d.keys("tab")
	d.typeText("WS/@@/####")
	d.mustSee("A reference then reads like WS/AB/1234")
	d.keys("ctrl+s")
	d.mustSee("Case-reference pattern saved")
	a, err := admin.Authority("WSCC")
	if err != nil || a.CaseRefPattern != "WS/@@/####" {
		t.Fatalf("pattern %q, %v", a.CaseRefPattern, err)
	}
	entries, _ := admin.Audit(store.AuditFilter{Action: "authority.pattern"})
	if len(entries) == 0 {
		t.Error("no audit entry")
	}
}

// An admin sets a category's placement review schedule from Setup: a
// number out of its range is refused where it is typed, a good one is
// saved with its audit entry and shown.
func TestSetupChangesAReviewSchedule(t *testing.T) {
	s := testStore(t)
	d := newDesk(t, s, 100, 34)
	d.keys("6")
	d.mustSee("Reviews: first at 6 weeks, then every 6 months; improvement every 6 months")
	d.keys("r")
	d.mustSee("Review schedule of sen", "First review (weeks)", "A placement starting today: first review")
	d.keys("tab")
	d.typeText("30")
	d.mustSee("a whole number of months, 1 to 24")
	d.keys("ctrl+s")
	d.mustSee("not saved")
	d.keys("ctrl+u")
	d.typeText("3")
	d.keys("ctrl+s")
	d.mustSee("Review schedule of sen saved", "then every 3 months")
	rules, _ := s.PlacementRules()
	if r := store.RulesFor(rules, "sen"); r.ReviewEveryMonths != 3 || r.FirstReviewWeeks != 6 {
		t.Fatalf("saved %+v", r)
	}
	last, _ := s.Audit(store.AuditFilter{Record: "sen", Limit: 1})
	if len(last) != 1 || last[0].Action != "category.placement_rules" {
		t.Errorf("audit %+v", last)
	}
}

// A fee uplift from the desk: the form asks the percentage and the day,
// the page shows what it would change, and it is applied only as shown —
// refused, changing nothing, after a change it rests on; applied once
// shown again.
func TestSetupAppliesAFeeUpliftAsPreviewed(t *testing.T) {
	s := testStore(t)
	had, _ := s.Uplifts() // the demo's own
	d := newDesk(t, s, 100, 34)
	d.keys("6", "f")
	d.mustSee("Fee uplift for sen", "Uplift (%)")
	d.typeText("2.555")
	d.mustSee("at most two decimals")
	d.keys("ctrl+u")
	d.typeText("2.5")
	d.keys("tab")
	d.typeText("01/04/2027")
	d.keys("ctrl+s")
	d.mustSee("Fee uplift of 2.5% from 1 Apr 2027", "it can be applied on or after 1 Apr 2027")
	d.keys("a") // ahead of its day: previewed, not applied
	d.mustSee("applied on or after that day")
	d.keys("esc", "f", "2", ".", "5", "tab")
	d.typeText("01/11/2026")
	d.keys("ctrl+s")
	d.mustSee("Fee uplift of 2.5% from 1 Nov 2026", "Annual effect per authority", "Establishments (")
	d.keys("G") // to the end of the page
	d.mustSee("Live placements (")
	pv, err := s.PreviewUplift(store.UpliftRequest{Category: "sen", Percent: 250, From: "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	if ups, _ := s.Uplifts(); len(ups) != len(had) {
		t.Fatal("the preview applied it")
	}
	// Someone changes one of its establishments meanwhile.
	e, _ := s.Establishment(pv.Establishments[0].ID)
	e.CoreWeeklyPence += 500
	other, _ := s.As(store.Principal{User: "other", Role: store.RoleAdmin})
	if err := other.SaveEstablishment(e, ""); err != nil {
		t.Fatal(err)
	}
	d.keys("a")
	d.mustSee("Apply 2.5% from 1 Nov 2026 to " + plural(len(pv.Establishments), "establishment"))
	d.keys("y")
	d.mustSee("changed since the preview: nothing was applied")
	if ups, _ := s.Uplifts(); len(ups) != len(had) {
		t.Fatal("applied what was not shown")
	}
	d.send(storeChangedMsg{}) // as the other person's change reaches the desk
	d.keys("a", "y")
	d.mustSee("Applied the 2.5% uplift of sen from 1 Nov 2026", "Categories")
	ups, _ := s.Uplifts()
	i := slices.IndexFunc(ups, func(u store.Uplift) bool { return u.Category == "sen" && u.From == "2026-11-01" })
	if len(ups) != len(had)+1 || i < 0 || ups[i].Establishments != len(pv.Establishments) {
		t.Fatalf("uplifts %+v", ups)
	}
	if e2, _ := s.Establishment(e.ID); e2.CoreWeeklyPence != engine.UpliftPence(e.CoreWeeklyPence, 250) {
		t.Errorf("the changed establishment: %d, from %d", e2.CoreWeeklyPence, e.CoreWeeklyPence)
	}
}
