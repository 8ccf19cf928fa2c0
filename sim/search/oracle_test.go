package search

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim/twosided"
)

// The oracle cases of docs/record.md §3.2 and §3.5, the ones the game layer is
// checked against (sim/twosided, sim/game/attrition_test.go), on their
// closed-form payoffs: the optimiser must find the same answers in
// continuous strategies.

// armstrong is twosided's test market: α = (0.3, 0.8), t = (1, 0.7),
// f = (0.1, 0.2), so p1 = 0.3 and p2 = 0.6 (Armstrong 2006). N = 1000
// agents a side make a share step of 1/1000, a price step of 2t/N ≤ 0.002.
var armstrong = twosided.Market{Alpha: [2]float64{0.3, 0.8}, T: [2]float64{1, 0.7}, F: [2]float64{0.1, 0.2}, N: 1000}

// gridStep is the price grid of twosided's empirical-game test: "within
// one grid step" there is what "within one grid-step equivalent" means here.
const gridStep = 0.05

func pricePlayer(name string) Player {
	return Player{Name: name, Params: []Param{{Name: "user_price", Lo: -0.5, Hi: 1.5}, {Name: "merchant_price", Lo: -0.5, Hi: 1.5}},
		Start: []float64{0.9, 0.1}}
}

// armstrongPayoff is a platform's profit; prices at which the market's
// shares do not settle (far from equilibrium, where damping on a discrete
// line can oscillate between corners) are rejected as having no outcome.
func armstrongPayoff(_ context.Context, profile [][]float64, player int, _ []uint64) (float64, error) {
	a, b, err := armstrong.Profits(twosided.Prices(profile[0]), twosided.Prices(profile[1]))
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrRejected, err)
	}
	if player == 0 {
		return a, nil
	}
	return b, nil
}

// TestRespondFindsArmstrong: best responses between the two platforms,
// from prices far from equilibrium, settle on Armstrong's prices within a
// grid step on both sides, and each platform's value is the closed-form
// profit (t1 + t2 − α1 − α2)/2 = 0.3 within what half a grid step on both
// prices moves it: profit is Σ(p_k − f_k)/2 near equal shares, so
// (0.025 + 0.025)/2 = 0.025. Tol 0.005 of the range (0.01 in price) is
// finer than the default so that the settled point is within a fifth of
// a grid step of where the best-response map's fixed point is.
func TestRespondFindsArmstrong(t *testing.T) {
	eq, err := Respond(context.Background(), []Player{pricePlayer("A"), pricePlayer("B")}, armstrongPayoff,
		RespondConfig{Search: Config{Seed: 1, Replicates: 1, Recheck: 1, Confirm: 2, Budget: 400}, Rounds: 12, Tol: 0.005})
	require.NoError(t, err)
	want := armstrong.Equilibrium()
	assert.Equal(t, "settled", eq.Status, "rounds: %+v", eq.Rounds)
	for i, p := range eq.Profile {
		assert.InDelta(t, want[0], p[0], gridStep, "player %d user price", i)
		assert.InDelta(t, want[1], p[1], gridStep, "player %d merchant price", i)
		assert.InDelta(t, 0.3, eq.Best[i].Value, 0.025, "player %d profit", i)
	}
}

// TestRespondReportsACycle: matching pennies in continuous strategies
// (A gains (x−½)(y−½), B loses it) has no pure equilibrium; best responses
// jump between corners and come back every two rounds.
func TestRespondReportsACycle(t *testing.T) {
	pl := func(name string, start float64) Player {
		return Player{Name: name, Params: []Param{{Name: "x", Lo: 0, Hi: 1}}, Start: []float64{start}}
	}
	pay := func(_ context.Context, p [][]float64, i int, _ []uint64) (float64, error) {
		v := (p[0][0] - 0.5) * (p[1][0] - 0.5)
		if i == 1 {
			v = -v
		}
		return v, nil
	}
	eq, err := Respond(context.Background(), []Player{pl("A", 0.5), pl("B", 0.7)}, pay,
		RespondConfig{Search: Config{Seed: 1, Replicates: 1, Recheck: 1, Confirm: 2, Budget: 200}, Rounds: 8})
	require.NoError(t, err)
	assert.Equal(t, "cycle", eq.Status)
	assert.Equal(t, 2, eq.Period)
}

// attrition is a war of attrition against a rival that follows its plan:
// both platforms burn c a period while both fight and the last one left
// wins V (docs/record.md §3.5); the rival is weak with probability q and then
// quits after an exponential time of rate λ, strong otherwise and never
// quits. Staying from a to a + da wins V with the rival's hazard h(a) and
// costs c, so the best quitting time solves h(a*) = c/V, with
// h(a) = qλe^{−λa} / (qe^{−λa} + 1 − q):
//
//	a* = ln(q(λV − c) / (c(1 − q))) / λ
//
// and the expected payoff of quitting at a is
//
//	U(a) = Vq(1 − e^{−λa}) − c(q(1 − e^{−λa})/λ + (1 − q)a).
type attrition struct{ V, C, Q, Lambda float64 }

func (w attrition) best() float64 {
	return math.Log(w.Q*(w.Lambda*w.V-w.C)/(w.C*(1-w.Q))) / w.Lambda
}

func (w attrition) value(a float64) float64 {
	e := 1 - math.Exp(-w.Lambda*a)
	return w.V*w.Q*e - w.C*(w.Q*e/w.Lambda+(1-w.Q)*a)
}

