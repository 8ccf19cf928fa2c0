package agents

import "math"

// Logistic is Λ(x) = 1 / (1 + e^(−x)), to a relative 2e-7.
func Logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + expNonPositive(-x))
	}
	e := expNonPositive(x)
	return e / (1 + e)
}

// UnderLogistic reports whether a uniform draw u falls below Λ(x), which
// makes it a Bernoulli(Λ(x)) trial (one runs per payment and per adoption
// trial). Λ is concave for x ≥ 0, so it lies above its chord from 0 to 4
// and above Λ(4) beyond; by symmetry Λ(−x) = 1 − Λ(x). Most draws fall on
// the far side of that bound (a habitual payer's u is below it, an
// adoption trial's above it) and need no exp. The rest compare
// u·(1 + e^(−x)) with 1, which is u < Λ(x) with no division.
func UnderLogistic(u, x float64) bool {
	if x >= 0 {
		if u < logisticFloor && u < 0.5+logisticChord*x {
			return true
		}
		return u*(1+expNonPositive(-x)) < 1
	}
	if u >= 1-logisticFloor && u >= 1-(0.5-logisticChord*x) {
		return false
	}
	e := expNonPositive(x)
	return u*(1+e) < e
}

// OverLogistic reports whether a uniform draw u is surely not below
// Λ(y) for every y ≤ x, whatever the 2e-7 error of the exp that
// UnderLogistic uses: then UnderLogistic(u, y) is false for every such
// y, and a trial with a ceiling x on its index can fail without the
// index itself. Most draws clear UnderLogistic's own chord bound at x,
// which lies above its bound at every y ≤ x; the rest compare u with
// Λ(x) raised by a relative 1e-5, far above the exp's error. It is false
// for x ≥ 0 (those draws need the index).
func OverLogistic(u, x float64) bool {
	if x >= 0 {
		return false
	}
	if u >= 1-logisticFloor && u >= 1-(0.5-logisticChord*x) {
		return true
	}
	e := expNonPositive(x)
	return u*(1+e) >= e*(1+1e-5)
}

// logisticFloor is a little under Λ(4), and logisticChord a little under
// the slope of Λ's chord from 0 to 4, so that rounding cannot put the
// bound of UnderLogistic above Λ: 1/(1+e^(−4)) − 1e-12 and
// (logisticFloor−0.5)/4 − 1e-12 in float64, written out as constants
// (TestLogisticBoundConstants) so that 1 − logisticFloor folds and each
// payment's test loads nothing.
const (
	logisticFloor = 0x1.f6ca82f0dbebbp-01
	logisticChord = 0x1.ed9505e1a63fcp-04
)

// AdoptionWeights are the weights of the adoption logit (scenario table
// [adoption]).
type AdoptionWeights struct {
	Intercept, Friends, Subsidy, Merchants, Services, Balance, SwitchingCost, Trust float64
}

// AdoptionInput is what a user weighs when deciding whether to take the next
// step (register, then bind a card) on a platform.
type AdoptionInput struct {
	SocialSensitivity float64 // the user's trait
	PriceSensitivity  float64 // the user's trait
	Friends           float64 // friends active on the platform over the ties it carries
	SubsidyYuan       float64 // subsidy on offer for a typical payment, in yuan
	MerchantShare     float64 // share of the user's usual merchants that accept the wallet
	Services          float64 // the platform's service breadth, 0..1
	HasBalance        bool    // money waiting in the wallet (claimed envelopes)
	OtherWallets      int     // wallets the user already has a card bound to
	TrustDeficit      float64 // 0 none .. 1 total
}

// AdoptionUtility is the logit index of taking one adoption step:
//
//	U = a0 + aF·s·ln(1+friends) + aS·π·subsidy + aM·merchants + aB·services
//	    + aW·[balance] − c·wallets − aT·deficit
//
// with s the social and π the price sensitivity. Friends enter in logs so
// the first friends matter most (Centellegher et al. 2018 find the count of
// mobile-money friends the top predictor of adoption).
func AdoptionUtility(w AdoptionWeights, in AdoptionInput) float64 { return w.Utility(&in) }

