package sim

import (
	"math"
	"time"

	"github.com/paywars/hongbao/scenarios"
)

// PlatformDay is one platform's metrics on one day, at the model's scale
// (multiply counts and money by Scale for the real population).
type PlatformDay struct {
	Aware, Registered, CardBound int64
	DAU, MAU                     int64 // used today; used within retention.active_days
	Payments, PaymentValueFen    int64
	// ShareValue is the platform's share of wallet payment value today
	// (platforms sum to 1 on any day with wallet payments); ShareAll counts
	// cash too.
	ShareValue, ShareAll  float64
	Merchants             int64 // merchants accepting the wallet
	SubsidyUserFen        int64 // cashback, first-payment returns, referral bonuses
	SubsidyMerchantFen    int64 // merchant (driver) bonuses
	EnvelopesP2P          int64
	EnvelopesP2PFen       int64
	Transfers             int64 // personal transfers sent (flows.go)
	TransfersFen          int64
	FundFen               int64 // fund purchases (flows.go)
	EnvelopesSponsored    int64
	EnvelopesSponsoredFen int64
	EnvelopesClaimed      int64
	FeeRevenueFen         int64
	TreasuryFen           int64
	NewCardBound          int64
	NewBoundFromClaim     int64   // new card bindings by users who registered to claim an envelope
	Multihoming           float64 // share of card-bound users with another wallet bound
	FailedPayments        int64
	Outage                bool
	CashbackHeadlineFen   int64 // the fixed cashback advertised today
}

// DayMetrics is what one day of a run reports.
type DayMetrics struct {
	Day          int
	Date         string
	Events       []string
	CashPayments int64 // payments by cash or bank card outside the wallets
	CashValueFen int64
	Platforms    []PlatformDay
	// Kinds breaks payments down by merchant kind, in scenario order.
	Kinds []KindDay
}

// KindDay is one merchant kind's payments on one day.
type KindDay struct {
	Kind         string
	Payments     []int64 // through each platform, in scenario order
	ValueFen     []int64
	CashPayments int64 // outside the wallets
	CashValueFen int64
}

