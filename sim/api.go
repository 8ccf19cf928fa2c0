package sim

import (
	"fmt"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
)

// The read and steer API for callers that hold a World between steps (the
// visualizer, notebooks). Nothing here may be called while Step runs.

// PlatformInfo describes a platform for display.
type PlatformInfo struct {
	Name, Label, Color string
}

// Platforms lists the platforms in scenario order.
func (w *World) Platforms() []PlatformInfo {
	out := make([]PlatformInfo, w.K)
	for p, pl := range w.plat {
		label := pl.cfg.Label
		if label == "" {
			label = pl.cfg.Name
		}
		out[p] = PlatformInfo{Name: pl.cfg.Name, Label: label, Color: pl.cfg.Color}
	}
	return out
}

// UserState is one user's standing with one platform.
type UserState struct {
	Stage      Stage
	Dormant    bool
	ActiveDays int // days since last use; −1 if never used
	Habit      float64
	BalanceFen int64
	FriendsOn  int
}

// User returns u's standing with platform p today.
func (w *World) User(u, p int) UserState {
	i := w.slot(u, p)
	s := UserState{Stage: w.stage(i), Dormant: w.dormant(i), ActiveDays: -1,
		Habit: w.habitNow(i, w.day), BalanceFen: w.balFen[i], FriendsOn: int(w.tr[i].friendsOn)}
	if lu := w.use[i].lastUse; lu != neverUsed {
		s.ActiveDays = w.day - int(lu)
	}
	return s
}

// MainWallet returns the platform u is most used to (highest habit among
// card-bound wallets; −1 if none) and whether u used it within the activity
// window. The visualizer colours a user's dot by it.
func (w *World) MainWallet(u int) (p int, active bool) {
	best, bestH := -1, -1.0
	for q := 0; q < w.K; q++ {
		i := u*w.K + q
		if w.stage(i) != CardBound {
			continue
		}
		if h := w.habitNow(i, w.day); h > bestH {
			best, bestH = q, h
		}
	}
	if best < 0 {
		return -1, false
	}
	lu := w.use[u*w.K+best].lastUse
	return best, lu != neverUsed && w.day-int(lu) < w.Scenario.Retention.ActiveDays
}

// MerchantCount is the number of merchants.
func (w *World) MerchantCount() int { return w.M }

// Merchant returns merchant m's kind name and the bit set of platforms it
// accepts (bit p for platform p).
func (w *World) Merchant(m int) (kind string, accepts uint8) {
	return w.kinds[w.mKind[m]].cfg.Kind, w.accept[m]
}

// EnvelopeFlow is one envelope share delivered today, for drawing.
type EnvelopeFlow struct {
	From, To  int32 // From is −1 for sponsored envelopes
	Platform  int
	AmountFen int64
}

// EnvelopeFlows appends to dst up to max envelope shares sent today (peer
// and sponsored), in delivery order, and returns it.
func (w *World) EnvelopeFlows(dst []EnvelopeFlow, max int) []EnvelopeFlow {
	add := func(m message) bool {
		if len(dst) >= max {
			return false
		}
		if m.kind() == msgEnvelope || m.kind() == msgSponsored || m.kind() == msgBrand {
			dst = append(dst, EnvelopeFlow{From: m.from, To: m.to(), Platform: int(m.plat()), AmountFen: int64(m.amount)})
		}
		return true
	}
	for _, pt := range w.parts {
		for _, m := range w.central[pt.id] {
			if !add(m) {
				return dst
			}
		}
		for _, src := range w.parts {
			for _, m := range src.out[pt.id] {
				if !add(m) {
					return dst
				}
			}
		}
	}
	return dst
}

// Lever names a platform lever a person can move while the world runs.
type Lever int

// The levers of the live visualizer's sliders.
const (
	LeverCashback        Lever = iota // user cashback per payment, fen
	LeverMerchantBonus                // merchant bonus per payment, fen
	LeverSponsoredPerDay              // sponsored envelope budget a day, fen
	LeverFeeRate                      // fee per yuan paid
)

// SetLever sets one of platform p's levers outright from the next day
// planned on; a negative value gives the lever back to the platform's
// policy and schedule. It goes through the platform's External policy
// (World.External), like every decision that arrives from outside.
func (w *World) SetLever(p int, l Lever, value float64) error {
	x, err := w.External(p)
	if err != nil {
		return err
	}
	switch l {
	case LeverCashback, LeverMerchantBonus, LeverSponsoredPerDay:
	case LeverFeeRate:
		if value > MaxFeeRate {
			return fmt.Errorf("sim: fee rate %v above %v", value, MaxFeeRate)
		}
	default:
		return fmt.Errorf("sim: unknown lever %d", l)
	}
	x.Set(func(lv *agents.Levers) {
		switch l {
		case LeverCashback:
			lv.CashbackFen = int64(value)
		case LeverMerchantBonus:
			lv.MerchantBonusFen = int64(value)
		case LeverSponsoredPerDay:
			lv.SponsoredFen = int64(value)
		case LeverFeeRate:
			lv.FeeRate = value
		}
	})
	return nil
}

// MaxFeeRate is the highest fee rate a lever may set: 20% of what is paid,
// far above any wallet's (UnionPay's card fee for most shops was 0.78%).
const MaxFeeRate = 0.2

// External returns the entry point for decisions about platform p that
// arrive from outside the model between days: the live visualizer's
// sliders, a classroom's players, an optimiser. Hold it and call its Set
// or SetLevers from any goroutine, even while another steps the world;
// each day planned uses the levers set when it began, over the
// platform's own policy (its [platforms.strategy]) and its schedule.
func (w *World) External(p int) (*agents.External, error) {
	if p < 0 || p >= w.K {
		return nil, fmt.Errorf("sim: no platform %d (the world has %d)", p, w.K)
	}
	return w.plat[p].external, nil
}

// Levers returns the levers set from outside on platform p (negative: not
// set).
func (w *World) Levers(p int) agents.Levers { return w.plat[p].external.Levers() }

// SetServices changes a platform's base service breadth from the next day
// on (city services added or removed live); campaigns still add theirs.
func (w *World) SetServices(p int, breadth float64) {
	w.plat[p].baseServices = min(1, max(0, breadth))
}

// StartEvent adds a calendar event that starts today (its Day is set to the
// current day): a Spring Festival or an outage started by a button.
func (w *World) StartEvent(e scenarios.Event) error {
	e.Day = w.day
	e.Days = max(1, e.Days)
	r, err := w.resolveEvent(&e)
	if err != nil {
		return err
	}
	w.cal.events = append(w.cal.events, r)
	return nil
}

// Treasury returns platform p's treasury in fen.
func (w *World) Treasury(p int) int64 { return w.plat[p].treasuryFen }
