package agents

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/paywars/hongbao/scenarios"
)

// tol is the tolerance of rules computed in floating point against values
// worked by hand: far below any difference a run could show.
const tol = 1e-12

func TestFirstPaymentReturn(t *testing.T) {
	for _, tc := range []struct {
		name        string
		pct         float64
		max, ticket int64
		want        int64
	}{
		{"no campaign", 0, 0, 3000, 0},
		{"the whole ticket back (1 cent to cash)", 100, 0, 3000, 3000},
		{"half, rounded to the fen", 50, 0, 3001, 1501},
		{"at most max", 100, 500, 3000, 500},
		{"a max above the return does nothing", 10, 500, 3000, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FirstPaymentReturn(tc.pct, tc.max, tc.ticket))
		})
	}
}

func TestFailureOdds(t *testing.T) {
	for _, tc := range []struct {
		name               string
		capacity, forecast float64
		want               float64
	}{
		{"within capacity", 1000, 800, 0},
		{"at capacity", 1000, 1000, 0},
		{"twice capacity: half fail", 1000, 2000, 0.5},
		{"no forecast", 1000, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, CapacityFailure(tc.capacity, tc.forecast), tol)
		})
	}
	for _, tc := range []struct{ a, b, want float64 }{
		{0, 0, 0}, {0.5, 0, 0.5}, {0, 0.6, 0.6}, {0.5, 0.6, 0.8}, {1, 0.3, 1},
	} {
		assert.InDelta(t, tc.want, CombineFailures(tc.a, tc.b), tol, "a=%v b=%v", tc.a, tc.b)
		assert.InDelta(t, CombineFailures(tc.b, tc.a), CombineFailures(tc.a, tc.b), tol, "independent causes commute")
	}
}

func TestInducedShare(t *testing.T) {
	for _, tc := range []struct{ share, sat, want float64 }{
		{0.2, 0, 0.2},          // no saturation: the share itself
		{0.2, 0.2, 0.1},        // at the saturation level: half
		{10, 0.5, 10 / 21.0},   // a huge subsidy levels off just below the saturation
		{0.01, 1, 0.01 / 1.01}, // small subsidies pass almost whole
	} {
		assert.InDelta(t, tc.want, InducedShare(tc.share, tc.sat), tol, "share %v saturation %v", tc.share, tc.sat)
	}
}

func TestInviteAccepted(t *testing.T) {
	for _, tc := range []struct {
		accept, u float64
		want      bool
	}{{0.3, 0.29, true}, {0.3, 0.3, false}, {0, 0, false}, {1, 0.999, true}} {
		assert.Equal(t, tc.want, InviteAccepted(tc.accept, tc.u), "accept %v u %v", tc.accept, tc.u)
	}
}

func TestClaimByRegisteringProbability(t *testing.T) {
	assert.InDelta(t, 0.3, ClaimByRegisteringProbability(0.2, 1.5), tol)
	assert.Equal(t, 1.0, ClaimByRegisteringProbability(0.8, 2), "capped at 1")
}

func TestGoesDormant(t *testing.T) {
	for _, tc := range []struct {
		name          string
		balance       int64
		idle, after   int
		friends       float64
		wantGoDormant bool
	}{
		{"idle, alone, empty wallet", 0, 30, 30, 0, true},
		{"money in the wallet keeps it", 1, 30, 30, 0, false},
		{"not idle long enough", 0, 29, 30, 0, false},
		{"a friend on the platform keeps it", 0, 60, 30, 1, false},
		{"under one expected friend (uniform mixing) does not", 0, 60, 30, 0.4, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.wantGoDormant, GoesDormant(tc.balance, tc.idle, tc.after, tc.friends))
		})
	}
}

func TestHabitAndTrust(t *testing.T) {
	for _, tc := range []struct {
		h     float64
		days  int
		decay float64
		want  float64
	}{{0.8, 0, 0.1, 0.8}, {0.8, 1, 0.1, 0.72}, {0.8, 2, 0.5, 0.2}, {0, 5, 0.1, 0}, {1, 10, 0, 1}} {
		assert.InDelta(t, tc.want, DecayHabit(tc.h, tc.days, tc.decay), tol, "habit %v after %d days", tc.h, tc.days)
		assert.InDelta(t, tc.want, RecoverTrust(tc.h, tc.days, tc.decay), tol, "deficit %v after %d days", tc.h, tc.days)
	}
	// The engine's table is DecayHabit(1, n, decay): bit for bit the power
	// it used to compute itself.
	for n := range 400 {
		assert.Equal(t, math.Pow(1-0.03, float64(n)), DecayHabit(1, n, 0.03), "n = %d", n)
	}
	assert.InDelta(t, 0.55, ReinforceHabit(0.5, 0.1), tol)
	assert.InDelta(t, 1, ReinforceHabit(1, 0.3), tol, "habit never passes 1")
	assert.InDelta(t, 0.5, LoseTrust(0.2, 0.3), tol)
	assert.Equal(t, 1.0, LoseTrust(0.9, 0.3), "capped at 1")
}

func TestMerchantDropsWallet(t *testing.T) {
	assert.True(t, MerchantDropsWallet(30, 30))
	assert.False(t, MerchantDropsWallet(29, 30))
}

