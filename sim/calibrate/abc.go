package calibrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/paywars/hongbao/sim/ensemble"
	"github.com/paywars/hongbao/sim/search"
)

// PosteriorSpec is how the ABC-SMC posterior runs (the spec's [posterior]
// table; every field has a default).
type PosteriorSpec struct {
	// Particles is N, the population simulated in the first generation;
	// each later generation simulates N − ⌊αN⌋ new particles. 400.
	Particles int `toml:"particles"`
	// Alpha is the share of the population kept at each generation: the
	// tolerance is the α-quantile of the distances. 0.5.
	Alpha float64 `toml:"alpha"`
	// MinAcceptance stops the run when fewer of a generation's new
	// particles than this share fall within the tolerance (Lenormand et
	// al. use 0.01 to 0.05). 0.05.
	MinAcceptance float64 `toml:"min_acceptance"`
	// Generations is the most generations, the prior's included. 20.
	Generations int `toml:"generations"`
	// Seeds per particle, fresh for every particle (never the search's).
	// 1: the model's noise is part of what ABC accounts for, and a
	// second seed would halve the particles a run affords.
	Seeds int `toml:"seeds"`
	// Users per episode; the spec's users when 0.
	Users int `toml:"users"`
}

// PosteriorOffset is where the posterior's seeds start, after the spec's
// seed: apart from the search's, the re-checks' (search.RecheckOffset), the
// confirmation's (search.ConfirmOffset) and validation's (3<<20). Particle
// k of the run (counted over generations) uses the seeds
// Seed + PosteriorOffset + k·Seeds + j.
const PosteriorOffset = 4 << 20

// PosteriorDir is the folder, inside a calibration's output folder, of the
// posterior's journal.
const PosteriorDir = "posterior"

// withDefaults fills the zero fields from the spec.
func (ps PosteriorSpec) withDefaults(sp *Spec) PosteriorSpec {
	if ps.Particles == 0 {
		ps.Particles = 400
	}
	if ps.Alpha == 0 {
		ps.Alpha = 0.5
	}
	if ps.MinAcceptance == 0 {
		ps.MinAcceptance = 0.05
	}
	if ps.Generations == 0 {
		ps.Generations = 20
	}
	if ps.Seeds == 0 {
		ps.Seeds = 1
	}
	if ps.Users == 0 {
		ps.Users = sp.Users
	}
	return ps
}

func (ps PosteriorSpec) check() error {
	kept := ps.kept()
	switch {
	case ps.Particles < 0 || ps.Generations < 0 || ps.Seeds < 0 || ps.Users < 0:
		return errors.New("particles, generations, seeds and users must not be negative")
	case !(ps.Alpha > 0 && ps.Alpha < 1):
		return fmt.Errorf("alpha %g must be in (0, 1)", ps.Alpha)
	case kept < 4 || kept >= ps.Particles:
		return fmt.Errorf("alpha %g of %d particles keeps %d: keep at least 4 and fewer than all", ps.Alpha, ps.Particles, kept)
	case ps.MinAcceptance < 0 || ps.MinAcceptance >= 1 || math.IsNaN(ps.MinAcceptance):
		return fmt.Errorf("min_acceptance %g must be in [0, 1)", ps.MinAcceptance)
	}
	return nil
}

// kept is ⌊αN⌋, the particles carried from one generation to the next.
func (ps PosteriorSpec) kept() int { return int(ps.Alpha * float64(ps.Particles)) }

// MaxSimulations is the most particles a run simulates (each particle is
// one run per episode per seed).
func (ps PosteriorSpec) MaxSimulations() int {
	return ps.Particles + (ps.Generations-1)*(ps.Particles-ps.kept())
}

// PosteriorOptions are how a posterior runs, beside its spec.
type PosteriorOptions struct {
	Dir      string // the calibration's output folder: the journal goes in Dir/posterior; empty keeps none
	Workers  int    // parallel particles; 0: GOMAXPROCS
	Progress func(PosteriorProgress)
	// Particles and Generations, when set, override the spec's.
	Particles, Generations int
}

