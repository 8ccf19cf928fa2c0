package sensitivity

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// normalQuantile is Φ⁻¹ by the closed form √2·erfinv(2p−1), independent of
// distuv.
func normalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// normalCDF is Φ by the closed form (1 + erf(x/√2))/2.
func normalCDF(x float64) float64 { return (1 + math.Erf(x/math.Sqrt2)) / 2 }

func TestParamQuantile(t *testing.T) {
	// tol allows a few ulps of rounding in the closed forms and in
	// distuv's Φ⁻¹, which is accurate to about 1e-15 (Wichura 1988, AS241).
	const tol = 1e-12
	levels := Param{Name: "l", Levels: []float64{10, 20, 30, 40}}
	step := Param{Name: "s", Min: 0, Max: 1, Step: 0.1}
	uniform := Param{Name: "u", Min: -2, Max: 6}
	trunc := Param{Name: "n", Dist: Normal, Mu: 0, Sigma: 1, Min: -1, Max: 1}
	normal := Param{Name: "n", Dist: Normal, Mu: 3, Sigma: 2}
	lognormal := Param{Name: "ln", Dist: LogNormal, Mu: 1, Sigma: 0.5}
	loguniform := Param{Name: "lu", Dist: LogUniform, Min: 1, Max: 100}
	tests := []struct {
		name string
		p    Param
		u    float64
		want float64
	}{
		// Level j of 4 takes [j/4, (j+1)/4); u = 1 clamps to the last.
		{"levels u=0", levels, 0, 10},
		{"levels u=0.2499", levels, 0.2499, 10},
		{"levels u=0.25", levels, 0.25, 20},
		{"levels u=0.74", levels, 0.74, 30},
		{"levels u=0.9999", levels, 0.9999, 40},
		{"levels u=1", levels, 1, 40},
		// Step 0.1 on [0, 1] gives the 11 levels 0, 0.1, …, 1.
		{"step u=0", step, 0, 0},
		{"step u=1", step, 1, 1},
		{"step u=5.5/11", step, 5.5 / 11, 0.5},
		{"uniform u=0", uniform, 0, -2},
		{"uniform u=1", uniform, 1, 6},
		{"uniform u=0.25", uniform, 0.25, 0},
		// Truncated normal: Φ⁻¹(Φ(−1) + u(Φ(1) − Φ(−1))).
		{"truncated normal u=0", trunc, 0, -1},
		{"truncated normal u=1", trunc, 1, 1},
		{"truncated normal u=0.5", trunc, 0.5, 0},
		{"truncated normal u=0.75", trunc, 0.75, normalQuantile(normalCDF(-1) + 0.75*(normalCDF(1)-normalCDF(-1)))},
		{"normal median", normal, 0.5, 3},
		{"normal u=0.975", normal, 0.975, 3 + 2*normalQuantile(0.975)},
		{"lognormal median", lognormal, 0.5, math.E},
		{"loguniform u=0.5", loguniform, 0.5, 10},
		{"loguniform u=1", loguniform, 1, 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, tc.p.Quantile(tc.u), tol)
		})
	}
	// An unbounded distribution stays finite at the ends.
	for _, u := range []float64{0, 1} {
		assert.False(t, math.IsInf(normal.Quantile(u), 0), "normal u=%v", u)
	}
	assert.Len(t, step.LevelList(), 11)
	assert.Nil(t, uniform.LevelList())
	assert.True(t, math.IsNaN(Param{}.Quantile(0.5)), "invalid param")
}

func TestParamValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Param
		err  string // "" for valid
	}{
		{"levels", Param{Name: "a", Levels: []float64{1, 2}}, ""},
		{"step", Param{Name: "a", Min: 1, Max: 5, Step: 2}, ""},
		{"default uniform", Param{Name: "a", Min: 1, Max: 5}, ""},
		{"untruncated normal", Param{Name: "a", Dist: Normal, Sigma: 1}, ""},
		{"empty name", Param{Min: 0, Max: 1}, "empty name"},
		{"zero value", Param{Name: "a"}, "no range"},
		{"levels and dist", Param{Name: "a", Levels: []float64{1}, Dist: Uniform}, "cannot be combined"},
		{"levels and step", Param{Name: "a", Levels: []float64{1}, Step: 1}, "cannot be combined"},
		{"NaN level", Param{Name: "a", Levels: []float64{math.NaN()}}, "non-finite"},
		{"NaN field", Param{Name: "a", Min: math.NaN(), Max: 1}, "non-finite"},
		{"step and dist", Param{Name: "a", Min: 0, Max: 1, Step: 0.5, Dist: Normal}, "cannot be combined"},
		{"negative step", Param{Name: "a", Min: 0, Max: 1, Step: -0.5}, "bad step range"},
		{"tiny step", Param{Name: "a", Min: 0, Max: 1, Step: 1e-9}, "levels, more than"},
		{"empty uniform", Param{Name: "a", Min: 1, Max: 1, Dist: Uniform}, "no range"},
		{"normal sigma", Param{Name: "a", Dist: Normal}, "Sigma > 0"},
		{"normal bad truncation", Param{Name: "a", Dist: Normal, Sigma: 1, Min: 2, Max: 1}, "truncation needs"},
		{"normal empty truncation", Param{Name: "a", Dist: Normal, Sigma: 1, Min: 100, Max: 101}, "no probability"},
		{"lognormal below zero", Param{Name: "a", Dist: LogNormal, Sigma: 1, Min: -1, Max: 1}, "below 0"},
		{"loguniform zero", Param{Name: "a", Dist: LogUniform, Min: 0, Max: 1}, "0 < Min < Max"},
		{"unknown", Param{Name: "a", Dist: "cauchy", Min: 0, Max: 1}, "unknown distribution"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.err == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, "sensitivity: ")
			assert.ErrorContains(t, err, tc.err)
		})
	}
}
