package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/chart"
	"github.com/paywars/hongbao/sim/ensemble"
)

func init() {
	register(command{name: "compare", summary: "run scenarios or variants on the same seeds; overlay charts and a table", run: compareCmd})
}

// variantSpec is one argument of compare: a scenario, optionally with
// overrides of its own.
type variantSpec struct {
	label    string   // the argument as given, shown in tables and legends
	scenario string   // library name or .toml path
	sets     []string // the variant's overrides, key.path=value
}

// parseVariant reads NAME, FILE.toml or NAME:key=value,key=value. The
// first colon starts the overrides only if an = follows it, so a path
// with a colon in it stays a path; commas inside [...], {...} or quotes
// belong to the value (platforms.wechat.campaigns[0].merchant_kinds=["a","b"]).
func parseVariant(arg string) (variantSpec, error) {
	v := variantSpec{label: arg, scenario: arg}
	i := strings.IndexByte(arg, ':')
	if i < 0 || !strings.Contains(arg[i+1:], "=") {
		return v, nil
	}
	v.scenario = arg[:i]
	if v.scenario == "" {
		return v, fmt.Errorf("variant %q: no scenario before the colon (write NAME:key=value,...)", arg)
	}
	for _, kv := range splitTopLevel(arg[i+1:]) {
		kv = strings.TrimSpace(kv)
		if !strings.Contains(kv, "=") || strings.HasPrefix(kv, "=") {
			return v, fmt.Errorf("variant %q: %q is not key.path=value", arg, kv)
		}
		v.sets = append(v.sets, kv)
	}
	return v, nil
}

// splitTopLevel splits s at commas outside brackets, braces and quotes.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '{':
			depth++
		case r == ']' || r == '}':
			depth--
		case r == ',' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// parseSeeds reads a comma-separated list of seeds.
func parseSeeds(s string) ([]uint64, error) {
	var seeds []uint64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--seeds: %q is not a seed (a list like 1,2,3)", f)
		}
		seeds = append(seeds, n)
	}
	return seeds, nil
}

// compareHelp is printed by compare -h and when no scenario is given.
var compareHelp = help{
	synopsis: []string{"hongbao compare A B ... [--seeds 1,2,3] [--days N] [--users N] [--set K=V]... [--window N] [--out DIR] [--real] [--format png,svg] [--day-numbers] [--quiet] [--force-size]"},
	about: `Runs several scenarios or variants on the same seeds, in parallel, and prints
two tables: each variant's measures (mean ± sd over seeds) and each variant's
difference from the first one, the baseline, paired on the common seeds with a
95% Student-t interval (an interval that excludes 0 is marked *). It writes
DIR/compare.csv (the same figures) and DIR/compare.png and .svg (share of value
and monthly actives: one colour per platform, one dash style per variant, the
mean over seeds with the range across seeds shaded).

The measures (docs/compare.md defines each): share of wallet payment value on
the last day and averaged over the last --window days; monthly actives on the
last day; burn, the subsidies paid over the run; the subsidies paid up to 90
days before the end per monthly active gained by then and still active at the end;
payback, the days from the first subsidy until fees cover subsidies for good;
the treasury; and the scenario's payoff.

Each argument is a library name, a .toml file, or a variant NAME:key=value,key=value
(the scenario NAME or file with overrides of its own, applied after --set, --days and
--users; commas inside [...], {...} or quotes belong to the value). --days and
world.days both run the first N days, the schedule cut there.

With --real, counts and yuan are multiplied by represents/users (real people and
yuan), and so is the payoff unless the scenario's payoff metric is a share.`,
	examples: []string{"hongbao compare default default:envelopes.per_day=0 --seeds 1,2,3 --users 20000 --days 120"},
}

func compareCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("compare", stderr, compareHelp)
	var o runOptions // --seed is not offered: --seeds replaces it
	fs.IntVar(&o.days, "days", 0, "days to simulate (default: each scenario's)")
	fs.IntVar(&o.users, "users", 0, "simulated users (default: each scenario's)")
	fs.Var(&o.sets, "set", "override a key of every variant, as key.path=value (repeatable)")
	seedList := fs.String("seeds", "", "comma-separated seeds every variant runs on (default: the first scenario's seed; several give intervals)")
	out := fs.String("out", filepath.Join("out", "compare"), "directory for compare.csv and the charts")
	quiet := fs.Bool("quiet", false, "print nothing but the table and errors")
	forceSizeFlag(fs)
	window := fs.Int("window", 90, "days at the end of the run that the window measures average over (mean share)")
	var cf chartFlags
	cf.register(fs)
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "hongbao compare: "+format+"\n", args...)
		return 2
	}
	if len(pos) == 0 {
		fs.Usage()
		return 2
	}
	if err := cf.check(); err != nil {
		return usageErr("%v", err)
	}
	if *window < 1 {
		return usageErr("--window must be 1 day or more, got %d", *window)
	}
	var specs []variantSpec
	seen := map[string]int{}
	for _, a := range pos {
		v, err := parseVariant(a)
		if err != nil {
			return usageErr("%v", err)
		}
		if seen[v.label]++; seen[v.label] > 1 {
			v.label += " #" + strconv.Itoa(seen[v.label])
		}
		specs = append(specs, v)
	}
	var seeds []uint64
	if *seedList != "" {
		var err error
		if seeds, err = parseSeeds(*seedList); err != nil {
			return usageErr("%v", err)
		}
	}

	// Load every scenario first, so that a mistake in the last argument
	// is reported before anything runs.
	common, from := o.overrides(fs)
	load := func(v variantSpec, seed *uint64) (*scenarios.Scenario, error) {
		sets := append(append([]string(nil), common...), v.sets...)
		if seed != nil {
			sets = append(sets, "world.seed="+strconv.FormatUint(*seed, 10))
		}
		s, err := scenarios.Load(v.scenario, sets)
		if err != nil {
			return nil, fmt.Errorf("%s:\n%w", v.label, blameFlags(err, from))
		}
		return s, nil
	}
	if seeds == nil {
		s, err := load(specs[0], nil)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		seeds = []uint64{s.World.Seed}
	}
	var jobs []ensemble.Job
	for vi, v := range specs {
		for _, seed := range seeds {
			s, err := load(v, &seed)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
			jobs = append(jobs, ensemble.Job{Variant: vi, Scenario: s})
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	outcomes, err := ensemble.Run(ctx, jobs, ensemble.Options{Progress: func(o *ensemble.Outcome, done, total int) {
		if !*quiet && o.Err == nil {
			fmt.Fprintf(stderr, "ran %s, seed %d (%s) [%d/%d]\n", specs[o.Variant].label, o.Scenario.World.Seed, o.Elapsed.Round(time.Millisecond), done, total)
		}
	}})
	if err != nil {
		o := ensemble.FirstFailure(outcomes)
		fmt.Fprintf(stderr, "hongbao compare: %s, seed %d: %v\n", specs[o.Variant].label, o.Scenario.World.Seed, o.Err)
		return 1
	}

	// The window never exceeds the shortest run, so its header says what
	// was averaged.
	for _, o := range outcomes {
		*window = min(*window, len(o.Result.History))
	}
	rows := compareRows(specs, outcomes, *window, cf.real)
	printCompareTable(stdout, rows, len(seeds), *window, cf.real)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "hongbao compare: %v\n", err)
		return 1
	}
	csvPath := filepath.Join(*out, "compare.csv")
	if err := sim.WriteFileAtomic(csvPath, func(w io.Writer) error { return writeCompareCSV(w, rows, *window, cf.real) }); err != nil {
		fmt.Fprintf(stderr, "hongbao compare: %v\n", err)
		return 1
	}
	variants := make([]chart.Variant, len(specs))
	for vi, v := range specs {
		variants[vi].Name = v.label
	}
	for _, o := range outcomes {
		variants[o.Variant].Runs = append(variants[o.Variant].Runs, chart.FromResult(o.Result))
	}
	files, err := chart.WriteCompareCharts(*out, variants, cf.options())
	if err != nil {
		fmt.Fprintf(stderr, "hongbao compare: %v\n", err)
		return 1
	}
	if !*quiet {
		fmt.Fprintf(stdout, "\nwrote %s\n", strings.Join(append([]string{csvPath}, files...), ", "))
	}
	return 0
}
