package agents

import (
	"fmt"

	"github.com/paywars/hongbao/scenarios"
)

// Policy is how a platform decides, every morning, what it adds to its
// campaign schedule for the day (docs/brief.md step 8). The engine builds one
// policy per platform when a world is built (NewPolicy) and calls Decide
// once a day, before the day's offers are planned, with what the platform
// could know of the day before. Implementations keep their own memory;
// they are not safe for concurrent use unless they say so (External is).
type Policy interface {
	Decide(obs Observation) Decision
}

// Observation is what a platform knows when it decides for day Day+1: its
// own books, the public shares, and its rivals' advertised offers — not
// the whole world.
type Observation struct {
	// Day is the last day observed; the decision is for Day+1. It is −1
	// on the morning of day 0, when nothing has been observed yet.
	Day int
	// ShareValue is the platform's share of wallet payment value on Day.
	ShareValue float64
	// ScheduledHeadlineFen is the headline cashback its own campaign
	// schedule advertises for Day+1, before the policy adds anything.
	ScheduledHeadlineFen int64
	// ValueFen is its running payoff proxy from its own books: fees minus
	// subsidies so far, plus the terminal value of its monthly actives.
	ValueFen int64
	// Platforms is every platform's public face, by platform index (the
	// platform's own included). The engine reuses the slice: a policy must
	// not keep it.
	Platforms []PublicView
}

// PublicView is what anyone can see of a platform.
type PublicView struct {
	// HeadlinesFen is the headline cashback it advertised, by day (read
	// only): a rival answers what it saw lag days ago.
	HeadlinesFen []int64
	// ShareValue is its share of wallet payment value on the last day.
	ShareValue float64
	// Arm is the item of its menu it advertises now (−1: none or not
	// known), and Arms the size of that menu (0: it has none).
	Arm, Arms int
}

// Decision is what a policy decides for one day.
type Decision struct {
	// CashbackFen and MerchantBonusFen are added to the schedule's offer
	// on every merchant kind in Kinds (nil: every kind).
	CashbackFen, MerchantBonusFen int64
	Kinds                         []bool
	// FloorFen is the treasury floor: no spending takes the treasury
	// below it (Spendable).
	FloorFen int64
	// Override sets levers outright, over the schedule and what is added
	// (External); nil sets none.
	Override *Levers
}

// StrategyKind is a scenario's strategy kind ([platforms.strategy] kind),
// resolved from its name once, when a world is built.
type StrategyKind uint8

// The strategy kinds of the scenario schema.
const (
	StrategyFixed StrategyKind = iota
	StrategyMatch
	StrategyEscalate
	StrategyBandit
	StrategyFictitious
)

var strategyNames = [...]string{"fixed", "match", "escalate", "bandit", "fictitious"}

// String is the kind's name in scenario files.
func (k StrategyKind) String() string {
	if int(k) < len(strategyNames) {
		return strategyNames[k]
	}
	return fmt.Sprintf("StrategyKind(%d)", k)
}

// ParseStrategyKind resolves a strategy kind's name; "" is fixed.
func ParseStrategyKind(name string) (StrategyKind, error) {
	if name == "" {
		return StrategyFixed, nil
	}
	for k, n := range strategyNames {
		if n == name {
			return StrategyKind(k), nil
		}
	}
	return 0, fmt.Errorf("agents: unknown strategy kind %q", name)
}

// PolicySetup is what a policy is built with besides its scenario table:
// the names in it resolved to indices, and its random source.
type PolicySetup struct {
	// Rival is the index of the platform the strategy watches (−1: none).
	Rival int
	// Kinds are the merchant kinds its additions apply to (nil: all).
	Kinds []bool
	// Uniform supplies draws in [0, 1) for exploration; the learning
	// kinds (bandit, fictitious) need it.
	Uniform func() float64
}

