package agents

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

func never() float64 { return 0.999 } // a draw that never explores

// newPolicy builds the policy of a strategy table with rival 0, unwrapped
// from its treasury floor.
func newPolicy(t *testing.T, cfg *scenarios.Strategy) Policy {
	t.Helper()
	p, err := NewPolicy(cfg, PolicySetup{Rival: 0, Uniform: never})
	require.NoError(t, err)
	return p.(*TreasuryFloor).Base
}

// rivalObs is an observation of day d in which platform 0, the rival,
// advertised headline fen on every day so far.
func rivalObs(d int, headline int64) Observation {
	h := make([]int64, d+1)
	for i := range h {
		h[i] = headline
	}
	return Observation{Day: d, Platforms: []PublicView{{HeadlinesFen: h, Arm: -1}, {Arm: -1}}}
}

func TestParseStrategyKind(t *testing.T) {
	for _, tc := range []struct {
		name string
		want StrategyKind
	}{{"", StrategyFixed}, {"fixed", StrategyFixed}, {"match", StrategyMatch}, {"escalate", StrategyEscalate}, {"bandit", StrategyBandit}, {"fictitious", StrategyFictitious}} {
		k, err := ParseStrategyKind(tc.name)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, k)
		if tc.name != "" {
			assert.Equal(t, tc.name, k.String())
		}
	}
	_, err := ParseStrategyKind("greedy")
	assert.ErrorContains(t, err, `"greedy"`)
	_, err = NewPolicy(&scenarios.Strategy{Kind: "greedy"}, PolicySetup{})
	assert.Error(t, err)
	_, err = NewPolicy(&scenarios.Strategy{Kind: "bandit"}, PolicySetup{Rival: -1})
	assert.ErrorContains(t, err, "random source", "a learner without draws would fail later, mid-run")
}

func TestFixedAddsNothing(t *testing.T) {
	p := newPolicy(t, &scenarios.Strategy{Kind: "fixed"})
	assert.Equal(t, Decision{}, p.Decide(rivalObs(10, 1000)))
}

func TestMatch(t *testing.T) {
	cfg := &scenarios.Strategy{Kind: "match", Increment: 100, Max: 2000}
	tests := []struct {
		name         string
		rival, sched int64
		wantExtra    int64
	}{
		{"answers with one yuan more", 1000, 0, 1100},
		{"tops up its own schedule", 1000, 500, 600},
		{"never above max", 5000, 0, 2000},
		{"nothing while the rival pays nothing", 0, 0, 0},
		{"nothing when the schedule already beats the rival", 1000, 1500, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			obs := rivalObs(10, tc.rival)
			obs.ScheduledHeadlineFen = tc.sched
			assert.Equal(t, tc.wantExtra, newPolicy(t, cfg).Decide(obs).CashbackFen)
		})
	}
	late := newPolicy(t, &scenarios.Strategy{Kind: "match", Increment: 100, From: 20, Until: 30})
	assert.Zero(t, late.Decide(rivalObs(10, 1000)).CashbackFen, "inactive before from")
	assert.Equal(t, int64(1100), late.Decide(rivalObs(20, 1000)).CashbackFen, "acts from from")
	assert.Zero(t, late.Decide(rivalObs(31, 1000)).CashbackFen, "inactive after until")

	// The lag: on day 10, a lag of 3 answers the headline of day 8 (the
	// day decided for, 11, minus 3).
	lagged := newPolicy(t, &scenarios.Strategy{Kind: "match", Increment: 100, Lag: 3})
	obs := rivalObs(10, 0)
	obs.Platforms[0].HeadlinesFen[8] = 700
	assert.Equal(t, int64(800), lagged.Decide(obs).CashbackFen)
	assert.Zero(t, lagged.Decide(rivalObs(1, 1000)).CashbackFen, "nothing to answer before lag days have passed")

	// No rival: never acts.
	alone, err := NewPolicy(&scenarios.Strategy{Kind: "match", Increment: 100}, PolicySetup{Rival: -1})
	require.NoError(t, err)
	assert.Zero(t, alone.Decide(rivalObs(10, 1000)).CashbackFen)
}

