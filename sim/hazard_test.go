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
