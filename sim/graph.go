package sim

import (
	"fmt"
	"slices"
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
}

// tieStrong marks a strong tie in Graph.Tie.
const tieStrong = 1 << 7

// Friends returns the friends of u (a view, not a copy).
func (g *Graph) Friends(u int) []int32 { return g.Adj[g.Off[u]:g.Off[u+1]] }

// Degree returns the number of friends of u.
func (g *Graph) Degree(u int) int { return int(g.Off[u+1] - g.Off[u]) }

// Ends returns the number of friendship ends (twice the friendships).
func (g *Graph) Ends() int { return len(g.Adj) }

// edgeSink collects undirected edges as (u, v, strong) before CSR build.
type edgeSink struct {
	u, v   []int32
	strong []bool
}

func (e *edgeSink) add(u, v int, strong bool) {
	if u == v {
		return
	}
	e.u = append(e.u, int32(u))
	e.v = append(e.v, int32(v))
	e.strong = append(e.strong, strong)
}

// buildCSR turns an edge list into a Graph, merging duplicate friendships
// (a tie is strong if any copy was) so that no friend is counted twice.
func buildCSR(n int, e *edgeSink) *Graph {
	deg := make([]int32, n+1)
	for i := range e.u {
		deg[e.u[i]+1]++
		deg[e.v[i]+1]++
	}
	for i := 1; i <= n; i++ {
		deg[i] += deg[i-1]
	}
	enc := make([]uint32, deg[n]) // friend<<1 | strong, so sorting groups copies
	fill := slices.Clone(deg[:n])
	for i := range e.u {
		u, v := e.u[i], e.v[i]
		s := uint32(0)
		if e.strong[i] {
			s = 1
		}
		enc[fill[u]] = uint32(v)<<1 | s
		fill[u]++
		enc[fill[v]] = uint32(u)<<1 | s
		fill[v]++
	}
	g := &Graph{N: n, Off: make([]int32, n+1)}
	g.Adj = make([]int32, 0, len(enc))
	g.Tie = make([]uint8, 0, len(enc))
	for u := 0; u < n; u++ {
		list := enc[deg[u]:deg[u+1]]
		slices.Sort(list)
		for j := 0; j < len(list); j++ {
			f := list[j] >> 1
			strong := list[j]&1 == 1
			if k := len(g.Adj); k > int(g.Off[u]) && uint32(g.Adj[k-1]) == f {
				if strong {
					g.Tie[k-1] = tieStrong
				}
				continue
			}
			g.Adj = append(g.Adj, int32(f))
			t := uint8(0)
			if strong {
				t = tieStrong
			}
			g.Tie = append(g.Tie, t)
		}
		g.Off[u+1] = int32(len(g.Adj))
	}
	return g
}

// preferentialAttachment grows a Barabási–Albert graph: each new user
// befriends m distinct existing users chosen with probability proportional
// to their degree (Barabási & Albert 1999), which yields the hubs of real
// messaging networks. Ties are strong with probability strongShare.
// gonum's gen.PreferentialAttachment builds a map-backed graph, which at a
// million users costs gigabytes; this keeps the same rule on flat arrays.
func preferentialAttachment(n, m int, strongShare float64, r *stream) *Graph {
	var e edgeSink
	if m < 1 || n < 2 {
		return buildCSR(n, &e)
	}
	m = min(m, n-1)
	// urn holds every edge end; a uniform pick from it is a degree-weighted pick.
	urn := make([]int32, 0, 2*m*n)
	for u := 0; u <= m && u < n; u++ { // a small clique seeds the process
		for v := 0; v < u; v++ {
			e.add(u, v, r.float() < strongShare)
			urn = append(urn, int32(u), int32(v))
		}
	}
	chosen := make([]int32, 0, m)
	for u := m + 1; u < n; u++ {
		chosen = chosen[:0]
		for len(chosen) < m {
			v := urn[r.intn(len(urn))]
			if !slices.Contains(chosen, v) {
				chosen = append(chosen, v)
			}
		}
		for _, v := range chosen {
			e.add(u, int(v), r.float() < strongShare)
			urn = append(urn, int32(u), v)
		}
	}
	return buildCSR(n, &e)
}

