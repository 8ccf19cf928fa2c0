package sim

import (
	"encoding/binary"
	"math"
	"slices"
)

// The users' initial state (usual merchants, installed base, first trial
// days and the counts derived from them) is, like the traits, a function
// of the set-up stream's state where its draws begin and of a handful of
// settings, and not of the levers a sweep moves (fees, cashback, bonuses),
// so GraphCache keeps it too: in the NetLogo-scale study set-up then draws
// and counts 50 times instead of 51,200. A hit copies the arrays the step
// writes and shares the one it only reads (usual merchants).
//
// usersKey lists what setupUsers, scheduleTrials, countInitial,
// countTies and countAccepting read; a change to what they read must
// change it too (TestGraphCacheByteIdentical varies each part).

// usersKey is everything the users' initial state is a function of: the
// set-up stream's state before its draws, the graph and traits it was
// built on (the cache's own, so their identity stands for their content,
// and holding them here keeps them from being reused at another address)
// and the settings, encoded.
type usersKey struct {
	state         uint64
	graph         *Graph
	payRate, tick *float32
	settings      string
}

// cachedUsers is a world's initial user state, as countAccepting leaves it.
type cachedUsers struct {
	usual               []int32 // read only: shared with the worlds
	custOff, cust       []int32 // the same
	st                  []standing
	tr                  []trialRec
	due                 []int16
	use                 []useRecord
	bmask, accepting    []uint8
	boundCust           []int32
	onCount, multiHomed []int64
	parts               []cachedPart
	after               uint64 // the set-up stream's state after the draws
	bytes               int
}

// cachedPart is what countInitial leaves in a partition.
type cachedPart struct {
	level                     [MaxPlatforms]levels
	useHist                   [][]int32
	noWallet                  int
	noWalletRate, noWalletFen []float64
}

// usersKey returns the key of w's initial users, and whether they may be
// kept: with a cache, when the graph and the traits are the cache's.
func (c *GraphCache) usersKey(w *World, r *stream, sharedTraits bool) (usersKey, bool) {
	if c == nil || !sharedTraits || w.graph.carried == nil || w.graph.carriedK != w.K {
		return usersKey{}, false
	}
	s := w.Scenario
	b := make([]byte, 0, 128)
	u64 := func(x uint64) { b = binary.LittleEndian.AppendUint64(b, x) }
	f64 := func(x float64) { u64(math.Float64bits(x)) }
	for _, n := range []int{w.N, w.K, w.M, w.nUsual, len(w.parts), s.World.Days, s.Retention.ActiveDays} {
		u64(uint64(n))
	}
	f64(s.Habit.Initial)
	f64(w.adoptLog)
	f64(w.dormLog)
	if w.mixing {
		u64(1)
	}
	for p := range w.K {
		in := &s.Platforms[p].Initial
		f64(in.Aware)
		f64(in.Registered)
		f64(in.CardBound)
		f64(in.Active)
		f64(w.plat[p].awareLog)
	}
	for _, ki := range w.kinds {
		u64(uint64(ki.first))
		u64(uint64(ki.count))
		f64(ki.weight)
		f64(ki.factor)
	}
	b = append(b, w.accept...) // the merchants' wallets at the start (countAccepting)
	return usersKey{state: r.state, graph: w.graph, payRate: &w.payRate[0], tick: &w.ticket[0], settings: string(b)}, true
}

// takeUsers sets w's initial users from the cache when it holds them under
// key, and moves r to where their draws would have left it.
func (c *GraphCache) takeUsers(w *World, r *stream, key usersKey, ok bool) bool {
	if !ok {
		return false
	}
	e, hit := c.users[key]
	if !hit {
		return false
	}
	NK := w.N * w.K
	sp := &c.spare // the arrays of the last world Run finished, or none
	w.usual, w.custOff, w.cust = e.usual, e.custOff, e.cust
	w.st, w.use, w.tr, w.bmask = into(sp.st, e.st), into(sp.use, e.use), into(sp.tr, e.tr), into(sp.bmask, e.bmask)
	w.accepting = into(sp.accepting, e.accepting)
	w.due = into(sp.due, e.due)
	w.deficit, w.balFen, w.received = zeroed(sp.deficit, NK), zeroed(sp.balFen, NK), zeroed(sp.received, NK)
	*sp = spareUsers{}
	copy(w.boundCust, e.boundCust)
	copy(w.onCount, e.onCount)
	copy(w.multiHomed, e.multiHomed)
	for i, pt := range w.parts {
		cp := &e.parts[i]
		pt.c.level = cp.level
		for p := range pt.useHist {
			copy(pt.useHist[p], cp.useHist[p])
		}
		pt.noWallet = cp.noWallet
		copy(pt.noWalletRate, cp.noWalletRate)
		copy(pt.noWalletFen, cp.noWalletFen)
	}
	w.carried = w.graph.carried
	r.state = e.after
	return true
}

