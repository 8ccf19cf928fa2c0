package sim

import (
	"runtime"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestGraphBesideTraitsChangesNothing: a large world builds its graph on
// another goroutine while it draws the merchants, traits and (without a
// cache) users, their trials and counts, or (with one) counts the
// friends beside the trials' first draws (newWorld). The world must be the one built in turn: the same graph,
// traits, installed base and trials at the start, and the same days
// after, with and without a GraphCache (whose second world takes the
// graph, traits and users from the cache). go test -race runs it
// too, so a shared write between the two would show.
func TestGraphBesideTraitsChangesNothing(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // the overlap needs a second core
	defer func(n, m int) { overlapMinUsers, payAheadMinUsers = n, m }(overlapMinUsers, payAheadMinUsers)
	type built struct {
		off, adj                []int32
		tie                     []uint8
		price, social, pay, tkt []float32
		st                      []standing
		tr                      []trialRec
		due, payDay             []int16
		history                 []DayMetrics
	}
	cases := []struct {
		name     string
		sets     []string
		cache    bool
		payAhead bool // a world of payAheadMinUsers or more, whose payers are drawn ahead
	}{
		{"default", []string{"world.users=3000", "world.days=40"}, false, false},
		{"default, cached", []string{"world.users=3000", "world.days=40"}, true, false},
		{"small world", []string{"world.users=3000", "world.days=40", "graph.kind=small_world"}, false, false},
		{"default, paying ahead", []string{"world.users=3000", "world.days=40"}, false, true},
		{"default, cached, paying ahead", []string{"world.users=3000", "world.days=40"}, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payAheadMinUsers = 1 << 62
			if c.payAhead {
				payAheadMinUsers = 0
			}
			build := func(min int) []built {
				overlapMinUsers = min
				var cache *GraphCache
				if c.cache {
					cache = NewGraphCache()
				}
				var out []built
				for range 2 { // the second world of a cache takes the graph and traits from it
					s, err := scenarios.Load("default", c.sets)
					require.NoError(t, err)
					w, err := cache.New(s)
					require.NoError(t, err)
					b := built{w.graph.Off, w.graph.Adj, w.graph.Tie, w.priceSens, w.socialSens,
						w.payRate, w.ticket, slices.Clone(w.st), slices.Clone(w.tr), slices.Clone(w.due), slices.Clone(w.payDay), nil}
					for range w.Scenario.World.Days {
						require.NoError(t, w.Step())
					}
					b.history = w.History()
					out = append(out, b)
				}
				return out
			}
			inTurn, beside := build(1<<62), build(0)
			require.NotEmpty(t, inTurn[0].adj)
			require.Equal(t, inTurn, beside)
		})
	}
}

// TestRunBesideRaisesPanicsWhereItWaits: a panic in work run beside is
// raised again where the work is waited for, so that a sweep's recover
// around a run still records it (sweep.runner.run), and a second wait
// returns at once.
func TestRunBesideRaisesPanicsWhereItWaits(t *testing.T) {
	for _, beside := range []bool{false, true} {
		ran := false
		wait := runBeside(beside, func() { ran = true })
		wait()
		wait()
		require.True(t, ran, "beside %v", beside)
	}
	wait := runBeside(true, func() { panic("a bug in the graph") })
	require.PanicsWithValue(t, "a bug in the graph", wait)
	require.NotPanics(t, wait, "the second wait")
}
