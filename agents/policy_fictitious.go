package agents

// Fictitious is fictitious play over a menu of subsidies (strategy kind
// "fictitious"; Brown 1951): every Period days it scores the pair (own
// arm, rival's advertised arm) by the payoff earned per day, counts the
// rival's arm, then plays the best response to the rival's empirical mix
// under the pair payoffs seen so far, trying untried own arms first and a
// random arm with probability Epsilon.
type Fictitious struct {
	window
	Rival   int // the platform it watches (−1: none)
	Arms    []ArmOffer
	Period  int // days between choices, at least 1
	Epsilon float64
	Uniform func() float64 // draws in [0, 1) for exploration

	arm, rivalArm  int // own arm in play and the rival's during its period (−1 unknown)
	periodStartFen int64
	started        bool

	// PairMean is the mean reward per day, yuan, of each (own arm, rival
	// arm) pair, PairPlays how often each pair was scored, and RivalSeen
	// how often the rival played each arm.
	PairMean  [][]float64
	PairPlays [][]int
	RivalSeen []int
}

// Arm is the arm in play (−1 before the first choice) and the menu's size.
func (f *Fictitious) Arm() (arm, arms int) { return armInPlay(f.arm, len(f.Arms), f.started) }

// Decide scores the pair in play at the end of its period and best-responds
// to the rival's mix; in between it keeps its arm.
func (f *Fictitious) Decide(obs Observation) Decision {
	if !f.active(obs.Day) {
		return f.idle()
	}
	if len(f.Arms) == 0 {
		return f.decision()
	}
	rivalArm, rivalArms := -1, 0
	if f.Rival >= 0 && f.Rival < len(obs.Platforms) {
		rivalArm, rivalArms = obs.Platforms[f.Rival].Arm, obs.Platforms[f.Rival].Arms
	}
	n, m := len(f.Arms), max(1, rivalArms)
	if !f.started {
		f.started = true
		f.arm, f.rivalArm = -1, -1
		f.PairMean = make([][]float64, n)
		f.PairPlays = make([][]int, n)
		for a := range n {
			f.PairMean[a] = make([]float64, m)
			f.PairPlays[a] = make([]int, m)
		}
		f.RivalSeen = make([]int, m)
	}
	period := max(1, f.Period)
	if f.arm >= 0 && (obs.Day-f.from+1)%period != 0 {
		return f.decision()
	}
	m = len(f.RivalSeen) // the menu size first seen
	if f.arm >= 0 && f.rivalArm >= 0 && f.rivalArm < m {
		b := f.rivalArm
		reward := rewardPerDay(obs.ValueFen-f.periodStartFen, period)
		f.PairPlays[f.arm][b]++
		f.PairMean[f.arm][b] = RunningMean(f.PairMean[f.arm][b], reward, f.PairPlays[f.arm][b])
		f.RivalSeen[b]++
	}
	best, untried := f.bestResponse()
	switch {
	case untried >= 0:
		f.arm = untried
	case f.Uniform() < f.Epsilon:
		f.arm = min(n-1, int(f.Uniform()*float64(n)))
	default:
		f.arm = best
	}
	f.rivalArm = rivalArm
	f.periodStartFen = obs.ValueFen
	f.cashbackFen, f.bonusFen = f.Arms[f.arm].CashbackFen, f.Arms[f.arm].MerchantBonusFen
	return f.decision()
}

// bestResponse is the own arm with the best expected payoff against the
// rival's empirical mix (with a uniform prior: each rival arm counted once
// more), pairs never seen borrowing the arm's mean over the pairs that
// were; and the first arm never tried (−1 if none).
func (f *Fictitious) bestResponse() (best, untried int) {
	best, untried = -1, -1
	bestV := 0.0
	m := len(f.RivalSeen)
	for a := range f.Arms {
		plays, armMean := 0, 0.0
		for b := range m {
			plays += f.PairPlays[a][b]
			armMean += f.PairMean[a][b] * float64(f.PairPlays[a][b])
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
			if f.PairPlays[a][b] > 0 {
				u = f.PairMean[a][b]
			}
			v += u * float64(f.RivalSeen[b]+1)
			weight += f.RivalSeen[b] + 1
		}
		if v /= float64(weight); best < 0 || v > bestV {
			best, bestV = a, v
		}
	}
	return best, untried
}
