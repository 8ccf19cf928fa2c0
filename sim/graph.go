package sim

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"unsafe"
)

// Graph is the social graph in compressed sparse row form: the friends of
// user u are Adj[Off[u]:Off[u+1]], and Tie[i] describes the tie Adj[i]:
// bit 7 is set for a strong tie, bit p (p < 7) when platform p carries it.
// Friendships are undirected: each is stored at both ends with the same Tie
// byte. Compact arrays, not maps, because the daily step walks them.
type Graph struct {
	N   int
	Off []int32
	Adj []int32
	Tie []uint8

	// carried[u*carriedK+p] is the number of u's ties that carry platform
	// p, counted by the first world built on the graph (World.countTies)
	// and shared, read only, by the worlds that reuse it (GraphCache):
	// like the ties' carried bits, it is a function of the graph alone.
	carried  []uint16
	carriedK int
}

// tieStrong marks a strong tie in Graph.Tie.
const tieStrong = 1 << 7

// Friends returns the friends of u (a view, not a copy).
func (g *Graph) Friends(u int) []int32 { return g.Adj[g.Off[u]:g.Off[u+1]] }

// Degree returns the number of friends of u.
func (g *Graph) Degree(u int) int { return int(g.Off[u+1] - g.Off[u]) }

// Ends returns the number of friendship ends (twice the friendships).
func (g *Graph) Ends() int { return len(g.Adj) }

// buildCSR turns a list of undirected edges (pairs[2i], pairs[2i+1]) into a
// Graph, renaming users through perm (nil keeps ids) and asking strong
// whether each tie is strong (by the original ids, so both ends agree).
// Duplicate friendships are merged (strong if any copy is) and self-ties
// dropped, so that no friend is counted twice. It works in place: the
// adjacency array first holds friend<<1|strong codes, is sorted and
// deduplicated per user, then decoded; the peak is the edge list plus the
// graph itself. pairs is used up: it is renamed in place.
func buildCSR(n int, pairs []int32, perm []int32, strong func(u, v int32) bool) *Graph {
	// First, on every core, each pair is renamed through perm and its
	// strength asked (by the original ids) and kept in the top bit of its
	// second id, which is free: ids are below 2^31.
	parallelRange(len(pairs)/2, func(lo, hi int) {
		for i := 2 * lo; i < 2*hi; i += 2 {
			u, v := pairs[i], pairs[i+1]
			s := int32(0)
			if u != v && strong(u, v) {
				s = math.MinInt32
			}
			if perm != nil {
				u, v = perm[u], perm[v]
			}
			pairs[i], pairs[i+1] = u, v|s
		}
	})
	// Then the ends are written into lists by user and the lists sorted
	// by friend (scatterDirect, or through buckets of users in a large
	// world: scatterBucketed). The pairs are cut into parts, one a core,
	// and each part counts and then writes its own ends, with its own
	// cursor for each user that starts after the ends of the parts
	// before it; so each list comes out in pair order, as on one core.
	// (Cut by ranges of users instead, every core read all the pairs and
	// jumped on whether each end was its own, a coin toss: pprof of
	// set-up at a million users, two cores, put 0.16 s of CPU a world in
	// it.)
	parts := min(parallelParts(len(pairs)/2), parallelParts(n), csrMaxParts)
	off, cur := countEnds(n, pairs, parts)
	var enc []int32
	if wb := csrBucketBits(n); n >= csrBucketMinUsers && wb > 0 {
		enc = scatterBucketed(n, pairs, off, cur, parts, wb)
		cur = nil
	} else {
		enc = scatterDirect(n, pairs, off, cur, parts)
		cur = nil
	}
	// Each user's list is deduplicated in place, in parallel over ranges
	// of users (lists are disjoint), its length kept in fill's stead; then
	// the lists are closed up and decoded.
	g := &Graph{N: n, Off: make([]int32, n+1), Tie: make([]uint8, len(enc))}
	kept := g.Off[1:]
	parallelRange(n, func(lo, hi int) {
		for u := lo; u < hi; u++ {
			list := enc[off[u]:off[u+1]]
			k := 0
			for _, e := range list {
				if k > 0 && list[k-1]>>1 == e>>1 { // a second copy of the same friendship
					list[k-1] |= e & 1 // strong if either copy is
					continue
				}
				list[k] = e
				k++
			}
			kept[u] = int32(k)
		}
	})
	w := 0
	for u := 0; u < n; u++ { // close up: lists only move down
		k := int(kept[u])
		copy(enc[w:w+k], enc[off[u]:int(off[u])+k])
		w += k
		g.Off[u+1] = int32(w)
	}
	parallelRange(n, func(lo, hi int) {
		for i := g.Off[lo]; i < g.Off[hi]; i++ {
			if enc[i]&1 == 1 {
				g.Tie[i] = tieStrong
			}
			enc[i] >>= 1
		}
	})
	g.Adj = enc[:w:w]
	g.Tie = g.Tie[:w:w]
	return g
}

