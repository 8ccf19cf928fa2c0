package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// MorrisOptions configures a Morris design.
type MorrisOptions struct {
	// Trajectories is r, the number of trajectories kept; at least 2.
	Trajectories int

	// Levels is p, the even number of grid levels; zero means 4.
	Levels int

	// Candidates, when larger than Trajectories, is the number M of
	// random trajectories from which Trajectories are chosen to spread
	// over the input space (Campolongo et al. 2007). Zero keeps the first
	// Trajectories random ones, as in Morris (1991).
	Candidates int
}

// MorrisLayout describes a Morris design: trajectory t owns the K+1 rows
// from t·(K+1), and Steps[t][s] is the move from row From to row To that
// changes parameter Param by Delta (±Δ) on the unit scale.
type MorrisLayout struct {
	Trajectories int     // r
	Levels       int     // p
	Delta        float64 // Δ = p / (2(p−1))
	Steps        [][]MorrisStep
}

// MorrisStep is one move along a Morris trajectory.
type MorrisStep struct {
	From, To int     // rows of the design
	Param    int     // column that changes
	Delta    float64 // signed unit change, +Δ or −Δ
}

// Morris returns the elementary-effects design of Morris (1991, "Factorial
// sampling plans for preliminary computational experiments", Technometrics
// 33:161). Each parameter's unit line is cut into the p levels
// 0, 1/(p−1), …, 1, and Δ = p/(2(p−1)). A trajectory starts at a random grid
// point x* with every coordinate at most 1−Δ and moves one parameter at a
// time, in a random order, by +Δ or −Δ (a random sign; a parameter moving by
// −Δ starts at x*_i + Δ), so that its k+1 points are the rows of Morris's
//
//	B* = (J x* + (Δ/2)((2B − J) D* + J)) P*,
//
// with B strictly lower triangular ones, D* random signs and P* a random
// permutation. With opt.Candidates = M > r, M trajectories are drawn and r
// kept that greedily maximise the spread of Campolongo, Cariboni and Saltelli
// (2007, "An effective screening design for sensitivity analysis of large
// models", Environ. Model. Softw. 22:1509): starting from the farthest pair,
// add the candidate with the largest Σ d_ml² to those kept, where d_ml is
// the sum of Euclidean distances between all points of trajectories m and l.
// The exhaustive choice of Campolongo et al. costs C(M, r) evaluations; the
// greedy one M² trajectory distances. The design has r·(k+1) rows.
//
// Every parameter needs a finite range: levels, a Step range, or a
// distribution with Min < Max, because the levels 0 and 1 are used. For a
// discrete parameter with n levels choose p = n, so that grid level j maps to
// level j. Analyse the outputs with AnalyzeMorris.
func Morris(params []Param, opt MorrisOptions, rnd *rand.Rand) (Design, error) {
	if err := validateParams(params); err != nil {
		return Design{}, err
	}
	for _, p := range params {
		if !p.bounded() {
			return Design{}, fmt.Errorf("sensitivity: Morris: parameter %q has no finite range (unbounded %s)", p.Name, p.Dist)
		}
		if l := p.LevelList(); l != nil && len(l) < 2 {
			return Design{}, fmt.Errorf("sensitivity: Morris: parameter %q has a single level", p.Name)
		}
	}
	levels := opt.Levels
	if levels == 0 {
		levels = 4
	}
	if levels < 2 || levels%2 != 0 {
		return Design{}, fmt.Errorf("sensitivity: Morris: levels must be even and at least 2, have %d", levels)
	}
	r := opt.Trajectories
	k := len(params)
	if r < 2 || r > maxRuns/(k+1) {
		return Design{}, fmt.Errorf("sensitivity: Morris: bad number of trajectories %d", r)
	}
	if rnd == nil {
		return Design{}, fmt.Errorf("sensitivity: nil random source")
	}
	m := max(opt.Candidates, r)
	if m > maxRuns/(k+1) {
		return Design{}, fmt.Errorf("sensitivity: Morris: bad number of candidates %d", m)
	}

	// Work on integer grid indices 0 … p−1 so that the levels are exact;
	// a jump of Δ is p/2 grid steps.
	jump := levels / 2
	cands := make([]morrisTrajectory, m)
	for c := range cands {
		cands[c] = newMorrisTrajectory(k, levels, jump, rnd)
	}
	keep := cands
	if m > r {
		keep = spreadTrajectories(cands, r, float64(levels-1))
	}

	grid := float64(levels - 1)
	delta := float64(jump) / grid
	unit := mat.NewDense(r*(k+1), k, nil)
	layout := MorrisLayout{Trajectories: r, Levels: levels, Delta: delta, Steps: make([][]MorrisStep, r)}
	for t, tr := range keep {
		base := t * (k + 1)
		for s, pt := range tr.points {
			for j, g := range pt {
				unit.Set(base+s, j, float64(g)/grid)
			}
		}
		layout.Steps[t] = make([]MorrisStep, k)
		for s, j := range tr.order {
			layout.Steps[t][s] = MorrisStep{From: base + s, To: base + s + 1, Param: j, Delta: float64(tr.sign[j]) * delta}
		}
	}
	d := newDesign(MethodMorris, params, unit)
	d.Morris = &layout
	return d, nil
}

// morrisTrajectory is one trajectory on the integer grid.
type morrisTrajectory struct {
	points [][]int // k+1 grid points
	order  []int   // parameter moved at each step
	sign   []int   // ±1 per parameter
}

