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

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/paywars/hongbao/sim/ensemble"
	"github.com/paywars/hongbao/sim/search"
)

// PosteriorSpec is how the ABC-SMC posterior runs (the spec's [posterior]
// table; every field has a default).
type PosteriorSpec struct {
	// Particles is N, the population: drawn from the prior in the first
	// generation, and in every later one resampled from the survivors
	// and each moved once (one simulation per move that passes the
	// prior's ratio). 200.
	Particles int `toml:"particles"`
	// Alpha is the share of the population that survives each
	// generation: the tolerance is the α-quantile of the distances. 0.5.
	Alpha float64 `toml:"alpha"`
	// MinAcceptance stops the run when fewer of a generation's moves than
	// this share are accepted. 0 (the default) is 1 − √α, 0.29 for α 0.5:
	// below it a generation's copies (refused moves) multiply faster than
	// its accepted moves replace them, and the population's effective
	// size falls generation after generation (docs/calibration.md). With
	// the moves repeated (Moved) the default is the rate at which MaxMoves
	// rounds still move Moved of the particles, 1 − (1 − Moved)^(1/MaxMoves)
	// (0.067 for 0.5 and 10 rounds), and a generation whose first round
	// falls below it is not kept: the run ends on the population before
	// it.
	MinAcceptance float64 `toml:"min_acceptance"`
	// Moved, above 0, repeats a generation's moves (Drovandi & Pettitt
	// 2011): after the first round, in which every particle proposes one
	// move, R − 1 more rounds at the same ε and walk, each moving every
	// particle from where the last round left it, with R = ⌈log(1 −
	// Moved)/log(1 − p)⌉ for the first round's acceptance p (at most
	// MaxMoves), so that a particle has moved at least once with chance
	// Moved. The moves keep the posterior at ε invariant, so more of them
	// only replace copies by particles of their own: the population keeps
	// its effective size as ε falls and the acceptance with it, where one
	// move a generation (0, the default) must stop at 1 − √α.
	Moved float64 `toml:"moved"`
	// MaxMoves is the most rounds a generation (R above); 10 when Moved
	// is set.
	MaxMoves int `toml:"max_moves"`
	// MaxParticles stops the run after the generation in which the
	// particles simulated (or replayed) reach it: a bound on its time. 0:
	// none.
	MaxParticles int `toml:"max_particles"`
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
		ps.Particles = 200
	}
	if ps.Alpha == 0 {
		ps.Alpha = 0.5
	}
	if ps.Moved > 0 && ps.MaxMoves == 0 {
		ps.MaxMoves = 10
	}
	switch {
	case ps.MinAcceptance != 0:
	case ps.Moved > 0:
		// Below this rate even the most rounds move fewer than Moved of
		// the particles: 1 − (1 − p)^MaxMoves < Moved.
		ps.MinAcceptance = 1 - math.Pow(1-ps.Moved, 1/float64(ps.MaxMoves))
	case ps.Alpha > 0 && ps.Alpha < 1:
		ps.MinAcceptance = 1 - math.Sqrt(ps.Alpha)
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
	case ps.Moved < 0 || ps.Moved >= 1 || math.IsNaN(ps.Moved):
		return fmt.Errorf("moved %g must be in [0, 1)", ps.Moved)
	case ps.MinAcceptance < 0 || ps.MinAcceptance >= 1 || math.IsNaN(ps.MinAcceptance):
		return fmt.Errorf("min_acceptance %g must be in [0, 1)", ps.MinAcceptance)
	case ps.MaxMoves < 0 || ps.MaxMoves > 100:
		return fmt.Errorf("max_moves %d must be in [0, 100]", ps.MaxMoves)
	case ps.MaxParticles < 0:
		return fmt.Errorf("max_particles %d must not be negative", ps.MaxParticles)
	}
	return nil
}

// rounds is the most rounds of moves a generation: MaxMoves when moves
// repeat, else 1.
func (ps PosteriorSpec) rounds() int {
	if ps.Moved > 0 {
		return ps.MaxMoves
	}
	return 1
}

// roundsFor is R, the rounds of moves a generation makes when its first
// round accepted a share p: the fewest after which a particle has moved
// with chance moved, 1 − (1 − p)^R ≥ moved, at most most; 1 when moves do
// not repeat (moved 0) or every move was accepted.
func roundsFor(moved, p float64, most int) int {
	switch {
	case moved <= 0 || p >= 1:
		return 1
	case p <= 0:
		return most
	}
	r := math.Ceil(math.Log(1-moved) / math.Log(1-p))
	return int(max(1, min(float64(most), r)))
}

