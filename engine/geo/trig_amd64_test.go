//go:build amd64 && !amd64.v3

package geo

import (
	"math"
	"testing"
)

// TestTrigMatchesMath checks that sin, cos and asin are the standard
// library's functions: on amd64 without GOAMD64=v3 nothing is fused, so
// they must agree bit for bit.
func TestTrigMatchesMath(t *testing.T) {
	for _, c := range []struct {
		name      string
		ours, std func(float64) float64
	}{{"sin", sin, math.Sin}, {"cos", cos, math.Cos}, {"asin", asin, math.Asin}} {
		bad := 0
		for _, x := range trigInputs() {
			got, want := c.ours(x), c.std(x)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				if bad++; bad <= 5 {
					t.Errorf("%s(%v) = %v, math gives %v", c.name, x, got, want)
				}
			}
		}
	}
}