// newMorrisTrajectory draws a trajectory as documented on Morris.
func newMorrisTrajectory(k, levels, jump int, rnd *rand.Rand) morrisTrajectory {
	tr := morrisTrajectory{order: rnd.Perm(k), sign: make([]int, k)}
	start := make([]int, k)
	for j := range k {
		start[j] = rnd.IntN(levels - jump) // x*_j ≤ 1 − Δ
		tr.sign[j] = 1
		if rnd.IntN(2) == 0 {
			tr.sign[j] = -1
			start[j] += jump
		}
	}
	tr.points = append(tr.points, start)
	for _, j := range tr.order {
		next := slices.Clone(tr.points[len(tr.points)-1])
		next[j] += tr.sign[j] * jump
		tr.points = append(tr.points, next)
	}
	return tr
}

// spreadTrajectories keeps r of the candidates by the greedy spread
// criterion documented on Morris, in candidate order. grid converts grid
// indices to the unit scale.
func spreadTrajectories(cands []morrisTrajectory, r int, grid float64) []morrisTrajectory {
	m := len(cands)
	dist := make([][]float64, m)
	for a := range dist {
		dist[a] = make([]float64, m)
	}
	bestA, bestB := 0, 1
	for a := range m {
		for b := a + 1; b < m; b++ {
			var d float64
			for _, p := range cands[a].points {
				for _, q := range cands[b].points {
					var sq float64
					for j := range p {
						diff := float64(p[j]-q[j]) / grid
						sq += diff * diff
					}
					d += math.Sqrt(sq)
				}
			}
			dist[a][b], dist[b][a] = d, d
			if d > dist[bestA][bestB] {
				bestA, bestB = a, b
			}
		}
	}
	chosen := make([]bool, m)
	chosen[bestA], chosen[bestB] = true, true
	kept := []int{bestA, bestB}
	for len(kept) < r {
		best, bestScore := -1, -1.0
		for c := range m {
			if chosen[c] {
				continue
			}
			var score float64
			for _, s := range kept {
				score += dist[c][s] * dist[c][s]
			}
			if score > bestScore {
				best, bestScore = c, score
			}
		}
		chosen[best] = true
		kept = append(kept, best)
	}
	slices.Sort(kept)
	out := make([]morrisTrajectory, r)
	for i, c := range kept {
		out[i] = cands[c]
	}
	return out
}

// MorrisIndex holds the elementary-effect statistics of one parameter.
type MorrisIndex struct {
	Name string

	// Mu is the mean elementary effect μ (Morris 1991), MuStar the mean
	// absolute effect μ* (Campolongo et al. 2007), Sigma the sample
	// standard deviation σ of the effects (NaN with fewer than two).
	Mu, MuStar, Sigma float64

	// N is the number of elementary effects used.
	N int
}

// MorrisResult is the outcome of AnalyzeMorris.
type MorrisResult struct {
	// Indices has one entry per parameter, in design order.
	Indices []MorrisIndex

	// Dropped is the number of elementary effects dropped for
	// non-finite outputs.
	Dropped int
}

// AnalyzeMorris computes Morris's statistics from the outputs y of a Morris
// design, one per row in row order. The elementary effect of a step that
// moves parameter i by ±Δ on the unit scale is
//
//	EE_i = (y(To) − y(From)) / (±Δ),
//
// the change of the output per unit of the normalised input, so a parameter
// entering linearly as c·x with x uniform on [Min, Max] has EE = c·(Max−Min)
// at every step. Over the r effects of each parameter,
//
//	μ = (1/r) Σ EE,  μ* = (1/r) Σ |EE|,  σ² = (1/(r−1)) Σ (EE − μ)²,
//
// following Morris (1991) for μ and σ and Campolongo et al. (2007) for μ*.
// A large μ* marks an influential parameter, a large σ a nonlinear or
// interacting one. Non-finite outputs follow policy.
func AnalyzeMorris(d Design, y []float64, policy NaNPolicy) (MorrisResult, error) {
	if d.Morris == nil {
		return MorrisResult{}, fmt.Errorf("sensitivity: Morris analysis needs a Morris design, have %v", d.Method)
	}
	if len(y) != d.Len() {
		return MorrisResult{}, fmt.Errorf("sensitivity: %d outputs for %d runs", len(y), d.Len())
	}
	k := len(d.Params)
	effects := make([][]float64, k)
	res := MorrisResult{Indices: make([]MorrisIndex, k)}
	for _, steps := range d.Morris.Steps {
		for _, s := range steps {
			a, b := y[s.From], y[s.To]
			if math.IsNaN(a) || math.IsInf(a, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
				if policy != NaNDrop {
					return MorrisResult{}, fmt.Errorf("sensitivity: non-finite output at run %d or %d", s.From, s.To)
				}
				res.Dropped++
				continue
			}
			effects[s.Param] = append(effects[s.Param], (b-a)/s.Delta)
		}
	}
	for i, ee := range effects {
		ix := MorrisIndex{Name: d.Params[i].Name, N: len(ee), Mu: math.NaN(), MuStar: math.NaN(), Sigma: math.NaN()}
		if len(ee) > 0 {
			var abs float64
			for _, e := range ee {
				abs += math.Abs(e)
			}
			ix.Mu = stat.Mean(ee, nil)
			ix.MuStar = abs / float64(len(ee))
		}
		if len(ee) > 1 {
			ix.Sigma = stat.StdDev(ee, nil)
		}
		res.Indices[i] = ix
	}
	return res, nil
}
