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
// cache) users, and counts the friends beside the trials' first draws
// (newWorld). The world must be the one built in turn: the same graph,
// traits, installed base and trials at the start, and the same days
// after, with and without a GraphCache (whose second world takes the
// graph, traits and users from the cache). go test -race runs it
// too, so a shared write between the two would show.
func TestGraphBesideTraitsChangesNothing(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // the overlap needs a second core
	defer func(n int) { overlapMinUsers = n }(overlapMinUsers)
	type built struct {
		off, adj                []int32
		tie                     []uint8
		price, social, pay, tkt []float32
		st                      []standing
		tr                      []trialRec
		due                     []int16
		history                 []DayMetrics
	}
	cases := []struct {
		name  string
		sets  []string
		cache bool
	}{
		{"default", []string{"world.users=3000", "world.days=40"}, false},
		{"default, cached", []string{"world.users=3000", "world.days=40"}, true},
		{"small world", []string{"world.users=3000", "world.days=40", "graph.kind=small_world"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
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
						w.payRate, w.ticket, slices.Clone(w.st), slices.Clone(w.tr), slices.Clone(w.due), nil}
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
