package scenarios_test

import (
	"fmt"

	"github.com/paywars/hongbao/scenarios"
)

func ExampleParse() {
	src := `
[[merchants]]
kind = "shop"

[[platforms]]
name = "wechat"
fe_rate = 0.01
`
	_, err := scenarios.Parse("mine.toml", []byte(src), []string{"world.days=0"})
	fmt.Println(err)
	// Output:
	// mine.toml:7:1: platforms.wechat.fe_rate: unknown key; did you mean fee_rate?
	// --set: world.days: must be between 1 and 3660, got 0
}

func ExampleApplySet() {
	s, err := scenarios.Load("example-minimal", nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(scenarios.ApplySet(s, "platforms.wechat.fee_rate=0.01"), s.Platforms[0].FeeRate)
	fmt.Println(scenarios.ApplySet(s, "platforms.wechat.fee_rate=0.5"), s.Platforms[0].FeeRate)
	// Output:
	// <nil> 0.01
	// --set: platforms.wechat.fee_rate: must be between 0 and 0.2, got 0.5 0.01
}