func TestEscalate(t *testing.T) {
	p := newPolicy(t, &scenarios.Strategy{Kind: "escalate", Increment: 100, Max: 250, Target: 0.5, Period: 7})
	var d Decision
	for _, day := range []int{0, 7, 14, 21} { // losing share four reviews running
		d = p.Decide(Observation{Day: day, ShareValue: 0.3})
	}
	assert.Equal(t, int64(250), d.CashbackFen, "escalates to max and stops")
	d = p.Decide(Observation{Day: 24, ShareValue: 0.3})
	assert.Equal(t, int64(250), d.CashbackFen, "only on review days")
	d = p.Decide(Observation{Day: 28, ShareValue: 0.7})
	assert.Equal(t, int64(150), d.CashbackFen, "backs off when winning")
	d = p.Decide(Observation{Day: 35, ShareValue: 0.5})
	assert.Equal(t, int64(150), d.CashbackFen, "holds at the target")

	withSchedule := newPolicy(t, &scenarios.Strategy{Kind: "escalate", Increment: 100, Max: 250, Target: 0.5, Period: 1})
	d = withSchedule.Decide(Observation{Day: 0, ShareValue: 0.1, ScheduledHeadlineFen: 200})
	assert.Equal(t, int64(50), d.CashbackFen, "the maximum counts the schedule")
}

// TestBandit: every arm is tried once, then the one with the best payoff
// per day is played.
func TestBandit(t *testing.T) {
	arms := []scenarios.Arm{{Name: "none"}, {Name: "small", Cashback: 200}, {Name: "big", Cashback: 1000, MerchantBonus: 50}}
	b := newPolicy(t, &scenarios.Strategy{Kind: "bandit", Period: 10, Arms: arms}).(*Bandit)
	arm, n := b.Arm()
	assert.Equal(t, [2]int{-1, 3}, [2]int{arm, n}, "no arm before the first choice")
	perDay := []int64{100, 300, 50} // fen a day each arm earns
	value := int64(0)
	var played []int
	var d Decision
	for day := 0; day < 100; day++ {
		if a, _ := b.Arm(); a >= 0 {
			value += perDay[a]
		}
		d = b.Decide(Observation{Day: day, ValueFen: value})
		if day%10 == 9 || day == 0 {
			a, _ := b.Arm()
			played = append(played, a)
		}
	}
	assert.Equal(t, []int{0, 1, 2}, played[:3], "untried arms first")
	a, _ := b.Arm()
	assert.Equal(t, 1, a, "then the best arm")
	assert.Equal(t, arms[1].Cashback.Fen(), d.CashbackFen)
	assert.InDelta(t, 3.0, b.ArmMean[1], 1e-12, "arm 1 earns 300 fen = 3 yuan a day")

	empty := newPolicy(t, &scenarios.Strategy{Kind: "bandit"})
	assert.Equal(t, Decision{}, empty.Decide(Observation{Day: 5}), "no arms, nothing added")
	arm, n = AdvertisedArm(empty)
	assert.Equal(t, [2]int{-1, 0}, [2]int{arm, n})
}

// TestFictitious: against a rival that always plays its arm 1, the
// platform learns the pair payoffs and best-responds to arm 1, even though
// another arm is better against the rival's arm 0.
func TestFictitious(t *testing.T) {
	arms := []scenarios.Arm{{Name: "a"}, {Name: "b", Cashback: 500}}
	f := newPolicy(t, &scenarios.Strategy{Kind: "fictitious", Period: 5, Arms: arms}).(*Fictitious)
	payoff := [2][2]int64{{500, 10}, {100, 200}} // fen a day: own arm × rival arm
	value := int64(0)
	for day := 0; day < 200; day++ {
		if a, _ := f.Arm(); a >= 0 {
			value += payoff[a][1]
		}
		f.Decide(Observation{Day: day, ValueFen: value, Platforms: []PublicView{{Arm: 1, Arms: 2}}})
	}
	a, _ := f.Arm()
	assert.Equal(t, 1, a, "best response to the rival's arm 1")
	assert.Greater(t, f.RivalSeen[1], 30)
	assert.Zero(t, f.RivalSeen[0])
}

