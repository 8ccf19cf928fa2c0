package empirical

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim/game"
)

// tol is the tolerance of comparisons of computed statistics.
const tol = 1e-9

// sqrt3 scales ±1 replicate noise of four replicates to a sample standard
// deviation of 2 (the sample variance of 1, −1, 1, −1 is 4/3), so that the
// standard error of a mean of four is 1.
var sqrt3 = math.Sqrt(3)

// TestContrastHandComputed checks the paired and unpaired standard errors
// of a difference on numbers worked by hand.
func TestContrastHandComputed(t *testing.T) {
	tb := &Table{
		Players:    []string{"a", "b"},
		Strategies: [][]string{{"x", "y"}, {"z"}},
		Values: [][][]float64{
			{{10, 20, 30}, {0, 0, 0}},
			{{11, 22, 30}, {0, 0, 0}},
		},
		Paired: true,
	}
	require.NoError(t, tb.Check())
	// Paired: d = (1, 2, 0), mean 1, sd 1, SE 1/√3.
	m, se := tb.Difference(0, 1, 0)
	assert.InDelta(t, 1, m, tol)
	assert.InDelta(t, 1/math.Sqrt(3), se, tol)
	// Unpaired: variances 100 and 91, SE √((100 + 91)/3).
	tb.Paired = false
	m, se = tb.Difference(0, 1, 0)
	assert.InDelta(t, 1, m, tol)
	assert.InDelta(t, math.Sqrt(191.0/3), se, tol)
	assert.InDelta(t, math.Hypot(tb.SE(1, 0), tb.SE(0, 0)), se, tol)
}

// randomTable fills a table of the given shape with normal payoffs.
func randomTable(rng *rand.Rand, shape []int, reps int, paired bool) *Table {
	tb := &Table{Paired: paired}
	n := 1
	for i, m := range shape {
		tb.Players = append(tb.Players, string(rune('a'+i)))
		var st []string
		for j := range m {
			st = append(st, string(rune('A'+j)))
		}
		tb.Strategies = append(tb.Strategies, st)
		n *= m
	}
	tb.Values = make([][][]float64, n)
	for k := range tb.Values {
		for range shape {
			xs := make([]float64, reps)
			for r := range xs {
				xs[r] = 10*rng.NormFloat64() + float64(k)
			}
			tb.Values[k] = append(tb.Values[k], xs)
		}
	}
	return tb
}

// TestGainIsTheMeanGamesGain: by linearity, the mean of the per-replicate
// gains is the gain in the game of mean payoffs, for any mixed profile.
func TestGainIsTheMeanGamesGain(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, paired := range []bool{true, false} {
		tb := randomTable(rng, []int{3, 2, 2}, 5, paired)
		g, err := tb.MeanGame("t")
		require.NoError(t, err)
		p := [][]float64{{0.2, 0.5, 0.3}, {0.6, 0.4}, {1, 0}}
		prof := game.FloatProfile(p)
		for i := range tb.Players {
			vals := g.StrategyValues(prof, i)
			u := g.Utility(prof, i)
			for j := range vals {
				m, se := tb.Gain(p, i, j)
				assert.InDelta(t, vals[j]-u, m, 1e-9*(1+math.Abs(u)))
				if p[i][j] < 1 {
					assert.True(t, se > 0)
				} else {
					assert.Zero(t, se, "no deviation at all")
				}
			}
		}
	}
}

// gainTable is a game of player a (two strategies) against player b (one):
// a's payoff is 0 at x and gain ± noise at y over four replicates, so the
// gain of y over x has standard error 1 (unpaired: √(0 + 1)).
func gainTable(gain float64) *Table {
	noise := []float64{sqrt3, -sqrt3, sqrt3, -sqrt3}
	y := make([]float64, 4)
	for r := range y {
		y[r] = gain + noise[r]
	}
	return &Table{
		Players:    []string{"a", "b"},
		Strategies: [][]string{{"x", "y"}, {"z"}},
		Values:     [][][]float64{{{0, 0, 0, 0}, {0, 0, 0, 0}}, {y, {0, 0, 0, 0}}},
	}
}

