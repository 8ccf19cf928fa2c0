package game

import (
	"errors"
	"math"
	"math/big"

	"gonum.org/v1/gonum/mat"
)

// LogitOptions controls [Logit]. The zero value selects the defaults, which
// are those of gambit-logit.
type LogitOptions struct {
	// MaxLambda is the precision λ at which tracing stops; 0 means 1e6.
	MaxLambda float64
	// FirstStep is the initial arc-length step; 0 means 0.03.
	FirstStep float64
	// MaxAccel is the largest factor by which a step may grow after a
	// successful one; 0 means 1.1.
	MaxAccel float64
	// Trace, if not nil, is called at every accepted point of the branch
	// with λ and the logit profile there (the slices are reused).
	Trace func(lambda float64, probs [][]float64)
}

// Approx is an approximate equilibrium with its verification.
type Approx struct {
	// Profile is the equilibrium estimate; exact when refinement recognised
	// an exact equilibrium (rational probabilities verified with zero
	// regret in rational arithmetic), inexact otherwise.
	Profile Profile
	// Regret is Profile's regret (see [Game.Regret]): the largest gain from
	// a unilateral deviation, 0 for an exact equilibrium.
	Regret float64
	// Lambda is the logit precision λ reached.
	Lambda float64
	// Steps is the number of accepted predictor–corrector steps.
	Steps int
}

// ErrNoConvergence is returned by [Logit] when the path follower cannot
// continue (the step size fell below its minimum).
var ErrNoConvergence = errors.New("game: logit path following failed to converge")

// Logit returns an approximate Nash equilibrium of g, for any number of
// players, by following the principal branch of the logit quantal response
// equilibrium (QRE) correspondence from the centroid at λ = 0 to
// λ = MaxLambda (McKelvey and Palfrey 1995; Turocy 2005; McKelvey and
// McLennan 1996, section 6), as gambit-logit does. For generic games the
// branch converges as λ → ∞ to a Nash equilibrium, the logit solution.
//
// The logit QRE at precision λ solves, for every player i and strategy j,
//
//	p_ij = exp(λ u_i(j, p_{-i})) / Σ_k exp(λ u_i(k, p_{-i})).
//
// In log-probabilities ℓ_ij = ln p_ij this is the system H(ℓ, λ) = 0 of
// Σ_j exp(ℓ_ij) = 1 and ℓ_ij − ℓ_i0 − λ(u_i(j,p_{-i}) − u_i(0,p_{-i})) = 0
// for j ≥ 1, whose solutions form a curve in (ℓ, λ). The curve is traced by
// an Euler predictor along the unit tangent (the null vector of the Jacobian)
// and a Newton corrector orthogonal to it, with adaptive arc-length steps
// (Allgower and Georg 1990, Numerical Continuation Methods, chapter 2).
//
// The end point is then refined: on the support of strategies with
// probability above a threshold (1e-6, then 1e-4, then 1e-2), Newton's
// method solves the indifference equations of a Nash equilibrium; a refined
// profile is kept when it is a distribution with lower regret. If rounding its probabilities to small
// fractions gives a profile with zero regret in exact arithmetic (exact games
// only), that exact profile is returned. The returned Regret tells how good
// the answer is; probabilities are accurate to about Regret divided by the
// payoff scale.
func Logit(g *Game, opt LogitOptions) (Approx, error) {
	if opt.MaxLambda == 0 {
		opt.MaxLambda = 1e6
	}
	if opt.FirstStep == 0 {
		opt.FirstStep = 0.03
	}
	if opt.MaxAccel == 0 {
		opt.MaxAccel = 1.1
	}
	lq := newLogitSystem(g)
	u := make([]float64, lq.dim+1) // ℓ then λ
	for i := range g.players {
		for j := 0; j < g.NumStrategies(i); j++ {
			u[lq.off[i]+j] = -math.Log(float64(g.NumStrategies(i)))
		}
	}
	tan := make([]float64, lq.dim+1)
	tan[lq.dim] = 1 // start by increasing λ
	tan = lq.tangent(u, tan)
	const (
		minStep   = 1e-9  // give up below this arc length
		corrTol   = 1e-10 // Newton corrector: stop when max |H| is below this
		maxCorr   = 10    // Newton iterations per corrector
		maxDecel  = 2.0   // the corrector's second Newton step must shrink by this factor
		hardLimit = 1e5   // at most this many steps; Approx.Lambda then tells where tracing stopped
	)
	h := opt.FirstStep
	steps := 0
	for u[lq.dim] < opt.MaxLambda && steps < hardLimit {
		// Predictor.
		v := make([]float64, len(u))
		for k := range u {
			v[k] = u[k] + h*tan[k]
		}
		if v[lq.dim] > opt.MaxLambda {
			// Land on λ = MaxLambda: shorten the last step.
			f := (opt.MaxLambda - u[lq.dim]) / (v[lq.dim] - u[lq.dim])
			for k := range u {
				v[k] = u[k] + f*h*tan[k]
			}
		}
		// Corrector.
		// The residual of ℓ_ij − ℓ_i0 − λΔu carries a rounding error of
		// about λ·|u|·ε, so the tolerance grows with λ.
		tol := corrTol * (1 + math.Abs(v[lq.dim])*lq.scale)
		ok, accel := lq.correct(v, tan, tol, maxCorr, maxDecel)
		if !ok {
			h /= 2
			if h < minStep {
				return Approx{}, ErrNoConvergence
			}
			continue
		}
		newTan := lq.tangent(v, tan)
		if dot(newTan, tan) < 0.5 { // turned more than 60°: step too long
			h /= 2
			if h < minStep {
				return Approx{}, ErrNoConvergence
			}
			continue
		}
		u, tan = v, newTan
		steps++
		if opt.Trace != nil {
			opt.Trace(u[lq.dim], lq.probs(u))
		}
		h *= math.Min(accel, opt.MaxAccel)
	}
	p := FloatProfile(lq.probs(u))
	best := Approx{Profile: p, Regret: g.Regret(p), Lambda: u[lq.dim], Steps: steps}
	// Refine on the support of strategies above a threshold; near a
	// degenerate end point the right support is unclear, so several are tried.
	for _, supportMin := range []float64{1e-6, 1e-4, 1e-2} {
		r, ok := refineSupport(g, p.Float, supportMin)
		if !ok {
			continue
		}
		if g.exact {
			if ex, ok := recogniseExact(g, r); ok {
				best.Profile, best.Regret = ex, 0
				break
			}
		}
		rp := FloatProfile(r)
		if reg := g.Regret(rp); reg < best.Regret {
			best.Profile, best.Regret = rp, reg
		}
	}
	return best, nil
}

