package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
)

// TestAcceptingCounts: the counts of each user's usual merchants that
// accept each platform (World.accepting), which flipAccept keeps as
// merchants take up and drop wallets, equal a count at the merchants
// every day, in worlds built alone and taken from a GraphCache, and in
// worlds that draw payers ahead, where refreshCustomers counts the change
// in its own walk.
func TestAcceptingCounts(t *testing.T) {
	defer func(n int) { payAheadMinUsers = n }(payAheadMinUsers)
	recount := func(w *World) []uint8 {
		n := make([]uint8, w.N*w.K)
		for u := range w.N {
			for _, m := range w.usual[u*w.nUsual : (u+1)*w.nUsual] {
				for p := range w.K {
					n[u*w.K+p] += w.accept[m] >> p & 1
				}
			}
		}
		return n
	}
	cache := NewGraphCache()
	tests := []struct {
		name     string
		sets     []string
		cache    *GraphCache
		payAhead bool
	}{
		{"default", nil, nil, false},
		{"default", nil, cache, false},
		{"default", []string{"platforms.wechat.fee_rate=0.02"}, cache, false}, // a hit: the users from the world before
		{"taxi-war-2014", nil, nil, false},
		{"default", nil, nil, true},
		{"taxi-war-2014", nil, nil, true},
	}
	for _, tt := range tests {
		payAheadMinUsers = 1 << 62
		if tt.payAhead {
			payAheadMinUsers = 0
		}
		s, err := scenarios.Load(tt.name, append([]string{"world.users=3000", "world.days=60"}, tt.sets...))
		require.NoError(t, err, tt.name)
		w, err := tt.cache.New(s)
		require.NoError(t, err, tt.name)
		require.Equal(t, recount(w), w.accepting, "%s %v: set-up", tt.name, tt.sets)
		start, flips := append([]uint8(nil), w.accept...), 0
		for range 60 {
			before := append([]uint8(nil), w.accept...)
			require.NoError(t, w.Step())
			for m := range before {
				if before[m] != w.accept[m] {
					flips++
				}
			}
			require.Equal(t, recount(w), w.accepting, "%s %v: day %d", tt.name, tt.sets, w.day)
		}
		assert.Positive(t, flips, "%s %v: no merchant changed its wallets, so the test tested nothing", tt.name, tt.sets)
		assert.NotEqual(t, start, w.accept, "%s %v", tt.name, tt.sets)
	}
}
