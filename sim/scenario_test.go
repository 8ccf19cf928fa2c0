package sim

import (
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/scenarios/demo"
)

// testScenario is the visualizer's demo world (scenarios/demo) made
// harder for the engine's tests: every mechanism on early, so short runs
// see them all. The messenger starts with fewer registrations, the
// incumbent has a capacity that fails payments, the microblog wallet's
// first-payment campaign runs days 10 to 40 and the taxi campaign from day
// 5, a Spring Festival on day 3 with bigger eve envelopes, a flash sale of
// online shops on day 12, and the ledger is checked every day.
func testScenario(users, days int, seed uint64) *scenarios.Scenario {
	s := demo.Scenario(users, days)
	s.World.Name, s.World.Description, s.World.Seed = "test", "", seed
	s.World.CheckLedger = true
	wechat, alipay, weibo := &s.Platforms[0], &s.Platforms[1], &s.Platforms[2]
	wechat.Initial.Registered, wechat.Initial.CardBound, wechat.Initial.Merchants = 0.3, 0.05, 0.1
	weibo.Initial.Registered, weibo.Initial.CardBound = 0.05, 0.01
	alipay.Capacity = 2000
	weibo.Campaigns[0].End = 40
	alipay.Campaigns[0].Start = 5
	var sf, flash, out scenarios.Event
	sf.SetDefaults()
	sf.Kind, sf.Day, sf.Days, sf.Envelopes, sf.EveEnvelopes, sf.Spending = "spring_festival", 3, 7, 20, 80, 1.3
	flash.SetDefaults()
	flash.Kind, flash.Day, flash.Days, flash.Spending, flash.MerchantKinds = "flash_sale", 12, 1, 8, []string{"online"}
	out.SetDefaults()
	out.Kind, out.Day, out.Days, out.Platform, out.Severity = "outage", 20, 2, "weibo", 0.6
	s.Events = []scenarios.Event{sf, flash, out}
	return s
}
