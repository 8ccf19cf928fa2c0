package chart

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteBars draws a Sobol'-style chart in both formats, well formed,
// and with intervals missing or not finite values among the bars.
func TestWriteBars(t *testing.T) {
	nan := math.NaN()
	b := Bars{Name: "sobol-share", Title: "Sobol' indices of share", Subtitle: "N = 64", XLabel: "share of variance",
		Names: []string{"a_rather_long_parameter_name", "b", "c"},
		Series: []BarSeries{
			{Label: "S1", Values: []float64{0.5, nan, 0.1}, Lo: []float64{0.4, nan, -0.1}, Hi: []float64{0.6, nan, 0.3}},
			{Label: "ST", Values: []float64{0.7, 0.2, 0.1}},
		}}
	dir := t.TempDir()
	files, err := WriteBars(dir, b, Options{})
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(dir, "sobol-share.png"), filepath.Join(dir, "sobol-share.svg")}, files)
	for _, f := range files {
		checkWellFormed(t, f)
	}
}

func TestWriteBarsErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := WriteBars(dir, Bars{Name: "x"}, Options{})
	assert.ErrorContains(t, err, "no bars")
	_, err = WriteBars(dir, Bars{Name: "x", Names: []string{"a", "b"}, Series: []BarSeries{{Label: "s", Values: []float64{1}}}}, Options{})
	assert.ErrorContains(t, err, `series "s" has 1 values for 2 names`)
}
