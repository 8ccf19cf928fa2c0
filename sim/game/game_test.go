package game

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// floatTol is the tolerance for float64 views of exact small rationals.
const floatTol = 1e-12

func TestProfileIndexGambitOrder(t *testing.T) {
	g, err := NewFloat([]string{"a", "b", "c"}, [][]string{{"1", "2"}, {"1", "2", "3"}, {"1", "2"}}, make12(3))
	require.NoError(t, err)
	require.Equal(t, 12, g.NumProfiles())
	// First player fastest: (1,0,0) is profile 1, (0,1,0) is 2, (0,0,1) is 2·3 = 6.
	assert.Equal(t, 1, g.ProfileIndex([]int{1, 0, 0}))
	assert.Equal(t, 2, g.ProfileIndex([]int{0, 1, 0}))
	assert.Equal(t, 6, g.ProfileIndex([]int{0, 0, 1}))
	assert.Equal(t, 11, g.ProfileIndex([]int{1, 2, 1}))
	for k := 0; k < g.NumProfiles(); k++ {
		assert.Equal(t, k, g.ProfileIndex(g.PureProfile(k)))
		// make12 stores the profile index as every payoff.
		assert.Equal(t, float64(k), g.Payoff(g.PureProfile(k), 2))
	}
	assert.Panics(t, func() { g.ProfileIndex([]int{0, 3, 0}) })
	assert.Panics(t, func() { g.ProfileIndex([]int{0, 0}) })
}

// make12 returns 12 payoff vectors for n players, each entry equal to the
// profile index.
func make12(n int) [][]float64 {
	p := make([][]float64, 12)
	for k := range p {
		p[k] = make([]float64, n)
		for i := range p[k] {
			p[k][i] = float64(k)
		}
	}
	return p
}

func TestConstructorErrors(t *testing.T) {
	two := [][]string{{"x", "y"}, {"x", "y"}}
	_, err := NewRat(nil, nil, nil)
	assert.ErrorIs(t, err, ErrShape)
	_, err = NewRat([]string{"a", "b"}, two[:1], nil)
	assert.ErrorIs(t, err, ErrShape)
	_, err = NewRat([]string{"a", "b"}, [][]string{{"x"}, {}}, nil)
	assert.ErrorIs(t, err, ErrShape)
	_, err = NewFloat([]string{"a", "b"}, two, make([][]float64, 3))
	assert.ErrorIs(t, err, ErrShape)
	_, err = NewFloat([]string{"a", "b"}, two, [][]float64{{1, 2}, {1, 2}, {1, 2}, {1}})
	assert.ErrorIs(t, err, ErrShape)
	_, err = NewFloat([]string{"a", "b"}, two, [][]float64{{1, 2}, {1, 2}, {1, 2}, {1, math.NaN()}})
	assert.Error(t, err)
	_, err = NewOutcomeGame([]string{"a"}, [][]string{{"x"}}, nil, []int{1})
	assert.ErrorIs(t, err, ErrShape)
	_, err = Bimatrix([][]*big.Rat{{big.NewRat(1, 1)}}, nil)
	assert.ErrorIs(t, err, ErrShape)
	_, err = BimatrixFloat([][]float64{{1, 2}, {3}}, [][]float64{{1, 2}, {3, 4}})
	assert.ErrorIs(t, err, ErrShape)
	// More than MaxProfiles profiles.
	big := make([]string, 1<<12)
	_, err = NewRat([]string{"a", "b"}, [][]string{big, append(big, "x")}, nil)
	assert.ErrorIs(t, err, ErrShape)
}

func TestFloatGameIsInexact(t *testing.T) {
	g, err := BimatrixFloat([][]float64{{0.1, 0}, {0, 1}}, [][]float64{{1, 0}, {0, 0.1}})
	require.NoError(t, err)
	assert.False(t, g.Exact())
	assert.Equal(t, 0.1, g.Payoff([]int{0, 0}, 0))
	eqs, err := EnumMixed(g)
	require.NoError(t, err)
	require.Len(t, eqs, 3)
	for _, p := range eqs {
		assert.False(t, p.Exact(), "inexact game gives float profiles")
		assert.True(t, g.IsEpsilonNash(p, floatTol))
	}
	// Mixed equilibrium: column mixes q with 0.1q = 1−q, q = 1/1.1.
	assert.Equal(t, "NE,0.090909,0.909091,0.909091,0.090909", FormatNE(eqs[1]))
}

