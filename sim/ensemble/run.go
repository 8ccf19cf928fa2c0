package ensemble

import (
	"context"
	"errors"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// Job is one run of an ensemble: a variant's scenario on one seed (the
// scenario's World.Seed is the seed it runs on).
type Job struct {
	Variant  int // index of the variant, for the caller's tables
	Scenario *scenarios.Scenario
}

// Outcome is a finished job.
type Outcome struct {
	Job
	Result  *sim.Result // nil when Err is set
	Err     error
	Elapsed time.Duration
}

// Options tune [Run].
type Options struct {
	// Workers is the number of runs at a time; 0 means GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called on one goroutine after each job with
	// the outcome, the number of jobs done and the total.
	Progress func(o *Outcome, done, total int)
	// KeepGoing runs every job even after one fails; by default the first
	// failure cancels the jobs not yet finished.
	KeepGoing bool
}

// Run runs the jobs on a pool (see [Stream]) and returns their outcomes in
// job order. Its error is the first failure in job order, preferring a real
// failure to a run cancelled because of it, or ctx's error if ctx stopped
// the ensemble; the outcomes are returned either way.
func Run(ctx context.Context, jobs []Job, opt Options) ([]Outcome, error) {
	out := make([]Outcome, len(jobs))
	for i, j := range jobs {
		out[i].Job = j
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := 0
	err := Stream(ctx, len(jobs), opt.Workers,
		func(ctx context.Context, _, i int) (*Outcome, bool) {
			o := &out[i] // each job writes only its own element
			start := time.Now()
			o.Result, o.Err = sim.Run(ctx, o.Scenario, nil)
			o.Elapsed = time.Since(start)
			return o, true
		},
		func(_ int, o *Outcome) error {
			done++
			if o.Err != nil && !opt.KeepGoing {
				cancel()
			}
			if opt.Progress != nil {
				opt.Progress(o, done, len(jobs))
			}
			return nil
		})
	if err != nil {
		return out, err
	}
	if o := FirstFailure(out); o != nil {
		return out, o.Err
	}
	// A job the pool never started has neither a result nor an error.
	for i := range out {
		if out[i].Result == nil && out[i].Err == nil {
			if err := ctx.Err(); err != nil {
				out[i].Err = err
			} else {
				out[i].Err = context.Canceled
			}
		}
	}
	if o := FirstFailure(out); o != nil {
		return out, o.Err
	}
	return out, nil
}

// FirstFailure returns the first failed outcome in job order, whatever ran
// first, preferring a real failure to a run cancelled because of it; nil if
// none failed.
func FirstFailure(out []Outcome) *Outcome {
	var cancelled *Outcome
	for i := range out {
		o := &out[i]
		switch {
		case o.Err == nil:
		case errors.Is(o.Err, context.Canceled), errors.Is(o.Err, context.DeadlineExceeded):
			if cancelled == nil {
				cancelled = o
			}
		default:
			return o
		}
	}
	return cancelled
}
