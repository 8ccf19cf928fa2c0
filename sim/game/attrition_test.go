package game

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// attrition is the discrete war of attrition (Maynard Smith 1974; Hendricks,
// Weiss & Wilson 1988) of docs/record.md §3.5: two platforms burn c a period
// while both fight; strategy k quits at period k (k = 0..T); the one who
// stays longer wins the prize V; if both quit together nobody wins. A
// player quitting at a against b pays c·min(a, b) and wins V if a > b.
func attrition(v, c int64, periods int) (a, b [][]*big.Rat) {
	a = make([][]*big.Rat, periods+1)
	b = make([][]*big.Rat, periods+1)
	for i := 0; i <= periods; i++ {
		a[i] = make([]*big.Rat, periods+1)
		b[i] = make([]*big.Rat, periods+1)
		for j := 0; j <= periods; j++ {
			pay := func(mine, theirs int) *big.Rat {
				u := -c * int64(min(mine, theirs))
				if mine > theirs {
					u += v
				}
				return big.NewRat(u, 1)
			}
			a[i][j], b[i][j] = pay(i, j), pay(j, i)
		}
	}
	return a, b
}

// TestWarOfAttritionHazard: the symmetric mixed equilibrium quits at the
// constant hazard h = c/(V + c) per period (docs/record.md §3.5, discrete time).
// Derivation: staying one more period instead of quitting at t gains V with
// the probability h that the rival quits at t and costs c otherwise, so
// indifference is hV = (1 − h)c. With V = 4, c = 1: h = 1/5, so
// p(k) = (1/5)(4/5)^k for k < T and the rest, (4/5)^T, at the last period.
func TestWarOfAttritionHazard(t *testing.T) {
	const T = 4
	a, b := attrition(4, 1, T)
	g, err := Bimatrix(a, b)
	require.NoError(t, err)
	eqs, err := EnumMixed(g)
	require.NoError(t, err)
	want := make([]*big.Rat, T+1)
	rest := big.NewRat(1, 1)
	h, q := big.NewRat(1, 5), big.NewRat(4, 5)
	for k := 0; k < T; k++ {
		want[k] = new(big.Rat).Mul(rest, h)
		rest.Mul(rest, q)
	}
	want[T] = rest
	found := false
	for _, e := range eqs {
		if equalRats(e.Rat[0], want) && equalRats(e.Rat[1], want) {
			found = true
		}
	}
	assert.True(t, found, "the symmetric equilibrium with hazard 1/5 is among the %d extreme equilibria", len(eqs))
	// The asymmetric pure equilibria exist too: one side concedes at once.
	pure := EnumPure(g)
	assert.NotEmpty(t, pure)
}

func equalRats(x, y []*big.Rat) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i].Cmp(y[i]) != 0 {
			return false
		}
	}
	return true
}

// TestWarOfAttritionDissipation: at the equilibrium hazard the expected
// total spend, 2c·E[min(a, b)], tends to V as periods get short against the
// prize (full rent dissipation): with h = c/(V+c) and no truncation,
// 2c·E[min] = 2c(1−h)²/(h(2−h)) = V·2V/(2V + c), within c/2 of V. The
// solver's logit path finds the symmetric equilibrium on a game long enough
// for truncation not to matter (the tail (V/(V+c))^T is below 0.2%).
func TestWarOfAttritionDissipation(t *testing.T) {
	const (
		V, c = 10, 1
		T    = 60 // (10/11)^60 ≈ 0.0033
	)
	a, b := attrition(V, c, T)
	g, err := Bimatrix(a, b)
	require.NoError(t, err)
	res, err := Logit(g, LogitOptions{})
	require.NoError(t, err)
	require.Less(t, res.Regret, 1e-6)
	p := res.Profile.Float
	if p == nil {
		p = floatsOf(res.Profile.Rat)
	}
	h := float64(c) / (V + c)
	surv := 1.0
	for k := 0; k < 20; k++ { // the hazard at each early period
		assert.InDelta(t, h, p[0][k]/surv, 1e-4, "hazard at period %d", k)
		surv -= p[0][k]
	}
	spend := 0.0
	for i := 0; i <= T; i++ {
		for j := 0; j <= T; j++ {
			spend += p[0][i] * p[1][j] * 2 * c * float64(min(i, j))
		}
	}
	assert.InDelta(t, float64(V)*2*V/(2*V+c), spend, 0.05, "expected total spend")
	assert.InDelta(t, float64(V), spend, float64(c)/2+0.05, "rent dissipated: spend ≈ V")
}

func floatsOf(r [][]*big.Rat) [][]float64 {
	out := make([][]float64, len(r))
	for i := range r {
		for _, x := range r[i] {
			f, _ := x.Float64()
			out[i] = append(out[i], f)
		}
	}
	return out
}
