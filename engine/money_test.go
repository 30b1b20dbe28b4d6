package engine

import (
	"math"
	"testing"
)

func TestPoundsIsTheOneMoneyFormat(t *testing.T) {
	for pence, want := range map[int64]string{
		0: "£0.00", 5: "£0.05", 123456: "£1,234.56", 100000000: "£1,000,000.00", -1200: "-£12.00", 99: "£0.99",
		math.MinInt64: "-£92,233,720,368,547,758.08",
	} {
		if got := Pounds(pence); got != want {
			t.Errorf("Pounds(%d) = %q, want %q", pence, got, want)
		}
	}
	for pence, want := range map[int64]string{0: "0.00", 123456: "1234.56", 7: "0.07", -1205: "-12.05", 10000000: "100000.00"} {
		if got := PoundsDecimal(pence); got != want {
			t.Errorf("PoundsDecimal(%d) = %q, want %q", pence, got, want)
		}
	}
}
