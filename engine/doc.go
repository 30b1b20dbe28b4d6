// Package engine holds the rules of the Dynamic Purchasing System: who is
// qualified, who is invited to a referral, which bids comply, how they are
// scored and ranked, and when the parents choose.
//
// It implements shared/spec/evaluation.md; every rule names the section it
// implements. The package is pure: no I/O, no clock (times are passed in),
// no mutable globals. Money is whole pence (int64).
package engine
