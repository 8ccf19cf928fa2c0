package empirical

import _ "embed"

// Example is the example game file that `hongbao game --example` prints and
// docs/game.md works through: Didi against Kuaidi in the taxi war of 2014,
// each choosing its per-ride cashback.
//
//go:embed examples/taxi-war.game.toml
var Example []byte