// logitSystem evaluates H and its Jacobian for [Logit].
type logitSystem struct {
	g     *Game
	off   []int   // offset of each player's block in ℓ
	dim   int     // Σ m_i
	scale float64 // largest absolute payoff, at least 1
}

func newLogitSystem(g *Game) *logitSystem {
	l := &logitSystem{g: g, off: make([]int, g.NumPlayers()), scale: 1}
	for _, v := range g.fpay {
		for _, x := range v {
			l.scale = math.Max(l.scale, math.Abs(x))
		}
	}
	for i := range l.off {
		l.off[i] = l.dim
		l.dim += g.NumStrategies(i)
	}
	return l
}

func (l *logitSystem) probs(u []float64) [][]float64 {
	p := make([][]float64, len(l.off))
	for i := range p {
		p[i] = make([]float64, l.g.NumStrategies(i))
		for j := range p[i] {
			p[i][j] = math.Exp(u[l.off[i]+j])
		}
	}
	return p
}

// crossValues returns v[i][j] = u_i(j, p_{-i}) and
// d[i][j][k][m] = ∂u_i(j, p_{-i})/∂p_km for k ≠ i.
func crossValues(g *Game, p [][]float64) (v [][]float64, d [][][][]float64) {
	n := g.NumPlayers()
	v = make([][]float64, n)
	d = make([][][][]float64, n)
	for i := 0; i < n; i++ {
		v[i] = make([]float64, g.NumStrategies(i))
		d[i] = make([][][]float64, g.NumStrategies(i))
		for j := range d[i] {
			d[i][j] = make([][]float64, n)
			for k := 0; k < n; k++ {
				if k != i {
					d[i][j][k] = make([]float64, g.NumStrategies(k))
				}
			}
		}
	}
	s := make([]int, n)
	for idx := range g.fpay {
		for i := 0; i < n; i++ {
			pay := g.fpay[idx][i]
			if pay == 0 {
				continue
			}
			w := 1.0
			for q := 0; q < n; q++ {
				if q != i {
					w *= p[q][s[q]]
				}
			}
			v[i][s[i]] += w * pay
			for k := 0; k < n; k++ {
				if k == i {
					continue
				}
				wk := 1.0
				for q := 0; q < n; q++ {
					if q != i && q != k {
						wk *= p[q][s[q]]
					}
				}
				d[i][s[i]][k][s[k]] += wk * pay
			}
		}
		nextProfile(g, s)
	}
	return v, d
}

