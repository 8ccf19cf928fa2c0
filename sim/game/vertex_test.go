package game

import (
	"math/big"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bruteVertices returns the vertices of {z ≥ 0, C z ≤ 1} by brute force:
// every choice of d tight constraints among the d+k whose linear system has
// a unique, feasible solution.
func bruteVertices(c [][]*big.Rat, d int) []string {
	k := len(c)
	// Constraint rows: z_i ≥ 0 as e_iᵀz = 0, then C z = 1.
	row := func(r int) ([]*big.Rat, *big.Rat) {
		a := make([]*big.Rat, d)
		for j := range a {
			a[j] = new(big.Rat)
		}
		if r < d {
			a[r].SetInt64(1)
			return a, new(big.Rat)
		}
		for j := range a {
			a[j].Set(c[r-d][j])
		}
		return a, big.NewRat(1, 1)
	}
	seen := map[string]bool{}
	var choose func(start int, picked []int)
	choose = func(start int, picked []int) {
		if len(picked) == d {
			m := make([][]*big.Rat, d)
			for i, r := range picked {
				a, b := row(r)
				m[i] = append(a, b)
			}
			z, ok := solveExact(m)
			if !ok {
				return
			}
			for _, x := range z {
				if x.Sign() < 0 {
					return
				}
			}
			for r := 0; r < k; r++ {
				s := new(big.Rat)
				for j := range z {
					s.Add(s, new(big.Rat).Mul(c[r][j], z[j]))
				}
				if s.Cmp(big.NewRat(1, 1)) > 0 {
					return
				}
			}
			seen[ratKey(z)] = true
			return
		}
		for r := start; r < d+k; r++ {
			choose(r+1, append(picked, r))
		}
	}
	choose(0, nil)
	var out []string
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// solveExact solves the square system [A | b] by Gauss–Jordan elimination,
// reporting false if A is singular.
func solveExact(m [][]*big.Rat) ([]*big.Rat, bool) {
	n := len(m)
	for col := 0; col < n; col++ {
		p := -1
		for r := col; r < n; r++ {
			if m[r][col].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			return nil, false
		}
		m[col], m[p] = m[p], m[col]
		pivotRows(m, col, col)
	}
	z := make([]*big.Rat, n)
	for i := range z {
		z[i] = m[i][n]
	}
	return z, true
}

// The lexicographic breadth-first search must find exactly the vertices that
// brute force finds, on random games with small integer payoffs, where ties
// make the polytopes degenerate.
func TestEnumerateVerticesMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := 0; trial < 60; trial++ {
		m, n := 1+rng.IntN(4), 1+rng.IntN(4)
		g := randomBimatrix(rng, m, n, 3) // payoffs 0..2: heavily degenerate
		_, b := positiveMatrices(g)
		c := transpose(b)
		var got []string
		vs, ok := enumerateVertices(c, m, func(v int) int { return v }, m+n)
		require.True(t, ok)
		assert.LessOrEqual(t, float64(len(vs)), VertexBound(m, m+n), "trial %d: the upper bound theorem", trial)
		for _, v := range vs {
			got = append(got, ratKey(v.z))
		}
		sort.Strings(got)
		assert.Equal(t, bruteVertices(c, m), got, "trial %d", trial)
	}
}

// On the same degenerate random games every solver's answer must be
// consistent: EnumMixed's profiles are exact equilibria, and every pure
// equilibrium and every Lemke–Howson end point is among them.
func TestSolversAgreeOnDegenerateGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for trial := 0; trial < 60; trial++ {
		g := randomBimatrix(rng, 1+rng.IntN(4), 1+rng.IntN(4), 3)
		eqs, err := EnumMixed(g)
		require.NoError(t, err)
		all := neLines(eqs)
		require.NotEmpty(t, all)
		for _, p := range eqs {
			assert.True(t, g.IsEpsilonNash(p, 0))
		}
		for _, p := range EnumPure(g) {
			assert.Contains(t, all, FormatNE(p), "trial %d", trial)
		}
		for l := 0; l < g.NumStrategies(0)+g.NumStrategies(1); l++ {
			p, err := LemkeHowson(g, l)
			require.NoError(t, err)
			assert.Contains(t, all, FormatNE(p), "trial %d label %d", trial, l)
		}
	}
}
