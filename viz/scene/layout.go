package scene

import (
	"cmp"
	"math"
	"slices"

	"github.com/paywars/hongbao/sim"
)

// Layout is the picture of the social graph: a sample of users, each with a
// fixed position, grouped by community. It is computed once per world and
// depends only on the graph and the sample size, so the same scenario
// always gives the same picture.
//
// Positions are in layout units: the whole picture fits in the unit disc
// around the origin, and neighbouring dots are about Spacing apart.
type Layout struct {
	// Users are the sampled users' ids, ascending; a sampled user is
	// known by its index in Users (its slot).
	Users []int32
	// X and Y are the position of each slot.
	X, Y []float32
	// Community is the community of each slot (an index of Communities).
	Community []int32
	// Communities are the groups of the picture, largest first.
	Communities []Community
	// Spacing is the typical distance between neighbouring dots.
	Spacing float32

	// anchor maps a user id to its slot (≥ 0), to −2−slot of a sampled
	// friend that stands in for it (a proxy), or to −1.
	anchor []int32
	grid   grid
}

// Community is one group of the layout: a disc of dots.
type Community struct {
	X, Y, R float32 // centre and radius, layout units
	Size    int     // sampled members
}

// Layout parameters, in units of the spacing between dots before scaling.
const (
	// discFill is the radius of a community's disc per √member: a
	// sunflower of n points in radius discFill·√n keeps neighbours about
	// one unit apart (area π·0.6² ≈ 1.13 per point).
	discFill = 0.6
	// discGap is the empty margin kept around each community.
	discGap = 1.2
	// looseMin is the smallest community drawn as its own disc; smaller
	// ones are pooled into discs of up to looseGroup members.
	looseMin, looseGroup = 4, 64
	// lpaRounds bounds label propagation, which settles in a few rounds
	// on sparse graphs (Raghavan, Albert and Kumara 2007 report 95% of
	// nodes settled within 5 iterations).
	lpaRounds = 20
)

// NewLayout samples up to maxUsers users of g (all of them when the graph is
// that small) and lays them out by community. The sample is a union of
// breadth-first neighbourhoods from pseudo-random starts, so friendships
// survive sampling; communities are found by label propagation on the
// sampled subgraph, placed largest first on a spiral of free space, and
// their members are arranged as a sunflower around the centre, best
// connected innermost. Everything is deterministic given seed.
func NewLayout(g *sim.Graph, maxUsers int, seed uint64) *Layout {
	n := g.N
	l := &Layout{anchor: make([]int32, n)}
	l.Users = sampleUsers(g, maxUsers, seed)
	for i := range l.anchor {
		l.anchor[i] = -1
	}
	for i, u := range l.Users {
		l.anchor[u] = int32(i)
	}
	if len(l.Users) < n {
		for u := 0; u < n; u++ {
			if l.anchor[u] != -1 {
				continue
			}
			for _, f := range g.Friends(u) {
				if s := l.anchor[f]; s >= 0 {
					l.anchor[u] = -2 - s
					break
				}
			}
		}
	}

	off, adj := l.subgraph(g)
	labels := propagateLabels(off, adj, embeddedness(off, adj), seed)
	members := groupCommunities(labels, off)
	l.place(members, off)
	l.grid = newGrid(l.X, l.Y, l.Spacing)
	return l
}

// Slot returns the slot of user u and whether u is in the sample.
func (l *Layout) Slot(u int) (int, bool) {
	if u < 0 || u >= len(l.anchor) || l.anchor[u] < 0 {
		return -1, false
	}
	return int(l.anchor[u]), true
}

// Anchor returns where user u is drawn: its own slot when sampled, else
// the slot of a sampled friend standing in for it, else −1.
func (l *Layout) Anchor(u int) int {
	if u < 0 || u >= len(l.anchor) {
		return -1
	}
	a := l.anchor[u]
	switch {
	case a >= 0:
		return int(a)
	case a == -1:
		return -1
	default:
		return int(-2 - a)
	}
}

// Nearest returns the slot closest to (x, y) within radius r (layout
// units), or −1.
func (l *Layout) Nearest(x, y, r float32) int {
	return l.grid.nearest(l.X, l.Y, x, y, r)
}

