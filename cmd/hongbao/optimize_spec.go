package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/reporter"
	"github.com/paywars/hongbao/sim/search"
	"github.com/paywars/hongbao/sim/sweep"
)

// optSpec is a parsed optimize file (docs/optimize.md): a base scenario,
// the platforms whose levers are searched, the objective each scores, an
// optional budget constraint and how hard to search.
type optSpec struct {
	File   string
	Source []byte
	sweep.Header
	Sets        []string
	Users, Days int
	ScreenUsers int // cheap screening at this population; 0 = none
	Replicates  int // search seeds per candidate
	Recheck     int // fresh seeds of a new best's re-check
	Confirm     int // fresh seeds of the final interval
	Budget      int // simulations of a search phase
	Surface     int // grid size of the response surface; 0 = none
	Rounds      int // best-response rounds of --respond
	Tol         float64
	Objective   optObjective
	Constraint  optConstraint
	Players     []optPlayer
}

// optObjective is what each player scores on its own platform.
type optObjective struct {
	// Metric is payoff, value_yuan, share or cost_per_retained (compare's
	// measure, ensemble.KPI.CostPerRetainedYuan).
	Metric string
	// Day (negative from the end; default the last day) for share; From,
	// To a window whose mean share counts.
	Day              int
	HasDay, HasRange bool
	From, To         int
	// Date, when set, is the day as a calendar date (YYYY-MM-DD); bindOpt
	// turns it into Day from the scenario's start_date.
	Date string
}

// maximize says whether higher is better.
func (o optObjective) maximize() bool { return o.Metric != "cost_per_retained" }

// reporter is the objective as a derived reporter (sim/reporter), so that
// optimize reads a run's share and totals the way run --report, sweeps and
// games do; nil for cost_per_retained, compare's measure, which is no
// reporter. Call it after bindOpt has turned a date into a day.
func (o optObjective) reporter() *reporter.Reporter {
	var src string
	switch {
	case o.Metric == "share" && o.HasRange:
		src = fmt.Sprintf("mean(share_value, %d..%d)", o.From, o.To)
	case o.Metric == "share" && o.HasDay:
		src = fmt.Sprintf("at(share_value, %d)", o.Day)
	case o.Metric == "share":
		src = "last(share_value)"
	case o.Metric == "payoff" || o.Metric == "value_yuan":
		src = o.Metric
	default:
		return nil
	}
	r, err := reporter.Parse(src)
	if err != nil {
		// The sources above are fixed but for whole day numbers that
		// readOptObjective and checkObjectiveDays have bounded.
		panic("hongbao optimize: objective reporter " + src + ": " + err.Error())
	}
	return r
}

// optConstraint caps a platform's subsidies over the run (yuan, at the
// model's scale).
type optConstraint struct {
	MaxSubsidies float64 // 0 = no constraint
	Mode         string  // "reject" or "penalty"
	Penalty      float64 // objective units per yuan over the cap
}

// optPlayer is a platform and the levers it controls.
type optPlayer struct {
	Platform string
	Levers   []optLever
}

// optLever is one lever: a --set key relative to the platform, its bounds
// and scale.
type optLever struct {
	Key        string
	Name       string
	Lo, Hi     float64
	Integer    bool
	Log        bool
	Step       float64 // values are multiples of Step; 0.01 found by bindOpt for money
	Prior      search.Prior
	Start      float64
	HasStart   bool
	OffsetFrom string // the value set is this lever's plus that lever's (a length after a start)
}

const (
	optDefaultReplicates = 4
	optDefaultBudget     = 240
	optMaxBudget         = 1_000_000
)

var (
	optTopKeys        = []string{"name", "description", "scenario", "seed", "sets", "users", "days", "screen_users", "replicates", "recheck", "confirm", "budget", "surface", "rounds", "tol", "objective", "constraint", "players"}
	optObjectiveKeys  = []string{"metric", "day", "date", "from", "to"}
	optConstraintKeys = []string{"max_subsidies", "mode", "penalty"}
	optPlayerKeys     = []string{"platform", "levers"}
	optLeverKeys      = []string{"key", "name", "lo", "hi", "integer", "log", "step", "prior", "mean", "sd", "start", "offset_from"}
	optMetrics        = []string{"payoff", "value_yuan", "share", "cost_per_retained"}
)