// NewPolicy builds the policy a platform's [platforms.strategy] table
// describes: the reactive rule of its kind, under its treasury floor.
func NewPolicy(cfg *scenarios.Strategy, setup PolicySetup) (Policy, error) {
	kind, err := ParseStrategyKind(cfg.Kind)
	if err != nil {
		return nil, err
	}
	if (kind == StrategyBandit || kind == StrategyFictitious) && setup.Uniform == nil {
		return nil, fmt.Errorf("agents: a %s policy needs a random source (PolicySetup.Uniform)", kind)
	}
	w := window{from: cfg.From, until: cfg.Until, maxFen: cfg.Max.Fen(), kinds: setup.Kinds}
	var base Policy
	switch kind {
	case StrategyFixed:
		base = Fixed{}
	case StrategyMatch:
		base = &Match{window: w, Rival: setup.Rival, Lag: cfg.Lag, IncrementFen: cfg.Increment.Fen()}
	case StrategyEscalate:
		base = &Escalate{window: w, IncrementFen: cfg.Increment.Fen(), Target: cfg.Target, Period: max(1, cfg.Period)}
	case StrategyBandit:
		base = &Bandit{window: w, Arms: armOffers(cfg.Arms), Period: max(1, cfg.Period), Epsilon: cfg.Epsilon, Uniform: setup.Uniform}
	case StrategyFictitious:
		base = &Fictitious{window: w, Rival: setup.Rival, Arms: armOffers(cfg.Arms), Period: max(1, cfg.Period), Epsilon: cfg.Epsilon, Uniform: setup.Uniform}
	}
	return &TreasuryFloor{Base: base, FloorFen: cfg.Floor.Fen()}, nil
}

// ArmOffer is one item of a learning policy's menu, in fen.
type ArmOffer struct{ CashbackFen, MerchantBonusFen int64 }

func armOffers(arms []scenarios.Arm) []ArmOffer {
	out := make([]ArmOffer, len(arms))
	for i, a := range arms {
		out[i] = ArmOffer{CashbackFen: a.Cashback.Fen(), MerchantBonusFen: a.MerchantBonus.Fen()}
	}
	return out
}

// window is what every reactive policy shares: the days it acts on, the
// most cashback it offers and the merchant kinds its additions cover.
// Outside its days it adds nothing.
type window struct {
	from, until int   // first and last day it acts on (until 0: the horizon)
	maxFen      int64 // largest cashback it offers, schedule included (0: no limit)
	kinds       []bool

	cashbackFen, bonusFen int64 // what it adds now
}

// active reports whether the policy acts after observing day d.
func (w *window) active(d int) bool { return d >= w.from && (w.until == 0 || d <= w.until) }

// limit caps a total cashback at the policy's maximum, and at 0 below.
func (w *window) limit(totalFen int64) int64 {
	if w.maxFen > 0 {
		totalFen = min(totalFen, w.maxFen)
	}
	return max(0, totalFen)
}

// decision is what the policy adds now.
func (w *window) decision() Decision {
	return Decision{CashbackFen: w.cashbackFen, MerchantBonusFen: w.bonusFen, Kinds: w.kinds}
}

// idle is the decision outside the policy's days: nothing added.
func (w *window) idle() Decision {
	w.cashbackFen, w.bonusFen = 0, 0
	return w.decision()
}

// armed is a policy that plays one item of a menu at a time, which its
// rivals see advertised.
type armed interface {
	// Arm is the item played (−1 before the first) and the menu's size.
	Arm() (arm, arms int)
}

// wrapper is a policy built around another (TreasuryFloor, External).
type wrapper interface{ Unwrap() Policy }

// AdvertisedArm is the menu item a platform's policy plays now, as its
// rivals see it in its offers, and the size of its menu; (−1, 0) when the
// policy has no menu.
func AdvertisedArm(p Policy) (arm, arms int) {
	for p != nil {
		if a, ok := p.(armed); ok {
			return a.Arm()
		}
		w, ok := p.(wrapper)
		if !ok {
			break
		}
		p = w.Unwrap()
	}
	return -1, 0
}
