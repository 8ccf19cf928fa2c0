package empirical

import (
	"errors"
	"math"

	"github.com/paywars/hongbao/sim/game"
)

// Z95 is Φ⁻¹(0.975) ≈ 1.96, the 97.5% quantile of the standard normal
// distribution (the two-sided 95% critical value): an estimated gain is
// significant when it exceeds Z95 standard errors, a one-sided test at
// 2.5%.
const Z95 = 1.959963984540054

// roundoff is the relative size, against the largest payoff, below which a
// gain or regret is rounding error of the solvers' arithmetic and is
// reported as 0.
const roundoff = 1e-9

// sameTol is the largest difference between two probabilities of profiles
// that are taken to be the same equilibrium found by two solvers.
const sameTol = 1e-9

// AnalyzeOptions configure Analyze.
type AnalyzeOptions struct {
	// Title is the estimated game's title (its .nfg title).
	Title string
	// Epsilon is the tolerance of the ε-equilibrium checks, in payoff
	// units; 0 asks for an exact equilibrium.
	Epsilon float64
	// Z is the number of standard errors above which a gain is
	// significant; 0 means Z95.
	Z float64
}

// Deviation is one unilateral deviation from a profile: player Player
// switches to its pure strategy Strategy.
type Deviation struct {
	// Player deviates to its strategy Strategy (indices into the table).
	Player, Strategy int
	// Gain is the estimated gain, u_i(j, p_{-i}) − u_i(p), and SE its
	// standard error.
	Gain, SE float64
	// Significant is true when the gain exceeds ε by more than Z standard
	// errors: the deviation pays, with 95% confidence.
	Significant bool
}

// Upper is the upper end of the one-sided confidence bound of the gain,
// Gain + z·SE.
func (d Deviation) Upper(z float64) float64 { return d.Gain + z*d.SE }

// Equilibrium is a Nash equilibrium of the estimated (mean-payoff) game and
// how far the noise lets one trust it.
type Equilibrium struct {
	// Profile is the equilibrium, one distribution per player.
	Profile game.Profile
	// NE is the profile as `hongbao nash` prints it ("NE,1,0,0,1"), and
	// Method the --method that prints it from the .nfg file.
	NE     string
	Method string
	// Pure is true for a pure-strategy equilibrium.
	Pure bool
	// Found lists the solvers that found it: enumpure, enummixed, logit.
	Found []string
	// Payoffs are the players' expected payoffs in the estimated game.
	Payoffs []float64
	// Regret is the largest gain from a unilateral deviation in the
	// estimated game (0 up to rounding for an exact solver).
	Regret float64
	// RegretUpper is the 95% upper confidence bound of the regret in the
	// true game: the largest Gain + z·SE over all deviations, at least 0.
	// The profile is an ε-equilibrium of the true game, with 95%
	// confidence for each deviation, for every ε ≥ RegretUpper.
	RegretUpper float64
	// NotRejected is true when no deviation gains significantly more than
	// ε: the data are consistent with an ε-equilibrium.
	NotRejected bool
	// Confirmed is true when RegretUpper ≤ ε: the data show, with 95%
	// confidence for each deviation, that no deviation gains more than ε.
	Confirmed bool
	// Deviations are every player's deviations to each pure strategy it
	// does not already play with probability one.
	Deviations []Deviation
}

// BestReply is a player's best reply to one profile of the others' pure
// strategies in the estimated game.
type BestReply struct {
	// Player is the replying player.
	Player int
	// Against is the pure profile with the player's own entry ignored.
	Against []int
	// Best are the strategies with the highest mean payoff (more than one
	// only on exact ties); Payoff is that payoff.
	Best   []int
	Payoff float64
	// RunnerUp is the best of the other strategies (−1 for a player with
	// one strategy); Margin is Best[0]'s lead over it and MarginSE the
	// standard error of the lead.
	RunnerUp         int
	Margin, MarginSE float64
	// Significant is true when the margin exceeds Z standard errors: the
	// best reply is best with 95% confidence.
	Significant bool
}

// ProfileStat summarises one pure profile: its payoffs and its most
// profitable deviation.
type ProfileStat struct {
	// Strategies is the profile, one strategy index per player.
	Strategies []int
	// Mean and SE are each player's mean payoff and its standard error.
	Mean, SE []float64
	// Best is the deviation with the largest estimated gain (Player −1
	// when no player has a second strategy).
	Best Deviation
	// Equilibrium is true when the profile is a pure equilibrium of the
	// estimated game; Stable when no deviation gains significantly more
	// than ε, so that the noise cannot rule out an ε-equilibrium.
	Equilibrium, Stable bool
}

