package agents

import "github.com/paywars/hongbao/scenarios"

// StrategyObservation is what a platform sees at the end of a day.
type StrategyObservation struct {
	Day              int
	Share            float64 // its share of wallet payment value today
	OwnScheduledFen  int64   // its scheduled headline cashback tomorrow, before the strategy
	RivalHeadlineFen int64   // the rival's headline cashback lag days ago (match)
	ValueFen         int64   // its running payoff proxy: fees − subsidies + terminal value of actives
	RivalArm         int     // fictitious: the arm the rival plays now (−1 unknown)
	RivalArms        int     // fictitious: how many arms the rival has (0 unknown)
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

	// Fictitious play: mean reward of each (own arm, rival arm) pair, how
	// often each pair was seen, and how often the rival played each arm.
	PairMean  [][]float64
	PairPlays [][]int
	RivalSeen []int
	rivalArm  int // the rival's arm during the period being scored
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
//   - fictitious: every period, score the pair (own arm, rival's arm) by the
//     payoff earned per day, count the rival's arm, then play the best
//     response to the rival's empirical mix (Brown 1951) under the pair
//     payoffs seen so far, exploring untried own arms first and at random
//     with probability epsilon.
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
	case "fictitious":
		if len(cfg.Arms) > 0 {
			updateFictitious(st, cfg, obs, uniform)
		}
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

// updateFictitious is the fictitious-play rule of UpdateStrategy.
func updateFictitious(st *StrategyState, cfg *scenarios.Strategy, obs StrategyObservation, uniform func() float64) {
	n := len(cfg.Arms)
	m := max(1, obs.RivalArms)
	if !st.started {
		st.started = true
		st.Arm, st.rivalArm = -1, -1
		st.PairMean = make([][]float64, n)
		st.PairPlays = make([][]int, n)
		for a := range n {
			st.PairMean[a] = make([]float64, m)
			st.PairPlays[a] = make([]int, m)
		}
		st.RivalSeen = make([]int, m)
	}
	period := max(1, cfg.Period)
	if st.Arm >= 0 && (obs.Day-cfg.From+1)%period != 0 {
		return
	}
	if st.Arm >= 0 && st.rivalArm >= 0 && st.rivalArm < m {
		b := st.rivalArm
		reward := float64(obs.ValueFen-st.periodStart) / 100 / float64(period)
		st.PairPlays[st.Arm][b]++
		st.PairMean[st.Arm][b] += (reward - st.PairMean[st.Arm][b]) / float64(st.PairPlays[st.Arm][b])
		st.RivalSeen[b]++
	}
	// Expected payoff of each own arm against the rival's empirical mix
	// (with a uniform prior: each rival arm counted once more); pairs never
	// seen borrow the arm's mean over the pairs that were.
	best, bestV, untried := -1, 0.0, -1
	for a := range n {
		plays, armMean := 0, 0.0
		for b := range m {
			plays += st.PairPlays[a][b]
			armMean += st.PairMean[a][b] * float64(st.PairPlays[a][b])
		}
		if plays == 0 {
			if untried < 0 {
				untried = a
			}
			continue
		}
		armMean /= float64(plays)
		v, weight := 0.0, 0
		for b := range m {
			u := armMean
			if st.PairPlays[a][b] > 0 {
				u = st.PairMean[a][b]
			}
			v += u * float64(st.RivalSeen[b]+1)
			weight += st.RivalSeen[b] + 1
		}
		if v /= float64(weight); best < 0 || v > bestV {
			best, bestV = a, v
		}
	}
	switch {
	case untried >= 0:
		st.Arm = untried
	case uniform() < cfg.Epsilon:
		st.Arm = min(n-1, int(uniform()*float64(n)))
	default:
		st.Arm = best
	}
	st.rivalArm = obs.RivalArm
	st.periodStart = obs.ValueFen
	st.Extra.CashbackFen = cfg.Arms[st.Arm].Cashback.Fen()
	st.Extra.MerchantBonusFen = cfg.Arms[st.Arm].MerchantBonus.Fen()
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
