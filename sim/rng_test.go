package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/paywars/hongbao/agents"
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

// TestPayDraw: the three draws payDraw takes from one 64-bit draw follow
// the laws of three separate ones, for numbers of usual merchants that are
// and are not powers of two (a remainder that leaked the index, or an
// index that reused the spread's bits, fails here).
//
//   - Jointly uniform: the (merchant, spread's top 4 bits, x's eighth) cells
//     are equally likely. Pearson's statistic over the cells is then
//     χ² with cells − 1 degrees of freedom; it must stay under the
//     χ² quantile 1 − 1e-6 (a false alarm once in a million seeds).
//   - The choice: for each merchant j and each chance λ = Λ(v), the
//     share of x with agents.UnderLogistic(x, v) is binomial(n_j, λ).
//     |z| < 5 (two-sided 5.7e-7 a check; 3 × 4 × 16 checks at most, so a
//     false alarm once in 2,000 seeds at worst, and this seed is fixed).
func TestPayDraw(t *testing.T) {
	chances := []float64{0.01, 0.3, 0.5, 0.95}
	for _, nU := range []int{1, 3, 4, 16} {
		r := newStream(7, 99, uint64(nU))
		const n = 600_000
		const spBins, xBins = 16, 8
		cells := make([]float64, nU*spBins*xBins)
		under := make([][]int, nU) // [j][λ]
		perJ := make([]int, nU)
		for j := range under {
			under[j] = make([]int, len(chances))
		}
		utils := make([]float64, len(chances))
		for k, c := range chances {
			utils[k] = math.Log(c / (1 - c)) // Λ(v) = c
		}
		for range n {
			sp, j, x := payDraw(r.Uint64(), nU)
			require.True(t, sp >= 0 && sp < spreadBins && j >= 0 && j < nU && x >= 0 && x < 1, "nU=%d: out of range", nU)
			cells[(j*spBins+sp*spBins/spreadBins)*xBins+int(x*xBins)]++
			perJ[j]++
			for k, v := range utils {
				if agents.UnderLogistic(x, v) {
					under[j][k]++
				}
			}
		}
		want := float64(n) / float64(len(cells))
		chi2 := 0.0
		for _, o := range cells {
			chi2 += (o - want) * (o - want) / want
		}
		limit := distuv.ChiSquared{K: float64(len(cells) - 1)}.Quantile(1 - 1e-6)
		assert.Less(t, chi2, limit, "nU=%d: (merchant, spread, x) not jointly uniform", nU)
		for j := range nU {
			for k, c := range chances {
				nj := float64(perJ[j])
				z := (float64(under[j][k]) - nj*c) / math.Sqrt(nj*c*(1-c))
				assert.Less(t, math.Abs(z), 5.0, "nU=%d merchant %d: wallet chosen %d of %v times, Λ = %v", nU, j, under[j][k], nj, c)
			}
		}
	}
}

// TestExp: the ziggurat's draws are exponential with mean 1. The sample's
// values go to 1,000 bins of equal chance under that law (bin
// ⌊1000·(1 − e^(−x))⌋); Pearson's statistic over them is then χ² with 999
// degrees of freedom and must stay under its quantile 1 − 1e-6. The tail
// past zigR, which the ziggurat draws apart, must hold e^(−zigR) of the
// draws (a binomial count, |z| < 5: two-sided 5.7e-7), and their excess
// over zigR must have mean 1 within 5 standard errors. Dropping the
// wedges' test, or drawing the tail from the base layer's rectangle,
// fails here.
func TestExp(t *testing.T) {
	r := newStream(11, 99, 0)
	const n, bins = 2_000_000, 1000
	counts := make([]float64, bins)
	tail, sum, past := 0, 0.0, 0.0
	for range n {
		x := r.exp()
		require.GreaterOrEqual(t, x, 0.0)
		counts[min(int(-math.Expm1(-x)*bins), bins-1)]++
		if x > zigR {
			tail++
			past += x - zigR
		}
		sum += x
	}
	want := float64(n) / bins
	chi2 := 0.0
	for _, o := range counts {
		chi2 += (o - want) * (o - want) / want
	}
	assert.Less(t, chi2, distuv.ChiSquared{K: bins - 1}.Quantile(1-1e-6), "not exponential")
	pt := math.Exp(-zigR)
	assert.InDelta(t, n*pt, float64(tail), 5*math.Sqrt(n*pt*(1-pt)), "the tail past zigR")
	// Memoryless: past zigR, x − zigR is exponential with mean 1 (and sd 1).
	assert.InDelta(t, 1, past/float64(tail), 5/math.Sqrt(float64(tail)), "the tail's excess over zigR")
	assert.InDelta(t, 1, sum/n, 5/math.Sqrt(n), "mean") // the exponential's sd is 1
}

