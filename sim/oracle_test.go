package sim

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// bassScenario is one platform under uniform mixing where hearing of it is
// adopting it (registration and card binding the same day), no payments,
// no envelopes, no dormancy: the assumptions of Bass (1969).
func bassScenario(users int, p, q float64, days int) *scenarios.Scenario {
	var s scenarios.Scenario
	s.SetDefaults()
	s.World.Users, s.World.Days = users, days
	s.Graph.Kind = "uniform"
	s.Users.PaymentsPerDay = scenarios.Dist{Kind: "const", Mean: 0}
	s.Users.SocialSensitivity = scenarios.Dist{Kind: "const", Mean: 1}
	s.Adoption = scenarios.Adoption{MaxRate: 1, Intercept: 40}
	s.Retention.DormancyRate = 0
	var m scenarios.MerchantKind
	m.SetDefaults()
	m.Kind = "shop"
	s.Merchants = []scenarios.MerchantKind{m}
	var pl scenarios.Platform
	pl.SetDefaults()
	pl.Name, pl.ReachStrong, pl.ReachWeak, pl.Advertising, pl.WordOfMouth = "solo", 1, 1, p, q
	s.Platforms = []scenarios.Platform{pl}
	return &s
}

// bassF is the Bass cumulative adoption F(t) = (1 − e^−(p+q)t)/(1 + (q/p)e^−(p+q)t).
func bassF(p, q, t float64) float64 {
	e := math.Exp(-(p + q) * t)
	return (1 - e) / (1 + q/p*e)
}

// TestBassCurve is docs/brief.md's first check: with uniform mixing and one
// platform, adoption follows the Bass curve within one percentage point at
// 200,000 users. Rates are per day and a day is one step, so the step is
// small against the diffusion's time scale 1/(p+q) ≈ 47 days; sampling
// noise is √(F(1−F)/N) ≤ 0.0011.
func TestBassCurve(t *testing.T) {
	const (
		users = 200_000
		p     = 0.0015 // Sultan–Farley–Lehmann's typical 0.03 and 0.38 per unit, with 20 days a unit
		q     = 0.019
		days  = 400
		tol   = 0.01
	)
	r, err := Run(context.Background(), bassScenario(users, p, q, days), nil)
	require.NoError(t, err)
	worst := 0.0
	for _, dm := range r.History {
		got := float64(dm.Platforms[0].CardBound) / users
		want := bassF(p, q, float64(dm.Day+1)) // day d ends d+1 days after the start
		worst = math.Max(worst, math.Abs(got-want))
	}
	t.Logf("largest |F_sim − F_Bass| = %.4f", worst)
	assert.Less(t, worst, tol)
}

// duopoly is two identical platforms under uniform mixing; friends is the
// weight of friends on a platform in adoption, the strength of the network
// effect, and intercept the pull of a platform on its own; users hold one wallet (switching cost) and merchants accept a
// wallet only when enough of their customers hold it.
func duopoly(friends, intercept float64, seed uint64) *scenarios.Scenario {
	var s scenarios.Scenario
	s.SetDefaults()
	s.World.Users, s.World.Days, s.World.Seed = 3000, 700, seed
	s.Graph.Kind = "uniform"
	s.Users.SocialSensitivity = scenarios.Dist{Kind: "const", Mean: 1}
	s.Users.PaymentsPerDay = scenarios.Dist{Kind: "const", Mean: 0.5}
	s.Adoption = scenarios.Adoption{MaxRate: 0.05, Intercept: intercept, Friends: friends, SwitchingCost: 1000, BindOffset: 6}
	var m scenarios.MerchantKind
	m.SetDefaults()
	m.Kind = "shop"
	s.Merchants = []scenarios.MerchantKind{m}
	for _, name := range []string{"a", "b"} {
		var pl scenarios.Platform
		pl.SetDefaults()
		pl.Name, pl.ReachStrong, pl.ReachWeak = name, 1, 1
		pl.Advertising, pl.WordOfMouth = 0, 0
		pl.Initial = scenarios.Installed{Aware: 1, Merchants: 1}
		s.Platforms = append(s.Platforms, pl)
	}
	return &s
}

// TestTipping is docs/brief.md's third check: two identical platforms with
// strong network effects tip (one ends with most of the card-bound users,
// each about half the time over seeds); with weak ones shares stay near
// even.
func TestTipping(t *testing.T) {
	const seeds = 16
	run := func(friends, intercept float64) (shares []float64) {
		for seed := uint64(1); seed <= seeds; seed++ {
			r, err := Run(context.Background(), duopoly(friends, intercept, seed), nil)
			require.NoError(t, err)
			f := r.Platforms
			a, b := float64(f[0].Final.CardBound), float64(f[1].Final.CardBound)
			require.Positive(t, a+b, "seed %d: someone adopts within the horizon", seed)
			shares = append(shares, a/(a+b))
		}
		return shares
	}
	// Strong: adoption on one's own is rare (Λ(−9.5)) and friends pull hard,
	// so the first platform to gather a few adopters races away, as in
	// Arthur's (1989) convex urn. Weak: friends barely matter and adoption
	// on one's own dominates, so the two split like fair coins.
	strong := run(80, -9.5)
	weak := run(0.5, -3)
	t.Logf("strong: %.2f", strong)
	t.Logf("weak:   %.2f", weak)
	aWins, tipped := 0, 0
	for _, s := range strong {
		if math.Max(s, 1-s) >= 0.75 {
			tipped++
		}
		if s > 0.5 {
			aWins++
		}
	}
	// "One ends with most of the market": under fair-coin splitting (the
	// weak case) no run comes near 75% (it would take 14 SDs); here most
	// runs end there, the others being runs where both platforms found
	// early adopters at once (typically 12–15 of 16).
	assert.GreaterOrEqual(t, tipped, 10, "strong network effects tip: %d of %d runs above 75%%", tipped, seeds)
	// Each platform wins about half the time: with 16 fair coins, 2 to 14
	// wins has probability 0.9996.
	assert.True(t, aWins >= 2 && aWins <= 14, "platform a won %d of %d", aWins, seeds)
	for _, s := range weak {
		// Single-homing users split like fair coins: SD √(0.25/n) ≈ 0.01 at
		// n ≈ 2,500 adopters, so 0.45–0.55 is five SDs.
		assert.InDelta(t, 0.5, s, 0.05, "weak network effects stay near even")
	}
}
