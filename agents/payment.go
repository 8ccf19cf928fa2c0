package agents

// FirstPaymentReturn is the "1 cent to cash" return on a user's first
// payment of ticketFen with a wallet (Weibo's 2014 campaign; docs/brief.md,
// campaigns): pct percent of the ticket, rounded to the fen, at most
// maxFen (0: no maximum):
//
//	r = min(round(pct/100 · ticket), max)
func FirstPaymentReturn(pct float64, maxFen, ticketFen int64) int64 {
	if pct <= 0 {
		return 0
	}
	r := percentFen(pct, ticketFen)
	if maxFen > 0 {
		r = min(r, maxFen)
	}
	return r
}

// CapacityFailure is the share of a platform's payment attempts that fail
// because it is over capacity (docs/brief.md, capacity; the Spring Festival
// 2014–15 outages of docs/record.md): with capacity C payments a day and a
// forecast of D attempts,
//
//	f = 1 − C/D when D > C, else 0.
func CapacityFailure(capacity, forecast float64) float64 {
	if forecast > capacity {
		return 1 - capacity/forecast
	}
	return 0
}

// CombineFailures is the share of attempts that fail under two independent
// causes failing shares a and b (capacity and an outage, two outages):
//
//	1 − (1 − a)(1 − b)
func CombineFailures(a, b float64) float64 { return 1 - (1-a)*(1-b) }

// InducedShare is how much a subsidy worth share of a typical ticket
// raises the payment rate, before subsidy_elasticity (docs/brief.md section 4,
// induced demand): it levels off for large subsidies,
//
//	s′ = s / (1 + s/saturation)
//
// and is s itself when saturation is 0 (no levelling off).
func InducedShare(share, saturation float64) float64 {
	if saturation > 0 {
		return share / (1 + share/saturation)
	}
	return share
}
