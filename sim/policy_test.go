package sim

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// TestExternalDecisions: levers set through a platform's External policy
// from another goroutine, while the world steps, reach the next day
// planned: a cashback set outright is what every kind pays, a fee rate
// set is the day's. Run it with -race: External is the one part of a
// World that may be touched while it steps.
func TestExternalDecisions(t *testing.T) {
	w, err := New(testScenario(500, 12, 1))
	require.NoError(t, err)
	x, err := w.External(1)
	require.NoError(t, err)
	_, err = w.External(3)
	assert.ErrorContains(t, err, "no platform 3")

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a classroom's handler, setting levers while the world runs
		defer wg.Done()
		for i := range 200 {
			x.Set(func(l *agents.Levers) { l.MerchantBonusFen = int64(i % 7) })
		}
	}()
	for range 3 {
		require.NoError(t, w.Step())
	}
	wg.Wait()

	x.SetLevers(agents.Levers{CashbackFen: 700, MerchantBonusFen: 0, SponsoredFen: -1, FeeRate: 0.011})
	require.NoError(t, w.Step())
	pl := w.plat[1]
	for k, o := range pl.plan.Kinds {
		assert.Equal(t, int64(700), o.CashbackFen, "kind %d", k)
		assert.Zero(t, o.CashbackMaxFen+o.MerchantBonusFen, "kind %d: a cashback set outright is fixed", k)
	}
	assert.Equal(t, 0.011, pl.feeRate)
	assert.Equal(t, x.Levers(), w.Levers(1))

	require.NoError(t, w.SetLever(1, LeverCashback, -1))
	require.NoError(t, w.SetLever(1, LeverFeeRate, -1))
	require.NoError(t, w.SetLever(1, LeverMerchantBonus, -1))
	require.NoError(t, w.Step())
	require.NoError(t, w.Step()) // day 5: alipay's taxi campaign begins
	assert.Equal(t, agents.NoLevers, w.Levers(1), "negative values give every lever back")
	assert.Equal(t, w.Scenario.Platforms[1].FeeRate, pl.feeRate)
	assert.Equal(t, int64(1000), pl.plan.Kinds[w.kindIndex["taxi"]].CashbackFen, "the schedule's taxi cashback is back")

	assert.ErrorContains(t, w.SetLever(1, LeverFeeRate, 0.5), "above")
	assert.ErrorContains(t, w.SetLever(1, Lever(99), 1), "unknown lever")
	assert.ErrorContains(t, w.SetLever(-1, LeverCashback, 1), "no platform")
}

// TestPolicyObservation: what a platform's policy sees on a morning is
// yesterday's public share and its rivals' advertised headlines, and its
// own schedule before the policy.
func TestPolicyObservation(t *testing.T) {
	w, err := New(testScenario(500, 12, 1))
	require.NoError(t, err)
	var seen []agents.Observation
	var rivalLast []int64 // alipay's latest advertised headline, each morning (−1: none yet)
	rec := recorder{f: func(obs agents.Observation) {
		seen = append(seen, obs)
		h := obs.Platforms[1].HeadlinesFen
		if len(h) == 0 {
			rivalLast = append(rivalLast, -1)
		} else {
			rivalLast = append(rivalLast, h[len(h)-1])
		}
	}}
	w.plat[2].policy = &rec
	for range 7 {
		require.NoError(t, w.Step())
	}
	require.Len(t, seen, 7)
	assert.Equal(t, -1, seen[0].Day, "nothing observed on day 0's morning")
	for d := 1; d < 7; d++ {
		obs := seen[d]
		assert.Equal(t, d-1, obs.Day)
		assert.Equal(t, w.history[d-1].Platforms[2].ShareValue, obs.ShareValue)
		assert.Len(t, obs.Platforms, 3)
	}
	// Alipay's taxi campaign runs from day 5: its headline of day 5 is
	// public on the morning of day 6, not before.
	assert.Equal(t, []int64{-1, 0, 0, 0, 0, 0, 1000}, rivalLast)
}

// recorder is a policy that records what it observes and adds nothing.
type recorder struct{ f func(agents.Observation) }

func (r *recorder) Decide(obs agents.Observation) agents.Decision {
	r.f(obs)
	return agents.Decision{}
}

// A classroom server or an optimiser holds a platform's External policy
// and sets its levers from its own goroutine; the world applies them from
// the next day it plans.
func ExampleWorld_External() {
	s, _ := scenarios.Load("example-minimal", []string{"world.users=500"})
	w, _ := New(s)
	x, _ := w.External(0)
	go x.Set(func(l *agents.Levers) { l.CashbackFen = 300 }) // from a request handler, say
	for !w.Done() {
		_ = w.Step()
	}
	x.SetLevers(agents.NoLevers) // hand every lever back to the platform's policy
	fmt.Println(w.Day(), "days, levers set:", w.Levers(0) != agents.NoLevers)
	// Output: 90 days, levers set: false
}
