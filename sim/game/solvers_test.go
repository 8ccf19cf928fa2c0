package game

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Classic bimatrix games. Rows are player 1's strategies, columns player 2's.
var (
	// Prisoner's dilemma, strategies (C, D), payoffs R=3, S=0, T=5, P=1.
	// D strictly dominates C for both (5>3 and 1>0), so (D,D) is the unique
	// equilibrium, pure.
	pdA, pdB = "3 0; 5 1", "3 5; 0 1"
	// Matching pennies: player 1 wins on a match. No pure equilibrium; in a
	// mixed one each player makes the other indifferent: 1·q − 1·(1−q) =
	// −q + (1−q) gives q = 1/2, and likewise p = 1/2.
	mpA, mpB = "1 -1; -1 1", "-1 1; 1 -1"
	// Battle of the sexes: (1,1) pays (2,1), (2,2) pays (1,2), mismatches 0.
	// Pure: (1,1) and (2,2). Mixed: player 2 mixes (q, 1−q) to make player
	// 1 indifferent, 2q = 1−q, q = 1/3; player 1 mixes (p, 1−p) with
	// p = 2(1−p), p = 2/3. So ((2/3,1/3),(1/3,2/3)).
	bosA, bosB = "2 0; 0 1", "1 0; 0 2"
	// Rock–paper–scissors, zero-sum, win 1, lose −1. Against a uniform
	// opponent every strategy earns 0, and any other mix is exploited, so
	// the unique equilibrium is uniform for both.
	rpsA, rpsB = "0 -1 1; 1 0 -1; -1 1 0", "0 1 -1; -1 0 1; 1 -1 0"
	// von Stengel (2002), Figure 3.2 / equation (3.3): a nondegenerate 3×2
	// game with equilibria (1,0,0;1,0), (4/5,1/5,0;2/3,1/3) and
	// (0,1/3,2/3;1/3,2/3).
	vsA, vsB = "3 3; 2 5; 0 6", "3 2; 2 6; 3 1"
)

// enumMixedCases lists games and all their extreme equilibria, in the order
// EnumMixed returns them (lexicographically descending).
var enumMixedCases = []struct {
	name string
	a, b string
	want []string
}{
	{"prisoners dilemma", pdA, pdB, []string{"NE,0,1,0,1"}},
	{"matching pennies", mpA, mpB, []string{"NE,1/2,1/2,1/2,1/2"}},
	{"battle of the sexes", bosA, bosB, []string{"NE,1,0,1,0", "NE,2/3,1/3,1/3,2/3", "NE,0,1,0,1"}},
	{"rock paper scissors", rpsA, rpsB, []string{"NE,1/3,1/3,1/3,1/3,1/3,1/3"}},
	{"von Stengel 3x2", vsA, vsB, []string{"NE,1,0,0,1,0", "NE,4/5,1/5,0,2/3,1/3", "NE,0,1/3,2/3,1/3,2/3"}},
	// Degenerate: both players get 1 unless both play 2. Row 1 is a best
	// reply to every y (it earns 1, row 2 earns y_1 ≤ 1), and against
	// x = (1,0) column 2 also earns 1, so {(1,0)} × Δ is a component of
	// equilibria with extreme points (1,0;1,0) and (1,0;0,1); by symmetry
	// Δ × {(1,0)} is another, adding (0,1;1,0). Nothing else: if both put
	// weight on strategy 2, the other's strategy 1 does strictly better.
	{"degenerate 2x2 continuum", "1 1; 1 0", "1 1; 1 0", []string{"NE,1,0,1,0", "NE,1,0,0,1", "NE,0,1,1,0"}},
	// Degenerate version of von Stengel's game (his Figure 3.4): B's first
	// row is (3,3), so against x = (1,0,0) player 2 is indifferent. Row 1
	// is a best reply iff 3 ≥ 2y_1+5y_2 and 3 ≥ 6y_2, i.e. y_1 ≥ 2/3, giving
	// the segment from (1,0) to (2/3,1/3). Rows 2 and 3 mixed need
	// 2x_2+3x_3 = 6x_2+x_3, x = (0,1/3,2/3), and y_1 = 1/3 from
	// 5−3y_1 = 6−6y_1. Rows 1 and 2 mixed make column 2 strictly better
	// (3x_1+6x_2 > 3x_1+2x_2), which row 1 then cannot be a reply to;
	// rows 1 and 3 need y_2 = 1/2 where row 2 earns 3.5 > 3.
	{"degenerate von Stengel 3x2", vsA, "3 3; 2 6; 3 1", []string{"NE,1,0,0,1,0", "NE,1,0,0,2/3,1/3", "NE,0,1/3,2/3,1/3,2/3"}},
	// Gambit's e02.nfg (Selten 1975, Figure 2): row 2 earns 0 < 1 = row 1
	// always; row 1 is a best reply iff 1 ≥ 2y_2; any weight on row 3
	// makes column 1 strictly better, so the equilibria are (1,0,0) with
	// y_2 ≤ 1/2: extreme points y = (1,0) and (1/2,1/2), as the Gambit
	// manual lists.
	{"gambit e02", "1 1; 0 0; 0 2", "1 1; 2 3; 2 0", []string{"NE,1,0,0,1,0", "NE,1,0,0,1/2,1/2"}},
}

