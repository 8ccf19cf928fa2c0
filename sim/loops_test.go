package sim

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/paywars/hongbao/scenarios"
	"github.com/stretchr/testify/require"
)

// TestSpecialisedLoopsMatchGeneral: the loops specialised for plain days
// (usersPlain, usersEnvelopes, paymentsPlain) repeat users and payments
// without the paths a plain day never takes, and must give the same
// bytes as the general loops on every world: one without envelopes or
// flows (usersPlain), the NetLogo-scale study's (usersEnvelopes and
// paymentsPlain), the test world (outages: payments), and default (all
// of them on some day). A change made to one copy and not the other
// fails here.
func TestSpecialisedLoopsMatchGeneral(t *testing.T) {
	core := func() *scenarios.Scenario {
		s := testScenario(3000, 60, 2)
		s.Events = nil
		s.Envelopes.PerDay = 0
		for i := range s.Platforms {
			s.Platforms[i].Campaigns = nil
		}
		return s
	}
	load := func(name string, sets ...string) func() *scenarios.Scenario {
		return func() *scenarios.Scenario {
			s, err := scenarios.Load(name, sets)
			require.NoError(t, err)
			return s
		}
	}
	cases := []struct {
		name  string
		build func() *scenarios.Scenario
		loops []int // the specialised loops the world must take on some day
	}{
		{"core", core, []int{loopPlain}},
		{"netlogo", load(filepath.Join("sweep", "examples", "netlogo-scenario.toml"), "world.seed=3"), []int{loopEnvelopes}},
		{"test world", func() *scenarios.Scenario { return testScenario(3000, 40, 5) }, nil},
		{"default", load("default", "world.users=5000", "world.days=120"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := func(general bool) *Result {
				generalLoops = general
				defer func() { generalLoops = false }()
				r, err := Run(context.Background(), c.build(), nil)
				require.NoError(t, err)
				return r
			}
			var before [3]int64
			for i := range loopsRun {
				before[i] = loopsRun[i].Load()
			}
			special := run(false)
			for _, l := range c.loops {
				require.Positive(t, loopsRun[l].Load()-before[l], "the world never took specialised loop %d: the comparison would prove nothing", l)
			}
			general := run(true)
			require.Equal(t, general.History, special.History)
			require.Equal(t, general.Platforms, special.Platforms)
		})
	}
}
