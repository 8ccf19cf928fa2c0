package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
)

// Player is one side of a game of continuous strategies: its levers and
// where it starts (its scenario's plan).
type Player struct {
	Name   string
	Params []Param
	Start  []float64 // in parameter units; the centre of the bounds when nil
}

// Payoff is a player's value (higher is better) when every player plays
// its strategy in profile (profile[i] holds player i's levers), on one
// replicate of seeds.
type Payoff func(ctx context.Context, profile [][]float64, player int, seeds []uint64) (float64, error)

// RespondConfig is how to iterate best responses.
type RespondConfig struct {
	// Search configures each best response; its Dir, when set, is the
	// parent of one journal folder per best response (round-01-NAME).
	Search Config
	Rounds int     // rounds of best responses at most; 10
	Tol    float64 // a round settles when no strategy moved more than Tol of its unit range; 0.02
	// Fingerprint identifies the game for the journals.
	Fingerprint string
	// Progress, when set, is told of each best response's progress.
	Progress func(round int, player string, p Progress)
}

// Round is one round of best responses, players in turn.
type Round struct {
	Round   int         `json:"round"`
	Profile [][]float64 `json:"profile"` // after the round
	Moved   []float64   `json:"moved"`   // each player's largest move, in shares of its ranges
	Value   []float64   `json:"value"`   // each player's plan's value after its turn, on the confirmation seeds
	// Gain is each best response's paired gain over the plan it would
	// replace, on the confirmation seeds; a player keeps its plan unless
	// the gain's interval is above 0 (Adopted).
	Gain    []Interval `json:"gain"`
	Adopted []bool     `json:"adopted"`
}

// Equilibrium is where best responses settled, or the evidence that they
// do not.
type Equilibrium struct {
	Players []string    `json:"players"`
	Params  [][]string  `json:"params"`
	Profile [][]float64 `json:"profile"`
	// Status is "settled" (the last round moved no strategy more than
	// Tol), "cycle" (the profile came back within Tol to that of Period
	// rounds before) or "unsettled" (Rounds were spent).
	Status string  `json:"status"`
	Period int     `json:"period,omitempty"`
	Tol    float64 `json:"tol"`
	Rounds []Round `json:"rounds"`
	// Best holds the last round's best responses: each player's value at
	// the profile, with its interval, and its levers.
	Best []*Result `json:"best"`
	// Values holds the value of each player's plan in the last round, on
	// the confirmation seeds, with its interval.
	Values []Interval `json:"values"`
}

