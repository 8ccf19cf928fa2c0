package agents

import (
	"math"
	"math/rand/v2"
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

// TestLogisticBoundConstants: the constants are the float64 values of the
// expressions they stand for, bit for bit.
func TestLogisticBoundConstants(t *testing.T) {
	floor := 1/(1+math.Exp(-4)) - 1e-12
	chord := (floor-0.5)/4 - 1e-12
	assert.Equal(t, math.Float64bits(floor), math.Float64bits(logisticFloor))
	assert.Equal(t, math.Float64bits(chord), math.Float64bits(logisticChord))
}

// TestLogisticBoundsAsMin: UnderLogistic and OverLogistic test their
// bounds one at a time; they answer as the same tests through min did,
// for every draw and index, NaNs and infinities included, and for draws
// an ulp either side of each bound.
func TestLogisticBoundsAsMin(t *testing.T) {
	under := func(u, x float64) bool {
		if x >= 0 {
			if u < min(logisticFloor, 0.5+logisticChord*x) {
				return true
			}
			return u*(1+expNonPositive(-x)) < 1
		}
		if u >= 1-min(logisticFloor, 0.5-logisticChord*x) {
			return false
		}
		e := expNonPositive(x)
		return u*(1+e) < e
	}
	over := func(u, x float64) bool {
		if x >= 0 {
			return false
		}
		if u >= 1-min(logisticFloor, 0.5-logisticChord*x) {
			return true
		}
		e := expNonPositive(x)
		return u*(1+e) >= e*(1+1e-5)
	}
	xs := []float64{math.NaN(), math.Inf(-1), math.Inf(1), -1e300, -800, -40, -8, -4.01, -4, -3.99, -1, -1e-300, 0, math.Copysign(0, -1), 1e-300, 1, 3.99, 4, 4.01, 40, 1e300}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		xs = append(xs, (rng.Float64()-0.5)*20)
	}
	for _, x := range xs {
		us := []float64{math.NaN(), -1, 0, 0.5, 1, 2}
		for _, b := range []float64{logisticFloor, 0.5 + logisticChord*x, 1 - logisticFloor, 1 - (0.5 - logisticChord*x), Logistic(x)} {
			us = append(us, b, math.Nextafter(b, -1), math.Nextafter(b, 2))
		}
		for range 50 {
			us = append(us, rng.Float64())
		}
		for _, u := range us {
			assert.Equal(t, under(u, x), UnderLogistic(u, x), "UnderLogistic(%v, %v)", u, x)
			assert.Equal(t, over(u, x), OverLogistic(u, x), "OverLogistic(%v, %v)", u, x)
		}
	}
}
