package empirical

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/sweep"
)

// Spec is a parsed game file: the base scenario, the players (platforms of
// the scenario) and their strategies, the payoff metric and how often each
// profile is replicated. Make one with [ParseSpec]; [Bind] checks it
// against its base scenario. The file format is described in docs/game.md.
type Spec struct {
	// File names the source in messages; a relative scenario path is
	// resolved from its directory.
	File string
	// Source is the file's text.
	Source []byte

	// Header is the name (of the default output directory, games/NAME),
	// description, base scenario (a library name such as "taxi-war-2014"
	// or a .toml path) and the seed every run's world.seed derives from.
	sweep.Header
	// Sets are --set overrides applied to the base before anything else;
	// they may change anything, every platform included.
	Sets []string
	// Users, when not 0, sets world.users.
	Users int
	// Days, when not 0, sets the horizon as `hongbao run --days` does:
	// campaigns and strategies are cut at the new last day.
	Days int
	// Replicates is the number of runs of every profile (at least 2, so
	// that the noise can be estimated).
	Replicates int
	// CommonRandomNumbers gives replicate r of every profile the same
	// seed, so that payoff differences between profiles are paired and
	// carry less noise. The default is true.
	CommonRandomNumbers bool
	// Epsilon is the tolerance of the ε-equilibrium check, in payoff units.
	Epsilon float64
	// Payoff is what each player scores.
	Payoff Payoff
	// Players are the players in order, each a platform of the base.
	Players []Player
}

// Payoff is the metric a player scores: a sweep selection (docs/sweeps.md)
// whose metric names no platform, read for each player's own platform, on
// the last day unless Day or a range is given. The metric defaults to
// "payoff", the scenario's own payoff.
type Payoff = sweep.Selection

// Player is one player of the game: a platform of the base scenario and the
// strategies it may choose.
type Player struct {
	// Platform is the platform's name in the base scenario.
	Platform   string
	Strategies []Strategy
}

// Strategy is one strategy of a player: a name and --set overrides of the
// player's own platform, with paths relative to it
// ("campaigns.riders.cashback=12", "strategy.kind=match").
type Strategy struct {
	Name string
	Sets []string
}

// Profiles returns the number of pure strategy profiles, the product of
// the players' numbers of strategies.
func (s *Spec) Profiles() int {
	n := 1
	for _, p := range s.Players {
		n *= len(p.Strategies)
	}
	return n
}

// Runs returns the number of simulations the game needs: profiles ×
// replicates.
func (s *Spec) Runs() int64 { return int64(s.Profiles()) * int64(s.Replicates) }

// Limits of a game file.
const (
	// DefaultReplicates is the number of replicates when the file gives none.
	DefaultReplicates = 5
	// MaxProfiles bounds the number of pure profiles: every one is
	// simulated, and the solvers are meant for games of that size.
	MaxProfiles = 10_000
	// MaxRuns bounds profiles × replicates.
	MaxRuns = 10_000_000
)

var (
	topKeys      = []string{"name", "description", "scenario", "sets", "users", "days", "seed", "replicates", "common_random_numbers", "epsilon", "payoff", "players"}
	playerKeys   = []string{"platform", "strategies"}
	strategyKeys = []string{"name", "sets"}
)

// ParseSpec reads a game file; file names it in messages. Every problem
// found is returned at once as scenarios.Problems, each located at its key
// as "file:line:col: key: message". It does not look at the base scenario;
// [Bind] does.
func ParseSpec(file string, src []byte) (*Spec, error) {
	raw, err := scenarios.DecodeTOML(file, src)
	if err != nil {
		return nil, err
	}
	p := &parser{scenarios.NewTableReader(file, src)}
	s := &Spec{File: file, Source: append([]byte(nil), src...)}
	p.spec(s, raw)
	if p.Count() > 0 {
		return nil, p.Problems()
	}
	return s, nil
}

// parser reads a game file's decoded TOML, recording every problem.
type parser struct{ *scenarios.TableReader }

