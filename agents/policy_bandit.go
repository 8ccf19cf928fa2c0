package agents

import "github.com/paywars/hongbao/scenarios"

// Bandit learns which item of a menu of subsidies pays (strategy kind
// "bandit"): every Period days it scores the arm in play by the payoff it
// earned per day (ValueFen's change, in yuan a day), then plays the best
// arm so far, or a random one with probability Epsilon, trying every arm
// once first (epsilon-greedy; Sutton and Barto 2018, §2.2).
type Bandit struct {
	window
	Arms    []ArmOffer
	Period  int // days between choices, at least 1
	Epsilon float64
	Uniform func() float64 // draws in [0, 1) for exploration

	arm            int       // the arm in play, −1 before the first choice
	ArmMean        []float64 // mean reward per day of each arm, yuan
	ArmPlays       []int     // periods each arm was scored
	periodStartFen int64     // ValueFen when the arm in play started
	started        bool
}

// Arm is the arm in play (−1 before the first choice) and the menu's size.
func (b *Bandit) Arm() (arm, arms int) { return armInPlay(b.arm, len(b.Arms), b.started) }

// armInPlay is Arm for the menu policies (Bandit, Fictitious): −1 until the
// first choice, because arm's zero value would otherwise name the menu's
// first item before anything was chosen.
func armInPlay(arm, arms int, started bool) (int, int) {
	if arms == 0 || !started {
		return -1, arms
	}
	return arm, arms
}

// Decide scores the arm in play at the end of its period and picks the
// next; in between it keeps the arm.
func (b *Bandit) Decide(obs Observation) Decision {
	if !b.active(obs.Day) {
		return b.idle()
	}
	n := len(b.Arms)
	if n == 0 {
		return b.decision()
	}
	if !b.started {
		b.started = true
		b.ArmMean = make([]float64, n)
		b.ArmPlays = make([]int, n)
		b.arm = -1
	}
	period := max(1, b.Period)
	if b.arm >= 0 && (obs.Day-b.from+1)%period != 0 {
		return b.decision()
	}
	if b.arm >= 0 {
		reward := rewardPerDay(obs.ValueFen-b.periodStartFen, period)
		b.ArmPlays[b.arm]++
		b.ArmMean[b.arm] = RunningMean(b.ArmMean[b.arm], reward, b.ArmPlays[b.arm])
	}
	b.arm = ChooseArm(b.ArmMean, b.ArmPlays, b.Epsilon, b.Uniform)
	b.periodStartFen = obs.ValueFen
	b.cashbackFen, b.bonusFen = b.Arms[b.arm].CashbackFen, b.Arms[b.arm].MerchantBonusFen
	return b.decision()
}

// rewardPerDay is a payoff earned over a period, in yuan a day.
func rewardPerDay(earnedFen int64, days int) float64 {
	return scenarios.FenToYuan(earnedFen) / float64(days)
}

// RunningMean is the mean of n values from the mean of the first n−1 and
// the nth: m + (x − m)/n.
func RunningMean(mean, x float64, n int) float64 { return mean + (x-mean)/float64(n) }

// ChooseArm is epsilon-greedy with untried arms first: the first arm never
// played, else a uniformly random arm with probability epsilon, else the
// arm with the best mean (ties to the lower index, so the choice is
// reproducible).
func ChooseArm(mean []float64, plays []int, epsilon float64, uniform func() float64) int {
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