// TestEpsilonEquilibriumKnownNoise works the significance rules on a gain
// with a known standard error of 1.
func TestEpsilonEquilibriumKnownNoise(t *testing.T) {
	tests := []struct {
		name       string
		gain, eps  float64
		stableX    bool    // x is not rejected as an ε-equilibrium
		upper      float64 // the 95% bound on y's regret
		confirmedY bool
	}{
		// A gain of 3 standard errors is significant: x is not an
		// equilibrium; y is, and its deviation loses 3 ± 1, bound 0.
		{"gain 3", 3, 0, false, 0, true},
		// With ε = 2 the excess gain 1 is within 1.96 SE: x may be a
		// 2-equilibrium.
		{"gain 3, ε 2", 3, 2, true, 0, true},
		// A gain of 1.5 SE is not significant: x is stable; y is the
		// equilibrium of the means but its deviation's upper bound is
		// −1.5 + 1.96 = 0.46 > 0, so it is not confirmed at ε = 0...
		{"gain 1.5", 1.5, 0, true, Z95 - 1.5, false},
		// ... and is at ε = 0.5.
		{"gain 1.5, ε 0.5", 1.5, 0.5, true, Z95 - 1.5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Analyze(gainTable(tt.gain), AnalyzeOptions{Epsilon: tt.eps})
			require.NoError(t, err)
			x, y := a.Profiles[0], a.Profiles[1]
			assert.False(t, x.Equilibrium)
			assert.True(t, y.Equilibrium)
			assert.InDelta(t, tt.gain, x.Best.Gain, tol)
			assert.InDelta(t, 1, x.Best.SE, tol)
			assert.Equal(t, tt.stableX, x.Stable)
			assert.True(t, y.Stable)
			require.Len(t, a.Equilibria, 1)
			e := a.Equilibria[0]
			assert.Equal(t, []int{1, 0}, PureStrategies(e.Profile))
			assert.InDelta(t, tt.upper, e.RegretUpper, tol)
			assert.True(t, e.NotRejected)
			assert.Equal(t, tt.confirmedY, e.Confirmed)
			require.Len(t, e.Deviations, 1) // a to x; b has nowhere to go
			assert.InDelta(t, -tt.gain, e.Deviations[0].Gain, tol)
		})
	}
}

// TestCommonRandomNumbersCalibration simulates tables with known noise.
// With common random numbers a replicate's shock (sd 10) is shared by
// every profile, on top of each profile's own (sd 1); without, the profiles
// are independent (sd √101 each, the same total). With no true gain each
// test declares about 2.5–3% of gains significant (one-sided, z = 1.96; t
// with R−1 = 19 degrees of freedom gives P(t₁₉ > 1.96) ≈ 0.032). With a
// true gain of 1 the paired test finds it most of the time (its SE is
// √(2/20) ≈ 0.32), while the unpaired test on the same common-random-number
// data seldom does (its SE is √(2·101/20) ≈ 3.2): pairing is what makes
// common random numbers pay.
func TestCommonRandomNumbersCalibration(t *testing.T) {
	const trials, reps = 2000, 20
	rng := rand.New(rand.NewPCG(2014, 1))
	rate := func(gain float64, crn, paired bool) float64 {
		hits := 0
		for range trials {
			x := make([]float64, reps)
			y := make([]float64, reps)
			for r := range reps {
				if crn {
					common := 10 * rng.NormFloat64()
					x[r] = common + rng.NormFloat64()
					y[r] = common + gain + rng.NormFloat64()
				} else {
					x[r] = math.Sqrt(101) * rng.NormFloat64()
					y[r] = gain + math.Sqrt(101)*rng.NormFloat64()
				}
			}
			tb := &Table{Players: []string{"a", "b"}, Strategies: [][]string{{"x", "y"}, {"z"}},
				Values: [][][]float64{{x, make([]float64, reps)}, {y, make([]float64, reps)}}, Paired: paired}
			m, se := tb.Difference(0, 1, 0)
			if m > Z95*se {
				hits++
			}
		}
		return float64(hits) / trials
	}
	for _, crn := range []bool{true, false} {
		r := rate(0, crn, crn)
		assert.True(t, r > 0.015 && r < 0.05, "common random numbers %v: false positive rate %.3f", crn, r)
	}
	assert.Greater(t, rate(1, true, true), 0.8)
	assert.Less(t, rate(1, true, false), 0.05)
}