// countEnds counts each user's ends among the pairs (renamed, each
// second id's top bit its strength; pairs of a user with itself left
// out), the pairs cut into parts as the scatters cut them: off[u] is
// u's first end in the lists and cur[k][u] where part k writes u's
// first end (the ends of the parts before it come first).
func countEnds(n int, pairs []int32, parts int) (off []int32, cur [][]int32) {
	np := len(pairs) / 2
	cur = make([][]int32, parts)
	for k := range cur {
		cur[k] = make([]int32, n)
	}
	runParts(parts, func(k int) {
		c := cur[k]
		for i := 2 * (k * np / parts); i < 2*((k+1)*np/parts); i += 2 {
			if a, b := pairs[i], pairs[i+1]&math.MaxInt32; a != b {
				c[a]++
				c[b]++
			}
		}
	})
	off = make([]int32, n+1)
	for u := range n {
		o := off[u]
		for _, c := range cur {
			c[u], o = o, o+c[u]
		}
		off[u+1] = o
	}
	return off, cur
}

// scatterDirect writes the ends of the pairs (renamed, each second id's
// top bit its strength) into lists by user, each in pair order, then
// writes them again through each end's other user, so each list comes
// out in order of its friends' ids (buildCSR says how); it returns the
// sorted lists, which take the pairs' memory. cur holds each part's count
// of each user's ends, as buildCSR turned them into the parts' cursors.
func scatterDirect(n int, pairs, off []int32, cur [][]int32, parts int) []int32 {
	np := len(pairs) / 2
	enc := make([]int32, off[n])
	runParts(parts, func(k int) {
		c := cur[k]
		for i := 2 * (k * np / parts); i < 2*((k+1)*np/parts); i += 2 {
			a, b := pairs[i], pairs[i+1]&math.MaxInt32
			if a == b {
				continue
			}
			s := int32(uint32(pairs[i+1]) >> 31)
			enc[c[a]] = b<<1 | s
			c[a]++
			enc[c[b]] = a<<1 | s
			c[b]++
		}
	})
	// The lists are then sorted, all at once and with no comparison, by
	// writing them again through each end's other user: the users are
	// walked in order, and each end of u's list puts u at the end of its
	// friend's new list, so every new list comes out in order of its
	// friends' ids. The graph is symmetric (u is in v's list as often as
	// v in u's, with the same strength), so the new lists are the old
	// ones sorted. The pairs are no longer needed and hold them: a list
	// of ends is as long as the pairs (less the pairs of a user with
	// itself). This replaced a sort of each list (pprof of set-up at a
	// million users on one core: sortNearlySorted, slices.Sort's fallback
	// included, 0.29 s of 1.66 s).
	//
	// Each part walks its own range of users, with its own cursor for
	// each friend v that starts after v's friends in the ranges before:
	// counted first from v's list, with no jump (v's new list is then
	// its friends in order, as on one core). Walking all users on every
	// core and jumping on whether each friend was in the core's range,
	// the coin toss again, took 0.23 s of CPU a world.
	sorted := pairs[:len(enc)]
	if parts > 1 {
		var bound [csrMaxParts + 1]int32
		for k := range parts + 1 {
			bound[k] = int32(cutAt(n, parts, k))
		}
		runParts(parts, func(k int) {
			for v := bound[k]; v < bound[k+1]; v++ {
				list := enc[off[v]:off[v+1]]
				var below [csrMaxParts + 1]int32 // below[j]: v's friends below part j's first user
				if parts == 2 {
					mid, b := bound[1], int32(0)
					for _, e := range list {
						b += int32(uint32((e>>1)-mid) >> 31)
					}
					below[1] = b
				} else {
					for _, e := range list {
						u := e >> 1
						for j := 1; j < parts; j++ {
							below[j] += int32(uint32(u-bound[j]) >> 31)
						}
					}
				}
				for j, c := range cur {
					c[v] = off[v] + below[j]
				}
			}
		})
	} else {
		copy(cur[0], off[:n])
	}
	runParts(parts, func(k int) {
		c, hi := cur[k], cutAt(n, parts, k+1)
		for u := cutAt(n, parts, k); u < hi; u++ {
			for _, e := range enc[off[u]:off[u+1]] {
				v := e >> 1
				sorted[c[v]] = int32(u)<<1 | e&1
				c[v]++
			}
		}
	})
	return sorted
}

