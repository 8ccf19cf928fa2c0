package sim

import (
	"math"
	"math/bits"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNextTrial: gaps between candidate days are geometric, with mean
// (1−p)/p failures, as a day-by-day Bernoulli(p) process would give.
func TestNextTrial(t *testing.T) {
	r := newStream(1, 99, 0)
	for _, p := range []float64{0.02, 0.3, 0.9} {
		const n = 200_000
		logq := trialLog(p)
		sum, zeros := 0.0, 0
		for range n {
			g := int(r.nextTrial(0, logq))
			sum += float64(g)
			if g == 0 {
				zeros++
			}
		}
		mean := (1 - p) / p
		sd := math.Sqrt(1-p) / p / math.Sqrt(n) // standard error of the mean
		assert.InDelta(t, mean, sum/n, 4*sd, "p=%v: mean gap", p)
		assert.InDelta(t, p, float64(zeros)/n, 4*math.Sqrt(p*(1-p)/n), "p=%v: a trial on the first day", p)
	}
	assert.Equal(t, int16(7), r.nextTrial(7, trialLog(1)), "p = 1: every day")
	assert.Equal(t, int16(noTrial), r.nextTrial(7, trialLog(0)), "p = 0: never")
}

// TestEnvelopeSkipping: the draws sendEnvelopes skips with give the same
// process as a Poisson draw per pair: failures before a sending pair are
// geometric with success chance 1 − e^(−λ), and a sending pair's count is
// Poisson given at least one, with mean λ / (1 − e^(−λ)).
func TestEnvelopeSkipping(t *testing.T) {
	r := newStream(3, 99, 0)
	for _, lam := range []float64{0.004, 0.3, 2.5} {
		const n = 200_000
		q := 1 - math.Exp(-lam)
		gaps, counts, ones := 0.0, 0.0, 0
		for range n {
			gaps += float64(r.failures(lam))
			k := r.poissonAtLeastOne(lam, math.Exp(-lam))
			assert.GreaterOrEqual(t, k, 1)
			counts += float64(k)
			if k == 1 {
				ones++
			}
		}
		gapMean, gapSD := (1-q)/q, math.Sqrt(1-q)/q
		assert.InDelta(t, gapMean, gaps/n, 4*gapSD/math.Sqrt(n), "λ=%v: mean gap", lam)
		mean := lam / q
		variance := (lam+lam*lam)/q - mean*mean
		assert.InDelta(t, mean, counts/n, 4*math.Sqrt(variance/n), "λ=%v: mean count", lam)
		pOne := lam * math.Exp(-lam) / q
		assert.InDelta(t, pOne, float64(ones)/n, 4*math.Sqrt(pOne*(1-pOne)/n), "λ=%v: P(one)", lam)
	}
	assert.Equal(t, math.MaxInt32, r.failures(0), "no envelopes: never")
}

// TestLnScaled: the table logarithm behind every geometric gap is within
// 1e-9 (absolute, for ln U ≤ 0) of math.Log over the whole range of
// uniforms, including the edges of its 64 intervals and of the exponents.
func TestLnScaled(t *testing.T) {
	check := func(x uint64) {
		want := math.Log(float64(x) * 0x1p-53)
		assert.InDelta(t, want, lnScaled(x), 1e-9, "x = %d", x)
	}
	for e := 0; e <= 53; e++ {
		for _, d := range []int64{-1, 0, 1} {
			if x := int64(1)<<e + d; x >= 1 && x <= 1<<53 {
				check(uint64(x))
			}
		}
	}
	r := newStream(5, 99, 0)
	for range 200_000 {
		check(r.Uint64()>>11 + 1)
		check(r.Uint64()>>40 + 1) // small uniforms, far into the tail
	}
	for j := uint64(0); j < 64; j++ { // interval edges of the mantissa
		check(1<<52 | j<<46)
		check(1<<52 | j<<46 | 1<<46 - 1)
	}
}

// lnScaledByShift is lnScaled as it was written before it read m and e off
// the float64 conversion: m's bits shifted into place below the leading 1
// found by counting zeros. Every run's outputs depend on the two agreeing
// to the bit.
func lnScaledByShift(x uint64) float64 {
	if x >= 1<<53 {
		return 0
	}
	e := 63 - bits.LeadingZeros64(x)
	mant := (x << (52 - e)) & (1<<52 - 1)
	m := math.Float64frombits(1023<<52 | mant)
	j := mant >> 46
	r := m*logInv[j] - 1
	lnm := logCentre[j] + r*(1+r*(-1.0/2+r*(1.0/3+r*(-1.0/4))))
	return float64(e-53)*math.Ln2 + lnm
}

// TestLnScaledBitIdentical: lnScaled gives the same bits as the shifting
// version it replaced, at the edges of every exponent and interval and
// over random draws, so the trials' days did not move.
func TestLnScaledBitIdentical(t *testing.T) {
	same := func(x uint64) {
		assert.Equal(t, math.Float64bits(lnScaledByShift(x)), math.Float64bits(lnScaled(x)), "x = %d", x)
	}
	for e := 0; e <= 53; e++ {
		for _, d := range []int64{-1, 0, 1} {
			if x := int64(1)<<e + d; x >= 1 && x <= 1<<53 {
				same(uint64(x))
			}
		}
		for j := uint64(0); j < 64 && e >= 6; j++ {
			same(1<<e | j<<(e-6))
			same(1<<e | (j+1)<<(e-6) - 1)
		}
	}
	r := newStream(7, 99, 0)
	for range 200_000 {
		same(r.Uint64()>>11 + 1)
		same(r.Uint64()>>40 + 1)
	}
}
