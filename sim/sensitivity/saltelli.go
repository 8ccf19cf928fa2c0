package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// SaltelliLayout says which rows of a Saltelli design hold f(A), f(B) and
// f(AB_i). Base row j (0 ≤ j < N) owns the K+2 consecutive rows from
// j·(K+2): first A_j, then AB_1j … AB_Kj, then B_j. A is the first N points of
// the first K dimensions of a scrambled Sobol' sequence, B the same points in
// the next K dimensions, and AB_i is A with column i taken from B.
// Keeping a base row's runs together means that a sweep stopped early still
// gives whole base rows.
type SaltelliLayout struct {
	N int // base rows
	K int // parameters
}

// A returns the row of A_j.
func (l SaltelliLayout) A(j int) int { return j * (l.K + 2) }

// AB returns the row of AB_i,j: base row j of A with column i from B.
func (l SaltelliLayout) AB(i, j int) int { return j*(l.K+2) + 1 + i }

// B returns the row of B_j.
func (l SaltelliLayout) B(j int) int { return j*(l.K+2) + l.K + 1 }

// Runs returns the number of rows, N·(K+2).
func (l SaltelliLayout) Runs() int { return l.N * (l.K + 2) }

// Saltelli returns the sampling design of Saltelli et al. (2010, "Variance
// based sensitivity analysis of model output. Design and estimator for the
// total sensitivity index", Comput. Phys. Commun. 181:259) for first- and
// total-order Sobol' indices: n base rows of matrices A and B and the k
// matrices AB_i, n·(k+2) runs laid out as SaltelliLayout documents. A and B
// come from a Sobol' sequence in 2k dimensions (k ≤ MaxSobolDim/2) scrambled
// with rnd (see NewScrambledSobolSequence), so the same rnd state gives the
// same design. Quasi-random points balance best when n is a power of two.
// Analyse the outputs with AnalyzeSobol.
func Saltelli(params []Param, n int, rnd *rand.Rand) (Design, error) {
	if err := validateParams(params); err != nil {
		return Design{}, err
	}
	k := len(params)
	if n < 2 || n > maxRuns/(k+2) {
		return Design{}, fmt.Errorf("sensitivity: Saltelli: bad number of base rows %d", n)
	}
	if 2*k > MaxSobolDim {
		return Design{}, fmt.Errorf("sensitivity: Saltelli: %d parameters need %d Sobol dimensions, more than %d", k, 2*k, MaxSobolDim)
	}
	seq, err := NewScrambledSobolSequence(2*k, rnd)
	if err != nil {
		return Design{}, err
	}
	l := SaltelliLayout{N: n, K: k}
	unit := mat.NewDense(l.Runs(), k, nil)
	p := make([]float64, 2*k)
	for j := range n {
		seq.Next(p)
		a, b := p[:k], p[k:]
		unit.SetRow(l.A(j), a)
		unit.SetRow(l.B(j), b)
		for i := range k {
			row := unit.RawRowView(l.AB(i, j))
			copy(row, a)
			row[i] = b[i]
		}
	}
	d := newDesign(MethodSaltelli, params, unit)
	d.Saltelli = &l
	return d, nil
}

// NaNPolicy says what an analysis does with a non-finite output (NaN or
// ±Inf), which usually marks a failed run.
type NaNPolicy int

const (
	// NaNError, the zero value, makes a non-finite output an error.
	NaNError NaNPolicy = iota

	// NaNDrop drops what a non-finite output touches: in AnalyzeSobol the
	// whole base row (A_j, B_j and every AB_i,j), in AnalyzeMorris the
	// elementary effects with that run at either end. The result counts
	// what was dropped.
	NaNDrop
)

// SobolOptions configures AnalyzeSobol. The zero value is usable.
type SobolOptions struct {
	// Resamples is the number of bootstrap resamples; zero means 1000,
	// negative means none (intervals and standard errors are then NaN).
	Resamples int

	// Confidence is the level of the percentile intervals; zero means 0.95.
	Confidence float64

	// Seed seeds the bootstrap; the same seed gives the same intervals.
	Seed uint64

	// NaN is the policy for non-finite outputs.
	NaN NaNPolicy
}

