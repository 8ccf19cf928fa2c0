package agents

import "github.com/paywars/hongbao/scenarios"

// Offer is what a platform pays on one payment at one kind of merchant
// today: the sum of its running campaigns for that kind plus what its
// policy adds (Schedule.Day, DayPlan.Apply).
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

// PaysCashback reports whether the offer pays users any cashback.
func (o *Offer) PaysCashback() bool {
	return o.CashbackFen > 0 || o.CashbackMaxFen > 0 || o.CashbackPct > 0
}

// RandomCashback reports whether the offer's cashback is a random amount
// (uniform between CashbackFen and CashbackMaxFen): only then does
// Cashback read its uniform, so a caller may leave the draw out.
func (o *Offer) RandomCashback() bool { return o.CashbackMaxFen > o.CashbackFen }

// Cashback is the user cashback on one payment of ticketFen, before the
// daily caps; uniform is a draw in [0, 1) used only by random amounts. It
// never exceeds the ticket: cashback is an instant discount.
func (o *Offer) Cashback(ticketFen int64, uniform float64) int64 {
	amt := o.CashbackFen
	if o.CashbackMaxFen > amt { // RandomCashback, written out: Cashback inlines
		amt += int64(uniform * float64(o.CashbackMaxFen-amt+1))
	}
	if o.CashbackPct > 0 {
		amt += percentFen(o.CashbackPct, ticketFen)
	}
	if o.CashbackCapFen > 0 {
		amt = min(amt, o.CashbackCapFen)
	}
	return max(0, min(amt, ticketFen))
}

// ExpectedCashback is the cashback a user expects on a ticket when it
// weighs a wallet before paying with it: Cashback with a range at its
// middle. Both round to the fen the same way (scenarios.RoundFen: to the
// nearest, halves up).
func (o *Offer) ExpectedCashback(ticketFen int64) int64 {
	amt := o.CashbackFen
	if o.CashbackMaxFen > amt {
		amt = midFen(amt, o.CashbackMaxFen)
	}
	amt += percentFen(o.CashbackPct, ticketFen)
	if o.CashbackCapFen > 0 {
		amt = min(amt, o.CashbackCapFen)
	}
	return max(0, min(amt, ticketFen))
}

// percentFen is pct percent of ticketFen, rounded to the nearest fen:
// scenarios.RoundFen for the non-negative amounts a percent of a ticket
// makes (pct ≥ 0, ticket ≥ 0), in few enough instructions that
// ExpectedCashback, run for every wallet payment weighed, still inlines.
func percentFen(pct float64, ticketFen int64) int64 {
	x := pct / 100 * float64(ticketFen)
	r := int64(x)
	if x-float64(r) >= 0.5 {
		r++
	}
	return r
}

// midFen is the middle of the range lo..hi fen (0 ≤ lo ≤ hi), rounded to
// the nearest fen, halves up: the mean of a uniform whole-fen draw.
func midFen(lo, hi int64) int64 { return (lo + hi + 1) / 2 }

