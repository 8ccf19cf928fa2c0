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
	graphCacheBytes = graphBytes(g) - 1
	small := NewGraphCache()
	assert.NotSame(t, build(small), build(small), "too big to keep")
}
