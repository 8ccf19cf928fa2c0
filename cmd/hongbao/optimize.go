package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/ensemble"
	"github.com/paywars/hongbao/sim/search"
	"github.com/paywars/hongbao/sim/sweep"
)

func init() {
	register(command{name: "optimize", summary: "search a platform's levers for its best plan, or best responses to an equilibrium", run: optimizeCmd})
}

//go:embed optimize_example.toml
var optimizeExample []byte

var optimizeHelp = help{
	synopsis: []string{
		"hongbao optimize SPEC.toml [--out DIR] [--workers N] [--respond] [--json] [--check] [--quiet] [--force-size]",
		"hongbao optimize --example",
	},
	about: `Searches the levers of the first player's platform (cashback, bonuses, budgets, campaign
dates: any key of the platform, with bounds) for the plan that scores best on the
objective (payoff, share on a day or over a window, cost per retained user), against
rivals that follow their scenario strategies, optionally within a subsidy budget. A
bounded CMA-ES with restarts scores every candidate on the same seeds, re-checks each
new best on fresh seeds, and reports the optimum's value with a 95% interval from
seeds never used to choose it, its gain over the scenario's own plan, the levers
ranked by effect and a response surface of the two most important (surface.png).
With --respond every player in turn answers the others' latest plans, keeping its own
unless the answer gains significantly, until no plan moves more than tol of its range
(an approximate equilibrium in continuous strategies), or the plans cycle. Every
simulation is journaled in DIR: after a crash or Ctrl-C the same command resumes. The file format is in docs/optimize.md.`,
	examples: []string{
		"hongbao optimize --example > taxi.optimize.toml",
		"hongbao optimize taxi.optimize.toml --out optimize/taxi",
		"hongbao optimize taxi.optimize.toml --respond",
	},
}

func optimizeCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("optimize", stderr, optimizeHelp)
	out := fs.String("out", "", "output directory (default optimize/<name>)")
	workers := fs.Int("workers", 0, "simulations at a time (default GOMAXPROCS, every core)")
	respond := fs.Bool("respond", false, "iterate best responses between every player of the file until they settle or cycle")
	jsonOut := fs.Bool("json", false, "print the result as JSON on stdout (result.json) instead of text")
	check := fs.Bool("check", false, "check the file against its scenario, print what would run, run nothing")
	quiet := fs.Bool("quiet", false, "print no progress and no text report (errors, and --json, still print)")
	example := fs.Bool("example", false, "print an example optimize file (the taxi war of docs/optimize.md) and exit")
	forceSizeFlag(fs)
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if *example {
		stdout.Write(optimizeExample)
		return 0
	}
	if !oneArg(fs, pos, "optimize file") || !notNegative(fs, "workers", *workers) {
		return 2
	}
	src, err := sweep.ReadSource(pos[0], "optimize")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	spec, err := parseOptSpec(pos[0], src)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	plan, err := bindOpt(spec)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *respond && len(spec.Players) < 2 {
		fmt.Fprintf(stderr, "%s: --respond needs two or more [[players]], got %d\n", pos[0], len(spec.Players))
		return 1
	}
	if *check {
		fmt.Fprintf(stdout, "%s: %s of %s on %s (%d users, %d days), %d levers; a search of %d simulations (%d seeds a candidate) + re-checks, %d confirmation seeds",
			pos[0], spec.Objective.Metric, spec.Players[0].Platform, spec.Scenario, plan.Base.World.Users, plan.Base.World.Days,
			len(spec.Players[0].Levers), spec.Budget, spec.Replicates, spec.Confirm)
		if *respond {
			fmt.Fprintf(stdout, "; --respond: up to %d rounds of %d best responses", spec.Rounds, len(spec.Players))
		}
		fmt.Fprintln(stdout)
		return 0
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("optimize", spec.Name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := &optProgress{w: stderr, quiet: *quiet || *jsonOut, name: spec.Name}
	var rep *optReport
	if *respond {
		rep, err = runRespond(ctx, plan, dir, *workers, prog)
	} else {
		rep, err = runOptimize(ctx, plan, dir, *workers, prog)
	}
	prog.finish()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "hongbao optimize: interrupted; every finished simulation is in %s: run the same command again to resume\n", dir)
			return 1
		}
		fmt.Fprintf(stderr, "hongbao optimize: %v\n", strings.TrimPrefix(err.Error(), "search: "))
		return 1
	}
	if err := sim.WriteFileAtomic(filepath.Join(dir, "result.json"), func(w io.Writer) error { return writeOptJSON(w, rep) }); err != nil {
		fmt.Fprintf(stderr, "hongbao optimize: %v\n", err)
		return 1
	}
	if err := sim.WriteFileAtomic(filepath.Join(dir, "report.txt"), func(w io.Writer) error { return writeOptText(w, rep) }); err != nil {
		fmt.Fprintf(stderr, "hongbao optimize: %v\n", err)
		return 1
	}
	switch {
	case *jsonOut:
		if err := writeOptJSON(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "hongbao optimize: %v\n", err)
			return 1
		}
	case !*quiet:
		writeOptText(stdout, rep)
		fmt.Fprintf(stdout, "\nWrote %s: result.json, report.txt%s, journal of every simulation\n", dir, rep.chartNote())
	}
	return 0
}