// smallWorld builds a Watts–Strogatz graph (Watts & Strogatz 1998): a ring
// where each user knows k neighbours on each side (strong ties), each tie
// rewired with probability beta to a random user (a weak, long tie).
func smallWorld(n, k int, beta float64, r *stream) *Graph {
	var e edgeSink
	k = min(k, (n-1)/2)
	for u := 0; u < n; u++ {
		for j := 1; j <= k; j++ {
			v := (u + j) % n
			if r.float() < beta {
				e.add(u, r.intn(n), false)
			} else {
				e.add(u, v, true)
			}
		}
	}
	return buildCSR(n, &e)
}

// communities builds a stochastic block model: users fall into
// communities of about size users (sizes uniform between half and one and a
// half times size); each user draws deg/2 ties, inside its community with
// probability inside (strong) and anywhere otherwise (weak).
func communities(n int, deg float64, size int, inside float64, r *stream) *Graph {
	var e edgeSink
	start := make([]int32, n) // first member of u's community
	end := make([]int32, n)   // one past its last member
	for u := 0; u < n; {
		s := max(2, size/2+r.intn(size+1))
		s = min(s, n-u)
		for v := u; v < u+s; v++ {
			start[v], end[v] = int32(u), int32(u+s)
		}
		u += s
	}
	half := deg / 2
	for u := 0; u < n; u++ {
		stubs := int(half)
		if r.float() < half-float64(stubs) {
			stubs++
		}
		for j := 0; j < stubs; j++ {
			if r.float() < inside && end[u]-start[u] > 1 {
				e.add(u, int(start[u])+r.intn(int(end[u]-start[u])), true)
			} else {
				e.add(u, r.intn(n), false)
			}
		}
	}
	return buildCSR(n, &e)
}

// relabel applies a random permutation to user ids so that partitions,
// which are contiguous id ranges, look alike (the generators put hubs and
// communities at particular ids).
func relabel(g *Graph, r *stream) *Graph {
	n := g.N
	perm := make([]int32, n) // perm[old] = new
	for i, v := range r.rnd.Perm(n) {
		perm[i] = int32(v)
	}
	inv := make([]int32, n)
	for old, nw := range perm {
		inv[nw] = int32(old)
	}
	out := &Graph{N: n, Off: make([]int32, n+1), Adj: make([]int32, len(g.Adj)), Tie: make([]uint8, len(g.Tie))}
	for nw := 0; nw < n; nw++ {
		old := inv[nw]
		out.Off[nw+1] = out.Off[nw] + (g.Off[old+1] - g.Off[old])
	}
	for nw := 0; nw < n; nw++ {
		old := inv[nw]
		dst := out.Off[nw]
		for i := g.Off[old]; i < g.Off[old+1]; i++ {
			out.Adj[dst] = perm[g.Adj[i]]
			out.Tie[dst] = g.Tie[i]
			dst++
		}
	}
	return out
}

// carryTies sets, for every tie, the bit of each platform that carries it:
// a strong tie with probability reachStrong[p], a weak one with
// reachWeak[p]. The draw hashes the unordered pair, so both ends agree
// without any shared state.
func carryTies(g *Graph, seed uint64, reachStrong, reachWeak []float64) {
	for u := 0; u < g.N; u++ {
		for i := g.Off[u]; i < g.Off[u+1]; i++ {
			v := int(g.Adj[i])
			a, b := uint64(min(u, v)), uint64(max(u, v))
			t := g.Tie[i] & tieStrong
			for p := range reachStrong {
				h := splitmix64(seed ^ splitmix64(a<<32|b) ^ uint64(p+1)*0x9e3779b97f4a7c15)
				x := float64(h>>11) * 0x1p-53
				reach := reachWeak[p]
				if t != 0 {
					reach = reachStrong[p]
				}
				if x < reach {
					t |= 1 << p
				}
			}
			g.Tie[i] = t
		}
	}
}

// generateGraph builds the graph a scenario asks for; uniform mixing has no
// ties at all (influence then comes from the whole population).
func generateGraph(kind string, n int, meanDegree, strongShare, rewire float64, communitySize int, insideShare float64, r *stream) (*Graph, error) {
	switch kind {
	case "preferential":
		return relabel(preferentialAttachment(n, max(1, int(meanDegree/2+0.5)), strongShare, r), r), nil
	case "small_world":
		return relabel(smallWorld(n, max(1, int(meanDegree/2+0.5)), rewire, r), r), nil
	case "communities":
		return communities(n, meanDegree, max(2, communitySize), insideShare, r), nil
	case "uniform":
		var e edgeSink
		return buildCSR(n, &e), nil
	}
	return nil, fmt.Errorf("sim: unknown graph kind %q", kind)
}