// describe names the TOML type of a decoded value for "want X, got Y".
func describe(raw any) string { return scenarios.DescribeValue(raw) }

// spec decodes the whole file into s.
func (p *parser) spec(s *Spec, m map[string]any) {
	p.CheckKeys(m, "", topKeys)
	s.Header = sweep.ReadHeader(p.TableReader, m, s.File, "game", "taxi-war-2014")
	if sets, ok := p.Strings(m, "sets", "", `["a=1", "b=2"]`); ok {
		for i, set := range sets {
			if !strings.Contains(set, "=") {
				p.Addf(joinIndex("sets", i), "missing =: an override is key.path=value, e.g. world.users=5000")
			}
		}
		s.Sets = sets
	}
	if v, ok := p.Int(m, "users", ""); ok {
		if v < 10 || v > 50_000_000 {
			p.Addf("users", "must be between 10 and 50000000, got %d", v)
		}
		s.Users = int(v)
	}
	if v, ok := p.Int(m, "days", ""); ok {
		if v < 1 || v > 3660 {
			p.Addf("days", "must be between 1 and 3660, got %d", v)
		}
		s.Days = int(v)
	}
	s.Replicates = DefaultReplicates
	if v, ok := p.Int(m, "replicates", ""); ok {
		if v < 2 || v > MaxRuns {
			p.Addf("replicates", "must be between 2 and %d, got %d (two or more replicates are needed to estimate the noise)", MaxRuns, v)
		}
		s.Replicates = int(v)
	}
	s.CommonRandomNumbers = true
	if v, ok := p.Bool(m, "common_random_numbers", ""); ok {
		s.CommonRandomNumbers = v
	}
	if v, ok := p.Float(m, "epsilon", ""); ok {
		if v < 0 {
			p.Addf("epsilon", "must be 0 or more, got %v", v)
		}
		s.Epsilon = v
	}
	payoff := map[string]any{}
	if v, present := m["payoff"]; present {
		if t, ok := v.(map[string]any); ok {
			payoff = t
		} else {
			p.Addf("payoff", "want a table [payoff], got %s", describe(v))
		}
	}
	p.CheckKeys(payoff, "payoff", sweep.SelectionKeys)
	s.Payoff = sweep.ReadSelection(p.TableReader, payoff, "payoff", true, "payoff")
	p.players(s, m)
	if len(s.Players) > 0 && p.Count() == 0 {
		n := 1
		for _, pl := range s.Players {
			n *= len(pl.Strategies)
			if n > MaxProfiles {
				p.Addf("players", "more than %d strategy profiles: every profile is simulated; use fewer strategies", MaxProfiles)
				return
			}
		}
		if int64(n)*int64(s.Replicates) > MaxRuns {
			p.Addf("replicates", "%d profiles × %d replicates is more than %d runs", n, s.Replicates, MaxRuns)
		}
	}
}