// eval returns H(u) and the Jacobian (dim × dim+1) at u.
func (l *logitSystem) eval(u []float64) ([]float64, *mat.Dense) {
	g := l.g
	n := g.NumPlayers()
	lam := u[l.dim]
	p := l.probs(u)
	v, d := crossValues(g, p)
	h := make([]float64, l.dim)
	jac := mat.NewDense(l.dim, l.dim+1, nil)
	for i := 0; i < n; i++ {
		o := l.off[i]
		// Row o: Σ_j p_ij − 1.
		sum := 0.0
		for j := range p[i] {
			sum += p[i][j]
			jac.Set(o, o+j, p[i][j])
		}
		h[o] = sum - 1
		for j := 1; j < len(p[i]); j++ {
			r := o + j
			h[r] = u[o+j] - u[o] - lam*(v[i][j]-v[i][0])
			jac.Set(r, o+j, 1)
			jac.Set(r, o, -1)
			jac.Set(r, l.dim, -(v[i][j] - v[i][0]))
			for k := 0; k < n; k++ {
				if k == i {
					continue
				}
				for m := range p[k] {
					// ∂/∂ℓ_km = ∂/∂p_km · p_km
					jac.Set(r, l.off[k]+m, -lam*(d[i][j][k][m]-d[i][0][k][m])*p[k][m])
				}
			}
		}
	}
	return h, jac
}

// tangent returns the unit tangent at u oriented like prev, from
// [J; prevᵀ] t = e_last.
func (l *logitSystem) tangent(u, prev []float64) []float64 {
	_, jac := l.eval(u)
	a := augment(jac, prev)
	b := mat.NewVecDense(l.dim+1, nil)
	b.SetVec(l.dim, 1)
	var t mat.VecDense
	if err := t.SolveVec(a, b); err != nil {
		return prev
	}
	out := make([]float64, l.dim+1)
	norm := mat.Norm(&t, 2)
	for k := range out {
		out[k] = t.AtVec(k) / norm
	}
	return out
}

func augment(jac *mat.Dense, row []float64) *mat.Dense {
	r, c := jac.Dims()
	a := mat.NewDense(r+1, c, nil)
	a.Slice(0, r, 0, c).(*mat.Dense).Copy(jac)
	a.SetRow(r, row)
	return a
}

// correct runs Newton's method on [H(v); 0] with the step kept orthogonal to
// tan, in place. It reports success and a suggested step growth factor from
// the contraction rate.
func (l *logitSystem) correct(v, tan []float64, tol float64, maxIter int, maxDecel float64) (bool, float64) {
	var first float64
	accel := 2.0
	for it := 0; it < maxIter; it++ {
		h, jac := l.eval(v)
		if maxAbs(h) < tol {
			return true, accel
		}
		a := augment(jac, tan)
		rhs := mat.NewVecDense(l.dim+1, nil)
		for k, x := range h {
			rhs.SetVec(k, -x)
		}
		var dx mat.VecDense
		if err := dx.SolveVec(a, rhs); err != nil {
			return false, 0
		}
		step := mat.Norm(&dx, 2)
		if math.IsNaN(step) || math.IsInf(step, 0) {
			return false, 0
		}
		switch it {
		case 0:
			first = step
		case 1:
			if first > 0 && step/first > 1/maxDecel {
				return false, 0 // contracting too slowly: the predictor went too far
			}
			if step > 0 {
				accel = math.Sqrt(first / step / 4)
				if accel < 1 {
					accel = 1
				}
			}
		}
		for k := range v {
			v[k] += dx.AtVec(k)
		}
	}
	h, _ := l.eval(v)
	return maxAbs(h) < tol, 1
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	if math.IsNaN(m) {
		return math.Inf(1)
	}
	return m
}

func dot(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		s += a[k] * b[k]
	}
	return s
}

