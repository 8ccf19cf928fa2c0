package sim

import (
	"fmt"
	"math"
	"runtime"
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

// TestBuildCSRListsAreSortedPairs: buildCSR sorts each user's list by a
// second fill through the other end (no comparison); every list must
// come out as the pairs give it, sorted by friend, each friendship once
// and strong if any copy is, whatever the generator: preferential
// attachment renamed through a permutation, a rewired ring (repeats and
// users tied to themselves) and communities, on one to four cores (two takes buildCSR's own path),
// and through buckets (scatterBucketed) on one to three.
func TestBuildCSRListsAreSortedPairs(t *testing.T) {
	const n = 20000 // parallelRange cuts a range of n users into n/4096 parts at most
	gens := []struct {
		name string
		make func(r *stream) ([]int32, []int32, func(u, v int32) bool)
	}{
		{"preferential", func(r *stream) ([]int32, []int32, func(u, v int32) bool) {
			return preferentialAttachment(n, 6, r), randomPermutation(n, r), pairStrong(9, 0.3)
		}},
		{"small world", func(r *stream) ([]int32, []int32, func(u, v int32) bool) {
			pairs, strong := smallWorld(n, 5, 0.3, r)
			return pairs, randomPermutation(n, r), strong
		}},
		{"communities", func(r *stream) ([]int32, []int32, func(u, v int32) bool) {
			pairs, strong := communities(n, 12, 40, 0.8, r)
			return pairs, nil, strong
		}},
	}
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	defer func(m int) { csrBucketMinUsers = m }(csrBucketMinUsers)
	for _, gen := range gens {
		for _, c := range []struct {
			procs   int
			buckets bool
		}{{1, false}, {2, false}, {3, false}, {4, false}, {1, true}, {2, true}, {3, true}} {
			procs := c.procs
			t.Run(fmt.Sprintf("%s/%d cores/buckets %v", gen.name, procs, c.buckets), func(t *testing.T) {
				runtime.GOMAXPROCS(procs)
				csrBucketMinUsers = 1 << 62
				if c.buckets {
					csrBucketMinUsers = 0
				}
				pairs, perm, strong := gen.make(newStream(11, streamGraph, 0))
				type end struct {
					v      int32
					strong bool
				}
				want := make([][]end, n)
				selfTies := 0
				for i := 0; i+1 < len(pairs); i += 2 {
					u, v := pairs[i], pairs[i+1]
					if u == v {
						selfTies++
						continue
					}
					s := strong(u, v)
					if perm != nil {
						u, v = perm[u], perm[v]
					}
					want[u] = append(want[u], end{v, s})
					want[v] = append(want[v], end{u, s})
				}
				for u, l := range want {
					slices.SortFunc(l, func(a, b end) int { return int(a.v) - int(b.v) })
					k := 0
					for _, e := range l {
						if k > 0 && l[k-1].v == e.v {
							l[k-1].strong = l[k-1].strong || e.strong
							continue
						}
						l[k] = e
						k++
					}
					want[u] = l[:k]
				}
				g := buildCSR(n, pairs, perm, strong)
				ends := 0
				for u := range n {
					var got []end
					for i := g.Off[u]; i < g.Off[u+1]; i++ {
						got = append(got, end{g.Adj[i], g.Tie[i]&tieStrong != 0})
					}
					if len(want[u]) == 0 {
						want[u] = nil
					}
					require.Equal(t, want[u], got, "user %d", u)
					ends += len(got)
				}
				t.Logf("%d ends, %d pairs of a user with itself", ends, selfTies)
			})
		}
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

// TestScatterBucketedIsDirect: the scatters through buckets must give
// every user's list the same ends in the same order as the direct ones,
// not only the same graph once sorted and merged: repeated pairs, pairs
// of a user with itself and strong ties, users with no friends and a
// last bucket part full, on one to four parts and every bucket size.
func TestScatterBucketedIsDirect(t *testing.T) {
	r := newStream(5, streamGraph, 0)
	for _, n := range []int{1, 2, 63, 64, 65, 1000, 5000, 20011} {
		np := 3 * n
		orig := make([]int32, 2*np)
		for i := 0; i < 2*np; i += 2 {
			a, b := int32(r.intn(n)), int32(r.intn(n))
			if i > 2 && r.intn(10) == 0 { // a repeat of an earlier pair
				j := 2 * r.intn(i/2)
				a, b = orig[j], orig[j+1]&math.MaxInt32
			}
			if r.intn(3) == 0 {
				b |= math.MinInt32
			}
			orig[i], orig[i+1] = a, b
		}
		for parts := 1; parts <= 4; parts++ {
			off, cur := countEnds(n, orig, parts)
			want := scatterDirect(n, slices.Clone(orig), off, cur, parts)
			maxWb := csrBucketBits(n)
			require.Positive(t, maxWb, "n %d", n)
			for wb := uint(0); wb <= maxWb; wb++ {
				off, cur := countEnds(n, orig, parts)
				got := scatterBucketed(n, slices.Clone(orig), off, cur, parts, wb)
				require.Equal(t, want, got, "n %d, %d parts, buckets of %d users", n, parts, 1<<wb)
			}
		}
	}
}
