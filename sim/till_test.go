package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// TestTillDailyCaps: a user's cashback on one day stops at its campaign's
// daily count or cap, whether the amount is fixed (paid as walletUtility
// weighed it) or random, and the next user starts afresh; without caps
// every wallet payment earns it. The till counts a platform's cashback
// only on days its offers have a cap (platform.dailyCaps), so a lost count
// shows here as cashback beyond the cap.
func TestTillDailyCaps(t *testing.T) {
	cases := []struct {
		name                       string
		cashback, cashbackMax, cap int64 // fen
		count                      int
		lo, hi                     int64 // a user's cashback of the day with six wallet payments or more
	}{
		{name: "fixed, no cap", cashback: 100, lo: 501, hi: 1 << 40},
		{name: "fixed, daily count", cashback: 100, count: 3, lo: 300, hi: 300},
		{name: "fixed, daily cap", cashback: 100, cap: 250, lo: 250, hi: 250},
		{name: "random, daily cap", cashback: 100, cashbackMax: 300, cap: 500, lo: 500, hi: 500},
		{name: "random, daily count", cashback: 100, cashbackMax: 300, count: 2, lo: 200, hi: 600},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := testScenario(2000, 5, 1)
			s.Events = nil
			wechat := &s.Platforms[0]
			wechat.Strategy.Kind = "fixed"
			wechat.Initial.Aware, wechat.Initial.Registered, wechat.Initial.CardBound, wechat.Initial.Merchants = 1, 1, 1, 1
			var c scenarios.Campaign
			c.SetDefaults()
			c.Name, c.Start, c.End = "caps", 0, 4
			c.Cashback, c.CashbackMax, c.DailyCap, c.DailyCount = scenarios.Yuan(tc.cashback), scenarios.Yuan(tc.cashbackMax), scenarios.Yuan(tc.cap), tc.count
			wechat.Campaigns = []scenarios.Campaign{c}
			w, err := New(s)
			require.NoError(t, err)
			w.beginDay(0)
			require.Equal(t, tc.cap > 0 || tc.count > 0, w.plat[0].dailyCaps)
			paid := 0
			for u := 0; u < w.N && paid < 3; u++ {
				if w.bmask[u]&1 == 0 {
					continue
				}
				pt := w.parts[w.partOf(int32(u))]
				pt.allowance[0] = 1 << 40
				pt.c.settleKinds(w.K) // the attempts, from the tallies by kind
				attempts := pt.c.day[0].attempts
				pt.payments(u, 0, 300, 1, w.workers[0]) // as if wechat were its only wallet
				pt.c.settleKinds(w.K)
				// The cashback paid is what the payments took of the allowance
				// (spentAllowance).
				got, n := 1<<40-pt.allowance[0], pt.c.day[0].attempts-attempts
				if n < 6 {
					continue // too few wallet payments to reach every cap
				}
				paid++
				assert.GreaterOrEqual(t, got, tc.lo, "user %d, %d wallet payments", u, n)
				assert.LessOrEqual(t, got, tc.hi, "user %d, %d wallet payments", u, n)
			}
			require.Equal(t, 3, paid, "three users with enough wallet payments")
		})
	}
}

// TestFixedCashback: an offer fixedCashback calls fixed pays min(amount,
// ticket) on every ticket, as ExpectedCashback weighs and Cashback pays
// it; any offer whose cashback depends on more is not fixed.
func TestFixedCashback(t *testing.T) {
	cases := []struct {
		name  string
		offer agents.Offer
		want  int64 // −1: not fixed
	}{
		{"none", agents.Offer{}, 0},
		{"merchant bonus only", agents.Offer{MerchantBonusFen: 50}, 0},
		{"fixed", agents.Offer{CashbackFen: 400}, 400},
		{"fixed under a cap", agents.Offer{CashbackFen: 400, CashbackCapFen: 150}, 150},
		{"fixed over a cap", agents.Offer{CashbackFen: 100, CashbackCapFen: 150}, 100},
		{"a range", agents.Offer{CashbackFen: 100, CashbackMaxFen: 300}, -1},
		{"a range from 0", agents.Offer{CashbackMaxFen: 300}, -1},
		{"no range", agents.Offer{CashbackFen: 300, CashbackMaxFen: 300}, 300},
		{"a percent", agents.Offer{CashbackFen: 100, CashbackPct: 2}, -1},
		{"a daily count", agents.Offer{CashbackFen: 100, DailyCount: 1}, -1},
		{"a daily cap", agents.Offer{CashbackFen: 100, DailyCapFen: 500}, -1},
		{"negative", agents.Offer{CashbackFen: -5}, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.offer
			got := fixedCashback(&o)
			require.Equal(t, tc.want, got)
			if got < 0 {
				return
			}
			for _, ticket := range []int64{1, 2, 99, 100, 149, 150, 151, 399, 400, 401, 1 << 20} {
				want := min(got, ticket)
				if !o.PaysCashback() {
					want = 0
				}
				assert.Equal(t, want, o.ExpectedCashback(ticket), "ticket %d", ticket)
				for _, x := range []float64{0, 0.5, 0.999} {
					assert.Equal(t, want, o.Cashback(ticket, x), "ticket %d, uniform %v", ticket, x)
				}
			}
		})
	}
}