// splitmix64 is Vigna's SplitMix64 output function, a fixed bijective mix
// used here for reproducible pseudo-random orders.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// sampleUsers takes breadth-first neighbourhoods of up to chunk users from
// pseudo-random starts until maxUsers users are taken, and returns them sorted.
func sampleUsers(g *sim.Graph, maxUsers int, seed uint64) []int32 {
	n := g.N
	if maxUsers <= 0 || n <= maxUsers {
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(i)
		}
		return out
	}
	// Neighbourhoods of 1/40 of the sample (50 to 2000 users) are big
	// enough to hold whole communities and small enough that the sample
	// spans many of them.
	chunk := min(2000, max(50, maxUsers/40))
	taken := make([]bool, n)
	queued := make([]bool, n)
	out := make([]int32, 0, maxUsers)
	var queue []int32
	x := seed
	for tries := 0; len(out) < maxUsers && tries < 64*maxUsers; tries++ {
		x = splitmix64(x)
		start := int32(x % uint64(n))
		if taken[start] {
			continue
		}
		queue = append(queue[:0], start)
		queued[start] = true
		got := 0
		for h := 0; h < len(queue) && got < chunk && len(out) < maxUsers; h++ {
			u := queue[h]
			taken[u] = true
			out = append(out, u)
			got++
			for _, f := range g.Friends(int(u)) {
				if !taken[f] && !queued[f] {
					queued[f] = true
					queue = append(queue, f)
				}
			}
		}
		for _, u := range queue {
			queued[u] = false
		}
	}
	slices.Sort(out)
	return out
}

// subgraph returns the friendships among sampled users in CSR form over
// slots, each node's friends sorted.
func (l *Layout) subgraph(g *sim.Graph) (off, adj []int32) {
	off = make([]int32, len(l.Users)+1)
	for i, u := range l.Users {
		start := len(adj)
		for _, f := range g.Friends(int(u)) {
			if l.anchor[f] >= 0 {
				adj = append(adj, l.anchor[f])
			}
		}
		slices.Sort(adj[start:])
		off[i+1] = int32(len(adj))
	}
	return off, adj
}

// embeddedness weighs each friendship by 1 + the friends its two ends
// share: ties inside a community close many triangles, bridges between
// communities few, so label propagation on these weights does not leak
// across bridges (edge embeddedness, as in Radicchi et al. 2004).
func embeddedness(off, adj []int32) []int32 {
	w := make([]int32, len(adj))
	for v := range len(off) - 1 {
		a := adj[off[v]:off[v+1]]
		for k, f := range a {
			b := adj[off[f]:off[f+1]]
			common := int32(0)
			for i, j := 0, 0; i < len(a) && j < len(b); {
				switch {
				case a[i] < b[j]:
					i++
				case a[i] > b[j]:
					j++
				default:
					common++
					i++
					j++
				}
			}
			w[int(off[v])+k] = 1 + common
		}
	}
	return w
}

// propagateLabels is asynchronous label propagation (Raghavan, Albert and
// Kumara 2007): each node in turn takes the label of most weight among
// its neighbours, keeping its own on a tie and otherwise breaking ties by a
// hash, in a fixed pseudo-random order, until no label changes. A label
// that already has n/40 members (at least 300) takes no more, so that
// graphs without communities still split into discs.
func propagateLabels(off, adj, weight []int32, seed uint64) []int32 {
	n := len(off) - 1
	labels := make([]int32, n)
	order := make([]int32, n)
	for i := range labels {
		labels[i], order[i] = int32(i), int32(i)
	}
	x := splitmix64(seed ^ 0x6c70615f6f726465) // "lpa_orde"
	for i := n - 1; i > 0; i-- {
		x = splitmix64(x)
		j := int(x % uint64(i+1))
		order[i], order[j] = order[j], order[i]
	}
	count, size := make([]int32, n), make([]int32, n)
	for i := range size {
		size[i] = 1
	}
	// Graphs without communities (preferential attachment) flood one
	// label over everything; a cap keeps the picture in readable discs.
	maxSize := int32(max(300, n/40))
	var touched []int32
	for round := 0; round < lpaRounds; round++ {
		changed := 0
		for _, v := range order {
			nb := adj[off[v]:off[v+1]]
			if len(nb) == 0 {
				continue
			}
			touched = touched[:0]
			for k, f := range nb {
				lb := labels[f]
				if count[lb] == 0 {
					touched = append(touched, lb)
				}
				count[lb] += weight[int(off[v])+k]
			}
			own := labels[v]
			best, bestC := own, count[own]
			for _, lb := range touched {
				if lb != own && size[lb] >= maxSize {
					continue
				}
				switch c := count[lb]; {
				case c > bestC:
					best, bestC = lb, c
				case c == bestC && best != own && tieHash(lb, round) < tieHash(best, round):
					best = lb
				}
			}
			for _, lb := range touched {
				count[lb] = 0
			}
			if best != own {
				labels[v] = best
				size[own]--
				size[best]++
				changed++
			}
		}
		if changed == 0 {
			break
		}
	}
	return labels
}

