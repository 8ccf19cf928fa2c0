package game

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// MaxProfiles is the largest number of pure strategy profiles a [Game] may
// have. It bounds memory (each profile holds one payoff per player) and keeps
// a hostile .nfg header such as { 100000 100000 } from allocating gigabytes.
const MaxProfiles = 1 << 22

// Game is a finite game in normal (strategic) form: players, a list of
// strategies for each player, and each player's payoff at every pure
// strategy profile.
//
// Payoffs are held exactly as rationals; [Game.Payoff] gives the float64
// view. A game built with [NewFloat] (or converted from floats in any way) is
// flagged inexact by [Game.Exact]: its rationals are the exact binary values
// of the floats, and solvers report floating-point answers for it.
//
// Pure profiles are numbered as in Gambit's .nfg files: the strategy of the
// first player varies fastest, then the second player's, and so on. For a
// profile s = (s_0, …, s_{n-1}) of 0-based strategy indices
//
//	index(s) = s_0 + m_0·(s_1 + m_1·(s_2 + …))
//
// where m_i is the number of strategies of player i; see [Game.ProfileIndex].
//
// A Game is immutable after construction except for Title and Comment, and
// is safe for concurrent use by solvers.
type Game struct {
	// Title is the game's title, the string after "NFG 1 R" in a .nfg file.
	Title string
	// Comment is the optional comment string of a .nfg file.
	Comment string

	players    []string
	strategies [][]string
	strides    []int
	pay        [][]*big.Rat // pay[profile][player]
	fpay       [][]float64  // float64 view of pay
	exact      bool
	outcomes   []Outcome // optional outcome structure, kept for .nfg round trips
	outcomeOf  []int     // outcome number per profile, 0 = null outcome
	size       int       // number of pure profiles
}

// Outcome is a named payoff vector, one payoff per player, as in the outcome
// version of the .nfg format. Outcome number k in a .nfg file (1-based) is
// element k-1 of a game's outcome list; number 0 is the null outcome whose
// payoffs are all zero.
type Outcome struct {
	Name    string     // label, may be empty
	Payoffs []*big.Rat // one per player, in player order
}

// ErrShape is returned (wrapped) by the constructors when the numbers of
// players, strategies and payoffs do not fit together.
var ErrShape = errors.New("game: inconsistent shape")

// newShell checks the dimensions and builds a game without payoffs.
func newShell(players []string, strategies [][]string) (*Game, error) {
	n := len(players)
	if n == 0 {
		return nil, fmt.Errorf("%w: no players", ErrShape)
	}
	if len(strategies) != n {
		return nil, fmt.Errorf("%w: %d players but %d strategy lists", ErrShape, n, len(strategies))
	}
	g := &Game{
		players:    append([]string(nil), players...),
		strategies: make([][]string, n),
		strides:    make([]int, n),
	}
	size := 1
	for i, s := range strategies {
		if len(s) == 0 {
			return nil, fmt.Errorf("%w: player %d has no strategies", ErrShape, i+1)
		}
		g.strategies[i] = append([]string(nil), s...)
		g.strides[i] = size
		if size > MaxProfiles/len(s) {
			return nil, fmt.Errorf("%w: more than %d pure profiles", ErrShape, MaxProfiles)
		}
		size *= len(s)
	}
	g.size = size
	return g, nil
}

// NewRat returns the game with the given player names, strategy names and
// exact payoffs; payoffs[k][i] is player i's payoff at the pure profile with
// index k (see [Game.ProfileIndex]). The payoffs are copied. It returns an
// error wrapping [ErrShape] when the lengths do not fit or a payoff is nil.
func NewRat(players []string, strategies [][]string, payoffs [][]*big.Rat) (*Game, error) {
	g, err := newShell(players, strategies)
	if err != nil {
		return nil, err
	}
	if len(payoffs) != g.NumProfiles() {
		return nil, fmt.Errorf("%w: %d profiles but %d payoff vectors", ErrShape, g.NumProfiles(), len(payoffs))
	}
	g.pay = make([][]*big.Rat, len(payoffs))
	for k, v := range payoffs {
		if len(v) != len(players) {
			return nil, fmt.Errorf("%w: profile %d has %d payoffs, want %d", ErrShape, k, len(v), len(players))
		}
		g.pay[k] = make([]*big.Rat, len(v))
		for i, x := range v {
			if x == nil {
				return nil, fmt.Errorf("%w: nil payoff at profile %d player %d", ErrShape, k, i+1)
			}
			g.pay[k][i] = new(big.Rat).Set(x)
		}
	}
	g.exact = true
	g.fillFloats()
	return g, nil
}

