package search

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// cmaes is one run of the evolution strategy (Hansen 2016, the tutorial's
// purecma): sample λ points around mean m with step σ and covariance C,
// move m to the weighted mean of the best μ, adapt C from the evolution
// path p_c and the best steps (rank-one and rank-μ updates), and σ from
// the conjugate path p_σ. It works in an unbounded space; the caller folds
// points into the unit cube.
//
// gonum's optimize.CmaEsChol was the first choice, but it samples from its
// Cholesky factor without the adapted step size, has no bounds, and hands
// out candidates through a goroutine protocol; a search needs to hold a
// whole generation at once (to screen it, re-check its best, journal it),
// so the strategy is written out here, on gonum's eigendecomposition.
type cmaes struct {
	n, lambda, mu          int
	weights                []float64
	mueff, cc, cs, c1, cmu float64
	damps, chiN            float64

	mean, pc, ps []float64
	sigma        float64
	c            *mat.SymDense
	b            *mat.Dense // eigenvectors of C
	d            []float64  // square roots of C's eigenvalues
	gen          int
	rng          *rand.Rand
}

func newCMAES(mean []float64, sigma float64, lambda int, rng *rand.Rand) *cmaes {
	n := len(mean)
	if lambda < 2 {
		lambda = 4 + int(3*math.Log(float64(n)))
	}
	mu := lambda / 2
	w := make([]float64, mu)
	sum := 0.0
	for i := range w {
		w[i] = math.Log(float64(lambda+1)/2) - math.Log(float64(i+1))
		sum += w[i]
	}
	sq := 0.0
	for i := range w {
		w[i] /= sum
		sq += w[i] * w[i]
	}
	mueff := 1 / sq
	N := float64(n)
	e := &cmaes{n: n, lambda: lambda, mu: mu, weights: w, mueff: mueff,
		cc:    (4 + mueff/N) / (N + 4 + 2*mueff/N),
		cs:    (mueff + 2) / (N + mueff + 5),
		c1:    2 / ((N+1.3)*(N+1.3) + mueff),
		chiN:  math.Sqrt(N) * (1 - 1/(4*N) + 1/(21*N*N)),
		mean:  slices.Clone(mean),
		pc:    make([]float64, n),
		ps:    make([]float64, n),
		sigma: sigma,
		rng:   rng,
	}
	e.cmu = math.Min(1-e.c1, 2*(mueff-2+1/mueff)/((N+2)*(N+2)+mueff))
	e.damps = 1 + 2*math.Max(0, math.Sqrt((mueff-1)/(N+1))-1) + e.cs
	e.c = mat.NewSymDense(n, nil)
	e.b = mat.NewDense(n, n, nil)
	e.d = make([]float64, n)
	for i := 0; i < n; i++ {
		e.c.SetSym(i, i, 1)
		e.b.Set(i, i, 1)
		e.d[i] = 1
	}
	return e
}

// ask draws a generation: λ points m + σ·B·D·z with z standard normal.
func (e *cmaes) ask() [][]float64 {
	pts := make([][]float64, e.lambda)
	z := make([]float64, e.n)
	for k := range pts {
		for i := range z {
			z[i] = e.rng.NormFloat64() * e.d[i]
		}
		x := make([]float64, e.n)
		for i := range x {
			s := 0.0
			for j := range z {
				s += e.b.At(i, j) * z[j]
			}
			x[i] = e.mean[i] + e.sigma*s
		}
		pts[k] = x
	}
	return pts
}

// tell updates the distribution from the generation's costs (lower is
// better; only their order matters, ties broken by the point's index).
func (e *cmaes) tell(pts [][]float64, cost []float64) {
	n := e.n
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpCost(cost[a], cost[b]) })
	old := e.mean
	e.mean = make([]float64, n)
	for k := 0; k < e.mu; k++ {
		for i := range e.mean {
			e.mean[i] += e.weights[k] * pts[order[k]][i]
		}
	}
	yw := make([]float64, n)
	for i := range yw {
		yw[i] = (e.mean[i] - old[i]) / e.sigma
	}
	// C^{-1/2}·y_w = B·D^{-1}·Bᵀ·y_w
	t := make([]float64, n)
	for j := 0; j < n; j++ {
		s := 0.0
		for i := 0; i < n; i++ {
			s += e.b.At(i, j) * yw[i]
		}
		t[j] = s / e.d[j]
	}
	csn := math.Sqrt(e.cs * (2 - e.cs) * e.mueff)
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < n; j++ {
			s += e.b.At(i, j) * t[j]
		}
		e.ps[i] = (1-e.cs)*e.ps[i] + csn*s
	}
	e.gen++
	psn := norm(e.ps)
	hsig := 0.0
	if psn/math.Sqrt(1-math.Pow(1-e.cs, 2*float64(e.gen)))/e.chiN < 1.4+2/float64(n+1) {
		hsig = 1
	}
	ccn := math.Sqrt(e.cc * (2 - e.cc) * e.mueff)
	for i := range e.pc {
		e.pc[i] = (1-e.cc)*e.pc[i] + hsig*ccn*yw[i]
	}
	c1a := e.c1 * (1 - (1-hsig)*e.cc*(2-e.cc))
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := (1-c1a-e.cmu)*e.c.At(i, j) + e.c1*e.pc[i]*e.pc[j]
			for k := 0; k < e.mu; k++ {
				p := pts[order[k]]
				v += e.cmu * e.weights[k] * (p[i] - old[i]) * (p[j] - old[j]) / (e.sigma * e.sigma)
			}
			e.c.SetSym(i, j, v)
		}
	}
	e.sigma *= math.Exp(math.Min(1, (e.cs/e.damps)*(psn/e.chiN-1)))
	e.decompose()
}

// decompose refreshes B and D from C, keeping C positive definite.
func (e *cmaes) decompose() {
	var eig mat.EigenSym
	if !eig.Factorize(e.c, true) {
		return // keep the last decomposition
	}
	vals := eig.Values(nil)
	eig.VectorsTo(e.b)
	for i, v := range vals {
		e.d[i] = math.Sqrt(math.Max(v, 1e-20))
	}
}

// spread is the largest standard deviation of the sampling distribution
// along any axis, σ·max D.
func (e *cmaes) spread() float64 {
	return e.sigma * slices.Max(e.d)
}

func norm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

// cmpCost orders costs ascending with NaN last.
func cmpCost(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return 1
	case math.IsNaN(b):
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