func TestEnumMixed(t *testing.T) {
	for _, c := range enumMixedCases {
		t.Run(c.name, func(t *testing.T) {
			g := bimatrix(t, c.a, c.b)
			eqs, err := EnumMixed(g)
			require.NoError(t, err)
			assert.Equal(t, c.want, neLines(eqs))
			for _, p := range eqs {
				assert.True(t, p.Exact())
				assert.True(t, g.IsEpsilonNash(p, 0), "not an exact equilibrium: %s", FormatNE(p))
			}
		})
	}
}

func TestEnumMixedRejectsThreePlayers(t *testing.T) {
	_, err := EnumMixed(jordanGame(t))
	assert.ErrorIs(t, err, ErrNotTwoPlayer)
	_, err = LemkeHowson(jordanGame(t), 0)
	assert.ErrorIs(t, err, ErrNotTwoPlayer)
}

// LemkeHowson from every label must end at an exact equilibrium, and, being
// a completely labelled vertex pair, at one of EnumMixed's extreme
// equilibria, also in the degenerate games.
func TestLemkeHowsonEveryLabel(t *testing.T) {
	for _, c := range enumMixedCases {
		t.Run(c.name, func(t *testing.T) {
			g := bimatrix(t, c.a, c.b)
			labels := g.NumStrategies(0) + g.NumStrategies(1)
			for l := 0; l < labels; l++ {
				p, err := LemkeHowson(g, l)
				require.NoError(t, err, "label %d", l)
				assert.True(t, g.IsEpsilonNash(p, 0), "label %d: %s", l, FormatNE(p))
				assert.Contains(t, c.want, FormatNE(p), "label %d", l)
			}
			_, err := LemkeHowson(g, labels)
			assert.Error(t, err)
			_, err = LemkeHowson(g, -1)
			assert.Error(t, err)
		})
	}
}

// Random integer games are nondegenerate with probability near one; there
// every Lemke–Howson end point must be among the enumerated equilibria, and
// the number of equilibria of a nondegenerate game is odd (Shapley 1974).
func TestLemkeHowsonRandomGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := 0; trial < 20; trial++ {
		m, n := 2+rng.IntN(3), 2+rng.IntN(3)
		a := make([][]*big.Rat, m)
		b := make([][]*big.Rat, m)
		for r := range a {
			a[r] = make([]*big.Rat, n)
			b[r] = make([]*big.Rat, n)
			for c := range a[r] {
				a[r][c] = big.NewRat(rng.Int64N(100), 1) // payoffs 0..99
				b[r][c] = big.NewRat(rng.Int64N(100), 1)
			}
		}
		g, err := Bimatrix(a, b)
		require.NoError(t, err)
		eqs, err := EnumMixed(g)
		require.NoError(t, err)
		all := neLines(eqs)
		assert.Equal(t, 1, len(all)%2, "even number of equilibria %v", all)
		for l := 0; l < m+n; l++ {
			p, err := LemkeHowson(g, l)
			require.NoError(t, err)
			assert.Contains(t, all, FormatNE(p))
		}
		for _, p := range EnumPure(g) {
			assert.Contains(t, all, FormatNE(p))
		}
	}
}