// Headline is the fixed cashback a rival sees advertised (the middle of a
// random range); match strategies answer it.
func (o *Offer) Headline() int64 {
	if o.CashbackMaxFen > o.CashbackFen {
		return midFen(o.CashbackFen, o.CashbackMaxFen)
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
	SponsoredPick    Pick
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

// Levers are levers of a platform set outright from outside (External):
// a negative amount (or fee) means "not set". They replace, not add to,
// the planned values, so a slider shows what is paid.
type Levers struct {
	CashbackFen      int64
	MerchantBonusFen int64
	SponsoredFen     int64
	FeeRate          float64
}

// NoLevers sets no lever.
var NoLevers = Levers{CashbackFen: -1, MerchantBonusFen: -1, SponsoredFen: -1, FeeRate: -1}

// DefaultSponsoredSizeFen is the mean sponsored envelope when a lever sets
// a sponsored budget and no running campaign gives a size: 5 yuan, the
// middle of the 2015 Gala's shake envelopes (docs/record.md §2).
const DefaultSponsoredSizeFen = 500

// Pick is who receives a platform's sponsored envelopes (a campaign's
// sponsored_pick, resolved).
type Pick uint8

// The sponsored_pick values.
const (
	PickAny        Pick = iota // any user
	PickAware                  // users aware of the platform
	PickRegistered             // users registered on it
)

// ParsePick resolves a sponsored_pick name; anything but "aware" and
// "registered" (the validator admits only "any") is any user.
func ParsePick(name string) Pick {
	switch name {
	case "aware":
		return PickAware
	case "registered":
		return PickRegistered
	}
	return PickAny
}

// Schedule is a platform's campaigns with their names resolved once, when
// a world is built: what its calendar offers on each day before its
// policy (Day), to which a policy's Decision is applied (DayPlan.Apply).
type Schedule struct {
	campaigns []scenarios.Campaign
	covers    [][]bool // per campaign, the merchant kinds it covers
	picks     []Pick   // per campaign, its sponsored_pick
	nKinds    int
}

// NewSchedule resolves campaigns' merchant kinds by kindIndex (names to
// indices; nKinds kinds in all). A kind not in the index covers nothing.
func NewSchedule(campaigns []scenarios.Campaign, kindIndex map[string]int, nKinds int) Schedule {
	s := Schedule{campaigns: campaigns, nKinds: nKinds, covers: make([][]bool, len(campaigns)), picks: make([]Pick, len(campaigns))}
	for i := range campaigns {
		c := &campaigns[i]
		cov := make([]bool, nKinds)
		for k := range cov {
			cov[k] = len(c.MerchantKinds) == 0
		}
		for _, name := range c.MerchantKinds {
			if k, ok := kindIndex[name]; ok && k < nKinds {
				cov[k] = true
			}
		}
		s.covers[i] = cov
		s.picks[i] = ParsePick(c.SponsoredPick)
	}
	return s
}

// Day sums the campaigns that run on day into the day's plan:
//   - per merchant kind, the covering campaigns' cashback, range, percent
//     and merchant bonus add up; so do their caps, but one covering
//     campaign without a cap (0) lifts it; a range no wider than the fixed
//     cashback is no range;
//   - the first-payment return is the largest on offer, referral bonuses,
//     invitations, sponsored budgets, advertising and services add up
//     (the last sponsored campaign sets size, pick and payer);
//   - the daily budget is the sum of the paying campaigns' budgets, or
//     none if one of them has none.
func (s *Schedule) Day(day int) DayPlan {
	plan := DayPlan{Kinds: make([]Offer, s.nKinds)}
	// uncapped[k][j]: a covering campaign has no cap j (cashback, daily,
	// count, merchant daily).
	uncapped := make([][4]bool, s.nKinds)
	covered := make([]bool, s.nKinds)
	unbudgeted := false // a running subsidy campaign without a daily budget
	for i := range s.campaigns {
		c := &s.campaigns[i]
		if day < c.Start || day > c.End {
			continue
		}
		for k, on := range s.covers[i] {
			if !on {
				continue
			}
			addCampaignOffer(&plan.Kinds[k], c, &uncapped[k])
			covered[k] = true
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
			plan.SponsoredPick = s.picks[i]
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
	for k := range plan.Kinds {
		o := &plan.Kinds[k]
		if covered[k] {
			o.liftCaps(uncapped[k])
		}
		o.dropNarrowRange()
	}
	return plan
}

// addCampaignOffer adds campaign c's offer to o, noting in uncapped the
// caps c leaves open.
func addCampaignOffer(o *Offer, c *scenarios.Campaign, uncapped *[4]bool) {
	o.CashbackFen += c.Cashback.Fen()
	o.CashbackMaxFen += max(c.CashbackMax, c.Cashback).Fen()
	o.CashbackPct += c.CashbackPercent
	o.MerchantBonusFen += c.MerchantBonus.Fen()
	for j, v := range [4]int64{c.CashbackCap.Fen(), c.DailyCap.Fen(), int64(c.DailyCount), c.MerchantDailyCap.Fen()} {
		if v == 0 {
			uncapped[j] = true
		}
	}
	o.CashbackCapFen += c.CashbackCap.Fen()
	o.DailyCapFen += c.DailyCap.Fen()
	o.DailyCount += c.DailyCount
	o.MerchantDailyCapFen += c.MerchantDailyCap.Fen()
}

// liftCaps sets to 0 (none) the caps a covering campaign left open.
func (o *Offer) liftCaps(uncapped [4]bool) {
	if uncapped[0] {
		o.CashbackCapFen = 0
	}
	if uncapped[1] {
		o.DailyCapFen = 0
	}
	if uncapped[2] {
		o.DailyCount = 0
	}
	if uncapped[3] {
		o.MerchantDailyCapFen = 0
	}
}

// dropNarrowRange makes a cashback range no wider than the fixed cashback
// no range.
func (o *Offer) dropNarrowRange() {
	if o.CashbackMaxFen <= o.CashbackFen {
		o.CashbackMaxFen = 0
	}
}

// Apply puts a policy's decision on the day's plan: what it adds goes onto
// every kind it covers (the cashback onto the fixed amount and the top of
// a range alike), then the levers it sets replace the planned values (a
// cashback set outright is fixed: no range, no percent; a sponsored budget
// set with no campaign's size uses DefaultSponsoredSizeFen). What is added
// is paid within the running campaigns' budget when they have one, and
// from the treasury alone otherwise.
func (plan *DayPlan) Apply(d Decision) {
	for k := range plan.Kinds {
		o := &plan.Kinds[k]
		if d.Kinds == nil || d.Kinds[k] {
			if o.CashbackMaxFen == 0 {
				o.CashbackMaxFen = o.CashbackFen // a fixed cashback: its range is the point
			}
			o.CashbackFen += d.CashbackFen
			o.CashbackMaxFen += d.CashbackFen
			o.MerchantBonusFen += d.MerchantBonusFen
			o.dropNarrowRange()
		}
	}
	lv := d.Override
	if lv == nil {
		return
	}
	for k := range plan.Kinds {
		o := &plan.Kinds[k]
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
			plan.SponsoredSizeFen = DefaultSponsoredSizeFen
		}
	}
}

// FeeRate is the fee rate of the day: the scenario's, unless a lever sets
// it.
func (d *Decision) FeeRate(scheduled float64) float64 {
	if d.Override != nil && d.Override.FeeRate >= 0 {
		return d.Override.FeeRate
	}
	return scheduled
}
