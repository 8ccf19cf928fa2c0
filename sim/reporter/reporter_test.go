package reporter

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
)

// history is a run of two platforms over n days: wechat's MAU on day d is
// 10·d, alipay's share d/100, wechat's subsidies 100 fen a day and its new
// bindings d; cash payments are d.
func history(n int) *sim.Result {
	r := &sim.Result{Platforms: []sim.PlatformSummary{{Name: "wechat", Payoff: 7}, {Name: "alipay", Payoff: 2}}}
	for d := range n {
		r.History = append(r.History, sim.DayMetrics{Day: d, CashPayments: int64(d), Platforms: []sim.PlatformDay{
			{MAU: int64(10 * d), SubsidyUserFen: 100, NewCardBound: int64(d), Outage: d == 3}, {ShareValue: float64(d) / 100}}})
	}
	return r
}

func TestValue(t *testing.T) {
	r := history(10)
	const tol = 1e-12 // sums of at most ten small decimals
	tests := []struct {
		src      string
		platform string
		want     float64
	}{
		{"wechat.mau", "", 90},
		{"mau", "wechat", 90},
		{"last(mau)", "wechat", 90},
		{"at(wechat.mau, 3)", "", 30},
		{"at(mau, -2)", "wechat", 80},
		{"mean(alipay.share_value, 2..4)", "", 0.03},
		{"mean(share_value)", "alipay", 0.045},
		{"min(mau, -3..-1)", "wechat", 70},
		{"max(mau, 0..5)", "wechat", 50},
		{"sum(cash_payments, 0..3)", "", 6},
		{"sum(outage)", "wechat", 1},
		{"payoff", "wechat", 7},
		{"ratio(wechat.payoff, alipay.payoff)", "", 3.5},
		{"ratio(sum(subsidy_user_fen), sum(new_card_bound))", "wechat", 1000.0 / 45},
		{"mean(ratio(mau, 10), 1..3)", "wechat", 2},
		{"ratio(mau, new_card_bound)", "wechat", 10},
		{"2.5", "", 2.5},
		{"at(mau, 10)", "wechat", math.NaN()},
		{"mean(mau, 5..12)", "wechat", math.NaN()},
		{"mau", "weibo", math.NaN()},
		{"ratio(mau, 0)", "wechat", math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			rep, err := Parse(tt.src)
			require.NoError(t, err)
			got := rep.Value(r, tt.platform)
			if math.IsNaN(tt.want) {
				assert.True(t, math.IsNaN(got), "got %v", got)
				return
			}
			assert.InDelta(t, tt.want, got, tol)
		})
	}
}

func TestDaily(t *testing.T) {
	r := history(4)
	rep, err := Parse("ratio(wechat.mau, 10)")
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 1, 2, 3}, rep.Daily(r, ""))
	rep, err = Parse("wechat.payoff")
	require.NoError(t, err)
	assert.Equal(t, []float64{7, 7, 7, 7}, rep.Daily(r, ""))
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"share_valu", `reporter: column 1: unknown metric "share_valu"; did you mean share_value?`},
		{"wechat.share_valu", `reporter: column 8: unknown metric "share_valu" in "wechat.share_valu"; did you mean wechat.share_value?`},
		{"mean(mau, 30..)", "reporter: column 15: want a day number, got ')'"},
		{"mean(mau, 30)", "reporter: column 13: want '..' in a window of days A..B, got ')'"},
		{"mean(mau, 9..3)", "reporter: column 11: empty window: day 3 is before day 9"},
		{"avg(mau)", `reporter: column 1: unknown function "avg"; the functions are last, at, mean, sum, min, max, ratio`},
		{"meen(mau)", `reporter: column 1: unknown function "meen"; did you mean mean?`},
		{"mean(payoff)", "reporter: column 6: payoff is a total over the run, not a daily series: mean reads a column such as mau"},
		{"at(mean(mau), 3)", "reporter: column 4: mean(...) is one number, not a daily series: at reads a column such as mau"},
		{"at(mau)", "reporter: column 7: want ',' and a day: at(x, D), got ')'"},
		{"ratio(mau)", "reporter: column 10: want ',' and a second argument of ratio(x, y), got ')'"},
		{"wechat.cash_payments", "reporter: column 1: cash_payments belongs to no platform; write it without wechat."},
		{"date", "reporter: column 1: date is a key of timeseries.csv, not a metric"},
		{"mau mau", `reporter: column 5: unexpected "mau" after the reporter`},
		{"", "reporter: column 1: want a metric, a number or a function such as mean(...), got end"},
		{"mean", `reporter: column 1: unknown metric "mean"; mean is a function: mean(x[, A..B])`},
		{"mau$", "reporter: column 4: unexpected '$' after the reporter"},
		{"at(mau, 1.5)", `reporter: column 9: want a whole day number, got "1.5"`},
		{"wechat.", `reporter: column 8: want a metric after "wechat.", got end`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := Parse(tt.src)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestStringRoundTrips(t *testing.T) {
	for _, src := range []string{"wechat.mau", "mean(share_value, 30..90)", "at(mau, -1)", "ratio(sum(subsidy_user_fen), sum(new_card_bound))", "sum(cash_payments)", "0.5"} {
		rep, err := Parse(src)
		require.NoError(t, err)
		assert.Equal(t, src, rep.String())
	}
}

func TestQualified(t *testing.T) {
	rep, err := Parse("ratio(mean(mau, 1..2), alipay.mau)")
	require.NoError(t, err)
	assert.Equal(t, "mau", rep.Unqualified())
	q := rep.Qualified("wechat")
	assert.Equal(t, "ratio(mean(wechat.mau, 1..2), alipay.mau)", q.String())
	assert.Empty(t, q.Unqualified())
	assert.Equal(t, "ratio(mean(mau, 1..2), alipay.mau)", rep.String(), "Qualified must not change the original")
	assert.Equal(t, []string{"wechat", "alipay"}, q.Platforms())
	days, _ := q.Days()
	assert.Equal(t, []int{1, 2}, days)
}

// TestNamesCoverRegistry keeps reporters in step with the column registry:
// every numeric column and total is a name, and nothing else is.
func TestNamesCoverRegistry(t *testing.T) {
	names := Names()
	for i := range sim.TimeseriesColumns {
		c := &sim.TimeseriesColumns[i]
		_, err := Parse(c.Name)
		assert.Equal(t, c.Metric(), err == nil, c.Name)
		assert.Equal(t, c.Metric(), slices.Contains(names, c.Name), c.Name)
	}
	for _, tt := range sim.RunTotals {
		assert.Contains(t, names, tt.Name)
	}
}
