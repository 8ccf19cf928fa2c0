package sim

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReciprocityGrowsEnvelopesPerSender: with envelopes.reciprocity a
// sender's envelopes rise with those it has received (agents.EnvelopeKeep),
// so envelopes per card-bound user grow over a run in which envelopes
// circulate; without it they stay flat (every sender has the same daily
// mean, whatever it received).
func TestReciprocityGrowsEnvelopesPerSender(t *testing.T) {
	perSender := func(g float64) (early, late float64) {
		s := testScenario(3000, 50, 4)
		s.Events = nil // no festival: one daily mean throughout
		s.Envelopes.PerDay, s.Envelopes.Reciprocity = 0.3, g
		r, err := Run(context.Background(), s, nil)
		require.NoError(t, err)
		rate := func(from, to int) float64 {
			n, b := 0.0, 0.0
			for _, dm := range r.History[from : to+1] {
				n += float64(dm.Platforms[0].EnvelopesP2P)
				b += float64(dm.Platforms[0].CardBound)
			}
			return n / b
		}
		return rate(0, 2), rate(40, 49)
	}
	e0, l0 := perSender(0)
	e9, l9 := perSender(9)
	t.Logf("envelopes per card-bound user a day: without reciprocity %.3f -> %.3f, with gain 9 %.3f -> %.3f", e0, l0, e9, l9)
	// Without reciprocity the mean is 0.3 a day (less the pairs with no
	// friend on the platform) at both ends; the early window has about
	// 3·150 card-bound senders, so about 135 envelopes and a relative sd
	// near 1/√135 ≈ 9%: ±30% is over 3 sd.
	assert.InDelta(t, 1, l0/e0, 0.3, "flat without reciprocity")
	// With gain 9 a sender who has received nothing sends a tenth; one who
	// has received ReciprocityHalf envelopes 0.55 of the full rate.
	assert.Less(t, e9, 0.2*e0, "a naive sender sends about a tenth")
	assert.Greater(t, l9, 3*e9, "senders send more once they have received")
}
