package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Objective is the value of x on one replicate, a group of seeds: the
// seeds of every candidate's r-th replicate are the same (common random
// numbers). x is in the parameters' units, in the order of Problem.Params.
// An error wrapping [ErrRejected] marks x as infeasible (a hard
// constraint); any other error stops the search.
type Objective func(ctx context.Context, x []float64, seeds []uint64) (float64, error)

// ErrRejected is wrapped by an objective's error for a candidate that
// breaks a hard constraint: the candidate ranks below every feasible one.
var ErrRejected = errors.New("search: candidate rejected")

// Problem is what to search.
type Problem struct {
	Params    []Param
	Objective Objective
	// Screen, when set, is a cheap version of the objective (a smaller
	// world): every candidate is screened on it first and only the best
	// Config.ScreenKeep of each generation get the full objective.
	Screen Objective
	// Maximize makes higher values better; otherwise lower are.
	Maximize bool
	// Start, when set, is where the first run starts, in parameter units.
	Start []float64
	// StartFirst makes the start the first incumbent: it is evaluated
	// and re-checked before the first generation, so the search returns
	// it unless a candidate beats it on the re-check seeds. A refit from
	// a fitted point (calibrate's start = "profile") then cannot come
	// back worse than where it began, which a run of the strategy alone
	// can: its first generation samples around the start, never at it.
	StartFirst bool
	// Fingerprint identifies the objective (a hash of the spec it comes
	// from): a journal written under another fingerprint is not replayed.
	Fingerprint string
}

// Seed offsets: replicate r of the search uses seeds Seed + r·G + j
// (j < G, G = GroupSize), of the re-checks Seed + RecheckOffset + r·G + j,
// of the confirmation Seed + ConfirmOffset + r·G + j, so a reader can re-run
// any of them (`hongbao run --seed`), and the three never overlap.
const (
	RecheckOffset = 1 << 20
	ConfirmOffset = 2 << 20
)

// Config is how to search. The zero value of each field means its default.
type Config struct {
	Seed       uint64 // first seed of the search replicates, and the stream of candidates
	Replicates int    // search replicates per candidate; 4
	GroupSize  int    // seeds per replicate (per objective call); 1
	Recheck    int    // replicates on which a new best is re-checked; 8
	Confirm    int    // replicates of the final interval, never used to choose; 16
	// Budget is the number of full-objective calls of the search phase,
	// re-checks included (the confirmation and the levers come on top);
	// 100·(n+1)·Replicates.
	Budget      int
	Population  int     // λ of the first run, doubled at each restart; 4 + ⌊3 ln n⌋
	Sigma       float64 // first step size in the unit cube; 0.3
	TolX        float64 // a run stops when its spread is below TolX (unit cube); 1e-3
	MaxRestarts int     // restarts after the first run; 8
	ScreenKeep  float64 // share of a generation passing the screen; 0.5
	Step        float64 // finite-difference step of the sensitivity (unit cube); 0.05
	Level       float64 // the interval's confidence; 0.95
	Workers     int     // parallel objective calls; GOMAXPROCS
	// Dir is the output folder of the journal; empty keeps no journal.
	Dir string
	// Progress, when set, is called after each generation.
	Progress func(Progress)
}

// Progress is a search's state after a generation.
type Progress struct {
	Calls, Budget int // full-objective calls of the search phase so far, of Budget
	Replayed      int // calls answered from the journal or the cache
	Restart, Gen  int
	HaveBest      bool
	Best          float64       // the incumbent's re-check value
	Elapsed, ETA  time.Duration // ETA from the mean time of calls not replayed
}

// Interval is the value of a point over independent replicates:
// mean ± t(level, n−1)·sd/√n.
type Interval struct {
	Mean   float64   `json:"mean"`
	SD     float64   `json:"sd"`
	SE     float64   `json:"se"`
	Lo     float64   `json:"lo"`
	Hi     float64   `json:"hi"`
	N      int       `json:"n"`
	Level  float64   `json:"level"`
	Values []float64 `json:"values"`
}

// Lever is how much the value moves when one parameter moves by
// Config.Step of its range from the optimum, on the search seeds.
type Lever struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"` // the parameter at the optimum
	// Effect is the largest change of the value from moving the lever one
	// step either way: what ranks the levers.
	Effect float64 `json:"effect"`
	// Slope is the central (or, on a bound, one-sided) difference of the
	// value per unit of the parameter.
	Slope float64 `json:"slope"`
	// Curvature is the second difference per squared share of the range
	// (negative at an interior maximum); 0 on a bound.
	Curvature float64 `json:"curvature"`
	OnBound   bool    `json:"on_bound"`
}

