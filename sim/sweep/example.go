package sweep

import _ "embed"

// Example is the example sweep file that `hongbao sweep --example` prints
// and docs/sweeps.md shows; TestExample runs it.
//
//go:embed example.toml
var Example []byte