// SobolIndex holds the Sobol' indices of one parameter with their bootstrap
// standard errors and percentile confidence intervals [Lo, Hi].
type SobolIndex struct {
	Name string

	// S1 is the first-order index, the share of the output variance
	// explained by the parameter alone.
	S1, S1SE, S1Lo, S1Hi float64

	// ST is the total-order index, the share of the variance that
	// would vanish if the parameter were fixed, interactions included.
	ST, STSE, STLo, STHi float64
}

// SobolResult is the outcome of AnalyzeSobol.
type SobolResult struct {
	// Indices has one entry per parameter, in design order.
	Indices []SobolIndex

	// Variance is the estimated output variance V.
	Variance float64

	// N is the number of base rows used; Dropped the number dropped for
	// non-finite outputs.
	N, Dropped int

	// Resamples and Confidence describe the bootstrap intervals.
	Resamples  int
	Confidence float64
}

// AnalyzeSobol estimates first- and total-order Sobol' indices from the
// outputs y of a Saltelli design, one per row in row order:
//
//	V    = (1/2N) Σ_j ((f(A)_j − ȳ)² + (f(B)_j − ȳ)²)
//	S_i  = (1/N)  Σ_j f(B)_j (f(AB_i)_j − f(A)_j) / V
//	ST_i = (1/2N) Σ_j (f(A)_j − f(AB_i)_j)² / V
//
// where ȳ is the mean of f(A) and f(B), and all outputs are first centred on
// ȳ, which leaves the estimators unchanged in expectation and loses less to
// cancellation. S_i is the estimator of Saltelli et al. (2010, Table 2),
// ST_i that of Jansen (1999, "Analysis of variance designs for model
// output", Comput. Phys. Commun. 117:35), which Saltelli et al. (2010)
// recommend.
//
// The intervals come from a bootstrap over base rows: each resample draws N
// base rows with replacement, recomputes V, S_i and ST_i, and the interval
// is the (1±Confidence)/2 percentiles of the resamples (Archer, Saltelli and
// Sobol 1997, J. Stat. Comput. Simul. 58:99). The standard errors are the
// standard deviations of the resamples. Because the base rows are
// quasi-random, the bootstrap overstates the error somewhat; it is
// conservative. Non-finite outputs follow opt.NaN.
func AnalyzeSobol(d Design, y []float64, opt SobolOptions) (SobolResult, error) {
	if d.Saltelli == nil {
		return SobolResult{}, fmt.Errorf("sensitivity: Sobol analysis needs a Saltelli design, have %v", d.Method)
	}
	l := *d.Saltelli
	if len(y) != l.Runs() {
		return SobolResult{}, fmt.Errorf("sensitivity: %d outputs for %d runs", len(y), l.Runs())
	}
	resamples := opt.Resamples
	if resamples == 0 {
		resamples = 1000
	}
	conf := opt.Confidence
	if conf == 0 {
		conf = 0.95
	}
	if !(conf > 0 && conf < 1) {
		return SobolResult{}, fmt.Errorf("sensitivity: bad confidence level %v", conf)
	}

	// Gather the kept base rows into fA, fB and fAB[i].
	k := l.K
	fA := make([]float64, 0, l.N)
	fB := make([]float64, 0, l.N)
	fAB := make([][]float64, k)
	dropped := 0
	rowRuns := make([]int, 0, k+2)
	for j := range l.N {
		rowRuns = append(rowRuns[:0], l.A(j), l.B(j))
		for i := range k {
			rowRuns = append(rowRuns, l.AB(i, j))
		}
		finite := true
		for _, r := range rowRuns {
			if math.IsNaN(y[r]) || math.IsInf(y[r], 0) {
				if opt.NaN != NaNDrop {
					return SobolResult{}, fmt.Errorf("sensitivity: non-finite output %v at run %d", y[r], r)
				}
				finite = false
			}
		}
		if !finite {
			dropped++
			continue
		}
		fA = append(fA, y[l.A(j)])
		fB = append(fB, y[l.B(j)])
		for i := range k {
			fAB[i] = append(fAB[i], y[l.AB(i, j)])
		}
	}
	n := len(fA)
	if n < 2 {
		return SobolResult{}, fmt.Errorf("sensitivity: %d usable base rows of %d, need 2", n, l.N)
	}

	// Centre on ȳ, the mean of f(A) and f(B).
	mean := (stat.Mean(fA, nil) + stat.Mean(fB, nil)) / 2
	for j := range n {
		fA[j] -= mean
		fB[j] -= mean
		for i := range k {
			fAB[i][j] -= mean
		}
	}

	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	v, s1, st := sobolEstimates(fA, fB, fAB, all)
	if !(v > 0) {
		return SobolResult{}, fmt.Errorf("sensitivity: output variance is %v", v)
	}
	res := SobolResult{
		Indices:    make([]SobolIndex, k),
		Variance:   v,
		N:          n,
		Dropped:    dropped,
		Resamples:  max(resamples, 0),
		Confidence: conf,
	}
	for i := range k {
		res.Indices[i] = SobolIndex{
			Name: d.Params[i].Name,
			S1:   s1[i], S1SE: math.NaN(), S1Lo: math.NaN(), S1Hi: math.NaN(),
			ST: st[i], STSE: math.NaN(), STLo: math.NaN(), STHi: math.NaN(),
		}
	}
	if resamples < 0 {
		return res, nil
	}

	rnd := rand.New(rand.NewPCG(opt.Seed, 0x5a17e111)) // second word: any fixed constant
	bootS1 := make([][]float64, k)
	bootST := make([][]float64, k)
	for i := range k {
		bootS1[i] = make([]float64, resamples)
		bootST[i] = make([]float64, resamples)
	}
	idx := make([]int, n)
	for b := range resamples {
		for j := range idx {
			idx[j] = rnd.IntN(n)
		}
		_, bs1, bst := sobolEstimates(fA, fB, fAB, idx)
		for i := range k {
			bootS1[i][b] = bs1[i]
			bootST[i][b] = bst[i]
		}
	}
	lo, hi := (1-conf)/2, (1+conf)/2
	for i := range k {
		ix := &res.Indices[i]
		ix.S1SE, ix.S1Lo, ix.S1Hi = bootSummary(bootS1[i], lo, hi)
		ix.STSE, ix.STLo, ix.STHi = bootSummary(bootST[i], lo, hi)
	}
	return res, nil
}

