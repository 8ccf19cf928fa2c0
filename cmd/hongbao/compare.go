package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
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
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/chart"
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

// compareJob is one run of a comparison.
type compareJob struct {
	variant int
	seed    uint64
	s       *scenarios.Scenario
	res     *sim.Result
	err     error
	elapsed time.Duration
}

// compareHelp is printed by compare -h and when no scenario is given.
var compareHelp = help{
	synopsis: []string{"hongbao compare A B ... [--seeds 1,2,3] [--days N] [--users N] [--set K=V]... [--out DIR] [--real]"},
	about: `Runs several scenarios or variants on the same seeds, in parallel, and writes
DIR/compare.csv (final metrics per variant and platform, mean and sd over seeds)
and DIR/compare.png and .svg (share of value and monthly actives: one colour per
platform, one dash style per variant, mean over seeds); the table is printed too.

Each argument is a library name, a .toml file, or a variant NAME:key=value,key=value
(the scenario NAME or file with overrides of its own, applied after --set, --days and
--users; commas inside [...], {...} or quotes belong to the value).

With --real, counts and yuan are multiplied by represents/users, and so is the
payoff unless the scenario's payoff metric is a share.`,
	examples: []string{"hongbao compare default default:platforms.alipay.services=0.9 --seeds 1,2,3 --users 20000"},
}

func compareCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("compare", stderr, compareHelp)
	var o runOptions // --seed is not offered: --seeds replaces it
	fs.IntVar(&o.days, "days", 0, "days to simulate (default: each scenario's)")
	fs.IntVar(&o.users, "users", 0, "simulated users (default: each scenario's)")
	fs.Var(&o.sets, "set", "override a key of every variant, as key.path=value (repeatable)")
	seedList := fs.String("seeds", "", "comma-separated seeds every variant runs on (default: the first scenario's seed)")
	out := fs.String("out", filepath.Join("out", "compare"), "directory for compare.csv and the charts")
	quiet := fs.Bool("quiet", false, "print nothing but the table and errors")
	forceSizeFlag(fs)
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
	common := append([]string(nil), o.sets...)
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "days":
			common = append(common, "world.days="+f.Value.String())
		case "users":
			common = append(common, "world.users="+f.Value.String())
		}
	})
	load := func(v variantSpec, seed *uint64) (*scenarios.Scenario, error) {
		sets := append(append([]string(nil), common...), v.sets...)
		if seed != nil {
			sets = append(sets, "world.seed="+strconv.FormatUint(*seed, 10))
		}
		s, err := scenarios.Load(v.scenario, sets)
		if err != nil {
			return nil, fmt.Errorf("%s:\n%w", v.label, err)
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
	var jobs []*compareJob
	for vi, v := range specs {
		for _, seed := range seeds {
			s, err := load(v, &seed)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
			jobs = append(jobs, &compareJob{variant: vi, seed: seed, s: s})
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var logMu sync.Mutex
	runJobs(ctx, jobs, func(j *compareJob) {
		if *quiet {
			return
		}
		logMu.Lock()
		defer logMu.Unlock()
		if j.err == nil {
			fmt.Fprintf(stderr, "ran %s, seed %d (%s)\n", specs[j.variant].label, j.seed, j.elapsed.Round(time.Millisecond))
		}
	})
	if j := firstFailure(jobs); j != nil {
		fmt.Fprintf(stderr, "hongbao compare: %s, seed %d: %v\n", specs[j.variant].label, j.seed, j.err)
		return 1
	}

	rows := compareRows(specs, jobs, cf.real)
	printCompareTable(stdout, rows, len(seeds))
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "hongbao compare: %v\n", err)
		return 1
	}
	csvPath := filepath.Join(*out, "compare.csv")
	if err := sim.WriteFileAtomic(csvPath, func(w io.Writer) error { return writeCompareCSV(w, rows, cf.real) }); err != nil {
		fmt.Fprintf(stderr, "hongbao compare: %v\n", err)
		return 1
	}
	variants := make([]chart.Variant, len(specs))
	for vi, v := range specs {
		variants[vi].Name = v.label
	}
	for _, j := range jobs {
		variants[j.variant].Runs = append(variants[j.variant].Runs, chart.FromResult(j.res))
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

// runJobs runs the jobs on GOMAXPROCS goroutines. Each job writes only its
// own fields, so results do not depend on the order jobs finish in (each
// run is deterministic on its own). The first failure cancels the runs not
// yet finished; done is called after each job.
func runJobs(ctx context.Context, jobs []*compareJob, done func(*compareJob)) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan *compareJob)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(jobs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				start := time.Now()
				j.res, j.err = sim.Run(ctx, j.s, nil)
				j.elapsed = time.Since(start)
				if j.err != nil {
					cancel()
				}
				done(j)
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
}

// firstFailure returns the first failed job in argument order, whatever
// ran first, preferring a real failure to a run cancelled because of it.
func firstFailure(jobs []*compareJob) *compareJob {
	var cancelled *compareJob
	for _, j := range jobs {
		switch {
		case j.err == nil:
		case errors.Is(j.err, context.Canceled):
			if cancelled == nil {
				cancelled = j
			}
		default:
			return j
		}
	}
	return cancelled
}

// stat is a mean and a sample standard deviation over seeds.
type stat struct{ mean, sd float64 }

// newStat summarises xs; the sd of a single value is 0.
func newStat(xs []float64) stat {
	var st stat
	for _, x := range xs {
		st.mean += x
	}
	st.mean /= float64(len(xs))
	if len(xs) > 1 {
		var ss float64
		for _, x := range xs {
			ss += (x - st.mean) * (x - st.mean)
		}
		st.sd = math.Sqrt(ss / float64(len(xs)-1))
	}
	return st
}

// compareRow is one variant and platform of the table.
type compareRow struct {
	variant, platform, metric   string
	seeds                       int
	share, cardBound, mau       stat
	treasury, subsidies, payoff stat // yuan, yuan, the payoff metric's unit
}

// compareRows computes the table: platforms of each variant in its
// scenario's order, final values averaged over seeds. With real set,
// counts and yuan are multiplied by the run's scale, and so is the payoff
// unless it is a share.
func compareRows(specs []variantSpec, jobs []*compareJob, real bool) []compareRow {
	var rows []compareRow
	for vi, v := range specs {
		var runs []*sim.Result
		for _, j := range jobs {
			if j.variant == vi {
				runs = append(runs, j.res)
			}
		}
		for _, ps := range runs[0].Platforms {
			var share, bound, mau, treasury, subsidies, payoff []float64
			for _, r := range runs {
				k := 1.0
				if real {
					k = r.Scale()
				}
				for _, q := range r.Platforms {
					if q.Name != ps.Name {
						continue
					}
					share = append(share, q.Final.ShareValue)
					bound = append(bound, float64(q.Final.CardBound)*k)
					mau = append(mau, float64(q.Final.MAU)*k)
					treasury = append(treasury, float64(q.Final.TreasuryFen)/100*k)
					subsidies = append(subsidies, float64(q.SubsidiesFen)/100*k)
					pk := k
					if r.Scenario.Payoff.Metric == "share" {
						pk = 1
					}
					payoff = append(payoff, q.Payoff*pk)
				}
			}
			rows = append(rows, compareRow{variant: v.label, platform: ps.Name, metric: runs[0].Scenario.Payoff.Metric,
				seeds: len(share), share: newStat(share), cardBound: newStat(bound), mau: newStat(mau),
				treasury: newStat(treasury), subsidies: newStat(subsidies), payoff: newStat(payoff)})
		}
	}
	return rows
}

// printCompareTable prints the rows side by side, mean ± sd when there is
// more than one seed.
func printCompareTable(w io.Writer, rows []compareRow, seeds int) {
	pm := func(st stat, f func(float64) string) string {
		if seeds < 2 {
			return f(st.mean)
		}
		return f(st.mean) + " ± " + f(st.sd)
	}
	pct := func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
	payoff := func(r compareRow) string {
		if r.metric == "share" {
			return pm(r.payoff, pct)
		}
		return pm(r.payoff, chart.FormatSI)
	}
	table := [][]string{{"variant", "platform", "share_value", "card_bound", "mau", "treasury ¥", "subsidies ¥", "payoff"}}
	for _, r := range rows {
		table = append(table, []string{r.variant, r.platform, pm(r.share, pct), pm(r.cardBound, chart.FormatSI),
			pm(r.mau, chart.FormatSI), pm(r.treasury, chart.FormatSI), pm(r.subsidies, chart.FormatSI), payoff(r)})
	}
	widths := make([]int, len(table[0]))
	for _, row := range table {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, row := range table {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if i < 2 { // names left-aligned, numbers right-aligned
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
			if i < len(row)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, b.String())
	}
	if seeds > 1 {
		fmt.Fprintf(w, "(mean ± sd over %d seeds)\n", seeds)
	}
}

// compareColumns is the header of compare.csv.
var compareColumns = []string{"variant", "platform", "seeds", "units", "payoff_metric",
	"share_value_mean", "share_value_sd", "card_bound_mean", "card_bound_sd", "mau_mean", "mau_sd",
	"treasury_yuan_mean", "treasury_yuan_sd", "subsidies_yuan_mean", "subsidies_yuan_sd", "payoff_mean", "payoff_sd"}

// writeCompareCSV writes the table with six decimals at most.
func writeCompareCSV(out io.Writer, rows []compareRow, real bool) error {
	w := csv.NewWriter(out)
	w.Write(compareColumns)
	units := "model"
	if real {
		units = "real"
	}
	num := func(x float64) string {
		s := strconv.FormatFloat(x, 'f', 6, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		if s == "-0" {
			s = "0"
		}
		return s
	}
	for _, r := range rows {
		fields := []string{r.variant, r.platform, strconv.Itoa(r.seeds), units, r.metric}
		for _, st := range []stat{r.share, r.cardBound, r.mau, r.treasury, r.subsidies, r.payoff} {
			fields = append(fields, num(st.mean), num(st.sd))
		}
		w.Write(fields)
	}
	w.Flush()
	return w.Error()
}
