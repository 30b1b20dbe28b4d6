package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A placement's listing row is kept as a JSON array of strings in a fixed
// order, not an object: the Placements tab reads every row when it opens
// (20,000 in well under 100 ms), and a flat array of strings is read by
// the loop below without reflection. It is still JSON, sealed and checked
// like every record.

// MarshalJSON writes the row as its array.
func (r PlacementRow) MarshalJSON() ([]byte, error) {
	costs := make([]string, len(r.Costs))
	for i, c := range r.Costs {
		costs[i] = c.From + "=" + strconv.FormatInt(c.NetWeeklyPence, 10)
	}
	earned := "0"
	if r.IncentiveEarned {
		earned = "1"
	}
	return json.Marshal([]string{r.ID, r.Authority, r.ChildRef, r.Category, r.Establishment, r.Name, string(r.Route), r.Start,
		string(r.Status), r.End, strings.Join(costs, ";"), r.LastReview, strconv.Itoa(r.Reviews), strconv.Itoa(r.OutcomesMet),
		strconv.Itoa(r.OutcomesTotal), earned})
}

const placementRowFields = 16

var errRowShape = errors.New("a placement row is an array of 16 strings")

// UnmarshalJSON reads the array MarshalJSON writes.
func (r *PlacementRow) UnmarshalJSON(data []byte) error {
	var f [placementRowFields]string
	n, i := 0, skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return errRowShape
	}
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] != ']' {
		if n == placementRowFields || data[i] != '"' {
			return errRowShape
		}
		j, escaped := i+1, false
		for ; j < len(data) && data[j] != '"'; j++ {
			if data[j] == '\\' {
				escaped = true
				j++
			}
		}
		if j >= len(data) {
			return errRowShape
		}
		if escaped {
			if err := json.Unmarshal(data[i:j+1], &f[n]); err != nil {
				return err
			}
		} else {
			f[n] = string(data[i+1 : j])
		}
		n++
		i = skipSpace(data, j+1)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	if n != placementRowFields || i >= len(data) || skipSpace(data, i+1) != len(data) {
		return errRowShape
	}
	*r = PlacementRow{ID: f[0], Authority: f[1], ChildRef: f[2], Category: f[3], Establishment: f[4], Name: f[5], Route: AwardRoute(f[6]),
		Start: f[7], Status: PlacementStatus(f[8]), End: f[9], LastReview: f[11], IncentiveEarned: f[15] == "1"}
	var err error
	if r.Reviews, err = strconv.Atoi(f[12]); err != nil {
		return fmt.Errorf("reviews: %w", err)
	}
	if r.OutcomesMet, err = strconv.Atoi(f[13]); err != nil {
		return fmt.Errorf("outcomes met: %w", err)
	}
	if r.OutcomesTotal, err = strconv.Atoi(f[14]); err != nil {
		return fmt.Errorf("outcomes total: %w", err)
	}
	if f[10] != "" {
		for c := range strings.SplitSeq(f[10], ";") {
			from, net, ok := strings.Cut(c, "=")
			pence, err := strconv.ParseInt(net, 10, 64)
			if !ok || err != nil {
				return fmt.Errorf("cost %q is not DAY=PENCE", c)
			}
			r.Costs = append(r.Costs, CostStep{From: from, NetWeeklyPence: pence})
		}
	}
	return nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}
