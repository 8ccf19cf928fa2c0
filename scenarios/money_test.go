package scenarios

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRoundFen(t *testing.T) {
	for _, tc := range []struct {
		fen  float64
		want int64
	}{
		{0, 0}, {0.4, 0}, {0.5, 1}, {1.5, 2}, {2.5, 3}, {100.49, 100}, {100.5, 101},
		{-0.5, -1}, {-1.4, -1}, {-2.5, -3},
		{0.49999999999999994, 0}, // the largest double below 0.5: x+0.5 would round it up
		{1 << 53, 1 << 53},
	} {
		assert.Equal(t, tc.want, RoundFen(tc.fen), "%v", tc.fen)
	}
	// It is int64(math.Round) wherever an int64 holds the result.
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		x := (r.Float64() - 0.5) * math.Pow(2, float64(r.IntN(62)))
		if RoundFen(x) != int64(math.Round(x)) {
			t.Fatalf("RoundFen(%v) = %d, math.Round %v", x, RoundFen(x), math.Round(x))
		}
	}
}

func TestYuanFen(t *testing.T) {
	for _, tc := range []struct {
		yuan float64
		fen  int64
	}{{0, 0}, {12.5, 1250}, {0.01, 1}, {0.005, 1}, {0.0049, 0}, {-3.2, -320}} {
		assert.Equal(t, tc.fen, YuanToFen(tc.yuan), "%v yuan", tc.yuan)
	}
	assert.Equal(t, 12.5, FenToYuan(1250))
	assert.Equal(t, 0.01, FenToYuan(1))
	for _, fen := range []int64{0, 1, 99, 1250, 123456789} {
		assert.Equal(t, fen, YuanToFen(FenToYuan(fen)), "fen → yuan → fen is exact")
	}
}
