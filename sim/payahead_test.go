package sim

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// payAheadWorld is the core scenario, small, with default's flash sale
// held four times, three days each. The other days are plain and run
// usersPaying where paying days are drawn ahead; the sale's are not, so
// some paying days fall on days that draw for themselves and must be
// drawn again after them.
func payAheadWorld(t *testing.T, users, days int, seed uint64) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Load("default", []string{fmt.Sprintf("world.users=%d", users)})
	require.NoError(t, err)
	s.World.Days = days
	var sale []scenarios.Event
	for _, e := range s.Events {
		if e.Kind == "flash_sale" { // the online merchants' sale, held four times in the run
			for k := 1; k <= 4; k++ {
				e.Day, e.Days = k*days/5, 3
				sale = append(sale, e)
			}
		}
	}
	require.Len(t, sale, 4, "default has one flash sale, held four times")
	scenarios.Core(s)
	s.Events = sale
	s.World.Seed = seed
	return s
}

// TestPayAheadSameLaw: drawing paying days ahead (usersPaying) must be the
// same process in law as drawing each wallet's day (usersPlain), though
// not the same draws. Each seed runs the small core world both ways; the
// two runs share the set-up (graph, traits, the installed base), so they
// are compared in pairs. For each of four tallies of a run (payments of
// all kinds, wallet payments, users active summed over the days, cards
// bound at the end), t is the mean of the 16 pairs' differences over its
// standard error: if the law is the same it follows Student's t with 15
// degrees of freedom, which passes 4.5 in size with chance 4e-4, so the
// four fail together by chance under 0.2% (and, the seeds being fixed,
// the same way every time). It fails on the slips it is there for
// (checked): a paying day's count drawn as max(1, Poisson) instead of
// Poisson given at least one, t −51 on payments; a paying day that fell
// on a sale day paid on the next plain day instead of drawn again, t 12.
func TestPayAheadSameLaw(t *testing.T) {
	defer func(n int) { payAheadMinUsers = n }(payAheadMinUsers)
	const seeds = 16
	names := []string{"payments", "wallet payments", "active user-days", "cards bound"}
	run := func(ahead bool, seed uint64) [4]float64 {
		payAheadMinUsers = 1 << 62
		if ahead {
			payAheadMinUsers = 0
		}
		w, err := New(payAheadWorld(t, 3000, 150, seed))
		require.NoError(t, err)
		require.Equal(t, ahead, w.payAhead)
		plain, general := loopsRun[loopPlain].Load(), loopsRun[loopGeneral].Load()
		for range w.Scenario.World.Days {
			require.NoError(t, w.Step())
		}
		var x [4]float64
		for _, dm := range w.History() {
			x[0] += float64(dm.CashPayments)
			for _, p := range dm.Platforms {
				x[0] += float64(p.Payments)
				x[1] += float64(p.Payments)
				x[2] += float64(p.DAU)
			}
		}
		for _, p := range w.History()[len(w.History())-1].Platforms {
			x[3] += float64(p.CardBound)
		}
		if ahead {
			require.Positive(t, loopsRun[loopPlain].Load()-plain, "no plain day: usersPaying never ran")
			require.Positive(t, loopsRun[loopGeneral].Load()-general, "every day plain: no paying day was drawn again")
			drawn := 0
			for _, pd := range w.payDay {
				if pd >= 0 && pd < noTrial {
					drawn++
				}
			}
			require.Positive(t, drawn, "no paying day drawn ahead")
		}
		return x
	}
	var diff [4][]float64
	for s := range uint64(seeds) {
		a, b := run(true, s+1), run(false, s+1)
		for k := range diff {
			diff[k] = append(diff[k], a[k]-b[k])
		}
	}
	for k, ds := range diff {
		mean, sd := meanSD(ds)
		tstat := mean / (sd / math.Sqrt(seeds))
		t.Logf("%s: mean difference %.1f, sd %.1f, t %.2f", names[k], mean, sd, tstat)
		require.Less(t, math.Abs(tstat), 4.5, "%s: drawn ahead differs in law from drawn each day", names[k])
	}
}

// meanSD is the sample mean and standard deviation of xs.
func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

// TestPayAheadDeterministicAndConserved: a world that draws paying days
// ahead gives the same bytes whatever GOMAXPROCS, over more partitions
// than cores, and with its visits' lines prefetched (prefetchVisit) or
// not, and keeps the ledger every day.
func TestPayAheadDeterministicAndConserved(t *testing.T) {
	defer func(n, m int) { payAheadMinUsers, prefetchMinUsers = n, m }(payAheadMinUsers, prefetchMinUsers)
	payAheadMinUsers, prefetchMinUsers = 0, 1<<62
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	world := func() *scenarios.Scenario {
		s := payAheadWorld(t, 12000, 60, 7)
		s.World.Partitions = 9
		s.World.CheckLedger = true
		return s
	}
	var outs [][]byte
	for _, procs := range []int{1, 4, 2} {
		runtime.GOMAXPROCS(procs)
		outs = append(outs, outputBytes(t, world()))
	}
	prefetchMinUsers = 0
	outs = append(outs, outputBytes(t, world()))
	if canPrefetch {
		w, err := New(world())
		require.NoError(t, err)
		for range 5 {
			require.NoError(t, w.Step())
		}
		var asked int64
		for _, pt := range w.parts {
			asked += pt.prefetched
		}
		require.Positive(t, asked, "prefetchVisit never ran: the last comparison would prove nothing")
	}
	for i := 1; i < len(outs); i++ {
		require.True(t, bytes.Equal(outs[0], outs[i]), "run %d differs from run 0", i)
	}
}
