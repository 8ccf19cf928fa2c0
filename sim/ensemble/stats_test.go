package ensemble

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummarize(t *testing.T) {
	cases := []struct {
		name           string
		xs             []float64
		mean, sd, se   float64
		nanMean, nanSD bool
	}{
		{name: "empty", nanMean: true, nanSD: true},
		{name: "one value has no spread", xs: []float64{3}, mean: 3},
		// 2,4,4,4,5,5,7,9: mean 5, squares about it 32, sd √(32/7).
		{name: "textbook", xs: []float64{2, 4, 4, 4, 5, 5, 7, 9}, mean: 5, sd: math.Sqrt(32.0 / 7), se: math.Sqrt(32.0/7) / math.Sqrt(8)},
		{name: "constant", xs: []float64{1.5, 1.5, 1.5}, mean: 1.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Summarize(c.xs)
			assert.Equal(t, len(c.xs), s.N)
			if c.nanMean {
				assert.True(t, math.IsNaN(s.Mean))
			} else {
				assert.InDelta(t, c.mean, s.Mean, 1e-12)
			}
			if c.nanSD {
				assert.True(t, math.IsNaN(s.SD))
				return
			}
			assert.InDelta(t, c.sd, s.SD, 1e-12)
			assert.InDelta(t, c.se, s.SE, 1e-12)
		})
	}
}

func TestTQuantile(t *testing.T) {
	// Two-sided 95% critical values from any t table.
	cases := []struct {
		df   int
		want float64
	}{{1, 12.706}, {2, 4.303}, {4, 2.776}, {9, 2.262}, {29, 2.045}, {1000, 1.962}}
	for _, c := range cases {
		assert.InDelta(t, c.want, TQuantile(c.df), 5e-4, "df %d", c.df)
	}
}

func TestPaired(t *testing.T) {
	cases := []struct {
		name             string
		variant, base    []float64
		mean, lo, hi     float64
		significant, nan bool
	}{
		// Differences 1,2,3: mean 2, sd 1, se 1/√3, t(0.975;2)=4.3027.
		{name: "three pairs", variant: []float64{11, 22, 33}, base: []float64{10, 20, 30},
			mean: 2, lo: 2 - 4.302653*(1/math.Sqrt(3)), hi: 2 + 4.302653*(1/math.Sqrt(3))},
		// Differences 10,11,12: the same spread far from zero.
		{name: "clear gain", variant: []float64{20, 31, 42}, base: []float64{10, 20, 30},
			mean: 11, lo: 11 - 4.302653/math.Sqrt(3), hi: 11 + 4.302653/math.Sqrt(3), significant: true},
		// Differences -1,1: mean 0, sd √2, se 1, t(0.975;1)=12.7062.
		{name: "straddles zero", variant: []float64{0, 2}, base: []float64{1, 1}, mean: 0, lo: -12.706205, hi: 12.706205},
		// Common random numbers: a constant shift has no spread at all.
		{name: "constant shift", variant: []float64{5, 7, 100}, base: []float64{4, 6, 99}, mean: 1, lo: 1, hi: 1, significant: true},
		{name: "one pair", variant: []float64{3}, base: []float64{1}, mean: 2, nan: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Paired(c.variant, c.base)
			require.NoError(t, err)
			assert.InDelta(t, c.mean, d.Mean, 1e-9)
			if c.nan {
				assert.True(t, math.IsNaN(d.Lo) && math.IsNaN(d.Hi))
				assert.False(t, d.Significant())
				return
			}
			assert.InDelta(t, c.lo, d.Lo, 1e-5)
			assert.InDelta(t, c.hi, d.Hi, 1e-5)
			assert.Equal(t, c.significant, d.Significant())
		})
	}
	_, err := Paired([]float64{1, 2}, []float64{1})
	assert.Error(t, err)
}
