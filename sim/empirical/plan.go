package empirical

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/sweep"
)

// SweepFile is the name of the generated sweep file, in the sweep
// directory of a game's output (see [Execute]).
const SweepFile = "sweep.toml"

// Plan is a game bound to its base scenario: every strategy has been applied
// to the base and turned into an overlay of its platform, and the sweep that
// simulates every profile has been built and bound.
type Plan struct {
	Spec *Spec
	// Sweep runs every profile Replicates times. Parameter i is player i's
	// strategy; its levels are Overlays[i].
	Sweep *sweep.Plan
	// SweepSource is the text of the generated sweep file.
	SweepSource []byte
	// Overlays[i][j] is player i's strategy j as an inline TOML table laid
	// over the platform (the --set value of platforms[k]): the fields the
	// strategy changes, after the horizon cut.
	Overlays [][]string
	// Platforms[i] is the index of player i's platform in the scenario;
	// Labels and Colors are its display name and colour.
	Platforms []int
	Labels    []string
	Colors    []string
	// ScenarioLabel names the base scenario in reports.
	ScenarioLabel string

	// profiles[point] is the pure profile (one strategy index per player)
	// that sweep point simulates.
	profiles [][]int
}

// Load reads a game file and binds it to its base scenario.
func Load(path string) (*Plan, error) {
	src, err := sweep.ReadSource(path, "game")
	if err != nil {
		return nil, err
	}
	s, err := ParseSpec(path, src)
	if err != nil {
		return nil, err
	}
	return Bind(s)
}

// binder collects problems while a game is bound, located in the game file.
type binder struct {
	s     *Spec
	r     *scenarios.TableReader
	extra scenarios.Problems // the base scenario's own problems
}

func (b *binder) addf(path, format string, args ...any) { b.r.Addf(path, format, args...) }

func (b *binder) fail() error { return append(b.r.Problems(), b.extra...) }

// problemsOf returns the Problems in err, or one problem of file.
func problemsOf(err error, file string) scenarios.Problems {
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return scenarios.Problems{{File: file, Message: err.Error()}}
}

// message is a scenario problem as one line for a game file message: its
// key (relative to the platform when prefix is given) and message.
func message(p scenarios.Problem, prefixes ...string) string {
	key := p.Key
	for _, pre := range prefixes {
		if k, ok := strings.CutPrefix(key, pre); ok {
			key = k
			break
		}
	}
	if key != "" {
		return key + ": " + p.Message
	}
	return p.Message
}

func messages(err error, file string, prefixes ...string) string {
	ps := problemsOf(err, file)
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = message(p, prefixes...)
	}
	return strings.Join(out, "; ")
}

