package sim

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPersonalFlows: transfers and fund purchases start on their launch
// days, only on the platforms that have them, at the shared rate per
// card-bound user, and move money without creating or losing any (the
// test scenario checks the ledger every day).
func TestPersonalFlows(t *testing.T) {
	const days, users, launch = 40, 4000, 10
	s := testScenario(users, days, 5)
	s.Events = nil // no season: the rate is per_day itself
	s.Transfers.PerDay, s.Funds.PerDay = 0.3, 0.05
	wechat, alipay := &s.Platforms[0], &s.Platforms[1]
	wechat.Transfers, wechat.TransfersFrom = true, launch
	alipay.Fund, alipay.FundFrom = true, launch
	r, err := Run(context.Background(), s, nil)
	require.NoError(t, err)
	var boundDays, transfers, fundDays float64
	for d, dm := range r.History {
		for p, m := range dm.Platforms {
			if d < launch || p != 0 {
				assert.Zero(t, m.Transfers, "day %d platform %d: no transfers before the launch or where none launched", d, p)
			}
			if d < launch || p != 1 {
				assert.Zero(t, m.FundFen, "day %d platform %d: no fund purchases before the launch or where none launched", d, p)
			}
		}
		if d >= launch && d+1 < len(r.History) {
			// A day's senders are the card-bound users at the start of the
			// day: yesterday's count.
			prev := r.History[d-1].Platforms
			boundDays += float64(prev[0].CardBound)
			transfers += float64(dm.Platforms[0].Transfers)
			if dm.Platforms[1].FundFen > 0 {
				fundDays++
			}
		}
	}
	// Transfers are Poisson at 0.3 a card-bound user-day: over ~50k bound user-days the count's relative
	// SD is 1/√(0.3·50k) ≈ 0.8%; users who bind during the day add up to
	// a few percent more. 10% covers both.
	require.Positive(t, boundDays)
	assert.InEpsilon(t, 0.3, transfers/boundDays, 0.1, "transfers per card-bound user-day")
	assert.Equal(t, float64(days-launch-1), fundDays, "alipay's fund sells every day after its launch")
}

// TestEnvelopeLaunch: a platform's peer envelopes start on its launch day
// (WeChat's on 26 Jan 2014), whatever the festival before it asks for.
func TestEnvelopeLaunch(t *testing.T) {
	const launch = 12 // after the test scenario's festival (days 3 to 9)
	s := testScenario(3000, 40, 2)
	s.Platforms[0].EnvelopesFrom = launch
	require.True(t, s.Platforms[0].Envelopes)
	r, err := Run(context.Background(), s, nil)
	require.NoError(t, err)
	after := int64(0)
	for d, dm := range r.History {
		if d < launch {
			assert.Zero(t, dm.Platforms[0].EnvelopesP2P, "day %d: no envelopes before the launch", d)
		} else {
			after += dm.Platforms[0].EnvelopesP2P
		}
	}
	assert.Positive(t, after, "envelopes after the launch")
}

// TestWalledGarden: merchants of a kind that takes only some wallets never
// accept the others, at set-up or at any review, and still take theirs.
func TestWalledGarden(t *testing.T) {
	s := testScenario(3000, 60, 4)
	k := -1
	for i, m := range s.Merchants {
		if m.Kind == "online" {
			k = i
		}
	}
	require.GreaterOrEqual(t, k, 0, "the test scenario has an online kind")
	s.Merchants[k].Wallets = []string{"alipay"}
	w, err := New(s)
	require.NoError(t, err)
	check := func() (alipay int) {
		for m := 0; m < w.MerchantCount(); m++ {
			kind, acc := w.Merchant(m)
			if kind != "online" {
				continue
			}
			require.Zero(t, acc&^(1<<1), "day %d: merchant %d accepts a wallet outside the garden", w.Day(), m)
			if acc&(1<<1) != 0 {
				alipay++
			}
		}
		return alipay
	}
	check()
	for !w.Done() {
		require.NoError(t, w.Step())
		check()
	}
	assert.Positive(t, check(), "online merchants still take alipay")
}

// TestFundHolders: a share fund_holders of users hold a platform's fund,
// the same users every day, and only holders buy into it.
func TestFundHolders(t *testing.T) {
	s := testScenario(20000, 1, 3)
	s.Platforms[1].FundHolders = 0.3
	w, err := New(s)
	require.NoError(t, err)
	n := 0
	for u := 0; u < 20000; u++ {
		if w.holdsFund(u, 1) {
			n++
		}
		require.Equal(t, w.holdsFund(u, 1), w.holdsFund(u, 1), "a fixed draw")
		require.True(t, w.holdsFund(u, 0), "fund_holders 1 (the default): everyone")
	}
	// Binomial(20000, 0.3): sd 65 holders, 0.0032 of the share; 4 sd.
	assert.InDelta(t, 0.3, float64(n)/20000, 0.013)
}
