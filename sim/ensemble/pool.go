package ensemble

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers returns the number of goroutines a pool of n jobs uses when asked
// for want: want itself if positive, else GOMAXPROCS; never more than n nor
// fewer than one.
func Workers(want, n int) int {
	if want <= 0 {
		want = runtime.GOMAXPROCS(0)
	}
	return max(1, min(want, n))
}

// Stream runs job for i = 0..n-1 on workers goroutines (see [Workers]) and
// calls sink with each result on the calling goroutine, in the order jobs
// finish, so sink needs no lock (sweeps append to their journal there).
// Workers take jobs in increasing i. worker is the goroutine's index, 0 to
// workers-1, for state a worker keeps between its jobs.
//
// A job returns ok false when it has nothing for sink: it was skipped, or
// ctx stopped it. When sink returns an error, or ctx is cancelled, jobs not
// yet started are not started; Stream waits for those in flight, drains
// their results without passing them on, and returns sink's error (nil on
// cancellation: the caller reads ctx.Err()).
func Stream[T any](ctx context.Context, n, workers int,
	job func(ctx context.Context, worker, i int) (T, bool),
	sink func(i int, v T) error) error {
	if n <= 0 {
		return nil
	}
	workers = Workers(workers, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i int
		v T
	}
	results := make(chan result, 2*workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				v, ok := job(ctx, w, i)
				if !ok {
					continue
				}
				select {
				case results <- result{i, v}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var err error
	for r := range results {
		if err != nil {
			continue // drain so the workers can finish
		}
		if err = sink(r.i, r.v); err != nil {
			cancel()
		}
	}
	return err
}
