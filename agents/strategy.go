package agents

import "github.com/paywars/hongbao/scenarios"

// StrategyObservation is what a platform sees at the end of a day.
type StrategyObservation struct {
	Day              int
	Share            float64 // its share of wallet payment value today
	OwnScheduledFen  int64   // its scheduled headline cashback tomorrow, before the strategy
	RivalHeadlineFen int64   // the rival's headline cashback lag days ago (match)
	ValueFen         int64   // its running payoff proxy: fees − subsidies + terminal value of actives
}

// StrategyState is the memory of a platform's reactive strategy; its zero
// value is a strategy that has not acted yet.
type StrategyState struct {
	Extra       Extra
	Arm         int       // bandit: the arm in play (−1 before the first choice)
	ArmMean     []float64 // bandit: mean reward per day of each arm, in yuan
	ArmPlays    []int
	periodStart int64 // bandit: ValueFen when the current arm started
	started     bool
}

// UpdateStrategy applies one platform's reactive rule at the end of a day
// and sets what it adds tomorrow. uniform supplies draws in [0, 1) for
// exploration. Rules:
//   - match: pay the rival's headline plus increment (Kuaidi's "always one
//     yuan more"), from lag days later, up to max; nothing while the rival
//     pays nothing.
//   - escalate: every period, raise the cashback by increment while the
//     wallet-value share is below target, lower it by increment above.
//   - bandit: every period, score the arm in play by the payoff it earned per
//     day, then play the best arm so far, or a random one with probability
//     epsilon (untried arms first).
func UpdateStrategy(st *StrategyState, cfg *scenarios.Strategy, obs StrategyObservation, uniform func() float64) {
	until := cfg.Until
	active := obs.Day >= cfg.From && (until == 0 || obs.Day <= until)
	if !active {
		st.Extra.CashbackFen, st.Extra.MerchantBonusFen = 0, 0
		return
	}
	limit := func(total int64) int64 {
		if cfg.Max > 0 {
			total = min(total, cfg.Max.Fen())
		}
		return max(0, total)
	}
	switch cfg.Kind {
	case "match":
		if obs.RivalHeadlineFen <= 0 {
			st.Extra.CashbackFen = 0
			return
		}
		want := limit(obs.RivalHeadlineFen + cfg.Increment.Fen())
		st.Extra.CashbackFen = max(0, want-obs.OwnScheduledFen)
	case "escalate":
		if (obs.Day-cfg.From)%max(1, cfg.Period) != 0 {
			return
		}
		switch {
		case obs.Share < cfg.Target:
			st.Extra.CashbackFen = limit(obs.OwnScheduledFen+st.Extra.CashbackFen+cfg.Increment.Fen()) - obs.OwnScheduledFen
		case obs.Share > cfg.Target:
			st.Extra.CashbackFen = max(0, st.Extra.CashbackFen-cfg.Increment.Fen())
		}
		st.Extra.CashbackFen = max(0, st.Extra.CashbackFen)
	case "bandit":
		n := len(cfg.Arms)
		if n == 0 {
			return
		}
		if !st.started {
			st.started = true
			st.ArmMean = make([]float64, n)
			st.ArmPlays = make([]int, n)
			st.Arm = -1
		}
		period := max(1, cfg.Period)
		if st.Arm >= 0 && (obs.Day-cfg.From+1)%period != 0 {
			return
		}
		if st.Arm >= 0 {
			reward := float64(obs.ValueFen-st.periodStart) / 100 / float64(period)
			st.ArmPlays[st.Arm]++
			st.ArmMean[st.Arm] += (reward - st.ArmMean[st.Arm]) / float64(st.ArmPlays[st.Arm])
		}
		st.Arm = chooseArm(st.ArmMean, st.ArmPlays, cfg.Epsilon, uniform)
		st.periodStart = obs.ValueFen
		st.Extra.CashbackFen = cfg.Arms[st.Arm].Cashback.Fen()
		st.Extra.MerchantBonusFen = cfg.Arms[st.Arm].MerchantBonus.Fen()
	}
}

// chooseArm is epsilon-greedy with untried arms first; ties go to the lower
// index so the choice is reproducible.
func chooseArm(mean []float64, plays []int, epsilon float64, uniform func() float64) int {
	for i, n := range plays {
		if n == 0 {
			return i
		}
	}
	if uniform() < epsilon {
		return min(len(mean)-1, int(uniform()*float64(len(mean))))
	}
	best := 0
	for i := range mean {
		if mean[i] > mean[best] {
			best = i
		}
	}
	return best
}
