package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// SaltelliLayout says which rows of a Saltelli design hold f(A), f(B),
// f(AB_i) and, for second-order indices, f(BA_i). Base row j (0 ≤ j < N)
// owns Stride() consecutive rows from j·Stride(): first A_j, then
// AB_1j … AB_Kj, then (with Second) BA_1j … BA_Kj, then B_j. A is the first
// N points of the first K dimensions of a scrambled Sobol' sequence, B the
// same points in the next K dimensions, AB_i is A with column i taken from
// B and BA_i is B with column i taken from A. Keeping a base row's runs
// together means that a sweep stopped early still gives whole base rows.
type SaltelliLayout struct {
	N int // base rows
	K int // parameters
	// Second adds the K rows BA_i to each base row, for second-order
	// indices (Saltelli 2002).
	Second bool
}

// Stride returns the rows of one base row: K+2, or 2K+2 with Second.
func (l SaltelliLayout) Stride() int {
	if l.Second {
		return 2*l.K + 2
	}
	return l.K + 2
}

// A returns the row of A_j.
func (l SaltelliLayout) A(j int) int { return j * l.Stride() }

// AB returns the row of AB_i,j: base row j of A with column i from B.
func (l SaltelliLayout) AB(i, j int) int { return j*l.Stride() + 1 + i }

// BA returns the row of BA_i,j: base row j of B with column i from A; only
// with Second.
func (l SaltelliLayout) BA(i, j int) int { return j*l.Stride() + 1 + l.K + i }

// B returns the row of B_j.
func (l SaltelliLayout) B(j int) int { return j*l.Stride() + l.Stride() - 1 }

// Runs returns the number of rows, N·Stride().
func (l SaltelliLayout) Runs() int { return l.N * l.Stride() }

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
	return saltelli(params, n, rnd, false)
}

// SaltelliSecondOrder is [Saltelli] with the k matrices BA_i added, n·(2k+2)
// runs, so that [AnalyzeSobol] also estimates the second-order indices
// S_ij (Saltelli 2002, "Making best use of model evaluations to compute
// sensitivity indices", Comput. Phys. Commun. 145:280). Its A, B and AB_i
// rows hold the same points as Saltelli's for the same rnd state.
func SaltelliSecondOrder(params []Param, n int, rnd *rand.Rand) (Design, error) {
	return saltelli(params, n, rnd, true)
}

