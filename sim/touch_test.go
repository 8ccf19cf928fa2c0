package sim

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestTouchAheadChangesNothing runs small worlds with the users loops'
// touch ahead (partition.touchAhead) and prefetch of due users' lines
// (partition.prefetchDue) on and off: they only bring lines early, so
// every day's metrics must be the same, and with them on some partition
// must have touched and (where prefetch6 has assembly) prefetched
// something, or the comparison proves nothing. The worlds take each of
// the three users loops.
func TestTouchAheadChangesNothing(t *testing.T) {
	load := func(name string, sets ...string) *scenarios.Scenario {
		s, err := scenarios.Load(name, sets)
		require.NoError(t, err)
		return s
	}
	core := func() *scenarios.Scenario {
		s := load("default", "world.users=4000", "world.days=90")
		scenarios.Core(s)
		return s
	}
	cases := []struct {
		name  string
		build func() *scenarios.Scenario
		loop  int // the users loop (loopsRun) the world must take on some day
	}{
		{"core", core, loopPlain},
		{"netlogo", func() *scenarios.Scenario {
			return load(filepath.Join("sweep", "examples", "netlogo-scenario.toml"), "world.seed=3")
		}, loopEnvelopes},
		{"default", func() *scenarios.Scenario { return load("default", "world.users=4000", "world.days=90") }, loopGeneral},
	}
	defer func(n, m int) { touchMinUsers, prefetchMinUsers = n, m }(touchMinUsers, prefetchMinUsers)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := func(touch bool) ([]DayMetrics, int64, int64) {
				touchMinUsers, prefetchMinUsers = 1<<62, 1<<62
				if touch {
					touchMinUsers, prefetchMinUsers = 0, 0
				}
				w, err := New(c.build())
				require.NoError(t, err)
				for range w.Scenario.World.Days {
					require.NoError(t, w.Step())
				}
				var touched, prefetched int64
				for _, pt := range w.parts {
					touched |= pt.touched
					prefetched += pt.prefetched
				}
				return w.History(), touched, prefetched
			}
			off, none, nonePrefetched := run(false)
			before := loopsRun[c.loop].Load()
			on, touched, prefetched := run(true)
			require.Positive(t, loopsRun[c.loop].Load()-before, "the world never took users loop %d with the touch on", c.loop)
			require.Zero(t, none, "a world under touchMinUsers touched ahead")
			require.NotZero(t, touched, "no partition touched ahead: the comparison would prove nothing")
			require.Zero(t, nonePrefetched, "a world under touchMinUsers prefetched")
			if canPrefetch {
				require.Positive(t, prefetched, "no partition prefetched a due user's lines: the comparison would prove nothing")
			}
			require.Equal(t, off, on)
		})
	}
}