// TestAnalyzePrisonersDilemma: a noisy prisoner's dilemma has the one
// equilibrium (defect, defect), confirmed against the noise, and
// cooperation is rejected.
func TestAnalyzePrisonersDilemma(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	means := [][2]float64{{3, 3}, {5, 0}, {0, 5}, {1, 1}} // (C,C), (D,C), (C,D), (D,D)
	tb := &Table{Players: []string{"row", "col"}, Strategies: [][]string{{"C", "D"}, {"C", "D"}}, Paired: true}
	for _, m := range means {
		var v [][]float64
		for i := range 2 {
			xs := make([]float64, 5)
			for r := range xs {
				xs[r] = m[i] + 0.1*rng.NormFloat64()
			}
			v = append(v, xs)
		}
		tb.Values = append(tb.Values, v)
	}
	a, err := Analyze(tb, AnalyzeOptions{Title: "pd"})
	require.NoError(t, err)
	require.Len(t, a.Equilibria, 1)
	e := a.Equilibria[0]
	assert.Equal(t, "NE,0.000000,1.000000,0.000000,1.000000", e.NE)
	assert.Equal(t, []string{"enummixed", "enumpure"}, e.Found)
	assert.True(t, e.Pure)
	assert.Zero(t, e.Regret)
	assert.True(t, e.Confirmed)
	assert.Zero(t, e.RegretUpper)
	assert.False(t, a.Profiles[0].Stable, "cooperation is rejected")
	for _, br := range a.BestReplies {
		assert.Equal(t, []int{1}, br.Best)
		assert.True(t, br.Significant)
	}
}

// TestAnalyzeMatchingPennies: the mixed equilibrium of noisy matching
// pennies has zero regret in the estimated game but a positive bound.
func TestAnalyzeMatchingPennies(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	means := [][2]float64{{1, -1}, {-1, 1}, {-1, 1}, {1, -1}}
	tb := &Table{Players: []string{"row", "col"}, Strategies: [][]string{{"H", "T"}, {"H", "T"}}, Paired: true}
	for _, m := range means {
		var v [][]float64
		for i := range 2 {
			xs := make([]float64, 6)
			for r := range xs {
				xs[r] = m[i] + 0.2*rng.NormFloat64()
			}
			v = append(v, xs)
		}
		tb.Values = append(tb.Values, v)
	}
	a, err := Analyze(tb, AnalyzeOptions{})
	require.NoError(t, err)
	require.Len(t, a.Equilibria, 1)
	e := a.Equilibria[0]
	assert.False(t, e.Pure)
	assert.InDelta(t, 0.5, e.Profile.Float[0][0], 0.1)
	assert.Less(t, e.Regret, 1e-9)
	assert.Greater(t, e.RegretUpper, 0.0)
	assert.True(t, e.NotRejected)
	assert.False(t, e.Confirmed)
	for _, p := range a.Profiles {
		assert.False(t, p.Equilibrium)
		assert.False(t, p.Stable)
	}
}

// TestAnalyzeThreePlayers: with three players the pure equilibria and the
// logit solution are found; a dominant strategy for everyone gives one
// equilibrium found by both.
func TestAnalyzeThreePlayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	tb := randomTable(rng, []int{2, 2, 2}, 3, true)
	for k := range tb.Values {
		s := tb.Profile(k)
		for i := range s {
			for r := range tb.Values[k][i] {
				tb.Values[k][i][r] = float64(s[i]) + 0.01*rng.NormFloat64()
			}
		}
	}
	a, err := Analyze(tb, AnalyzeOptions{})
	require.NoError(t, err)
	require.Len(t, a.Equilibria, 1, "%+v", a.Equilibria)
	e := a.Equilibria[0]
	assert.Equal(t, []string{"enumpure", "logit"}, e.Found)
	assert.Equal(t, []int{1, 1, 1}, PureStrategies(e.Profile))
	assert.Equal(t, "NE,0,1,0,1,0,1", e.NE)
}

func TestTableCheck(t *testing.T) {
	tb := gainTable(1)
	require.NoError(t, tb.Check())
	tb.Values[1][0] = tb.Values[1][0][:3]
	assert.ErrorContains(t, tb.Check(), "has 3 replicates, want 4")
	tb = gainTable(1)
	tb.Values[0][1][2] = math.NaN()
	assert.ErrorContains(t, tb.Check(), "not a finite number")
	tb = &Table{Players: []string{"a"}, Strategies: [][]string{{"x"}}, Values: [][][]float64{{{1}}}}
	assert.ErrorContains(t, tb.Check(), "two or more replicates")
	_, err := Analyze(tb, AnalyzeOptions{})
	assert.Error(t, err)
}
