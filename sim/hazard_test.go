package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHazardProbUnderHazard: the probability of a daily hazard h is never
// above h itself, in floating point as in exact arithmetic (1 − e^(−h) <
// h; Expm1 errs by under an ulp), which lets becomeAware fail a draw at h
// or above without computing it.
func TestHazardProbUnderHazard(t *testing.T) {
	hs := []float64{-1, 0, 5e-324, 1e-300, 1e-12, 1e-6, 1e-3 - 1e-18, 1e-3, 1e-3 + 1e-18, 0.01, 0.1, 0.5, 1, 2, 10, 700, 1e300, math.Inf(1)}
	for h := 1e-12; h < 100; h *= 1.001 {
		hs = append(hs, h, math.Nextafter(h, 0), math.Nextafter(h, 1))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		hs = append(hs, r.Float64(), r.Float64()*1e-2, r.ExpFloat64())
	}
	bad := 0
	for _, h := range hs {
		if p := hazardProb(h); !(p <= max(h, 0)) {
			bad++
			if bad < 5 {
				t.Errorf("hazardProb(%v) = %v, above the hazard", h, p)
			}
		}
	}
	assert.Zero(t, bad)
}

// TestNoneBelowUnderExp checks the bound poisson decides most draws of
// none with: noneBelow(λ) is under math.Exp(−λ) for every λ poisson
// takes (0 < λ ≤ 30), so a draw under the bound is under e^(−λ) too and
// the count is the one the exp gives. It fails when the bound is put a
// margin over 1 − λ instead of under (checked with + 2^−50: at the
// smallest λ, where 1 − λ rounds to 1).
func TestNoneBelowUnderExp(t *testing.T) {
	ls := []float64{5e-324, 1e-300, 1e-20, 1e-17, 1e-16, 1.1e-16, 2e-16, 1e-15, 1e-12, 1e-8, 1e-6, 1e-3, 0.5, 1, 2, 30}
	for l := 1e-20; l <= 30; l *= 1.0001 {
		ls = append(ls, l, math.Nextafter(l, 0), math.Nextafter(l, 31))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		ls = append(ls, r.Float64(), r.Float64()*1e-3, r.Float64()*1e-12, 30*r.Float64())
	}
	bad := 0
	for _, l := range ls {
		if b := noneBelow(l); !(b <= math.Exp(-l)) {
			bad++
			if bad < 5 {
				t.Errorf("noneBelow(%v) = %v, over e^(-λ) = %v", l, b, math.Exp(-l))
			}
		}
	}
	assert.Zero(t, bad)
}
