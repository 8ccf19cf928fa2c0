package agents

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/paywars/hongbao/scenarios"
)

func never() float64 { return 0.999 } // a draw that never explores

func TestUpdateStrategyMatch(t *testing.T) {
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
			var st StrategyState
			UpdateStrategy(&st, cfg, StrategyObservation{Day: 10, RivalHeadlineFen: tc.rival, OwnScheduledFen: tc.sched}, never)
			assert.Equal(t, tc.wantExtra, st.Extra.CashbackFen)
		})
	}
	var st StrategyState
	late := &scenarios.Strategy{Kind: "match", Increment: 100, From: 20, Until: 30}
	UpdateStrategy(&st, late, StrategyObservation{Day: 10, RivalHeadlineFen: 1000}, never)
	assert.Zero(t, st.Extra.CashbackFen, "inactive before from")
}

func TestUpdateStrategyEscalate(t *testing.T) {
	cfg := &scenarios.Strategy{Kind: "escalate", Increment: 100, Max: 250, Target: 0.5, Period: 7}
	var st StrategyState
	for _, day := range []int{0, 7, 14, 21} { // losing share four reviews running
		UpdateStrategy(&st, cfg, StrategyObservation{Day: day, Share: 0.3}, never)
	}
	assert.Equal(t, int64(250), st.Extra.CashbackFen, "escalates to max and stops")
	UpdateStrategy(&st, cfg, StrategyObservation{Day: 24, Share: 0.3}, never)
	assert.Equal(t, int64(250), st.Extra.CashbackFen, "only on review days")
	UpdateStrategy(&st, cfg, StrategyObservation{Day: 28, Share: 0.7}, never)
	assert.Equal(t, int64(150), st.Extra.CashbackFen, "backs off when winning")
}

// TestUpdateStrategyBandit: every arm is tried once, then the one with the
// best payoff per day is played.
func TestUpdateStrategyBandit(t *testing.T) {
	arms := []scenarios.Arm{{Name: "none"}, {Name: "small", Cashback: 200}, {Name: "big", Cashback: 1000}}
	cfg := &scenarios.Strategy{Kind: "bandit", Period: 10, Arms: arms}
	perDay := []int64{100, 300, 50} // fen a day each arm earns
	var st StrategyState
	value := int64(0)
	var played []int
	for day := 0; day < 100; day++ {
		if st.Arm >= 0 && st.started {
			value += perDay[st.Arm]
		}
		UpdateStrategy(&st, cfg, StrategyObservation{Day: day, ValueFen: value}, never)
		if day%10 == 9 || day == 0 {
			played = append(played, st.Arm)
		}
	}
	assert.Equal(t, []int{0, 1, 2}, played[:3], "untried arms first")
	assert.Equal(t, 1, st.Arm, "then the best arm")
	assert.Equal(t, arms[1].Cashback.Fen(), st.Extra.CashbackFen)
}

// TestUpdateStrategyFictitious: against a rival that always plays its arm
// 1, the platform learns the pair payoffs and best-responds to arm 1, even
// though another arm is better against the rival's arm 0.
func TestUpdateStrategyFictitious(t *testing.T) {
	arms := []scenarios.Arm{{Name: "a"}, {Name: "b", Cashback: 500}}
	cfg := &scenarios.Strategy{Kind: "fictitious", Period: 5, Arms: arms}
	payoff := [2][2]int64{{500, 10}, {100, 200}} // fen a day: own arm × rival arm
	var st StrategyState
	value := int64(0)
	for day := 0; day < 200; day++ {
		if st.started && st.Arm >= 0 {
			value += payoff[st.Arm][1]
		}
		UpdateStrategy(&st, cfg, StrategyObservation{Day: day, ValueFen: value, RivalArm: 1, RivalArms: 2}, never)
	}
	assert.Equal(t, 1, st.Arm, "best response to the rival's arm 1")
	assert.Greater(t, st.RivalSeen[1], 30)
	assert.Zero(t, st.RivalSeen[0])
}
