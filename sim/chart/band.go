package chart

import (
	"math"
	"sort"
)

// The quantiles a predictive band spans: the median and the 5% to 95%
// range over seeds, so that nine runs in ten of the model fall inside it.
const (
	BandLow  = 0.05
	BandHigh = 0.95
)

// Spread is one figure across seeds: its median and the [BandLow] and
// [BandHigh] quantiles, and how many seeds gave a finite value. With no
// finite value all three are NaN.
type Spread struct {
	Lo, Mid, Hi float64
	N           int
}

// SpreadOf summarises a sample across seeds. Values that are not finite
// (a seed on which the figure could not be measured) are left out. The
// quantiles are Hyndman and Fan's definition 7 (R's and NumPy's default):
// the p-quantile of n sorted values sits at position (n−1)·p, linear
// between the two order statistics either side, so that the median of an
// odd sample is its middle value and one value gives a band of width
// zero. gonum's stat.Quantile is not used: its LinInterp puts the median
// of 1, 2, 3 at 1.5.
func SpreadOf(xs []float64) Spread {
	ys := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			ys = append(ys, x)
		}
	}
	s := Spread{N: len(ys), Lo: math.NaN(), Mid: math.NaN(), Hi: math.NaN()}
	if len(ys) == 0 {
		return s
	}
	sort.Float64s(ys)
	s.Lo, s.Mid, s.Hi = quantile(ys, BandLow), quantile(ys, 0.5), quantile(ys, BandHigh)
	return s
}

// quantile is the p-quantile of sorted, non-empty ys (definition 7).
func quantile(ys []float64, p float64) float64 {
	h := float64(len(ys)-1) * p
	i := int(math.Floor(h))
	if i+1 >= len(ys) {
		return ys[len(ys)-1]
	}
	return ys[i] + (h-float64(i))*(ys[i+1]-ys[i])
}

// Band is a trajectory across seeds: Spread[i] is the spread at X[i].
type Band struct {
	X      []float64 // day numbers
	Spread []Spread
}

// BandOf summarises trajectories, one per seed ([seed][i], each as long
// as xs; a shorter one counts as missing where it ends), point by point.
func BandOf(xs []float64, seeds [][]float64) Band {
	b := Band{X: xs, Spread: make([]Spread, len(xs))}
	col := make([]float64, 0, len(seeds))
	for i := range xs {
		col = col[:0]
		for _, s := range seeds {
			if i < len(s) {
				col = append(col, s[i])
			}
		}
		b.Spread[i] = SpreadOf(col)
	}
	return b
}

// lo, mid and hi are a band's three lines.
func (b Band) lo() []float64  { return b.line(func(s Spread) float64 { return s.Lo }) }
func (b Band) mid() []float64 { return b.line(func(s Spread) float64 { return s.Mid }) }
func (b Band) hi() []float64  { return b.line(func(s Spread) float64 { return s.Hi }) }

func (b Band) line(f func(Spread) float64) []float64 {
	ys := make([]float64, len(b.Spread))
	for i, s := range b.Spread {
		ys[i] = f(s)
	}
	return ys
}
