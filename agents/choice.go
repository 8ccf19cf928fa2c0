package agents

// ChoiceWeights are the weights of the per-payment method choice
// (scenario table [choice]).
type ChoiceWeights struct{ Habit, Subsidy, Balance, Trust float64 }

// WalletUtility is the utility of paying one ticket with a wallet, against
// cash at 0:
//
//	V = convenience + wH·habit + wS·π·subsidy + wB·min(1, balance/ticket) − wT·deficit
//
// Balance enters as the share of the ticket it covers: money already in a
// wallet pulls the next payment there (the hongbao effect in docs/brief.md).
func WalletUtility(w ChoiceWeights, convenience, habit, priceSensitivity, subsidyYuan, balanceFen, ticketFen, trustDeficit float64) float64 {
	v := convenience + w.Habit*habit + w.Subsidy*priceSensitivity*subsidyYuan - w.Trust*trustDeficit
	if balanceFen > 0 && ticketFen > 0 {
		v += w.Balance * min(1, balanceFen/ticketFen)
	}
	return v
}

// ChooseMethod picks an option by multinomial logit (utilities plus Gumbel
// noise of scale 1): option i with probability e^V_i / Σ e^V_j. utilities[0]
// is the outside option (cash). uniform is one draw in [0, 1). Utilities are
// shifted by their maximum before exponentiation so extreme values cannot
// overflow; weights are exact to 2e-7 (expNonPositive), far below any
// difference a sample of choices could show.
func ChooseMethod(utilities []float64, uniform float64) int {
	if len(utilities) == 1 {
		return 0
	}
	top := utilities[0]
	for _, v := range utilities[1:] {
		top = max(top, v)
	}
	var buf [9]float64
	weights := buf[:0]
	total := 0.0
	for _, v := range utilities {
		e := 1.0 // the best option's weight, without an exp
		if v != top {
			e = expNonPositive(v - top)
		}
		weights = append(weights, e)
		total += e
	}
	x := uniform * total
	for i, e := range weights {
		if x < e {
			return i
		}
		x -= e
	}
	return len(utilities) - 1
}

// ChooseOfThree is ChooseMethod over cash and two wallets: it returns
// ChooseMethod([]float64{0, v1, v2}, uniform) for every input, ties,
// infinities and NaNs included, so a run that calls it writes the same
// output as one that calls ChooseMethod. It saves the slices and, on most
// draws, both exps: the option with the top utility (weight 1) is chosen
// whenever the uniform falls inside its share of the total weight for
// every weights the others could have, and for a weight e^−s (s ≥ 0 below
// the top) 1/(1 + s + s²/2 + s³/6) is an upper bound that needs no exp.
// Two wallets on offer at one merchant is the payments' second most
// common choice after one (which UnderLogistic decides).
func ChooseOfThree(v1, v2, uniform float64) int {
	// Sufficient conditions, with the plain computation's total T ≥ 1 (the
	// top's weight) and the others' weights at most h0, h1, h2 (bounds
	// raised by choiceSlack, far above the exp's 2e-7 and rounding):
	//   top cash:     u·(1 + h1 + h2) < 1 puts u·T below cash's weight 1;
	//   top wallet 1: u ≥ h0 passes cash, and u·(1 + h0 + h2) < 1 stays
	//                 inside wallet 1's weight 1;
	//   top wallet 2: u ≥ h0 + h1 passes both.
	// The top is found by comparisons that a NaN fails; a NaN then enters
	// some s, its bound is NaN and the conditions fail too.
	if v1 >= v2 {
		if v1 >= 0 {
			h0 := expBound(v1)
			if uniform >= h0*choiceSlack && uniform*(1+h0+expBound(v1-v2))*choiceSlack < 1 {
				return 1
			}
		} else if uniform*(1+expBound(-v1)+expBound(-v2))*choiceSlack < 1 {
			return 0
		}
	} else if v2 >= 0 {
		if uniform >= (expBound(v2)+expBound(v2-v1))*choiceSlack {
			return 2
		}
	} else if uniform*(1+expBound(-v1)+expBound(-v2))*choiceSlack < 1 {
		return 0
	}
	// ChooseMethod's computation written out for three options, step
	// for step, so that it rounds the same way.
	top := max(max(0, v1), v2)
	w0, w1, w2 := 1.0, 1.0, 1.0
	if 0 != top {
		w0 = expNonPositive(0 - top)
	}
	if v1 != top {
		w1 = expNonPositive(v1 - top)
	}
	if v2 != top {
		w2 = expNonPositive(v2 - top)
	}
	x := uniform * (0 + w0 + w1 + w2)
	if x < w0 {
		return 0
	}
	if x -= w0; x < w1 {
		return 1
	}
	return 2 // ChooseMethod's last option, below w2 or not
}

// choiceSlack raises ChooseOfThree's bounds by far more than the 2e-7
// relative error of expNonPositive and the few roundings of the sums.
const choiceSlack = 1 + 1e-6

// expBound is an upper bound on e^−s for s ≥ 0 (the reciprocal of the
// first four terms of e^s, each positive), with one division and no exp.
// It is 1 at s = 0, 0 once s³ overflows (where e^−s is 0 too) and NaN
// for a NaN s.
func expBound(s float64) float64 {
	return 1 / (1 + s*(1+s*(1.0/2+s*(1.0/6))))
}

// ReferenceLoss is the loss, in yuan, a user feels paying with a wallet
// whose cashback today (currentYuan) is below what it offered lately
// (referenceYuan):
//
//	loss = λ · max(0, reference − current)
//
// and the payment's utility falls by choice.subsidy times it. Reference
// dependence with loss aversion is prospect theory's (Kahneman and
// Tversky 1979; Tversky and Kahneman 1992 put λ near 2.25 for money):
// the taxi war's riders, paid 10–20 yuan a ride for months, paid far
// less often in the apps once the cashback stopped (85% of Didi's rides
// to 75% within days, record/taxi.csv), where a habit alone would keep
// them paying there. A rise in cashback is no loss; gains are weighed by
// WalletUtility's subsidy term as before.
func ReferenceLoss(lambda, referenceYuan, currentYuan float64) float64 {
	if lambda <= 0 || referenceYuan <= currentYuan {
		return 0
	}
	return lambda * (referenceYuan - currentYuan)
}

// FollowReference moves the reference cashback one day towards today's
// offer: an exponential average with step 1/days, so a cut is felt
// fully the day after and fades as the reference adapts (half of it in
// about 0.69·days days).
func FollowReference(referenceYuan, currentYuan, days float64) float64 {
	return referenceYuan + (currentYuan-referenceYuan)/max(1, days)
}