// keepUsers keeps a copy of w's initial users under key, within
// graphCacheBytes (counted apart from graphs and traits).
func (c *GraphCache) keepUsers(w *World, r *stream, key usersKey, ok bool) {
	if !ok {
		return
	}
	e := &cachedUsers{usual: w.usual, custOff: w.custOff, cust: w.cust, st: slices.Clone(w.st), use: slices.Clone(w.use), tr: slices.Clone(w.tr),
		bmask: slices.Clone(w.bmask), accepting: slices.Clone(w.accepting),
		due:       slices.Clone(w.due),
		boundCust: slices.Clone(w.boundCust), onCount: slices.Clone(w.onCount), multiHomed: slices.Clone(w.multiHomed),
		after: r.state}
	e.bytes = 4*len(e.usual) + 4*len(e.custOff) + 4*len(e.cust) + 18*len(e.st) + 3*w.N + 4*len(e.boundCust) + 16*w.K
	e.parts = make([]cachedPart, len(w.parts))
	for i, pt := range w.parts {
		cp := &e.parts[i]
		cp.level, cp.noWallet = pt.c.level, pt.noWallet
		cp.noWalletRate, cp.noWalletFen = slices.Clone(pt.noWalletRate), slices.Clone(pt.noWalletFen)
		cp.useHist = make([][]int32, len(pt.useHist))
		for p, h := range pt.useHist {
			cp.useHist[p] = slices.Clone(h)
			e.bytes += 4 * len(h)
		}
		e.bytes += 16*len(cp.noWalletRate) + 8*MaxPlatforms*4
	}
	if e.bytes > graphCacheBytes {
		return
	}
	if c.ubytes+e.bytes > graphCacheBytes {
		clear(c.users)
		c.ubytes = 0
	}
	c.users[key] = e
	c.ubytes += e.bytes
}

// spareUsers are the users' arrays of a world that Run has finished, which
// the next world taken from the cache copies its initial users into
// (takeUsers) instead of allocating its own: a small run's largest
// allocations, whose collection, at two workers, contended for the heap's
// lock. Only arrays the world alone holds are spared: not the usual
// merchants, traits or carried ties, which the cache shares.
type spareUsers struct {
	st               []standing
	use              []useRecord
	deficit          []float32
	tr               []trialRec
	received         []uint16
	bmask, accepting []uint8
	due              []int16
	balFen           []int64
}

// recycle keeps w's users' arrays for the next world (c may be nil). w
// must be done with: Run calls it once the result is made, and the result
// holds none of them. Arrays larger than graphCacheBytes are not kept.
func (c *GraphCache) recycle(w *World) {
	if c == nil || 32*len(w.st)+3*w.N > graphCacheBytes {
		return
	}
	c.spare = spareUsers{st: w.st, use: w.use, deficit: w.deficit, tr: w.tr, received: w.received, bmask: w.bmask, accepting: w.accepting,
		due: w.due, balFen: w.balFen}
}

// into returns a copy of src, in dst's array when it is large enough (dst
// is a spare array: nothing else reads it).
func into[T any](dst, src []T) []T {
	if cap(dst) < len(src) {
		return slices.Clone(src)
	}
	dst = dst[:len(src)]
	copy(dst, src)
	return dst
}

// zeroed returns n zero elements, in dst's array when it is large enough.
func zeroed[T any](dst []T, n int) []T {
	if cap(dst) < n {
		return make([]T, n)
	}
	dst = dst[:n]
	clear(dst)
	return dst
}
