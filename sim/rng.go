package sim

import (
	"math"
	"math/rand/v2"
)

// Random streams. Every purpose (set-up, each partition's daily work, each
// platform's central draws) owns its own SplitMix64 stream (stream, below)
// whose seed is a pure function of (scenario seed, purpose, index). No
// stream is ever shared by two goroutines, so results cannot depend on
// scheduling or GOMAXPROCS.

// Stream purposes; their values are part of the output contract: changing one
// changes every result.
const (
	streamSetup     = 1
	streamGraph     = 2
	streamPartition = 3
	streamPlatform  = 4
	streamTies      = 5
	streamMerchants = 6
	streamGaps      = 7 // the envelope pairs' gaps of a partition's listing pass (usersPaying)
)

// splitmix64 is the finaliser of Steele et al.'s SplitMix64; it turns
// structured inputs (seed, purpose, index) into well-mixed stream seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// stream is a SplitMix64 generator (Steele, Lea & Flood 2014): a Weyl
// sequence passed through the splitmix64 finaliser. It passes BigCrush, has
// period 2^64 per stream, and costs an add and two multiplies, a third of
// PCG's 128-bit step; the daily step draws several numbers per user, so
// the generator is a visible share of the run. rnd wraps the same state
// for the rarer draws (normals, permutations) that math/rand/v2 does well.
//
// The padding keeps each stream on cache lines of its own: streams of
// partitions that run on different cores would otherwise share a line, and
// every draw would bounce it between the cores (false sharing).
type stream struct {
	_     [64]byte
	state uint64
	rnd   *rand.Rand
	_     [64]byte
}

func newStream(seed uint64, purpose, index uint64) *stream {
	s := &stream{state: splitmix64(seed ^ splitmix64(purpose<<32^index))}
	s.rnd = rand.New(s)
	return s
}

// Uint64 returns the next 64 random bits; it makes stream a rand.Source.
func (s *stream) Uint64() uint64 {
	s.state += 0x9e3779b97f4a7c15
	x := s.state
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// float returns a uniform draw in [0, 1).
func (s *stream) float() float64 {
	return float64(s.Uint64()>>11) * 0x1p-53
}

// intn returns a uniform draw in [0, n) for 0 < n < 2^31, by Lemire's
// multiply-shift (the bias is below 2^-32 and deterministic).
func (s *stream) intn(n int) int {
	return int((s.Uint64() >> 32) * uint64(n) >> 32)
}

// payDraw splits one 64-bit draw r into the three draws a payment needs:
// the row of the spread's table (sp, uniform over its 2^12 rows), one of
// u's nU usual merchants (j, uniform over 0..nU−1) and the uniform x in
// [0, 1) of the choice between a wallet and cash. The low 12 bits are sp,
// exactly. The high 52 bits M times nU are j·2^52 + R with 0 ≤ R < 2^52:
// j is ⌊M·nU/2^52⌋ and x is R·2^−52, the part of M·nU the index leaves.
// What that costs against three separate draws, for nU ≤ 16 (the
// schema's maximum, so M·nU < 2^56 cannot overflow):
//   - j takes ⌊2^52/nU⌋ or ⌈2^52/nU⌉ of the 2^52 values of M, so its
//     chance differs from 1/nU by less than 2^−52 (the multiply-shift of a
//     32-bit half it replaces was off by up to 2^−32);
//   - given j, R runs over equally likely values nU apart, so x is
//     uniform on a grid of step nU·2^−52 ≤ 2^−48 and P(x < λ) is within
//     2^−48 of λ for every λ, whatever j (a float's own grid is 2^−53);
//   - sp uses bits that j and x do not, so the three are independent as
//     far as SplitMix64's bits are.
//
// It saves the draw of the choice's uniform on every payment with a
// wallet on offer (TestPayDraw checks the three laws).
func payDraw(r uint64, nU int) (sp, j int, x float64) {
	mu := r >> 12 * uint64(nU)
	return int(r & (spreadBins - 1)), int(mu >> 52), float64(int64(mu<<12>>12)) * 0x1p-52 // int64: a signed conversion is one instruction
}

// poisson draws a Poisson count with mean lambda by inversion of the CDF,
// which costs one uniform and about lambda+1 steps; fine for the small
// daily means of payments and envelopes. Large means use a normal
// approximation with continuity correction.
func (s *stream) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		k := math.Round(lambda + math.Sqrt(lambda)*s.rnd.NormFloat64())
		if k < 0 {
			return 0
		}
		return int(k)
	}
	// 1 − λ is never above e^(−λ), so a draw under it is a draw of none
	// without the exp (noneBelow); on days when rates move (seasons,
	// induced demand) most wallet holders' draws end there.
	u := s.float()
	if u < noneBelow(lambda) {
		return 0
	}
	expNeg := math.Exp(-lambda)
	if u <= expNeg {
		return 0
	}
	return s.poissonFrom(u, lambda, expNeg)
}

