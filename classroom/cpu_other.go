//go:build !unix

package classroom

import "time"

// cpuTime is not measured outside unix; the benchmark reports 0.
func cpuTime() time.Duration { return 0 }
