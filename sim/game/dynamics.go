package game

import (
	"errors"
	"math"
)

// Trajectory is the path of a learning dynamic.
type Trajectory struct {
	// Times are the times (continuous dynamics) or iteration numbers of the
	// recorded states.
	Times []float64
	// States are the recorded profiles, States[k][i][j] being the share of
	// strategy j in population i (or player i's empirical frequency) at
	// Times[k].
	States [][][]float64
	// Final is the state at the end of the run.
	Final Profile
	// Average is the time average of the state over the run; for
	// fictitious play it equals Final.
	Average Profile
}

// ReplicatorOptions controls [Replicator]. The zero value runs the
// continuous-time dynamic from the centroid for 10 000 steps of 0.01.
type ReplicatorOptions struct {
	// Start is the initial state, one distribution per player; nil means
	// the centroid. Strategies with zero share stay extinct.
	Start [][]float64
	// Step is the time step dt of the continuous-time integration; 0 means
	// 0.01. It is ignored by the discrete-time map.
	Step float64
	// Steps is the number of steps; 0 means 10 000. Steps × profiles ×
	// players above MaxDynamicsWork is refused with a *CostError.
	Steps int
	// Discrete selects the discrete-time replicator map instead of the
	// differential equation.
	Discrete bool
	// Every records the state every Every steps (and the initial state);
	// 0 records only the initial and final states.
	Every int
}

// ErrBadStart is returned by the dynamics for a starting state that is
// not a probability distribution of the right shape.
var ErrBadStart = errors.New("game: starting state is not a profile of distributions")

// Replicator runs the multi-population replicator dynamic on g, one
// population per player (Taylor and Jonker 1978; Hofbauer and Sigmund 1998,
// chapters 7 and 10). In continuous time the share x_ij of strategy j in
// population i follows
//
//	dx_ij/dt = x_ij (u_i(j, x_{-i}) − u_i(x)),
//
// integrated with the classical fourth-order Runge–Kutta method with time
// step Step, each state clipped at zero and renormalised to remove rounding
// drift. The discrete-time map is
//
//	x'_ij = x_ij (u_i(j, x_{-i}) + c_i) / (u_i(x) + c_i),
//
// with c_i = 1 − min u_i, so that every fitness is at least one (the
// background fitness of Hofbauer and Sigmund 1998, section 16.4). Strictly
// dominated strategies die out under both; in zero-sum games such as
// rock–paper–scissors interior orbits cycle around the equilibrium, whose
// value is then the time average.
func Replicator(g *Game, opt ReplicatorOptions) (Trajectory, error) {
	if opt.Step == 0 {
		opt.Step = 0.01
	}
	if opt.Steps == 0 {
		opt.Steps = 10000
	}
	if err := dynamicsCost(g, "replicator", opt.Steps); err != nil {
		return Trajectory{}, err
	}
	x, err := startState(g, opt.Start)
	if err != nil {
		return Trajectory{}, err
	}
	shift := make([]float64, g.NumPlayers())
	for i := range shift {
		minv := math.Inf(1)
		for _, v := range g.fpay {
			minv = math.Min(minv, v[i])
		}
		shift[i] = 1 - minv
	}
	velocity := func(x [][]float64) [][]float64 {
		p := Profile{Float: x}
		d := make([][]float64, len(x))
		for i := range x {
			v := g.StrategyValues(p, i)
			mean := 0.0
			for j := range v {
				mean += x[i][j] * v[j]
			}
			d[i] = make([]float64, len(v))
			for j := range v {
				d[i][j] = x[i][j] * (v[j] - mean)
			}
		}
		return d
	}
	axpy := func(x, d [][]float64, h float64) [][]float64 {
		y := make([][]float64, len(x))
		for i := range x {
			y[i] = make([]float64, len(x[i]))
			for j := range x[i] {
				y[i][j] = x[i][j] + h*d[i][j]
			}
		}
		return y
	}
	var tr Trajectory
	avg := zeroLike(x)
	record := func(t float64, x [][]float64) {
		tr.Times = append(tr.Times, t)
		tr.States = append(tr.States, cloneState(x))
	}
	record(0, x)
	h := opt.Step
	for step := 1; step <= opt.Steps; step++ {
		addTo(avg, x, 1/float64(opt.Steps))
		if opt.Discrete {
			p := Profile{Float: x}
			y := make([][]float64, len(x))
			for i := range x {
				v := g.StrategyValues(p, i)
				mean := 0.0
				for j := range v {
					mean += x[i][j] * (v[j] + shift[i])
				}
				y[i] = make([]float64, len(v))
				for j := range v {
					y[i][j] = x[i][j] * (v[j] + shift[i]) / mean
				}
			}
			x = y
		} else {
			k1 := velocity(x)
			k2 := velocity(axpy(x, k1, h/2))
			k3 := velocity(axpy(x, k2, h/2))
			k4 := velocity(axpy(x, k3, h))
			for i := range x {
				for j := range x[i] {
					x[i][j] += h / 6 * (k1[i][j] + 2*k2[i][j] + 2*k3[i][j] + k4[i][j])
				}
			}
		}
		renormalize(x)
		t := float64(step)
		if !opt.Discrete {
			t *= h
		}
		if step == opt.Steps || (opt.Every > 0 && step%opt.Every == 0) {
			record(t, x)
		}
	}
	tr.Final = FloatProfile(x)
	tr.Average = FloatProfile(avg)
	return tr, nil
}

