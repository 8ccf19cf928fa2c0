package game

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// ErrNotTwoPlayer is returned by the two-player solvers for games with a
// different number of players.
var ErrNotTwoPlayer = errors.New("game: method needs a two-player game")

// polytopeTableau is the simplex tableau of a best-response polytope in the
// form of von Stengel (2002), section 3:
//
//	P = {x ∈ ℝ^M : x ≥ 0, Bᵀx ≤ 1},  Q = {y ∈ ℝ^N : A y ≤ 1, y ≥ 0},
//
// written with slacks as C z + w = 1, z, w ≥ 0, for a positive matrix C. The
// columns are the d structural variables z, then the k slacks w, then the
// right-hand side. Because the slacks start as the identity, their columns
// hold the inverse of the current basis matrix, which the lexicographic
// ratio test uses.
type polytopeTableau struct {
	rows  [][]*big.Rat // k rows of d+k+1 entries
	basis []int        // the basic variable of each row
	d, k  int
}

// newPolytopeTableau returns the tableau of C z + w = 1 at the origin
// (all slacks basic); c is k×d.
func newPolytopeTableau(c [][]*big.Rat, d int) *polytopeTableau {
	k := len(c)
	t := &polytopeTableau{rows: make([][]*big.Rat, k), basis: make([]int, k), d: d, k: k}
	for i := range t.rows {
		row := make([]*big.Rat, d+k+1)
		for j := range row {
			row[j] = new(big.Rat)
		}
		for j := 0; j < d; j++ {
			row[j].Set(c[i][j])
		}
		row[d+i].SetInt64(1)
		row[d+k].SetInt64(1)
		t.rows[i] = row
		t.basis[i] = d + i
	}
	return t
}

func (t *polytopeTableau) clone() *polytopeTableau {
	c := &polytopeTableau{rows: make([][]*big.Rat, t.k), basis: append([]int(nil), t.basis...), d: t.d, k: t.k}
	for i, r := range t.rows {
		c.rows[i] = make([]*big.Rat, len(r))
		for j, x := range r {
			c.rows[i][j] = new(big.Rat).Set(x)
		}
	}
	return c
}

// lexMinRatio returns the row that leaves the basis when column e enters,
// chosen by the lexicographic minimum ratio test: among rows with a
// positive entry in column e, the least vector (rhs, B⁻¹ row) / entry. The
// rows of B⁻¹ are linearly independent, so the choice is unique; it keeps
// the basis lexicographically feasible, which is the same as pivoting on a
// perturbed, nondegenerate polytope with right-hand side 1 + (ε, ε², …)
// (von Stengel 2002, section 3.7). It returns -1 if column e has no positive
// entry.
func (t *polytopeTableau) lexMinRatio(e int) int {
	best := -1
	a, b := new(big.Rat), new(big.Rat)
	for i, row := range t.rows {
		if row[e].Sign() <= 0 {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		// Compare row i with row best at rhs, then slack columns in order.
		cmp := 0
		for c := -1; c < t.k && cmp == 0; c++ {
			j := t.d + t.k // the right-hand side first
			if c >= 0 {
				j = t.d + c
			}
			a.Quo(row[j], row[e])
			b.Quo(t.rows[best][j], t.rows[best][e])
			cmp = a.Cmp(b)
		}
		if cmp < 0 {
			best = i
		}
	}
	return best
}

// pivot brings column e into the basis in row r and returns the variable
// that left.
func (t *polytopeTableau) pivot(r, e int) int {
	pivotRows(t.rows, r, e)
	left := t.basis[r]
	t.basis[r] = e
	return left
}

// values returns the value of every variable (structural then slack) at the
// current basic solution.
func (t *polytopeTableau) values() []*big.Rat {
	v := make([]*big.Rat, t.d+t.k)
	for j := range v {
		v[j] = new(big.Rat)
	}
	for i, b := range t.basis {
		v[b].Set(t.rows[i][t.d+t.k])
	}
	return v
}

func (t *polytopeTableau) basisKey() string {
	b := append([]int(nil), t.basis...)
	sort.Ints(b)
	return fmt.Sprint(b)
}

// positiveMatrices returns the payoff matrices A (m×n, player 1) and B
// (m×n, player 2) of a two-player game, each shifted by a constant so that
// its smallest entry is 1; adding a constant to a player's payoffs does not
// change the equilibria.
func positiveMatrices(g *Game) (a, b [][]*big.Rat) {
	m, n := g.NumStrategies(0), g.NumStrategies(1)
	mat := func(p int) [][]*big.Rat {
		minv := g.pay[0][p]
		for _, v := range g.pay {
			if v[p].Cmp(minv) < 0 {
				minv = v[p]
			}
		}
		shift := new(big.Rat).Sub(big.NewRat(1, 1), minv)
		x := make([][]*big.Rat, m)
		for r := range x {
			x[r] = make([]*big.Rat, n)
			for c := range x[r] {
				x[r][c] = new(big.Rat).Add(g.pay[r+m*c][p], shift)
			}
		}
		return x
	}
	return mat(0), mat(1)
}

func transpose(a [][]*big.Rat) [][]*big.Rat {
	t := make([][]*big.Rat, len(a[0]))
	for j := range t {
		t[j] = make([]*big.Rat, len(a))
		for i := range a {
			t[j][i] = a[i][j]
		}
	}
	return t
}

// vertex is a vertex of a best-response polytope with its labels.
type vertex struct {
	z      []*big.Rat // structural coordinates
	labels []bool     // labels 0..m+n-1
}

// enumerateVertices returns every vertex of {z ≥ 0, C z ≤ 1} (C positive,
// k×d) by breadth-first search over the lexicographically feasible bases,
// which are the vertices of the perturbed simple polytope; its graph is
// connected and every vertex of the original polytope is the image of one
// of them, so no vertex is missed, also in degenerate games. labelOf maps a
// variable (structural then slack) to its label; a vertex has a label when
// that variable is zero. ok is false when the search passed
// maxBasesPerVertex·MaxVertices bases (which the upper bound theorem says
// cannot happen: a guard, not a limit).
func enumerateVertices(c [][]*big.Rat, d int, labelOf func(v int) int, nLabels int) (vs []vertex, ok bool) {
	start := newPolytopeTableau(c, d)
	seenBasis := map[string]bool{start.basisKey(): true}
	seenVertex := map[string]bool{}
	var out []vertex
	queue := []*polytopeTableau{start}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		vals := t.values()
		key := ratKey(vals[:d])
		if !seenVertex[key] {
			seenVertex[key] = true
			v := vertex{z: vals[:d], labels: make([]bool, nLabels)}
			for j, x := range vals {
				if x.Sign() == 0 {
					v.labels[labelOf(j)] = true
				}
			}
			out = append(out, v)
		}
		inBasis := make([]bool, d+t.k)
		for _, b := range t.basis {
			inBasis[b] = true
		}
		for e := 0; e < d+t.k; e++ {
			if inBasis[e] {
				continue
			}
			r := t.lexMinRatio(e)
			if r < 0 {
				continue // cannot happen for a positive C: the polytope is bounded
			}
			old := t.basis[r]
			t.basis[r] = e
			k := t.basisKey()
			t.basis[r] = old
			if !seenBasis[k] {
				seenBasis[k] = true
				if len(seenBasis) > maxBasesPerVertex*MaxVertices {
					return nil, false
				}
				nt := t.clone()
				nt.pivot(r, e)
				queue = append(queue, nt)
			}
		}
	}
	return out, true
}

