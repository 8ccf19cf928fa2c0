package sensitivity

import (
	"bytes"
	"encoding/xml"
	"image"
	_ "image/png" // register the PNG decoder for image.Decode
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ishigamiResult analyses a small Ishigami design: 2^8 base rows are enough
// for a chart.
func ishigamiResult(t *testing.T) SobolResult {
	t.Helper()
	d, err := Saltelli(ishigamiParams, 1<<8, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	y := make([]float64, d.Len())
	for i := range y {
		y[i] = ishigami(d.Points.RawRowView(i))
	}
	res, err := AnalyzeSobol(d, y, SobolOptions{Seed: 1, Resamples: 200})
	require.NoError(t, err)
	return res
}

func morrisResult(t *testing.T) MorrisResult {
	t.Helper()
	d, err := Morris(ishigamiParams, MorrisOptions{Trajectories: 20}, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	y := make([]float64, d.Len())
	for i := range y {
		y[i] = ishigami(d.Points.RawRowView(i))
	}
	res, err := AnalyzeMorris(d, y, NaNError)
	require.NoError(t, err)
	return res
}

func TestSobolTable(t *testing.T) {
	res := SobolResult{
		Indices: []SobolIndex{
			{Name: "alpha", S1: 0.3139, S1Lo: 0.3, S1Hi: 0.33, ST: 0.5576, STLo: 0.54, STHi: 0.57},
			{Name: "b", S1: -0.0004, S1Lo: -0.02, S1Hi: 0.02, ST: 0.2437, STLo: 0.23, STHi: 0.25},
		},
		Variance: 13.84, N: 8192, Dropped: 1, Resamples: 1000, Confidence: 0.95,
	}
	want := `param  S1      95% CI           ST     95% CI
alpha  0.314   [0.300, 0.330]   0.558  [0.540, 0.570]
b      -0.000  [-0.020, 0.020]  0.244  [0.230, 0.250]
N=8192 base rows (1 dropped), V=13.84, 1000 bootstrap resamples
`
	assert.Equal(t, want, res.Table())
}

func TestMorrisTable(t *testing.T) {
	res := MorrisResult{Indices: []MorrisIndex{
		{Name: "x1", Mu: 1.5, MuStar: 2, Sigma: 0.25, N: 10},
		{Name: "inert", N: 10},
	}}
	want := `param  μ*  μ    σ     n
x1     2   1.5  0.25  10
inert  0   0    0     10
`
	assert.Equal(t, want, res.Table())
}

// TestPlots writes each chart as PNG and SVG and checks that the files are
// non-empty and decode, and that no temporary file is left behind.
func TestPlots(t *testing.T) {
	sobol := ishigamiResult(t)
	morris := morrisResult(t)
	plots := []struct {
		name string
		plot func(path string) error
	}{
		{"sobol", func(path string) error { return PlotSobol(sobol, path) }},
		{"morris", func(path string) error { return PlotMorris(morris, path) }},
	}
	for _, tc := range plots {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			png := filepath.Join(dir, tc.name+".png")
			require.NoError(t, tc.plot(png))
			data, err := os.ReadFile(png)
			require.NoError(t, err)
			img, format, err := image.Decode(bytes.NewReader(data))
			require.NoError(t, err)
			assert.Equal(t, "png", format)
			assert.Positive(t, img.Bounds().Dx())
			assert.Positive(t, img.Bounds().Dy())

			svg := filepath.Join(dir, tc.name+".SVG") // the extension's case does not matter
			require.NoError(t, tc.plot(svg))
			data, err = os.ReadFile(svg)
			require.NoError(t, err)
			require.NotEmpty(t, data)
			var root struct{ XMLName xml.Name }
			require.NoError(t, xml.Unmarshal(data, &root))
			assert.Equal(t, "svg", root.XMLName.Local)

			// Overwriting an existing chart works too.
			require.NoError(t, tc.plot(png))

			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, 2, "only the two charts, no temporary files")
		})
	}
}

func TestPlotErrors(t *testing.T) {
	dir := t.TempDir()
	err := PlotSobol(ishigamiResult(t), filepath.Join(dir, "chart.gif"))
	assert.ErrorContains(t, err, `sensitivity: unsupported plot format ".gif"`)
	err = PlotSobol(SobolResult{}, filepath.Join(dir, "empty.png"))
	assert.ErrorContains(t, err, "sensitivity: nothing to plot")
	err = PlotSobol(ishigamiResult(t), filepath.Join(dir, "missing", "chart.png"))
	assert.ErrorContains(t, err, "sensitivity: plot: ")
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries)
}

// TestPlotWithoutIntervals checks that results without a bootstrap (NaN
// intervals) and with NaN σ still plot.
func TestPlotWithoutIntervals(t *testing.T) {
	dir := t.TempDir()
	res := SobolResult{Indices: []SobolIndex{{Name: "a", S1: 0.5, ST: 0.6, S1Lo: math.NaN(), S1Hi: math.NaN(), STLo: math.NaN(), STHi: math.NaN()}}, Confidence: 0.95}
	require.NoError(t, PlotSobol(res, filepath.Join(dir, "a.svg")))
	m := MorrisResult{Indices: []MorrisIndex{{Name: "a", MuStar: 1, Sigma: math.NaN()}}}
	require.NoError(t, PlotMorris(m, filepath.Join(dir, "b.png")))
	assert.Contains(t, res.Table(), "[NaN, NaN]", "the table shows missing intervals as NaN")
}
