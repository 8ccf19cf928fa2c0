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
// wallet pulls the next payment there (the hongbao effect in MODEL.md).
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