// PosteriorProgress is a posterior run's state after a particle.
type PosteriorProgress struct {
	Generation, Generations int
	Done, Max               int // particles simulated (or replayed) so far, of at most Max
	Replayed                int
	Tolerance               float64       // the current generation's ε (+Inf in the first)
	GenerationDone          bool          // the generation has just finished
	Elapsed, ETA            time.Duration // ETA is negative while unknown (only replayed particles so far)
}

// Posterior is an ABC-SMC posterior of the spec's parameters.
type Posterior struct {
	Spec        string            `json:"spec"`
	Profile     string            `json:"profile"`
	Fingerprint string            `json:"fingerprint"`
	Method      string            `json:"method"`
	Settings    PosteriorSpec     `json:"settings"`
	Params      []PosteriorParam  `json:"params"`
	Correlated  []Pair            `json:"correlated"`
	Poor        []string          `json:"poorly_identified"`
	Generations []GenerationStats `json:"generations"`
	ESS         float64           `json:"ess"`
	Tolerance   float64           `json:"tolerance"` // the final ε on Σz²
	Stopped     string            `json:"stopped"`
	Particles   int               `json:"particles"`   // simulated in all
	Simulations int               `json:"simulations"` // episode runs in all
	Replayed    int               `json:"replayed"`    // particles read from the journal
	// Fit is each target over the final particles.
	Fit []PosteriorFit `json:"fit"`
	// The final population: points in parameter units, normalised weights
	// and distances.
	X         [][]float64 `json:"x"`
	Weights   []float64   `json:"weights"`
	Distances []float64   `json:"distances"`
	// Correlation is the weighted correlation matrix of the final
	// particles in the unit cube.
	Correlation [][]float64 `json:"correlation"`
}

// PosteriorParam is one parameter's marginal posterior.
type PosteriorParam struct {
	Key     string  `json:"key"`
	Mean    float64 `json:"mean"`
	Median  float64 `json:"median"`
	Lo      float64 `json:"lo"` // 2.5% weighted quantile
	Hi      float64 `json:"hi"` // 97.5%
	BoundLo float64 `json:"bound_lo"`
	BoundHi float64 `json:"bound_hi"`
	// Width is the 95% interval's share of the range (on the parameter's
	// search scale: log for a log-uniform prior).
	Width float64 `json:"width"`
	Poor  bool    `json:"poorly_identified"`
}

