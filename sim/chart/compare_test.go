package chart

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// syntheticVariants are two variants of the synthetic run, two seeds
// each: the second seed shifts shares by a point, the second variant
// gives Alipay 5 points of WeChat's share and drops Lakala. Its long name
// moves the legend below the panels.
func syntheticVariants() []Variant {
	seed := func(s uint64, shift float64, strong bool) *Run {
		r := syntheticRun()
		r.Seed = s
		if strong {
			r.Platforms = r.Platforms[:2]
		}
		for d := range r.History {
			ps := r.History[d].Platforms
			ps[0].ShareValue += shift
			ps[1].ShareValue -= shift
			if strong {
				ps[0].ShareValue += 0.05
				ps[1].ShareValue -= 0.05
				ps[0].MAU += 1500
				r.History[d].Platforms = ps[:2]
			}
		}
		return r
	}
	return []Variant{
		{Name: "synthetic", Runs: []*Run{seed(1, 0, false), seed(2, 0.01, false)}},
		{Name: "synthetic:platforms.alipay.services=0.9,platforms.lakala.treasury=0", Runs: []*Run{seed(1, 0, true), seed(2, 0.01, true)}},
	}
}

func TestWriteCompareChartsGolden(t *testing.T) {
	dir := t.TempDir()
	files, err := WriteCompareCharts(dir, syntheticVariants(), Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"compare.png", "compare.svg"}, chartNames(files))
	for _, f := range files {
		checkWellFormed(t, f)
		checkGolden(t, f, "")
	}
}

func TestSeriesAcross(t *testing.T) {
	const tol = 1e-12
	vs := syntheticVariants()
	s, ok := seriesAcross(vs[0].Runs, "alipay", false)
	require.True(t, ok)
	require.Len(t, s.xs, 120)
	a, b := vs[0].Runs[0].History[10].Platforms[0], vs[0].Runs[1].History[10].Platforms[0]
	require.InDelta(t, (a.ShareValue+b.ShareValue)/2, s.share[10], tol)
	require.InDelta(t, float64(a.MAU+b.MAU)/2, s.mau[10], tol)
	// The band runs from the lower seed to the higher one.
	require.InDelta(t, min(a.ShareValue, b.ShareValue), s.shareLo[10], tol)
	require.InDelta(t, max(a.ShareValue, b.ShareValue), s.shareHi[10], tol)
	require.InDelta(t, float64(min(a.MAU, b.MAU)), s.mauLo[10], tol)
	require.InDelta(t, float64(max(a.MAU, b.MAU)), s.mauHi[10], tol)
	real, _ := seriesAcross(vs[0].Runs, "alipay", true)
	require.InDelta(t, s.mau[10]*30000, real.mau[10], 1e-6) // scale 600M/20k
	_, ok = seriesAcross(vs[1].Runs, "lakala", false)
	require.False(t, ok)
}

func TestWriteCompareChartsErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := WriteCompareCharts(dir, nil, Options{})
	require.EqualError(t, err, "chart: nothing to compare")
	_, err = WriteCompareCharts(dir, []Variant{{Name: "x"}}, Options{})
	require.EqualError(t, err, `chart: variant "x" has no runs`)
	_, err = WriteCompareCharts(dir, []Variant{{Name: "x", Runs: []*Run{{Platforms: []Platform{{Name: "a"}}}}}}, Options{})
	require.EqualError(t, err, `chart: run has no days (variant "x")`)
}