// optReport is what an optimisation prints and writes as result.json.
type optReport struct {
	Name     string           `json:"name"`
	Scenario string           `json:"scenario"`
	Users    int              `json:"users"`
	Days     int              `json:"days"`
	Seed     uint64           `json:"seed"`
	Metric   string           `json:"metric"`
	Maximize bool             `json:"maximize"`
	Platform string           `json:"platform"`
	Hash     string           `json:"hash"`
	Levers   []optLeverReport `json:"levers"`
	// Best is the search's result for Platform (or the last round's best
	// response of the first player, with --respond).
	Best *search.Result `json:"best"`
	// Baseline is the scenario's own plan on the confirmation seeds, Gain
	// the optimum's paired difference from it (better is positive).
	Baseline    *search.Interval    `json:"baseline,omitempty"`
	Gain        *search.Interval    `json:"gain,omitempty"`
	Surface     *search.Surface     `json:"surface,omitempty"`
	Chart       string              `json:"chart,omitempty"`
	Equilibrium *search.Equilibrium `json:"equilibrium,omitempty"`
	// SurfaceBetter, when set, is a grid point of the surface that beat
	// the optimum on the same search seeds: the search stopped short.
	SurfaceBetter *optPoint `json:"surface_better,omitempty"`
	Constraint    string    `json:"constraint,omitempty"`
}

// optPoint is a point of the response surface.
type optPoint struct {
	X, Y  float64
	Value float64
}

