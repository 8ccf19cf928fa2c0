package sim

import (
	"bytes"
	"context"
	"math"
	"runtime"
	"testing"

	"github.com/paywars/hongbao/scenarios"

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

// TestTraditionOnTheEve: with envelopes.tradition t, the eve's extra
// envelopes (its multiple m of the everyday rate, less 1) are sent by
// every card-bound sender at the naive rate per_day/(1+g), whatever it
// has received (agents.SeasonKeep), so senders whom a month of everyday
// envelopes has taught send e + per_day·(m−1)/(1+g) on the eve, where e
// is their everyday rate, instead of m·e.
func TestTraditionOnTheEve(t *testing.T) {
	const perDay, gain, eveMul, eve = 0.3, 9.0, 20.0, 40
	run := func(tradition float64) (everyday, onEve float64) {
		s := testScenario(3000, eve+2, 8)
		s.Graph.Kind = "uniform" // everyone has someone to send to: every card-bound slot sends
		var sf scenarios.Event
		sf.SetDefaults()
		sf.Kind, sf.Day, sf.Days, sf.Envelopes, sf.EveEnvelopes, sf.Spending = "spring_festival", eve, 1, 1, eveMul, 1
		s.Events = []scenarios.Event{sf}
		s.Envelopes.PerDay, s.Envelopes.Reciprocity, s.Envelopes.Reply, s.Envelopes.Tradition = perDay, gain, 0, tradition
		r, err := Run(context.Background(), s, nil)
		require.NoError(t, err)
		per := func(d int) float64 { // envelopes a card-bound user of the day before, on wechat, the one wallet with envelopes
			for q := 1; q < len(r.History[d].Platforms); q++ {
				require.Zero(t, r.History[d].Platforms[q].EnvelopesP2P, "only wechat carries envelopes")
			}
			return float64(r.History[d].Platforms[0].EnvelopesP2P) / float64(r.History[d-1].Platforms[0].CardBound)
		}
		return (per(eve-3) + per(eve-2) + per(eve-1)) / 3, per(eve)
	}
	for _, tc := range []struct {
		name      string
		tradition float64
	}{
		{"every envelope learnt", 0},
		{"half tradition", 0.5},
		{"all tradition", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, got := run(tc.tradition)
			// Senders send e = per_day·keep a day, keep their mean
			// EnvelopeKeep; the eve at t: (1−t)·m·e + t·(e +
			// per_day·(m−1)/(1+g)). Under uniform mixing every card-bound
			// user has someone to send to, and by the eve nearly all 3,000
			// are card-bound: the three everyday days hold about 2,000
			// envelopes (relative sd 2.2%) and the eve 2,400 to 13,000 (2%
			// or less), so 15% is over 4 sd of their ratio.
			want := (1-tc.tradition)*eveMul*e + tc.tradition*(e+perDay*(eveMul-1)/(1+gain))
			t.Logf("tradition %.1f: everyday %.3f a card-bound user, eve %.3f (expected %.3f)", tc.tradition, e, got, want)
			assert.InEpsilon(t, want, got, 0.15, "the eve's envelopes a card-bound user")
		})
	}
}