// parseOptSpec reads an optimize file; every problem comes back at once,
// located as file:line:col: key: message.
func parseOptSpec(file string, src []byte) (*optSpec, error) {
	raw, err := scenarios.DecodeTOML(file, src)
	if err != nil {
		return nil, err
	}
	p := scenarios.NewTableReader(file, src)
	s := &optSpec{File: file, Source: append([]byte(nil), src...)}
	p.CheckKeys(raw, "", optTopKeys)
	s.Header = sweep.ReadHeader(p, raw, file, "optimize", "taxi-war-2014")
	if sets, ok := p.Strings(raw, "sets", "", `["a=1", "b=2"]`); ok {
		for i, set := range sets {
			if !strings.Contains(set, "=") {
				p.Addf(scenarios.JoinIndex("sets", i), "missing =: an override is key.path=value, e.g. world.users=5000")
			}
		}
		s.Sets = sets
	}
	intKey := func(key string, lo, hi int64, def int, why string) int {
		v, ok := p.Int(raw, key, "")
		if !ok {
			return def
		}
		if v < lo || v > hi {
			p.Addf(key, "must be between %d and %d, got %d%s", lo, hi, v, why)
			return def
		}
		return int(v)
	}
	s.Users = intKey("users", 10, 50_000_000, 0, "")
	s.Days = intKey("days", 1, 3660, 0, "")
	s.ScreenUsers = intKey("screen_users", 10, 50_000_000, 0, "")
	s.Replicates = intKey("replicates", 1, 10_000, optDefaultReplicates, "")
	s.Recheck = intKey("recheck", 1, 10_000, 2*optDefaultReplicates, "")
	s.Confirm = intKey("confirm", 2, 10_000, 16, " (two or more seeds make an interval)")
	s.Budget = intKey("budget", 1, optMaxBudget, optDefaultBudget, "")
	s.Surface = intKey("surface", 0, 50, 7, " (0 draws no response surface)")
	if s.Surface == 1 {
		p.Addf("surface", "a grid needs 2 points a side or more (0 for none), got 1")
	}
	s.Rounds = intKey("rounds", 1, 100, 8, "")
	s.Tol = 0.02
	if v, ok := p.Float(raw, "tol", ""); ok {
		if !(v > 0 && v < 1) {
			p.Addf("tol", "must be above 0 and below 1 (a share of each lever's range), got %v", v)
		} else {
			s.Tol = v
		}
	}
	s.Objective = optObjective{Metric: "payoff"}
	if t, ok := p.Table(raw, "objective", ""); ok {
		readOptObjective(p, &s.Objective, t)
	}
	s.Constraint.Mode = "reject"
	s.Constraint.Penalty = 1
	if t, ok := p.Table(raw, "constraint", ""); ok {
		readOptConstraint(p, &s.Constraint, t)
	}
	readOptPlayers(p, s, raw)
	if p.Count() > 0 {
		return nil, p.Problems()
	}
	return s, nil
}

func readOptObjective(p *scenarios.TableReader, o *optObjective, m map[string]any) {
	p.CheckKeys(m, "objective", optObjectiveKeys)
	if v, ok := p.String(m, "metric", "objective"); ok {
		if !slices.Contains(optMetrics, v) {
			p.Addf("objective.metric", "want one of %s, got %q%s", strings.Join(optMetrics, ", "), v, scenarios.DidYouMean(v, optMetrics, ""))
		}
		o.Metric = v
	}
	if v, ok := p.Int(m, "day", "objective"); ok {
		o.Day, o.HasDay = int(v), true
	}
	if raw, present := m["date"]; present {
		switch v := raw.(type) {
		case string:
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				p.Addf("objective.date", "want a date YYYY-MM-DD, got %q", v)
			}
			o.Date = v
		case time.Time:
			o.Date = v.Format(time.DateOnly)
		default:
			p.Addf("objective.date", "want a date YYYY-MM-DD, got %s", scenarios.DescribeValue(raw))
		}
		if o.HasDay {
			p.Addf("objective.date", "give either day or date, not both")
		}
		o.HasDay = true
	}
	from, hasFrom := p.Int(m, "from", "objective")
	to, hasTo := p.Int(m, "to", "objective")
	_, fromPresent := m["from"]
	_, toPresent := m["to"]
	switch {
	case fromPresent != toPresent:
		p.Addf("objective", "a window needs both from and to")
	case hasFrom && hasTo:
		o.From, o.To, o.HasRange = int(from), int(to), true
		if from >= 0 && to >= 0 && from > to {
			p.Addf("objective.from", "the window starts at day %d after its end, day %d", from, to)
		}
	}
	switch {
	case o.HasDay && (fromPresent || toPresent):
		p.Addf("objective.day", "give either day or a window (from, to), not both")
	case (o.HasDay || fromPresent) && (o.Metric == "payoff" || o.Metric == "value_yuan"):
		p.Addf("objective.metric", "%s is a total over the run and takes no day or window", o.Metric)
	case (o.HasDay || fromPresent) && o.Metric == "cost_per_retained":
		p.Addf("objective.metric", "cost_per_retained is compare's measure over the whole run (the money up to 90 days before the end, per user gained by then and still active at the end) and takes no day or window")
	}
}