// simulate is the payoff of quitting at a[0], averaged over draws rivals
// per seed: each seed is a world of rivals, shared by every candidate.
func (w attrition) simulate(draws int) Objective {
	return func(_ context.Context, a []float64, seeds []uint64) (float64, error) {
		total := 0.0
		for _, seed := range seeds {
			r := rand.New(rand.NewPCG(seed, 1974))
			for range draws {
				exit := math.Inf(1)
				weak, t := r.Float64() < w.Q, r.ExpFloat64()/w.Lambda
				if weak {
					exit = t
				}
				if exit < a[0] {
					total += w.V - w.C*exit
				} else {
					total -= w.C * a[0]
				}
			}
		}
		return total / float64(draws*len(seeds)), nil
	}
}

// war: V = 4, c = 1 (the game layer's case), q = 0.8, λ = 0.5: a* = 2 ln 4
// ≈ 2.77 periods, U(a*) = 2.4 − 1.2 − 0.2·2.77 ≈ 0.645.
var war = attrition{V: 4, C: 1, Q: 0.8, Lambda: 0.5}

// TestWarOfAttritionBestResponse: the best quitting time against the
// rival's plan is found within half a period, the grid step of the game
// layer's war of attrition being one period. (The sample optimum on 4
// seeds × 500 rivals moves a* by about sd(U')/|U”|: U” = f(a*)(c − λV) =
// −0.1 and the derivative's noise is V·√(f/2000) ≈ 0.03, so ≈ 0.3.)
func TestWarOfAttritionBestResponse(t *testing.T) {
	s, err := New(Problem{Params: []Param{{Name: "quit_after", Lo: 0, Hi: 10}}, Objective: war.simulate(500), Maximize: true},
		Config{Seed: 3, Budget: 600})
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	assert.InDelta(t, war.best(), res.X[0], 0.5)
	assert.InDelta(t, war.value(war.best()), res.Value, 3*res.Interval.SE+0.01)
}

// TestWarOfAttritionCoverage: the reported 95% interval covers the true
// optimum value U(a*) in at least 90% of 40 independent searches (binomial
// sd of a 95% coverage over 40: 3.4 points; 90% is 1.5 sd below).
func TestWarOfAttritionCoverage(t *testing.T) {
	truth := war.value(war.best())
	covered := 0
	const runs = 40
	for k := range runs {
		s, err := New(Problem{Params: []Param{{Name: "quit_after", Lo: 0, Hi: 10}}, Objective: war.simulate(500), Maximize: true},
			Config{Seed: uint64(100 + 104729*k), Budget: 300})
		require.NoError(t, err)
		res, err := s.Run(context.Background())
		require.NoError(t, err)
		if res.Interval.Lo <= truth && truth <= res.Interval.Hi {
			covered++
		}
	}
	t.Logf("coverage %d/%d", covered, runs)
	assert.GreaterOrEqual(t, covered, 36)
}

// TestArmstrongBestResponseInterval: a single platform's best response to
// a rival at the equilibrium is the equilibrium itself (a best response
// by definition).
func TestArmstrongBestResponse(t *testing.T) {
	rival := armstrong.Equilibrium()
	s, err := New(Problem{Params: pricePlayer("A").Params, Maximize: true, Objective: func(ctx context.Context, x []float64, seeds []uint64) (float64, error) {
		return armstrongPayoff(ctx, [][]float64{x, rival[:]}, 0, seeds)
	}}, Config{Seed: 8, Replicates: 1, Recheck: 1, Confirm: 2, Budget: 600})
	require.NoError(t, err)
	res, err := s.Run(context.Background())
	require.NoError(t, err)
	assert.InDelta(t, rival[0], res.X[0], gridStep)
	assert.InDelta(t, rival[1], res.X[1], gridStep)
}

// TestRespondSettlesDespiteAFlatLever: each player's payoff is
// 1 − (a_i − 0.3 − 0.2·a_j)² plus noise, and its second lever b_i does
// nothing. Best responses a_i = 0.3 + 0.2·a_j meet at a* = 0.3/0.8 =
// 0.375; b_i is flat, so each search puts it anywhere, and only the rule
// that a plan is replaced for a significant gain lets the rounds settle.
// 0.05 is the sample optimum's spread at 4 seeds times about four (the
// interaction noise, sd 0.05 per unit a, moves it by ≈ 0.0125).
func TestRespondSettlesDespiteAFlatLever(t *testing.T) {
	pl := func(name string) Player {
		return Player{Name: name, Params: []Param{{Name: "a", Lo: 0, Hi: 1}, {Name: "b", Lo: 0, Hi: 1}}}
	}
	pay := func(_ context.Context, p [][]float64, i int, seeds []uint64) (float64, error) {
		r := rand.New(rand.NewPCG(seeds[0], uint64(i)))
		d := p[i][0] - 0.3 - 0.2*p[1-i][0]
		return 1 - d*d + r.NormFloat64() + 0.05*r.NormFloat64()*p[i][0], nil
	}
	eq, err := Respond(context.Background(), []Player{pl("A"), pl("B")}, pay,
		RespondConfig{Search: Config{Seed: 5, Budget: 300}, Rounds: 8})
	require.NoError(t, err)
	assert.Equal(t, "settled", eq.Status, "%+v", eq.Rounds)
	for i := range eq.Profile {
		assert.InDelta(t, 0.375, eq.Profile[i][0], 0.05, "player %d", i)
	}
}