// TestRepliesCascadeOnceADay: with envelopes.reply a claimed peer envelope
// is answered the same day, so a day's envelopes are a cascade that grows
// far beyond the senders' own rate; each card-bound user answers at most
// once a day on a platform, so the cascade stays under the day's own sends
// plus one per card-bound slot; money is conserved (the ledger check runs
// every step) and the run is byte-identical whatever GOMAXPROCS and the
// number of partitions; without replies the rate is the senders' own.
func TestRepliesCascadeOnceADay(t *testing.T) {
	const perDay = 0.02
	mk := func(reply float64) *scenarios.Scenario {
		s := testScenario(3000, 40, 4)
		s.Events = nil // no festival: one daily mean throughout
		s.Envelopes.PerDay, s.Envelopes.Reciprocity, s.Envelopes.Reply = perDay, 0, reply
		return s
	}
	// sends: the day's envelopes over every platform, and own: the mean
	// of the senders' own (user-phase) envelopes, perDay a card-bound slot
	// at the start of the day (the day before's count), an upper bound:
	// a slot with no friend on the platform sends nothing.
	ratios := func(r *Result) (mean float64, worst float64) {
		n := 0
		for d := 1; d < len(r.History); d++ {
			sends, bound, boundEnd := 0.0, 0.0, 0.0
			for q := range r.History[d].Platforms {
				sends += float64(r.History[d].Platforms[q].EnvelopesP2P)
				bound += float64(r.History[d-1].Platforms[q].CardBound)
				boundEnd += float64(r.History[d].Platforms[q].CardBound)
			}
			own := perDay * bound
			if own < 20 {
				continue // too few senders for a ratio
			}
			// The cap: own sends (Poisson, mean own: 6 sd above it) plus
			// one reply per slot card-bound by the day's end.
			capped := own + 6*math.Sqrt(own) + boundEnd
			worst = max(worst, sends/capped)
			mean += sends / own
			n++
		}
		require.Positive(t, n, "some days have senders")
		return mean / float64(n), worst
	}
	r0, err := Run(context.Background(), mk(0), nil)
	require.NoError(t, err)
	r1, err := Run(context.Background(), mk(1), nil)
	require.NoError(t, err)
	assert.True(t, r1.MoneyConserved)
	m0, w0 := ratios(r0)
	m1, w1 := ratios(r1)
	t.Logf("envelopes over the senders' own rate: reply 0 %.2f, reply 1 %.2f; most of the cap used %.2f / %.2f", m0, m1, w0, w1)
	// Without replies the mean ratio is at most 1 (slots without friends
	// on a platform send nothing); 40 days of 20 or more own envelopes give
	// a relative sd under 1/√800 ≈ 4% on the mean: 1.2 is 5 sd above 1.
	assert.Less(t, m0, 1.2, "no replies: the senders' own rate")
	// With reply 1 every card-bound claimant answers: a group envelope of
	// the test world is grabbed by several friends, so the cascade is
	// supercritical wherever card-bound friends are many.
	assert.Greater(t, m1, 3.0, "replies cascade")
	assert.LessOrEqual(t, w1, 1.0, "at most one reply a slot a day")

	s := mk(0.5)
	s.World.Partitions = 7
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	runtime.GOMAXPROCS(1)
	a := outputBytes(t, s)
	runtime.GOMAXPROCS(4)
	s2 := mk(0.5)
	s2.World.Partitions = 7
	b := outputBytes(t, s2)
	assert.True(t, bytes.Equal(a, b), "replies give the same bytes whatever GOMAXPROCS")
}

// TestSendersFrom: with platforms.X.senders_from, a card bound before that
// day never sends X's peer envelopes, neither of its own accord nor as a
// reply, while it still claims them; cards bound on or after it send. A
// world whose only card-bound users are the installed base (no adoption)
// sends none at all; with adoption on, every envelope comes from a card
// bound during the run; without the key the installed base sends (the
// key's default leaves outputs as they were: the library's golden).
func TestSendersFrom(t *testing.T) {
	mk := func(from int, adopt bool) *scenarios.Scenario {
		s := testScenario(3000, 30, 4)
		s.Envelopes.PerDay, s.Envelopes.Reply = 0.3, 0.5
		for p := range s.Platforms {
			s.Platforms[p].SendersFrom = from
		}
		if !adopt { // no adoption trial, no binding to withdraw, no campaign: the installed base is all
			s.Adoption.MaxRate, s.Envelopes.BindToWithdraw = 0, 0
			for p := range s.Platforms {
				s.Platforms[p].Campaigns = nil
			}
		}
		return s
	}
	sent := func(s *scenarios.Scenario) (sends, claimed, newBound int64) {
		r, err := Run(context.Background(), s, nil)
		require.NoError(t, err)
		require.True(t, r.MoneyConserved)
		for _, dm := range r.History {
			for _, p := range dm.Platforms {
				sends += p.EnvelopesP2P
				claimed += p.EnvelopesClaimed
				newBound += p.NewCardBound
			}
		}
		return sends, claimed, newBound
	}
	base, _, nb := sent(mk(0, false))
	require.Zero(t, nb, "no adoption: no card is bound during the run")
	require.Positive(t, base, "the installed base sends without senders_from")
	none, _, _ := sent(mk(1, false))
	assert.Zero(t, none, "the installed base (bound on day 0) never sends with senders_from 1")

	// With adoption, only cards bound from day 1 send: fewer than the
	// whole base would, and some.
	s := mk(1, true)
	w, err := New(s)
	require.NoError(t, err)
	for !w.Done() {
		w.Step()
		for u := range w.N {
			for p := range w.K {
				if w.bmask[u]&(1<<p) != 0 && w.envelopeMask&(1<<p) != 0 {
					got := w.envelopeSenders(u, 1<<p) != 0
					assert.Equal(t, w.tr[u*w.K+p].since >= 1, got, "user %d platform %d", u, p)
				}
			}
		}
	}
	newSends, _, _ := sent(mk(1, true))
	allSends, _, _ := sent(mk(0, true))
	t.Logf("envelopes sent: base alone %d; with senders_from 1, base alone %d; with adoption %d (from 1) against %d (every card)", base, none, newSends, allSends)
	assert.Positive(t, newSends, "cards bound during the run send")
	assert.Less(t, newSends, allSends, "fewer senders, fewer envelopes")
}