// tieHash orders labels pseudo-randomly, differently each round.
func tieHash(label int32, round int) uint64 {
	return splitmix64(uint64(uint32(label)) | uint64(round)<<32)
}

// groupCommunities turns labels into lists of slots, largest first; small
// communities are pooled into groups of up to looseGroup in slot order.
// Members of each group are sorted by degree in the subgraph, highest
// first, so that hubs sit in the middle of their disc.
func groupCommunities(labels, off []int32) [][]int32 {
	byLabel := map[int32][]int32{}
	for i, lb := range labels {
		byLabel[lb] = append(byLabel[lb], int32(i))
	}
	var groups [][]int32
	var loose []int32
	for _, m := range byLabel {
		if len(m) >= looseMin {
			groups = append(groups, m)
		} else {
			loose = append(loose, m...)
		}
	}
	slices.Sort(loose)
	for len(loose) > 0 {
		k := min(len(loose), looseGroup)
		groups = append(groups, loose[:k])
		loose = loose[k:]
	}
	deg := func(i int32) int32 { return off[i+1] - off[i] }
	for _, m := range groups {
		slices.SortFunc(m, func(a, b int32) int {
			return cmp.Or(cmp.Compare(deg(b), deg(a)), cmp.Compare(a, b))
		})
	}
	slices.SortFunc(groups, func(a, b []int32) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(slices.Min(a), slices.Min(b)))
	})
	return groups
}

// goldenAngle is π(3−√5), the divergence angle of a sunflower (Vogel 1979).
var goldenAngle = math.Pi * (3 - math.Sqrt(5))

// place puts each group on a free spot of a raster, nearest the centre
// first, and its members on a sunflower inside it; then scales everything
// into the unit disc.
func (l *Layout) place(groups [][]int32, off []int32) {
	ns := len(l.Users)
	l.X, l.Y, l.Community = make([]float32, ns), make([]float32, ns), make([]int32, ns)
	radius := func(size int) float64 { return discFill*math.Sqrt(float64(size)) + 0.5 }
	area := 0.0
	for _, m := range groups {
		r := radius(len(m)) + discGap
		area += 4 * r * r
	}
	side := int(math.Sqrt(area)*1.6) + 8
	var centres [][2]float64
	for {
		var ok bool
		if centres, ok = packDiscs(groups, radius, side); ok {
			break
		}
		side = side * 3 / 2
	}
	extent := 1.0
	l.Communities = make([]Community, len(groups))
	for c, m := range groups {
		cx, cy, r := centres[c][0], centres[c][1], radius(len(m))
		extent = math.Max(extent, math.Hypot(cx, cy)+r)
		l.Communities[c] = Community{X: float32(cx), Y: float32(cy), R: float32(r), Size: len(m)}
		inner := discFill * math.Sqrt(float64(len(m)))
		for j, s := range m {
			rho := inner * math.Sqrt((float64(j)+0.5)/float64(len(m)))
			th := float64(j) * goldenAngle
			l.X[s], l.Y[s] = float32(cx+rho*math.Cos(th)), float32(cy+rho*math.Sin(th))
			l.Community[s] = int32(c)
		}
	}
	k := float32(1 / extent)
	for i := range l.X {
		l.X[i] *= k
		l.Y[i] *= k
	}
	for c := range l.Communities {
		cm := &l.Communities[c]
		cm.X, cm.Y, cm.R = cm.X*k, cm.Y*k, cm.R*k
	}
	l.Spacing = k
}