func ratKey(v []*big.Rat) string {
	var b strings.Builder
	for _, x := range v {
		b.WriteString(x.RatString())
		b.WriteByte(' ')
	}
	return b.String()
}

// normalize returns z / Σz.
func normalize(z []*big.Rat) []*big.Rat {
	sum := new(big.Rat)
	for _, x := range z {
		sum.Add(sum, x)
	}
	out := make([]*big.Rat, len(z))
	for i, x := range z {
		out[i] = new(big.Rat).Quo(x, sum)
	}
	return out
}

// bimatrixProfile returns the profile (x, y), exact if the game is.
func bimatrixProfile(g *Game, x, y []*big.Rat) Profile {
	p := RatProfile([][]*big.Rat{x, y})
	if !g.exact {
		p.Rat = nil
	}
	return p
}

// EnumMixed returns every extreme Nash equilibrium of the two-player game
// g: the extreme points of all its maximal Nash subsets (for a nondegenerate
// game, simply all its equilibria). In a degenerate game the equilibria form
// convex components; each is the convex hull of the returned profiles that
// belong to it (von Stengel 2002, section 3.5; Avis et al. 2010).
//
// Method (vertex enumeration; von Stengel 2002, Theorem 3.2 and section 3.5,
// as gambit-enummixed): with A and B shifted to be positive, enumerate all
// vertices of P = {x ≥ 0 : Bᵀx ≤ 1} and Q = {y ≥ 0 : A y ≤ 1}, and
// return (x/Σx, y/Σy) for every pair of nonzero vertices that is completely
// labelled: every strategy of each player is either unplayed or a best
// response. Vertices are found by breadth-first search over the
// lexicographically feasible bases, in exact rational arithmetic, so
// degenerate games are handled exactly. The work grows with the number of
// vertices, exponentially in the worst case; it is meant for games of up to
// about 10×10 strategies.
//
// Before it starts it refuses, with a *CostError, a game whose polytopes
// may have more than MaxVertices vertices (see VertexBound), and it stops
// with one where a degenerate game makes it visit many more bases.
//
// Equilibria are returned sorted lexicographically by their probabilities,
// largest first (pure strategies of the first player early, as in the
// Gambit manual's listings).
// For an inexact game the computation is still exact on the binary values
// of its payoffs, and the profiles are returned without their rationals.
func EnumMixed(g *Game) ([]Profile, error) {
	if g.NumPlayers() != 2 {
		return nil, ErrNotTwoPlayer
	}
	if err := enumMixedCost(g); err != nil {
		return nil, err
	}
	m, n := g.NumStrategies(0), g.NumStrategies(1)
	a, b := positiveMatrices(g)
	// P: variables x_0..x_{m-1} (labels 0..m-1), slacks s_j of (Bᵀx)_j ≤ 1 (labels m+j).
	vp, okP := enumerateVertices(transpose(b), m, func(v int) int { return v }, m+n)
	// Q: variables y_0..y_{n-1} (labels m+j), slacks r_i of (Ay)_i ≤ 1 (labels i).
	vq, okQ := enumerateVertices(a, n, func(v int) int {
		if v < n {
			return m + v
		}
		return v - n
	}, m+n)
	if !okP || !okQ {
		return nil, &CostError{Method: "enummixed", Reason: fmt.Sprintf("the search passed %d bases", maxBasesPerVertex*MaxVertices),
			Suggest: "use --method logit for one equilibrium, or enumpure for the pure ones"}
	}
	var eqs [][]*big.Rat // concatenated (x, y) for sorting
	for _, x := range vp {
		if isZero(x.z) {
			continue
		}
		for _, y := range vq {
			if isZero(y.z) {
				continue
			}
			complete := true
			for l := 0; l < m+n && complete; l++ {
				complete = x.labels[l] || y.labels[l]
			}
			if complete {
				eqs = append(eqs, append(normalize(x.z), normalize(y.z)...))
			}
		}
	}
	sort.Slice(eqs, func(i, j int) bool {
		for k := range eqs[i] {
			if c := eqs[i][k].Cmp(eqs[j][k]); c != 0 {
				return c > 0
			}
		}
		return false
	})
	out := make([]Profile, len(eqs))
	for i, e := range eqs {
		out[i] = bimatrixProfile(g, e[:m], e[m:])
	}
	return out, nil
}

