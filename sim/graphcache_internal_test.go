package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestGraphCacheShares: a lever leaves the graph shared, a seed or a
// reach makes a new one, and a full cache forgets.
func TestGraphCacheShares(t *testing.T) {
	build := func(c *GraphCache, sets ...string) *Graph {
		s, err := scenarios.Load("default", append([]string{"world.users=1000"}, sets...))
		require.NoError(t, err)
		w, err := c.New(s)
		require.NoError(t, err)
		return w.graph
	}
	c := NewGraphCache()
	g := build(c)
	assert.Same(t, g, build(c, "platforms.wechat.fee_rate=0.01"), "a lever is not part of the graph")
	assert.NotSame(t, g, build(c, "world.seed=9"), "another seed")
	assert.NotSame(t, g, build(c, "platforms.wechat.reach_strong=0.5"), "another reach")
	assert.Same(t, g, build(c), "still cached")
	c.bytes = graphCacheBytes // as if full: the next graph clears the cache
	build(c, "world.seed=10")
	assert.NotSame(t, g, build(c), "forgotten")
	assert.NotSame(t, build(nil), build(nil), "no cache, no sharing")
	defer func(limit int) { graphCacheBytes = limit }(graphCacheBytes)
	graphCacheBytes = graphBytes(g, 3) - 1 // default has three platforms
	small := NewGraphCache()
	assert.NotSame(t, build(small), build(small), "too big to keep")
}

// TestCountFriendsBothEnds: counting friends on each platform from the
// friends' end (countFriendsScatter, small worlds) and from each user's
// own end (countFriendsGather, large ones) agree with each other and with
// the counts the step keeps up to date, on the installed base and after
// days of adoption and dormancy.
func TestCountFriendsBothEnds(t *testing.T) {
	for _, name := range []string{"default", "flash-sale-outage"} {
		s, err := scenarios.Load(name, []string{"world.users=3000", "world.days=60"})
		require.NoError(t, err, name)
		w, err := New(s)
		require.NoError(t, err, name)
		for day := range 3 {
			for range 20 * day {
				require.NoError(t, w.Step())
			}
			kept := append([]trialRec(nil), w.tr...)
			w.countFriendsScatter()
			require.Equal(t, kept, w.tr, "%s, day %d: scatter", name, w.day)
			for i := range w.tr {
				w.tr[i].friendsOn = 0
			}
			carried := make([]uint16, len(w.carried))
			w.countFriendsGather(0, w.N, carried)
			require.Equal(t, kept, w.tr, "%s, day %d: gather", name, w.day)
			require.Equal(t, w.carried, carried, "%s, day %d: carried", name, w.day)
		}
	}
}
