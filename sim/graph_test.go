package sim

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkGraph asserts what every generator must give: sorted adjacency
// without self-ties or duplicates, and each tie stored at both ends with
// the same Tie byte.
func checkGraph(t *testing.T, g *Graph) {
	t.Helper()
	require.Len(t, g.Off, g.N+1)
	require.Len(t, g.Tie, len(g.Adj))
	for u := 0; u < g.N; u++ {
		fr := g.Friends(u)
		require.True(t, slices.IsSorted(fr), "user %d: friends sorted", u)
		for j, v := range fr {
			require.NotEqual(t, int32(u), v, "self-tie at %d", u)
			if j > 0 {
				require.NotEqual(t, fr[j-1], v, "duplicate friendship %d-%d", u, v)
			}
			back, ok := slices.BinarySearch(g.Friends(int(v)), int32(u))
			require.True(t, ok, "tie %d-%d is stored at both ends", u, v)
			require.Equal(t, g.Tie[int(g.Off[u])+j], g.Tie[int(g.Off[v])+back], "tie %d-%d has one description", u, v)
		}
	}
}

func TestGraphGenerators(t *testing.T) {
	const n = 20000
	tests := []struct {
		kind       string
		degree     float64
		strongLo   float64 // bounds on the share of strong ties
		strongHi   float64
		maxDegreeX float64 // the largest degree is at least this many times the mean
	}{
		// m = 10 new ties per user: mean degree 2m less the seed clique's deficit.
		{"preferential", 20, 0.28, 0.32, 5}, // strong_share 0.3; BA hubs grow like √n
		{"small_world", 20, 0.85, 0.95, 1},  // 1 − rewire of lattice ties stay strong (0.9)
		{"communities", 20, 0.75, 0.85, 1},  // inside_share 0.8, less merged duplicates
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			g, err := generateGraph(tc.kind, n, tc.degree, 0.3, 0.1, 150, 0.8, 99, newStream(1, streamGraph, 0))
			require.NoError(t, err)
			checkGraph(t, g)
			mean := float64(g.Ends()) / n
			assert.InEpsilon(t, tc.degree, mean, 0.06, "mean degree")
			strong, maxDeg := 0, 0
			for u := 0; u < n; u++ {
				maxDeg = max(maxDeg, g.Degree(u))
			}
			for _, b := range g.Tie {
				if b&tieStrong != 0 {
					strong++
				}
			}
			share := float64(strong) / float64(g.Ends())
			assert.True(t, share >= tc.strongLo && share <= tc.strongHi, "strong share %.3f", share)
			assert.GreaterOrEqual(t, float64(maxDeg), tc.maxDegreeX*mean, "largest degree")
		})
	}
	g, err := generateGraph("uniform", n, 20, 0.3, 0.1, 150, 0.8, 99, newStream(1, streamGraph, 0))
	require.NoError(t, err)
	assert.Zero(t, g.Ends(), "uniform mixing has no ties")
}

// TestCarryTies: a platform carries about its reach of each kind of tie,
// and both ends of a tie agree.
func TestCarryTies(t *testing.T) {
	g, err := generateGraph("preferential", 10000, 20, 0.3, 0, 0, 0, 5, newStream(2, streamGraph, 0))
	require.NoError(t, err)
	carryTies(g, 77, []float64{1, 0.2}, []float64{0.5, 0.9})
	checkGraph(t, g)
	var strong, weak, sCarried0, wCarried0, sCarried1, wCarried1 float64
	for _, b := range g.Tie {
		if b&tieStrong != 0 {
			strong++
			sCarried0 += float64(b & 1)
			sCarried1 += float64(b >> 1 & 1)
		} else {
			weak++
			wCarried0 += float64(b & 1)
			wCarried1 += float64(b >> 1 & 1)
		}
	}
	// ~60,000 strong and ~140,000 weak ends: binomial SDs below 0.003.
	assert.Equal(t, strong, sCarried0, "reach 1 carries every strong tie")
	assert.InDelta(t, 0.5, wCarried0/weak, 0.015)
	assert.InDelta(t, 0.2, sCarried1/strong, 0.015)
	assert.InDelta(t, 0.9, wCarried1/weak, 0.015)
}

// TestSortNearlySortedSorts: buildCSR's sort must leave every list as
// slices.Sort does, whether the list is as preferential attachment
// writes it (a few targets, then its choosers in order), sorted,
// reversed (where the insertion sort gives up) or random, with repeats.
func TestSortNearlySortedSorts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cases := []struct {
		name string
		make func(n int) []int32
	}{
		{"empty or one", func(n int) []int32 { return make([]int32, n%2) }},
		{"sorted", func(n int) []int32 {
			l := make([]int32, n)
			for i := range l {
				l[i] = int32(2 * i)
			}
			return l
		}},
		{"reversed", func(n int) []int32 {
			l := make([]int32, n)
			for i := range l {
				l[i] = int32(n - i)
			}
			return l
		}},
		{"targets then choosers", func(n int) []int32 {
			m := min(n, 10)
			l := make([]int32, 0, n)
			for range m {
				l = append(l, int32(r.IntN(1000))<<1|int32(r.IntN(2)))
			}
			for i := m; i < n; i++ {
				l = append(l, int32(2000+i)<<1|int32(r.IntN(2)))
			}
			return l
		}},
		{"random with repeats", func(n int) []int32 {
			l := make([]int32, n)
			for i := range l {
				l[i] = int32(r.IntN(n/2 + 1))
			}
			return l
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 2, 3, 12, 13, 50, 500, 5000} {
				l := c.make(n)
				want := slices.Clone(l)
				slices.Sort(want)
				sortNearlySorted(l)
				require.Equal(t, want, l, "n %d", n)
			}
		})
	}
}

// TestUrnGuessIsTheDraw: urnGuess must be the index a stream draws k
// draws on (urnAhead's prefetches are worth nothing otherwise; a guess
// off by one draw fails here).
func TestUrnGuessIsTheDraw(t *testing.T) {
	for seed := range uint64(20) {
		r := newStream(seed, streamGraph, seed)
		for k := range 60 {
			n := 1 + int(splitmix64(seed+uint64(k))%1_000_000)
			ahead := *r
			for range k {
				ahead.Uint64()
			}
			require.Equal(t, ahead.intn(n), urnGuess(r.state, k, n), "seed %d, %d draws on, n %d", seed, k, n)
		}
	}
}

// TestUrnAheadChangesNothing: reading the urn ahead only asks for lines,
// so the graph is the same with it and without.
func TestUrnAheadChangesNothing(t *testing.T) {
	if !canPrefetch {
		t.Skip("SKIP: no prefetch on this architecture, so preferentialAttachment never reads ahead")
	}
	defer func(n int) { urnAheadMinUsers = n }(urnAheadMinUsers)
	build := func(min int) []int32 {
		urnAheadMinUsers = min
		return preferentialAttachment(20000, 10, newStream(3, streamGraph, 0))
	}
	require.Equal(t, build(1<<62), build(0))
}
