package sensitivity

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMorrisDesign checks the structure of Morris trajectories: every unit
// coordinate is on the p-level grid, and each step changes exactly the
// parameter it names, by ±Δ, each parameter once per trajectory.
func TestMorrisDesign(t *testing.T) {
	// tol is rounding of grid values j/(p−1) and their differences.
	const tol = 1e-12
	for _, levels := range []int{2, 4, 6, 10} {
		const r = 7 // trajectories: any number ≥ 2
		d, err := Morris(mixedParams, MorrisOptions{Trajectories: r, Levels: levels}, rand.New(rand.NewPCG(9, 9)))
		require.NoError(t, err)
		k := len(mixedParams)
		require.Equal(t, r*(k+1), d.Len())
		l := d.Morris
		require.NotNil(t, l)
		delta := float64(levels) / (2 * float64(levels-1)) // Morris (1991): Δ = p/(2(p−1))
		assert.InDelta(t, delta, l.Delta, tol)
		for i := range d.Len() {
			for j := range k {
				g := d.Unit.At(i, j) * float64(levels-1)
				assert.InDelta(t, math.Round(g), g, tol, "grid at %d,%d", i, j)
				assert.True(t, g > -tol && g < float64(levels-1)+tol)
			}
		}
		require.Len(t, l.Steps, r)
		for tr, steps := range l.Steps {
			moved := make([]int, k)
			for s, st := range steps {
				assert.Equal(t, tr*(k+1)+s, st.From)
				assert.Equal(t, st.From+1, st.To)
				assert.InDelta(t, delta, math.Abs(st.Delta), tol)
				moved[st.Param]++
				for j := range k {
					diff := d.Unit.At(st.To, j) - d.Unit.At(st.From, j)
					if j == st.Param {
						assert.InDelta(t, st.Delta, diff, tol)
					} else {
						assert.Zero(t, diff)
					}
				}
			}
			for j, m := range moved {
				assert.Equal(t, 1, m, "trajectory %d parameter %d", tr, j)
			}
		}
	}
}

// TestMorrisLinear checks μ, μ* and σ on f = Σ c_i x_i, whose elementary
// effects on the normalised scale are all exactly c_i·(Max_i − Min_i):
// μ = c_i·range, μ* = |c_i|·range, σ = 0, and μ* = 0 for c_i = 0.
func TestMorrisLinear(t *testing.T) {
	// tol is rounding in the mapping (1−u)·Min + u·Max and in the
	// differences of outputs of size up to ~100.
	const tol = 1e-9
	params := []Param{
		{Name: "a", Min: 0, Max: 1},
		{Name: "b", Min: -5, Max: 5},
		{Name: "c", Min: 10, Max: 12},
		{Name: "inert", Min: 0, Max: 100},
		// Levels 0…3 with p = 4 levels: grid level j maps to value j.
		{Name: "levels", Levels: []float64{0, 1, 2, 3}},
	}
	c := []float64{3, -2, 0.5, 0, 4}
	rng := []float64{1, 10, 2, 100, 3}
	for _, cand := range []int{0, 40} {
		d, err := Morris(params, MorrisOptions{Trajectories: 10, Levels: 4, Candidates: cand}, rand.New(rand.NewPCG(2, 3)))
		require.NoError(t, err)
		y := make([]float64, d.Len())
		for i := range y {
			for j, x := range d.Points.RawRowView(i) {
				y[i] += c[j] * x
			}
		}
		res, err := AnalyzeMorris(d, y, NaNError)
		require.NoError(t, err)
		for i, ix := range res.Indices {
			assert.Equal(t, params[i].Name, ix.Name)
			assert.Equal(t, 10, ix.N, "one effect per trajectory")
			assert.InDelta(t, c[i]*rng[i], ix.Mu, tol, ix.Name)
			assert.InDelta(t, math.Abs(c[i])*rng[i], ix.MuStar, tol, ix.Name)
			assert.InDelta(t, 0, ix.Sigma, tol, ix.Name)
		}
		assert.Zero(t, res.Indices[3].MuStar, "a parameter with no effect")
	}
}

