package game

import (
	"math/big"
)

// EnumPure returns every pure-strategy Nash equilibrium of g, in profile
// index order (first player's strategy varying fastest), as exact profiles
// that put probability one on a strategy.
//
// Method: a pure profile s is an equilibrium when no player i has a strategy
// j with u_i(j, s_{-i}) > u_i(s); every profile is checked against every
// unilateral deviation, in O(N·Σm_i) comparisons for N profiles. Payoffs are
// compared exactly, also for inexact games (whose stored binary values are
// compared without tolerance).
func EnumPure(g *Game) []Profile {
	var out []Profile
	for k := range g.pay {
		s := g.PureProfile(k)
		if g.isPureNash(k, s) {
			out = append(out, g.PureStrategyProfile(s))
		}
	}
	return out
}

func (g *Game) isPureNash(k int, s []int) bool {
	for i := range s {
		base := k - s[i]*g.strides[i]
		u := g.pay[k][i]
		for j := 0; j < g.NumStrategies(i); j++ {
			if g.pay[base+j*g.strides[i]][i].Cmp(u) > 0 {
				return false
			}
		}
	}
	return true
}

// IESDS performs iterated elimination of strictly dominated strategies and
// returns the reduced game together with, for each player, the indices in g
// of the strategies that survive (in their original order).
//
// A strategy s of player i is strictly dominated in the current game if some
// other strategy t earns strictly more against every profile of the other
// players' remaining strategies. With mixed = false only pure dominators t
// are tried. With mixed = true a strategy is also removed when a mixed
// strategy σ of player i dominates it; this is decided exactly for any
// number of players by the linear program
//
//	maximise Σ_o y_o u'_i(s, o)  subject to  Σ_o y_o u'_i(k, o) ≤ 1 for k ≠ s,  y ≥ 0,
//
// over the opponents' remaining pure profiles o, with payoffs u' shifted to
// be positive: s is strictly dominated by a mixed strategy if and only if the
// optimum is below 1 (it is the dual of min Σ_k x_k s.t. Σ_k x_k u'(k,o) ≥
// u'(s,o); see Fudenberg and Tirole 1991, section 2.1, and Gambit's
// "strategic dominance" tools). The LP is solved by an exact rational simplex
// method with Bland's rule. Domination only against pure opponent profiles is
// equivalent to domination against mixed ones.
//
// Strategies are removed one at a time until none is dominated; for strict
// dominance the result does not depend on the order of removal.
func IESDS(g *Game, mixed bool) (*Game, [][]int) {
	keep := make([][]int, g.NumPlayers())
	for i := range keep {
		for s := 0; s < g.NumStrategies(i); s++ {
			keep[i] = append(keep[i], s)
		}
	}
	cur := g
	for {
		i, s := findDominated(cur, mixed)
		if i < 0 {
			return cur, keep
		}
		keep[i] = append(keep[i][:s:s], keep[i][s+1:]...)
		var err error
		if cur, err = g.Restrict(keep); err != nil {
			panic("game: IESDS removed every strategy of a player") // cannot happen: a dominated strategy has a dominator
		}
	}
}

// findDominated returns a player and a strictly dominated strategy of g, or
// (-1, -1).
func findDominated(g *Game, mixed bool) (player, strategy int) {
	for i := 0; i < g.NumPlayers(); i++ {
		m := g.NumStrategies(i)
		if m < 2 {
			continue
		}
		rows := strategyRows(g, i) // rows[j][o]: payoff of j against opponent profile o
		for s := 0; s < m; s++ {
			for t := 0; t < m; t++ {
				if t != s && strictlyAbove(rows[t], rows[s]) {
					return i, s
				}
			}
			if mixed && m > 2 && dominatedByMixed(rows, s) {
				return i, s
			}
		}
	}
	return -1, -1
}

// strategyRows returns player i's payoffs as a matrix indexed by her own
// strategy and by the index of the opponents' profile.
func strategyRows(g *Game, i int) [][]*big.Rat {
	m := g.NumStrategies(i)
	rows := make([][]*big.Rat, m)
	for k, v := range g.pay {
		s := (k / g.strides[i]) % m
		rows[s] = append(rows[s], v[i])
	}
	return rows
}

func strictlyAbove(a, b []*big.Rat) bool {
	for o := range a {
		if a[o].Cmp(b[o]) <= 0 {
			return false
		}
	}
	return true
}

// dominatedByMixed decides by linear programming whether row s is strictly
// dominated by a mixture of the other rows (see IESDS).
func dominatedByMixed(rows [][]*big.Rat, s int) bool {
	// Shift so that every payoff is at least 1.
	minv := new(big.Rat).Set(rows[0][0])
	for _, r := range rows {
		for _, x := range r {
			if x.Cmp(minv) < 0 {
				minv.Set(x)
			}
		}
	}
	shift := new(big.Rat).Sub(big.NewRat(1, 1), minv)
	pos := func(x *big.Rat) *big.Rat { return new(big.Rat).Add(x, shift) }
	var a [][]*big.Rat
	var b []*big.Rat
	for k, r := range rows {
		if k == s {
			continue
		}
		row := make([]*big.Rat, len(r))
		for o, x := range r {
			row[o] = pos(x)
		}
		a = append(a, row)
		b = append(b, big.NewRat(1, 1))
	}
	c := make([]*big.Rat, len(rows[s]))
	for o, x := range rows[s] {
		c[o] = pos(x)
	}
	v, ok := simplexMax(a, b, c)
	return ok && v.Cmp(big.NewRat(1, 1)) < 0
}