func isZero(v []*big.Rat) bool {
	for _, x := range v {
		if x.Sign() != 0 {
			return false
		}
	}
	return true
}

// LemkeHowson returns one Nash equilibrium of the two-player game g found
// by the Lemke–Howson algorithm started by dropping the given label
// (Lemke and Howson 1964; von Stengel 2002, section 3.6, Algorithm 3.5).
// Labels are 0-based: 0..m-1 are the first player's strategies and
// m..m+n-1 the second player's.
//
// Method: complementary pivoting on the tableaux of the best-response
// polytopes P and Q (see [EnumMixed]) from the artificial equilibrium (0,0):
// the variable with the dropped label enters, and each pivot's leaving
// variable has its complement enter the other tableau, until a variable
// with the dropped label leaves. Pivots use the lexicographic minimum ratio
// rule, so the path is unique and finite also in degenerate games, and all
// arithmetic is exact. Different labels may lead to different equilibria;
// not every equilibrium is reachable this way.
//
// It returns an error for a game that is not two-player or a label out of
// range.
func LemkeHowson(g *Game, label int) (Profile, error) {
	if g.NumPlayers() != 2 {
		return Profile{}, ErrNotTwoPlayer
	}
	m, n := g.NumStrategies(0), g.NumStrategies(1)
	if label < 0 || label >= m+n {
		return Profile{}, fmt.Errorf("game: Lemke–Howson label %d out of range 0..%d", label, m+n-1)
	}
	a, b := positiveMatrices(g)
	tp := newPolytopeTableau(transpose(b), m) // variables x (label i = column i), s (label m+j = column m+j)
	tq := newPolytopeTableau(a, n)            // variables y_j (label m+j, column j), r_i (label i, column n+i)
	labelP := func(v int) int { return v }
	colP := func(l int) int { return l }
	labelQ := func(v int) int {
		if v < n {
			return m + v
		}
		return v - n
	}
	colQ := func(l int) int {
		if l < m {
			return n + l
		}
		return l - m
	}
	inP := label < m
	e := colQ(label)
	if inP {
		e = colP(label)
	}
	// Each step visits a new vertex pair of the perturbed polytopes, so the
	// path is shorter than the number of such pairs; this cap only guards
	// against a bug turning into an endless loop.
	const maxPivots = 1 << 20
	for step := 0; step < maxPivots; step++ {
		t, lab := tq, labelQ
		if inP {
			t, lab = tp, labelP
		}
		r := t.lexMinRatio(e)
		if r < 0 {
			return Profile{}, errors.New("game: Lemke–Howson hit an unbounded ray (internal error)")
		}
		l := lab(t.pivot(r, e))
		if l == label {
			x := normalize(tp.values()[:m])
			y := normalize(tq.values()[:n])
			return bimatrixProfile(g, x, y), nil
		}
		inP = !inP
		if inP {
			e = colP(l)
		} else {
			e = colQ(l)
		}
	}
	return Profile{}, errors.New("game: Lemke–Howson did not terminate (internal error)")
}
