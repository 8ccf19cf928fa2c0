package sim

import (
	"math"
	"math/bits"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestCashOnlyMatchesRecount: in a world that draws paying days ahead,
// each wallet holder's rate at its wallet merchants (World.walletPay) and
// each partition's sums of the cash-only rates (cashOnlyRate,
// cashOnlyFen) are kept by every card bound and every merchant's change
// of wallets (refreshWalletMerchants); after every day they must equal a
// count from scratch. A stale rate is worse than a wrong number: a user
// with a rate and no wallet merchant would draw its payments again for
// ever (partition.redraw). The worlds: default (cards bound by trials and
// by claimed envelopes, merchants taking up and dropping wallets) and the
// NetLogo-scale study's (50 merchants, so a user's usual merchants repeat
// one another). It fails when a merchant met twice in a customer list is
// refreshed twice (checked: the sums drift at the first such change).
func TestCashOnlyMatchesRecount(t *testing.T) {
	defer func(n int) { payAheadMinUsers = n }(payAheadMinUsers)
	payAheadMinUsers = 0
	cases := []struct {
		name string
		load func() (*scenarios.Scenario, error)
	}{
		{"default", func() (*scenarios.Scenario, error) {
			return scenarios.Load("default", []string{"world.users=6000", "world.days=120", "world.partitions=3"})
		}},
		{"netlogo", func() (*scenarios.Scenario, error) {
			return scenarios.Load(filepath.Join("sweep", "examples", "netlogo-scenario.toml"), []string{"world.partitions=2"})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := c.load()
			require.NoError(t, err)
			w, err := New(s)
			require.NoError(t, err)
			require.True(t, w.payAhead)
			accept0, bound0 := append([]uint8(nil), w.accept...), 0
			for _, b := range w.bmask {
				bound0 += bits.OnesCount8(b)
			}
			for d := range s.World.Days {
				require.NoError(t, w.Step())
				checkCashOnly(t, w, d)
			}
			flips, bound := 0, 0
			for m, a := range w.accept {
				flips += bits.OnesCount8(a ^ accept0[m])
			}
			for _, b := range w.bmask {
				bound += bits.OnesCount8(b)
			}
			require.Positive(t, flips, "no merchant changed its wallets: the refresh of customers went untested")
			require.Greater(t, bound, bound0, "no card was bound: the refresh of a binder went untested")
		})
	}
}

// checkCashOnly compares w's wallet rates and cash-only sums with a count
// from scratch after day d.
func checkCashOnly(t *testing.T, w *World, d int) {
	t.Helper()
	nU := w.nUsual
	for _, pt := range w.parts {
		rate := make([]float64, len(pt.cashOnlyRate))
		fen := make([]float64, len(pt.cashOnlyFen))
		for u := pt.lo; u < pt.hi; u++ {
			b := w.bmask[u]
			if b == 0 {
				continue
			}
			a := 0
			for _, m := range w.usual[u*nU : (u+1)*nU] {
				if b&w.accept[m] != 0 {
					a++
					continue
				}
				k := int(w.mKind[m])
				share := float64(w.payRate[u]) / float64(nU)
				rate[k] += share
				fen[k] += share * float64(w.cashTicket(u, k))
			}
			want := float64(w.payRate[u]) * float64(a) / float64(nU)
			require.Equal(t, float32(want), w.walletPay[u].rate, "day %d, user %d: rate at its %d wallet merchants", d, u, a)
			require.Equal(t, float32(math.Exp(-want)), w.walletPay[u].expNeg, "day %d, user %d: e^(-rate)", d, u)
		}
		for k := range rate {
			require.InDelta(t, rate[k], pt.cashOnlyRate[k], 1e-9*(1+rate[k]), "day %d, partition %d, kind %d: cash-only rate", d, pt.id, k)
			require.InDelta(t, fen[k], pt.cashOnlyFen[k], 1e-9*(1+fen[k]), "day %d, partition %d, kind %d: cash-only fen", d, pt.id, k)
		}
	}
}

// TestRunFromCoversEachPartitionOnce: the runs refreshFlips takes
// (runFrom) start at partition 0, each starts where the one before it
// ends, and the last ends at P, so every partition's customers are
// refreshed by exactly one run, whatever the partitions and workers.
func TestRunFromCoversEachPartitionOnce(t *testing.T) {
	for _, P := range []int{1, 2, 3, 7, 9, 122, 256} {
		for runs := 1; runs <= min(P, 9); runs++ {
			next, starts := 0, 0
			for i := range P {
				end, first := runFrom(i, P, runs)
				if !first {
					continue
				}
				require.Equal(t, next, i, "P %d, runs %d: a run starts at %d, not where the last ended", P, runs, i)
				require.Greater(t, end, i, "P %d, runs %d: an empty run at %d", P, runs, i)
				next = end
				starts++
			}
			require.Equal(t, P, next, "P %d, runs %d: the runs end at %d", P, runs, next)
			require.Equal(t, runs, starts, "P %d, runs %d", P, runs)
		}
	}
}
