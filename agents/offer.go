package agents

import (
	"math"

	"github.com/paywars/hongbao/scenarios"
)

// Offer is what a platform pays on one payment at one kind of merchant
// today: the sum of its active campaigns for that kind plus what its
// strategy adds.
type Offer struct {
	CashbackFen    int64   // fixed user cashback per payment
	CashbackMaxFen int64   // when above CashbackFen, the cashback is uniform between the two
	CashbackPct    float64 // percent of the ticket, added
	CashbackCapFen int64   // per payment; 0 none
	DailyCapFen    int64   // per user a day; 0 none
	DailyCount     int     // payments a day per user that earn cashback; 0 no limit

	MerchantBonusFen    int64 // per payment, to the merchant (driver)
	MerchantDailyCapFen int64 // per merchant a day; 0 none
}

// Active reports whether the offer pays anything.
func (o *Offer) Active() bool {
	return o.CashbackFen > 0 || o.CashbackMaxFen > 0 || o.CashbackPct > 0 || o.MerchantBonusFen > 0
}

// Cashback is the user cashback on one payment of ticketFen, before the
// daily caps; uniform is a draw in [0, 1) used only by random amounts. It
// never exceeds the ticket: cashback is an instant discount.
func (o *Offer) Cashback(ticketFen int64, uniform float64) int64 {
	amt := o.CashbackFen
	if o.CashbackMaxFen > amt {
		amt += int64(uniform * float64(o.CashbackMaxFen-amt+1))
	}
	if o.CashbackPct > 0 {
		amt += int64(math.Round(o.CashbackPct / 100 * float64(ticketFen)))
	}
	if o.CashbackCapFen > 0 {
		amt = min(amt, o.CashbackCapFen)
	}
	return max(0, min(amt, ticketFen))
}

// ExpectedCashback is the mean cashback on a ticket, for users weighing a
// wallet before they pay with it.
func (o *Offer) ExpectedCashback(ticketFen int64) int64 {
	amt := o.CashbackFen
	if o.CashbackMaxFen > amt {
		amt = (amt + o.CashbackMaxFen) / 2
	}
	amt += int64(o.CashbackPct / 100 * float64(ticketFen))
	if o.CashbackCapFen > 0 {
		amt = min(amt, o.CashbackCapFen)
	}
	return max(0, min(amt, ticketFen))
}

// Headline is the fixed cashback a rival sees advertised (the mean of a
// random range); match strategies answer it.
func (o *Offer) Headline() int64 {
	if o.CashbackMaxFen > o.CashbackFen {
		return (o.CashbackFen + o.CashbackMaxFen) / 2
	}
	return o.CashbackFen
}

// DayPlan is everything a platform offers on one day.
type DayPlan struct {
	Kinds []Offer // per merchant kind, in scenario order

	FirstPaymentPct    float64
	FirstPaymentMaxFen int64

	ReferralFen   int64
	InvitesPerDay float64 // per 1,000 users
	InviteAccept  float64

	SponsoredFen     int64
	SponsoredSizeFen int64
	SponsoredPick    string
	SponsoredByBrand bool

	Advertising float64 // added to the platform's Bass p
	Services    float64 // added to the platform's service breadth

	// DailyBudgetFen caps what the day's subsidies (cashback, first-payment
	// returns, merchant bonuses) may cost; 0 means no cap.
	DailyBudgetFen int64
}

// Headline is the largest headline cashback over merchant kinds.
func (d *DayPlan) Headline() int64 {
	h := int64(0)
	for i := range d.Kinds {
		h = max(h, d.Kinds[i].Headline())
	}
	return h
}

// Extra is what a platform adds on top of its schedule: from its reactive
// strategy or from a person steering the live visualizer.
type Extra struct {
	CashbackFen      int64
	MerchantBonusFen int64
	Kinds            []bool // merchant kinds it applies to; nil means all
}

// Levers are live overrides of a platform's main levers. A negative amount
// (or fee) means "not overridden". They replace, not add to, the planned
// values, so a slider shows what is paid.
type Levers struct {
	CashbackFen      int64
	MerchantBonusFen int64
	SponsoredFen     int64
	FeeRate          float64
}

// NoLevers is the zero override.
var NoLevers = Levers{CashbackFen: -1, MerchantBonusFen: -1, SponsoredFen: -1, FeeRate: -1}