// optLeverReport is one lever's bounds and best value.
type optLeverReport struct {
	Name  string  `json:"name"`
	Key   string  `json:"key"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Value float64 `json:"value"`
}

func (r *optReport) chartNote() string {
	if r.Chart == "" {
		return ""
	}
	return ", " + r.Chart
}

// optProgress prints a search's progress on one line of stderr.
type optProgress struct {
	w     io.Writer
	quiet bool
	name  string
	mu    sync.Mutex
	shown bool
}

func (p *optProgress) update(what string, pr search.Progress) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	best := "none yet"
	if pr.HaveBest {
		best = formatValue(pr.Best)
	}
	eta := ""
	if pr.ETA > 0 {
		eta = ", ETA " + pr.ETA.Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r%s%s: %d/%d simulations (%d from the journal), run %d gen %d, best %s%s   ",
		p.name, what, pr.Calls, pr.Budget, pr.Replayed, pr.Restart+1, pr.Gen+1, best, eta)
	p.shown = true
}

func (p *optProgress) note(format string, args ...any) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprintln(p.w)
		p.shown = false
	}
	fmt.Fprintf(p.w, format+"\n", args...)
}

func (p *optProgress) finish() {
	if p.shown && !p.quiet {
		fmt.Fprintln(p.w)
	}
}

// simulate runs the base scenario with each player's levers at profile[i]
// (nil: the scenario's own plan) on one seed. A combination of levers the
// scenario rejects (a campaign past the horizon) is a rejected candidate.
func (pl *optPlan) simulate(ctx context.Context, profile [][]float64, seed uint64, screen bool) (*sim.Result, error) {
	c := pl.Base
	if screen && pl.Screen != nil {
		c = pl.Screen
	}
	for i, x := range profile {
		if x == nil {
			continue
		}
		next, err := applyLevers(c, pl.Spec.Players[i].Platform, pl.Spec.Players[i].Levers, x)
		if err != nil {
			return nil, fmt.Errorf("%w: %s", search.ErrRejected, strings.Join(problemMessages(err), "; "))
		}
		c = next
	}
	run := *c
	if err := scenarios.ApplySet(&run, "world.seed="+strconv.FormatUint(seed, 10)); err != nil {
		return nil, err
	}
	return sim.Run(ctx, &run, nil)
}

// value is player's objective in a finished run, with the budget
// constraint applied; ErrRejected when the plan breaks a hard budget or
// the objective is undefined (no active users to divide by).
func (pl *optPlan) value(r *sim.Result, player int) (float64, error) {
	p := pl.Platform[player]
	ps := &r.Platforms[p]
	o := pl.Spec.Objective
	var v float64
	switch o.Metric {
	case "payoff", "value_yuan", "share":
		v = pl.Objective.Value(r, pl.Spec.Players[player].Platform)
	case "cost_per_retained":
		// compare's measure, so that the two commands mean one thing.
		v = ensemble.KPIs(r, p, 0, false).CostPerRetainedYuan
		if math.IsNaN(v) {
			return 0, fmt.Errorf("%w: no cost per retained user: the run is shorter than %d days or gained no actives that stayed", search.ErrRejected, ensemble.RetainAfter+1)
		}
	}
	c := pl.Spec.Constraint
	if spent := float64(ps.SubsidiesFen) / 100; c.MaxSubsidies > 0 && spent > c.MaxSubsidies {
		if c.Mode == "reject" {
			return 0, fmt.Errorf("%w: subsidies %.0f yuan over the budget of %.0f", search.ErrRejected, spent, c.MaxSubsidies)
		}
		pen := c.Penalty * (spent - c.MaxSubsidies)
		if o.maximize() {
			v -= pen
		} else {
			v += pen
		}
	}
	return v, nil
}

// objective is player's search objective with the other players at
// profile (nil: their scenario plans).
func (pl *optPlan) objective(player int, profile [][]float64, screen bool) search.Objective {
	return func(ctx context.Context, x []float64, seeds []uint64) (float64, error) {
		prof := make([][]float64, len(pl.Spec.Players))
		copy(prof, profile)
		prof[player] = x
		r, err := pl.simulate(ctx, prof, seeds[0], screen)
		if err != nil {
			return 0, err
		}
		return pl.value(r, player)
	}
}

func (pl *optPlan) params(player int) []search.Param {
	var ps []search.Param
	for _, l := range pl.Spec.Players[player].Levers {
		ps = append(ps, l.param())
	}
	return ps
}

func (pl *optPlan) start(player int) []float64 {
	levers := pl.Spec.Players[player].Levers
	var x []float64
	for _, l := range levers {
		if !l.HasStart {
			return nil
		}
		x = append(x, l.Start)
	}
	return x
}

func (pl *optPlan) config(dir string, workers int) search.Config {
	s := pl.Spec
	return search.Config{Seed: s.Seed, Replicates: s.Replicates, Recheck: s.Recheck, Confirm: s.Confirm,
		Budget: s.Budget, Workers: workers, Dir: dir}
}

func (pl *optPlan) newReport(res *search.Result, player int) *optReport {
	s := pl.Spec
	rep := &optReport{Name: s.Name, Scenario: s.Scenario, Users: pl.Base.World.Users, Days: pl.Base.World.Days, Seed: s.Seed,
		Metric: s.Objective.describe(), Maximize: s.Objective.maximize(), Platform: s.Players[player].Platform, Hash: pl.Hash, Best: res}
	for i, l := range s.Players[player].Levers {
		rep.Levers = append(rep.Levers, optLeverReport{Name: l.Name, Key: l.Key, Lo: l.Lo, Hi: l.Hi, Value: res.X[i]})
	}
	if c := s.Constraint; c.MaxSubsidies > 0 {
		rep.Constraint = fmt.Sprintf("subsidies at most %s yuan (%s)", scenarios.GroupThousands(strconv.FormatFloat(c.MaxSubsidies, 'f', 0, 64)), c.Mode)
		if c.Mode == "penalty" {
			rep.Constraint = fmt.Sprintf("subsidies at most %s yuan (penalty %v a yuan over)", scenarios.GroupThousands(strconv.FormatFloat(c.MaxSubsidies, 'f', 0, 64)), c.Penalty)
		}
	}
	return rep
}

func (o optObjective) describe() string {
	switch {
	case o.Metric == "share" && o.HasRange:
		return fmt.Sprintf("mean share of payment value, days %d to %d", o.From, o.To)
	case o.Metric == "share" && o.Date != "":
		return fmt.Sprintf("share of payment value on %s (day %d)", o.Date, o.Day)
	case o.Metric == "share" && o.HasDay:
		return fmt.Sprintf("share of payment value on day %d", o.Day)
	case o.Metric == "share":
		return "share of payment value on the last day"
	case o.Metric == "cost_per_retained":
		return "cost per retained user (yuan per user still active 90 days after the money)"
	}
	return o.Metric
}

// runOptimize searches the first player's levers against rivals on their
// scenario plans, then measures the scenario's own plan on the same
// confirmation seeds and draws the response surface.
func runOptimize(ctx context.Context, pl *optPlan, dir string, workers int, prog *optProgress) (*optReport, error) {
	prob := search.Problem{Params: pl.params(0), Objective: pl.objective(0, nil, false), Maximize: pl.Spec.Objective.maximize(),
		Start: pl.start(0), Fingerprint: pl.Hash}
	if pl.Screen != nil {
		prob.Screen = pl.objective(0, nil, true)
	}
	cfg := pl.config(dir, workers)
	cfg.Progress = func(p search.Progress) { prog.update("", p) }
	s, err := search.New(prob, cfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	res, err := s.Run(ctx)
	if err != nil {
		return nil, err
	}
	rep := pl.newReport(res, 0)
	prog.note("%s: the scenario's own plan on the %d confirmation seeds", pl.Spec.Name, pl.Spec.Confirm)
	base, err := pl.baseline(ctx, workers)
	if err != nil {
		return nil, err
	}
	if base != nil {
		rep.Baseline = base
		diff := make([]float64, len(base.Values))
		for i := range diff {
			diff[i] = res.Interval.Values[i] - base.Values[i]
			if !prob.Maximize {
				diff[i] = -diff[i]
			}
		}
		g := search.NewInterval(diff, res.Interval.Level)
		rep.Gain = &g
	}
	if n := pl.Spec.Surface; n >= 2 && len(res.Levers) >= 2 {
		i, j := leverIndex(prob.Params, res.Levers[0].Name), leverIndex(prob.Params, res.Levers[1].Name)
		prog.note("%s: the response surface of %s × %s, %d×%d points", pl.Spec.Name, res.Levers[0].Name, res.Levers[1].Name, n, n)
		sf, err := s.Surface(ctx, res.X, i, j, n)
		if err != nil {
			return nil, err
		}
		rep.Surface = sf
		rep.SurfaceBetter = surfaceBetter(sf, res)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := writeSurfaceChart(filepath.Join(dir, "surface.png"), pl, rep); err != nil {
			return nil, err
		}
		rep.Chart = "surface.png"
	}
	return rep, nil
}

// surfaceBetter returns the best point of the surface if it beats the
// optimum's value on the search seeds, on which both were measured.
func surfaceBetter(sf *search.Surface, res *search.Result) *optPoint {
	var best *optPoint
	better := func(a, b float64) bool {
		if res.Maximize {
			return a > b
		}
		return a < b
	}
	for iy := range sf.Values {
		for ix, v := range sf.Values[iy] {
			if sf.Rejected[iy][ix] || !better(v, res.SearchValue) {
				continue
			}
			if best == nil || better(v, best.Value) {
				best = &optPoint{X: sf.XS[ix], Y: sf.YS[iy], Value: v}
			}
		}
	}
	return best
}

func leverIndex(ps []search.Param, name string) int {
	for i, p := range ps {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// baseline runs the scenario's own plan on the confirmation seeds (not
// journaled: Confirm simulations). A baseline the constraint rejects has
// no interval (nil).
func (pl *optPlan) baseline(ctx context.Context, workers int) (*search.Interval, error) {
	n := pl.Spec.Confirm
	vals := make([]float64, n)
	errs := make([]error, n)
	if workers <= 0 {
		workers = max(1, runtimeProcs())
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := pl.simulate(ctx, nil, pl.Spec.Seed+search.ConfirmOffset+uint64(i), false)
				if err == nil {
					vals[i], err = pl.value(r, 0)
				}
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if errors.Is(err, search.ErrRejected) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	}
	iv := search.NewInterval(vals, 0.95)
	return &iv, nil
}

// runRespond iterates best responses between every player.
func runRespond(ctx context.Context, pl *optPlan, dir string, workers int, prog *optProgress) (*optReport, error) {
	var players []search.Player
	for i, p := range pl.Spec.Players {
		players = append(players, search.Player{Name: p.Platform, Params: pl.params(i), Start: pl.start(i)})
	}
	sign := 1.0
	if !pl.Spec.Objective.maximize() {
		sign = -1
	}
	payoff := func(ctx context.Context, profile [][]float64, player int, seeds []uint64) (float64, error) {
		r, err := pl.simulate(ctx, profile, seeds[0], false)
		if err != nil {
			return 0, err
		}
		v, err := pl.value(r, player)
		return sign * v, err
	}
	cfg := search.RespondConfig{Search: pl.config(filepath.Join(dir, "respond"), workers), Rounds: pl.Spec.Rounds, Tol: pl.Spec.Tol,
		Fingerprint: pl.Hash,
		Progress: func(round int, player string, p search.Progress) {
			prog.update(fmt.Sprintf(" round %d, %s", round, player), p)
		}}
	eq, err := search.Respond(ctx, players, payoff, cfg)
	if err != nil {
		return nil, err
	}
	if sign < 0 {
		// Back to the objective's own sign: the costs were negated to be
		// maximised.
		for _, res := range eq.Best {
			flipResult(res)
		}
		for k := range eq.Rounds {
			for i := range eq.Rounds[k].Value {
				eq.Rounds[k].Value[i] = -eq.Rounds[k].Value[i]
				// A gain stays a gain: lower costs are better.
			}
		}
		for i := range eq.Values {
			flipInterval(&eq.Values[i])
		}
	}
	rep := pl.newReport(eq.Best[0], 0)
	rep.Equilibrium = eq
	return rep, nil
}

func flipInterval(iv *search.Interval) {
	iv.Mean, iv.Lo, iv.Hi = -iv.Mean, -iv.Hi, -iv.Lo
	for i := range iv.Values {
		iv.Values[i] = -iv.Values[i]
	}
}

func flipResult(r *search.Result) {
	r.Value, r.SearchValue, r.RecheckValue = -r.Value, -r.SearchValue, -r.RecheckValue
	flipInterval(&r.Interval)
	r.Maximize = false
	for i := range r.Levers {
		r.Levers[i].Slope, r.Levers[i].Curvature = -r.Levers[i].Slope, -r.Levers[i].Curvature
	}
}

func writeOptJSON(w io.Writer, rep *optReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// formatValue prints an objective value: thousands grouped when large,
// four significant digits when small.
func formatValue(v float64) string {
	if math.Abs(v) >= 1000 {
		s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
		if v < 0 {
			return "-" + scenarios.GroupThousands(s)
		}
		return scenarios.GroupThousands(s)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func formatInterval(iv search.Interval) string {
	return fmt.Sprintf("%s [%s, %s]", formatValue(iv.Mean), formatValue(iv.Lo), formatValue(iv.Hi))
}

func formatLever(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

func writeOptText(w io.Writer, rep *optReport) error {
	res := rep.Best
	dirn := "maximised"
	if !rep.Maximize {
		dirn = "minimised"
	}
	fmt.Fprintf(w, "%s: %s's %s (%s), %s, %d users, %d days\n", rep.Name, rep.Platform, rep.Metric, dirn, rep.Scenario, rep.Users, rep.Days)
	if rep.Constraint != "" {
		fmt.Fprintf(w, "constraint: %s\n", rep.Constraint)
	}
	if eq := rep.Equilibrium; eq != nil {
		rounds := "rounds"
		if len(eq.Rounds) == 1 {
			rounds = "round"
		}
		fmt.Fprintf(w, "\nbest responses: %s after %d %s (tolerance %.3g of each lever's range; a player keeps its plan unless its best response gains significantly)\n", eq.Status, len(eq.Rounds), rounds, eq.Tol)
		if eq.Status == "cycle" {
			fmt.Fprintf(w, "the plans came back to those of %d rounds before: no pure equilibrium was found\n", eq.Period)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "round\tplatform\tplan held after its turn\tvalue\tbest response's gain\tmoved\t")
		for _, rd := range eq.Rounds {
			for i, name := range eq.Players {
				var lv []string
				for k, pn := range eq.Params[i] {
					lv = append(lv, pn+"="+formatLever(rd.Profile[i][k]))
				}
				kept := " (kept)"
				if rd.Adopted[i] {
					kept = ""
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s%s\t%.3f\t\n", rd.Round, name, strings.Join(lv, " "), formatValue(rd.Value[i]),
					formatInterval(rd.Gain[i]), kept, rd.Moved[i])
			}
		}
		tw.Flush()
		fmt.Fprintln(w, "\nthe plans' values in the last round (95% interval over the confirmation seeds):")
		for i, name := range eq.Players {
			fmt.Fprintf(w, "  %s: %s\n", name, formatInterval(eq.Values[i]))
		}
		fmt.Fprintf(w, "\n%s's last best response in detail:\n", rep.Platform)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lever\tbest\tlo\thi\teffect of ±5% of range\t")
	for _, l := range res.Levers {
		var lr optLeverReport
		for _, x := range rep.Levers {
			if x.Name == l.Name {
				lr = x
			}
		}
		bound := ""
		switch {
		case l.Value == lr.Lo || l.Value == lr.Hi:
			bound = " (bound)"
		case l.OnBound:
			bound = " (near bound)"
		}
		fmt.Fprintf(tw, "%s\t%s%s\t%s\t%s\t%s\t\n", l.Name, formatLever(l.Value), bound, formatLever(lr.Lo), formatLever(lr.Hi), formatValue(l.Effect))
	}
	tw.Flush()
	iv := res.Interval
	fmt.Fprintf(w, "\nvalue at the best plan: %s, %d%% interval over %d fresh seeds (mean ± t·se, se %s)\n",
		formatInterval(iv), int(math.Round(iv.Level*100)), iv.N, formatValue(iv.SE))
	if rep.Baseline != nil {
		fmt.Fprintf(w, "the scenario's own plan on the same seeds: %s\n", formatInterval(*rep.Baseline))
		fmt.Fprintf(w, "gain over it (paired, better is positive): %s\n", formatInterval(*rep.Gain))
	} else if rep.Equilibrium == nil {
		fmt.Fprintln(w, "the scenario's own plan breaks the constraint: no baseline")
	}
	fmt.Fprintf(w, "search: %d simulations (search, re-checks, confirmation, lever probes; %d screening), %d generations, %d restarts, stopped on %s; %d new bests held on re-check\n",
		res.Calls, res.ScreenCalls, res.Generations, res.Restarts, res.Stopped, len(res.Trace))
	if res.Rejected > 0 {
		fmt.Fprintf(w, "%d simulations were rejected by the constraint or the scenario\n", res.Rejected)
	}
	if res.PassedOver > 0 {
		fmt.Fprintf(w, "the search's best plan broke the constraint on the confirmation seeds: %d newer plan(s) passed over, this is the newest that kept it\n", res.PassedOver)
	}
	if b := rep.SurfaceBetter; b != nil {
		fmt.Fprintf(w, "warning: the response surface holds a better point (%s %s, %s %s: %s on the search seeds, against %s at the best plan): the search stopped short; raise budget\n",
			rep.Surface.X, formatLever(b.X), rep.Surface.Y, formatLever(b.Y), formatValue(b.Value), formatValue(res.SearchValue))
	}
	return nil
}

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
