package agents

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestExpNonPositive: within 2e-7 relative of math.Exp over the whole
// range (the series' remainder is far below), including exact powers of
// two and the points where the table index wraps.
func TestExpNonPositive(t *testing.T) {
	const tol = 2e-7
	worst, at := 0.0, 0.0
	for x := 0.0; x > -700; x -= 0.0137 {
		want := math.Exp(x)
		if want < 1e-300 {
			continue
		}
		if e := math.Abs(expNonPositive(x)-want) / want; e > worst {
			worst, at = e, x
		}
	}
	assert.Less(t, worst, tol, "largest relative error %.3g at x = %v", worst, at)
	for k := -2000; k <= 0; k++ { // every table entry, at and between the grid points
		for _, x := range []float64{float64(k) / 64 * math.Ln2, (float64(k) - 0.5) / 64 * math.Ln2} {
			assert.InEpsilon(t, math.Exp(x), expNonPositive(x), tol, "x = %v", x)
		}
	}
	assert.Equal(t, 1.0, expNonPositive(0))
	assert.InEpsilon(t, 0.5, expNonPositive(-math.Ln2), tol)
	assert.Zero(t, expNonPositive(-1000))
}

func BenchmarkExpNonPositive(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += expNonPositive(-float64(i&1023) * 0.01)
	}
	_ = s
}

func BenchmarkMathExp(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += math.Exp(-float64(i&1023) * 0.01)
	}
	_ = s
}

// TestUnderLogistic: the trial agrees with u < Λ(x) away from the
// boundary, on both sides of the bound it decides most draws by (the chord
// from 0 to 4), and its rate over a grid of u is Λ(x).
func TestUnderLogistic(t *testing.T) {
	for _, x := range []float64{-30, -6, -4.01, -4, -3.99, -1.5, -0.1, -1e-9, 0, 1e-9, 0.1, 0.5, 2, 3.99, 4, 4.01, 9, 40} {
		p := Logistic(x)
		assert.InEpsilon(t, 1/(1+math.Exp(-x)), p, 2e-7, "x = %v", x)
		const n = 100_000
		hits := 0
		for i := range n {
			u := (float64(i) + 0.5) / n
			got := UnderLogistic(u, x)
			if math.Abs(u-p) > 1e-6 {
				assert.Equal(t, u < p, got, "x = %v, u = %v", x, u)
			}
			if got {
				hits++
			}
		}
		assert.InDelta(t, p, float64(hits)/n, 2.0/n, "x = %v", x)
	}
}

// TestOverLogistic: a draw over the ceiling x fails UnderLogistic at x
// and at every index below it, including the draws nearest Λ(x) where the
// exp's error could tip a careless bound; and the bound gives up little,
// saying true for every draw more than 2e-5 above Λ(x).
func TestOverLogistic(t *testing.T) {
	for _, x := range []float64{-30, -8, -4.01, -4, -3.99, -1.5, -0.1, -1e-9, 0, 0.5, 4} {
		p := Logistic(x)
		for _, u := range []float64{0, p * (1 - 1e-9), p, p * (1 + 1e-9), p * (1 + 1e-6), p * (1 + 2e-5), 0.5, 0.9, 0.999999} {
			if !OverLogistic(u, x) {
				if x < 0 && u > p*(1+2e-5) {
					t.Errorf("OverLogistic(%v, %v) = false, more than 2e-5 above Λ = %v", u, x, p)
				}
				continue
			}
			for _, y := range []float64{x, x - 1e-12, x - 1e-6, x - 0.01, x - 0.3, x - 1, x - 5} {
				assert.False(t, UnderLogistic(u, y), "u = %v over the ceiling %v but under Λ(%v)", u, x, y)
			}
		}
		assert.False(t, x >= 0 && OverLogistic(0.9999, x), "x = %v ≥ 0 needs the index", x)
	}
}
