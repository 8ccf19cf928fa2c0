package game

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Profile is a mixed strategy profile: for each player a probability
// distribution over that player's strategies, in file order.
//
// Float always holds the probabilities as float64. Rat holds them exactly
// when the profile is exact (the output of an exact solver on an exact
// game) and is nil otherwise; see [Profile.Exact].
type Profile struct {
	Rat   [][]*big.Rat // exact probabilities, or nil
	Float [][]float64  // probabilities as float64, always set
}

// Exact reports whether the profile carries exact rational probabilities.
func (p Profile) Exact() bool { return p.Rat != nil }

// RatProfile returns the exact profile with the given probabilities (copied).
// It does not check that they form distributions.
func RatProfile(x [][]*big.Rat) Profile {
	p := Profile{Rat: make([][]*big.Rat, len(x)), Float: make([][]float64, len(x))}
	for i, v := range x {
		p.Rat[i] = make([]*big.Rat, len(v))
		p.Float[i] = make([]float64, len(v))
		for j, r := range v {
			p.Rat[i][j] = new(big.Rat).Set(r)
			p.Float[i][j], _ = r.Float64()
		}
	}
	return p
}

// FloatProfile returns the approximate profile with the given probabilities
// (copied).
func FloatProfile(x [][]float64) Profile {
	p := Profile{Float: make([][]float64, len(x))}
	for i, v := range x {
		p.Float[i] = append([]float64(nil), v...)
	}
	return p
}

// PureStrategyProfile returns the exact mixed profile that plays the pure
// profile s with probability one.
func (g *Game) PureStrategyProfile(s []int) Profile {
	x := make([][]*big.Rat, g.NumPlayers())
	for i := range x {
		x[i] = make([]*big.Rat, g.NumStrategies(i))
		for j := range x[i] {
			x[i][j] = new(big.Rat)
		}
		x[i][s[i]].SetInt64(1)
	}
	return RatProfile(x)
}

// Centroid returns the exact profile in which every player mixes uniformly.
func (g *Game) Centroid() Profile {
	x := make([][]*big.Rat, g.NumPlayers())
	for i := range x {
		m := int64(g.NumStrategies(i))
		x[i] = make([]*big.Rat, m)
		for j := range x[i] {
			x[i][j] = big.NewRat(1, m)
		}
	}
	return RatProfile(x)
}

// checkShape panics if p does not fit g: a programmer error.
func (g *Game) checkShape(p Profile) {
	if len(p.Float) != g.NumPlayers() {
		panic(fmt.Sprintf("game: profile for %d players, game has %d", len(p.Float), g.NumPlayers()))
	}
	for i, v := range p.Float {
		if len(v) != g.NumStrategies(i) {
			panic(fmt.Sprintf("game: profile has %d probabilities for player %d, game has %d strategies", len(v), i+1, g.NumStrategies(i)))
		}
	}
}

// StrategyValues returns, for each strategy j of player i, the expected
// payoff u_i(j, p_{-i}) of playing j while the others play p:
//
//	u_i(j, p_{-i}) = Σ_{s: s_i = j} Π_{k≠i} p_k(s_k) · u_i(s)
//
// It panics if p does not fit the game.
func (g *Game) StrategyValues(p Profile, i int) []float64 {
	g.checkShape(p)
	v := make([]float64, g.NumStrategies(i))
	s := make([]int, g.NumPlayers())
	for k := range g.fpay {
		w := 1.0
		for q := range s {
			if q != i {
				w *= p.Float[q][s[q]]
			}
		}
		if w != 0 {
			v[s[i]] += w * g.fpay[k][i]
		}
		nextProfile(g, s)
	}
	return v
}

// StrategyValuesRat is the exact form of [Game.StrategyValues]; it panics if
// p is not exact.
func (g *Game) StrategyValuesRat(p Profile, i int) []*big.Rat {
	g.checkShape(p)
	if !p.Exact() {
		panic("game: StrategyValuesRat of an inexact profile")
	}
	v := make([]*big.Rat, g.NumStrategies(i))
	for j := range v {
		v[j] = new(big.Rat)
	}
	s := make([]int, g.NumPlayers())
	w, t := new(big.Rat), new(big.Rat)
	for k := range g.pay {
		w.SetInt64(1)
		for q := range s {
			if q != i {
				w.Mul(w, p.Rat[q][s[q]])
			}
		}
		if w.Sign() != 0 {
			v[s[i]].Add(v[s[i]], t.Mul(w, g.pay[k][i]))
		}
		nextProfile(g, s)
	}
	return v
}

// nextProfile advances s to the next pure profile in Gambit order.
func nextProfile(g *Game, s []int) {
	for i := range s {
		s[i]++
		if s[i] < g.NumStrategies(i) {
			return
		}
		s[i] = 0
	}
}

