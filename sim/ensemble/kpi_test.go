package ensemble

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// day is one platform's books on one day of a made-up run.
type day struct {
	share        float64
	mau          int64
	subsidy, fee int64 // fen
}

// fakeRun builds a one-platform result from days, with the summary fields
// the run would carry.
func fakeRun(days []day, users int, represents float64) *sim.Result {
	s := &scenarios.Scenario{}
	s.World.Users, s.World.Represents = users, represents
	s.Payoff.Metric = "value"
	r := &sim.Result{Scenario: s}
	var sub int64
	for d, x := range days {
		pd := sim.PlatformDay{ShareValue: x.share, MAU: x.mau, SubsidyUserFen: x.subsidy, FeeRevenueFen: x.fee}
		r.History = append(r.History, sim.DayMetrics{Day: d, Platforms: []sim.PlatformDay{pd}})
		sub += x.subsidy
	}
	last := r.History[len(r.History)-1].Platforms[0]
	r.Platforms = []sim.PlatformSummary{{Name: "p", Final: last, SubsidiesFen: sub, Payoff: 10}}
	return r
}

func TestKPIs(t *testing.T) {
	// 100 days: 1,000 yuan of subsidy on days 0 to 9, fees of 200 yuan a
	// day from day 10; MAU grows from 0 to 99; share is 0.2 then 0.6 from
	// day 50.
	var long []day
	for d := range 100 {
		x := day{share: 0.2, mau: int64(d)}
		if d >= 50 {
			x.share = 0.6
		}
		if d < 10 {
			x.subsidy = 100_000
		} else {
			x.fee = 20_000
		}
		long = append(long, x)
	}
	// 100 days: 100 yuan of subsidy on days 0 to 9 draws 90 actives by day
	// 9, of whom 30 are left from day 10 on.
	var churn []day
	for d := range 100 {
		x := day{mau: 30}
		if d <= 9 {
			x.mau, x.subsidy = int64(10*d), 1000
		}
		churn = append(churn, x)
	}
	cases := []struct {
		name   string
		days   []day
		window int
		real   bool
		want   KPI
	}{{
		name: "long run", days: long, window: 30,
		// Payback: 10,000 yuan spent by day 9; fees reach it on day 59
		// (50 days of 200): 59 - 0 = 59 days from the first subsidy.
		// Retained: the money of days up to 99-90 = 9 counts, which is all
		// 10,000 yuan; actives gained by day 9 and still there on day 99:
		// min(9, 99) - 0 = 9.
		want: KPI{ShareEnd: 0.6, ShareWindow: 0.6, MAUEnd: 99, BurnYuan: 10_000, CostPerRetainedYuan: 10_000.0 / 9,
			PaybackDays: 59, TreasuryEndYuan: 0, Payoff: 10},
	}, {
		name: "churned actives", days: churn, window: 0,
		// Retained: min(MAU(9), MAU(99)) - MAU(0) = min(90, 30) = 30.
		want: KPI{MAUEnd: 30, BurnYuan: 100, CostPerRetainedYuan: 100.0 / 30, PaybackDays: math.NaN(), Payoff: 10},
	}, {
		name: "whole-run window", days: long, window: 0,
		want: KPI{ShareEnd: 0.6, ShareWindow: 0.4, MAUEnd: 99, BurnYuan: 10_000, CostPerRetainedYuan: 10_000.0 / 9,
			PaybackDays: 59, Payoff: 10},
	}, {
		name: "real units", days: long, window: 30, real: true,
		// represents/users = 10: counts, yuan and the payoff ×10; the cost
		// per retained user is a ratio and does not change.
		want: KPI{ShareEnd: 0.6, ShareWindow: 0.6, MAUEnd: 990, BurnYuan: 100_000, CostPerRetainedYuan: 10_000.0 / 9,
			PaybackDays: 59, Payoff: 100},
	}, {
		name: "short run, never paid back", days: []day{{share: 0.5, subsidy: 100, mau: 1}, {share: 0.7, fee: 10, mau: 3}}, window: 90,
		want: KPI{ShareEnd: 0.7, ShareWindow: 0.6, MAUEnd: 3, BurnYuan: 1, CostPerRetainedYuan: math.NaN(), PaybackDays: math.NaN(), Payoff: 10},
	}, {
		name: "no subsidy pays back at once", days: []day{{share: 1, fee: 5}, {share: 1, fee: 5}}, window: 1,
		want: KPI{ShareEnd: 1, ShareWindow: 1, CostPerRetainedYuan: math.NaN(), PaybackDays: 0, Payoff: 10},
	}, {
		name: "covered then uncovered again", days: []day{{subsidy: 10}, {fee: 20}, {subsidy: 30}, {fee: 25}}, window: 0,
		// cumulative sub 10,10,40,40; fees 0,20,20,45: covered on day 1,
		// lost on day 2, covered for good on day 3.
		want: KPI{CostPerRetainedYuan: math.NaN(), PaybackDays: 3, BurnYuan: 0.4, Payoff: 10},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := fakeRun(c.days, 100, 1000)
			got := KPIs(r, 0, c.window, c.real)
			same := func(name string, want, got float64) {
				if math.IsNaN(want) {
					assert.True(t, math.IsNaN(got), "%s: want NaN, got %g", name, got)
					return
				}
				assert.InDelta(t, want, got, 1e-9, name)
			}
			same("ShareEnd", c.want.ShareEnd, got.ShareEnd)
			same("ShareWindow", c.want.ShareWindow, got.ShareWindow)
			same("MAUEnd", c.want.MAUEnd, got.MAUEnd)
			same("BurnYuan", c.want.BurnYuan, got.BurnYuan)
			same("CostPerRetainedYuan", c.want.CostPerRetainedYuan, got.CostPerRetainedYuan)
			same("PaybackDays", c.want.PaybackDays, got.PaybackDays)
			same("Payoff", c.want.Payoff, got.Payoff)
		})
	}
}
