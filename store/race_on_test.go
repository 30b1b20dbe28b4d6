//go:build race

package store

// raceEnabled: the race detector turns on checkptr, which aborts the
// process on bbolt's pointer arithmetic over a corrupt page before any
// fault can be turned into an error; the tests of corrupt bytes read in
// this process skip then (make fuzz and go test without -race run them,
// and ui/cli's tests run verify and the other commands on corrupt stores
// with the race detector on).
const raceEnabled = true
