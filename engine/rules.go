package engine

// The numbers that are rules, named once, each with the section of
// shared/spec/evaluation.md (or of the business case) it comes from. The
// store and the screens use these; none of them writes the number again.
const (
	// MinInvited is the fewest establishments a referral should invite;
	// below it the builder says so and offers to widen (§2, decided).
	MinInvited = 3
	// WideningStepMiles is how far one widening moves the radius (§2, §6).
	WideningStepMiles = 10
	// AuditIntervalMonths is how often every criterion is checked again:
	// the annual audit (business case 7.20).
	AuditIntervalMonths = 12
)

// ExpiryWindowsDays are the windows in which the review queue lists
// evidence about to lapse, nearest first (business case 7.20: 30/60/90).
func ExpiryWindowsDays() []int { return []int{30, 60, 90} }

// ExpiryWindow is the smallest window that holds an expiry days away, or 0
// when it is further than every window.
func ExpiryWindow(days int) int {
	for _, w := range ExpiryWindowsDays() {
		if days <= w {
			return w
		}
	}
	return 0
}