// record collects the day's metrics from partitions and platforms, and
// advances each platform's payoff.
func (w *World) record(d int) {
	s := w.Scenario
	// The rest of the run's rows come in one block of each type (rowBlock).
	days := max(1, s.World.Days-d)
	if w.history == nil {
		w.history = make([]DayMetrics, 0, days)
	}
	dm := DayMetrics{Day: d, Date: dateOnly(w.cal.date(d)), Platforms: rowBlock(&w.rows.plat, w.K, days)}
	dm.Events = append(dm.Events, w.season.names...)
	for _, pt := range w.parts {
		dm.CashPayments += pt.c.cashCount
		dm.CashValueFen += pt.c.cashValue
	}
	if len(w.kinds) > 0 {
		dm.Kinds = rowBlock(&w.rows.kinds, len(w.kinds), days)
	}
	for k, ki := range w.kinds {
		kd := &dm.Kinds[k]
		kd.Kind = ki.cfg.Kind
		kd.Payments, kd.ValueFen = rowBlock(&w.rows.counts, w.K, 2*len(w.kinds)*days), rowBlock(&w.rows.counts, w.K, 2*len(w.kinds)*days)
		for _, pt := range w.parts {
			row := k * (w.K + 1)
			for p := 0; p < w.K; p++ {
				kd.Payments[p] += pt.c.kindPay[row+p]
				kd.ValueFen[p] += pt.c.kindValue[row+p]
			}
			kd.CashPayments += pt.c.kindPay[row+w.K]
			kd.CashValueFen += pt.c.kindValue[row+w.K]
		}
	}
	ad := s.Retention.ActiveDays
	disc := w.discount(d)
	var accepting [MaxPlatforms]int64 // merchants accepting each wallet, in one pass
	for _, a := range w.accept {
		for p := range w.K {
			accepting[p] += int64(a >> p & 1)
		}
	}
	walletValue := int64(0)
	for p, pl := range w.plat {
		m := &dm.Platforms[p]
		for _, pt := range w.parts {
			lv, dy := &pt.c.level[p], &pt.c.day[p]
			m.Aware += lv.aware
			m.Registered += lv.registered
			m.CardBound += lv.bound
			m.DAU += int64(pt.useHist[p][d+ad] - pt.useStart[p]) // the users whose last use is today (markUseHabit)
			m.Payments += dy.payments
			m.PaymentValueFen += dy.value
			m.SubsidyUserFen += dy.subsidyUser
			m.EnvelopesP2P += dy.envP2P
			m.EnvelopesP2PFen += dy.envP2PFen
			m.Transfers += dy.transfers
			m.TransfersFen += dy.transfersFen
			m.FundFen += dy.fundFen
			m.EnvelopesClaimed += dy.claimed
			m.NewCardBound += dy.newBound
			m.NewBoundFromClaim += dy.newBoundFromClaim
			m.FailedPayments += dy.failed
			mh := lv.multiHomed
			m.Multihoming += float64(mh)
			h := pt.useHist[p]
			for x := d + 1; x <= d+ad; x++ { // days d−ad+1..d, stored at day+ad
				m.MAU += int64(h[x])
			}
		}
		if m.CardBound > 0 {
			m.Multihoming /= float64(m.CardBound)
		} else {
			m.Multihoming = 0
		}
		m.SubsidyMerchantFen = pl.bonusTodayFen
		m.FeeRevenueFen = pl.feesTodayFen
		m.SubsidyUserFen += pl.referralTodayFen
		pl.referralTodayFen = 0
		m.EnvelopesSponsored, m.EnvelopesSponsoredFen = pl.sponsoredToday, pl.sponsoredFenToday
		m.TreasuryFen = pl.treasuryFen
		m.Outage = pl.outage
		m.CashbackHeadlineFen = pl.plan.Headline()
		pl.attempts = 0
		for _, pt := range w.parts {
			pl.attempts += pt.c.day[p].attempts
		}
		walletValue += m.PaymentValueFen
		m.Merchants = accepting[p]

		// Payoff: discounted fees minus every subsidy the treasury paid.
		spent := m.SubsidyUserFen + m.SubsidyMerchantFen
		if pl.sponsoredByTreasury {
			spent += m.EnvelopesSponsoredFen
		}
		pl.cumSubsidyFen += m.SubsidyUserFen + m.SubsidyMerchantFen
		flow := m.FeeRevenueFen - spent
		pl.flowFen += flow
		pl.payoffYuan += scenarios.FenToYuan(flow) * disc
		pl.valueFen = pl.flowFen + s.Payoff.TerminalMAU.Fen()*m.MAU
		pl.sponsoredToday, pl.sponsoredFenToday, pl.sponsoredByTreasury = 0, 0, false
	}
	allValue := walletValue + dm.CashValueFen
	for p := range dm.Platforms {
		m := &dm.Platforms[p]
		if walletValue > 0 {
			m.ShareValue = float64(m.PaymentValueFen) / float64(walletValue)
		}
		if allValue > 0 {
			m.ShareAll = float64(m.PaymentValueFen) / float64(allValue)
		}
	}
	w.history = append(w.history, dm)
}

// discount is the factor (1+r)^(−d/365) of the payoff's yearly rate r.
func (w *World) discount(d int) float64 {
	return math.Pow(1+w.Scenario.Payoff.DiscountRate, -float64(d)/365)
}

// rows are the blocks record carves the days' metrics from: a small run
// otherwise made half its allocations there, five or six a day.
type rows struct {
	plat   []PlatformDay
	kinds  []KindDay
	counts []int64
}

// rowBlock returns the next n zero elements of *block, capped so that
// appending to them cannot reach the next day's; when *block has fewer
// left it is replaced by a new block of days·n (the days left in the run).
func rowBlock[T any](block *[]T, n, days int) []T {
	if len(*block) < n {
		*block = make([]T, n*days)
	}
	s := (*block)[:n:n]
	*block = (*block)[n:]
	return s
}

// dateOnly is t.Format(time.DateOnly), without the layout's parsing for
// the years it writes as four digits.
func dateOnly(t time.Time) string {
	y, m, d := t.Date()
	if y < 1000 || y > 9999 {
		return t.Format(time.DateOnly)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}
