package sweep_test

import (
	"fmt"

	"github.com/paywars/hongbao/sim/sweep"
)

// A sweep file's design is known before anything runs: its points, and the
// seed of every run.
func ExampleParseSpec() {
	src := `scenario = "example-minimal"
seed = 7
replicates = 2

[[params]]
key = "platforms.wechat.campaigns.launch.cashback"
name = "cashback"
values = [0, 5]

[[params]]
key = "envelopes.per_day"
min = 0.01
max = 0.03
step = 0.01

[[outputs]]
metric = "wechat.share_value"
`
	spec, err := sweep.ParseSpec("cashback.toml", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	l := spec.Layout()
	fmt.Printf("%d points × %d replicates = %d runs\n", l.Points, l.Replicates, l.Runs())
	for point := range l.Points {
		fmt.Printf("point %d: cashback=%s envelopes=%s\n", point, l.Label(point, 0), l.Label(point, 1))
	}
	point, replicate := l.PointOf(9)
	fmt.Printf("run 9 is replicate %d of point %d\n", replicate, point)
	// Output:
	// 6 points × 2 replicates = 12 runs
	// point 0: cashback=0 envelopes=0.01
	// point 1: cashback=0 envelopes=0.02
	// point 2: cashback=0 envelopes=0.03
	// point 3: cashback=5 envelopes=0.01
	// point 4: cashback=5 envelopes=0.02
	// point 5: cashback=5 envelopes=0.03
	// run 9 is replicate 1 of point 4
}

// Problems are all reported at once, located in the file.
func ExampleParseSpec_problems() {
	src := `scenario = "example-minimal"
replicate = 3

[[params]]
key = "envelopes.per_day"
min = 0.03
max = 0.01
step = 0.01

[[outputs]]
metric = "wechat.share_valu"
`
	_, err := sweep.ParseSpec("bad.toml", []byte(src))
	fmt.Println(err)
	// Output:
	// bad.toml:2:1: replicate: unknown key; did you mean replicates?
	// bad.toml:7:1: params[0].max: empty range: max 0.01 is below min 0.03
	// bad.toml:11:1: outputs[0].metric: unknown metric "share_valu" in "wechat.share_valu"; did you mean wechat.share_value?
}