// Utility is AdoptionUtility by pointer, for the engine's adoption
// trials: passed by value, the weights and the input are more fields than
// the compiler keeps in registers, so each trial copied both to the stack
// with wide moves that cannot be forwarded from the input's stores just
// before (a tenth of adopt's instructions).
func (w *AdoptionWeights) Utility(in *AdoptionInput) float64 {
	u := w.Intercept +
		w.Friends*in.SocialSensitivity*log1pCount(in.Friends) +
		w.Subsidy*in.PriceSensitivity*in.SubsidyYuan +
		w.Merchants*in.MerchantShare +
		w.Services*in.Services -
		w.SwitchingCost*float64(in.OtherWallets) -
		w.Trust*in.TrustDeficit
	if in.HasBalance {
		u += w.Balance
	}
	return u
}

// AdoptionCeiling bounds AdoptionUtility from above without the inputs
// that cost a trial most to gather (the merchant share, the balance and
// the trust deficit): each is put at the value that raises U most (share
// 0 or 1, a balance or none, a deficit of 0 or 1), which with the
// intercept and services makes base (AdoptionCeilingBase, the same for
// every user of a platform on a day). An adoption trial whose draw
// already fails against the ceiling (OverLogistic) fails against U too,
// so it needs U only when the draw comes under the ceiling: with U near
// a0 ≈ −8, most trials end there. It takes pointers, as it runs on every
// adoption trial.
func AdoptionCeiling(w *AdoptionWeights, base float64, in *AdoptionInput) float64 {
	u := base - w.SwitchingCost*float64(in.OtherWallets)
	if in.Friends != 0 {
		u += w.Friends * in.SocialSensitivity * log1pCount(in.Friends)
	}
	if in.SubsidyYuan != 0 {
		u += w.Subsidy * in.PriceSensitivity * in.SubsidyYuan
	}
	return u
}

// AdoptionCeilingBase is the part of AdoptionCeiling that does not depend
// on the user: the intercept, the platform's services, and the left-out
// inputs at their most favourable.
func AdoptionCeilingBase(w *AdoptionWeights, services float64) float64 {
	return w.Intercept + w.Services*services + max(0, w.Merchants) + max(0, w.Balance) + max(0, -w.Trust)
}

// log1pCount is ln(1 + x), from a table when x is a small whole number
// (a count of friends, as it is on a graph; a trial computes one).
func log1pCount(x float64) float64 {
	if n := int(x); n >= 0 && n < len(log1pTable) && float64(n) == x {
		return log1pTable[n]
	}
	return math.Log1p(x)
}

var log1pTable = func() (t [256]float64) {
	for n := range t {
		t[n] = math.Log1p(float64(n))
	}
	return t
}()

// ClaimByRegisteringProbability is the chance an unregistered recipient
// registers to claim an envelope: the base rate times its social
// sensitivity, capped at 1 (a share from a friend is a social nudge).
func ClaimByRegisteringProbability(base, socialSensitivity float64) float64 {
	return min(1, base*socialSensitivity)
}

// AwarenessHazard is the daily hazard that an unaware user hears of a
// platform (docs/brief.md section 2; Bass 1969, p + qF): advertising p, plus
// word of mouth q times the share of the user's contacts over ties the
// platform carries who are on it, times the platform's reach (1 on a
// graph; its average reach under uniform mixing, where the contacts are
// the whole population):
//
//	h = p + q · onFriends/contacts · reach
//
// The chance of hearing on a day is 1 − e^(−h).
func AwarenessHazard(advertising, wordOfMouth, onFriends, contacts, reach float64) float64 {
	if wordOfMouth <= 0 || contacts <= 0 {
		return advertising
	}
	return advertising + wordOfMouth*onFriends/contacts*reach
}

// InviteAccepted reports whether an invited user registers (a staff push,
// Laiwang 2013; campaigns' invite_accept): a Bernoulli(accept) trial on
// the uniform draw u.
func InviteAccepted(accept, u float64) bool { return u < accept }

// GoesDormant reports whether a registered user drifts to dormancy on a
// day its dormancy coin came up (docs/brief.md section 6, retention): nothing
// in its wallet, no use for dormantAfter days, and no friend on the
// platform.
func GoesDormant(balanceFen int64, idleDays, dormantAfter int, friendsOn float64) bool {
	return balanceFen == 0 && idleDays >= dormantAfter && friendsOn < 1
}
