package agents

// MerchantOutlook is what a merchant weighs about one wallet at a review.
type MerchantOutlook struct {
	WeeklyValueYuan float64 // sales its customers would pay through the wallet in a week
	WeeklyPayments  float64 // the number of those payments
	BonusYuan       float64 // merchant-side subsidy per payment on offer
	FeeRate         float64 // fee per yuan paid
	BenefitRate     float64 // what a yuan of wallet sales is worth to the merchant
	FixedCostYuan   float64 // weekly cost of keeping the wallet
}

// MerchantWantsWallet reports whether accepting the wallet pays: what its
// customers would pay through it, valued at the benefit rate, plus the
// merchant-side subsidies, outweighs the fees and the fixed cost:
//
//	b·V + bonus·n > f·V + F
func MerchantWantsWallet(o MerchantOutlook) bool {
	gain := o.BenefitRate*o.WeeklyValueYuan + o.BonusYuan*o.WeeklyPayments
	cost := o.FeeRate*o.WeeklyValueYuan + o.FixedCostYuan
	return gain > cost
}

// ExpectedWeeklyPayments is the number of payments a week a merchant
// expects through a wallet (docs/brief.md section 7): its usual customers with
// a card bound on the wallet, each paying paymentsPerDay a day spread over
// its usualMerchants usual merchants, of which the wallet takes
// expectedShare:
//
//	n = customers · rate · 7 / usual merchants · expected_share
func ExpectedWeeklyPayments(customers, paymentsPerDay float64, usualMerchants int, expectedShare float64) float64 {
	return customers * paymentsPerDay * 7 / float64(usualMerchants) * expectedShare
}

// MerchantDropsWallet reports whether an accepted wallet has brought
// nothing for so long that the merchant drops it.
func MerchantDropsWallet(daysSinceLastPayment, dropAfter int) bool {
	return daysSinceLastPayment >= dropAfter
}
