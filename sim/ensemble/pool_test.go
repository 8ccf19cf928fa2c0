package ensemble

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

func TestWorkers(t *testing.T) {
	cases := []struct{ want, n, got int }{
		{4, 10, 4}, {4, 2, 2}, {1, 0, 1}, {-3, 1, 1},
	}
	for _, c := range cases {
		assert.Equal(t, c.got, Workers(c.want, c.n), "Workers(%d, %d)", c.want, c.n)
	}
	assert.GreaterOrEqual(t, Workers(0, 1000), 1)
}

func TestStreamRunsEveryJobOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		seen := make([]int, 50)
		var calls atomic.Int64
		err := Stream(context.Background(), len(seen), workers,
			func(_ context.Context, w, i int) (int, bool) {
				calls.Add(1)
				assert.Less(t, w, workers)
				return i * i, i%7 != 0 // every seventh job has nothing to report
			},
			func(i, v int) error { seen[i]++; assert.Equal(t, i*i, v); return nil })
		require.NoError(t, err)
		assert.EqualValues(t, 50, calls.Load())
		for i, n := range seen {
			want := 1
			if i%7 == 0 {
				want = 0
			}
			assert.Equal(t, want, n, "job %d with %d workers", i, workers)
		}
	}
}

func TestStreamStopsOnSinkError(t *testing.T) {
	boom := errors.New("disk full")
	var started atomic.Int64
	err := Stream(context.Background(), 1000, 2,
		func(_ context.Context, _, i int) (int, bool) { started.Add(1); return i, true },
		func(i, _ int) error { return boom })
	assert.ErrorIs(t, err, boom)
	assert.Less(t, started.Load(), int64(1000), "jobs after the failure are not started")
}

func TestStreamCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var started atomic.Int64
	err := Stream(ctx, 100, 4,
		func(_ context.Context, _, i int) (int, bool) { started.Add(1); return i, true },
		func(int, int) error { return nil })
	assert.NoError(t, err)
	assert.Zero(t, started.Load())
}

// tiny returns the default scenario at a test size on seed.
func tiny(t *testing.T, seed string, extra ...string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Load("default", append([]string{"world.users=300", "world.seed=" + seed}, extra...))
	require.NoError(t, err)
	require.NoError(t, scenarios.SetHorizon(s, 20))
	return s
}

func TestRunOrderAndDeterminism(t *testing.T) {
	var jobs []Job
	for v := range 2 {
		for _, seed := range []string{"1", "2", "3"} {
			jobs = append(jobs, Job{Variant: v, Scenario: tiny(t, seed)})
		}
	}
	var progress atomic.Int64
	one, err := Run(context.Background(), jobs, Options{Workers: 1})
	require.NoError(t, err)
	many, err := Run(context.Background(), jobs, Options{Workers: 4, Progress: func(o *Outcome, done, total int) {
		progress.Add(1)
		assert.Equal(t, len(jobs), total)
	}})
	require.NoError(t, err)
	assert.EqualValues(t, len(jobs), progress.Load())
	for i := range jobs {
		assert.Equal(t, jobs[i].Variant, many[i].Variant)
		assert.Equal(t, jobs[i].Scenario.World.Seed, many[i].Result.Scenario.World.Seed, "outcome %d is job %d", i, i)
		assert.Equal(t, one[i].Result.History, many[i].Result.History, "job %d gives the same run on 1 or 4 workers", i)
	}
}

func TestRunReportsFirstFailure(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := Run(ctx, []Job{{Scenario: tiny(t, "1")}, {Scenario: tiny(t, "2")}}, Options{})
	assert.ErrorIs(t, err, context.Canceled)
	require.Len(t, out, 2)
	for _, o := range out {
		assert.Nil(t, o.Result)
		assert.Error(t, o.Err, "a job never run still says why it has no result")
	}
}