// noneBelow is 1 − lambda less 2^−50: under the math.Exp(−lambda) that
// poisson compares its draw with, whatever lambda, as e^(−λ) ≥ 1 − λ
// and the margin covers both roundings (TestNoneBelowUnderExp).
func noneBelow(lambda float64) float64 { return 1 - lambda - 0x1p-50 }

// poissonAtLeastOne draws a Poisson count with mean lambda given that it
// is at least one: inversion from a uniform above P(0) = expNeg.
func (s *stream) poissonAtLeastOne(lambda, expNeg float64) int {
	return max(1, s.poissonFrom(expNeg+(1-expNeg)*s.float(), lambda, expNeg))
}

// poissonFrom inverts the Poisson CDF at u. Small counts divide by a table
// of reciprocals: the loop runs once per payment, and a division costs
// several multiplications.
//
// The first three steps are taken whatever u, and the count they reach is
// summed from comparisons, which the compiler makes flag and conditional
// moves: how many payments a payer makes is a coin toss, and a jump on it
// is mispredicted often (cachegrind's simulated predictor missed the
// loop's exit 8.2 M times in 48.6 M in BenchmarkNetLogoScale's 800 runs).
// Each step's p and c are the loop's, computed in the same order, and a
// step counts only if every step before it did, so the count is the
// loop's for any inputs (TestPoissonFromMatchesLoop); past three, the
// loop goes on from there.
func (s *stream) poissonFrom(u, lambda, expNeg float64) int {
	p1 := expNeg * (lambda * reciprocal[1])
	p2 := p1 * (lambda * reciprocal[2])
	p3 := p2 * (lambda * reciprocal[3])
	c0 := expNeg
	c1 := c0 + p1
	c2 := c1 + p2
	c3 := c2 + p3
	k1, k2, k3 := 0, 0, 0
	if u > c0 {
		k1 = 1
	}
	if u > c1 {
		k2 = k1
	}
	if u > c2 {
		k3 = k2
	}
	k := k1 + k2 + k3
	if k < 3 {
		return k
	}
	p := p3
	c := c3
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

// reciprocal[k] is 1/k.
var reciprocal = func() (r [32]float64) {
	for k := 1; k < len(r); k++ {
		r[k] = 1 / float64(k)
	}
	return r
}()

// failures returns the number of failed Bernoulli trials before the first
// success when a success has probability 1 − e^(−lambda): geometric,
// ⌊−ln U / lambda⌋ by inversion, capped at MaxInt32 (never, for lambda 0).
func (s *stream) failures(lambda float64) int {
	if lambda <= 0 {
		return math.MaxInt32
	}
	return int(min(-s.logUniform()/lambda, math.MaxInt32))
}

// logUniform returns ln U for U uniform in (0, 1], the draw behind the
// envelopes' geometric gaps (failures) and exp's tail. It takes the 53 random bits as U = m·2^e with m in
// [1, 2), and ln m = ln c_j + ln(1 + r) with c_j the centre of the j-th
// of 64 intervals of m from a table and |r| < 1/64 by four series terms
// (error below r⁵/5 ≈ 2e-10): a third of math.Log.
func (s *stream) logUniform() float64 {
	return lnScaled(s.Uint64()>>11 + 1) // 1..2^53: U = x·2^−53, never 0
}

// lnScaled is ln(x·2^−53) for 1 ≤ x ≤ 2^53 (logUniform). Below 2^53, x
// converts to float64 exactly, as m·2^e: the conversion finds e and m
// (no count of leading zeros, no shift), which makes lnScaled small enough
// to inline.
func lnScaled(x uint64) float64 {
	if x >= 1<<53 {
		return 0
	}
	b := math.Float64bits(float64(x))
	j := b >> 46 & 63 // m's top 6 bits below its leading 1
	r := math.Float64frombits(b&(1<<52-1)|1023<<52)*logInv[j] - 1
	return float64(int(b>>52)-1076)*math.Ln2 + (logCentre[j] + r*(1+r*(-1.0/2+r*(1.0/3+r*(-1.0/4))))) // e − 53 = (b>>52 − 1023) − 53
}

// logInv[j] is 1/c_j and logCentre[j] is ln c_j, with c_j = 1 + (j+½)/64
// the centre of the j-th interval of [1, 2).
var logInv, logCentre = func() (inv, ln [64]float64) {
	for j := range inv {
		c := 1 + (float64(j)+0.5)/64
		inv[j], ln[j] = 1/c, math.Log(c)
	}
	return inv, ln
}()

// hazardProb converts a daily hazard into a daily probability, 1 − e^(−h).
func hazardProb(h float64) float64 {
	if h <= 0 {
		return 0
	}
	if h < 1e-3 {
		return h - h*h/2 // two terms of the series: exact to 1e-10 here, without the exp
	}
	return -math.Expm1(-h)
}

// noTrial is the day of a trial that never comes.
const noTrial = math.MaxInt16

// trialLog is ln(1 − p) for nextTrial, or 0 when p ≥ 1 (a trial every
// day) and +Inf when p ≤ 0 (never).
func trialLog(p float64) float64 {
	switch {
	case p >= 1:
		return 0
	case p <= 0:
		return math.Inf(1)
	}
	return math.Log1p(-p)
}

// nextTrial returns the first day from `from` on whose Bernoulli(p) trial
// succeeds, given logq = trialLog(p): from plus a geometric number of
// failures, ⌊E / −ln(1 − p)⌋ for E exponential with mean 1 (the ziggurat
// below), which is inversion's ⌊ln U / ln(1 − p)⌋ in law. Days past the
// int16 range mean never.
func (s *stream) nextTrial(from int, logq float64) int16 {
	if logq == 0 {
		return int16(min(from, noTrial))
	}
	if math.IsInf(logq, 1) {
		return noTrial
	}
	// the ziggurat's fast path: nextTrial calls nothing in 97.8% of draws
	r := s.Uint64()
	i, j := r&255, r>>11
	e := float64(int64(j)) * zigW[i]
	if j >= zigK[i] {
		e = s.expEdge(r)
	}
	g := e / -logq // ⌊E/−ln(1−p)⌋ with E exponential is ⌊ln U / ln(1−p)⌋ in law
	if g >= float64(noTrial-from) {
		return noTrial
	}
	return int16(from + int(g))
}

// The exponential draw behind nextTrial is Marsaglia and Tsang's ziggurat
// (2000) with 256 layers: 97.8% of draws are one 64-bit draw, a
// multiplication and a comparison, where ln U (lnScaled) cost a
// polynomial; that was most of the cost of nextTrial, which every trial's
// candidate day pays. The layer is the draw's low 8 bits and the point in
// it the top 53, so the two are independent; the tables are float64
// (zigK, zigW, zigF), so the law is exponential to rounding, and the rare
// draws outside a layer's rectangle are resolved exactly (expEdge):
// against e^(−x) in the wedge, by memorylessness (zigR − ln U) in the
// tail. nextTrial writes the fast path out (a function of its own did not
// inline); TestExp checks the law through the same fast path and expEdge,
// TestNextTrialLaw through nextTrial.

// expEdge is the exponential draw for a 64-bit draw r outside its
// layer's rectangle (the 2.2% of draws nextTrial's fast path leaves).
func (s *stream) expEdge(r uint64) float64 {
	for {
		i, j := r&255, r>>11
		x := float64(int64(j)) * zigW[i]
		switch {
		case j < zigK[i]:
			return x
		case i == 0:
			return zigR - s.logUniform()
		case zigF[i]+s.float()*(zigF[i-1]-zigF[i]) < math.Exp(-x):
			return x
		}
		r = s.Uint64()
	}
}

// zigR is the start of the ziggurat's tail and zigV the area of each of
// its 256 layers, for the exponential (Marsaglia & Tsang 2000).
const (
	zigR = 7.69711747013104972
	zigV = 3.949659822581572e-3
)

// zigK[i] is the share of layer i's rectangle under the layer above it,
// times 2^53 (a draw's top 53 bits below it are inside at once); zigW[i]
// turns those bits into x; zigF[i] is e^(−x_i) at the layer's edge. Set up
// as in Marsaglia & Tsang's efix, at 53 bits.
var zigK, zigW, zigF = func() (k [256]uint64, w, f [256]float64) {
	const m = 1 << 53
	de, te := zigR, zigR
	q := zigV / math.Exp(-de)
	k[0], k[1] = uint64(de/q*m), 0
	w[0], w[255] = q/m, de/m
	f[0], f[255] = 1, math.Exp(-de)
	for i := 254; i >= 1; i-- {
		de = -math.Log(zigV/de + math.Exp(-de))
		k[i+1] = uint64(de / te * m)
		te = de
		f[i] = math.Exp(-de)
		w[i] = de / m
	}
	return k, w, f
}()
