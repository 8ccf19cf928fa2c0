package ensemble

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Level is the confidence level of every interval this package reports.
const Level = 0.95

// Summary describes a sample of one output across seeds.
type Summary struct {
	N    int
	Mean float64
	SD   float64 // sample standard deviation (n-1); 0 for one value
	SE   float64 // standard error of the mean, SD/√N
}

// Summarize returns the mean, sample standard deviation and standard error
// of xs (gonum's stat.MeanStdDev). An empty sample has N 0 and NaN mean.
func Summarize(xs []float64) Summary {
	s := Summary{N: len(xs)}
	switch len(xs) {
	case 0:
		s.Mean, s.SD, s.SE = math.NaN(), math.NaN(), math.NaN()
	case 1:
		s.Mean = xs[0]
	default:
		s.Mean, s.SD = stat.MeanStdDev(xs, nil)
		s.SE = stat.StdErr(s.SD, float64(len(xs)))
	}
	return s
}

// Diff is a paired difference: the mean over common seeds of variant minus
// baseline, with a two-sided [Level] Student-t interval.
type Diff struct {
	Summary
	// Lo and Hi bound the interval on the mean difference; NaN with fewer
	// than two pairs (no spread to estimate from).
	Lo, Hi float64
}

// Significant reports whether the interval excludes zero.
func (d Diff) Significant() bool { return d.Lo > 0 || d.Hi < 0 }

// Paired returns the difference variant − baseline on common seeds: the
// two slices are the same seeds in the same order. Pairing removes the
// seed-to-seed noise the two runs share (common random numbers), so the
// interval is usually much narrower than the two means' intervals. The
// interval is mean ± t(0.975; n−1)·sd/√n, with t the Student-t quantile
// (gonum distuv.StudentsT).
func Paired(variant, baseline []float64) (Diff, error) {
	if len(variant) != len(baseline) {
		return Diff{}, fmt.Errorf("ensemble: paired samples differ in length: %d and %d", len(variant), len(baseline))
	}
	d := make([]float64, len(variant))
	for i := range d {
		d[i] = variant[i] - baseline[i]
	}
	return diffOf(d), nil
}

// diffOf summarises differences and puts the t interval around their mean.
func diffOf(d []float64) Diff {
	out := Diff{Summary: Summarize(d), Lo: math.NaN(), Hi: math.NaN()}
	if len(d) < 2 {
		return out
	}
	h := TQuantile(len(d)-1) * out.SE
	out.Lo, out.Hi = out.Mean-h, out.Mean+h
	return out
}

// TQuantile is the two-sided [Level] critical value of Student's t with
// df degrees of freedom: 12.706 for 1, 2.776 for 4, 1.960 as df grows.
func TQuantile(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(1 - (1-Level)/2)
}
