package sim

import "github.com/paywars/hongbao/scenarios"

// testScenario is a small three-platform world with every mechanism on: a
// messenger with envelopes, an incumbent wallet, a microblog wallet with a
// first-payment campaign, a Spring Festival, a flash sale and an outage.
func testScenario(users, days int, seed uint64) *scenarios.Scenario {
	var s scenarios.Scenario
	s.SetDefaults()
	s.World.Name = "test"
	s.World.Users, s.World.Days, s.World.Seed = users, days, seed
	// No real population: the amounts below are at the model's scale,
	// whatever the number of users (scenarios/scale.go).
	s.World.Represents = 0
	kinds := []struct {
		name    string
		per     float64
		weight  float64
		factor  float64
		service bool
	}{{"shop", 10, 3, 1, false}, {"restaurant", 6, 2, 1.5, false}, {"online", 3, 1, 3, false}, {"taxi", 4, 1, 0.8, false}, {"utility", 1, 0.3, 4, true}}
	for _, k := range kinds {
		var m scenarios.MerchantKind
		m.SetDefaults()
		m.Kind, m.PerThousand, m.Weight, m.TicketFactor, m.Service = k.name, k.per, k.weight, k.factor, k.service
		s.Merchants = append(s.Merchants, m)
	}
	mk := func(name string, treasury scenarios.Yuan, rs, rw float64, env bool, aware, reg, bound, merch float64) scenarios.Platform {
		var p scenarios.Platform
		p.SetDefaults()
		p.Name, p.Treasury, p.ReachStrong, p.ReachWeak, p.Envelopes = name, treasury, rs, rw, env
		p.Initial = scenarios.Installed{Aware: aware, Registered: reg, CardBound: bound, Active: 0.6, Merchants: merch}
		return p
	}
	wechat := mk("wechat", 500_000_00, 1, 0.3, true, 0.9, 0.3, 0.05, 0.1)
	wechat.Services = 0.3
	alipay := mk("alipay", 2_000_000_00, 0.1, 0.1, false, 0.8, 0.5, 0.3, 0.6)
	alipay.Services = 0.6
	alipay.Capacity = 2000
	weibo := mk("weibo", 200_000_00, 0.2, 0.8, false, 0.4, 0.05, 0.01, 0.05)
	var first scenarios.Campaign
	first.SetDefaults()
	first.Name, first.Start, first.End = "1 cent to cash", 10, 40
	first.FirstPaymentPercent, first.FirstPaymentMax = 100, 500000
	first.Referral = 500
	weibo.Campaigns = append(weibo.Campaigns, first)
	var cb scenarios.Campaign
	cb.SetDefaults()
	cb.Name, cb.Start, cb.End = "taxi", 5, days-1
	cb.Cashback, cb.DailyCount, cb.MerchantBonus, cb.MerchantKinds = 1000, 2, 1000, []string{"taxi"}
	cb.SponsoredPerDay, cb.SponsoredSize = 10000, 300
	alipay.Campaigns = append(alipay.Campaigns, cb)
	wechat.Strategy.Kind, wechat.Strategy.Rival, wechat.Strategy.Increment, wechat.Strategy.Max = "match", "alipay", 100, 2000
	s.Platforms = []scenarios.Platform{wechat, alipay, weibo}
	var sf, flash, out scenarios.Event
	sf.SetDefaults()
	sf.Kind, sf.Day, sf.Days, sf.Envelopes, sf.EveEnvelopes, sf.Spending = "spring_festival", 3, 7, 20, 80, 1.3
	flash.SetDefaults()
	flash.Kind, flash.Day, flash.Days, flash.Spending, flash.MerchantKinds = "flash_sale", 12, 1, 8, []string{"online"}
	out.SetDefaults()
	out.Kind, out.Day, out.Days, out.Platform, out.Severity = "outage", 20, 2, "weibo", 0.6
	s.Events = []scenarios.Event{sf, flash, out}
	return &s
}