func readOptConstraint(p *scenarios.TableReader, c *optConstraint, m map[string]any) {
	p.CheckKeys(m, "constraint", optConstraintKeys)
	if v, ok := p.Float(m, "max_subsidies", "constraint"); ok {
		if !(v > 0) || math.IsInf(v, 0) {
			p.Addf("constraint.max_subsidies", "must be a positive number of yuan, got %v", v)
		}
		c.MaxSubsidies = v
	} else if _, present := m["max_subsidies"]; !present {
		p.Addf("constraint", "missing key max_subsidies: the most a platform may pay in subsidies over the run, in yuan")
	}
	if v, ok := p.String(m, "mode", "constraint"); ok {
		if v != "reject" && v != "penalty" {
			p.Addf("constraint.mode", "want reject (a plan over budget is infeasible) or penalty (it loses penalty per yuan over), got %q", v)
		}
		c.Mode = v
	}
	if v, ok := p.Float(m, "penalty", "constraint"); ok {
		if !(v >= 0) || math.IsInf(v, 0) {
			p.Addf("constraint.penalty", "must be 0 or more, got %v", v)
		}
		c.Penalty = v
	}
}

func readOptPlayers(p *scenarios.TableReader, s *optSpec, raw map[string]any) {
	list, ok := p.Tables(raw, "players", "")
	if !ok {
		if _, present := raw["players"]; !present {
			p.Addf("", "missing players: give one [[players]] (a platform of the scenario and its [[players.levers]]), or more for --respond")
		}
		return
	}
	if len(list) == 0 {
		p.Addf("players", "empty: give one or more players")
	}
	seen := map[string]int{}
	for i, t := range list {
		if t == nil {
			continue
		}
		path := scenarios.JoinIndex("players", i)
		p.CheckKeys(t, path, optPlayerKeys)
		var pl optPlayer
		pl.Platform = p.PlayerPlatform(t, path, i, seen)
		levers, ok := p.Tables(t, "levers", path)
		if !ok {
			if _, present := t["levers"]; !present {
				p.Addf(path, "missing levers: give one or more [[players.levers]], each a key with lo and hi")
			}
		} else if len(levers) == 0 {
			p.Addf(scenarios.JoinKey(path, "levers"), "empty: give one or more levers")
		}
		names := map[string]bool{}
		for j, lt := range levers {
			if lt == nil {
				continue
			}
			lp := scenarios.JoinIndex(scenarios.JoinKey(path, "levers"), j)
			l := readOptLever(p, lt, lp, pl.Platform)
			if names[l.Name] && l.Name != "" {
				p.Addf(scenarios.JoinKey(lp, "name"), "lever %q appears twice for this player", l.Name)
			}
			names[l.Name] = true
			pl.Levers = append(pl.Levers, l)
		}
		for j, l := range pl.Levers {
			if l.OffsetFrom == "" {
				continue
			}
			lp := scenarios.JoinIndex(scenarios.JoinKey(path, "levers"), j)
			k := pl.lever(l.OffsetFrom)
			switch {
			case k < 0:
				p.Addf(scenarios.JoinKey(lp, "offset_from"), "no lever with key %q for this player: offset_from names another lever's key", l.OffsetFrom)
			case k == j || pl.Levers[k].OffsetFrom != "":
				p.Addf(scenarios.JoinKey(lp, "offset_from"), "must name a lever that is not itself an offset")
			}
		}
		s.Players = append(s.Players, pl)
	}
}

