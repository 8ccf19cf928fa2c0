package ensemble

import (
	"math"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// RetainAfter is the number of days a user must still be active after the
// money was spent to count as retained in [KPI.CostPerRetainedYuan].
const RetainAfter = 90

// KPI is one platform's standing over a run, in the measures a strategist
// compares plans by (docs/compare.md defines each). Money is in yuan, and
// counts and yuan are in the model's units unless [KPIs] is asked for real
// ones. A measure that a run cannot define is NaN.
type KPI struct {
	// ShareEnd is the share of wallet payment value on the last day.
	ShareEnd float64
	// ShareWindow is the mean share of wallet payment value over the
	// window's days: the last window days of the run (the whole run when
	// it is shorter), so that one festival day does not decide the answer.
	ShareWindow float64
	// MAUEnd is the monthly actives on the last day.
	MAUEnd float64
	// BurnYuan is the cumulative subsidies paid over the run: cashback,
	// first-payment returns, referral and merchant bonuses.
	BurnYuan float64
	// CostPerRetainedYuan is the price of a user still active 90 days
	// after the money that drew them: the subsidies paid up to day
	// L−RetainAfter (L the last day), divided by the monthly actives gained
	// by then that are still there on day L, counted as
	// min(MAU(L−RetainAfter), MAU(L)) − MAU(0). The model does not follow
	// users one by one, so the count is an upper bound (everyone active on
	// both days is taken to be the same person) and the cost a lower bound.
	// NaN when the run is shorter than RetainAfter+1 days or no actives
	// were gained.
	CostPerRetainedYuan float64
	// PaybackDays is the number of days from the first subsidy until the
	// cumulative fees first cover the cumulative subsidies for good (and
	// stay covered to the end of the run); 0 with no subsidy, NaN when
	// the subsidies are not paid back by the end of the run.
	PaybackDays float64
	// TreasuryEndYuan is the treasury on the last day.
	TreasuryEndYuan float64
	// Payoff is the platform's score under the scenario's payoff metric.
	Payoff float64
}

// KPIs returns platform p's KPIs in run r over a window of the last window
// days (all days when window < 1). With real set, counts and yuan are
// multiplied by r.Scale(), and so is the payoff unless it is a share.
func KPIs(r *sim.Result, p, window int, real bool) KPI {
	h := r.History
	n := len(h)
	k := 1.0
	if real {
		k = r.Scale()
	}
	ps := r.Platforms[p]
	out := KPI{ShareEnd: ps.Final.ShareValue, MAUEnd: float64(ps.Final.MAU) * k,
		BurnYuan: scenarios.FenToYuan(ps.SubsidiesFen) * k, TreasuryEndYuan: scenarios.FenToYuan(ps.Final.TreasuryFen) * k,
		Payoff: ps.Payoff, CostPerRetainedYuan: math.NaN(), ShareWindow: math.NaN(), PaybackDays: math.NaN()}
	if real && r.Scenario.Payoff.Metric != "share" {
		out.Payoff *= k
	}
	if n == 0 {
		return out
	}
	if window < 1 || window > n {
		window = n
	}
	var sum float64
	for _, d := range h[n-window:] {
		sum += d.Platforms[p].ShareValue
	}
	out.ShareWindow = sum / float64(window)

	// Money by day, for the retention cost and the payback.
	var burnEarly, cumSub, cumFee int64
	first, covered := -1, -1
	for d, dm := range h {
		m := dm.Platforms[p]
		spent := m.SubsidyUserFen + m.SubsidyMerchantFen
		cumSub += spent
		cumFee += m.FeeRevenueFen
		if d <= n-1-RetainAfter {
			burnEarly += spent
		}
		if first < 0 && spent > 0 {
			first = d
		}
		switch {
		case first < 0:
		case cumFee >= cumSub && covered < 0:
			covered = d
		case cumFee < cumSub:
			covered = -1
		}
	}
	switch {
	case first < 0:
		out.PaybackDays = 0
	case covered >= 0:
		out.PaybackDays = float64(covered - first)
	}
	if n > RetainAfter {
		kept := min(h[n-1-RetainAfter].Platforms[p].MAU, h[n-1].Platforms[p].MAU) - h[0].Platforms[p].MAU
		if kept > 0 {
			out.CostPerRetainedYuan = scenarios.FenToYuan(burnEarly) / float64(kept) // the scale cancels
		}
	}
	return out
}