// kept is ⌊αN⌋, the particles that survive a generation.
func (ps PosteriorSpec) kept() int { return int(ps.Alpha * float64(ps.Particles)) }

// MaxSimulations is the most particles a run simulates (each particle is
// one run per episode per seed): N from the prior, then at most N moves
// a round of each generation, and no more than MaxParticles' generation
// can reach.
func (ps PosteriorSpec) MaxSimulations() int {
	most := ps.Particles + ps.Particles*ps.rounds()*max(0, ps.Generations-1)
	if ps.MaxParticles > 0 {
		most = min(most, ps.MaxParticles+ps.Particles*ps.rounds())
	}
	return most
}

// PosteriorOptions are how a posterior runs, beside its spec.
type PosteriorOptions struct {
	Dir      string // the calibration's output folder: the journal goes in Dir/posterior; empty keeps none
	Workers  int    // parallel particles; 0: GOMAXPROCS
	Progress func(PosteriorProgress)
	// Particles, Generations and MaxParticles, when set, override the
	// spec's. The journal depends on neither Generations nor
	// MaxParticles, so a larger one extends a finished run.
	Particles, Generations, MaxParticles int
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
	// The final population: its distinct points in parameter units, their
	// weights (each point's share of the kept population: a refused move
	// leaves a copy) and distances.
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
	Tolerance  float64 `json:"tolerance"`        // ε the moves were tested against (0 for the prior's generation: none)
	Rounds     int     `json:"rounds,omitempty"` // rounds of moves (PosteriorSpec.Moved); 0 or 1: one
	Proposed   int     `json:"proposed"`         // moves proposed, one per particle a round (the prior's draws in generation 0)
	Simulated  int     `json:"simulated"`        // of them simulated: those past the prior's ratio
	Accepted   int     `json:"accepted"`         // of them within ε: new particles
	Acceptance float64 `json:"acceptance"`       // Accepted / Proposed, the moves' acceptance rate
	Next       float64 `json:"next_tolerance"`
	ESS        float64 `json:"ess"` // of the population kept, copies counted as one particle (multiplicity)
	// Discarded: the generation's first round fell under the floor with
	// repeated moves, so its moves were not kept and the run ended on the
	// population before it (Next and ESS are that population's).
	Discarded bool `json:"discarded,omitempty"`
}

// particle is one simulated parameter vector: u in the unit cube, x in
// parameter units, its distance and its figures (per-target means).
type particle struct {
	u, x []float64
	d    float64
	figs []float64
	// id is the slot the particle was simulated in: a copy (a refused
	// move) shares its parent's.
	id int
}

// RunPosterior draws the spec's parameters' ABC posterior by sequential
// Monte Carlo with MCMC moves (Del Moral, Doucet & Jasra 2012, with one
// simulation per particle). The distance is the calibration's loss Σz² on
// fresh seeds per particle. Generation 0 draws N particles from the prior;
// each generation keeps the ⌊αN⌋ nearest (the tolerance ε is the largest
// distance kept), resamples N from them and moves each by one ABC-MCMC
// step at ε (walk). Every particle carries equal weight: the moves leave
// the posterior at ε invariant, so no importance weight is needed, and a
// refused move leaves a copy of its parent; with PosteriorSpec.Moved the
// move is repeated in rounds (Drovandi & Pettitt 2011) until most
// particles have moved. It stops when fewer than MinAcceptance of a
// generation's moves are accepted, after the generation that reaches
// MaxParticles, or after Generations. Every simulation is journalled in Dir/posterior: a re-run
// replays it and gives the same posterior.
//
// The importance-sampling ABC-SMC it replaces (Beaumont et al. 2009's
// kernel N(θ, 2Σ), Lenormand et al. 2013's carried particles) collapsed to
// an effective sample size of 3 of 200 on the library's 19 parameters:
// per coordinate a proposal wider than the posterior loses a constant
// share of the effective size, and over 19 coordinates the shares
// multiply (docs/calibration.md).
func RunPosterior(ctx context.Context, sp *Spec, opt PosteriorOptions) (*Posterior, error) {
	return runPosterior(ctx, sp, opt, nil)
}

// simulator is a particle's distance and figures at x on seeds; the
// model's (Evaluate and Loss) unless a test gives a problem whose
// posterior is known.
type simulator func(ctx context.Context, x []float64, seeds []uint64) (d float64, figs []float64, err error)

