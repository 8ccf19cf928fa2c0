package sim

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestTouchAheadChangesNothing runs small worlds with the users loops'
// touch ahead (partition.touchAhead) and prefetch of due users' lines
// (partition.prefetchDue), and fanOut's of the day's events' ties
// (prefetchFriends), on and off: they only bring lines early, so
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
			require.Zero(t, nonePrefetched, "a world under prefetchMinUsers prefetched")
			if canPrefetch {
				require.Positive(t, prefetched, "no partition prefetched a due user's lines: the comparison would prove nothing")
			}
			require.Equal(t, off, on)
		})
	}
}

// TestPrefetchDueFindsEveryDueUser: prefetchDue must ask for the lines of
// exactly the users due (a user is due when its day is d or before),
// whatever their days (0, d, d+1, noTrial), and stop at the end it is
// given.
func TestPrefetchDueFindsEveryDueUser(t *testing.T) {
	s, err := scenarios.Load("default", []string{"world.users=64", "world.days=10"})
	require.NoError(t, err)
	w, err := New(s)
	require.NoError(t, err)
	pt := w.parts[0]
	cases := []struct {
		name string
		days []int16
		d    int
		want int64
	}{
		{"none due", []int16{5, 6, 7, noTrial, 9, noTrial, 6, 6}, 4, 0},
		{"every one due", []int16{0, 1, 2, 3, 4, 4, 4, 4}, 4, 8},
		{"due on the day, not the day after", []int16{4, 5, 5, 5, 5, 5, 5, 4}, 4, 2},
		{"day 0", []int16{noTrial, 0, noTrial, noTrial, noTrial, noTrial, 0, noTrial}, 0, 2},
		{"a late day", []int16{noTrial, 3000, 2999, noTrial, 3001, 1, noTrial, 3000}, 3000, 4},
		{"an odd count", []int16{0, 0, 0, 0, 0, 0, 0}, 0, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pt.prefetched = 0
			cur := pt.prefetchDue(0, len(c.days), c.d, c.days)
			require.Equal(t, c.want, pt.prefetched)
			require.Equal(t, len(c.days), cur)
		})
	}
}
