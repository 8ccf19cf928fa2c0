package sensitivity

import (
	_ "image/png" // register the PNG decoder for image.Decode
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

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

// TestTableWithoutIntervals: results without a bootstrap show their
// missing intervals as NaN.
func TestTableWithoutIntervals(t *testing.T) {
	res := SobolResult{Indices: []SobolIndex{{Name: "a", S1: 0.5, ST: 0.6, S1Lo: math.NaN(), S1Hi: math.NaN(), STLo: math.NaN(), STHi: math.NaN()}}, Confidence: 0.95}
	assert.Contains(t, res.Table(), "[NaN, NaN]")
}