// TestMorrisNonlinear checks that σ flags a nonlinear parameter: for
// f = x1² + x2 on U(0, 1) with p = 4, Δ = 2/3, the effects of x1 are
// ((x+Δ)² − x²)/Δ = 2x + Δ with x ∈ {0, 1/3}, i.e. 2/3 or 4/3, so σ > 0,
// while x2 has σ = 0.
func TestMorrisNonlinear(t *testing.T) {
	const tol = 1e-12 // rounding
	params := []Param{{Name: "x1", Min: 0, Max: 1}, {Name: "x2", Min: 0, Max: 1}}
	d, err := Morris(params, MorrisOptions{Trajectories: 50}, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	y := make([]float64, d.Len())
	for i := range y {
		x := d.Points.RawRowView(i)
		y[i] = x[0]*x[0] + x[1]
	}
	res, err := AnalyzeMorris(d, y, NaNError)
	require.NoError(t, err)
	assert.Greater(t, res.Indices[0].Sigma, 0.1)
	assert.InDelta(t, 0, res.Indices[1].Sigma, tol)
	assert.True(t, res.Indices[0].MuStar >= 2.0/3-tol && res.Indices[0].MuStar <= 4.0/3+tol)
}

// TestMorrisSpread checks that choosing trajectories from candidates
// (Campolongo et al. 2007) spreads them more than taking r at random.
func TestMorrisSpread(t *testing.T) {
	params := []Param{{Name: "a", Min: 0, Max: 1}, {Name: "b", Min: 0, Max: 1}, {Name: "c", Min: 0, Max: 1}}
	const r = 6
	spread := func(d Design) float64 {
		k := len(params)
		var sum float64
		for a := range r {
			for b := a + 1; b < r; b++ {
				var dab float64
				for i := range k + 1 {
					for j := range k + 1 {
						var sq float64
						for z := range k {
							diff := d.Unit.At(a*(k+1)+i, z) - d.Unit.At(b*(k+1)+j, z)
							sq += diff * diff
						}
						dab += math.Sqrt(sq)
					}
				}
				sum += dab * dab
			}
		}
		return math.Sqrt(sum)
	}
	plain, err := Morris(params, MorrisOptions{Trajectories: r}, rand.New(rand.NewPCG(4, 4)))
	require.NoError(t, err)
	spreadOut, err := Morris(params, MorrisOptions{Trajectories: r, Candidates: 60}, rand.New(rand.NewPCG(4, 4)))
	require.NoError(t, err)
	assert.Greater(t, spread(spreadOut), spread(plain))
}

func TestMorrisNaN(t *testing.T) {
	params := []Param{{Name: "a", Min: 0, Max: 2}, {Name: "b", Min: 0, Max: 1}}
	d, err := Morris(params, MorrisOptions{Trajectories: 5}, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	y := make([]float64, d.Len())
	for i := range y {
		x := d.Points.RawRowView(i)
		y[i] = 3*x[0] - x[1]
	}
	y[1] = math.NaN() // middle point of trajectory 0: both its steps go

	_, err = AnalyzeMorris(d, y, NaNError)
	assert.ErrorContains(t, err, "sensitivity: non-finite output")

	res, err := AnalyzeMorris(d, y, NaNDrop)
	require.NoError(t, err)
	assert.Equal(t, 2, res.Dropped)
	const tol = 1e-9 // rounding, as in TestMorrisLinear
	assert.Equal(t, 4, res.Indices[0].N)
	assert.Equal(t, 4, res.Indices[1].N)
	assert.InDelta(t, 6, res.Indices[0].MuStar, tol)
	assert.InDelta(t, 1, res.Indices[1].MuStar, tol)
	assert.Contains(t, res.Table(), "2 elementary effects dropped")

	_, err = AnalyzeMorris(d, y[:3], NaNDrop)
	assert.ErrorContains(t, err, "3 outputs for 15 runs")
	lhs, err := LatinHypercube(params, 4, rand.New(rand.NewPCG(1, 1)))
	require.NoError(t, err)
	_, err = AnalyzeMorris(lhs, make([]float64, 4), NaNError)
	assert.ErrorContains(t, err, "needs a Morris design")
}
