package sim

import (
	"context"
	"runtime"
	"runtime/debug"

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
//
// It keeps the users' traits the same way (drawTraits): they are drawn
// from the set-up stream, so they are a function of the stream's state
// where the draws begin, the number of users and the traits'
// distributions; a hit hands the world the same arrays and moves its
// stream to where the draws would have left it, so every later draw of
// the set-up (usual merchants, installed base, trials) is the one a fresh
// world makes. It keeps those too, with the counts set-up derives from
// them (setupcache.go), by the stream's state where their draws begin and
// the settings they read.
type GraphCache struct {
	graphs map[graphKey]*Graph
	bytes  int
	traits map[traitKey]*cachedTraits
	tbytes int
	users  map[usersKey]*cachedUsers // setupcache.go
	ubytes int
	spare  spareUsers // setupcache.go
}

// traitKey is everything a world's traits are a function of: the set-up
// stream's state before the first trait is drawn (the seed and the draws
// the merchants took before), the users and the distributions.
type traitKey struct {
	state uint64
	users int
	dists [4]scenarios.Dist
}

// cachedTraits are the trait arrays of a world (read only once made: the
// step never writes them, so worlds share them) and the set-up stream's
// state after drawing them.
type cachedTraits struct {
	priceSens, socialSens, payRate, ticket, expNegRate []float32
	after                                              uint64
}

// graphCacheBytes bounds what one GraphCache holds: 32 MB a worker, a
// tenth of the memory a million-user run takes, and room for the 50
// seeds of the NetLogo-scale study (about 60 kB each) many times over.
var graphCacheBytes = 32 << 20 // a variable so that a test can lower it

// graphBytes is what a graph holds once a world has used it: 4 bytes of
// Adj and 1 of Tie a friendship end, 4 bytes of Off a user and 2 of
// carried ties a user and platform (Graph.carried, of k platforms).
func graphBytes(g *Graph, k int) int { return 5*g.Ends() + 4*(g.N+1) + 2*g.N*k }

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
func NewGraphCache() *GraphCache {
	return &GraphCache{graphs: map[graphKey]*Graph{}, traits: map[traitKey]*cachedTraits{}, users: map[usersKey]*cachedUsers{}}
}

// drawTraits sets w's traits, drawn from r (setupUsers), or taken from the
// cache when c holds the ones the same draws make (c may be nil). Either
// way r ends where the draws leave it. The traits share graphCacheBytes'
// bound, counted apart from the graphs.
//
// It reports whether w's traits are the cache's (shared by other worlds).
func (c *GraphCache) drawTraits(w *World, r *stream) (shared bool) {
	s := w.Scenario
	u := &s.Users
	key := traitKey{state: r.state, users: w.N,
		dists: [4]scenarios.Dist{u.PriceSensitivity, u.SocialSensitivity, u.PaymentsPerDay, u.Ticket}}
	if c != nil {
		if t, ok := c.traits[key]; ok {
			w.priceSens, w.socialSens, w.payRate, w.ticket, w.expNegRate = t.priceSens, t.socialSens, t.payRate, t.ticket, t.expNegRate
			r.state = t.after
			return true
		}
	}
	w.drawTraits(r)
	if b := 20 * w.N; c != nil && b <= graphCacheBytes {
		if c.tbytes+b > graphCacheBytes {
			clear(c.traits)
			c.tbytes = 0
		}
		c.traits[key] = &cachedTraits{priceSens: w.priceSens, socialSens: w.socialSens, payRate: w.payRate,
			ticket: w.ticket, expNegRate: w.expNegRate, after: r.state}
		c.tbytes += b
		return true
	}
	return false
}

// New is sim.New with the graph taken from the cache when it holds it. The
// world is byte for byte the one New builds.
func (c *GraphCache) New(s *scenarios.Scenario) (*World, error) { return newWorld(s, c) }

// Run is sim.Run with the graph taken from the cache when it holds it.
func (c *GraphCache) Run(ctx context.Context, s *scenarios.Scenario, progress func(day int)) (*Result, error) {
	return run(ctx, s, progress, c)
}

// build returns the scenario's graph with the platforms' carried ties,
// from the cache when c holds it (c may be nil). beside says that it runs
// beside the drawing of the traits (newWorld).
func (c *GraphCache) build(s *scenarios.Scenario, beside bool) (*Graph, error) {
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
		if beside {
			// The traits were drawn meanwhile into pages of their own,
			// not into the pairs' freed pages as on one core, which then
			// held 18 MB more than the users' arrays fill: peak RSS of
			// the filing day's default 359.7 MB against 346.9 (the
			// budget is 360). Handing the free pages back keeps it at
			// 344.5, for about 30 ms of pages faulted in again.
			debug.FreeOSMemory()
		} else {
			runtime.GC()
		}
	}
	if b := graphBytes(g, key.k); c != nil && b <= graphCacheBytes {
		if c.bytes+b > graphCacheBytes {
			clear(c.graphs)
			c.bytes = 0
		}
		c.graphs[key] = g
		c.bytes += b
	}
	return g, nil
}
