package empirical

import (
	"errors"
	"fmt"
	"math"

	"github.com/paywars/hongbao/sim/game"
)

// Table is an estimated payoff table: every player's payoff in every
// replicate of every pure strategy profile. Profiles are numbered as in
// package game and Gambit, the first player's strategy varying fastest.
type Table struct {
	// Players and Strategies name the players and their strategies.
	Players    []string
	Strategies [][]string
	// Values[k][i][r] is player i's payoff in replicate r of profile k.
	// Every profile has the same number of replicates.
	Values [][][]float64
	// Paired says that replicate r of every profile ran on the same random
	// numbers (common random numbers), so that differences between
	// profiles are estimated replicate by replicate.
	Paired bool
}

// Check reports whether the table's shape is consistent: a strategy list
// per player, one entry per profile, one value per player and at least two
// replicates, all finite.
func (t *Table) Check() error {
	if len(t.Players) < 1 || len(t.Strategies) != len(t.Players) {
		return errors.New("empirical: a table needs players and a strategy list for each")
	}
	n := 1
	for i, s := range t.Strategies {
		if len(s) == 0 {
			return fmt.Errorf("empirical: player %s has no strategies", t.Players[i])
		}
		n *= len(s)
	}
	if len(t.Values) != n {
		return fmt.Errorf("empirical: %d profiles in the table, want %d", len(t.Values), n)
	}
	r := -1
	for k, v := range t.Values {
		if len(v) != len(t.Players) {
			return fmt.Errorf("empirical: profile %d has %d players' values, want %d", k, len(v), len(t.Players))
		}
		for i, xs := range v {
			if r < 0 {
				r = len(xs)
			}
			if len(xs) != r {
				return fmt.Errorf("empirical: profile %d player %d has %d replicates, want %d", k, i, len(xs), r)
			}
			for _, x := range xs {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return fmt.Errorf("empirical: profile %d player %s has a payoff that is not a finite number", k, t.Players[i])
				}
			}
		}
	}
	if r < 2 {
		return errors.New("empirical: a table needs two or more replicates to estimate the noise")
	}
	return nil
}

// Replicates returns the number of replicates of each profile.
func (t *Table) Replicates() int {
	if len(t.Values) == 0 || len(t.Values[0]) == 0 {
		return 0
	}
	return len(t.Values[0][0])
}

// NumProfiles returns the number of pure profiles.
func (t *Table) NumProfiles() int { return len(t.Values) }

// Profile returns the pure profile with index k: one strategy index per
// player, the first player's varying fastest.
func (t *Table) Profile(k int) []int {
	s := make([]int, len(t.Strategies))
	for i, st := range t.Strategies {
		s[i] = k % len(st)
		k /= len(st)
	}
	return s
}

// Index returns the index of the pure profile s, the inverse of Profile.
func (t *Table) Index(s []int) int {
	k := 0
	for i := len(s) - 1; i >= 0; i-- {
		k = k*len(t.Strategies[i]) + s[i]
	}
	return k
}

// Mean returns player i's mean payoff at profile k.
func (t *Table) Mean(k, i int) float64 {
	xs := t.Values[k][i]
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// SE returns the standard error of player i's mean payoff at profile k,
// the sample standard deviation over the replicates divided by √R.
func (t *Table) SE(k, i int) float64 {
	xs := t.Values[k][i]
	return math.Sqrt(variance(xs) / float64(len(xs)))
}

// variance is the sample variance (n − 1 in the denominator).
func variance(xs []float64) float64 {
	n := float64(len(xs))
	if n < 2 {
		return math.NaN()
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= n
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return ss / (n - 1)
}

// MeanGame returns the normal-form game of the mean payoffs, the estimated
// game that the solvers work on.
func (t *Table) MeanGame(title string) (*game.Game, error) {
	payoffs := make([][]float64, len(t.Values))
	for k := range t.Values {
		payoffs[k] = make([]float64, len(t.Players))
		for i := range t.Players {
			payoffs[k][i] = t.Mean(k, i)
		}
	}
	g, err := game.NewFloat(t.Players, t.Strategies, payoffs)
	if err != nil {
		return nil, err
	}
	g.Title = title
	return g, nil
}

// Contrast returns the estimate and standard error of a linear combination
// of player i's mean payoffs, Σ_k c_k·ū_i(k).
//
// With paired replicates (common random numbers) the combination is
// formed replicate by replicate, d_r = Σ_k c_k·u_i(k, r), and its standard
// error is that of the mean of the d_r, sd(d)/√R: the noise that
// profiles share cancels (the paired-difference test). Without pairing the
// profiles' means are independent and
//
//	SE² = Σ_k c_k²·s_k²/R,
//
// s_k² being the sample variance of profile k.
func (t *Table) Contrast(i int, c []float64) (mean, se float64) {
	r := t.Replicates()
	if t.Paired {
		d := make([]float64, r)
		for k, ck := range c {
			if ck == 0 {
				continue
			}
			for rep, x := range t.Values[k][i] {
				d[rep] += ck * x
			}
		}
		for _, x := range d {
			mean += x
		}
		mean /= float64(r)
		return mean, math.Sqrt(variance(d) / float64(r))
	}
	v := 0.0
	for k, ck := range c {
		if ck == 0 {
			continue
		}
		mean += ck * t.Mean(k, i)
		v += ck * ck * variance(t.Values[k][i]) / float64(r)
	}
	return mean, math.Sqrt(v)
}

// Gain returns the estimated gain of player i from deviating to pure
// strategy j while the others play the mixed profile p,
//
//	gain = u_i(j, p_{-i}) − u_i(p),
//
// and its standard error (see Contrast). p holds one distribution per
// player, as game.Profile.Float does.
func (t *Table) Gain(p [][]float64, i, j int) (mean, se float64) {
	return t.Contrast(i, t.gainWeights(p, i, j))
}

// gainWeights returns the coefficients c_k of the gain of deviating to j:
// c_k = [s_i = j]·Π_{l≠i} p_l(s_l) − Π_l p_l(s_l).
func (t *Table) gainWeights(p [][]float64, i, j int) []float64 {
	c := make([]float64, len(t.Values))
	for k := range c {
		s := t.Profile(k)
		others := 1.0
		for l, sl := range s {
			if l != i {
				others *= p[l][sl]
			}
		}
		if others == 0 {
			continue
		}
		if s[i] == j {
			c[k] += others
		}
		c[k] -= others * p[i][s[i]]
	}
	return c
}

// Difference returns the estimated difference of player i's payoffs
// between pure profiles a and b, ū_i(a) − ū_i(b), and its standard error.
func (t *Table) Difference(i, a, b int) (mean, se float64) {
	c := make([]float64, len(t.Values))
	c[a]++
	c[b]--
	return t.Contrast(i, c)
}