// TestNextTrialLaw: candidate days' gaps follow the geometric law
// P(g = k) = p(1 − p)^k exactly, not only in mean: counts of g = 0..29 and
// g ≥ 30 against it, Pearson's χ² (30 degrees of freedom, cells expected
// below 5 pooled into the last) under its quantile 1 − 1e-6.
func TestNextTrialLaw(t *testing.T) {
	r := newStream(13, 99, 0)
	for _, p := range []float64{0.02, 0.3, 0.9} {
		const n, cells = 400_000, 31
		logq := trialLog(p)
		counts := make([]float64, cells)
		for range n {
			counts[min(int(r.nextTrial(0, logq)), cells-1)]++
		}
		chi2, df, pool, poolWant := 0.0, -1, 0.0, 0.0
		for k := range cells {
			e := n * p * math.Pow(1-p, float64(k))
			if k == cells-1 {
				e = n * math.Pow(1-p, float64(k)) // g ≥ 30
			}
			if e < 5 {
				pool, poolWant = pool+counts[k], poolWant+e
				continue
			}
			chi2 += (counts[k] - e) * (counts[k] - e) / e
			df++
		}
		if poolWant > 0 {
			chi2 += (pool - poolWant) * (pool - poolWant) / poolWant
			df++
		}
		assert.Less(t, chi2, distuv.ChiSquared{K: float64(df)}.Quantile(1-1e-6), "p=%v: gaps not geometric", p)
	}
}

// exp is nextTrial's exponential draw on its own (see expEdge): the fast
// path as nextTrial writes it out, then expEdge.
func (s *stream) exp() float64 {
	r := s.Uint64()
	if i, j := r&255, r>>11; j < zigK[i] {
		return float64(int64(j)) * zigW[i]
	}
	return s.expEdge(r)
}

// poissonFromLoop is poissonFrom as it was before its first three steps
// were counted by flags: the reference TestPoissonFromMatchesLoop checks
// it against.
func poissonFromLoop(u, lambda, expNeg float64) int {
	p := expNeg
	c := p
	k := 0
	for u > c && k < 200 {
		k++
		if k < len(reciprocal) {
			p *= lambda * reciprocal[k]
		} else {
			p *= lambda / float64(k)
		}
		c += p
	}
	return k
}

// TestPoissonFromMatchesLoop: poissonFrom returns the loop's count for
// every input: uniforms at and an ulp either side of each of the first
// CDF steps, random ones, and means from 0 to past the table, negative,
// infinite and NaN (where the steps are not increasing).
func TestPoissonFromMatchesLoop(t *testing.T) {
	r := newStream(1, 98, 0)
	lambdas := []float64{0, 1e-9, 0.05, 0.8, 1, 2.5, 7, 30, 45, -0.5, -3, math.Inf(1), math.NaN()}
	for range 200 {
		lambdas = append(lambdas, 10*r.float())
	}
	for _, lam := range lambdas {
		expNeg := math.Exp(-lam)
		us := []float64{0, 1, -1, math.Nextafter(1, 0), math.NaN(), math.Inf(1)}
		p, c := expNeg, expNeg
		for k := 1; k <= 6; k++ { // the CDF's first steps, as the loop adds them
			us = append(us, c, math.Nextafter(c, math.Inf(-1)), math.Nextafter(c, math.Inf(1)))
			p *= lam * reciprocal[k]
			c += p
		}
		for range 2000 {
			us = append(us, r.float())
		}
		for _, u := range us {
			require.Equal(t, poissonFromLoop(u, lam, expNeg), r.poissonFrom(u, lam, expNeg), "u=%v lambda=%v", u, lam)
			require.Equal(t, poissonFromLoop(u, lam, 1.5*expNeg), r.poissonFrom(u, lam, 1.5*expNeg), "u=%v lambda=%v, e^(−λ) off", u, lam)
		}
	}
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