// lever returns the index of the lever with key, or −1.
func (pl optPlayer) lever(key string) int {
	for i, l := range pl.Levers {
		if l.Key == key {
			return i
		}
	}
	return -1
}

func readOptLever(p *scenarios.TableReader, m map[string]any, path, platform string) optLever {
	p.CheckKeys(m, path, optLeverKeys)
	var l optLever
	if v, ok := p.String(m, "key", path); ok {
		if msg := checkLeverKey(v, platform); msg != "" {
			p.Addf(scenarios.JoinKey(path, "key"), "%s", msg)
		}
		l.Key = strings.TrimSpace(v)
	} else if _, present := m["key"]; !present {
		p.Addf(path, "missing key key: a --set path relative to the platform, e.g. campaigns.riders.cashback")
	}
	l.Name = l.Key
	if v, ok := p.String(m, "name", path); ok {
		if strings.TrimSpace(v) == "" || strings.ContainsAny(v, "\"\n\\") {
			p.Addf(scenarios.JoinKey(path, "name"), "want a non-empty name without quotes, backslashes or line breaks")
		}
		l.Name = v
	}
	lo, hasLo := p.Float(m, "lo", path)
	hi, hasHi := p.Float(m, "hi", path)
	if _, present := m["lo"]; !present {
		p.Addf(path, "missing key lo: the lever's lower bound")
	}
	if _, present := m["hi"]; !present {
		p.Addf(path, "missing key hi: the lever's upper bound")
	}
	l.Lo, l.Hi = lo, hi
	l.Integer, _ = p.Bool(m, "integer", path)
	l.Log, _ = p.Bool(m, "log", path)
	if v, ok := p.Float(m, "step", path); ok {
		if !(v > 0) || math.IsInf(v, 0) {
			p.Addf(scenarios.JoinKey(path, "step"), "must be positive, got %v", v)
		}
		l.Step = v
	}
	if v, ok := p.String(m, "prior", path); ok {
		k, err := search.ParsePriorKind(v)
		if err != nil {
			p.Addf(scenarios.JoinKey(path, "prior"), "want uniform, normal or log-uniform, got %q", v)
		}
		l.Prior.Kind = k
	}
	l.Prior.Mean, _ = p.Float(m, "mean", path)
	l.Prior.SD, _ = p.Float(m, "sd", path)
	_, hasMean := m["mean"]
	_, hasSD := m["sd"]
	if l.Prior.Kind == search.Normal && (!hasMean || !hasSD) {
		p.Addf(scenarios.JoinKey(path, "prior"), "a normal prior needs mean and sd")
	} else if l.Prior.Kind != search.Normal && (hasMean || hasSD) {
		p.Addf(path, "mean and sd belong to prior = \"normal\"")
	}
	if v, ok := p.Float(m, "start", path); ok {
		l.Start, l.HasStart = v, true
	}
	if v, ok := p.String(m, "offset_from", path); ok {
		l.OffsetFrom = strings.TrimSpace(v)
	}
	if hasLo && hasHi {
		if err := l.param().Validate(); err != nil {
			_, msg, _ := strings.Cut(strings.TrimPrefix(err.Error(), "search: "), ": ")
			p.Addf(scenarios.JoinKey(path, "hi"), "%s", msg)
		} else if l.HasStart && !(l.Start >= lo && l.Start <= hi) {
			p.Addf(scenarios.JoinKey(path, "start"), "%v is outside [%v, %v]", l.Start, lo, hi)
		}
	}
	return l
}

// param is the lever as the search sees it.
func (l optLever) param() search.Param {
	return search.Param{Name: l.Name, Lo: l.Lo, Hi: l.Hi, Integer: l.Integer, Log: l.Log, Step: l.Step, Prior: l.Prior}
}

