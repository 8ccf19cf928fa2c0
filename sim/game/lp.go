package game

import "math/big"

// simplexMax solves the linear program
//
//	maximise cᵀy  subject to  A y ≤ b,  y ≥ 0,
//
// with b ≥ 0 (so the slack basis is feasible), by the primal simplex method
// in exact rational arithmetic with Bland's smallest-index rule, which cannot
// cycle (Chvátal 1983, Linear Programming, chapter 3). It returns the optimal
// value and true, or false if the problem is unbounded.
func simplexMax(a [][]*big.Rat, b, c []*big.Rat) (*big.Rat, bool) {
	m, n := len(a), len(c)
	// Columns 0..n-1 are y, n..n+m-1 slacks, n+m is the right-hand side.
	w := n + m + 1
	t := make([][]*big.Rat, m+1) // row m is the objective row: −c, value
	for i := 0; i <= m; i++ {
		t[i] = make([]*big.Rat, w)
		for j := range t[i] {
			t[i][j] = new(big.Rat)
		}
	}
	basis := make([]int, m)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			t[i][j].Set(a[i][j])
		}
		t[i][n+i].SetInt64(1)
		t[i][w-1].Set(b[i])
		basis[i] = n + i
	}
	for j := 0; j < n; j++ {
		t[m][j].Neg(c[j])
	}
	ratio, best := new(big.Rat), new(big.Rat)
	for {
		e := -1
		for j := 0; j < w-1; j++ {
			if t[m][j].Sign() < 0 {
				e = j
				break
			}
		}
		if e < 0 {
			return new(big.Rat).Set(t[m][w-1]), true
		}
		r := -1
		for i := 0; i < m; i++ {
			if t[i][e].Sign() <= 0 {
				continue
			}
			ratio.Quo(t[i][w-1], t[i][e])
			if r < 0 || ratio.Cmp(best) < 0 || (ratio.Cmp(best) == 0 && basis[i] < basis[r]) {
				r = i
				best.Set(ratio)
			}
		}
		if r < 0 {
			return nil, false
		}
		pivotRows(t, r, e)
		basis[r] = e
	}
}

// pivotRows performs a Gauss–Jordan pivot on t at row r, column e: row r is
// divided by t[r][e] and column e is cleared in every other row.
func pivotRows(t [][]*big.Rat, r, e int) {
	p := new(big.Rat).Inv(t[r][e])
	for j := range t[r] {
		t[r][j].Mul(t[r][j], p)
	}
	f := new(big.Rat)
	tmp := new(big.Rat)
	for i := range t {
		if i == r || t[i][e].Sign() == 0 {
			continue
		}
		f.Set(t[i][e])
		for j := range t[i] {
			if t[r][j].Sign() != 0 {
				t[i][j].Sub(t[i][j], tmp.Mul(f, t[r][j]))
			}
		}
	}
}