// PosteriorFit is a target over the final particles: the weighted mean
// of their figures (each a mean over the particle's seeds), its z, and the
// weighted 95% interval.
type PosteriorFit struct {
	ID      string  `json:"id"`
	Episode string  `json:"episode"`
	Period  string  `json:"period"`
	Unit    string  `json:"unit"`
	Record  float64 `json:"record"`
	Mean    float64 `json:"mean"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	Z       float64 `json:"z"`
}

// GenerationStats is one generation of the run.
type GenerationStats struct {
	Generation int     `json:"generation"`
	Tolerance  float64 `json:"tolerance"`  // ε the new particles were tested against (0 for the prior's generation: none)
	Simulated  int     `json:"simulated"`  // new particles
	Accepted   int     `json:"accepted"`   // of them within ε
	Acceptance float64 `json:"acceptance"` // Accepted / Simulated
	Next       float64 `json:"next_tolerance"`
	ESS        float64 `json:"ess"` // of the population kept
}

// particle is one simulated parameter vector: u in the unit cube, x in
// parameter units, its distance, the log of its unnormalised importance
// weight π(u)/q(u), and its figures (per-target means).
type particle struct {
	u, x    []float64
	d, logw float64
	figs    []float64
}

// RunPosterior draws the spec's parameters' ABC-SMC posterior: adaptive
// population Monte Carlo ABC (Lenormand, Jabot & Deffuant 2013, built on
// Beaumont, Cornuet, Marin & Robert 2009). The distance is the
// calibration's loss Σz² on fresh seeds per particle; the tolerance
// schedule is the α-quantile of the population's distances; new particles
// are an ancestor drawn by weight moved by a multivariate normal of twice
// the population's weighted covariance (in the unit cube), weighted by
// prior over the kernel mixture. It stops when fewer than MinAcceptance of
// a generation's new particles fall within the tolerance, or after
// Generations. Every simulation is journalled in Dir/posterior: a re-run
// replays it and gives the same posterior.
func RunPosterior(ctx context.Context, sp *Spec, opt PosteriorOptions) (*Posterior, error) {
	ps := sp.Posterior.withDefaults(sp)
	if opt.Particles > 0 {
		ps.Particles = opt.Particles
	}
	if opt.Generations > 0 {
		ps.Generations = opt.Generations
	}
	if err := ps.check(); err != nil {
		return nil, fmt.Errorf("calibrate: posterior: %v", err)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	params := make([]search.Param, len(sp.Params))
	for i, p := range sp.Params {
		params[i], _ = p.searchParam() // checked by ParseSpec
	}
	fp := posteriorFingerprint(sp, ps)
	var jr *search.Journal
	if opt.Dir != "" {
		var err error
		if jr, err = search.OpenJournal(filepath.Join(opt.Dir, PosteriorDir), fp); err != nil {
			return nil, err
		}
		defer jr.Close()
	}
	r := &abcRun{sp: sp, ps: ps, params: params, keys: sp.Keys(), jr: jr, workers: workers, progress: opt.Progress, start: time.Now()}
	post, err := r.run(ctx)
	if err != nil {
		return nil, err
	}
	post.Spec, post.Profile, post.Fingerprint = sp.file, sp.Profile, fp
	return post, nil
}

// posteriorFingerprint identifies what the journal's calls depend on: the
// spec (with its sources) and the settings that fix the particles; not the
// number of generations nor the stopping rate, so a run can be extended.
func posteriorFingerprint(sp *Spec, ps PosteriorSpec) string {
	h := sha256.New()
	fmt.Fprintf(h, "abc-smc/1 %s N=%d alpha=%g seeds=%d users=%d", sp.Fingerprint(), ps.Particles, ps.Alpha, ps.Seeds, ps.Users)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// abcRun is one posterior run's state.
type abcRun struct {
	sp       *Spec
	ps       PosteriorSpec
	params   []search.Param
	keys     []string
	jr       *search.Journal
	workers  int
	progress func(PosteriorProgress)
	start    time.Time

	next     int // the index of the next particle over the run (its seeds)
	done     int
	replayed int
	fresh    int
	gen      int
	eps      float64
}

func (r *abcRun) run(ctx context.Context) (*Posterior, error) {
	n, N, keep := len(r.params), r.ps.Particles, r.ps.kept()
	post := &Posterior{Settings: r.ps, Method: "ABC-SMC: adaptive population Monte Carlo ABC (Lenormand et al. 2013; Beaumont et al. 2009 weights, kernel N(θ, 2Σ)), " +
		"distance Σz² on fresh seeds per particle, tolerance the α-quantile of the distances"}
	// Generation 0: the prior.
	r.eps = math.Inf(1)
	rng := rand.New(rand.NewPCG(r.sp.Seed, 0xabc<<16))
	us := make([][]float64, N)
	for k := range us {
		us[k] = make([]float64, n)
		for i, p := range r.params {
			us[k][i] = p.Encode(p.Sample(rng))
		}
	}
	pop, err := r.simulate(ctx, us)
	if err != nil {
		return nil, err
	}
	for k := range pop {
		pop[k].logw = 0 // drawn from the prior: π/q = 1
	}
	pop, r.eps = select1(pop, keep)
	post.Generations = append(post.Generations, GenerationStats{Generation: 0, Simulated: N, Accepted: N, Acceptance: 1,
		Next: r.eps, ESS: ess(weights(pop))})
	r.report(true)
	post.Stopped = fmt.Sprintf("the most generations, %d", r.ps.Generations)
	for r.gen = 1; r.gen < r.ps.Generations; r.gen++ {
		w := weights(pop)
		kern, err := newKernel(pop, w)
		if err != nil {
			return nil, err
		}
		rng := rand.New(rand.NewPCG(r.sp.Seed, 0xabc<<16+uint64(r.gen)))
		us := make([][]float64, N-keep)
		for k := range us {
			us[k] = kern.propose(rng, pickWeighted(rng, w))
		}
		fresh, err := r.simulate(ctx, us)
		if err != nil {
			return nil, err
		}
		acc := 0
		for k := range fresh {
			fresh[k].logw = r.logPrior(fresh[k].u) - kern.logMixture(fresh[k].u)
			if fresh[k].d <= r.eps {
				acc++
			}
		}
		g := GenerationStats{Generation: r.gen, Tolerance: r.eps, Simulated: len(fresh), Accepted: acc, Acceptance: float64(acc) / float64(len(fresh))}
		pop, r.eps = select1(append(pop, fresh...), keep)
		g.Next, g.ESS = r.eps, ess(weights(pop))
		post.Generations = append(post.Generations, g)
		r.report(true)
		if g.Acceptance < r.ps.MinAcceptance {
			post.Stopped = fmt.Sprintf("acceptance %.3f below %g", g.Acceptance, r.ps.MinAcceptance)
			break
		}
	}
	r.summarise(post, pop)
	eps := map[string]bool{}
	for _, t := range r.sp.Targets {
		eps[t.Episode] = true
	}
	post.Particles, post.Replayed = r.done, r.replayed
	post.Simulations = r.done * r.ps.Seeds * len(eps)
	return post, nil
}

// select1 keeps the keep particles of smallest distance (ties in the
// order they came: older first) and returns them with the tolerance, the
// largest distance kept.
func select1(pop []particle, keep int) ([]particle, float64) {
	sort.SliceStable(pop, func(i, j int) bool { return pop[i].d < pop[j].d })
	pop = pop[:keep:keep]
	return pop, pop[keep-1].d
}

// weights normalises the particles' importance weights (log-sum-exp).
func weights(pop []particle) []float64 {
	lw := make([]float64, len(pop))
	for k, p := range pop {
		lw[k] = p.logw
	}
	lse := floats.LogSumExp(lw)
	w := make([]float64, len(pop))
	for k := range w {
		w[k] = math.Exp(lw[k] - lse)
	}
	return w
}

// ess is the effective sample size of normalised weights, 1/Σw².
func ess(w []float64) float64 {
	s := 0.0
	for _, v := range w {
		s += v * v
	}
	return 1 / s
}

// pickWeighted draws an index with probability w[k] (w normalised).
func pickWeighted(rng *rand.Rand, w []float64) int {
	x, c := rng.Float64(), 0.0
	for k, v := range w {
		c += v
		if x < c {
			return k
		}
	}
	return len(w) - 1
}

// kernel is the perturbation of a generation: N(u_j, 2Σ) around the
// population's particles u_j with weights w_j (Beaumont et al. 2009).
type kernel struct {
	centres [][]float64
	logw    []float64
	chol    mat.Cholesky
	mvn     *distmv.Normal
}

func newKernel(pop []particle, w []float64) (*kernel, error) {
	n := len(pop[0].u)
	data := mat.NewDense(len(pop), n, nil)
	for k, p := range pop {
		data.SetRow(k, p.u)
	}
	// gonum's weighted covariance divides by Σw − 1 (frequency weights):
	// the weights are scaled to sum to the population's size.
	fw := make([]float64, len(w))
	floats.ScaleTo(fw, float64(len(w)), w)
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, data, fw)
	cov.ScaleSym(2, &cov)
	// A direction the population has collapsed in (all particles on one
	// bound) gets a small spread, so the kernel stays a density.
	for i := range n {
		cov.SetSym(i, i, cov.At(i, i)+1e-8)
	}
	k := &kernel{centres: make([][]float64, len(pop)), logw: make([]float64, len(pop))}
	for j, p := range pop {
		k.centres[j] = p.u
		k.logw[j] = math.Log(w[j])
	}
	if !k.chol.Factorize(&cov) {
		return nil, errors.New("calibrate: posterior: the population's covariance is not positive definite")
	}
	k.mvn = distmv.NewNormalChol(make([]float64, n), &k.chol, nil)
	return k, nil
}

// propose moves particle j by the kernel until it lands in the unit cube
// (the prior's support); after 1000 tries the last move is clamped.
func (k *kernel) propose(rng *rand.Rand, j int) []float64 {
	n := len(k.centres[j])
	z := make([]float64, n)
	u := make([]float64, n)
	for range 1000 {
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		k.mvn.TransformNormal(u, z)
		inside := true
		for i := range u {
			u[i] += k.centres[j][i]
			inside = inside && u[i] >= 0 && u[i] <= 1
		}
		if inside {
			return u
		}
	}
	for i := range u {
		u[i] = min(1, max(0, u[i]))
	}
	return u
}

// logMixture is log Σ_j w_j φ(u; u_j, 2Σ), the density the new particles
// were drawn from (without the truncation to the cube, as in Beaumont et
// al.; see docs/calibration.md).
func (k *kernel) logMixture(u []float64) float64 {
	terms := make([]float64, len(k.centres))
	for j, c := range k.centres {
		terms[j] = k.logw[j] + distmv.NormalLogProb(u, c, &k.chol)
	}
	return floats.LogSumExp(terms)
}

// logPrior is the prior's log density at u in the unit cube (up to a
// constant): uniform in the search scale is flat; a normal prior is its
// density in x times dx/du; a uniform prior on a log-scaled parameter is
// proportional to x.
func (r *abcRun) logPrior(u []float64) float64 {
	lp := 0.0
	for i, p := range r.params {
		x := p.Decode(u[i])
		logScale := p.Log || p.Prior.Kind == search.LogUniform
		switch p.Prior.Kind {
		case search.Normal:
			z := (x - p.Prior.Mean) / p.Prior.SD
			lp += -z * z / 2
			if logScale {
				lp += math.Log(x)
			}
		case search.Uniform:
			if logScale {
				lp += math.Log(x)
			}
		}
	}
	return lp
}

// simulate evaluates the particles at unit-cube points us, each on its own
// fresh seeds, from the journal first and the rest on the worker pool,
// appending each to the journal as it finishes. The result is in the
// order of us, whatever the number of workers.
func (r *abcRun) simulate(ctx context.Context, us [][]float64) ([]particle, error) {
	out := make([]particle, len(us))
	seeds := make([][]uint64, len(us))
	var pending []int
	for k, u := range us {
		x := make([]float64, len(u))
		for i, p := range r.params {
			x[i] = p.Decode(u[i])
		}
		out[k] = particle{u: u, x: x}
		seeds[k] = make([]uint64, r.ps.Seeds)
		for j := range seeds[k] {
			seeds[k][j] = r.sp.Seed + PosteriorOffset + uint64((r.next+k)*r.ps.Seeds+j)
		}
		if r.jr != nil {
			if d, figs, ok := r.jr.Lookup(x, seeds[k]); ok && len(figs) == len(r.sp.Targets) {
				out[k].d, out[k].figs = d, figs
				r.replayed++
				r.done++
				continue
			}
		}
		pending = append(pending, k)
	}
	r.next += len(us)
	if len(pending) == 0 {
		return out, nil
	}
	type sim struct {
		d    float64
		figs []float64
		err  error
	}
	job := func(ctx context.Context, _, i int) (sim, bool) {
		k := pending[i]
		ev, err := Evaluate(ctx, r.sp.Targets, r.sp.Episodes, r.keys, out[k].x, r.ps.Users, seeds[k])
		if err != nil {
			return sim{err: err}, ctx.Err() == nil
		}
		d := Loss(r.sp.Targets, ev.Mean)
		if math.IsNaN(d) || math.IsInf(d, 0) {
			err = fmt.Errorf("calibrate: posterior: the distance is %g at %v, seeds %v", d, out[k].x, seeds[k])
		}
		return sim{d: d, figs: ev.Mean, err: err}, true
	}
	// The sink runs on this goroutine: the journal and the counts need
	// no lock.
	sink := func(i int, v sim) error {
		if v.err != nil {
			return v.err
		}
		k := pending[i]
		out[k].d, out[k].figs = v.d, v.figs
		r.done++
		r.fresh++
		r.report(false)
		if r.jr != nil {
			return r.jr.Append(out[k].x, seeds[k], v.d, v.figs)
		}
		return nil
	}
	err := ensemble.Stream(ctx, len(pending), r.workers, job, sink)
	if err == nil {
		err = ctx.Err()
	}
	if r.jr != nil {
		err = errors.Join(err, r.jr.Sync())
	}
	return out, err
}

// report calls the progress callback; the ETA is for the most particles
// the run can still simulate, at the mean time of those simulated so far.
func (r *abcRun) report(genDone bool) {
	if r.progress == nil {
		return
	}
	max := r.ps.MaxSimulations()
	el := time.Since(r.start)
	eta := time.Duration(-1) // unknown until a particle has been simulated here
	if r.fresh > 0 {
		eta = time.Duration(float64(el) / float64(r.fresh) * float64(max-r.done))
	}
	r.progress(PosteriorProgress{Generation: r.gen, Generations: r.ps.Generations, Done: r.done, Max: max, Replayed: r.replayed,
		Tolerance: r.eps, GenerationDone: genDone, Elapsed: el, ETA: eta})
}

// summarise fills the posterior's marginals, correlations and fit from
// the final population.
func (r *abcRun) summarise(post *Posterior, pop []particle) {
	w := weights(pop)
	n := len(r.params)
	post.ESS, post.Tolerance, post.Weights = ess(w), r.eps, w
	for _, p := range pop {
		post.X = append(post.X, p.x)
		post.Distances = append(post.Distances, p.d)
	}
	for i, p := range r.params {
		xs := make([]float64, len(pop))
		for k := range pop {
			xs[k] = pop[k].x[i]
		}
		mean := stat.Mean(xs, w)
		q := weightedQuantiles(xs, w, 0.5, 0.025, 0.975)
		med, lo, hi := q[0], q[1], q[2]
		width := p.Encode(hi) - p.Encode(lo)
		pp := PosteriorParam{Key: p.Name, Mean: mean, Median: med, Lo: lo, Hi: hi, BoundLo: p.Lo, BoundHi: p.Hi, Width: width, Poor: width > 0.5}
		post.Params = append(post.Params, pp)
		if pp.Poor {
			post.Poor = append(post.Poor, p.Name)
		}
	}
	data := mat.NewDense(len(pop), n, nil)
	for k, p := range pop {
		data.SetRow(k, p.u)
	}
	var corr mat.SymDense
	stat.CorrelationMatrix(&corr, data, w)
	post.Correlation = make([][]float64, n)
	for i := range n {
		post.Correlation[i] = make([]float64, n)
		for j := range n {
			c := corr.At(i, j)
			if math.IsNaN(c) {
				c = 0 // a parameter with no spread left
			}
			post.Correlation[i][j] = c
			if j > i && math.Abs(c) > 0.7 {
				post.Correlated = append(post.Correlated, Pair{A: r.params[i].Name, B: r.params[j].Name, Corr: c})
			}
		}
	}
	for t, tg := range r.sp.Targets {
		ys := make([]float64, len(pop))
		for k := range pop {
			ys[k] = pop[k].figs[t]
		}
		m := stat.Mean(ys, w)
		q := weightedQuantiles(ys, w, 0.025, 0.975)
		post.Fit = append(post.Fit, PosteriorFit{ID: tg.ID, Episode: tg.Episode, Period: tg.Figure.Period, Unit: tg.Figure.Unit,
			Record: tg.Figure.Value, Mean: m, Lo: q[0], Hi: q[1], Z: tg.Z(m)})
	}
}

// weightedQuantiles of xs with weights w (gonum's empirical quantile on
// the sorted values).
func weightedQuantiles(xs, w []float64, ps ...float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	sx, sw := make([]float64, len(xs)), make([]float64, len(xs))
	for i, k := range idx {
		sx[i], sw[i] = xs[k], w[k]
	}
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = stat.Quantile(p, stat.Empirical, sx, sw)
	}
	return out
}
