package sensitivity

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSobolSequencePublished checks the first points of the unscrambled
// sequence against the output of Joe and Kuo's reference program sobol.cc
// with new-joe-kuo-6.21201 (the same points scipy.stats.qmc.Sobol gives with
// scramble=False). Each value is a dyadic rational, so the comparison is
// exact.
func TestSobolSequencePublished(t *testing.T) {
	want := [][]float64{
		{0, 0, 0},
		{0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25},
		{0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125},
		{0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375},
	}
	s, err := NewSobolSequence(3)
	require.NoError(t, err)
	for i, w := range want {
		assert.Equal(t, w, s.Next(nil), "point %d", i)
	}
}

// TestSobolDirectionTable checks the embedded Joe–Kuo table: dimensions
// 2…MaxSobolDim must use every primitive polynomial over GF(2), in order of
// degree and then of the coefficient word a, as Joe and Kuo list them, and
// each m_k must be odd and below 2^k.
func TestSobolDirectionTable(t *testing.T) {
	var want [][2]uint32 // (s, a) of all primitive polynomials, in order
	for s := uint32(1); len(want) < len(joeKuo); s++ {
		for a := uint32(0); a < 1<<(s-1); a++ {
			if primitive(s, a) {
				want = append(want, [2]uint32{s, a})
			}
		}
	}
	for d, jk := range joeKuo {
		require.Equal(t, want[d], [2]uint32{jk.s, jk.a}, "dimension %d", d+2)
		require.Len(t, jk.m, int(jk.s), "dimension %d", d+2)
		for k, m := range jk.m {
			assert.True(t, m%2 == 1 && m < 1<<(k+1), "dimension %d: m_%d = %d", d+2, k+1, m)
		}
	}
}

// primitive reports whether x^s + a_1 x^(s−1) + … + a_(s−1) x + 1 is
// primitive over GF(2): x has multiplicative order 2^s − 1 modulo it.
func primitive(s, a uint32) bool {
	poly := uint64(1)<<s | uint64(a)<<1 | 1
	order := uint64(1)<<s - 1
	mulmod := func(x, y uint64) uint64 {
		var r uint64
		for ; y != 0; y >>= 1 {
			if y&1 == 1 {
				r ^= x
			}
			x <<= 1
			if x>>s&1 == 1 {
				x ^= poly
			}
		}
		return r
	}
	pow := func(e uint64) uint64 {
		r, b := uint64(1), uint64(2) // b = x
		if s == 1 {
			b = 1 // x ≡ 1 mod x+1
		}
		for ; e != 0; e >>= 1 {
			if e&1 == 1 {
				r = mulmod(r, b)
			}
			b = mulmod(b, b)
		}
		return r
	}
	if pow(order) != 1 {
		return false
	}
	for q := uint64(2); q <= order; q++ {
		if order%q == 0 && isPrime(q) && pow(order/q) == 1 {
			return false
		}
	}
	return true
}

func isPrime(n uint64) bool {
	for d := uint64(2); d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return n > 1
}

// TestSobolStratification checks the (0, m, 1)-net property of every
// coordinate: the first 2^m points of each dimension fall one in each
// interval [j/2^m, (j+1)/2^m), scrambled or not. m = 10 exercises direction
// numbers 1…10 of every dimension.
func TestSobolStratification(t *testing.T) {
	const m = 10
	scrambled, err := NewScrambledSobolSequence(MaxSobolDim, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	plain, err := NewSobolSequence(MaxSobolDim)
	require.NoError(t, err)
	for name, s := range map[string]*SobolSequence{"plain": plain, "scrambled": scrambled} {
		seen := make([][]bool, s.Dim())
		for d := range seen {
			seen[d] = make([]bool, 1<<m)
		}
		p := make([]float64, s.Dim())
		for range 1 << m {
			s.Next(p)
			for d, x := range p {
				seen[d][int(x*(1<<m))] = true
			}
		}
		for d := range seen {
			assert.NotContains(t, seen[d], false, "%s dimension %d", name, d+1)
		}
	}
}

func TestScrambledSobolDeterministic(t *testing.T) {
	draw := func(seed uint64) []float64 {
		s, err := NewScrambledSobolSequence(4, rand.New(rand.NewPCG(seed, 1)))
		require.NoError(t, err)
		var pts []float64
		for range 16 {
			pts = append(pts, s.Next(nil)...)
		}
		return pts
	}
	assert.Equal(t, draw(1), draw(1))
	assert.NotEqual(t, draw(1), draw(2))
	assert.False(t, slices.Contains(draw(1)[:4], 0), "the scramble shifts the first point off the origin")
}

func TestSobolSequenceErrors(t *testing.T) {
	for _, dim := range []int{0, -1, MaxSobolDim + 1} {
		_, err := NewSobolSequence(dim)
		assert.ErrorContains(t, err, "sensitivity: ", "dim %d", dim)
	}
	_, err := NewScrambledSobolSequence(2, nil)
	assert.ErrorContains(t, err, "sensitivity: nil random source")
}