// PlanDay sums the campaigns of a platform that run on day, adds the
// strategy's extra and applies live levers. kindIndex maps merchant kind
// names to their index; nKinds is their number.
func PlanDay(day int, campaigns []scenarios.Campaign, kindIndex map[string]int, nKinds int, extra Extra, lv Levers) DayPlan {
	plan := DayPlan{Kinds: make([]Offer, nKinds), SponsoredPick: "any"}
	// A cap of 0 means "none"; overlapping campaigns' caps add, and one
	// campaign without a cap lifts it. uncapped tracks that per kind and cap.
	uncapped := make([][4]bool, nKinds)
	covered := make([]bool, nKinds)
	unbudgeted := false // a running subsidy campaign without a daily budget
	for i := range campaigns {
		c := &campaigns[i]
		if day < c.Start || day > c.End {
			continue
		}
		for k := 0; k < nKinds; k++ {
			if !campaignCovers(c.MerchantKinds, kindIndex, k) {
				continue
			}
			o := &plan.Kinds[k]
			o.CashbackFen += c.Cashback.Fen()
			if c.CashbackMax > c.Cashback {
				o.CashbackMaxFen += c.CashbackMax.Fen()
			} else {
				o.CashbackMaxFen += c.Cashback.Fen()
			}
			o.CashbackPct += c.CashbackPercent
			o.MerchantBonusFen += c.MerchantBonus.Fen()
			covered[k] = true
			for j, v := range [4]int64{c.CashbackCap.Fen(), c.DailyCap.Fen(), int64(c.DailyCount), c.MerchantDailyCap.Fen()} {
				if v == 0 {
					uncapped[k][j] = true
				}
			}
			o.CashbackCapFen += c.CashbackCap.Fen()
			o.DailyCapFen += c.DailyCap.Fen()
			o.DailyCount += c.DailyCount
			o.MerchantDailyCapFen += c.MerchantDailyCap.Fen()
		}
		plan.FirstPaymentPct = max(plan.FirstPaymentPct, c.FirstPaymentPercent)
		plan.FirstPaymentMaxFen = max(plan.FirstPaymentMaxFen, c.FirstPaymentMax.Fen())
		plan.ReferralFen += c.Referral.Fen()
		if c.InvitesPerDay > 0 {
			plan.InvitesPerDay += c.InvitesPerDay
			plan.InviteAccept = max(plan.InviteAccept, c.InviteAccept)
		}
		if c.SponsoredPerDay > 0 {
			plan.SponsoredFen += c.SponsoredPerDay.Fen()
			plan.SponsoredSizeFen = c.SponsoredSize.Fen()
			plan.SponsoredPick = c.SponsoredPick
			plan.SponsoredByBrand = c.SponsoredByBrand
		}
		plan.Advertising += c.Advertising
		plan.Services += c.Services
		if pays := c.Cashback > 0 || c.CashbackMax > 0 || c.CashbackPercent > 0 || c.MerchantBonus > 0 || c.FirstPaymentPercent > 0; pays {
			if c.BudgetPerDay > 0 {
				plan.DailyBudgetFen += c.BudgetPerDay.Fen()
			} else {
				unbudgeted = true
			}
		}
	}
	if unbudgeted {
		plan.DailyBudgetFen = 0
	}
	// What a strategy adds is paid within the running campaigns' budget
	// when they have one, and from the treasury alone otherwise.
	for k := 0; k < nKinds; k++ {
		o := &plan.Kinds[k]
		if !covered[k] {
			continue
		}
		if uncapped[k][0] {
			o.CashbackCapFen = 0
		}
		if uncapped[k][1] {
			o.DailyCapFen = 0
		}
		if uncapped[k][2] {
			o.DailyCount = 0
		}
		if uncapped[k][3] {
			o.MerchantDailyCapFen = 0
		}
	}
	for k := 0; k < nKinds; k++ {
		if extra.Kinds != nil && !extra.Kinds[k] {
			continue
		}
		o := &plan.Kinds[k]
		o.CashbackFen += extra.CashbackFen
		o.CashbackMaxFen += extra.CashbackFen
		o.MerchantBonusFen += extra.MerchantBonusFen
	}
	for k := range plan.Kinds {
		o := &plan.Kinds[k]
		if o.CashbackMaxFen <= o.CashbackFen {
			o.CashbackMaxFen = 0
		}
		if lv.CashbackFen >= 0 {
			o.CashbackFen, o.CashbackMaxFen, o.CashbackPct = lv.CashbackFen, 0, 0
		}
		if lv.MerchantBonusFen >= 0 {
			o.MerchantBonusFen = lv.MerchantBonusFen
		}
	}
	if lv.SponsoredFen >= 0 {
		plan.SponsoredFen = lv.SponsoredFen
		if plan.SponsoredSizeFen == 0 {
			plan.SponsoredSizeFen = 500
		}
	}
	return plan
}

// campaignCovers reports whether a campaign's merchant_kinds list includes
// kind k (an empty list covers all).
func campaignCovers(kinds []string, index map[string]int, k int) bool {
	if len(kinds) == 0 {
		return true
	}
	for _, name := range kinds {
		if i, ok := index[name]; ok && i == k {
			return true
		}
	}
	return false
}
