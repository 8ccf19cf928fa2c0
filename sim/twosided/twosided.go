// Package twosided is Armstrong's (2006) two-sided Hotelling market as an
// agent-based model: two platforms at the ends of a line, users (side 1) and
// merchants (side 2) spread along it, each agent joining one platform. It
// is the reduced world in which hongbao's empirical-game layer is checked
// against a closed form (docs/record.md §3.2): the game over a grid of prices
// must find the equilibrium p1 = f1 + t1 − α2, p2 = f2 + t2 − α1.
package twosided

import (
	"errors"
	"math"
)

// Market is the primitives of the model. A side-k agent at x joins
// platform A (at 0) or B (at 1), getting α_k·n_l − p_k − t_k·distance from
// a platform where n_l is that platform's share of the other side l; each
// platform pays f_k per side-k agent it serves (Armstrong 2006, §4).
type Market struct {
	Alpha [2]float64 // cross-side benefit to side 1 (users) and side 2 (merchants)
	T     [2]float64 // transport cost per unit distance on each side
	F     [2]float64 // cost per agent served on each side
	N     int        // agents per side, evenly spaced on the line
}

// Prices are one platform's prices to each side.
type Prices [2]float64

// Shares returns platform A's shares of each side when A charges pa and B
// charges pb, found by letting every agent choose its best platform given
// the current shares of the other side, round after round with damping,
// until nothing moves (the fulfilled-expectations allocation). It fails
// if the market does not settle, which Armstrong's stability condition
// 4·t1·t2 > (α1 + α2)² rules out.
func (m Market) Shares(pa, pb Prices) ([2]float64, error) {
	n := [2]float64{0.5, 0.5}
	const damping = 0.5
	for round := 0; round < 10000; round++ {
		var next [2]float64
		for k := 0; k < 2; k++ {
			l := 1 - k
			joined := 0
			for i := 0; i < m.N; i++ {
				x := (float64(i) + 0.5) / float64(m.N)
				ua := m.Alpha[k]*n[l] - pa[k] - m.T[k]*x
				ub := m.Alpha[k]*(1-n[l]) - pb[k] - m.T[k]*(1-x)
				if ua > ub {
					joined++
				}
			}
			next[k] = float64(joined) / float64(m.N)
		}
		moved := math.Abs(next[0]-n[0]) + math.Abs(next[1]-n[1])
		n[0] += damping * (next[0] - n[0])
		n[1] += damping * (next[1] - n[1])
		if moved < 0.5/float64(m.N) {
			return next, nil
		}
	}
	return n, errors.New("twosided: shares did not settle; is 4·t1·t2 > (α1+α2)²?")
}

// Profits returns both platforms' profits Σ_k (p_k − f_k)·n_k at the
// settled shares.
func (m Market) Profits(pa, pb Prices) (a, b float64, err error) {
	s, err := m.Shares(pa, pb)
	if err != nil {
		return 0, 0, err
	}
	for k := 0; k < 2; k++ {
		a += (pa[k] - m.F[k]) * s[k]
		b += (pb[k] - m.F[k]) * (1 - s[k])
	}
	return a, b, nil
}

// Equilibrium is Armstrong's symmetric equilibrium: p_k = f_k + t_k − α_l,
// where l is the other side.
func (m Market) Equilibrium() Prices {
	return Prices{m.F[0] + m.T[0] - m.Alpha[1], m.F[1] + m.T[1] - m.Alpha[0]}
}
