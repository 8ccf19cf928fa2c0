// Package demo is the visualizer's name for the test world of
// scenarios/demo, which the engine's tests share.
package demo

import (
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/scenarios/demo"
)

// Colours of the demo platforms, as #rrggbb.
const (
	WeChat = demo.WeChat
	Alipay = demo.Alipay
	Weibo  = demo.Weibo
)

// Scenario is demo.Scenario: three wallets, a Spring Festival at day 30
// and an outage at day 20.
func Scenario(users, days int) *scenarios.Scenario { return demo.Scenario(users, days) }
