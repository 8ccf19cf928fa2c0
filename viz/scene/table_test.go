package scene

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/paywars/hongbao/sim"
)

// TestTableRow: the dashboard's row of a platform, summed from the
// registry's columns and written by their units, at the snapshot's scale.
func TestTableRow(t *testing.T) {
	s := &Snapshot{Scale: 10, BurnFen: []float64{0, 5000}}
	assert.Equal(t, []string{"–", "–", "–", "–", "–", "–"}, TableRow(s, 1), "before the first day")
	s.Today = &sim.DayMetrics{Platforms: []sim.PlatformDay{{}, {ShareValue: 0.25, CardBound: 1200, MAU: 800,
		TreasuryFen: 1_000_000, SubsidyUserFen: 100, SubsidyMerchantFen: 200, EnvelopesSponsoredFen: 300}}}
	// 1,200 users × 10 = 12.0k; ¥10,000 × 10 = ¥100k; burn 5,000 fen × 10 = ¥500;
	// subsidies 600 fen × 10 = ¥60.00.
	assert.Equal(t, []string{"25.0%", "12k", "8000", "¥100k", "¥500", "¥60.00"}, TableRow(s, 1))
}

func TestFormatUnit(t *testing.T) {
	tests := []struct {
		unit  string
		v, sc float64
		want  string
	}{
		{"share", 0.5, 10, "50.0%"},
		{"fen", 150, 2, "¥3.00"},
		{"users", 20000, 1, "20k"},
		{"bool", 1, 1, "yes"},
		{"bool", 0, 1, "no"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FormatUnit(tt.unit, tt.v, tt.sc), tt.unit)
	}
	for _, c := range sim.TimeseriesColumns {
		if c.Metric() {
			assert.NotEmpty(t, FormatUnit(c.Unit, 1, 1), c.Name)
		}
	}
}