// players decodes [[players]].
func (p *parser) players(s *Spec, m map[string]any) {
	list, ok := p.Tables(m, "players", "")
	if !ok {
		if _, present := m["players"]; !present {
			p.Addf("", "missing players: give two or more [[players]], each a platform of the scenario with its [[players.strategies]]")
		}
		return
	}
	if len(list) < 2 {
		p.Addf("players", "a game needs two or more players, got %d", len(list))
	}
	seen := map[string]int{}
	for i, t := range list {
		if t == nil {
			continue
		}
		path := joinIndex("players", i)
		p.CheckKeys(t, path, playerKeys)
		var pl Player
		pl.Platform = p.PlayerPlatform(t, path, i, seen)
		strats, ok := p.Tables(t, "strategies", path)
		if !ok {
			if _, present := t["strategies"]; !present {
				p.Addf(path, "missing strategies: give one or more [[players.strategies]], each a name and sets")
			}
		} else if len(strats) == 0 {
			p.Addf(joinKey(path, "strategies"), "empty: give one or more strategies")
		}
		names := map[string]int{}
		for j, st := range strats {
			if st == nil {
				continue
			}
			sp := joinIndex(joinKey(path, "strategies"), j)
			p.CheckKeys(st, sp, strategyKeys)
			var strat Strategy
			if v, ok := p.String(st, "name", sp); ok {
				switch {
				case strings.TrimSpace(v) == "":
					p.Addf(joinKey(sp, "name"), "empty: give the strategy a name")
				case strings.ContainsAny(v, "\"\n\\"):
					p.Addf(joinKey(sp, "name"), "a name may not contain quotes, backslashes or line breaks")
				default:
					if k, dup := names[v]; dup {
						p.Addf(joinKey(sp, "name"), "strategy %q is already strategy %d of this player", v, k+1)
					}
					names[v] = j
				}
				strat.Name = v
			} else if _, present := st["name"]; !present {
				p.Addf(sp, "missing key name: the strategy's name, e.g. name = \"10 yuan\"")
			}
			if sets, ok := p.Strings(st, "sets", sp, `["a=1", "b=2"]`); ok {
				for k, set := range sets {
					if msg := checkRelativeSet(set, pl.Platform); msg != "" {
						p.Addf(joinIndex(joinKey(sp, "sets"), k), "%s", msg)
					}
				}
				strat.Sets = sets
			}
			pl.Strategies = append(pl.Strategies, strat)
		}
		s.Players = append(s.Players, pl)
	}
}

// platformKeys are the keys of a platform table, the first segment of
// every strategy override.
var platformKeys = sync.OnceValue(func() []string {
	var keys []string
	t := reflect.TypeOf(scenarios.Platform{})
	for i := 0; i < t.NumField(); i++ {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
})

// scenarioKeys are the top-level keys of a scenario, named in messages for
// overrides that are not relative to the platform.
var scenarioKeys = sync.OnceValue(func() []string {
	var keys []string
	t := reflect.TypeOf(scenarios.Scenario{})
	for i := 0; i < t.NumField(); i++ {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
})

// checkRelativeSet checks the shape of a strategy's override: key=value
// with a path relative to the platform, which must not rename it or reach
// another part of the scenario. The path's validity is checked by Bind.
func checkRelativeSet(set, platform string) string {
	path, _, ok := strings.Cut(set, "=")
	path = strings.TrimSpace(path)
	if !ok {
		return "missing =: an override is key.path=value relative to the player's platform, e.g. campaigns.launch.cashback=5"
	}
	if path == "" {
		return "empty key path: an override is key.path=value relative to the player's platform, e.g. fee_rate=0.006"
	}
	first := path
	if i := strings.IndexAny(first, ".["); i >= 0 {
		first = first[:i]
	}
	first = strings.TrimSpace(first)
	switch {
	case first == "name":
		return "a strategy cannot rename its platform"
	case slices.Contains(platformKeys(), first):
		return ""
	case first == "platforms":
		rest := strings.TrimPrefix(strings.TrimPrefix(path, "platforms"), ".")
		other, _, _ := strings.Cut(rest, ".")
		if other == platform && platform != "" {
			return "drop the prefix platforms." + platform + ".: a strategy's paths are relative to its own platform"
		}
		return "touches another platform: a strategy changes only its own platform (" + platform + "), with paths relative to it; put scenario-wide overrides in sets"
	case slices.Contains(scenarioKeys(), first):
		return first + " is not a key of the platform: a strategy changes only its own platform; put scenario-wide overrides in sets"
	}
	return "unknown platform key " + strconv.Quote(first) +
		scenarios.DidYouMean(first, platformKeys(), "a strategy's paths are relative to its platform, whose keys are")
}

// Key paths: table keys joined by dots, array elements by [index].

func joinKey(path, key string) string { return scenarios.JoinKey(path, key) }

func joinIndex(path string, i int) string { return scenarios.JoinIndex(path, i) }