func TestUtilityAndRegret(t *testing.T) {
	g := bimatrix(t, bosA, bosB)
	// At ((2/3,1/3),(1/3,2/3)) player 1 earns 2·(2/3)(1/3) + 1·(1/3)(2/3) = 2/3.
	mixed := RatProfile([][]*big.Rat{{big.NewRat(2, 3), big.NewRat(1, 3)}, {big.NewRat(1, 3), big.NewRat(2, 3)}})
	assert.Equal(t, "2/3", g.UtilityRat(mixed, 0).RatString())
	assert.InDelta(t, 2.0/3, g.Utility(mixed, 1), floatTol)
	assert.Equal(t, "0", g.RegretRat(mixed).RatString())
	assert.True(t, g.IsEpsilonNash(mixed, 0))

	// At (Opera, Football) both earn 0; player 1 gains 1 by switching to
	// Football, player 2 gains 1 by switching to Opera: regret 1.
	off := g.PureStrategyProfile([]int{0, 1})
	assert.Equal(t, "1", g.RegretRat(off).RatString())
	assert.False(t, g.IsEpsilonNash(off, 0.5))
	assert.True(t, g.IsEpsilonNash(off, 1))

	// Centroid: player 1's strategies earn 1 and 1/2, mean 3/4, regret 1/4;
	// player 2's earn 1/2 and 1, the same.
	assert.Equal(t, "1/4", g.RegretRat(g.Centroid()).RatString())
	assert.InDelta(t, 0.25, g.Regret(FloatProfile(g.Centroid().Float)), floatTol)

	// Not a distribution.
	assert.False(t, g.IsEpsilonNash(FloatProfile([][]float64{{0.5, 0.6}, {0, 1}}), 0.01))
	assert.False(t, g.IsEpsilonNash(RatProfile([][]*big.Rat{{big.NewRat(1, 2), big.NewRat(1, 3)}, {big.NewRat(0, 1), big.NewRat(1, 1)}}), 1))
	assert.Panics(t, func() { g.Regret(FloatProfile([][]float64{{1}})) })
}

func TestFormatNE(t *testing.T) {
	exact := RatProfile([][]*big.Rat{{big.NewRat(1, 2), big.NewRat(1, 2)}, {big.NewRat(1, 3), big.NewRat(2, 3)}})
	assert.Equal(t, "NE,1/2,1/2,1/3,2/3", FormatNE(exact))
	assert.Equal(t, "NE,0.50,0.50,0.33,0.67", FormatProfile("NE", exact, 2))
	pure := RatProfile([][]*big.Rat{{big.NewRat(1, 1), big.NewRat(0, 1)}})
	assert.Equal(t, "NE,1,0", FormatNE(pure))
	approx := FloatProfile([][]float64{{1.0 / 3, 2.0 / 3, -1e-12}})
	assert.Equal(t, "NE,0.333333,0.666667,0.000000", FormatNE(approx))
	assert.Equal(t, "x,0.333,0.667,0.000", FormatProfile("x", approx, 3))
}

func TestRestrict(t *testing.T) {
	g := bimatrix(t, vsA, vsB)
	sub, err := g.Restrict([][]int{{2, 0}, {1}})
	require.NoError(t, err)
	assert.Equal(t, 2, sub.NumStrategies(0))
	assert.Equal(t, "3", sub.Strategy(0, 0))
	// Row 3, column 2 of the original: A = 6, B = 1.
	assert.Equal(t, "6", sub.PayoffRat([]int{0, 0}, 0).RatString())
	assert.Equal(t, "1", sub.PayoffRat([]int{0, 0}, 1).RatString())
	_, err = g.Restrict([][]int{{3}, {0}})
	assert.Error(t, err)
	_, err = g.Restrict([][]int{{}, {0}})
	assert.Error(t, err)
}

// Games in which a player has a single strategy reduce to that opponent's
// optimisation; the solvers must handle the degenerate polytope shapes.
func TestSingleStrategyPlayer(t *testing.T) {
	g := bimatrix(t, "1 1 1", "3 1 3")
	eqs, err := EnumMixed(g)
	require.NoError(t, err)
	// Column player is indifferent between columns 1 and 3 (payoff 3):
	// extreme equilibria put all weight on one of them.
	assert.Equal(t, []string{"NE,1,1,0,0", "NE,1,0,0,1"}, neLines(eqs))
	for l := 0; l < 4; l++ {
		p, err := LemkeHowson(g, l)
		require.NoError(t, err)
		assert.Contains(t, neLines(eqs), FormatNE(p))
	}
	one, err := Bimatrix([][]*big.Rat{{big.NewRat(5, 1)}}, [][]*big.Rat{{big.NewRat(-2, 1)}})
	require.NoError(t, err)
	eqs, err = EnumMixed(one)
	require.NoError(t, err)
	assert.Equal(t, []string{"NE,1,1"}, neLines(eqs))
}

// In the all-zero game every profile is an equilibrium: the set is Δ×Δ,
// whose extreme points are the m·n pure profiles. This is as degenerate as
// a game gets (every basis of P and Q describes the same few vertices).
func TestEnumMixedZeroGame(t *testing.T) {
	const m, n = 4, 3
	zero := func() [][]*big.Rat {
		z := make([][]*big.Rat, m)
		for r := range z {
			z[r] = make([]*big.Rat, n)
			for c := range z[r] {
				z[r][c] = new(big.Rat)
			}
		}
		return z
	}
	g, err := Bimatrix(zero(), zero())
	require.NoError(t, err)
	eqs, err := EnumMixed(g)
	require.NoError(t, err)
	assert.Len(t, eqs, m*n)
	assert.ElementsMatch(t, neLines(EnumPure(g)), neLines(eqs))
}