// parallelRange runs f over [0, n) cut into one range per core. f must
// touch only what belongs to its range, so the result cannot depend on
// the cut; set-up of a large world uses it for work per user.
func parallelRange(n int, f func(lo, hi int)) {
	parts := parallelParts(n)
	runParts(parts, func(k int) { f(cutAt(n, parts, k), cutAt(n, parts, k+1)) })
}

// parallelParts is the number of parts parallelRange cuts n items into.
func parallelParts(n int) int { return min(runtime.GOMAXPROCS(0), max(1, n/4096)) }

// csrMaxParts caps the parts buildCSR cuts its lists into: each part
// keeps a cursor for every user (4 bytes a user a part), which a large
// world's users' arrays may be made beside (newWorld), and the fill and
// sort wait on memory more than on cores.
const csrMaxParts = 4

// runParts runs f(0) to f(parts−1), each on its own goroutine.
func runParts(parts int, f func(k int)) {
	if parts <= 1 {
		f(0)
		return
	}
	var wg sync.WaitGroup
	for k := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(k)
		}()
	}
	wg.Wait()
}

// cutAt is where part k of [0, n) cut into parts ranges starts (n for
// k = parts): part k is [cutAt(k), cutAt(k+1)), as parallelRange cuts.
func cutAt(n, parts, k int) int { return k * n / parts }

// pairStrong is the strength of a tie drawn from its pair of users alone,
// for generators without a structural notion of strength.
func pairStrong(seed uint64, share float64) func(u, v int32) bool {
	return func(u, v int32) bool {
		a, b := uint64(min(u, v)), uint64(max(u, v))
		return float64(splitmix64(seed^splitmix64(a<<32|b))>>11)*0x1p-53 < share
	}
}

// preferentialAttachment grows a Barabási–Albert graph: each new user
// befriends m distinct existing users chosen with probability proportional
// to their degree (Barabási & Albert 1999), which yields the hubs of real
// messaging networks. The urn of edge ends is at once the degree-weighted
// sampler and the edge list. gonum's gen.PreferentialAttachment builds a
// map-backed graph, which at a million users costs gigabytes; this keeps
// the same rule on flat arrays.
func preferentialAttachment(n, m int, r *stream) []int32 {
	if m < 1 || n < 2 {
		return nil
	}
	m = min(m, n-1)
	urn := make([]int32, 0, 2*m*n)
	for u := 0; u <= m && u < n; u++ { // a small clique seeds the process
		for v := 0; v < u; v++ {
			urn = append(urn, int32(u), int32(v))
		}
	}
	var chosen [64]int32
	ahead := n >= urnAheadMinUsers && canPrefetch
	for u := m + 1; u < n; u++ {
		if ahead {
			urnAhead(urn, min(m, len(chosen)), r.state)
		}
		c := chosen[:0]
		for len(c) < min(m, len(chosen)) {
			v := urn[r.intn(len(urn))]
			if !slices.Contains(c, v) {
				c = append(c, v)
			}
		}
		for _, v := range c {
			urn = append(urn, int32(u), v)
		}
	}
	return urn
}

