package sweep

import (
	"math"
	"sort"
	"strings"

	"github.com/paywars/hongbao/sim"
)

// Metrics are named like the columns of timeseries.csv (sim.TimeseriesColumns)
// so that a sweep's outputs read like a run's: "wechat.share_value" is the
// share_value column of platform wechat. A few run totals from
// sim.PlatformSummary have names of their own.

// dayGetter reads one platform's value on one day.
type dayGetter func(dm *sim.DayMetrics, m *sim.PlatformDay) float64

// platformDaily are the per-platform numeric columns of timeseries.csv.
// TestMetricsCoverTimeseriesColumns keeps this in step with the engine.
var platformDaily = map[string]dayGetter{
	"aware":                   func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.Aware) },
	"registered":              func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.Registered) },
	"card_bound":              func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.CardBound) },
	"dau":                     func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.DAU) },
	"mau":                     func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.MAU) },
	"payments":                func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.Payments) },
	"payment_value_fen":       func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.PaymentValueFen) },
	"share_value":             func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return m.ShareValue },
	"share_all":               func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return m.ShareAll },
	"merchants":               func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.Merchants) },
	"subsidy_user_fen":        func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.SubsidyUserFen) },
	"subsidy_merchant_fen":    func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.SubsidyMerchantFen) },
	"envelopes_p2p":           func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.EnvelopesP2P) },
	"envelopes_p2p_fen":       func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.EnvelopesP2PFen) },
	"envelopes_sponsored":     func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.EnvelopesSponsored) },
	"envelopes_sponsored_fen": func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.EnvelopesSponsoredFen) },
	"envelopes_claimed":       func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.EnvelopesClaimed) },
	"fee_revenue_fen":         func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.FeeRevenueFen) },
	"treasury_fen":            func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.TreasuryFen) },
	"new_card_bound":          func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.NewCardBound) },
	"new_bound_from_claim":    func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.NewBoundFromClaim) },
	"multihoming":             func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return m.Multihoming },
	"failed_payments":         func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.FailedPayments) },
	"outage": func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 {
		if m.Outage {
			return 1
		}
		return 0
	},
	"cashback_headline_fen": func(_ *sim.DayMetrics, m *sim.PlatformDay) float64 { return float64(m.CashbackHeadlineFen) },
}

// worldDaily are the columns of timeseries.csv that belong to no platform.
var worldDaily = map[string]dayGetter{
	"cash_payments":  func(dm *sim.DayMetrics, _ *sim.PlatformDay) float64 { return float64(dm.CashPayments) },
	"cash_value_fen": func(dm *sim.DayMetrics, _ *sim.PlatformDay) float64 { return float64(dm.CashValueFen) },
}

// platformTotals are a platform's run totals, from sim.PlatformSummary.
var platformTotals = map[string]func(ps *sim.PlatformSummary) float64{
	"payoff":                 func(ps *sim.PlatformSummary) float64 { return ps.Payoff },
	"value_yuan":             func(ps *sim.PlatformSummary) float64 { return ps.ValueYuan },
	"cost_per_new_bound_fen": func(ps *sim.PlatformSummary) float64 { return float64(ps.CostPerNewBoundFen) },
	"subsidies_fen":          func(ps *sim.PlatformSummary) float64 { return float64(ps.SubsidiesFen) },
	"fees_fen":               func(ps *sim.PlatformSummary) float64 { return float64(ps.FeesFen) },
	"peak_share_value":       func(ps *sim.PlatformSummary) float64 { return ps.PeakShareValue },
}