func saltelli(params []Param, n int, rnd *rand.Rand, second bool) (Design, error) {
	if err := validateParams(params); err != nil {
		return Design{}, err
	}
	k := len(params)
	l := SaltelliLayout{N: 1, K: k, Second: second}
	if n < 2 || n > maxRuns/l.Stride() {
		return Design{}, fmt.Errorf("sensitivity: Saltelli: bad number of base rows %d", n)
	}
	if 2*k > MaxSobolDim {
		return Design{}, fmt.Errorf("sensitivity: Saltelli: %d parameters need %d Sobol dimensions, more than %d", k, 2*k, MaxSobolDim)
	}
	seq, err := NewScrambledSobolSequence(2*k, rnd)
	if err != nil {
		return Design{}, err
	}
	l.N = n
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
			if second {
				row = unit.RawRowView(l.BA(i, j))
				copy(row, b)
				row[i] = a[i]
			}
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

// SobolPair is the second-order index of two parameters, the share of the
// output variance due to their interaction alone, with its bootstrap
// standard error and percentile interval.
type SobolPair struct {
	I, J           int // parameter indices, I < J
	NameI, NameJ   string
	S2, SE, Lo, Hi float64
}

// SobolStep is the indices estimated on the first N base rows, one step of
// the convergence check.
type SobolStep struct {
	N      int
	S1, ST []float64 // per parameter, in design order
}

// ConvergenceTolerance is the largest change of a first- or total-order
// index over the last doubling of the base rows that [SobolResult.Converged]
// accepts: indices are shares of variance, and 0.05 is finer than the
// bootstrap intervals of any design this package makes for a sweep below a
// few thousand base rows.
const ConvergenceTolerance = 0.05

// SobolResult is the outcome of AnalyzeSobol.
type SobolResult struct {
	// Indices has one entry per parameter, in design order.
	Indices []SobolIndex

	// Second has the second-order indices of every pair of parameters,
	// (0,1), (0,2), …, (1,2), … when the design has the BA_i rows
	// (SaltelliSecondOrder); nil otherwise.
	Second []SobolPair

	// Convergence holds the indices on the first N/8, N/4, N/2 base rows
	// (those with at least 4 rows) and on all N: if they still move from
	// one to the next, the design needs more base rows.
	Convergence []SobolStep

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
	var fBA [][]float64
	if l.Second {
		fBA = make([][]float64, k)
	}
	dropped := 0
	rowRuns := make([]int, 0, l.Stride())
	for j := range l.N {
		rowRuns = append(rowRuns[:0], l.A(j), l.B(j))
		for i := range k {
			rowRuns = append(rowRuns, l.AB(i, j))
			if l.Second {
				rowRuns = append(rowRuns, l.BA(i, j))
			}
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
			if l.Second {
				fBA[i] = append(fBA[i], y[l.BA(i, j)])
			}
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
			if l.Second {
				fBA[i][j] -= mean
			}
		}
	}

	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	v, s1, st, s2 := sobolEstimates(fA, fB, fAB, fBA, all)
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
	for i := range k {
		for j := i + 1; j < k && s2 != nil; j++ {
			res.Second = append(res.Second, SobolPair{I: i, J: j, NameI: d.Params[i].Name, NameJ: d.Params[j].Name,
				S2: s2[i][j], SE: math.NaN(), Lo: math.NaN(), Hi: math.NaN()})
		}
	}
	res.Convergence = convergence(fA, fB, fAB, n)
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
	bootS2 := make([][]float64, len(res.Second))
	for p := range bootS2 {
		bootS2[p] = make([]float64, resamples)
	}
	idx := make([]int, n)
	for b := range resamples {
		for j := range idx {
			idx[j] = rnd.IntN(n)
		}
		_, bs1, bst, bs2 := sobolEstimates(fA, fB, fAB, fBA, idx)
		for i := range k {
			bootS1[i][b] = bs1[i]
			bootST[i][b] = bst[i]
		}
		for p, pair := range res.Second {
			bootS2[p][b] = bs2[pair.I][pair.J]
		}
	}
	lo, hi := (1-conf)/2, (1+conf)/2
	for i := range k {
		ix := &res.Indices[i]
		ix.S1SE, ix.S1Lo, ix.S1Hi = bootSummary(bootS1[i], lo, hi)
		ix.STSE, ix.STLo, ix.STHi = bootSummary(bootST[i], lo, hi)
	}
	for p := range res.Second {
		pr := &res.Second[p]
		pr.SE, pr.Lo, pr.Hi = bootSummary(bootS2[p], lo, hi)
	}
	return res, nil
}

// convergence estimates S1 and ST on the first n/8, n/4 and n/2 base rows
// (those of at least 4 rows) and on all n. The base rows are a Sobol'
// sequence, so each prefix is itself a balanced design.
func convergence(fA, fB []float64, fAB [][]float64, n int) []SobolStep {
	var steps []SobolStep
	for _, m := range []int{n / 8, n / 4, n / 2, n} {
		if m < 4 && m != n {
			continue
		}
		idx := make([]int, m)
		for j := range idx {
			idx[j] = j
		}
		_, s1, st, _ := sobolEstimates(fA, fB, fAB, nil, idx)
		steps = append(steps, SobolStep{N: m, S1: s1, ST: st})
	}
	return steps
}

// LastChange returns the largest absolute change of a first- or
// total-order index between the last two steps of the convergence check,
// NaN with fewer than two steps.
func (r SobolResult) LastChange() float64 {
	c := r.Convergence
	if len(c) < 2 {
		return math.NaN()
	}
	a, b := c[len(c)-2], c[len(c)-1]
	worst := 0.0
	for i := range b.S1 {
		worst = max(worst, math.Abs(b.S1[i]-a.S1[i]), math.Abs(b.ST[i]-a.ST[i]))
	}
	return worst
}

// Converged reports whether the last doubling of the base rows moved no
// first- or total-order index by more than ConvergenceTolerance.
func (r SobolResult) Converged() bool { return r.LastChange() <= ConvergenceTolerance }

// sobolEstimates returns V, S_i and ST_i, as documented on AnalyzeSobol,
// over the base rows idx (with repeats for a bootstrap resample), and with
// fBA the second-order indices S2[i][j] for i < j (nil without fBA):
//
//	V_ij = (1/N) Σ (f(BA_i) f(AB_j) − f(A) f(B)) / V,  S_ij = V_ij − S_i − S_j
//
// the estimator of Saltelli (2002, Comput. Phys. Commun. 145:280, eq. 12)
// as SALib computes it: BA_i and AB_j share columns i and j and nothing
// else, so their product estimates the closed variance of (x_i, x_j).
func sobolEstimates(fA, fB []float64, fAB, fBA [][]float64, idx []int) (v float64, s1, st []float64, s2 [][]float64) {
	n := float64(len(idx))
	var sum, sumSq, ab float64
	for _, j := range idx {
		sum += fA[j] + fB[j]
		sumSq += fA[j]*fA[j] + fB[j]*fB[j]
		ab += fA[j] * fB[j]
	}
	m := sum / (2 * n)
	v = sumSq/(2*n) - m*m
	k := len(fAB)
	s1 = make([]float64, k)
	st = make([]float64, k)
	for i, abi := range fAB {
		var first, total float64
		for _, j := range idx {
			first += fB[j] * (abi[j] - fA[j])
			dd := fA[j] - abi[j]
			total += dd * dd
		}
		s1[i] = first / n / v
		st[i] = total / (2 * n) / v
	}
	if fBA == nil {
		return v, s1, st, nil
	}
	s2 = make([][]float64, k)
	for i := range k {
		s2[i] = make([]float64, k)
		for jj := i + 1; jj < k; jj++ {
			var closed float64
			for _, j := range idx {
				closed += fBA[i][j] * fAB[jj][j]
			}
			s2[i][jj] = (closed-ab)/n/v - s1[i] - s1[jj]
		}
	}
	return v, s1, st, s2
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
