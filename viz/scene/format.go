package scene

import (
	"fmt"
	"math"

	"github.com/paywars/hongbao/scenarios"
)

// Count writes a count compactly: 950, 12.3k, 4.56M, 1.2B.
func Count(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return fmt.Sprintf("%.3gB", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.3gk", v/1e3)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// Money writes an amount given in fen as yuan: ¥0.50, ¥12.50, ¥3.4k,
// ¥1.2M, −¥5.00.
func Money(fen float64) string {
	if fen < 0 {
		return "−" + Money(-fen)
	}
	y := fen / scenarios.FenPerYuan
	if math.Abs(y) < 100 {
		return fmt.Sprintf("¥%.2f", y)
	}
	return "¥" + Count(y)
}

// Percent writes a share as a percentage with one decimal.
func Percent(share float64) string { return fmt.Sprintf("%.1f%%", 100*share) }