// Bind loads the base scenario of s, applies its sets, users and horizon,
// applies every strategy to its player's platform and checks that it
// changes nothing else, and builds the sweep over every profile. All
// problems come back at once as scenarios.Problems, located in the game
// file where possible and in the base scenario for its own problems.
func Bind(s *Spec) (*Plan, error) {
	b := &binder{s: s, r: scenarios.NewTableReader(s.File, s.Source)}
	label, src, ref, msg := scenarios.ReadNamed(s.Scenario, s.File, "game")
	if msg != "" {
		b.addf("scenario", "%s", msg)
		return nil, b.fail()
	}
	if _, err := scenarios.Parse(label, src, nil); err != nil {
		b.addf("scenario", "the base scenario %s has problems (listed with its own file name)", s.Scenario)
		b.extra = problemsOf(err, label)
		return nil, b.fail()
	}

	// The base: the file's sets, then users, applied together.
	baseSets := append([]string(nil), s.Sets...)
	if s.Users > 0 {
		baseSets = append(baseSets, "world.users="+strconv.Itoa(s.Users))
	}
	parse := func(extra []string) (*scenarios.Scenario, error) {
		return scenarios.Parse(label, src, append(append([]string(nil), baseSets...), extra...))
	}
	base, err := parse(nil)
	if err != nil {
		for _, pr := range problemsOf(err, label) {
			if pr.File != "--set" {
				b.addf("sets", "with these sets the base scenario has a problem: %s", pr.String())
				continue
			}
			b.addf(b.setPathOf(pr), "%s", message(pr))
		}
		return nil, b.fail()
	}
	cut := func(sc *scenarios.Scenario) {
		if s.Days > 0 && s.Days <= sc.World.Days {
			// The scenario is a fresh parse, so cutting in place is safe.
			if err := scenarios.SetHorizon(sc, s.Days); err != nil {
				b.addf("days", "%s", messages(err, label))
			}
		}
	}
	horizon, err := parse(nil) // a second copy, to cut
	if err != nil {
		return nil, err
	}
	if s.Days > horizon.World.Days {
		// days only shortens a run: the sets' horizon has cut the schedule
		// already, and the generated sweep could not lengthen it again.
		b.addf("days", "days (%d) is more than the %d days the base scenario has after sets; days can only shorten the run", s.Days, horizon.World.Days)
		return nil, b.fail()
	}
	cut(horizon)
	horizonSets, err := diffSets(base, horizon)
	if err != nil {
		return nil, fmt.Errorf("empirical: the horizon cannot be written as overrides: %w", err)
	}
	b.s.Payoff.CheckDays(horizon.World.Days, "payoff", func(path, msg string) { b.addf(path, "%s", msg) })

	// Players and their strategies.
	names := make([]string, len(horizon.Platforms))
	for i, p := range horizon.Platforms {
		names[i] = p.Name
	}
	plan := &Plan{Spec: s, ScenarioLabel: s.Scenario}
	for i, pl := range s.Players {
		path := joinIndex("players", i)
		k := -1
		for j, n := range names {
			if n == pl.Platform {
				k = j
			}
		}
		if k < 0 {
			b.addf(joinKey(path, "platform"), "%s", "no platform "+strconv.Quote(pl.Platform)+" in the scenario"+
				scenarios.DidYouMean(pl.Platform, names, "its platforms are"))
			plan.Overlays = append(plan.Overlays, nil)
			plan.Platforms = append(plan.Platforms, -1)
			plan.Labels = append(plan.Labels, pl.Platform)
			plan.Colors = append(plan.Colors, "")
			continue
		}
		plat := horizon.Platforms[k]
		plan.Platforms = append(plan.Platforms, k)
		plan.Labels = append(plan.Labels, orDefault(plat.Label, plat.Name))
		plan.Colors = append(plan.Colors, plat.Color)
		prefix := "platforms[" + strconv.Itoa(k) + "]."
		prefixes := []string{"platforms." + plat.Name + ".", prefix, "platforms." + strconv.Itoa(k) + "."}
		overlays := make([]string, len(pl.Strategies))
		for j, st := range pl.Strategies {
			sp := joinIndex(joinKey(path, "strategies"), j)
			sets := make([]string, len(st.Sets))
			for n, set := range st.Sets {
				sets[n] = prefix + strings.TrimSpace(set)
			}
			target, err := parse(sets)
			if err != nil {
				b.strategyProblems(sp, sets, base, prefixes, label, err)
				continue
			}
			cut(target)
			if !sameExceptPlatform(horizon, target, k) {
				b.addf(sp, "changes more than its own platform %s", plat.Name)
				continue
			}
			ov, err := diffTable(reflect.ValueOf(horizon.Platforms[k]), reflect.ValueOf(target.Platforms[k]))
			if err != nil {
				return nil, err
			}
			c := *horizon
			if err := scenarios.ApplySet(&c, "platforms["+strconv.Itoa(k)+"]="+ov); err != nil {
				b.addf(sp, "after the horizon cut to %d days: %s", horizon.World.Days, messages(err, label, prefixes...))
				continue
			}
			if !same(c.Platforms[k], target.Platforms[k]) {
				return nil, fmt.Errorf("empirical: strategy %q of %s does not survive its overlay %s (a bug: please report it)", st.Name, plat.Name, ov)
			}
			overlays[j] = ov
		}
		plan.Overlays = append(plan.Overlays, overlays)
	}
	if b.r.Count() > 0 {
		return nil, b.fail()
	}

	plan.SweepSource = sweepSource(s, ref, append(baseSets, horizonSets...), plan, names)
	spec, err := sweep.ParseSpec(SweepFile, plan.SweepSource)
	if err != nil {
		return nil, fmt.Errorf("empirical: the generated sweep file has problems (a bug: please report it):\n%w", err)
	}
	sp, err := sweep.Bind(spec)
	if err != nil {
		return nil, fmt.Errorf("empirical: the generated sweep file has problems (a bug: please report it):\n%w", err)
	}
	if !same(*sp.Base, *horizon) {
		return nil, errors.New("empirical: the sweep's base differs from the game's base (a bug: please report it)")
	}
	plan.Sweep = sp

	// Every profile must be a valid scenario: strategies of different
	// players can clash (a match strategy whose rival is cut, say).
	l := spec.Layout()
	plan.profiles = make([][]int, l.Points)
	for point := range l.Points {
		prof := make([]int, len(s.Players))
		for i := range prof {
			prof[i] = int(l.Value(point, i))
		}
		plan.profiles[point] = prof
		if _, err := sp.PointScenario(point); err != nil {
			b.addf("players", "the profile %s is not a valid scenario: %s", plan.profileName(prof), messages(err, label))
		}
	}
	if b.r.Count() > 0 {
		return nil, b.fail()
	}
	return plan, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// setPathOf finds the game file key a --set problem of the base is about:
// the sets entry the loader blamed, or users.
func (b *binder) setPathOf(pr scenarios.Problem) string {
	// The override the loader blamed: the file's sets in order, then users.
	if i := pr.Override - 1; i >= 0 && i < len(b.s.Sets) {
		return joinIndex("sets", i)
	} else if i == len(b.s.Sets) && b.s.Users > 0 {
		return "users"
	}
	return b.setPath(pr.Key)
}

// setPath finds the set whose key path covers key.
func (b *binder) setPath(key string) string {
	if strings.HasPrefix(key, "world.users") && b.s.Users > 0 {
		return "users"
	}
	return sweep.SetIndexPath(b.s.Sets, key)
}

// strategyProblems reports why a strategy's sets fail: each set that fails
// on its own at that set, or, when only their combination fails, the
// combination at the strategy.
func (b *binder) strategyProblems(sp string, sets []string, base *scenarios.Scenario, prefixes []string, label string, err error) {
	alone := false
	for n, set := range sets {
		c := *base
		if e := scenarios.ApplySet(&c, set); e != nil {
			alone = true
			b.addf(joinIndex(joinKey(sp, "sets"), n), "%s", messages(e, label, prefixes...))
		}
	}
	if !alone {
		b.addf(sp, "these sets together make an invalid scenario: %s", messages(err, label, prefixes...))
	}
}

// sameExceptPlatform reports whether a and b agree everywhere but on
// platform k.
func sameExceptPlatform(a, b *scenarios.Scenario, k int) bool {
	if len(a.Platforms) != len(b.Platforms) {
		return false
	}
	ca, cb := *a, *b
	ca.Platforms, cb.Platforms = nil, nil
	if !same(ca, cb) {
		return false
	}
	for i := range a.Platforms {
		if i != k && !same(a.Platforms[i], b.Platforms[i]) {
			return false
		}
	}
	return true
}

// columnName is a player's column stem in the sweep's files: the platform
// name with every character other than a letter or digit replaced by '_'.
func columnName(platform string, i int, taken map[string]bool) string {
	var sb strings.Builder
	for _, r := range platform {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	name := sb.String()
	if name == "" || name[0] >= '0' && name[0] <= '9' || taken[name] {
		name = "player" + strconv.Itoa(i) + "_" + name
	}
	taken[name] = true
	return name
}

// sweepSource writes the sweep file that simulates every profile: one
// factorial parameter per player, platforms[k], whose levels are the
// player's strategies as overlays, and one output per player, its payoff.
func sweepSource(s *Spec, ref string, sets []string, plan *Plan, names []string) []byte {
	var b []byte
	line := func(format string, args ...any) { b = fmt.Appendf(b, format+"\n", args...) }
	line("# Generated by `hongbao game`: every strategy profile of the game %s.", s.Name)
	line("# Rerun the game to resume it; `hongbao sweep` also runs this file.")
	line("name = %s", appendString(nil, s.Name))
	line("scenario = %s", appendString(nil, ref))
	b = append(b, "sets = ["...)
	for i, set := range sets {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendString(b, set)
	}
	b = append(b, "]\n"...)
	line("seed = %d", s.Seed)
	line("replicates = %d", s.Replicates)
	line("common_random_numbers = %t", s.CommonRandomNumbers)
	line("\n[design]\nkind = \"factorial\"")
	taken := map[string]bool{}
	stems := make([]string, len(s.Players))
	for i, pl := range s.Players {
		stems[i] = columnName(pl.Platform, i, taken)
	}
	for i := range s.Players {
		line("\n[[params]]")
		line("key = \"platforms[%d]\"", plan.Platforms[i])
		line("name = \"%s_strategy\"", stems[i])
		b = append(b, "values = ["...)
		for j, ov := range plan.Overlays[i] {
			if j > 0 {
				b = append(b, ", "...)
			}
			b = appendString(b, ov)
		}
		b = append(b, "]\n"...)
	}
	for i := range s.Players {
		line("\n[[outputs]]")
		line("metric = %s", appendString(nil, s.Payoff.MetricFor(names[plan.Platforms[i]])))
		line("name = \"%s_payoff\"", stems[i])
		switch o := s.Payoff; {
		case o.HasDay:
			line("day = %d", o.Day)
		case o.HasRange:
			line("from = %d\nto = %d\nstat = %s", o.From, o.To, appendString(nil, o.Stat))
		}
	}
	return b
}

// profileName names a pure profile: "wechat=10 yuan, alipay=5 yuan".
func (p *Plan) profileName(prof []int) string {
	parts := make([]string, len(prof))
	for i, j := range prof {
		parts[i] = p.Spec.Players[i].Platform + "=" + p.Spec.Players[i].Strategies[j].Name
	}
	return strings.Join(parts, ", ")
}