// FictitiousOptions controls [FictitiousPlay]. The zero value runs 10 000
// rounds from the profile in which everyone plays the first strategy.
type FictitiousOptions struct {
	// Start is the pure profile played in round 1; nil means all zeros.
	Start []int
	// Steps is the number of rounds; 0 means 10 000.
	Steps int
	// Every records the empirical frequencies every Every rounds (and after
	// round 1); 0 records only the first and last.
	Every int
}

// FictitiousPlay runs simultaneous discrete-time fictitious play on g
// (Brown 1951; Fudenberg and Levine 1998, The Theory of Learning in Games,
// chapter 2): in round 1 the players play Start; in every later round each
// player plays a pure best response to the empirical frequencies of the
// others' past play, ties going to the lowest-numbered strategy. It returns
// the empirical frequencies, which converge to a Nash equilibrium in
// two-player zero-sum games (Robinson 1951), 2×n games and potential games,
// but may cycle in others (Shapley 1964).
func FictitiousPlay(g *Game, opt FictitiousOptions) (Trajectory, error) {
	if opt.Steps == 0 {
		opt.Steps = 10000
	}
	if err := dynamicsCost(g, "fictitious", opt.Steps); err != nil {
		return Trajectory{}, err
	}
	n := g.NumPlayers()
	s := make([]int, n)
	if opt.Start != nil {
		if len(opt.Start) != n {
			return Trajectory{}, ErrBadStart
		}
		for i, si := range opt.Start {
			if si < 0 || si >= g.NumStrategies(i) {
				return Trajectory{}, ErrBadStart
			}
		}
		copy(s, opt.Start)
	}
	counts := make([][]float64, n)
	for i := range counts {
		counts[i] = make([]float64, g.NumStrategies(i))
	}
	freq := func(t int) [][]float64 {
		f := cloneState(counts)
		for i := range f {
			for j := range f[i] {
				f[i][j] /= float64(t)
			}
		}
		return f
	}
	var tr Trajectory
	for t := 1; t <= opt.Steps; t++ {
		if t > 1 {
			p := Profile{Float: freq(t - 1)}
			for i := range s {
				v := g.StrategyValues(p, i)
				best := 0
				for j := range v {
					if v[j] > v[best] {
						best = j
					}
				}
				s[i] = best
			}
		}
		for i, si := range s {
			counts[i][si]++
		}
		if t == 1 || t == opt.Steps || (opt.Every > 0 && t%opt.Every == 0) {
			tr.Times = append(tr.Times, float64(t))
			tr.States = append(tr.States, freq(t))
		}
	}
	tr.Final = FloatProfile(freq(opt.Steps))
	tr.Average = tr.Final
	return tr, nil
}

func startState(g *Game, start [][]float64) ([][]float64, error) {
	if start == nil {
		return g.Centroid().Float, nil
	}
	if len(start) != g.NumPlayers() {
		return nil, ErrBadStart
	}
	const tol = 1e-9 // allowed error in the sum of a starting distribution
	for i, v := range start {
		if len(v) != g.NumStrategies(i) {
			return nil, ErrBadStart
		}
		sum := 0.0
		for _, x := range v {
			if x < 0 || math.IsNaN(x) {
				return nil, ErrBadStart
			}
			sum += x
		}
		if math.Abs(sum-1) > tol {
			return nil, ErrBadStart
		}
	}
	return cloneState(start), nil
}

func cloneState(x [][]float64) [][]float64 {
	y := make([][]float64, len(x))
	for i := range x {
		y[i] = append([]float64(nil), x[i]...)
	}
	return y
}

func zeroLike(x [][]float64) [][]float64 {
	y := make([][]float64, len(x))
	for i := range x {
		y[i] = make([]float64, len(x[i]))
	}
	return y
}

func addTo(dst, x [][]float64, w float64) {
	for i := range x {
		for j := range x[i] {
			dst[i][j] += w * x[i][j]
		}
	}
}

func renormalize(x [][]float64) {
	for i := range x {
		sum := 0.0
		for j := range x[i] {
			x[i][j] = math.Max(x[i][j], 0)
			sum += x[i][j]
		}
		for j := range x[i] {
			x[i][j] /= sum
		}
	}
}
