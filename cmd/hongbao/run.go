package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
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

// load resolves the scenario and applies --seed and --users as --set
// overrides, so that they are validated exactly like the file. --days
// sets the horizon: a shorter run is the scenario's first days, its
// schedule cut there (scenarios.SetHorizon).
func (o *runOptions) load(fs *flag.FlagSet, name string) (*scenarios.Scenario, error) {
	sets := append([]string(nil), o.sets...)
	days := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "seed":
			sets = append(sets, "world.seed="+f.Value.String())
		case "days":
			days = true
		case "users":
			sets = append(sets, "world.users="+f.Value.String())
		}
	})
	s, err := scenarios.Load(name, sets)
	if err != nil || !days {
		return s, err
	}
	return s, scenarios.SetHorizon(s, o.days)
}

// runHelp is printed by run -h.
var runHelp = help{
	synopsis: []string{"hongbao run [NAME|FILE] [--seed N] [--days N] [--users N] [--set K=V]... [--out DIR] [--quiet] [--plot] [--report EXPR]..."},
	about: `Runs a library scenario (default: "default") or a scenario file and writes
DIR/timeseries.csv (one row per day and platform) and DIR/summary.json.`,
	examples: []string{"hongbao run default --seed 7 --days 120 --set platforms.alipay.fee_rate=0.003"},
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", stderr, runHelp)
	var o runOptions
	o.register(fs)
	out := fs.String("out", "", "output directory (default out/<scenario>-seed<N>)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
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
	s, err := o.load(fs, name)
	if err == nil {
		err = reports.check(s)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", s.World.Name+"-seed"+strconv.FormatUint(s.World.Seed, 10))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var progress func(int)
	if !*quiet && isTerminal(os.Stderr) && int64(s.World.Users)*int64(s.World.Days) >= 5_000_000 {
		bar := progressbar.NewOptions(s.World.Days, progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription(s.World.Name), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		progress = func(int) { bar.Add(1) }
	}
	res, err := sim.Run(ctx, s, progress)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao run: %v\n", err)
		return 1
	}
	if err := sim.WriteRunDir(dir, res); err != nil {
		fmt.Fprintf(stderr, "hongbao run: %v\n", err)
		return 1
	}
	if *plot {
		if err := plotRun(dir, res); err != nil {
			fmt.Fprintf(stderr, "hongbao run: charts: %v\n", err)
			return 1
		}
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

// printRunTable prints the end-of-run table: one line per platform.
func printRunTable(w io.Writer, r *sim.Result) {
	last := r.History[len(r.History)-1]
	fmt.Fprintf(w, "%s, seed %d, %d users, %d days to %s\n\n", r.Scenario.World.Name, r.Scenario.World.Seed,
		r.Scenario.World.Users, len(r.History), last.Date)
	fmt.Fprintf(w, "%-12s %8s %8s %10s %10s %10s %14s %14s %12s\n",
		"platform", "share", "all", "card-bound", "MAU", "merchants", "subsidies ¥", "treasury ¥", "payoff")
	for _, ps := range r.Platforms {
		f := ps.Final
		fmt.Fprintf(w, "%-12s %7.1f%% %7.1f%% %10d %10d %10d %14s %14s %12.4g\n", ps.Name,
			100*f.ShareValue, 100*f.ShareAll, f.CardBound, f.MAU, f.Merchants,
			yuan(ps.SubsidiesFen), yuan(f.TreasuryFen), ps.Payoff)
	}
}

// yuan formats fen as whole yuan with thousands separators.
func yuan(fen int64) string { return scenarios.GroupThousands(strconv.FormatInt(fen/100, 10)) }