func TestEnumPure(t *testing.T) {
	cases := []struct {
		name string
		g    *Game
		want []string
	}{
		{"prisoners dilemma", bimatrix(t, pdA, pdB), []string{"NE,0,1,0,1"}},
		{"matching pennies", bimatrix(t, mpA, mpB), nil},
		// Order: profile index, first player fastest: (1,1) = 0, (2,2) = 3.
		{"battle of the sexes", bimatrix(t, bosA, bosB), []string{"NE,1,0,1,0", "NE,0,1,0,1"}},
		{"rock paper scissors", bimatrix(t, rpsA, rpsB), nil},
		{"jordan 3 players", jordanGame(t), nil},
		// Unanimity game: each of 3 players gets 1 if all choose the same
		// strategy, else 0. The two unanimous profiles are equilibria (a
		// deviator drops to 0). Every other profile of three binary choices
		// has two agreeing players and one odd one out, who gains 1 by
		// conforming, so there are no others.
		{"unanimity 3 players", unanimityGame(t), []string{"NE,1,0,1,0,1,0", "NE,0,1,0,1,0,1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, neLines(EnumPure(c.g)))
		})
	}
}

func TestIESDS(t *testing.T) {
	cases := []struct {
		name  string
		a, b  string
		mixed bool
		want  [][]int
	}{
		// D dominates C for both players.
		{"prisoners dilemma", pdA, pdB, false, [][]int{{1}, {1}}},
		// Nothing is dominated in matching pennies.
		{"matching pennies", mpA, mpB, true, [][]int{{0, 1}, {0, 1}}},
		// A dominance-solvable 3×3 game (Gibbons 1992, Figure 1.1.4 style):
		// column 3 (R) is dominated by column 2 (M: 2>1, 6>0); then row 2
		// (D) is dominated by row 1 (U: 1>0, 0>... see payoffs below); then
		// column 1 (L) by M; leaving (U, M).
		//           L       M       R
		//   U     1,0     1,2     0,1
		//   D     0,3     0,1     2,0
		{"gibbons", "1 1 0; 0 0 2", "0 2 1; 3 1 0", false, [][]int{{0}, {1}}},
		// Row 3 (B) earns (1,1); it is dominated by no pure row but by the
		// mix (1/2,1/2,0) earning (3/2,3/2). Columns never dominated here.
		{"mixed only, pure test", "3 0; 0 3; 1 1", "0 0; 0 0; 0 0", false, [][]int{{0, 1, 2}, {0, 1}}},
		{"mixed only, LP test", "3 0; 0 3; 1 1", "0 0; 0 0; 0 0", true, [][]int{{0, 1}, {0, 1}}},
		// Weak dominance is not removed: row 2 ties row 1 in column 1.
		{"weak only", "1 1; 1 0", "0 0; 0 0", true, [][]int{{0, 1}, {0, 1}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := bimatrix(t, c.a, c.b)
			red, keep := IESDS(g, c.mixed)
			assert.Equal(t, c.want, keep)
			for i := range keep {
				assert.Equal(t, len(keep[i]), red.NumStrategies(i))
			}
		})
	}
}

// jordanGame is Jordan's (1993) three-player matching pennies: player 1
// wants to match player 2, player 2 to match player 3, player 3 to
// mismatch player 1 (payoff 1 on success, 0 otherwise).
//
// Its unique equilibrium is 1/2 each. If player 1 were pure, say H, player
// 3 plays T, then player 2 plays T, then player 1 would want T: so player 1
// mixes and is indifferent, which needs P(2 plays H) = 1/2; then player 2
// mixes and is indifferent, so P(3 plays H) = 1/2; then player 3 is
// indifferent, so P(1 plays H) = 1/2.
func jordanGame(t testing.TB) *Game {
	t.Helper()
	players := []string{"1", "2", "3"}
	strat := [][]string{{"H", "T"}, {"H", "T"}, {"H", "T"}}
	pay := make([][]*big.Rat, 8)
	for k := range pay {
		s1, s2, s3 := k%2, (k/2)%2, k/4 // first player fastest
		b := func(ok bool) *big.Rat {
			if ok {
				return big.NewRat(1, 1)
			}
			return new(big.Rat)
		}
		pay[k] = []*big.Rat{b(s1 == s2), b(s2 == s3), b(s3 != s1)}
	}
	g, err := NewRat(players, strat, pay)
	require.NoError(t, err)
	return g
}

