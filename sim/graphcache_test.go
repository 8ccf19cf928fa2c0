package sim_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// TestGraphCacheByteIdentical: runs that take their graph and users'
// traits from a GraphCache write the same bytes as runs that build them,
// across lever settings that share a seed (the cache's hits), seeds (its
// misses), graph kinds, reaches (part of the graph's key), a trait's
// distribution (part of the traits' key), a number of merchants (which
// moves where the traits' draws begin), an installed base (drawn after
// the traits, from where the cached draws leave the stream), every part
// of the users' initial state's key and a world large enough to count
// friends in parallel.
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
		{"a trait", []string{"users.ticket.mean=30"}},
		{"more shops", []string{"merchants.shop.per_thousand=20"}},
		{"an installed base", []string{"platforms.alipay.initial.card_bound=0.2"}},
		// Each part of the users' initial state's key (setupcache.go), each
		// after a lever that hits it.
		{"active share", []string{"platforms.wechat.initial.active=0.9"}},
		{"aware share", []string{"platforms.wechat.initial.aware=0.4"}},
		{"registered share", []string{"platforms.wechat.initial.registered=0.3"}},
		{"habit at start", []string{"habit.initial=0.2"}},
		{"adoption rate", []string{"adoption.max_rate=0.2"}},
		{"dormancy rate", []string{"retention.dormancy_rate=0.05"}},
		{"advertising", []string{"platforms.alipay.advertising=0.01"}},
		{"word of mouth", []string{"platforms.alipay.word_of_mouth=0.1"}},
		{"usual merchants", []string{"users.usual_merchants=5"}},
		{"a kind's weight", []string{"merchants.taxi.weight=4"}},
		{"a kind's ticket", []string{"merchants.taxi.ticket_factor=2"}},
		{"active days", []string{"retention.active_days=20"}},
		{"a shorter run", []string{"world.days=30"}},
		{"partitions", []string{"world.partitions=3"}},
		{"partitions, a lever", []string{"world.partitions=3", "platforms.wechat.fee_rate=0.002"}},
		{"the base, a lever again", []string{"platforms.wechat.campaigns.taxi rides.cashback=2"}},
		// Large enough that, on two cores or more, set-up counts friends in
		// parallel (countFriendsGather) instead of from the side that is on.
		{"a large world", []string{"world.users=9000"}},
		{"a large world, a lever", []string{"world.users=9000", "platforms.wechat.fee_rate=0.01"}},
	}
	cache := sim.NewGraphCache()
	type kept struct {
		res  *sim.Result
		text string
	}
	var results []kept
	for round := range 2 { // the second round hits for every variant
		for _, v := range variants {
			s, err := scenarios.Load("default", append([]string{"world.users=2000", "world.days=40"}, v.sets...))
			require.NoError(t, err, v.name)
			fresh, err := sim.Run(context.Background(), s, nil)
			require.NoError(t, err, v.name)
			cached, err := cache.Run(context.Background(), s, nil)
			require.NoError(t, err, v.name)
			text := csvs(t, cached)
			require.Equal(t, csvs(t, fresh), text, "round %d, %s", round, v.name)
			results = append(results, kept{cached, text})
		}
	}
	// The cache hands a finished run's arrays to the next world: no result
	// may hold one, or a later run would have written over it.
	for i, k := range results {
		require.Equal(t, k.text, csvs(t, k.res), "result %d changed after later runs", i)
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
