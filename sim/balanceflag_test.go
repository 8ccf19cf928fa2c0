package sim

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestBalanceFlagTrue runs worlds whose wallets fill and empty (envelopes
// claimed, referral bonuses, first-payment returns, payments and
// transfers from balances) and checks every day that each slot's
// flagBalance says what its balance says: the payments read balances
// through the flag (World.balanceAt), so a change of a balance that
// bypassed addBalance would make them pay from an empty wallet or ignore
// a full one. It also checks that some wallet held money, or the check
// proves nothing, and that checkLedger catches a flag put out of true.
func TestBalanceFlagTrue(t *testing.T) {
	cases := []struct{ name string }{{"default"}, {"china-2013-2017"}, {"laiwang-push-2013"}, {"one-cent-cashback"}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := scenarios.Load(c.name, []string{"world.users=3000"})
			require.NoError(t, err)
			s.World.Days = min(s.World.Days, 400) // 400 days already fill wallets in each case (held below); china-2013-2017's later years would only add time
			s.World.CheckLedger = true
			w, err := New(s)
			require.NoError(t, err)
			held := 0
			for d := range w.Scenario.World.Days {
				require.NoError(t, w.Step())
				for i, b := range w.balFen {
					if b != 0 {
						held++
					}
					require.Equal(t, b != 0, w.st[i].hasBalance(), "day %d slot %d: balance %d fen", d, i, b)
				}
			}
			require.Positive(t, held, "no wallet ever held money: the check proves nothing")
			// A flag out of true is an error of the ledger's recount.
			for i, b := range w.balFen {
				if b != 0 {
					w.st[i] &^= flagBalance
					break
				}
			}
			require.ErrorContains(t, w.checkLedger(29), "flagBalance")
		})
	}
}
