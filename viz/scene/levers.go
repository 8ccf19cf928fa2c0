package scene

import (
	"fmt"
	"math"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// LeverSpec is the slider of one platform lever: the range it spans and
// how a position along it (0 at the left, 1 at the right) maps to the
// value given to [sim.World.SetLever].
type LeverSpec struct {
	Lever sim.Lever
	Name  string
	// Min and Max are the values at the ends. A logarithmic slider spans
	// Min..Max on a log scale over positions (0, 1] and gives 0 at 0.
	Min, Max float64
	Log      bool
	// Step rounds values to a multiple of itself (0: no rounding).
	Step float64
	// Format writes a value for the label beside the slider.
	Format func(v float64) string
}

// Levers are the sliders of each platform's main levers, in the order the
// panel shows them. Ranges bracket the subsidies of 2014 (Didi and Kuaidi
// paid up to ¥20 a ride to each side; a typical cashback was ¥1–¥10) and
// fees from nothing to 2% (UnionPay's card fee for most shops was 0.78%).
var Levers = []LeverSpec{
	{Lever: sim.LeverCashback, Name: "cashback", Min: 0, Max: 2000, Step: 10, Format: func(v float64) string { return Money(v) + "/pay" }},
	{Lever: sim.LeverMerchantBonus, Name: "merchant bonus", Min: 0, Max: 2000, Step: 10, Format: func(v float64) string { return Money(v) + "/pay" }},
	{Lever: sim.LeverSponsoredPerDay, Name: "sponsored envelopes", Min: 1e4, Max: 1e8, Log: true, Step: 100, Format: func(v float64) string { return Money(v) + "/day" }},
	{Lever: sim.LeverFeeRate, Name: "fee rate", Min: 0, Max: 0.02, Step: 0.0001, Format: func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }},
}

// Value is the lever value at slider position pos (clamped to 0..1).
func (s LeverSpec) Value(pos float64) float64 {
	pos = min(1, max(0, pos))
	var v float64
	switch {
	case s.Log && pos == 0:
		return 0
	case s.Log:
		v = math.Exp(math.Log(s.Min) + pos*(math.Log(s.Max)-math.Log(s.Min)))
	default:
		v = s.Min + pos*(s.Max-s.Min)
	}
	if s.Step > 0 {
		v = math.Round(v/s.Step) * s.Step
	}
	return min(s.Max, max(s.Min, v))
}

// Pos is the slider position of value v, the inverse of Value up to
// rounding; values out of range pin to the ends.
func (s LeverSpec) Pos(v float64) float64 {
	switch {
	case s.Log && v <= 0:
		return 0
	case s.Log:
		return min(1, max(0, (math.Log(v)-math.Log(s.Min))/(math.Log(s.Max)-math.Log(s.Min))))
	default:
		return min(1, max(0, (v-s.Min)/(s.Max-s.Min)))
	}
}

// Current reads this lever from a platform's live overrides: its value
// and whether it is set (a negative field means the scenario's schedule
// rules).
func (s LeverSpec) Current(l agents.Levers) (v float64, set bool) {
	switch s.Lever {
	case sim.LeverCashback:
		v = float64(l.CashbackFen)
	case sim.LeverMerchantBonus:
		v = float64(l.MerchantBonusFen)
	case sim.LeverSponsoredPerDay:
		v = float64(l.SponsoredFen)
	case sim.LeverFeeRate:
		v = l.FeeRate
	}
	return v, v >= 0
}

// Scheduled is where the slider of an unset lever rests: what the
// scenario's schedule gives platform p on the last day simulated — the
// advertised cashback (campaigns plus strategy), the sum of the running
// campaigns' merchant bonus or sponsored budget, the scenario's fee rate.
func (s LeverSpec) Scheduled(snap *Snapshot, p int) float64 {
	if snap.Config == nil || p >= len(snap.Config.Platforms) {
		return 0
	}
	pl := &snap.Config.Platforms[p]
	day := max(0, snap.Day-1)
	sum := func(f func(c *scenarios.Campaign) scenarios.Yuan) float64 {
		t := int64(0)
		for i := range pl.Campaigns {
			if c := &pl.Campaigns[i]; c.Start <= day && day <= c.End {
				t += f(c).Fen()
			}
		}
		return float64(t)
	}
	switch s.Lever {
	case sim.LeverCashback:
		if snap.Today != nil {
			return float64(snap.Today.Platforms[p].CashbackHeadlineFen)
		}
		return sum(func(c *scenarios.Campaign) scenarios.Yuan { return c.Cashback })
	case sim.LeverMerchantBonus:
		return sum(func(c *scenarios.Campaign) scenarios.Yuan { return c.MerchantBonus })
	case sim.LeverSponsoredPerDay:
		return sum(func(c *scenarios.Campaign) scenarios.Yuan { return c.SponsoredPerDay })
	case sim.LeverFeeRate:
		return pl.FeeRate
	}
	return 0
}