// checkLeverKey checks the shape of a lever's key: a path relative to the
// platform, like a game strategy's override, without a value.
func checkLeverKey(key, platform string) string {
	key = strings.TrimSpace(key)
	switch {
	case key == "":
		return "empty: give a path relative to the platform, e.g. campaigns.riders.cashback"
	case strings.Contains(key, "="):
		return "a lever's key has no value: the search sets it (write campaigns.riders.cashback, not campaigns.riders.cashback=5)"
	}
	first := key
	if i := strings.IndexAny(first, ".["); i >= 0 {
		first = first[:i]
	}
	switch {
	case first == "name":
		return "a lever cannot rename its platform"
	case slices.Contains(optPlatformKeys(), first):
		return ""
	case first == "platforms":
		if platform != "" && strings.HasPrefix(key, "platforms."+platform+".") {
			return "drop the prefix platforms." + platform + ".: a lever's key is relative to its own platform"
		}
		return "touches another platform: a player's levers are its own platform's keys, relative to it"
	}
	return "unknown platform key " + strconv.Quote(first) + scenarios.DidYouMean(first, optPlatformKeys(), "a lever's key is relative to its platform, whose keys are")
}

// optPlatformKeys are the keys of a platform table.
var optPlatformKeys = sync.OnceValue(func() []string {
	var keys []string
	t := reflect.TypeOf(scenarios.Platform{})
	for i := 0; i < t.NumField(); i++ {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
})

// optPlan is a spec bound to its base scenario.
type optPlan struct {
	Spec   *optSpec
	Base   *scenarios.Scenario // with sets, users and days applied
	Screen *scenarios.Scenario // Base at ScreenUsers, or nil
	// Platform[i] is player i's platform index in the scenario.
	Platform []int
	Labels   []string
	Colors   []string
	Hash     string
	// Objective reads the objective from a run; nil for cost_per_retained.
	Objective *reporter.Reporter
}

// bindOpt loads the base scenario, applies the sets, and checks every
// lever by setting its bounds on the base, each problem located at the
// lever in the spec file.
func bindOpt(s *optSpec) (*optPlan, error) {
	r := scenarios.NewTableReader(s.File, s.Source)
	label, src, _, msg := scenarios.ReadNamed(s.Scenario, s.File, "optimize")
	if msg != "" {
		r.Addf("scenario", "%s", msg)
		return nil, r.Problems()
	}
	sets := append([]string(nil), s.Sets...)
	if s.Users > 0 {
		sets = append(sets, "world.users="+strconv.Itoa(s.Users))
	}
	base, err := scenarios.Parse(label, src, sets)
	if err != nil {
		var ps scenarios.Problems
		if errors.As(err, &ps) {
			for _, pr := range ps {
				r.Addf("sets", "with these sets the base scenario has a problem: %s", pr.String())
			}
		} else {
			r.Addf("scenario", "%s", err.Error())
		}
		return nil, r.Problems()
	}
	if s.Days > 0 {
		if err := scenarios.SetHorizon(base, s.Days); err != nil {
			r.Addf("days", "%v", err)
			return nil, r.Problems()
		}
	}
	plan := &optPlan{Spec: s, Base: base}
	for i, pl := range s.Players {
		path := scenarios.JoinIndex("players", i)
		k := -1
		var names []string
		for j, bp := range base.Platforms {
			names = append(names, bp.Name)
			if bp.Name == pl.Platform {
				k = j
			}
		}
		if k < 0 {
			r.Addf(scenarios.JoinKey(path, "platform"), "no platform %q in %s; its platforms are %s", pl.Platform, s.Scenario, strings.Join(names, ", "))
			continue
		}
		plan.Platform = append(plan.Platform, k)
		lb := base.Platforms[k].Label
		if lb == "" {
			lb = pl.Platform
		}
		plan.Labels = append(plan.Labels, lb)
		plan.Colors = append(plan.Colors, base.Platforms[k].Color)
		for j := range pl.Levers {
			l := &s.Players[i].Levers[j]
			lp := scenarios.JoinIndex(scenarios.JoinKey(path, "levers"), j)
			if l.OffsetFrom == "" && !l.Integer && l.Step == 0 {
				// Money is held in fen: a key that refuses a value with
				// many decimals but takes it rounded to two is searched in
				// steps of 0.01.
				v := l.Lo + 0.123456789*(l.Hi-l.Lo)
				if _, err := applyLevers(base, pl.Platform, []optLever{*l}, []float64{v}); err != nil {
					if _, err := applyLevers(base, pl.Platform, []optLever{*l}, []float64{math.Round(v*100) / 100}); err == nil {
						l.Step = 0.01
					}
				}
			}
			for _, v := range []float64{l.Lo, l.Hi} {
				x := []float64{v}
				var err error
				if l.OffsetFrom == "" {
					_, err = applyLevers(base, pl.Platform, []optLever{*l}, x)
				}
				if err != nil {
					r.Addf(scenarios.JoinKey(lp, "key"), "setting %s to %v: %s", l.Key, v, strings.Join(problemMessages(err), "; "))
					break
				}
			}
		}
	}
	if r.Count() > 0 {
		return nil, r.Problems()
	}
	if s.ScreenUsers > 0 {
		sc, err := scenarios.Parse(label, src, append(append([]string(nil), s.Sets...), "world.users="+strconv.Itoa(s.ScreenUsers)))
		if err == nil && s.Days > 0 {
			err = scenarios.SetHorizon(sc, s.Days)
		}
		if err != nil {
			r.Addf("screen_users", "the base scenario at this size has a problem: %v", err)
			return nil, r.Problems()
		}
		plan.Screen = sc
	}
	if o := &s.Objective; o.Date != "" {
		start, err1 := time.Parse(time.DateOnly, base.World.StartDate)
		at, err2 := time.Parse(time.DateOnly, o.Date)
		if err1 != nil || err2 != nil {
			r.Addf("objective.date", "cannot place %s in a scenario starting %q", o.Date, base.World.StartDate)
			return nil, r.Problems()
		}
		o.Day = int(at.Sub(start).Hours() / 24)
		if o.Day < 0 || o.Day >= base.World.Days {
			r.Addf("objective.date", "%s is outside the run (%s, %d days)", o.Date, base.World.StartDate, base.World.Days)
			return nil, r.Problems()
		}
	}
	if err := checkObjectiveDays(r, s.Objective, base.World.Days); err != nil {
		return nil, err
	}
	plan.Objective = s.Objective.reporter()
	h := sha256.New()
	fmt.Fprintf(h, "%d\n%s\n%d\n%s", len(s.Source), s.Source, len(src), src)
	plan.Hash = hex.EncodeToString(h.Sum(nil))[:16]
	return plan, nil
}

func checkObjectiveDays(r *scenarios.TableReader, o optObjective, days int) error {
	in := func(d int) bool { return d >= -days && d < days }
	switch {
	case o.HasDay && !in(o.Day):
		r.Addf("objective.day", "day %d is outside the run's %d days (0 to %d, or −1 for the last)", o.Day, days, days-1)
	case o.HasRange && (!in(o.From) || !in(o.To)):
		r.Addf("objective", "the window %d to %d is outside the run's %d days", o.From, o.To, days)
	}
	if r.Count() > 0 {
		return r.Problems()
	}
	return nil
}

// problemMessages are an error's messages without their file and key.
func problemMessages(err error) []string {
	var ps scenarios.Problems
	if errors.As(err, &ps) {
		var out []string
		for _, p := range ps {
			out = append(out, p.Message)
		}
		return out
	}
	return []string{err.Error()}
}

// applyLevers sets a player's levers on a copy of base (base itself is
// never written).
func applyLevers(base *scenarios.Scenario, platform string, levers []optLever, x []float64) (*scenarios.Scenario, error) {
	c := base
	for i, l := range levers {
		v := x[i]
		if l.OffsetFrom != "" {
			for j, o := range levers {
				if o.Key == l.OffsetFrom {
					v += x[j]
				}
			}
		}
		text := strconv.FormatFloat(v, 'g', -1, 64)
		if l.Integer || v == math.Trunc(v) && math.Abs(v) < 1e15 {
			text = strconv.FormatInt(int64(math.Round(v)), 10)
		}
		next := *c
		if err := scenarios.ApplySet(&next, "platforms."+platform+"."+l.Key+"="+text); err != nil {
			return nil, err
		}
		c = &next
	}
	if c == base {
		cp := *base
		c = &cp
	}
	return c, nil
}
