package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestLimitMemory: a run of one large world tells the runtime its budget
// (200 B a user + 8 B a friendship end) as a soft limit; a small world,
// and a process whose GOMEMLIMIT already says, keep the runtime's limit.
func TestLimitMemory(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1)) // as it was
	world := func(users int) *scenarios.Scenario {
		var s scenarios.Scenario
		s.World.Users, s.Graph.MeanDegree = users, 20
		return &s
	}
	cases := []struct {
		name       string
		users      int
		gomemlimit string
		want       int64
	}{
		{"a million users", 1_000_000, "", 360_000_000},
		{"the smallest large world", memoryLimitMinUsers, "", int64(360 * memoryLimitMinUsers)},
		{"a smaller world", memoryLimitMinUsers - 1, "", 0},
		{"GOMEMLIMIT set", 1_000_000, "1GiB", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", c.gomemlimit)
			debug.SetMemoryLimit(math.MaxInt64)
			require.Equal(t, c.want, limitMemory(world(c.users)))
			want := c.want
			if want == 0 {
				want = math.MaxInt64 // untouched
			}
			require.Equal(t, want, debug.SetMemoryLimit(-1))
		})
	}
}