// urnAhead asks for the urn's lines that the user urnAheadUsers after
// the one about to draw will draw (preferentialAttachment), while that
// one draws its own. A draw is one random end of an urn of 2·m·n ends,
// 80 MB at a million users and degree 20, so each waited on memory:
// pprof put about 0.25 s of the core world's 1.66 s of set-up on one
// core on the loop's first look at a drawn end. The draws are known
// ahead (urnGuess), and so is the urn's length, which grows by 2·m a
// user. The guess of where that user's draws land assumes no draw in
// between is a friend already chosen (a redraw shifts the draws by one):
// a wrong guess only asks for a line that is not read. Nothing it does
// changes the graph.
func urnAhead(urn []int32, m int, state uint64) {
	full := urn[:cap(urn)]
	end := len(urn) + 2*m*urnAheadUsers // the urn's length when that user draws
	var a [6]uintptr
	k := 0
	for j := range m {
		i := min(urnGuess(state, urnAheadUsers*m+j, end), len(full)-1)
		a[k] = uintptr(unsafe.Pointer(&full[i]))
		if k++; k == len(a) || j == m-1 {
			for ; k < len(a); k++ {
				a[k] = a[0]
			}
			prefetch6(a[0], a[1], a[2], a[3], a[4], a[5])
			k = 0
		}
	}
}

// urnGuess is the index stream.intn(n) draws after k other draws of a
// stream at state: SplitMix64's state is a counter (Uint64 adds γ, then
// mixes), so the draw k on is the mix of state + (k+1)·γ, which is
// splitmix64 of state + k·γ.
func urnGuess(state uint64, k, n int) int {
	x := splitmix64(state + uint64(k)*0x9e3779b97f4a7c15)
	return int((x >> 32) * uint64(n) >> 32)
}

// urnAheadUsers is how many users ahead urnAhead asks for the urn's lines.
const urnAheadUsers = 4

// urnAheadMinUsers is the smallest graph whose urn preferentialAttachment
// reads ahead (a smaller urn stays in the caches).
var urnAheadMinUsers = 1 << 17 // a var so that TestUrnAheadChangesNothing can read ahead in small graphs

// smallWorld builds a Watts–Strogatz graph (Watts & Strogatz 1998): a ring
// where each user knows k neighbours on each side, each tie rewired with
// probability beta to a random user. Ties between ring neighbours are
// strong; rewired, long ties are weak.
func smallWorld(n, k int, beta float64, r *stream) (pairs []int32, strong func(u, v int32) bool) {
	k = min(k, (n-1)/2)
	pairs = make([]int32, 0, 2*n*k)
	for u := 0; u < n; u++ {
		for j := 1; j <= k; j++ {
			v := (u + j) % n
			if r.float() < beta {
				v = r.intn(n)
			}
			pairs = append(pairs, int32(u), int32(v))
		}
	}
	return pairs, func(u, v int32) bool {
		d := int(max(u, v) - min(u, v))
		return min(d, n-d) <= k
	}
}

