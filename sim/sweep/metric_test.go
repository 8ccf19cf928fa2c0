package sweep

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/paywars/hongbao/sim"
)

// TestMetricsCoverTimeseriesColumns keeps the metric names in step with the
// engine: every numeric column of timeseries.csv is a metric.
func TestMetricsCoverTimeseriesColumns(t *testing.T) {
	notMetrics := map[string]bool{"day": true, "date": true, "platform": true, "events": true}
	var names []string
	for _, col := range sim.TimeseriesColumns {
		names = append(names, col.Name)
	}
	for _, c := range names {
		if notMetrics[c] {
			continue
		}
		_, daily := platformDaily[c]
		_, world := worldDaily[c]
		assert.True(t, daily || world, "column %s of timeseries.csv is not a sweep metric", c)
	}
	for c := range platformDaily {
		assert.Contains(t, names, c)
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
		out  Output
		want float64
	}{
		{"last day", Output{Metric: "wechat.mau"}, 90},
		{"a day", Output{Metric: "wechat.mau", Day: 3, HasDay: true}, 30},
		{"from the end", Output{Metric: "wechat.mau", Day: -2, HasDay: true}, 80},
		{"mean", Output{Metric: "alipay.share_value", From: 2, To: 4, HasRange: true, Stat: "mean"}, 0.03},
		{"min", Output{Metric: "wechat.mau", From: -3, To: -1, HasRange: true, Stat: "min"}, 70},
		{"max", Output{Metric: "wechat.mau", From: 0, To: 5, HasRange: true, Stat: "max"}, 50},
		{"sum", Output{Metric: "cash_payments", From: 0, To: 3, HasRange: true, Stat: "sum"}, 6},
		{"total", Output{Metric: "wechat.payoff"}, 7},
		{"day past the end", Output{Metric: "wechat.mau", Day: 10, HasDay: true}, math.NaN()},
		{"range past the end", Output{Metric: "wechat.mau", From: 5, To: 12, HasRange: true, Stat: "mean"}, math.NaN()},
		{"no such platform", Output{Metric: "weibo.mau"}, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, msg := parseMetric(tt.out.Metric)
			assert.Empty(t, msg)
			tt.out.ref = ref
			got := tt.out.evaluate(r)
			if math.IsNaN(tt.want) {
				assert.True(t, math.IsNaN(got), "got %v", got)
				return
			}
			assert.InDelta(t, tt.want, got, tol)
		})
	}
}