// NewFloat returns the game with the given player names, strategy names and
// float64 payoffs, laid out as for [NewRat]. The game is flagged inexact
// ([Game.Exact] is false). It returns an error for a shape mismatch or a
// payoff that is NaN or infinite.
func NewFloat(players []string, strategies [][]string, payoffs [][]float64) (*Game, error) {
	r := make([][]*big.Rat, len(payoffs))
	for k, v := range payoffs {
		r[k] = make([]*big.Rat, len(v))
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("game: payoff %v at profile %d player %d is not finite", x, k, i+1)
			}
			r[k][i] = new(big.Rat).SetFloat64(x)
		}
	}
	g, err := NewRat(players, strategies, r)
	if err != nil {
		return nil, err
	}
	g.exact = false
	for k, v := range payoffs {
		copy(g.fpay[k], v)
	}
	return g, nil
}

// NewOutcomeGame returns the exact game whose pure profile k yields outcome
// number profileOutcomes[k]: 0 is the null outcome (all payoffs zero) and
// j ≥ 1 is outcomes[j-1]. It keeps the outcome structure, so [WriteNFG]
// writes the game back in the outcome version of the .nfg format.
func NewOutcomeGame(players []string, strategies [][]string, outcomes []Outcome, profileOutcomes []int) (*Game, error) {
	g, err := newShell(players, strategies)
	if err != nil {
		return nil, err
	}
	if len(profileOutcomes) != g.NumProfiles() {
		return nil, fmt.Errorf("%w: %d profiles but %d outcome indices", ErrShape, g.NumProfiles(), len(profileOutcomes))
	}
	n := len(players)
	zero := make([]*big.Rat, n)
	for i := range zero {
		zero[i] = new(big.Rat)
	}
	g.outcomes = make([]Outcome, len(outcomes))
	for j, o := range outcomes {
		if len(o.Payoffs) != n {
			return nil, fmt.Errorf("%w: outcome %d has %d payoffs, want %d", ErrShape, j+1, len(o.Payoffs), n)
		}
		c := Outcome{Name: o.Name, Payoffs: make([]*big.Rat, n)}
		for i, x := range o.Payoffs {
			if x == nil {
				return nil, fmt.Errorf("%w: nil payoff in outcome %d", ErrShape, j+1)
			}
			c.Payoffs[i] = new(big.Rat).Set(x)
		}
		g.outcomes[j] = c
	}
	g.outcomeOf = append([]int(nil), profileOutcomes...)
	g.pay = make([][]*big.Rat, len(profileOutcomes))
	for k, o := range profileOutcomes {
		if o < 0 || o > len(outcomes) {
			return nil, fmt.Errorf("%w: profile %d has outcome %d, want 0..%d", ErrShape, k, o, len(outcomes))
		}
		src := zero
		if o > 0 {
			src = g.outcomes[o-1].Payoffs
		}
		g.pay[k] = make([]*big.Rat, n)
		for i := range src {
			g.pay[k][i] = new(big.Rat).Set(src[i])
		}
	}
	g.exact = true
	g.fillFloats()
	return g, nil
}

// Bimatrix returns the exact two-player game with payoff matrices a (row
// player, "Player 1") and b (column player, "Player 2"), both m×n; a[r][c]
// is the row player's payoff when she plays r and the column player plays c.
// Strategies are named "1", "2", … as in Gambit.
func Bimatrix(a, b [][]*big.Rat) (*Game, error) {
	m, n, err := bimatrixShape(len(a), len(b), func(i int) (int, int) { return len(a[i]), len(b[i]) })
	if err != nil {
		return nil, err
	}
	pay := make([][]*big.Rat, m*n)
	for c := 0; c < n; c++ {
		for r := 0; r < m; r++ {
			pay[r+m*c] = []*big.Rat{a[r][c], b[r][c]}
		}
	}
	return NewRat([]string{"Player 1", "Player 2"}, [][]string{numberedNames(m), numberedNames(n)}, pay)
}

// BimatrixFloat is [Bimatrix] for float64 matrices; the game is inexact.
func BimatrixFloat(a, b [][]float64) (*Game, error) {
	m, n, err := bimatrixShape(len(a), len(b), func(i int) (int, int) { return len(a[i]), len(b[i]) })
	if err != nil {
		return nil, err
	}
	pay := make([][]float64, m*n)
	for c := 0; c < n; c++ {
		for r := 0; r < m; r++ {
			pay[r+m*c] = []float64{a[r][c], b[r][c]}
		}
	}
	return NewFloat([]string{"Player 1", "Player 2"}, [][]string{numberedNames(m), numberedNames(n)}, pay)
}

func bimatrixShape(ma, mb int, row func(int) (int, int)) (m, n int, err error) {
	if ma == 0 || ma != mb {
		return 0, 0, fmt.Errorf("%w: bimatrix with %d and %d rows", ErrShape, ma, mb)
	}
	n, _ = row(0)
	for i := 0; i < ma; i++ {
		na, nb := row(i)
		if na != n || nb != n || n == 0 {
			return 0, 0, fmt.Errorf("%w: bimatrix row %d has %d and %d columns, want %d", ErrShape, i, na, nb, n)
		}
	}
	return ma, n, nil
}

// numberedNames returns "1", "2", …, "n", Gambit's default strategy names.
func numberedNames(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = strconv.Itoa(i + 1)
	}
	return s
}