// packDiscs places discs of the given groups' radii, largest first, each on
// the free raster cell nearest the centre where it fits with discGap to
// spare; it reports false if the raster of side cells is too small.
// Candidates that failed for a radius fail for good (occupancy only
// grows), so the search for each radius resumes where the last one of that
// radius stopped.
func packDiscs(groups [][]int32, radius func(int) float64, side int) ([][2]float64, bool) {
	occ := make([]bool, side*side)
	half := side / 2
	cand := make([]int32, side*side)
	for i := range cand {
		cand[i] = int32(i)
	}
	dist := func(i int32) int {
		x, y := int(i)%side-half, int(i)/side-half
		return x*x + y*y
	}
	slices.SortFunc(cand, func(a, b int32) int { return cmp.Or(cmp.Compare(dist(a), dist(b)), cmp.Compare(a, b)) })
	resume := map[int]int{}
	fits := func(cx, cy, rc int) bool {
		if cx-rc < 0 || cy-rc < 0 || cx+rc >= side || cy+rc >= side {
			return false
		}
		if occ[cy*side+cx] {
			return false
		}
		for dy := -rc; dy <= rc; dy++ {
			for dx := -rc; dx <= rc; dx++ {
				if dx*dx+dy*dy <= rc*rc && occ[(cy+dy)*side+cx+dx] {
					return false
				}
			}
		}
		return true
	}
	out := make([][2]float64, len(groups))
	for g, m := range groups {
		r := radius(len(m))
		rc := int(math.Ceil(r + discGap))
		k := resume[rc]
		for ; k < len(cand); k++ {
			i := int(cand[k])
			if fits(i%side, i/side, rc) {
				break
			}
		}
		if k == len(cand) {
			return nil, false
		}
		resume[rc] = k
		cx, cy := int(cand[k])%side, int(cand[k])/side
		ro := int(math.Ceil(r))
		for dy := -ro; dy <= ro; dy++ {
			for dx := -ro; dx <= ro; dx++ {
				if dx*dx+dy*dy <= ro*ro {
					occ[(cy+dy)*side+cx+dx] = true
				}
			}
		}
		out[g] = [2]float64{float64(cx - half), float64(cy - half)}
	}
	return out, true
}

// grid is a uniform bucket index of slots for nearest-dot queries.
type grid struct {
	cells int     // per side, over [−1, 1]
	cell  float32 // side of a cell
	off   []int32
	slots []int32
}

func newGrid(xs, ys []float32, spacing float32) grid {
	cells := int(math.Min(1024, math.Max(1, float64(2/(2*max(spacing, 1e-6))))))
	g := grid{cells: cells, cell: 2 / float32(cells), off: make([]int32, cells*cells+1)}
	at := func(i int) int { return g.index(xs[i], ys[i]) }
	for i := range xs {
		g.off[at(i)+1]++
	}
	for c := 1; c < len(g.off); c++ {
		g.off[c] += g.off[c-1]
	}
	g.slots = make([]int32, len(xs))
	fill := slices.Clone(g.off[:cells*cells])
	for i := range xs {
		c := at(i)
		g.slots[fill[c]] = int32(i)
		fill[c]++
	}
	return g
}

func (g *grid) coord(v float32) int {
	return min(g.cells-1, max(0, int((v+1)/g.cell)))
}

func (g *grid) index(x, y float32) int { return g.coord(y)*g.cells + g.coord(x) }

func (g *grid) nearest(xs, ys []float32, x, y, r float32) int {
	best, bestD := -1, r*r
	x0, x1, y0, y1 := g.coord(x-r), g.coord(x+r), g.coord(y-r), g.coord(y+r)
	for cy := y0; cy <= y1; cy++ {
		for cx := x0; cx <= x1; cx++ {
			c := cy*g.cells + cx
			for _, s := range g.slots[g.off[c]:g.off[c+1]] {
				dx, dy := xs[s]-x, ys[s]-y
				if d := dx*dx + dy*dy; d <= bestD {
					best, bestD = int(s), d
				}
			}
		}
	}
	return best
}