// Analysis is the solved empirical game.
type Analysis struct {
	// Table is the estimated payoff table the analysis solved.
	Table *Table
	// Game is the estimated game: the mean payoffs.
	Game *game.Game
	// Epsilon and Z are the tolerance and the standard errors of the
	// significance tests (see AnalyzeOptions).
	Epsilon float64
	Z       float64
	// Profiles describe every pure profile, in profile order.
	Profiles []ProfileStat
	// Equilibria are the equilibria of the estimated game: every pure one
	// (EnumPure), and for two players every extreme mixed one (EnumMixed),
	// for more the logit solution (Logit).
	Equilibria []Equilibrium
	// BestReplies are, for each player with two or more strategies in
	// turn, the best replies to each profile of the others' strategies.
	BestReplies []BestReply
	// Notes say what could not be computed (a solver that failed).
	Notes []string

	scale float64 // the largest absolute mean payoff
}

// Analyze solves the game estimated by t: it finds the equilibria of the
// mean payoffs, the best replies, and checks every equilibrium and pure
// profile against the noise of the estimates.
//
// A deviation's gain is estimated by a contrast of the table's payoffs
// (Table.Gain); it is significant when gain − ε > z·SE. An equilibrium
// is NotRejected when no deviation is significant, and Confirmed when
// even the upper bounds gain + z·SE are at most ε. The tests are
// per deviation, with no correction for testing many.
func Analyze(t *Table, opt AnalyzeOptions) (*Analysis, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	if opt.Epsilon < 0 || math.IsNaN(opt.Epsilon) {
		return nil, errors.New("empirical: epsilon must be 0 or more")
	}
	z := opt.Z
	if z == 0 {
		z = Z95
	}
	g, err := t.MeanGame(opt.Title)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Table: t, Game: g, Epsilon: opt.Epsilon, Z: z}
	for k := range t.Values {
		for i := range t.Players {
			a.scale = math.Max(a.scale, math.Abs(t.Mean(k, i)))
		}
	}
	a.profiles()
	a.bestReplies()
	if err := a.equilibria(); err != nil {
		return nil, err
	}
	return a, nil
}

// deviations returns every deviation from the mixed profile p, but for
// "deviations" to a strategy the player already plays for sure.
func (a *Analysis) deviations(p [][]float64) []Deviation {
	var out []Deviation
	for i, st := range a.Table.Strategies {
		for j := range st {
			if p[i][j] >= 1-sameTol {
				continue
			}
			gain, se := a.Table.Gain(p, i, j)
			if math.Abs(gain) <= roundoff*a.scale {
				gain = 0
			}
			out = append(out, Deviation{Player: i, Strategy: j, Gain: gain, SE: se,
				Significant: gain-a.Epsilon > a.Z*se})
		}
	}
	return out
}

func (a *Analysis) profiles() {
	t := a.Table
	for k := range t.Values {
		s := t.Profile(k)
		ps := ProfileStat{Strategies: s, Best: Deviation{Player: -1, Strategy: -1}, Equilibrium: true, Stable: true}
		for i := range t.Players {
			ps.Mean = append(ps.Mean, t.Mean(k, i))
			ps.SE = append(ps.SE, t.SE(k, i))
		}
		for i, st := range t.Strategies {
			for j := range st {
				if j == s[i] {
					continue
				}
				dev := append([]int(nil), s...)
				dev[i] = j
				gain, se := t.Difference(i, t.Index(dev), k)
				d := Deviation{Player: i, Strategy: j, Gain: gain, SE: se, Significant: gain-a.Epsilon > a.Z*se}
				if ps.Best.Player < 0 || gain > ps.Best.Gain {
					ps.Best = d
				}
				if g := a.Game; g.Payoff(dev, i) > g.Payoff(s, i) {
					ps.Equilibrium = false
				}
				if d.Significant {
					ps.Stable = false
				}
			}
		}
		a.Profiles = append(a.Profiles, ps)
	}
}