func TestOfferCashback(t *testing.T) {
	for _, tc := range []struct {
		name     string
		o        Offer
		ticket   int64
		uniform  float64
		want     int64
		expected int64
	}{
		{"fixed", Offer{CashbackFen: 300}, 2000, 0.7, 300, 300},
		{"never above the ticket", Offer{CashbackFen: 3000}, 2000, 0, 2000, 2000},
		{"a range: the draw picks, the mean is the middle", Offer{CashbackFen: 1200, CashbackMaxFen: 2000}, 5000, 0.5, 1600, 1600},
		{"range bottom", Offer{CashbackFen: 1200, CashbackMaxFen: 2000}, 5000, 0, 1200, 1600},
		{"range top", Offer{CashbackFen: 1200, CashbackMaxFen: 2000}, 5000, 0.9999, 2000, 1600},
		{"percent, capped", Offer{CashbackPct: 10, CashbackCapFen: 150}, 2000, 0, 150, 150},
		{"percent plus fixed", Offer{CashbackFen: 100, CashbackPct: 5}, 2000, 0, 200, 200},
		{"nothing", Offer{}, 2000, 0, 0, 0},
		// 5% of 20.10 yuan is 100.5 fen: both round it to 101, as every
		// float amount becomes fen (scenarios.RoundFen).
		{"percent rounds the same way in both", Offer{CashbackPct: 5}, 2010, 0, 101, 101},
		{"an odd range's middle rounds up", Offer{CashbackFen: 100, CashbackMaxFen: 201}, 5000, 0.5, 151, 151},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.o.Cashback(tc.ticket, tc.uniform))
			assert.Equal(t, tc.expected, tc.o.ExpectedCashback(tc.ticket))
			assert.Equal(t, tc.want > 0 || tc.o.CashbackMaxFen > 0, tc.o.PaysCashback())
			// RandomCashback says when the uniform matters: the engine
			// draws none otherwise.
			lo, hi := tc.o.Cashback(tc.ticket, 0), tc.o.Cashback(tc.ticket, 0.9999)
			assert.Equal(t, lo != hi, tc.o.RandomCashback(), "the draw moves the cashback")
		})
	}
}

// TestPercentFen: the inlined rounding of a percent of a ticket is the one
// rounding rule, scenarios.RoundFen, on every non-negative amount.
func TestPercentFen(t *testing.T) {
	for _, pct := range []float64{0, 0.5, 1, 2.5, 5, 10, 33.3, 100} {
		for ticket := int64(0); ticket < 20000; ticket += 7 {
			assert.Equal(t, scenarios.RoundFen(pct/100*float64(ticket)), percentFen(pct, ticket), "%v%% of %d", pct, ticket)
		}
	}
}

func TestAwarenessHazard(t *testing.T) {
	for _, tc := range []struct {
		name                         string
		p, q, on, contacts, reach, w float64
	}{
		{"advertising alone", 0.01, 0, 5, 10, 1, 0.01},
		{"word of mouth over the ties carried", 0.01, 0.4, 3, 12, 1, 0.01 + 0.4*0.25},
		{"no ties carried: advertising only", 0.01, 0.4, 0, 0, 1, 0.01},
		{"uniform mixing: the population times the average reach", 0, 0.5, 200, 1000, 0.6, 0.5 * 0.2 * 0.6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.w, AwarenessHazard(tc.p, tc.q, tc.on, tc.contacts, tc.reach), tol)
		})
	}
}

func TestExpectedWeeklyPayments(t *testing.T) {
	// 40 bound customers paying 1.5 a day over 4 usual merchants, of which
	// the wallet takes half: 40 · 1.5 · 7 / 4 · 0.5 = 52.5.
	assert.InDelta(t, 52.5, ExpectedWeeklyPayments(40, 1.5, 4, 0.5), tol)
	assert.Zero(t, ExpectedWeeklyPayments(0, 1.5, 4, 0.5), "no bound customers, no payments")
}

// TestAdoptionCeiling: the ceiling is at least the index for every value
// of the inputs it leaves out (share, balance, deficit), under the
// library's weights and under weights of the other sign, and it equals
// the index at the inputs that raise it most.
func TestAdoptionCeiling(t *testing.T) {
	lib := AdoptionWeights{Intercept: -8.4, Friends: 0.87, Subsidy: 1.38, Merchants: 1.5, Services: 3.8, Balance: 2.8, SwitchingCost: 0.5, Trust: 2}
	neg := AdoptionWeights{Intercept: -2, Friends: 0.5, Subsidy: 1, Merchants: -1.5, Services: 1, Balance: -2.8, SwitchingCost: 0.5, Trust: -2}
	for _, w := range []AdoptionWeights{lib, neg} {
		for _, friends := range []float64{0, 1, 7, 300, 2.5} {
			base := AdoptionInput{SocialSensitivity: 1.3, PriceSensitivity: 0.7, Friends: friends, SubsidyYuan: 0.4, Services: 0.6, OtherWallets: 1}
			ceil := AdoptionCeiling(&w, AdoptionCeilingBase(&w, base.Services), &base)
			most := base
			for _, share := range []float64{0, 0.4, 1} {
				for _, bal := range []bool{false, true} {
					for _, def := range []float64{0, 0.3, 1} {
						in := base
						in.MerchantShare, in.HasBalance, in.TrustDeficit = share, bal, def
						u := AdoptionUtility(w, in)
						assert.LessOrEqual(t, u, ceil+tol, "w %+v, in %+v", w, in)
						if u > AdoptionUtility(w, most) {
							most = in
						}
					}
				}
			}
			assert.InDelta(t, AdoptionUtility(w, most), ceil, tol, "w %+v: the ceiling is reached", w)
		}
	}
}
