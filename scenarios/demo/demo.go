// Package demo builds the small scenario the engine's and visualizer's tests and
// benchmarks run: three wallets (a messenger with red envelopes, an
// incumbent, a microblog wallet), five kinds of merchant, a Spring Festival
// at day 30 and an outage, all from the scenario defaults.
package demo

import (
	"math"

	"github.com/paywars/hongbao/scenarios"
)

// Colours of the demo platforms, as #rrggbb.
const (
	WeChat = "#1aad19"
	Alipay = "#1677ff"
	Weibo  = "#ff8200"
)

// Scenario returns a valid three-platform scenario of the given size that
// starts on 2014-01-01, with the Spring Festival on day 30 (31 January
// 2014, as in the real calendar) and a Weibo outage on day 20.
func Scenario(users, days int) *scenarios.Scenario {
	var s scenarios.Scenario
	s.SetDefaults()
	s.World.Name = "demo"
	s.World.Description = "Three wallets, a Spring Festival at day 30 and an outage: the visualizer's test world."
	s.World.Users, s.World.Days, s.World.Seed = users, days, 7
	s.World.Represents = 1e6
	s.World.CheckLedger = false
	kinds := []struct {
		name                string
		per, weight, factor float64
		service             bool
	}{{"shop", 10, 3, 1, false}, {"restaurant", 6, 2, 1.5, false}, {"online", 3, 1, 3, false}, {"taxi", 4, 1, 0.8, false}, {"utility", 1, 0.3, 4, true}}
	for _, k := range kinds {
		var m scenarios.MerchantKind
		m.SetDefaults()
		m.Kind, m.PerThousand, m.Weight, m.TicketFactor, m.Service = k.name, k.per, k.weight, k.factor, k.service
		s.Merchants = append(s.Merchants, m)
	}
	mk := func(name, label, color string, treasury scenarios.Yuan, rs, rw float64, env bool, aware, reg, bound, merch float64) scenarios.Platform {
		var p scenarios.Platform
		p.SetDefaults()
		p.Name, p.Label, p.Color, p.Treasury, p.ReachStrong, p.ReachWeak, p.Envelopes = name, label, color, treasury, rs, rw, env
		p.Initial = scenarios.Installed{Aware: aware, Registered: reg, CardBound: bound, Active: 0.6, Merchants: merch}
		return p
	}
	wechat := mk("wechat", "WeChat Pay", WeChat, 500_000_00, 1, 0.3, true, 0.9, 0.35, 0.12, 0.15)
	wechat.Services = 0.3
	alipay := mk("alipay", "Alipay", Alipay, 2_000_000_00, 0.1, 0.1, false, 0.8, 0.5, 0.3, 0.6)
	alipay.Services = 0.6
	weibo := mk("weibo", "Weibo Pay", Weibo, 200_000_00, 0.2, 0.8, false, 0.4, 0.08, 0.04, 0.05)
	var first scenarios.Campaign
	first.SetDefaults()
	first.Name, first.Start, first.End = "1 cent to cash", 10, min(40, days-1)
	first.FirstPaymentPercent, first.FirstPaymentMax = 100, 500000
	first.Referral = 500
	weibo.Campaigns = append(weibo.Campaigns, first)
	var cb scenarios.Campaign
	cb.SetDefaults()
	cb.Name, cb.Start, cb.End = "taxi war", min(5, days-1), days-1
	cb.Cashback, cb.DailyCount, cb.MerchantBonus, cb.MerchantKinds = 1000, 2, 1000, []string{"taxi"}
	cb.SponsoredPerDay, cb.SponsoredSize = 10000, 300
	alipay.Campaigns = append(alipay.Campaigns, cb)
	wechat.Strategy.Kind, wechat.Strategy.Rival, wechat.Strategy.Increment, wechat.Strategy.Max = "match", "alipay", 100, 2000
	s.Platforms = []scenarios.Platform{wechat, alipay, weibo}
	var sf, out scenarios.Event
	sf.SetDefaults()
	sf.Kind, sf.Name, sf.Day, sf.Days, sf.Envelopes, sf.EveEnvelopes, sf.Spending = "spring_festival", "Spring Festival", 30, 7, 20, 60, 1.3
	out.SetDefaults()
	out.Kind, out.Name, out.Day, out.Days, out.Platform, out.Severity = "outage", "Weibo outage", 20, 2, "weibo", 0.6
	s.Events = []scenarios.Event{sf, out}
	// The amounts above are per the simulated users; with a real
	// population they are stated in real-world yuan, which the run divides
	// back among its users (scenarios/scale.go): the same fen at any size.
	k := s.World.Represents / float64(users)
	for _, y := range s.ExtensiveAmounts() {
		*y = scenarios.Yuan(math.Round(float64(*y) * k))
	}
	return &s
}