func (a *Analysis) bestReplies() {
	t := a.Table
	for i, st := range t.Strategies {
		if len(st) < 2 {
			continue // a player with one strategy has no choice to make
		}
		for k := range t.Values {
			s := t.Profile(k)
			if s[i] != 0 {
				continue // each profile of the others once
			}
			br := BestReply{Player: i, Against: append([]int(nil), s...), RunnerUp: -1}
			br.Against[i] = -1
			vals := make([]float64, len(st))
			for j := range st {
				s[i] = j
				vals[j] = a.Game.Payoff(s, i)
			}
			best := math.Inf(-1)
			for _, v := range vals {
				best = math.Max(best, v)
			}
			for j, v := range vals {
				if v == best {
					br.Best = append(br.Best, j)
				}
			}
			br.Payoff = best
			for j, v := range vals {
				if v != best && (br.RunnerUp < 0 || v > vals[br.RunnerUp]) {
					br.RunnerUp = j
				}
			}
			if len(br.Best) > 1 {
				br.RunnerUp = br.Best[1]
			}
			if br.RunnerUp >= 0 {
				s[i] = br.Best[0]
				hi := t.Index(s)
				s[i] = br.RunnerUp
				lo := t.Index(s)
				br.Margin, br.MarginSE = t.Difference(i, hi, lo)
				br.Significant = br.Margin > a.Z*br.MarginSE
			}
			a.BestReplies = append(a.BestReplies, br)
		}
	}
}

// equilibria solves the estimated game.
func (a *Analysis) equilibria() error {
	g := a.Game
	add := func(p game.Profile, method, by string) {
		for e := range a.Equilibria {
			if sameProfile(a.Equilibria[e].Profile, p) {
				a.Equilibria[e].Found = append(a.Equilibria[e].Found, by)
				return
			}
		}
		eq := Equilibrium{Profile: p, NE: game.FormatNE(p), Method: method, Found: []string{by}, Pure: isPure(p)}
		for i := 0; i < g.NumPlayers(); i++ {
			eq.Payoffs = append(eq.Payoffs, g.Utility(p, i))
		}
		eq.Regret = g.Regret(p)
		if eq.Regret <= roundoff*a.scale {
			eq.Regret = 0
		}
		eq.Deviations = a.deviations(p.Float)
		eq.NotRejected = true
		for _, d := range eq.Deviations {
			eq.RegretUpper = math.Max(eq.RegretUpper, d.Upper(a.Z))
			if d.Significant {
				eq.NotRejected = false
			}
		}
		eq.Confirmed = eq.RegretUpper <= a.Epsilon
		a.Equilibria = append(a.Equilibria, eq)
	}
	pure := game.EnumPure(g)
	var tooCostly *game.CostError
	if g.NumPlayers() == 2 {
		mixed, err := game.EnumMixed(g)
		if errors.As(err, &tooCostly) {
			// Too many strategies for vertex enumeration: say so and fall
			// through to the logit solution, as for three players.
			a.Notes = append(a.Notes, "enummixed: "+tooCostly.Reason+"; the logit solution is reported instead")
			mixed, err = nil, nil
		}
		if err != nil {
			return err
		}
		if tooCostly == nil {
			for _, p := range mixed {
				add(p, "enummixed", "enummixed")
			}
			for _, p := range pure {
				add(p, "enumpure", "enumpure")
			}
			return nil
		}
	}
	for _, p := range pure {
		add(p, "enumpure", "enumpure")
	}
	if g.NumPlayers() > 2 || tooCostly != nil {
		ap, err := game.Logit(g, game.LogitOptions{})
		if err != nil {
			a.Notes = append(a.Notes, "logit: "+err.Error())
			return nil
		}
		add(ap.Profile, "logit", "logit")
	}
	return nil
}

func sameProfile(p, q game.Profile) bool {
	if len(p.Float) != len(q.Float) {
		return false
	}
	for i := range p.Float {
		for j := range p.Float[i] {
			if math.Abs(p.Float[i][j]-q.Float[i][j]) > sameTol {
				return false
			}
		}
	}
	return true
}

func isPure(p game.Profile) bool {
	for _, d := range p.Float {
		ones := 0
		for _, x := range d {
			switch {
			case math.Abs(x-1) <= sameTol:
				ones++
			case math.Abs(x) > sameTol:
				return false
			}
		}
		if ones != 1 {
			return false
		}
	}
	return true
}

// PureStrategies returns the strategy each player plays with probability
// one in a pure profile p, or nil when p is mixed.
func PureStrategies(p game.Profile) []int {
	if !isPure(p) {
		return nil
	}
	s := make([]int, len(p.Float))
	for i, d := range p.Float {
		for j, x := range d {
			if x > 0.5 {
				s[i] = j
			}
		}
	}
	return s
}
