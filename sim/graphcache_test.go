package sim_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// TestGraphCacheByteIdentical: runs that take their graph from a
// GraphCache write the same bytes as runs that build it, across lever
// settings that share a seed (the cache's hits), seeds (its misses), graph
// kinds, reaches (part of the key) and a cache that overflowed and forgot.
func TestGraphCacheByteIdentical(t *testing.T) {
	type variant struct {
		name string
		sets []string
	}
	variants := []variant{
		{"base", nil},
		{"a lever", []string{"platforms.wechat.fee_rate=0.01"}},
		{"another seed", []string{"world.seed=7"}},
		{"a reach", []string{"platforms.alipay.reach_weak=0.9"}},
		{"the first seed again", []string{"platforms.alipay.fee_rate=0"}},
		{"small world", []string{"graph.kind=small_world"}},
		{"uniform mixing", []string{"graph.kind=uniform"}},
	}
	cache := sim.NewGraphCache()
	for round := range 2 { // the second round hits for every variant
		for _, v := range variants {
			s, err := scenarios.Load("default", append([]string{"world.users=2000", "world.days=40"}, v.sets...))
			require.NoError(t, err, v.name)
			fresh, err := sim.Run(context.Background(), s, nil)
			require.NoError(t, err, v.name)
			cached, err := cache.Run(context.Background(), s, nil)
			require.NoError(t, err, v.name)
			require.Equal(t, csvs(t, fresh), csvs(t, cached), "round %d, %s", round, v.name)
		}
	}
}

// csvs is a result's timeseries.csv and kinds.csv.
func csvs(t *testing.T, r *sim.Result) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, sim.WriteTimeseriesCSV(&b, r))
	require.NoError(t, sim.WriteKindsCSV(&b, r))
	return b.String()
}