// communities builds a stochastic block model: users fall into
// communities of about size users (sizes uniform between half and one and a
// half times size); each user draws deg/2 ties, inside its community with
// probability inside and anywhere otherwise. Ties inside a community are
// strong, ties across weak.
func communities(n int, deg float64, size int, inside float64, r *stream) (pairs []int32, strong func(u, v int32) bool) {
	comm := make([]int32, n) // first member of u's community names it
	end := make([]int32, n)  // one past its last member
	for u := 0; u < n; {
		s := min(max(2, size/2+r.intn(size+1)), n-u)
		for v := u; v < u+s; v++ {
			comm[v], end[v] = int32(u), int32(u+s)
		}
		u += s
	}
	half := deg / 2
	pairs = make([]int32, 0, int(float64(n)*deg)+2)
	for u := 0; u < n; u++ {
		stubs := int(half)
		if r.float() < half-float64(stubs) {
			stubs++
		}
		for j := 0; j < stubs; j++ {
			v := r.intn(n)
			if r.float() < inside && end[u]-comm[u] > 1 {
				v = int(comm[u]) + r.intn(int(end[u]-comm[u]))
			}
			pairs = append(pairs, int32(u), int32(v))
		}
	}
	return pairs, func(u, v int32) bool { return comm[u] == comm[v] }
}

// randomPermutation returns perm[old] = new, a uniform relabelling of
// user ids so that partitions, which are contiguous id ranges, look alike
// (preferential attachment puts its hubs at the lowest ids).
func randomPermutation(n int, r *stream) []int32 {
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	for i := n - 1; i > 0; i-- {
		j := r.intn(i + 1)
		perm[i], perm[j] = perm[j], perm[i]
	}
	return perm
}

// carryTies sets, for every tie, the bit of each platform that carries it:
// a strong tie with probability reachStrong[p], a weak one with
// reachWeak[p]. The draw hashes the unordered pair, so both ends agree
// without any shared state.
func carryTies(g *Graph, seed uint64, reachStrong, reachWeak []float64) {
	parallelRange(g.N, func(lo, hi int) { carryTiesOf(g, lo, hi, seed, reachStrong, reachWeak) })
}

// carryTiesOf draws the carried platforms of the ties of users lo to hi−1;
// each tie's draw is a hash of its pair, so ranges are independent.
func carryTiesOf(g *Graph, lo, hi int, seed uint64, reachStrong, reachWeak []float64) {
	// The draw x = (h>>11)·2^−53 is below reach exactly when h>>11 is
	// below ⌈reach·2^53⌉; the sign of their difference gives the bit with
	// no branch (the outcome is a coin flip the CPU cannot predict).
	var limit [2][MaxPlatforms]uint64 // [weak, strong][platform]
	for p := range reachStrong {
		limit[0][p] = uint64(math.Ceil(reachWeak[p] * 0x1p53))
		limit[1][p] = uint64(math.Ceil(reachStrong[p] * 0x1p53))
	}
	for u := lo; u < hi; u++ {
		for i := g.Off[u]; i < g.Off[u+1]; i++ {
			v := int(g.Adj[i])
			a, b := uint64(min(u, v)), uint64(max(u, v))
			t := g.Tie[i] & tieStrong
			lim := &limit[t>>7]
			pair := seed ^ splitmix64(a<<32|b)
			for p := range reachStrong {
				h := splitmix64(pair^uint64(p+1)*0x9e3779b97f4a7c15) >> 11
				t |= uint8((h-lim[p])>>63) << p
			}
			g.Tie[i] = t
		}
	}
}

// generateGraph builds the graph a scenario asks for; uniform mixing has no
// ties at all (influence then comes from the whole population).
func generateGraph(kind string, n int, meanDegree, strongShare, rewire float64, communitySize int, insideShare float64, seed uint64, r *stream) (*Graph, error) {
	half := max(1, int(meanDegree/2+0.5))
	switch kind {
	case "preferential":
		pairs := preferentialAttachment(n, half, r)
		return buildCSR(n, pairs, randomPermutation(n, r), pairStrong(seed, strongShare)), nil
	case "small_world":
		pairs, strong := smallWorld(n, half, rewire, r)
		return buildCSR(n, pairs, randomPermutation(n, r), strong), nil
	case "communities":
		// Communities keep their ids: neighbours in one partition are cache friendly.
		pairs, strong := communities(n, meanDegree, max(2, communitySize), insideShare, r)
		return buildCSR(n, pairs, nil, strong), nil
	case "uniform":
		return buildCSR(n, nil, nil, nil), nil
	}
	return nil, fmt.Errorf("sim: unknown graph kind %q", kind)
}