// Utility returns player i's expected payoff under the mixed profile p,
// Σ_j p_i(j) u_i(j, p_{-i}).
func (g *Game) Utility(p Profile, i int) float64 {
	v := g.StrategyValues(p, i)
	u := 0.0
	for j, x := range v {
		u += p.Float[i][j] * x
	}
	return u
}

// UtilityRat is the exact form of [Game.Utility]; it panics if p is not
// exact.
func (g *Game) UtilityRat(p Profile, i int) *big.Rat {
	v := g.StrategyValuesRat(p, i)
	u, t := new(big.Rat), new(big.Rat)
	for j, x := range v {
		u.Add(u, t.Mul(p.Rat[i][j], x))
	}
	return u
}

// Regret returns the largest gain any player can get by a unilateral
// deviation from p:
//
//	regret(p) = max_i ( max_j u_i(j, p_{-i}) − u_i(p) ),
//
// which is zero exactly at Nash equilibria (for exact arithmetic) and is
// at least zero for any distribution p. It is computed in float64.
func (g *Game) Regret(p Profile) float64 {
	r := 0.0
	for i := 0; i < g.NumPlayers(); i++ {
		v := g.StrategyValues(p, i)
		u, best := 0.0, math.Inf(-1)
		for j, x := range v {
			u += p.Float[i][j] * x
			best = math.Max(best, x)
		}
		r = math.Max(r, best-u)
	}
	return r
}

// RegretRat is the exact form of [Game.Regret]; it panics if p is not exact.
func (g *Game) RegretRat(p Profile) *big.Rat {
	r := new(big.Rat)
	for i := 0; i < g.NumPlayers(); i++ {
		v := g.StrategyValuesRat(p, i)
		u, t := new(big.Rat), new(big.Rat)
		best := v[0]
		for j, x := range v {
			u.Add(u, t.Mul(p.Rat[i][j], x))
			if x.Cmp(best) > 0 {
				best = x
			}
		}
		if d := new(big.Rat).Sub(best, u); d.Cmp(r) > 0 {
			r = d
		}
	}
	return r
}

// IsEpsilonNash reports whether p is an ε-Nash equilibrium: a probability
// distribution for every player (within eps for inexact profiles) whose
// [Game.Regret] is at most eps. When both the game and p are exact the test
// is exact; eps = 0 then asks for an exact Nash equilibrium.
func (g *Game) IsEpsilonNash(p Profile, eps float64) bool {
	g.checkShape(p)
	if g.exact && p.Exact() {
		one := big.NewRat(1, 1)
		for _, v := range p.Rat {
			sum := new(big.Rat)
			for _, x := range v {
				if x.Sign() < 0 {
					return false
				}
				sum.Add(sum, x)
			}
			if sum.Cmp(one) != 0 {
				return false
			}
		}
		e := new(big.Rat)
		if e.SetFloat64(eps) == nil {
			return false
		}
		return g.RegretRat(p).Cmp(e) <= 0
	}
	for _, v := range p.Float {
		sum := 0.0
		for _, x := range v {
			if x < -eps || math.IsNaN(x) {
				return false
			}
			sum += x
		}
		if math.Abs(sum-1) > eps {
			return false
		}
	}
	return g.Regret(p) <= eps
}

// DefaultDecimals is the number of digits after the decimal point that
// [FormatNE] prints for inexact profiles, as Gambit's tools do by default.
const DefaultDecimals = 6

// FormatNE returns p as Gambit's command-line tools print an equilibrium:
// "NE," followed by every probability of every player in file order,
// separated by commas. Exact probabilities print as reduced rationals a/b,
// integers without a denominator ("NE,1/2,1/2,1/3,2/3", "NE,1,0,0,1");
// inexact ones print with [DefaultDecimals] digits.
func FormatNE(p Profile) string {
	if p.Exact() {
		return FormatProfile("NE", p, -1)
	}
	return FormatProfile("NE", p, DefaultDecimals)
}

// FormatProfile returns tag followed by the probabilities of p, comma
// separated, as [FormatNE] does. With decimals < 0 exact probabilities print
// as rationals (inexact ones with [DefaultDecimals] digits); with
// decimals ≥ 0 every probability prints in fixed point with that many digits
// after the point, as Gambit's -d option does.
func FormatProfile(tag string, p Profile, decimals int) string {
	var b strings.Builder
	b.WriteString(tag)
	for i, v := range p.Float {
		for j, x := range v {
			b.WriteByte(',')
			switch {
			case p.Exact() && decimals < 0:
				b.WriteString(p.Rat[i][j].RatString())
			case p.Exact():
				b.WriteString(p.Rat[i][j].FloatString(decimals))
			default:
				d := decimals
				if d < 0 {
					d = DefaultDecimals
				}
				if x == 0 || math.Abs(x) < 0.5*math.Pow10(-d) {
					x = 0 // no "-0.000000"
				}
				b.WriteString(strconv.FormatFloat(x, 'f', d, 64))
			}
		}
	}
	return b.String()
}