func TestChooseArm(t *testing.T) {
	explore := func() float64 { return 0 } // explores, and picks arm 0
	tests := []struct {
		name    string
		mean    []float64
		plays   []int
		epsilon float64
		uniform func() float64
		want    int
	}{
		{"untried first", []float64{5, 0, 0}, []int{1, 0, 0}, 0, never, 1},
		{"best mean", []float64{1, 3, 2}, []int{1, 1, 1}, 0, never, 1},
		{"ties to the lower index", []float64{3, 3}, []int{1, 1}, 0, never, 0},
		{"explores with probability epsilon", []float64{1, 3}, []int{1, 1}, 0.5, explore, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ChooseArm(tc.mean, tc.plays, tc.epsilon, tc.uniform))
		})
	}
}

func TestTreasuryFloor(t *testing.T) {
	p, err := NewPolicy(&scenarios.Strategy{Kind: "fixed", Floor: 5000}, PolicySetup{})
	require.NoError(t, err)
	assert.Equal(t, int64(5000), p.Decide(Observation{}).FloorFen)
	for _, tc := range []struct{ treasury, floor, want int64 }{
		{10000, 5000, 5000}, {5000, 5000, 0}, {4000, 5000, 0}, {100, 0, 100}, {0, 0, 0},
	} {
		assert.Equal(t, tc.want, Spendable(tc.treasury, tc.floor), "treasury %d floor %d", tc.treasury, tc.floor)
	}
}

// TestExternal: levers set from outside override the base policy's
// decision and reach the next decision; the base keeps deciding; setting
// from many goroutines at once is safe (run with -race).
func TestExternal(t *testing.T) {
	base := newPolicy(t, &scenarios.Strategy{Kind: "match", Increment: 100})
	x := NewExternal(base)
	d := x.Decide(rivalObs(3, 1000))
	assert.Nil(t, d.Override, "nothing set: nothing overridden")
	assert.Equal(t, int64(1100), d.CashbackFen, "the base still decides")

	x.Set(func(l *Levers) { l.CashbackFen = 300 })
	d = x.Decide(rivalObs(4, 1000))
	require.NotNil(t, d.Override)
	assert.Equal(t, Levers{CashbackFen: 300, MerchantBonusFen: -1, SponsoredFen: -1, FeeRate: -1}, *d.Override)
	assert.Equal(t, int64(1100), d.CashbackFen)

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.Set(func(l *Levers) { l.MerchantBonusFen = int64(i) })
			_ = x.Levers()
		}()
	}
	wg.Wait()
	x.SetLevers(NoLevers)
	assert.Nil(t, x.Decide(rivalObs(5, 0)).Override, "NoLevers gives everything back")

	alone := NewExternal(nil)
	alone.SetLevers(Levers{CashbackFen: 100, MerchantBonusFen: -1, SponsoredFen: 2000, FeeRate: 0.01})
	d = alone.Decide(Observation{})
	assert.Equal(t, int64(0), d.CashbackFen, "no base: nothing added")
	assert.Equal(t, 0.01, d.FeeRate(0.006))
	assert.Equal(t, 0.006, (&Decision{}).FeeRate(0.006))
}

// TestAdvertisedArm: the arm a learner plays is seen through the layers
// wrapped around it.
func TestAdvertisedArm(t *testing.T) {
	arms := []scenarios.Arm{{Name: "a"}, {Name: "b", Cashback: 500}}
	p, err := NewPolicy(&scenarios.Strategy{Kind: "bandit", Period: 5, Arms: arms}, PolicySetup{Rival: -1, Uniform: never})
	require.NoError(t, err)
	x := NewExternal(p)
	arm, n := AdvertisedArm(x)
	assert.Equal(t, [2]int{-1, 2}, [2]int{arm, n})
	x.Decide(Observation{Day: 0})
	arm, n = AdvertisedArm(x)
	assert.Equal(t, [2]int{0, 2}, [2]int{arm, n})
	arm, n = AdvertisedArm(NewExternal(Fixed{}))
	assert.Equal(t, [2]int{-1, 0}, [2]int{arm, n})
}
