package agents

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

var testKinds = map[string]int{"shop": 0, "taxi": 1, "online": 2}

func campaign(start, end int, f func(c *scenarios.Campaign)) scenarios.Campaign {
	c := scenarios.Campaign{Start: start, End: end}
	f(&c)
	return c
}

func TestScheduleDay(t *testing.T) {
	taxi := campaign(5, 10, func(c *scenarios.Campaign) {
		c.Cashback, c.CashbackMax, c.DailyCount, c.MerchantBonus, c.CashbackCap = 1200, 2000, 2, 500, 1500
		c.MerchantKinds = []string{"taxi", "nowhere"}
		c.BudgetPerDay = 10000
		c.SponsoredPerDay, c.SponsoredSize, c.SponsoredPick = 5000, 300, "registered"
	})
	all := campaign(8, 20, func(c *scenarios.Campaign) {
		c.Cashback, c.CashbackPercent, c.DailyCount = 100, 2, 3
		c.FirstPaymentPercent, c.FirstPaymentMax = 100, 800
		c.Referral, c.InvitesPerDay, c.InviteAccept = 200, 1.5, 0.3
		c.Advertising, c.Services = 0.01, 0.2
	})
	s := NewSchedule([]scenarios.Campaign{taxi, all}, testKinds, 3)
	tests := []struct {
		name  string
		day   int
		check func(t *testing.T, p DayPlan)
	}{
		{"before any campaign", 4, func(t *testing.T, p DayPlan) {
			assert.Equal(t, make([]Offer, 3), p.Kinds)
			assert.Zero(t, p.Headline())
			assert.Equal(t, PickAny, p.SponsoredPick)
		}},
		{"one campaign on its kinds only", 5, func(t *testing.T, p DayPlan) {
			assert.Equal(t, Offer{CashbackFen: 1200, CashbackMaxFen: 2000, CashbackCapFen: 1500, DailyCount: 2, MerchantBonusFen: 500}, p.Kinds[1])
			assert.Equal(t, Offer{}, p.Kinds[0], "shops are not covered")
			assert.Equal(t, int64(1600), p.Headline(), "a range advertises its middle")
			assert.Equal(t, int64(10000), p.DailyBudgetFen)
			assert.Equal(t, PickRegistered, p.SponsoredPick)
			assert.Equal(t, int64(5000), p.SponsoredFen)
		}},
		{"overlapping campaigns add; a missing cap or budget lifts it", 8, func(t *testing.T, p DayPlan) {
			taxi := p.Kinds[1]
			assert.Equal(t, int64(1300), taxi.CashbackFen)
			assert.Equal(t, int64(2100), taxi.CashbackMaxFen)
			assert.Equal(t, 2.0, taxi.CashbackPct)
			assert.Zero(t, taxi.CashbackCapFen, "the second campaign has no cap")
			assert.Equal(t, 5, taxi.DailyCount, "counts add")
			assert.Equal(t, Offer{CashbackFen: 100, CashbackPct: 2, DailyCount: 3}, p.Kinds[0])
			assert.Zero(t, p.DailyBudgetFen, "the second pays without a budget")
			assert.Equal(t, 100.0, p.FirstPaymentPct)
			assert.Equal(t, int64(800), p.FirstPaymentMaxFen)
			assert.Equal(t, int64(200), p.ReferralFen)
			assert.Equal(t, 0.3, p.InviteAccept)
			assert.InDelta(t, 0.2, p.Services, tol)
		}},
		{"after the first ends", 11, func(t *testing.T, p DayPlan) {
			assert.Equal(t, Offer{CashbackFen: 100, CashbackPct: 2, DailyCount: 3}, p.Kinds[1])
			assert.Zero(t, p.SponsoredFen)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, s.Day(tc.day)) })
	}
}

func TestDayPlanApply(t *testing.T) {
	fixed := campaign(0, 10, func(c *scenarios.Campaign) { c.Cashback = 300; c.MerchantKinds = []string{"shop"} })
	ranged := campaign(0, 10, func(c *scenarios.Campaign) {
		c.Cashback, c.CashbackMax = 1200, 2000
		c.MerchantKinds = []string{"taxi"}
	})
	s := NewSchedule([]scenarios.Campaign{fixed, ranged}, testKinds, 3)
	tests := []struct {
		name string
		d    Decision
		want []Offer
		fee  float64
	}{
		{"nothing decided: the schedule", Decision{},
			[]Offer{{CashbackFen: 300}, {CashbackFen: 1200, CashbackMaxFen: 2000}, {}}, 0.006},
		{"added on every kind, onto a range's both ends", Decision{CashbackFen: 100, MerchantBonusFen: 50},
			[]Offer{{CashbackFen: 400, MerchantBonusFen: 50}, {CashbackFen: 1300, CashbackMaxFen: 2100, MerchantBonusFen: 50}, {CashbackFen: 100, MerchantBonusFen: 50}}, 0.006},
		{"added on the kinds covered", Decision{CashbackFen: 100, Kinds: []bool{false, true, false}},
			[]Offer{{CashbackFen: 300}, {CashbackFen: 1300, CashbackMaxFen: 2100}, {}}, 0.006},
		{"a lever replaces cashback: fixed, no range", Decision{CashbackFen: 100, Override: &Levers{CashbackFen: 500, MerchantBonusFen: -1, SponsoredFen: -1, FeeRate: 0.01}},
			[]Offer{{CashbackFen: 500}, {CashbackFen: 500}, {CashbackFen: 500}}, 0.01},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := s.Day(3)
			p.Apply(tc.d)
			assert.Equal(t, tc.want, p.Kinds)
			assert.Equal(t, tc.fee, tc.d.FeeRate(0.006))
		})
	}
	p := s.Day(3)
	p.Apply(Decision{Override: &Levers{CashbackFen: -1, MerchantBonusFen: -1, SponsoredFen: 20000, FeeRate: -1}})
	require.Equal(t, int64(20000), p.SponsoredFen)
	assert.Equal(t, int64(DefaultSponsoredSizeFen), p.SponsoredSizeFen, "no campaign gives a size")
}

func TestParsePick(t *testing.T) {
	for name, want := range map[string]Pick{"any": PickAny, "": PickAny, "aware": PickAware, "registered": PickRegistered} {
		assert.Equal(t, want, ParsePick(name), name)
	}
}
