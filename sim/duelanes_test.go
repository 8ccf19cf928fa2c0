package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestDueLanes: dueLanes marks a lane exactly where its day is at most
// today, for the sentinels (payUndrawn, noTrial, neverUsed), days around
// today and random days, with today over a run's range.
func TestDueLanes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	special := []int16{math.MinInt16, math.MinInt16 + 1, -1, 0, 1, math.MaxInt16, math.MaxInt16 - 1, 365, 366, 4000}
	for _, day := range []int16{0, 1, 2, 100, 364, 365, 1000, math.MaxInt16 - 1} {
		c := uint64(uint16(day+1)) * lanes16
		for range 20000 {
			var v [4]int16
			for i := range v {
				switch r.IntN(3) {
				case 0:
					v[i] = special[r.IntN(len(special))]
				case 1:
					v[i] = day + int16(r.IntN(5)) - 2
				default:
					v[i] = int16(r.Uint32())
				}
			}
			x := uint64(uint16(v[0])) | uint64(uint16(v[1]))<<16 | uint64(uint16(v[2]))<<32 | uint64(uint16(v[3]))<<48
			var want uint64
			for i, d := range v {
				if d <= day {
					want |= 0x8000 << (16 * i)
				}
			}
			require.Equal(t, want, dueLanes(x, c), "days %v, today %d", v, day)
		}
	}
}

// TestLanesOrNotTheSame: on a machine that stores the high byte first
// (nativeLittle false) listDue and countFriendsGather take their values
// one at a time; both ways must give the same world, here on a little-
// endian machine with the lanes turned off, in a world that draws payers
// ahead (where listDue runs) and counts friends from their own end.
func TestLanesOrNotTheSame(t *testing.T) {
	defer func(n int, l bool) { payAheadMinUsers, nativeLittle = n, l }(payAheadMinUsers, nativeLittle)
	payAheadMinUsers = 0
	run := func(lanes bool) ([]DayMetrics, []trialRec) {
		nativeLittle = lanes
		s, err := scenarios.Load("default", []string{"world.users=5000", "world.days=60"})
		require.NoError(t, err)
		scenarios.Core(s)
		w, err := New(s)
		require.NoError(t, err)
		for range w.Scenario.World.Days {
			require.NoError(t, w.Step())
		}
		for i := range w.tr {
			w.tr[i].friendsOn = 0
		}
		w.countFriendsGather(0, w.N, nil)
		return w.History(), w.tr
	}
	h1, tr1 := run(true)
	h0, tr0 := run(false)
	require.Equal(t, h1, h0)
	require.Equal(t, tr1, tr0)
}
