package sim

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestPayAheadOutputsByteIdentical is TestLibraryOutputsByteIdentical for
// the loops of large worlds, which no library scenario is large enough to
// take (payAheadMinUsers, prefetchMinUsers): default and the NetLogo-scale
// study's world, drawing paying days ahead with their lines prefetched, on
// more partitions than cores. It compares the SHA-256 of their outputs
// with testdata/payahead-golden.json, so a refactor of those loops (the
// merchants' changes of wallets refreshed in parallel, refreshFlips, was
// the first) must keep every byte; a change that moves their draws on
// purpose rewrites the file with -update in its own commit and says why.
// It checks that merchants changed their wallets, more than one on some
// day, so that the refresh of their customers was run.
func TestPayAheadOutputsByteIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short; two worlds of 12,000 users for 120 days take a few seconds")
	}
	defer func(n, m int) { payAheadMinUsers, prefetchMinUsers = n, m }(payAheadMinUsers, prefetchMinUsers)
	payAheadMinUsers, prefetchMinUsers = 0, 0
	worlds := []struct {
		name string
		load func() (*scenarios.Scenario, error)
	}{
		{"default", func() (*scenarios.Scenario, error) {
			return scenarios.Load("default", []string{"world.users=12000", "world.days=120", "world.seed=5", "world.partitions=9"})
		}},
		{"netlogo", func() (*scenarios.Scenario, error) {
			return scenarios.Load(filepath.Join("sweep", "examples", "netlogo-scenario.toml"), []string{"world.partitions=5"})
		}},
	}
	got := map[string]string{}
	for _, c := range worlds {
		s, err := c.load()
		require.NoError(t, err, c.name)
		got[c.name] = digest(outputBytes(t, s))

		// The same world stepped by hand: the days with changes of wallets.
		s, err = c.load()
		require.NoError(t, err, c.name)
		w, err := New(s)
		require.NoError(t, err, c.name)
		require.True(t, w.payAhead, c.name)
		changed, several := 0, 0
		for range s.World.Days {
			before := append([]uint8(nil), w.accept...)
			require.NoError(t, w.Step())
			n := 0
			for m := range before {
				if before[m] != w.accept[m] {
					n++
				}
			}
			changed += n
			if n > 1 {
				several++
			}
		}
		require.Positive(t, several, "%s: no day with more than one merchant's change of wallets (%d in all): the refresh's order went untested", c.name, changed)
	}
	matchGoldenDigests(t, filepath.Join("testdata", "payahead-golden.json"), got, "the large worlds' outputs")
}
