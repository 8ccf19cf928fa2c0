package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/paywars/hongbao/sim/calibrate"
	"github.com/paywars/hongbao/sim/chart"
)

func init() {
	register(command{name: "chart", summary: "draw an episode against the record: predictive bands over seeds and the record's points", run: chartCmd})
}

// chartHelp is printed by chart -h and after a wrong command line.
var chartHelp = help{
	synopsis: []string{"hongbao chart episode NAME [--seeds N] [--users N] [--spec FILE] [--inputs ID,ID] [--out DIR] [--format png,svg] [--day-numbers] [--quiet] [--force-size]"},
	about: `Runs a library episode on seeds 1 to N in parallel and draws it against the
public record: DIR/episode-NAME.png and .svg, and DIR/episode-NAME.csv (each
record figure with the model's 5%, 50% and 95% over the seeds).

The figures are the record's (record/*.csv): the targets and held-out figures
the calibration spec measures on the episode (--spec, by default
calibration/library.toml), and the input figures named by --inputs (budgets and
schedules the episode takes from the record). Each panel is one measure: the
model's trajectory (median line, 5-95% of seeds shaded), measured by day or by
month as the record states the figure; at each figure's period, the model's
measure of that figure (a box from the 5% to the 95% seed, the median a bar);
and the figure itself, a circle if fitted, an open diamond if held out, a
square if an input, numbered by its source in the list under the chart.

The episode runs on the library's behaviour profile as it stands; counts are
real-world (model counts × represents/users), as the record's are.`,
	examples: []string{
		"hongbao chart episode taxi-war-2014 --seeds 20 --inputs didi-spend-q1,kuaidi-spend-h1 --out docs/img",
		"scripts/episode-charts.sh   # every episode chart of docs/episodes.md",
	},
}

func chartCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("chart", stderr, chartHelp)
	seeds := fs.Int("seeds", 20, "run seeds 1 to N (the band is their 5% to 95%)")
	users := fs.Int("users", 0, "simulated users (default: the episode's own)")
	specPath := fs.String("spec", filepath.Join("calibration", "library.toml"), "calibration spec that says which record figures belong to which episode")
	inputs := fs.String("inputs", "", "comma-separated ids of record figures tagged input to overlay")
	out := fs.String("out", filepath.Join("out", "charts"), "directory for the chart and its table")
	quiet := fs.Bool("quiet", false, "print nothing but the files written and errors")
	var cf chartFlags
	fs.BoolVar(&cf.dayNumbers, "day-numbers", false, "label the x axis with day numbers instead of dates")
	fs.StringVar(&cf.formats, "format", "png,svg", "comma-separated file formats: png, svg")
	forceSizeFlag(fs)
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	usageErr := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "hongbao chart: "+format+"\n\n", args...)
		fs.Usage()
		return 2
	}
	if len(pos) != 2 || pos[0] != "episode" {
		return usageErr("want `episode NAME`, got %q", strings.Join(pos, " "))
	}
	if *seeds < 1 {
		return usageErr("--seeds must be 1 or more, got %d", *seeds)
	}
	if *users < 0 {
		return usageErr("--users must be 0 (the episode's own) or more, got %d", *users)
	}
	if err := cf.check(); err != nil {
		return usageErr("%v", err)
	}
	name := pos[1]
	fail := func(err error) int {
		fmt.Fprintf(stderr, "hongbao chart: %v\n", err)
		return 1
	}
	sp, err := calibrate.LoadSpec(*specPath)
	if err != nil {
		return fail(err)
	}
	var ids []string
	for _, id := range strings.Split(*inputs, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	figs, err := chart.EpisodeFigures(sp, name, ids)
	if err != nil {
		return fail(err)
	}
	if len(figs) == 0 {
		return fail(fmt.Errorf("%s: no record figures: %s measures none on it and --inputs names none", name, *specPath))
	}
	list := make([]uint64, *seeds)
	for i := range list {
		list[i] = uint64(i + 1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	began := time.Now()
	ep, err := chart.BuildEpisode(ctx, name, figs, chart.EpisodeOptions{Users: *users, Seeds: list,
		Progress: func(seed uint64, elapsed time.Duration, done, total int) {
			if !*quiet {
				fmt.Fprintf(stderr, "ran %s, seed %d [%d/%d, %s]\n", name, seed, done, total, elapsed.Round(time.Millisecond))
			}
		}})
	if err != nil {
		return fail(err)
	}
	files, err := chart.WriteEpisodeChart(*out, ep, cf.options())
	if err != nil {
		return fail(err)
	}
	table := filepath.Join(*out, chart.EpisodeChartName(name)+".csv")
	if err := chart.WriteEpisodeTable(table, ep); err != nil {
		return fail(err)
	}
	for _, f := range append(files, table) {
		fmt.Fprintln(stdout, f)
	}
	if !*quiet {
		fmt.Fprintf(stderr, "%s: %d figures, %d seeds at %d users in %s\n", name, len(figs), *seeds, ep.Users, time.Since(began).Round(100*time.Millisecond))
	}
	return 0
}
