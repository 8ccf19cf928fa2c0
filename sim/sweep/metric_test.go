package sweep

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
)

// TestMetricsCoverTimeseriesColumns keeps the metric names in step with the
// column registry: every numeric column of timeseries.csv and every run
// total is a metric, and the keys and text columns are not.
func TestMetricsCoverTimeseriesColumns(t *testing.T) {
	for i := range sim.TimeseriesColumns {
		c := &sim.TimeseriesColumns[i]
		name := c.Name
		if c.Scope == sim.PlatformScope {
			name = "wechat." + name
		}
		_, msg := parseMetric(name, false)
		assert.Equal(t, c.Metric(), msg == "", "column %s of timeseries.csv: %s", c.Name, msg)
	}
	for _, tt := range sim.RunTotals {
		_, msg := parseMetric("wechat."+tt.Name, false)
		assert.Empty(t, msg)
	}
}

// history builds a result of two platforms over n days whose wechat MAU
// on day d is 10·d and alipay's share is d/100.
func history(n int) *sim.Result {
	r := &sim.Result{Platforms: []sim.PlatformSummary{{Name: "wechat", Payoff: 7}, {Name: "alipay"}}}
	for d := range n {
		r.History = append(r.History, sim.DayMetrics{Day: d, CashPayments: int64(d), Platforms: []sim.PlatformDay{
			{MAU: int64(10 * d)}, {ShareValue: float64(d) / 100}}})
	}
	return r
}

func TestEvaluate(t *testing.T) {
	r := history(10)
	const tol = 1e-12
	tests := []struct {
		name string
		out  Selection
		want float64
	}{
		{"last day", Selection{Metric: "wechat.mau"}, 90},
		{"a day", Selection{Metric: "wechat.mau", Day: 3, HasDay: true}, 30},
		{"from the end", Selection{Metric: "wechat.mau", Day: -2, HasDay: true}, 80},
		{"mean", Selection{Metric: "alipay.share_value", From: 2, To: 4, HasRange: true, Stat: "mean"}, 0.03},
		{"min", Selection{Metric: "wechat.mau", From: -3, To: -1, HasRange: true, Stat: "min"}, 70},
		{"max", Selection{Metric: "wechat.mau", From: 0, To: 5, HasRange: true, Stat: "max"}, 50},
		{"sum", Selection{Metric: "cash_payments", From: 0, To: 3, HasRange: true, Stat: "sum"}, 6},
		{"total", Selection{Metric: "wechat.payoff"}, 7},
		{"day past the end", Selection{Metric: "wechat.mau", Day: 10, HasDay: true}, math.NaN()},
		{"range past the end", Selection{Metric: "wechat.mau", From: 5, To: 12, HasRange: true, Stat: "mean"}, math.NaN()},
		{"no such platform", Selection{Metric: "weibo.mau"}, math.NaN()},
		{"a reporter", Selection{Metric: "ratio(sum(wechat.mau, 0..2), 3)"}, 10},
		{"a reporter on a day", Selection{Metric: "ratio(wechat.mau, 10)", Day: 4, HasDay: true}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Empty(t, tt.out.resolve(false))
			got := tt.out.evaluate(r, "")
			if math.IsNaN(tt.want) {
				assert.True(t, math.IsNaN(got), "got %v", got)
				return
			}
			assert.InDelta(t, tt.want, got, tol)
		})
	}
}
