package game

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVertexBound checks McMullen's bound on polytopes whose vertex count
// is known: a d-cube has 2d facets and 2^d vertices (attained for d ≤ 3,
// the bound is above it after), a simplex d+1 facets and d+1 vertices.
func TestVertexBound(t *testing.T) {
	cases := []struct {
		d, facets int
		want      float64
	}{
		{2, 3, 3}, // triangle
		{3, 4, 4}, // tetrahedron
		{2, 4, 4}, // square
		{3, 6, 8}, // cube (and the bound for 6 facets in 3-space)
		{10, 20, 4004},
		{12, 24, 24752},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, VertexBound(c.d, c.facets), "d=%d facets=%d", c.d, c.facets)
	}
}

// TestCostRefused: the methods that blew up on a 2 KB game refuse it at
// once, with a suggestion; the methods that fit still run.
func TestCostRefused(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 20))
	g := randomBimatrix(rng, 20, 20, 100)
	start := time.Now()
	_, err := EnumMixed(g)
	var ce *CostError
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Contains(t, ce.Suggest, "logit")
	assert.Less(t, time.Since(start), 2*time.Second, "the refusal must come before the work")

	_, err = Replicator(g, ReplicatorOptions{Steps: 1_000_000_000})
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Contains(t, ce.Suggest, "steps")
	_, err = FictitiousPlay(g, FictitiousOptions{Steps: 1_000_000_000})
	require.True(t, errors.As(err, &ce), "%v", err)

	assert.NoError(t, CheckCost(g, "logit", 0))
	assert.NoError(t, CheckCost(g, "enumpure", 0))
	assert.NoError(t, CheckCost(g, "replicator", 10_000))
	small := randomBimatrix(rng, 12, 12, 100)
	assert.NoError(t, CheckCost(small, "enummixed", 0), "12×12 is within the limit")
	assert.Error(t, CheckCost(randomBimatrix(rng, 13, 13, 100), "enummixed", 0), "13×13 is not")
}
