package sim

import (
	"context"
	"time"

	"github.com/paywars/hongbao/scenarios"
)

// PlatformSummary is a platform's standing at the end of a run.
type PlatformSummary struct {
	Name  string
	Final PlatformDay
	// Payoff is the platform's score under the scenario's payoff metric.
	Payoff float64
	// ValueYuan is discounted fees minus subsidies plus the terminal value
	// of monthly actives, whatever the payoff metric.
	ValueYuan          float64
	SubsidiesFen       int64 // all subsidies the treasury paid over the run
	FeesFen            int64
	NewCardBound       int64
	NewBoundFromClaim  int64
	CostPerNewBoundFen int64 // subsidies per newly card-bound user; 0 without new bindings
	PeakShareValue     float64
}

// Result is a finished run in memory: what sweeps and games consume
// without touching disk.
type Result struct {
	Scenario  *scenarios.Scenario
	History   []DayMetrics
	Platforms []PlatformSummary
	// MoneyConserved is true when the ledger was checked every day and
	// balanced (a failed check ends the run with an error instead).
	MoneyConserved bool
	Elapsed        time.Duration
	UserDays       int64
	// Provenance, if set by the caller, is recorded in summary.json.
	Provenance *Provenance
}

// UserDaysPerSecond is the engine's throughput over the run.
func (r *Result) UserDaysPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.UserDays) / r.Elapsed.Seconds()
}

// Scale is how many real people one simulated user stands for.
func (r *Result) Scale() float64 {
	if r.Scenario.World.Represents <= 0 {
		return 1
	}
	return r.Scenario.World.Represents / float64(r.Scenario.World.Users)
}

// Run builds the world of a scenario and simulates it to the horizon.
// progress, if not nil, is called after each day with the days done. The
// context stops a run between days.
func Run(ctx context.Context, s *scenarios.Scenario, progress func(day int)) (*Result, error) {
	return run(ctx, s, progress, nil)
}

// run is Run, with the graph from graphs when it holds it (nil: built).
func run(ctx context.Context, s *scenarios.Scenario, progress func(day int), graphs *GraphCache) (*Result, error) {
	w, err := newWorld(s, graphs)
	if err != nil {
		return nil, err
	}
	for !w.Done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := w.Step(); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(w.day)
		}
	}
	res := w.Result()
	graphs.recycle(w)
	return res, nil
}

// Result summarises the days simulated so far.
func (w *World) Result() *Result {
	r := &Result{Scenario: w.Scenario, History: w.history, MoneyConserved: w.Scenario.World.CheckLedger,
		Elapsed: w.elapsed, UserDays: int64(w.N) * int64(w.day)}
	if len(w.history) == 0 {
		return r
	}
	last := w.history[len(w.history)-1]
	for p, pl := range w.plat {
		ps := PlatformSummary{Name: pl.cfg.Name, Final: last.Platforms[p]}
		for _, dm := range w.history {
			m := &dm.Platforms[p]
			ps.FeesFen += m.FeeRevenueFen
			ps.NewCardBound += m.NewCardBound
			ps.NewBoundFromClaim += m.NewBoundFromClaim
			ps.PeakShareValue = max(ps.PeakShareValue, m.ShareValue)
		}
		ps.SubsidiesFen = pl.cumSubsidyFen
		if ps.NewCardBound > 0 {
			ps.CostPerNewBoundFen = ps.SubsidiesFen / ps.NewCardBound
		}
		ps.ValueYuan = pl.payoffYuan + scenarios.FenToYuan(w.Scenario.Payoff.TerminalMAU.Fen())*float64(ps.Final.MAU)*w.discount(len(w.history))
		switch w.Scenario.Payoff.Metric {
		case "share":
			ps.Payoff = ps.Final.ShareValue
		case "mau":
			ps.Payoff = float64(ps.Final.MAU)
		default:
			ps.Payoff = ps.ValueYuan
		}
		r.Platforms = append(r.Platforms, ps)
	}
	return r
}