// refineSupport solves the Nash indifference conditions on the support of
// p (probabilities above supportMin) by Newton's method: for each player, the
// support strategies earn equal payoffs and their probabilities sum to one,
// the others get zero. It reports false when Newton fails or the solution
// is not a distribution.
func refineSupport(g *Game, p [][]float64, supportMin float64) ([][]float64, bool) {
	const (
		tol     = 1e-14 // Newton stops when the equations hold to this
		maxIter = 50
	)
	n := g.NumPlayers()
	var vars [][2]int // (player, strategy) of each unknown
	x := make([][]float64, n)
	first := make([]int, n)
	for i := range p {
		x[i] = make([]float64, len(p[i]))
		first[i] = -1
		sum := 0.0
		for _, q := range p[i] {
			if q > supportMin {
				sum += q
			}
		}
		for j, q := range p[i] {
			if q > supportMin {
				x[i][j] = q / sum
				vars = append(vars, [2]int{i, j})
				if first[i] < 0 {
					first[i] = j
				}
			}
		}
	}
	nv := len(vars)
	for it := 0; it < maxIter; it++ {
		v, d := crossValues(g, x)
		f := make([]float64, nv)
		jac := mat.NewDense(nv, nv, nil)
		for r, ij := range vars {
			i, j := ij[0], ij[1]
			if j == first[i] {
				// Σ_{support} x_ij − 1 = 0
				s := -1.0
				for c, kl := range vars {
					if kl[0] == i {
						s += x[i][kl[1]]
						jac.Set(r, c, 1)
					}
				}
				f[r] = s
				continue
			}
			f[r] = v[i][j] - v[i][first[i]]
			for c, kl := range vars {
				if k, m := kl[0], kl[1]; k != i {
					jac.Set(r, c, d[i][j][k][m]-d[i][first[i]][k][m])
				}
			}
		}
		if maxAbs(f) < tol {
			break
		}
		rhs := mat.NewVecDense(nv, nil)
		for k := range f {
			rhs.SetVec(k, -f[k])
		}
		var dx mat.VecDense
		if err := dx.SolveVec(jac, rhs); err != nil {
			return nil, false
		}
		for c, kl := range vars {
			x[kl[0]][kl[1]] += dx.AtVec(c)
		}
	}
	for i := range x {
		for _, q := range x[i] {
			if q < 0 || q > 1 || math.IsNaN(q) {
				return nil, false
			}
		}
	}
	return x, true
}

// recogniseExact rounds each probability to the simplest fraction within
// 1e-9 (denominator at most 1e4) and returns the exact profile if it is an
// exact Nash equilibrium of g.
func recogniseExact(g *Game, p [][]float64) (Profile, bool) {
	const (
		tol    = 1e-9 // how far a probability may move when rounded
		maxDen = 10000
	)
	x := make([][]*big.Rat, len(p))
	for i := range p {
		x[i] = make([]*big.Rat, len(p[i]))
		sum := new(big.Rat)
		for j, q := range p[i] {
			r, ok := simplestFraction(q, tol, maxDen)
			if !ok {
				return Profile{}, false
			}
			x[i][j] = r
			sum.Add(sum, r)
		}
		if sum.Cmp(big.NewRat(1, 1)) != 0 {
			return Profile{}, false
		}
	}
	ex := RatProfile(x)
	if !g.IsEpsilonNash(ex, 0) {
		return Profile{}, false
	}
	return ex, true
}

// simplestFraction returns the continued-fraction convergent of x with the
// smallest denominator within tol of x, if its denominator is at most maxDen.
func simplestFraction(x, tol float64, maxDen int64) (*big.Rat, bool) {
	if x < -tol || math.IsNaN(x) {
		return nil, false
	}
	// Convergents h/k of the continued fraction of x.
	h0, h1 := int64(1), int64(math.Floor(x))
	k0, k1 := int64(0), int64(1)
	f := x - math.Floor(x)
	for {
		if math.Abs(float64(h1)/float64(k1)-x) <= tol {
			return big.NewRat(h1, k1), true
		}
		if f < 1e-15 {
			return nil, false
		}
		f = 1 / f
		a := int64(math.Floor(f))
		f -= float64(a)
		h0, h1 = h1, a*h1+h0
		k0, k1 = k1, a*k1+k0
		if k1 > maxDen {
			return nil, false
		}
	}
}