func runPosterior(ctx context.Context, sp *Spec, opt PosteriorOptions, eval simulator) (*Posterior, error) {
	ps := sp.Posterior.withDefaults(sp)
	if opt.Particles > 0 {
		ps.Particles = opt.Particles
	}
	if opt.Generations > 0 {
		ps.Generations = opt.Generations
	}
	if opt.MaxParticles > 0 {
		ps.MaxParticles = opt.MaxParticles
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
	keys := sp.Keys()
	if eval == nil {
		eval = func(ctx context.Context, x []float64, seeds []uint64) (float64, []float64, error) {
			ev, err := Evaluate(ctx, sp.Targets, sp.Episodes, keys, x, ps.Users, seeds)
			if err != nil {
				return 0, nil, err
			}
			return Loss(sp.Targets, ev.Mean), ev.Mean, nil
		}
	}
	r := &abcRun{sp: sp, ps: ps, params: params, eval: eval, jr: jr, workers: workers, progress: opt.Progress, start: time.Now()}
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
	fmt.Fprintf(h, "abc-smc-mcmc/2 %s N=%d alpha=%g seeds=%d users=%d", sp.Fingerprint(), ps.Particles, ps.Alpha, ps.Seeds, ps.Users)
	if ps.Moved > 0 { // one move a generation keeps the journals written before moves repeated
		fmt.Fprintf(h, " moved=%g max_moves=%d", ps.Moved, ps.MaxMoves)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// abcRun is one posterior run's state.
type abcRun struct {
	sp       *Spec
	ps       PosteriorSpec
	params   []search.Param
	eval     simulator
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
	post := &Posterior{Settings: r.ps, Method: "ABC-SMC with MCMC moves (Del Moral, Doucet & Jasra 2012): tolerance the α-quantile of the distances, " +
		"the survivors resampled to N and each moved by one ABC-MCMC step (Marjoram et al. 2003), a folded random walk in the unit cube of sd 2.38/√d · the survivors' sd; " +
		"distance Σz² on fresh seeds per particle; ESS counts a particle's copies (refused moves) as one"}
	if r.ps.Moved > 0 {
		post.Method += fmt.Sprintf("; the moves repeated each generation until a particle has moved with chance %g (Drovandi & Pettitt 2011), at most %d rounds", r.ps.Moved, r.ps.MaxMoves)
	}
	// Generation 0: the prior.
	r.eps = math.Inf(1)
	rng := rand.New(rand.NewPCG(r.sp.Seed, 0xabc<<16))
	us := make([][]float64, N)
	slots := make([]int, N)
	for k := range us {
		us[k] = make([]float64, n)
		for i, p := range r.params {
			us[k][i] = p.Encode(p.Sample(rng))
		}
		slots[k] = k
	}
	pop, err := r.simulate(ctx, us, slots)
	if err != nil {
		return nil, err
	}
	r.next += N
	pop, r.eps = select1(pop, keep)
	post.Generations = append(post.Generations, GenerationStats{Generation: 0, Proposed: N, Simulated: N, Accepted: N, Acceptance: 1,
		Next: r.eps, ESS: ess(multiplicity(pop))})
	r.report(true)
	post.Stopped = fmt.Sprintf("the most generations, %d", r.ps.Generations)
	for r.gen = 1; r.gen < r.ps.Generations; r.gen++ {
		rng := rand.New(rand.NewPCG(r.sp.Seed, 0xabc<<16+uint64(r.gen)))
		walk := newWalk(pop)
		// Resample the N from the kept survivors, each ⌊N/keep⌋ times and
		// N mod keep of them, drawn at random, once more (equal weights:
		// every survivor is a draw of the posterior at ε), then move every
		// one by an ABC-MCMC step (Marjoram et al. 2003) whose stationary
		// law is the posterior at ε: proposed by the walk, refused without
		// a simulation if it fails the prior's ratio (v ≥ π(θ')/π(θ)), else
		// simulated on the slot's fresh seeds and accepted if within ε. A
		// refused move leaves a copy of its parent, distance included.
		moves := N
		parents := make([]int, moves)
		for k := range keep * (N / keep) {
			parents[k] = k % keep
		}
		for k, j := range rng.Perm(keep)[:N%keep] {
			parents[keep*(N/keep)+k] = j
		}
		next := make([]particle, moves)
		for k := range next {
			next[k] = pop[parents[k]]
		}
		simulated, acc, err := r.moveRound(ctx, rng, walk, next)
		if err != nil {
			return nil, err
		}
		first := float64(acc) / float64(moves) // the first round's acceptance
		if r.ps.Moved > 0 && first < r.ps.MinAcceptance {
			// Even the most rounds would leave too many copies: the
			// population the generation started from, every particle
			// within ε, is the posterior at ε, and this generation's moves
			// are not kept. (One move a generation keeps its last, as it
			// always has.)
			g := GenerationStats{Generation: r.gen, Tolerance: r.eps, Rounds: 1, Proposed: moves, Simulated: simulated, Accepted: acc,
				Acceptance: first, Next: r.eps, ESS: ess(multiplicity(pop)), Discarded: true}
			post.Generations = append(post.Generations, g)
			r.report(true)
			post.Stopped = fmt.Sprintf("acceptance %.3f below %.3g in the first round: the population before it kept, at ε %.4g", g.Acceptance, r.ps.MinAcceptance, r.eps)
			break
		}
		// More rounds of the same moves (PosteriorSpec.Moved), each from
		// where the last left every particle.
		rounds := roundsFor(r.ps.Moved, first, r.ps.MaxMoves)
		for range rounds - 1 {
			sim, ok, err := r.moveRound(ctx, rng, walk, next)
			if err != nil {
				return nil, err
			}
			simulated, acc = simulated+sim, acc+ok
		}
		proposed := moves * rounds
		g := GenerationStats{Generation: r.gen, Tolerance: r.eps, Proposed: proposed, Simulated: simulated, Accepted: acc, Acceptance: float64(acc) / float64(proposed)}
		if r.ps.Moved > 0 {
			g.Rounds = rounds
		}
		pop, r.eps = select1(next, keep)
		g.Next, g.ESS = r.eps, ess(multiplicity(pop))
		post.Generations = append(post.Generations, g)
		r.report(true)
		if g.Acceptance < r.ps.MinAcceptance {
			post.Stopped = fmt.Sprintf("acceptance %.3f below %g", g.Acceptance, r.ps.MinAcceptance)
			break
		}
		if r.ps.MaxParticles > 0 && r.done >= r.ps.MaxParticles {
			post.Stopped = fmt.Sprintf("the most particles, %d (%d simulated)", r.ps.MaxParticles, r.done)
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

// moveRound moves every particle of next once, in place: a step of the
// walk from where it is, refused without a simulation if it fails the
// prior's ratio (v ≥ π(θ')/π(θ)), else simulated on the slot's fresh
// seeds and kept if within ε; a refused move leaves the particle as it
// was. It returns the moves simulated and those accepted.
func (r *abcRun) moveRound(ctx context.Context, rng *rand.Rand, walk *walk, next []particle) (simulated, accepted int, err error) {
	var cand [][]float64
	var candSlot []int
	for k := range next {
		u := walk.step(rng, next[k].u)
		if math.Log(rng.Float64()) < r.logPrior(u)-r.logPrior(next[k].u) {
			cand = append(cand, u)
			candSlot = append(candSlot, k)
		}
	}
	fresh, err := r.simulate(ctx, cand, candSlot)
	if err != nil {
		return 0, 0, err
	}
	r.next += len(next)
	for c, p := range fresh {
		if p.d <= r.eps {
			next[candSlot[c]] = p
			accepted++
		}
	}
	return len(fresh), accepted, nil
}

// select1 keeps the keep particles of smallest distance (ties in the
// order they came: older first) and returns them with the tolerance, the
// largest distance kept.
func select1(pop []particle, keep int) ([]particle, float64) {
	sort.SliceStable(pop, func(i, j int) bool { return pop[i].d < pop[j].d })
	pop = pop[:keep:keep]
	return pop, pop[keep-1].d
}

// multiplicity is the population's weights as distinct particles: a
// particle and its copies (refused moves, one id) share one point, so
// each distinct point weighs its copies' share of the population.
func multiplicity(pop []particle) []float64 {
	count := map[int]int{}
	var order []int
	for _, p := range pop {
		if count[p.id] == 0 {
			order = append(order, p.id)
		}
		count[p.id]++
	}
	w := make([]float64, len(order))
	for k, id := range order {
		w[k] = float64(count[id]) / float64(len(pop))
	}
	return w
}

// ess is the effective sample size of normalised weights, 1/Σw²: of
// multiplicity's weights, the population's size discounted for copies
// (a population of distinct particles has ESS its size; one particle and
// its copies, 1).
func ess(w []float64) float64 {
	s := 0.0
	for _, v := range w {
		s += v * v
	}
	return 1 / s
}

// walk is a generation's move: a random walk in the unit cube (the
// search's scale) with independent normal steps, coordinate i's of
// variance 2.38²/d · s_i², s_i the survivors' sd of that coordinate
// (d coordinates; the scale that is optimal for random walk Metropolis
// in d dimensions, Roberts, Gelman & Gilks 1997), each coordinate folded
// back into [0, 1] at the bounds. The fold keeps every move inside the
// prior's support and keeps the walk symmetric (the density of u' from u
// is that of u from u'), so the move's Metropolis–Hastings ratio is the
// prior's alone. It is independent across coordinates because a
// correlated step folded coordinate by coordinate is not symmetric. A
// walk that is not folded leaves the cube through one face or another in
// most of its moves in 19 dimensions, and a walk in logit space takes its
// scale from the few survivors near a bound.
type walk struct {
	sd []float64
}

// walkFloor is the least step's sd: a coordinate the population has
// collapsed in (every survivor on one value) still moves.
const walkFloor = 1e-6

func newWalk(pop []particle) *walk {
	n := len(pop[0].u)
	w := &walk{sd: make([]float64, n)}
	xs := make([]float64, len(pop))
	for i := range n {
		for k, p := range pop {
			xs[k] = p.u[i]
		}
		w.sd[i] = max(walkFloor, 2.38/math.Sqrt(float64(n))*stat.StdDev(xs, nil))
	}
	return w
}

// step is u moved by the walk.
func (w *walk) step(rng *rand.Rand, u []float64) []float64 {
	out := make([]float64, len(u))
	for i, v := range u {
		out[i] = fold(v + w.sd[i]*rng.NormFloat64())
	}
	return out
}

// fold reflects v into [0, 1] at the bounds (as often as it takes).
func fold(v float64) float64 {
	v = math.Mod(math.Abs(v), 2)
	if v > 1 {
		v = 2 - v
	}
	return v
}

// logPrior is the prior's normalised log density at u in the unit cube
// (only its ratios matter to the moves):
// a prior uniform on the search scale is 1; a normal prior is its density
// in x, truncated to the bounds, times dx/du; a uniform prior on a
// log-scaled parameter is 1/(hi − lo) times dx/du.
func (r *abcRun) logPrior(u []float64) float64 {
	lp := 0.0
	for i, p := range r.params {
		x := p.Decode(u[i])
		logScale := p.Log || p.Prior.Kind == search.LogUniform
		// log dx/du
		jac := math.Log(p.Hi - p.Lo)
		if logScale {
			jac = math.Log(x) + math.Log(math.Log(p.Hi)-math.Log(p.Lo))
		}
		switch p.Prior.Kind {
		case search.Normal:
			z := (x - p.Prior.Mean) / p.Prior.SD
			mass := distuv.UnitNormal.CDF((p.Hi-p.Prior.Mean)/p.Prior.SD) - distuv.UnitNormal.CDF((p.Lo-p.Prior.Mean)/p.Prior.SD)
			lp += -z*z/2 - math.Log(p.Prior.SD*math.Sqrt(2*math.Pi)*mass) + jac
		case search.Uniform:
			if logScale {
				lp += jac - math.Log(p.Hi-p.Lo)
			}
		}
	}
	return lp
}

// simulate evaluates the particles at unit-cube points us, each on its own
// fresh seeds (those of slot r.next + slots[k]; the caller moves r.next), from the journal first and the rest on the worker pool,
// appending each to the journal as it finishes. The result is in the
// order of us, whatever the number of workers.
func (r *abcRun) simulate(ctx context.Context, us [][]float64, slots []int) ([]particle, error) {
	out := make([]particle, len(us))
	seeds := make([][]uint64, len(us))
	var pending []int
	for k, u := range us {
		x := make([]float64, len(u))
		for i, p := range r.params {
			x[i] = p.Decode(u[i])
		}
		out[k] = particle{u: u, x: x, id: r.next + slots[k]}
		seeds[k] = make([]uint64, r.ps.Seeds)
		for j := range seeds[k] {
			seeds[k][j] = r.sp.Seed + PosteriorOffset + uint64((r.next+slots[k])*r.ps.Seeds+j)
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
		d, figs, err := r.eval(ctx, out[k].x, seeds[k])
		if err != nil {
			return sim{err: err}, ctx.Err() == nil
		}
		if math.IsNaN(d) || math.IsInf(d, 0) {
			err = fmt.Errorf("calibrate: posterior: the distance is %g at %v, seeds %v", d, out[k].x, seeds[k])
		}
		return sim{d: d, figs: figs, err: err}, true
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
	// The distinct particles (in the order of their first copy) with
	// their multiplicities as weights.
	w := multiplicity(pop)
	seen := map[int]bool{}
	var distinct []particle
	for _, p := range pop {
		if !seen[p.id] {
			seen[p.id] = true
			distinct = append(distinct, p)
		}
	}
	pop = distinct
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
