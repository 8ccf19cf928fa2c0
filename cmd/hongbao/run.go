package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/ensemble"
)

func init() {
	register(command{name: "run", summary: "run one scenario and write timeseries.csv and summary.json", run: runCmd})
}

// setFlags collects repeated --set key.path=value overrides.
type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, " ") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

// splitArgs separates positional arguments from flags so that a scenario
// name may come before or after the flags (Go's flag package stops at the
// first positional argument).
func splitArgs(fs *flag.FlagSet, args []string) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(positional, args[i+1:]...)
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil {
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				continue
			}
			if i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return flags, positional
}

// runOptions are the flags shared by commands that load one scenario.
type runOptions struct {
	seed  uint64
	days  int
	users int
	sets  setFlags
}

func (o *runOptions) register(fs *flag.FlagSet) {
	fs.Uint64Var(&o.seed, "seed", 0, "seed of every random stream (default: the scenario's)")
	fs.IntVar(&o.days, "days", 0, "days to simulate (default: the scenario's)")
	fs.IntVar(&o.users, "users", 0, "simulated users (default: the scenario's)")
	fs.Var(&o.sets, "set", "override a scenario key, as key.path=value (repeatable)")
}

// overrides returns the overrides these options stand for: every --set in
// order, then --seed, --days and --users as world.seed, world.days and
// world.users when given, so that they are validated exactly like the file
// and --days cuts the schedule by the one horizon rule (scenarios.SetHorizon).
// from maps each flag's override to the flag, for messages.
func (o *runOptions) overrides(fs *flag.FlagSet) (sets []string, from map[string]string) {
	sets = append([]string(nil), o.sets...)
	from = map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		key := map[string]string{"seed": "world.seed", "days": "world.days", "users": "world.users"}[f.Name]
		if key == "" {
			return
		}
		sets = append(sets, key+"="+f.Value.String())
		from[key] = "--" + f.Name
	})
	return sets, from
}

// load resolves the scenario with the options' overrides (see overrides).
func (o *runOptions) load(fs *flag.FlagSet, name string) (*scenarios.Scenario, []string, error) {
	sets, from := o.overrides(fs)
	s, err := scenarios.Load(name, sets)
	return s, sets, blameFlags(err, from)
}

// blameFlags names the flag, not "--set", in the problems of an override
// that a flag stands for (--users 0 is reported as --users).
func blameFlags(err error, from map[string]string) error {
	var ps scenarios.Problems
	if !errors.As(err, &ps) || len(from) == 0 {
		return err
	}
	out := append(scenarios.Problems(nil), ps...)
	for i, p := range out {
		if flag, ok := from[p.Key]; ok && p.File == "--set" {
			out[i].File = flag
		}
	}
	return out
}