// metricRef is a parsed metric name.
type metricRef struct {
	platform string // "" for a world column
	column   string
	summary  bool
	day      dayGetter
	total    func(ps *sim.PlatformSummary) float64
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// parseMetric reads "platform.column", "platform.total" or "world_column";
// a non-empty message says what is wrong.
func parseMetric(name string) (metricRef, string) {
	plat, col, dotted := strings.Cut(name, ".")
	if !dotted {
		if g, ok := worldDaily[name]; ok {
			return metricRef{column: name, day: g}, ""
		}
		known := append(sortedKeys(platformDaily), sortedKeys(platformTotals)...)
		if sg := suggest(name, known); sg != "" {
			return metricRef{}, "unknown metric " + quote(name) + "; a platform's metric needs its name first: PLATFORM." + sg
		}
		if sg := suggest(name, sortedKeys(worldDaily)); sg != "" {
			return metricRef{}, "unknown metric " + quote(name) + "; did you mean " + sg + "?"
		}
		return metricRef{}, "unknown metric " + quote(name) + "; give PLATFORM.METRIC (e.g. wechat.share_value) or one of " + strings.Join(sortedKeys(worldDaily), ", ")
	}
	if plat == "" {
		return metricRef{}, "unknown metric " + quote(name) + ": the platform name is missing before the dot"
	}
	if g, ok := platformDaily[col]; ok {
		return metricRef{platform: plat, column: col, day: g}, ""
	}
	if t, ok := platformTotals[col]; ok {
		return metricRef{platform: plat, column: col, summary: true, total: t}, ""
	}
	if _, ok := worldDaily[col]; ok {
		return metricRef{}, "unknown metric " + quote(name) + ": " + col + " belongs to no platform; write it without " + plat + "."
	}
	known := append(sortedKeys(platformDaily), sortedKeys(platformTotals)...)
	msg := "unknown metric " + quote(col) + " in " + quote(name)
	if sg := suggest(col, known); sg != "" {
		return metricRef{}, msg + "; did you mean " + plat + "." + sg + "?"
	}
	return metricRef{}, msg + "; the metrics are the numeric columns of timeseries.csv (" + strings.Join(sortedKeys(platformDaily), ", ") +
		") and the run totals " + strings.Join(sortedKeys(platformTotals), ", ")
}

func quote(s string) string { return `"` + s + `"` }

// platformIndex finds a platform of a result by name; −1 if absent.
func platformIndex(r *sim.Result, name string) int {
	for p := range r.Platforms {
		if r.Platforms[p].Name == name {
			return p
		}
	}
	return -1
}

// dayValue reads ref on day d of r; NaN when the day or platform is absent.
func (ref metricRef) dayValue(r *sim.Result, p, d int) float64 {
	if d < 0 || d >= len(r.History) {
		return math.NaN()
	}
	dm := &r.History[d]
	if ref.platform == "" {
		return ref.day(dm, nil)
	}
	if p < 0 || p >= len(dm.Platforms) {
		return math.NaN()
	}
	return ref.day(dm, &dm.Platforms[p])
}

// resolveDay turns a possibly negative day into an index into a history of
// n days: −1 is the last.
func resolveDay(d, n int) int {
	if d < 0 {
		return n + d
	}
	return d
}

// evaluate computes output o of a finished run. Days outside the run give
// NaN rather than an error: a swept world.days may shorten some runs.
func (o *Output) evaluate(r *sim.Result) float64 {
	p := -1
	if o.ref.platform != "" {
		if p = platformIndex(r, o.ref.platform); p < 0 {
			return math.NaN()
		}
	}
	if o.ref.summary {
		return o.ref.total(&r.Platforms[p])
	}
	n := len(r.History)
	switch {
	case o.HasDay:
		return o.ref.dayValue(r, p, resolveDay(o.Day, n))
	case o.HasRange:
		from, to := resolveDay(o.From, n), resolveDay(o.To, n)
		if from < 0 || to >= n || from > to {
			return math.NaN()
		}
		acc := 0.0
		switch o.Stat {
		case "min":
			acc = math.Inf(1)
		case "max":
			acc = math.Inf(-1)
		}
		for d := from; d <= to; d++ {
			v := o.ref.dayValue(r, p, d)
			switch o.Stat {
			case "min":
				acc = math.Min(acc, v)
			case "max":
				acc = math.Max(acc, v)
			default:
				acc += v
			}
		}
		if o.Stat == "mean" {
			acc /= float64(to - from + 1)
		}
		return acc
	}
	return o.ref.dayValue(r, p, n-1)
}
