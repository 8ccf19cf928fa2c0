package scenarios

import (
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// yuanKeys lists the key paths of every Yuan field reachable from t.
func yuanKeys(t reflect.Type, prefix string, out *[]string) {
	for _, f := range fieldsOf(t) {
		ft := f.typ
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		switch {
		case f.typ == yuanType:
			*out = append(*out, prefix+f.key)
		case ft.Kind() == reflect.Struct:
			yuanKeys(ft, prefix+f.key+".", out)
		}
	}
}

// TestEveryAmountIsClassified: an amount of money in the schema is either
// extensive (a budget for the whole population, real-world yuan scaled at
// world build) or per user, payment or envelope (never scaled). A new
// amount fails here until it is put in one list, and the extensive list
// must be what ExtensiveAmounts scales.
func TestEveryAmountIsClassified(t *testing.T) {
	extensive := []string{"platforms.treasury", "platforms.strategy.floor", "platforms.campaigns.budget_per_day", "platforms.campaigns.sponsored_per_day"}
	perUnit := []string{"envelopes.max_amount", "merchants.fixed_cost", "platforms.campaigns.cashback", "platforms.campaigns.cashback_max",
		"platforms.campaigns.cashback_cap", "platforms.campaigns.daily_cap", "platforms.campaigns.merchant_bonus", "platforms.campaigns.merchant_daily_cap",
		"platforms.campaigns.first_payment_max", "platforms.campaigns.referral", "platforms.campaigns.sponsored_size", "platforms.strategy.increment",
		"platforms.strategy.max", "platforms.strategy.arms.cashback", "platforms.strategy.arms.merchant_bonus", "payoff.terminal_mau"}
	var got []string
	yuanKeys(reflect.TypeOf(Scenario{}), "", &got)
	want := append(append([]string(nil), extensive...), perUnit...)
	sort.Strings(got)
	sort.Strings(want)
	assert.Equal(t, want, got, "every Yuan field is classified as extensive or per unit")

	s := &Scenario{World: World{Users: 1000, Represents: 1e6}, Platforms: []Platform{{Treasury: 1e6, Strategy: Strategy{Floor: 2e4},
		Campaigns: []Campaign{{BudgetPerDay: 3000, SponsoredPerDay: 4000, Cashback: 500}}}}}
	assert.Len(t, s.ExtensiveAmounts(), len(extensive))
	m := s.AtModelScale()
	p := m.Platforms[0]
	assert.Equal(t, []Yuan{1000, 20, 3, 4, 500}, []Yuan{p.Treasury, p.Strategy.Floor, p.Campaigns[0].BudgetPerDay, p.Campaigns[0].SponsoredPerDay, p.Campaigns[0].Cashback})
	assert.Equal(t, Yuan(1e6), s.Platforms[0].Treasury, "the original is left alone")
	assert.Equal(t, Yuan(3000), s.Platforms[0].Campaigns[0].BudgetPerDay, "the original's campaigns are left alone")
	s.World.Represents = 0
	assert.Same(t, s, s.AtModelScale(), "no real population: amounts are at the model's scale")
}