// Respond iterates best responses (Gauss–Seidel: each player in turn
// answers the others' latest strategies with a search) until a round
// moves no strategy by more than Tol of its range, or the profile returns
// to an earlier one (a cycle, as in games without a pure equilibrium), or
// Rounds are spent. Every best response uses the same seeds, so rounds
// differ by the strategies, not by the noise.
//
// A player adopts its best response only if it beats the plan it holds by
// more than the noise: the paired gain on the confirmation seeds has an
// interval above 0. A settled profile is therefore one where no player's
// search found a plan significantly better than its own — an approximate
// (ε-) equilibrium in continuous strategies, ε the noise of Confirm seeds
// and the search's precision — and a lever that barely matters cannot
// keep the dynamics from settling by wandering within its flat range.
func Respond(ctx context.Context, players []Player, payoff Payoff, cfg RespondConfig) (*Equilibrium, error) {
	if len(players) < 2 {
		return nil, errors.New("search: a game needs two players or more")
	}
	if payoff == nil {
		return nil, errors.New("search: no payoff")
	}
	if cfg.Rounds == 0 {
		cfg.Rounds = 10
	}
	if cfg.Tol == 0 {
		cfg.Tol = 0.02
	}
	if cfg.Rounds < 1 || !(cfg.Tol > 0 && cfg.Tol < 1) {
		return nil, errors.New("search: rounds must be 1 or more and tol in (0, 1)")
	}
	eq := &Equilibrium{Tol: cfg.Tol, Status: "unsettled"}
	profile := make([][]float64, len(players))
	for i, pl := range players {
		if err := validateParams(pl.Params); err != nil {
			return nil, fmt.Errorf("%w (player %s)", err, pl.Name)
		}
		eq.Players = append(eq.Players, pl.Name)
		var names []string
		for _, p := range pl.Params {
			names = append(names, p.Name)
		}
		eq.Params = append(eq.Params, names)
		switch {
		case pl.Start != nil && len(pl.Start) != len(pl.Params):
			return nil, fmt.Errorf("search: player %s: start has %d values for %d parameters", pl.Name, len(pl.Start), len(pl.Params))
		case pl.Start != nil:
			profile[i] = slices.Clone(pl.Start)
		default:
			for _, p := range pl.Params {
				profile[i] = append(profile[i], p.Decode(p.Centre()))
			}
		}
	}
	history := [][][]float64{cloneProfile(profile)}
	for round := 1; round <= cfg.Rounds; round++ {
		rd := Round{Round: round}
		best := make([]*Result, len(players))
		values := make([]Interval, len(players))
		for i, pl := range players {
			fixed := cloneProfile(profile)
			me := i
			sc := cfg.Search
			if sc.Dir != "" {
				sc.Dir = filepath.Join(cfg.Search.Dir, fmt.Sprintf("round-%02d-%s", round, pl.Name))
			}
			if cfg.Progress != nil {
				name := pl.Name
				sc.Progress = func(p Progress) { cfg.Progress(round, name, p) }
			}
			prob := Problem{
				Params: pl.Params, Maximize: true, Start: profile[i],
				Fingerprint: fmt.Sprintf("%s|respond|round %d|%s|%v", cfg.Fingerprint, round, pl.Name, fixed),
				Objective: func(ctx context.Context, x []float64, seeds []uint64) (float64, error) {
					p := cloneProfile(fixed)
					p[me] = x
					return payoff(ctx, p, me, seeds)
				},
			}
			s, err := New(prob, sc)
			if err != nil {
				return nil, err
			}
			res, err := s.Run(ctx)
			if err != nil {
				s.Close()
				return nil, fmt.Errorf("player %s, round %d: %w", pl.Name, round, err)
			}
			cur, curRej, err := s.Confirm(ctx, profile[i])
			if err != nil {
				s.Close()
				return nil, fmt.Errorf("player %s, round %d: %w", pl.Name, round, err)
			}
			if err := s.Close(); err != nil {
				return nil, err
			}
			diff := make([]float64, len(res.Interval.Values))
			for k := range diff {
				diff[k] = res.Interval.Values[k] - cur.Values[k]
			}
			gain := NewInterval(diff, res.Interval.Level)
			adopt := curRej || gain.Lo > 0
			moved := 0.0
			held := cur
			if adopt {
				for k, p := range pl.Params {
					moved = math.Max(moved, math.Abs(p.Encode(res.X[k])-p.Encode(profile[i][k])))
				}
				profile[i] = slices.Clone(res.X)
				held = res.Interval
			}
			best[i] = res
			values[i] = held
			rd.Moved = append(rd.Moved, moved)
			rd.Value = append(rd.Value, held.Mean)
			rd.Gain = append(rd.Gain, gain)
			rd.Adopted = append(rd.Adopted, adopt)
		}
		rd.Profile = cloneProfile(profile)
		eq.Rounds = append(eq.Rounds, rd)
		eq.Best = best
		eq.Values = values
		eq.Profile = cloneProfile(profile)
		if slices.Max(rd.Moved) <= cfg.Tol {
			eq.Status = "settled"
			return eq, nil
		}
		// A return to the profile of k ≥ 2 rounds before is a cycle (k = 1
		// would have settled above); the start is not a best response and
		// is not compared.
		for k := 2; k < round; k++ {
			if profileDistance(players, profile, history[round-k]) <= cfg.Tol {
				eq.Status, eq.Period = "cycle", k
				return eq, nil
			}
		}
		history = append(history, cloneProfile(profile))
	}
	return eq, nil
}

// profileDistance is the largest move of any lever between two profiles,
// in shares of the levers' ranges.
func profileDistance(players []Player, a, b [][]float64) float64 {
	d := 0.0
	for i, pl := range players {
		for k, p := range pl.Params {
			d = math.Max(d, math.Abs(p.Encode(a[i][k])-p.Encode(b[i][k])))
		}
	}
	return d
}

func cloneProfile(p [][]float64) [][]float64 {
	out := make([][]float64, len(p))
	for i := range p {
		out[i] = slices.Clone(p[i])
	}
	return out
}
