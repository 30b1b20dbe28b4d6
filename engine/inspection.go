package engine

import "slices"

// Framework is an inspection framework. Judgements are stored in their own
// framework's words and never converted to one scale (evaluation.md §1.1).
type Framework string

const (
	FrameworkOfsted      Framework = "ofsted"
	FrameworkReportCard  Framework = "ofsted-report-card"
	FrameworkISI         Framework = "isi"
	FrameworkCQC         Framework = "cqc"
	FrameworkUnregulated Framework = "unregulated"
)

// Frameworks lists every framework.
func Frameworks() []Framework {
	return []Framework{FrameworkOfsted, FrameworkReportCard, FrameworkISI, FrameworkCQC, FrameworkUnregulated}
}

// Valid reports whether f is a known framework.
func (f Framework) Valid() bool { return slices.Contains(Frameworks(), f) }

// Title is the framework's name as people say it.
func (f Framework) Title() string {
	switch f {
	case FrameworkOfsted:
		return "Ofsted"
	case FrameworkReportCard:
		return "Ofsted report card"
	case FrameworkISI:
		return "ISI"
	case FrameworkCQC:
		return "CQC"
	case FrameworkUnregulated:
		return "Unregulated"
	}
	return string(f)
}

// ReportCardsFrom is the first day an Ofsted report card can be dated:
// the report-card framework began in November 2025 (evaluation.md §1.1),
// with the first inspections on 10 November 2025.
const ReportCardsFrom = "2025-11-10"

// InUseFrom is the first day (YYYY-MM-DD) a judgement in the framework can
// be dated; "" when the framework's start does not bound the register's
// judgements.
func (f Framework) InUseFrom() string {
	if f == FrameworkReportCard {
		return ReportCardsFrom
	}
	return ""
}

// SafeguardingNotMet is the report-card judgement that fails whatever the
// areas say; it is recorded as the report card's grade.
const SafeguardingNotMet = "Safeguarding not met"

// Grades lists a framework's grades, best first (§1.1). Unregulated
// settings have none: they pass on the authority's quality visit.
func (f Framework) Grades() []string {
	switch f {
	case FrameworkOfsted, FrameworkCQC:
		return []string{"Outstanding", "Good", "Requires improvement", "Inadequate"}
	case FrameworkReportCard:
		// The lowest area grade is recorded; a safeguarding Not met is
		// below every area grade.
		return []string{"Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement", SafeguardingNotMet}
	case FrameworkISI:
		return []string{"Met", "Not met"}
	}
	return nil
}

// DefaultFloor is the lowest grade that still passes (§1.1).
func (f Framework) DefaultFloor() string {
	switch f {
	case FrameworkOfsted, FrameworkCQC:
		return "Requires improvement"
	case FrameworkReportCard:
		return "Needs attention"
	case FrameworkISI:
		return "Met"
	}
	return ""
}

// ValidGrade reports whether grade is one of the framework's grades.
func (f Framework) ValidGrade(grade string) bool {
	return slices.Contains(f.Grades(), grade)
}

// MeetsFloor reports whether a judgement is at or above the floor (§1.1).
// An empty floor means the framework's default. A grade the framework does
// not know never passes; unregulated settings are judged by the authority's
// quality visit instead, so they pass here.
func (f Framework) MeetsFloor(grade, floor string) bool {
	if f == FrameworkUnregulated {
		return true
	}
	if floor == "" {
		floor = f.DefaultFloor()
	}
	g, fl := slices.Index(f.Grades(), grade), slices.Index(f.Grades(), floor)
	return g >= 0 && fl >= 0 && g <= fl
}

// InspectionLabel is the one short label of a judgement that every list,
// the audit trail and every export show, at most 13 characters so that it
// fits the register's column at 80x24. The scheme: the regulator
// ("Ofsted", "CQC", "ISI"; "RC" for an Ofsted report card, whose recorded
// grade is its lowest area grade), a space, and the grade in at most two
// words, abbreviated the same way in every framework and never with a full
// stop: Outstanding "Outst", Good "Good", Requires improvement "RI",
// Inadequate "Inad"; Exceptional "Except", Strong standard "Strong",
// Expected standard "Expected", Needs attention "Needs att", Urgent
// improvement "Urgent", Safeguarding not met "SG not met"; ISI's "Met" and
// "Not met" as they are. An unregulated setting is "Unregulated"; a
// judgement with no grade is the regulator alone. So: "Ofsted Good",
// "Ofsted RI", "CQC Outst", "RC Needs att", "ISI Not met".
func InspectionLabel(f Framework, grade string) string {
	who := f.Title()
	switch f {
	case FrameworkReportCard:
		who = "RC"
	case FrameworkUnregulated:
		return "Unregulated"
	}
	g := gradeAbbrev[grade]
	if g == "" {
		g = grade
	}
	if g == "" {
		return who
	}
	return who + " " + g
}

var gradeAbbrev = map[string]string{
	"Outstanding": "Outst", "Good": "Good", "Requires improvement": "RI", "Inadequate": "Inad",
	"Exceptional": "Except", "Strong standard": "Strong", "Expected standard": "Expected",
	"Needs attention": "Needs att", "Urgent improvement": "Urgent", SafeguardingNotMet: "SG not met",
	"Met": "Met", "Not met": "Not met",
}

// FrameworkOfTitle is the framework a title names ("Ofsted report card"),
// for text written with Title; false when none does.
func FrameworkOfTitle(title string) (Framework, bool) {
	for _, f := range Frameworks() {
		if f.Title() == title {
			return f, true
		}
	}
	return "", false
}