// Improvement is a new incumbent: a candidate that beat the best search
// value so far and the incumbent's re-check.
type Improvement struct {
	Calls   int       `json:"calls"`
	Restart int       `json:"restart"`
	Gen     int       `json:"generation"`
	X       []float64 `json:"x"`
	Search  float64   `json:"search"`
	Recheck float64   `json:"recheck"`
}

// Result is a finished search, in the caller's sign (maximised values are
// reported as they are).
type Result struct {
	Params   []string  `json:"params"`
	X        []float64 `json:"x"`
	Maximize bool      `json:"maximize"`
	// Value is the confirmation's mean, Interval its interval.
	Value        float64  `json:"value"`
	Interval     Interval `json:"interval"`
	SearchValue  float64  `json:"search_value"`
	RecheckValue float64  `json:"recheck_value"`
	Calls        int      `json:"calls"`        // full-objective calls of every phase
	ScreenCalls  int      `json:"screen_calls"` // screening calls
	Generations  int      `json:"generations"`
	Restarts     int      `json:"restarts"`
	Stopped      string   `json:"stopped"`  // "budget" or "restarts"
	Rejected     int      `json:"rejected"` // calls rejected by a hard constraint
	// PassedOver counts the newer incumbents the confirmation seeds
	// rejected before X held: X is then not the best on the search seeds
	// but the best that keeps the constraint on fresh ones.
	PassedOver int           `json:"passed_over"`
	Levers     []Lever       `json:"levers"` // most important first
	Trace      []Improvement `json:"trace"`
	// Replayed counts calls answered from the cache (the journal, or an
	// identical earlier call): the one field that differs between a resumed
	// and an uninterrupted search.
	Replayed int `json:"replayed"`
}

// Search is a search under way: its journal and its cache of calls.
type Search struct {
	p     Problem
	cfg   Config
	n     int
	cache map[string]entry
	jr    *journal

	calls, screenCalls, replayed int
	rejected                     int    // rejected calls
	why                          string // the last rejection's reason
	start                        time.Time
	fresh                        int // calls not replayed
}

// New checks the problem and the configuration, fills in defaults and
// opens the journal (replaying what it holds).
func New(p Problem, cfg Config) (*Search, error) {
	if err := validateParams(p.Params); err != nil {
		return nil, err
	}
	if p.Objective == nil {
		return nil, errors.New("search: no objective")
	}
	n := len(p.Params)
	if p.Start != nil && len(p.Start) != n {
		return nil, fmt.Errorf("search: start has %d values for %d parameters", len(p.Start), n)
	}
	for i, v := range p.Start {
		if !(v >= p.Params[i].Lo && v <= p.Params[i].Hi) {
			return nil, fmt.Errorf("search: parameter %q: start %g outside [%g, %g]", p.Params[i].Name, v, p.Params[i].Lo, p.Params[i].Hi)
		}
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&cfg.Replicates, 4)
	def(&cfg.GroupSize, 1)
	def(&cfg.Recheck, 8)
	def(&cfg.Confirm, 16)
	def(&cfg.Budget, 100*(n+1)*cfg.Replicates)
	def(&cfg.Population, 4+int(3*math.Log(float64(n))))
	def(&cfg.MaxRestarts, 8)
	def(&cfg.Workers, runtime.GOMAXPROCS(0))
	deff(&cfg.Sigma, 0.3)
	deff(&cfg.TolX, 1e-3)
	deff(&cfg.ScreenKeep, 0.5)
	deff(&cfg.Step, 0.05)
	deff(&cfg.Level, 0.95)
	switch {
	case cfg.Replicates < 1 || cfg.GroupSize < 1 || cfg.Recheck < 1:
		return nil, errors.New("search: replicates, group size and re-checks must be 1 or more")
	case cfg.Confirm < 2:
		return nil, errors.New("search: the confirmation needs 2 replicates or more for an interval")
	case cfg.Replicates*cfg.GroupSize >= RecheckOffset || (cfg.Recheck+cfg.Confirm)*cfg.GroupSize >= RecheckOffset:
		return nil, fmt.Errorf("search: too many seeds (at most %d per phase)", RecheckOffset)
	case cfg.Budget < 1 || cfg.Population < 2 || cfg.Population > 1<<16 || cfg.MaxRestarts < 0 || cfg.MaxRestarts > 16:
		return nil, errors.New("search: budget, population (2 to 65536) or restarts (0 to 16) out of range")
	case !(cfg.Sigma > 0 && cfg.Sigma <= 1) || !(cfg.TolX > 0) || !(cfg.ScreenKeep > 0 && cfg.ScreenKeep <= 1) || !(cfg.Step > 0 && cfg.Step < 0.5) || !(cfg.Level > 0 && cfg.Level < 1):
		return nil, errors.New("search: sigma in (0, 1], tolx > 0, screen share in (0, 1], step in (0, 0.5) and level in (0, 1)")
	}
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	s := &Search{p: p, cfg: cfg, n: n, cache: map[string]entry{}, start: time.Now()}
	if cfg.Dir != "" {
		jr, err := openJournal(cfg.Dir, p.Fingerprint, s.cache)
		if err != nil {
			return nil, err
		}
		s.jr = jr
	}
	return s, nil
}