func (g *Game) fillFloats() {
	g.fpay = make([][]float64, len(g.pay))
	for k, v := range g.pay {
		g.fpay[k] = make([]float64, len(v))
		for i, x := range v {
			g.fpay[k][i], _ = x.Float64()
		}
	}
}

// Exact reports whether the payoffs are exact rationals (true) or came from
// float64 values (false).
func (g *Game) Exact() bool { return g.exact }

// NumPlayers returns the number of players.
func (g *Game) NumPlayers() int { return len(g.players) }

// Player returns the name of player i (0-based).
func (g *Game) Player(i int) string { return g.players[i] }

// NumStrategies returns the number of strategies of player i.
func (g *Game) NumStrategies(i int) int { return len(g.strategies[i]) }

// Strategy returns the name of strategy s of player i.
func (g *Game) Strategy(i, s int) string { return g.strategies[i][s] }

// NumProfiles returns the number of pure strategy profiles, the product of
// the players' numbers of strategies.
func (g *Game) NumProfiles() int { return g.size }

// ProfileIndex returns the index of the pure profile s (one 0-based strategy
// per player) in Gambit's order, where the first player's strategy varies
// fastest. It panics if s has the wrong length or an index out of range.
func (g *Game) ProfileIndex(s []int) int {
	if len(s) != len(g.players) {
		panic(fmt.Sprintf("game: profile of length %d for %d players", len(s), len(g.players)))
	}
	k := 0
	for i, si := range s {
		if si < 0 || si >= len(g.strategies[i]) {
			panic(fmt.Sprintf("game: strategy %d of player %d out of range", si, i))
		}
		k += si * g.strides[i]
	}
	return k
}

// PureProfile returns the pure profile with index k, the inverse of
// [Game.ProfileIndex].
func (g *Game) PureProfile(k int) []int {
	s := make([]int, len(g.players))
	for i := range s {
		m := len(g.strategies[i])
		s[i] = k % m
		k /= m
	}
	return s
}

// Payoff returns player i's payoff at pure profile s as a float64.
func (g *Game) Payoff(s []int, i int) float64 { return g.fpay[g.ProfileIndex(s)][i] }

// PayoffRat returns player i's exact payoff at pure profile s; the result is
// a fresh copy.
func (g *Game) PayoffRat(s []int, i int) *big.Rat {
	return new(big.Rat).Set(g.pay[g.ProfileIndex(s)][i])
}

// Outcomes returns the game's outcome structure: the outcome list and the
// outcome number of every pure profile (0 for the null outcome). Both are
// nil when the game was built from payoffs rather than outcomes. The slices
// must not be modified.
func (g *Game) Outcomes() ([]Outcome, []int) { return g.outcomes, g.outcomeOf }

// Restrict returns the subgame in which player i keeps only the strategies
// keep[i] (0-based indices into the game's strategies, in the order given).
// Names and exactness are kept; the outcome structure is dropped. It returns
// an error if a list is empty or an index is out of range.
func (g *Game) Restrict(keep [][]int) (*Game, error) {
	if len(keep) != len(g.players) {
		return nil, fmt.Errorf("%w: %d strategy lists for %d players", ErrShape, len(keep), len(g.players))
	}
	names := make([][]string, len(keep))
	for i, ks := range keep {
		for _, s := range ks {
			if s < 0 || s >= len(g.strategies[i]) {
				return nil, fmt.Errorf("%w: strategy %d of player %d out of range", ErrShape, s, i+1)
			}
			names[i] = append(names[i], g.strategies[i][s])
		}
	}
	sub, err := newShell(g.players, names)
	if err != nil {
		return nil, err
	}
	size := 1
	for _, ks := range keep {
		size *= len(ks)
	}
	sub.pay = make([][]*big.Rat, size)
	sub.fpay = make([][]float64, size)
	orig := make([]int, len(keep))
	for k := 0; k < size; k++ {
		s := sub.PureProfile(k)
		for i := range s {
			orig[i] = keep[i][s[i]]
		}
		ok := g.ProfileIndex(orig)
		sub.pay[k] = g.pay[ok] // payoffs are never mutated, so sharing is safe
		sub.fpay[k] = g.fpay[ok]
	}
	sub.exact = g.exact
	sub.Title, sub.Comment = g.Title, g.Comment
	return sub, nil
}

// Equal reports whether g and h have the same players, strategies, payoffs
// (compared exactly) and exactness. Titles, comments and outcome structure
// are not compared.
func (g *Game) Equal(h *Game) bool {
	if g.exact != h.exact || len(g.players) != len(h.players) || len(g.pay) != len(h.pay) {
		return false
	}
	for i := range g.players {
		if g.players[i] != h.players[i] || len(g.strategies[i]) != len(h.strategies[i]) {
			return false
		}
		for s := range g.strategies[i] {
			if g.strategies[i][s] != h.strategies[i][s] {
				return false
			}
		}
	}
	for k := range g.pay {
		for i := range g.pay[k] {
			if g.pay[k][i].Cmp(h.pay[k][i]) != 0 {
				return false
			}
		}
	}
	return true
}