// sobolEstimates returns V, S_i and ST_i, as documented on AnalyzeSobol,
// over the base rows idx (with repeats for a bootstrap resample).
func sobolEstimates(fA, fB []float64, fAB [][]float64, idx []int) (v float64, s1, st []float64) {
	n := float64(len(idx))
	var sum, sumSq float64
	for _, j := range idx {
		sum += fA[j] + fB[j]
		sumSq += fA[j]*fA[j] + fB[j]*fB[j]
	}
	m := sum / (2 * n)
	v = sumSq/(2*n) - m*m
	k := len(fAB)
	s1 = make([]float64, k)
	st = make([]float64, k)
	for i, ab := range fAB {
		var first, total float64
		for _, j := range idx {
			first += fB[j] * (ab[j] - fA[j])
			dd := fA[j] - ab[j]
			total += dd * dd
		}
		s1[i] = first / n / v
		st[i] = total / (2 * n) / v
	}
	return v, s1, st
}

// bootSummary returns the standard deviation and the lo and hi empirical
// quantiles of the bootstrap replicates x, which it sorts.
func bootSummary(x []float64, lo, hi float64) (se, qlo, qhi float64) {
	if slices.ContainsFunc(x, math.IsNaN) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	slices.Sort(x)
	return stat.StdDev(x, nil), stat.Quantile(lo, stat.Empirical, x, nil), stat.Quantile(hi, stat.Empirical, x, nil)
}