func unanimityGame(t testing.TB) *Game {
	t.Helper()
	pay := make([][]float64, 8)
	for k := range pay {
		v := 0.0
		if k == 0 || k == 7 {
			v = 1
		}
		pay[k] = []float64{v, v, v}
	}
	g, err := NewFloat([]string{"1", "2", "3"}, [][]string{{"a", "b"}, {"a", "b"}, {"a", "b"}}, pay)
	require.NoError(t, err)
	return g
}

// logitTol is the regret accepted from Logit on generic games: its end
// point at λ = 1e6 has regret of order (number of strategies)/λ ≈ 1e-5 before
// refinement, and the support Newton step brings it to rounding level.
const logitTol = 1e-9

func TestLogit(t *testing.T) {
	t.Run("jordan exact", func(t *testing.T) {
		a, err := Logit(jordanGame(t), LogitOptions{})
		require.NoError(t, err)
		assert.Equal(t, "NE,1/2,1/2,1/2,1/2,1/2,1/2", FormatNE(a.Profile))
		assert.Zero(t, a.Regret)
	})
	t.Run("two-player end points are equilibria EnumMixed finds", func(t *testing.T) {
		for _, c := range enumMixedCases {
			g := bimatrix(t, c.a, c.b)
			a, err := Logit(g, LogitOptions{})
			require.NoError(t, err, c.name)
			assert.LessOrEqual(t, a.Regret, logitTol, c.name)
			if a.Profile.Exact() {
				assert.Contains(t, c.want, FormatNE(a.Profile), c.name)
			}
		}
	})
	t.Run("random three-player games", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(2, 2))
		for trial := 0; trial < 10; trial++ {
			strat := [][]string{numberedNames(2 + rng.IntN(2)), numberedNames(2 + rng.IntN(2)), numberedNames(2)}
			size := len(strat[0]) * len(strat[1]) * len(strat[2])
			pay := make([][]float64, size)
			for k := range pay {
				pay[k] = []float64{rng.Float64() * 10, rng.Float64() * 10, rng.Float64() * 10}
			}
			g, err := NewFloat([]string{"1", "2", "3"}, strat, pay)
			require.NoError(t, err)
			a, err := Logit(g, LogitOptions{})
			require.NoError(t, err)
			assert.LessOrEqual(t, a.Regret, logitTol, "trial %d", trial)
			assert.InDelta(t, a.Regret, g.Regret(a.Profile), 1e-15)
			assert.True(t, g.IsEpsilonNash(a.Profile, logitTol))
		}
	})
	t.Run("unanimity picks a pure equilibrium", func(t *testing.T) {
		g := unanimityGame(t)
		a, err := Logit(g, LogitOptions{})
		require.NoError(t, err)
		// The centroid is itself an equilibrium of this symmetric game (all
		// strategies earn 1/4), and the logit branch stays there.
		assert.LessOrEqual(t, a.Regret, logitTol)
	})
	t.Run("trace is monotone in lambda here", func(t *testing.T) {
		last := -1.0
		_, err := Logit(bimatrix(t, bosA, bosB), LogitOptions{MaxLambda: 100, Trace: func(l float64, p [][]float64) {
			assert.Greater(t, l, last)
			last = l
		}})
		require.NoError(t, err)
		// The corrector may move λ slightly past the target.
		assert.InEpsilon(t, 100, last, 1e-6)
	})
}

// replicatorTol bounds the share of a strictly dominated strategy after the
// run: in the prisoner's dilemma D earns at least 1 more than C, so the odds
// x_C/x_D fall at least like e^{−t}; t = 20 gives about 2e-9.
const replicatorTol = 1e-6

func TestReplicatorDominanceSolvable(t *testing.T) {
	g := bimatrix(t, pdA, pdB)
	start := [][]float64{{0.9, 0.1}, {0.8, 0.2}}
	for _, discrete := range []bool{false, true} {
		tr, err := Replicator(g, ReplicatorOptions{Start: start, Step: 0.01, Steps: 2000, Discrete: discrete})
		require.NoError(t, err)
		assert.InDelta(t, 0, tr.Final.Float[0][0], replicatorTol, "discrete=%v", discrete)
		assert.InDelta(t, 0, tr.Final.Float[1][0], replicatorTol, "discrete=%v", discrete)
	}
}