// Close syncs and closes the journal.
func (s *Search) Close() error {
	if s.jr == nil {
		return nil
	}
	err := s.jr.close()
	s.jr = nil
	return err
}

// Params returns the problem's parameters.
func (s *Search) Params() []Param { return s.p.Params }

// seeds is the group of seeds of replicate r of the phase at offset.
func (s *Search) seeds(offset uint64, r int) []uint64 {
	g := s.cfg.GroupSize
	out := make([]uint64, g)
	for j := range out {
		out[j] = s.cfg.Seed + offset + uint64(r*g+j)
	}
	return out
}

type job struct {
	cand, rep int
	x         []float64
	seeds     []uint64
}

// evaluate calls obj ("f" or "s") on every point for reps replicates of
// the phase at offset, answering from the cache first and running the rest
// on the worker pool. vals[k][r] is point k's value on replicate r, in the
// caller's sign; rejected[k] when any replicate was rejected.
func (s *Search) evaluate(ctx context.Context, obj string, xs [][]float64, offset uint64, reps int) (vals [][]float64, rejected []bool, err error) {
	f := s.p.Objective
	if obj == "s" {
		f = s.p.Screen
	}
	vals = make([][]float64, len(xs))
	rejected = make([]bool, len(xs))
	var pending []job
	for k, x := range xs {
		vals[k] = make([]float64, reps)
		for r := 0; r < reps; r++ {
			seeds := s.seeds(offset, r)
			if e, ok := s.cache[callKey(obj, x, seeds)]; ok {
				vals[k][r] = e.Value
				rejected[k] = rejected[k] || e.Rejected
				if e.Rejected {
					s.rejected++
					s.why = e.Why
				}
				s.replayed++
				continue
			}
			pending = append(pending, job{cand: k, rep: r, x: x, seeds: seeds})
		}
	}
	if len(pending) > 0 {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		out := make([]entry, len(pending))
		errs := make([]error, len(pending))
		var next atomic.Int64
		var mu sync.Mutex
		var wg sync.WaitGroup
		for w := 0; w < min(s.cfg.Workers, len(pending)); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= len(pending) || ctx.Err() != nil {
						return
					}
					jb := pending[i]
					v, err := f(ctx, slices.Clone(jb.x), slices.Clone(jb.seeds))
					e := entry{Obj: obj, X: jb.x, Seeds: jb.seeds, Value: v}
					switch {
					case errors.Is(err, ErrRejected):
						e.Value, e.Rejected = 0, true
						e.Why = strings.TrimPrefix(err.Error(), ErrRejected.Error()+": ")
					case err != nil:
						errs[i] = err
						cancel()
						return
					case math.IsNaN(v) || math.IsInf(v, 0):
						errs[i] = fmt.Errorf("search: the objective returned %g at %v, seeds %v", v, jb.x, jb.seeds)
						cancel()
						return
					}
					out[i] = e
					if s.jr != nil {
						mu.Lock()
						err := s.jr.append(e)
						mu.Unlock()
						if err != nil {
							errs[i] = err
							cancel()
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		// The first error in job order, a cancellation only if nothing else.
		var first error
		for _, e := range errs {
			if e != nil && (first == nil || errors.Is(first, context.Canceled)) {
				first = e
			}
		}
		if first == nil && ctx.Err() != nil {
			first = ctx.Err()
		}
		if first == nil {
			for i, jb := range pending {
				if out[i].Rejected {
					s.rejected++
					s.why = out[i].Why
				}
				s.cache[callKey(obj, jb.x, jb.seeds)] = out[i]
				vals[jb.cand][jb.rep] = out[i].Value
				rejected[jb.cand] = rejected[jb.cand] || out[i].Rejected
			}
			s.fresh += len(pending)
		}
		if s.jr != nil {
			if err := s.jr.sync(); err != nil && first == nil {
				first = err
			}
		}
		if first != nil {
			return nil, nil, first
		}
	}
	if obj == "s" {
		s.screenCalls += len(xs) * reps
	} else {
		s.calls += len(xs) * reps
	}
	return vals, rejected, nil
}

// cost turns a candidate's replicate values into the search's cost:
// lower is better, rejected is +Inf.
func (s *Search) cost(vals []float64, rejected bool) float64 {
	if rejected {
		return math.Inf(1)
	}
	m := mean(vals)
	if s.p.Maximize {
		return -m
	}
	return m
}

// sign turns a cost back into the caller's value.
func (s *Search) sign(c float64) float64 {
	if s.p.Maximize {
		return -c
	}
	return c
}

func (s *Search) decode(u []float64) []float64 {
	x := make([]float64, s.n)
	for i, p := range s.p.Params {
		x[i] = p.Decode(u[i])
	}
	return x
}

func (s *Search) encode(x []float64) []float64 {
	u := make([]float64, s.n)
	for i, p := range s.p.Params {
		u[i] = p.Encode(x[i])
	}
	return u
}

// Run searches until the budget or the restarts are spent, then confirms
// the incumbent on fresh replicates and measures its levers.
func (s *Search) Run(ctx context.Context) (*Result, error) {
	cfg := s.cfg
	var (
		inc        []float64 // the incumbent
		incRecheck = math.Inf(1)
		incSearch  = math.Inf(1)
		bestSearch = math.Inf(1)
		trace      []Improvement
		gens       int
		restart    int
		stopped    = "restarts"
	)
	callsAtStart := s.calls
	searchCalls := func() int { return s.calls - callsAtStart }
	if s.p.StartFirst && s.p.Start != nil {
		x0 := slices.Clone(s.p.Start) // inside the bounds: New refuses a start outside them
		fv, frej, err := s.evaluate(ctx, "f", [][]float64{x0}, 0, cfg.Replicates)
		if err != nil {
			return nil, err
		}
		rv, rrej, err := s.evaluate(ctx, "f", [][]float64{x0}, RecheckOffset, cfg.Recheck)
		if err != nil {
			return nil, err
		}
		if c, rc := s.cost(fv[0], frej[0]), s.cost(rv[0], rrej[0]); !math.IsInf(rc, 1) {
			inc, incRecheck, incSearch, bestSearch = x0, rc, c, c
			trace = append(trace, Improvement{Calls: searchCalls(), Restart: 0, Gen: -1,
				X: slices.Clone(inc), Search: s.sign(incSearch), Recheck: s.sign(incRecheck)})
		}
	}
outer:
	for restart = 0; restart <= cfg.MaxRestarts; restart++ {
		rng := rand.New(rand.NewPCG(cfg.Seed, 0x5ea4c400+uint64(restart)))
		mean0 := make([]float64, s.n)
		for i, p := range s.p.Params {
			switch {
			case restart == 0 && s.p.Start != nil:
				mean0[i] = p.Encode(s.p.Start[i])
			case restart == 0:
				mean0[i] = p.Centre()
			default:
				mean0[i] = p.Encode(p.Sample(rng))
			}
		}
		lambda := cfg.Population << restart
		es := newCMAES(mean0, cfg.Sigma, lambda, rng)
		maxGen := 100 + int(50*float64((s.n+3)*(s.n+3))/math.Sqrt(float64(lambda)))
		flatWindow := 10 + int(math.Ceil(30*float64(s.n)/float64(lambda)))
		var history []float64
		for gen := 0; gen < maxGen; gen++ {
			if searchCalls() >= cfg.Budget {
				stopped = "budget"
				break outer
			}
			ys := es.ask()
			xs := make([][]float64, lambda)
			for k, y := range ys {
				u := make([]float64, s.n)
				for i := range u {
					u[i] = reflect(y[i])
				}
				xs[k] = s.decode(u)
			}
			cost := make([]float64, lambda)
			kept := make([]int, lambda)
			for k := range kept {
				kept[k] = k
			}
			if s.p.Screen != nil && lambda >= 4 {
				sv, srej, err := s.evaluate(ctx, "s", xs, 0, cfg.Replicates)
				if err != nil {
					return nil, err
				}
				sc := make([]float64, lambda)
				for k := range sc {
					sc[k] = s.cost(sv[k], srej[k])
				}
				slices.SortStableFunc(kept, func(a, b int) int { return cmpCost(sc[a], sc[b]) })
				keep := max(2, int(math.Ceil(cfg.ScreenKeep*float64(lambda))))
				worst := math.Inf(-1)
				fullX := make([][]float64, keep)
				for i := range fullX {
					fullX[i] = xs[kept[i]]
				}
				fv, frej, err := s.evaluate(ctx, "f", fullX, 0, cfg.Replicates)
				if err != nil {
					return nil, err
				}
				for i := range fullX {
					cost[kept[i]] = s.cost(fv[i], frej[i])
					worst = math.Max(worst, cost[kept[i]])
				}
				// The screened-out rank below every fully evaluated
				// candidate, in their screening order.
				for i := keep; i < lambda; i++ {
					cost[kept[i]] = worst + 1 + float64(i)
				}
				kept = kept[:keep]
			} else {
				fv, frej, err := s.evaluate(ctx, "f", xs, 0, cfg.Replicates)
				if err != nil {
					return nil, err
				}
				for k := range xs {
					cost[k] = s.cost(fv[k], frej[k])
				}
			}
			es.tell(ys, cost)
			gens++
			gb := kept[0]
			for _, k := range kept {
				if cost[k] < cost[gb] || (cost[k] == cost[gb] && k < gb) {
					gb = k
				}
			}
			if cost[gb] < bestSearch {
				bestSearch = cost[gb]
				rv, rrej, err := s.evaluate(ctx, "f", [][]float64{xs[gb]}, RecheckOffset, cfg.Recheck)
				if err != nil {
					return nil, err
				}
				if rc := s.cost(rv[0], rrej[0]); rc < incRecheck {
					inc, incRecheck, incSearch = xs[gb], rc, cost[gb]
					trace = append(trace, Improvement{Calls: searchCalls(), Restart: restart, Gen: gen,
						X: slices.Clone(inc), Search: s.sign(incSearch), Recheck: s.sign(incRecheck)})
				}
			}
			if cfg.Progress != nil {
				pr := Progress{Calls: searchCalls(), Budget: cfg.Budget, Replayed: s.replayed,
					Restart: restart, Gen: gen, HaveBest: inc != nil, Elapsed: time.Since(s.start)}
				if inc != nil {
					pr.Best = s.sign(incRecheck)
				}
				if s.fresh > 0 {
					per := pr.Elapsed / time.Duration(s.fresh)
					pr.ETA = per * time.Duration(max(0, cfg.Budget-pr.Calls)+cfg.Confirm+2*s.n*cfg.Replicates)
				}
				cfg.Progress(pr)
			}
			if es.spread() < cfg.TolX {
				break
			}
			history = append(history, cost[gb])
			if len(history) >= flatWindow {
				w := history[len(history)-flatWindow:]
				if slices.Max(w)-slices.Min(w) <= 1e-12*(1+math.Abs(w[0])) {
					break
				}
			}
		}
	}
	if restart > cfg.MaxRestarts {
		restart = cfg.MaxRestarts
	}
	if inc == nil {
		msg := "search: every candidate was rejected or the budget allowed none; widen the bounds or loosen the constraints"
		if s.why != "" {
			msg += " (the last was rejected because " + s.why + ")"
		}
		return nil, errors.New(msg)
	}
	// The best may meet a hard constraint on the search seeds by less than
	// the noise and break it on the confirmation seeds. A strategist wants
	// a plan that holds, so the incumbents before it are confirmed in turn,
	// newest first (each beat everything before it), and the first the
	// confirmation seeds accept is the result.
	var cv [][]float64
	passed := 0
	for k := len(trace) - 1; ; k-- {
		v, crej, err := s.evaluate(ctx, "f", [][]float64{inc}, ConfirmOffset, cfg.Confirm)
		if err != nil {
			return nil, err
		}
		if !crej[0] {
			cv = v
			break
		}
		passed++
		if k <= 0 {
			return nil, fmt.Errorf("search: the best candidate and the %d incumbent(s) before it were rejected on the confirmation seeds; the constraint binds within the noise", passed-1)
		}
		inc, incSearch, incRecheck = trace[k-1].X, s.sign(trace[k-1].Search), s.sign(trace[k-1].Recheck) // sign is its own inverse
	}
	levers, err := s.levers(ctx, inc)
	if err != nil {
		return nil, err
	}
	names := make([]string, s.n)
	for i, p := range s.p.Params {
		names[i] = p.Name
	}
	iv := NewInterval(cv[0], cfg.Level)
	return &Result{
		Params: names, X: slices.Clone(inc), Maximize: s.p.Maximize,
		Value: iv.Mean, Interval: iv,
		SearchValue: s.sign(incSearch), RecheckValue: s.sign(incRecheck),
		Calls: s.calls, ScreenCalls: s.screenCalls, Generations: gens, Restarts: restart,
		Stopped: stopped, Levers: levers, Trace: trace, Replayed: s.replayed, Rejected: s.rejected, PassedOver: passed,
	}, nil
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