// runHelp is printed by run -h.
var runHelp = help{
	synopsis: []string{"hongbao run [NAME|FILE] [--seed N] [--days N] [--users N] [--set K=V]... [--out DIR] [--force] [--quiet] [--plot] [--report EXPR]... [--force-size]"},
	about: `Runs a library scenario (default: "default") or a scenario file and writes
DIR/timeseries.csv (one row per day and platform) and DIR/summary.json.

The default DIR is out/<scenario>-seed<N> for the scenario as it stands and
out/<scenario>-seed<N>-<hash> with overrides (--set, --days, --users), the hash
being the first 8 hex digits of the overrides' SHA-256, so two different runs
never share a folder. A folder that holds a different run (summary.json
records the resolved scenario's SHA-256) is not replaced without --force; the
same run is simply written again.`,
	examples: []string{"hongbao run default --seed 7 --days 120 --set platforms.alipay.fee_rate=0.003"},
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", stderr, runHelp)
	var o runOptions
	o.register(fs)
	out := fs.String("out", "", "output directory (default out/<scenario>-seed<N>, plus -<hash> with overrides; see docs)")
	force := fs.Bool("force", false, "replace an output directory that holds a different run")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	forceSizeFlag(fs)
	plot := fs.Bool("plot", false, "also write charts (PNG and SVG) into the output directory")
	var reports reportFlags
	fs.Var(&reports, "report", "print a derived reporter, e.g. 'mean(share_value, 30..90)' (repeatable; docs/sweeps.md)")
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "hongbao run: one scenario at a time, got %d: %s\n", len(pos), strings.Join(pos, " "))
		return 2
	}
	name := "default"
	if len(pos) == 1 {
		name = pos[0]
	}
	if hint := otherFileKind(name); hint != "" {
		fmt.Fprintf(stderr, "hongbao run: %s\n", hint)
		return 2
	}
	s, sets, err := o.load(fs, name)
	if err == nil {
		err = reports.check(s)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	prov := &sim.Provenance{Source: name, Overrides: sets, ScenarioSHA256: sim.ScenarioSHA256(s), Build: binaryBuild()}
	dir := *out
	if dir == "" {
		dir = defaultRunDir(s, sets)
	}
	if err := checkRunDir(dir, prov, *force); err != nil {
		fmt.Fprintf(stderr, "hongbao run: %v\n", err)
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var progress func(int)
	large := int64(s.World.Users)*int64(s.World.Days) >= 5_000_000
	if !*quiet && large {
		// Building a large world takes a while before the first day.
		fmt.Fprintf(stderr, "building %s: %s users, %d days...\n", s.World.Name, count(float64(s.World.Users)), s.World.Days)
	}
	if !*quiet && isTerminal(os.Stderr) && large {
		bar := progressbar.NewOptions(s.World.Days, progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription(s.World.Name), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		progress = func(int) { bar.Add(1) }
	}
	limitMemory(s)
	res, err := sim.Run(ctx, s, progress)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao run: %v\n", err)
		return 1
	}
	res.Provenance = prov
	// Charts go into the new folder before it replaces the old one.
	var charts func(tmp string) error
	if *plot {
		charts = func(tmp string) error {
			if err := plotRun(tmp, res); err != nil {
				return fmt.Errorf("charts: %w", err)
			}
			return nil
		}
	}
	if err := sim.WriteRunDirWith(dir, res, charts); err != nil {
		fmt.Fprintf(stderr, "hongbao run: %v\n", err)
		return 1
	}
	if !*quiet {
		printRunTable(stdout, res)
		fmt.Fprintf(stdout, "\nwrote %s (%s, %.1fM user-days/s)\n", dir, res.Elapsed.Round(time.Millisecond), res.UserDaysPerSecond()/1e6)
	}
	printReports(stdout, res, reports, !*quiet)
	return 0
}

// plotRun is set by the charts package's command file when it is linked in.
var plotRun = func(dir string, r *sim.Result) error {
	return errors.New("charts are not built into this binary")
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// runWindow is the number of days at the end of a run over which the end
// table averages share and monthly actives: a last day can fall in a
// festival or an outage and say little about the standing.
const runWindow = 30

// printRunTable prints the end-of-run table: one line per platform, counts
// and yuan as whole numbers with thousands separators, units in the
// headers, and window means beside last-day values.
func printRunTable(w io.Writer, r *sim.Result) {
	last := r.History[len(r.History)-1]
	win := min(runWindow, len(r.History))
	fmt.Fprintf(w, "%s, seed %d, %s users standing for %s people, %d days to %s\n\n", r.Scenario.World.Name, r.Scenario.World.Seed,
		count(float64(r.Scenario.World.Users)), count(r.Scenario.World.Represents), len(r.History), last.Date)
	metric := r.Scenario.Payoff.Metric
	table := [][]string{{"platform", "share, last day", fmt.Sprintf("share, last %d days", win), "card-bound",
		"MAU, last day", fmt.Sprintf("MAU, last %d days", win), "merchants", "subsidies ¥", "treasury ¥", payoffHead(metric)}}
	for p, ps := range r.Platforms {
		f := ps.Final
		k := ensemble.KPIs(r, p, win, false)
		var mau float64
		for _, d := range r.History[len(r.History)-win:] {
			mau += float64(d.Platforms[p].MAU)
		}
		payoff := payoffCell(metric, ps.Payoff)
		table = append(table, []string{ps.Name, fixed(100*f.ShareValue, 1) + "%", fixed(100*k.ShareWindow, 1) + "%",
			count(float64(f.CardBound)), count(float64(f.MAU)), count(mau / float64(win)), count(float64(f.Merchants)),
			yuan(ps.SubsidiesFen), yuan(f.TreasuryFen), payoff})
	}
	writeAligned(w, table, 1)
	fmt.Fprintf(w, "(model units: simulated users and yuan; × %s for real people and yuan)\n", strconv.FormatFloat(r.Scale(), 'g', 6, 64))
}

// yuan formats fen as whole yuan with thousands separators, rounded to
// the nearest yuan like every amount (scenarios.RoundFen).
func yuan(fen int64) string {
	return scenarios.GroupThousands(strconv.FormatInt(scenarios.RoundFen(scenarios.FenToYuan(fen)), 10))
}
