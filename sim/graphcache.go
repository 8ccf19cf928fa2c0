package sim

import (
	"context"
	"runtime"

	"github.com/paywars/hongbao/scenarios"
)

// GraphCache keeps the social graphs of recent worlds for reuse. A graph
// and the platforms its ties carry depend only on the seed, the number of
// users, the graph's settings and the platforms' reach, not on any other
// lever, so the runs of a sweep with common random numbers, where every
// point repeats the same seeds, build each graph once instead of once a
// point: in the NetLogo-scale study that is 50 graphs instead of 51,200.
// A world only reads its graph, so worlds share one.
//
// A GraphCache is not safe for concurrent use: give each worker its own.
// It holds at most graphCacheBytes of graphs and forgets every graph when
// a new one would not fit; a graph larger than that is never kept.
type GraphCache struct {
	graphs map[graphKey]*Graph
	bytes  int
}

// graphCacheBytes bounds what one GraphCache holds: 32 MB a worker, a
// tenth of the memory a million-user run takes, and room for the 50
// seeds of the NetLogo-scale study (about 55 kB each) many times over.
var graphCacheBytes = 32 << 20 // a variable so that a test can lower it

// graphBytes is what a graph holds: 4 bytes of Adj and 1 of Tie a
// friendship end, 4 bytes of Off a user.
func graphBytes(g *Graph) int { return 5*g.Ends() + 4*(g.N+1) }

// graphKey is everything a world's graph is a function of.
type graphKey struct {
	seed                       uint64
	users, k                   int
	kind                       string
	meanDegree, strong, rewire float64
	communitySize              int
	insideShare                float64
	reachStrong, reachWeak     [MaxPlatforms]float64
}

// NewGraphCache returns an empty cache.
func NewGraphCache() *GraphCache { return &GraphCache{graphs: map[graphKey]*Graph{}} }

// New is sim.New with the graph taken from the cache when it holds it. The
// world is byte for byte the one New builds.
func (c *GraphCache) New(s *scenarios.Scenario) (*World, error) { return newWorld(s, c) }

// Run is sim.Run with the graph taken from the cache when it holds it.
func (c *GraphCache) Run(ctx context.Context, s *scenarios.Scenario, progress func(day int)) (*Result, error) {
	return run(ctx, s, progress, c)
}

// build returns the scenario's graph with the platforms' carried ties,
// from the cache when c holds it (c may be nil).
func (c *GraphCache) build(s *scenarios.Scenario) (*Graph, error) {
	key := graphKey{seed: s.World.Seed, users: s.World.Users, k: len(s.Platforms), kind: s.Graph.Kind,
		meanDegree: s.Graph.MeanDegree, strong: s.Graph.StrongShare, rewire: s.Graph.Rewire,
		communitySize: s.Graph.CommunitySize, insideShare: s.Graph.InsideShare}
	for p := range s.Platforms {
		key.reachStrong[p], key.reachWeak[p] = s.Platforms[p].ReachStrong, s.Platforms[p].ReachWeak
	}
	if c != nil {
		if g, ok := c.graphs[key]; ok {
			return g, nil
		}
	}
	seed := s.World.Seed
	g, err := generateGraph(key.kind, key.users, key.meanDegree, key.strong, key.rewire, key.communitySize, key.insideShare,
		splitmix64(seed^streamGraph), newStream(seed, streamGraph, 0))
	if err != nil {
		return nil, err
	}
	carryTies(g, splitmix64(seed^streamTies), key.reachStrong[:key.k], key.reachWeak[:key.k])
	if g.Ends() >= bigGraph {
		// The generator's list of pairs (8 bytes a friendship end) is
		// garbage now: collect it before the users' arrays are made, or
		// the heap peaks at their sum instead of the larger of the two.
		runtime.GC()
	}
	if b := graphBytes(g); c != nil && b <= graphCacheBytes {
		if c.bytes+b > graphCacheBytes {
			clear(c.graphs)
			c.bytes = 0
		}
		c.graphs[key] = g
		c.bytes += b
	}
	return g, nil
}
