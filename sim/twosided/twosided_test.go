package twosided

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim/game"
)

// market is docs/record.md §3.2's check: α = (0.3, 0.8), t = (1, 0.7),
// f = (0.1, 0.2), so p1 = 0.1 + 1 − 0.8 = 0.3 and p2 = 0.2 + 0.7 − 0.3 = 0.6,
// profit (t1 + t2 − α1 − α2)/2 = 0.3 each; 4·t1·t2 = 2.8 > 1.21.
var market = Market{Alpha: [2]float64{0.3, 0.8}, T: [2]float64{1, 0.7}, F: [2]float64{0.1, 0.2}, N: 4000}

func TestSharesAtEqualPrices(t *testing.T) {
	p := market.Equilibrium()
	s, err := market.Shares(p, p)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, s[0], 1e-3)
	assert.InDelta(t, 0.5, s[1], 1e-3)
	a, b, err := market.Profits(p, p)
	require.NoError(t, err)
	assert.InDelta(t, 0.3, a, 2e-3, "profit (t1+t2−α1−α2)/2")
	assert.InDelta(t, 0.3, b, 2e-3)
}

// TestSubsidyShiftsShares: a cut Δ in A's user price moves A's user share
// by Δ/(2t1) times the cross-side multiplier 1/(1 − α1α2/(t1t2)) to first
// order; here Δ = 0.05 gives 0.025 · 1/(1 − 0.24/0.7) ≈ 0.0380.
func TestSubsidyShiftsShares(t *testing.T) {
	p := market.Equilibrium()
	cut := p
	cut[0] -= 0.05
	s, err := market.Shares(cut, p)
	require.NoError(t, err)
	want := 0.5 + 0.05/(2*market.T[0])/(1-market.Alpha[0]*market.Alpha[1]/(market.T[0]*market.T[1]))
	assert.InDelta(t, want, s[0], 1e-3)
}

// TestEmpiricalGameFindsArmstrong builds the empirical game over a grid of
// price pairs, every profile's payoffs simulated, and asks the solvers for
// its pure equilibria: each lies within one grid step of Armstrong's
// prices on both sides.
func TestEmpiricalGameFindsArmstrong(t *testing.T) {
	const step = 0.05
	eq := market.Equilibrium()
	var grid []Prices
	for i := -2; i <= 2; i++ {
		for j := -2; j <= 2; j++ {
			grid = append(grid, Prices{eq[0] + float64(i)*step, eq[1] + float64(j)*step})
		}
	}
	n := len(grid)
	a := make([][]float64, n)
	b := make([][]float64, n)
	for i := range grid {
		a[i] = make([]float64, n)
		b[i] = make([]float64, n)
		for j := range grid {
			pa, pb, err := market.Profits(grid[i], grid[j])
			require.NoError(t, err)
			a[i][j], b[i][j] = pa, pb
		}
	}
	g, err := game.BimatrixFloat(a, b)
	require.NoError(t, err)
	eqs := game.EnumPure(g)
	require.NotEmpty(t, eqs, "the grid game has a pure equilibrium")
	for _, e := range eqs {
		for player := 0; player < 2; player++ {
			k := argmax(e.Float[player])
			assert.LessOrEqual(t, math.Abs(grid[k][0]-eq[0]), step+1e-9, "user price %.2f vs %.2f", grid[k][0], eq[0])
			assert.LessOrEqual(t, math.Abs(grid[k][1]-eq[1]), step+1e-9, "merchant price %.2f vs %.2f", grid[k][1], eq[1])
		}
	}
}

func argmax(x []float64) int {
	best := 0
	for i := range x {
		if x[i] > x[best] {
			best = i
		}
	}
	return best
}