// In two-population rock–paper–scissors (zero-sum with interior equilibrium
// x* = y* = uniform) H = Σ_j x*_j ln x_j + Σ_j y*_j ln y_j is a constant of
// motion (Hofbauer and Sigmund 1998, section 11.2): interior orbits are
// closed cycles around the equilibrium, and their time average tends to it.
func TestReplicatorRPSCycles(t *testing.T) {
	g := bimatrix(t, rpsA, rpsB)
	start := [][]float64{{0.5, 0.3, 0.2}, {0.2, 0.5, 0.3}}
	const (
		steps = 20000 // t = 200 with dt = 0.01, dozens of orbits
		// conservedTol: RK4's local error is O(dt⁵), so H drifts far less
		// than this over the run.
		conservedTol = 1e-8
		// averageTol: the time average misses the centre by at most about
		// one orbit's worth of displacement (≈ 0.3) times period/t; 0.01
		// leaves a margin of a few over the observed 0.003.
		averageTol = 0.01
		// awayFromCentre: the orbit through start stays at sup-distance ≈
		// 0.15 from the centre; a converging (wrong) integrator would
		// shrink it.
		awayFromCentre = 0.1
	)
	h := func(x [][]float64) float64 {
		s := 0.0
		for _, v := range x {
			for _, q := range v {
				s += math.Log(q) / 3
			}
		}
		return s
	}
	tr, err := Replicator(g, ReplicatorOptions{Start: start, Step: 0.01, Steps: steps, Every: 100})
	require.NoError(t, err)
	for _, s := range tr.States {
		assert.InDelta(t, h(start), h(s), conservedTol)
		d := 0.0
		for _, v := range s {
			for _, q := range v {
				d = math.Max(d, math.Abs(q-1.0/3))
			}
		}
		assert.Greater(t, d, awayFromCentre)
	}
	for _, v := range tr.Average.Float {
		for _, q := range v {
			assert.InDelta(t, 1.0/3, q, averageTol)
		}
	}
	assert.InDelta(t, 200, tr.Times[len(tr.Times)-1], 1e-9)
}

func TestReplicatorBadStart(t *testing.T) {
	g := bimatrix(t, mpA, mpB)
	for _, s := range [][][]float64{{{1, 0}}, {{0.5, 0.6}, {0.5, 0.5}}, {{1.5, -0.5}, {0.5, 0.5}}, {{1}, {0.5, 0.5}}} {
		_, err := Replicator(g, ReplicatorOptions{Start: s})
		assert.ErrorIs(t, err, ErrBadStart)
	}
	_, err := FictitiousPlay(g, FictitiousOptions{Start: []int{0, 2}})
	assert.ErrorIs(t, err, ErrBadStart)
}

// In fictitious play on matching pennies the players chase each other round
// the cycle; each run of one profile lasts until the opponent's cumulative
// payoff difference changes sign, and these grow by about one per cycle, so
// after T rounds a run lasts O(√T) rounds and the empirical frequency is
// within about 1/√T of 1/2 (measured: ≤ 0.65/√T for T = 10²…10⁵).
func TestFictitiousPlayMatchingPennies(t *testing.T) {
	g := bimatrix(t, mpA, mpB)
	for _, steps := range []int{1000, 10000, 100000} {
		tr, err := FictitiousPlay(g, FictitiousOptions{Steps: steps})
		require.NoError(t, err)
		tol := 1 / math.Sqrt(float64(steps))
		for i := range tr.Final.Float {
			assert.InDelta(t, 0.5, tr.Final.Float[i][0], tol, "T=%d player %d", steps, i)
		}
		assert.Equal(t, float64(steps), tr.Times[len(tr.Times)-1])
	}
}

func TestFictitiousPlayDominance(t *testing.T) {
	tr, err := FictitiousPlay(bimatrix(t, pdA, pdB), FictitiousOptions{Steps: 100})
	require.NoError(t, err)
	// Round 1 plays (C,C); every later round (D,D).
	assert.Equal(t, [][]float64{{0.01, 0.99}, {0.01, 0.99}}, tr.Final.Float)
}
