package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/paywars/hongbao/sim/sweep"
)

func init() {
	register(command{name: "sensitivity", summary: "Sobol' indices or Morris effects from a saltelli or morris sweep", run: sensitivityCmd})
}

// outputFlags collects repeated --output names.
type outputFlags []string

func (o *outputFlags) String() string     { return strings.Join(*o, ",") }
func (o *outputFlags) Set(v string) error { *o = append(*o, v); return nil }

// sensitivityHelp is printed by sensitivity -h.
var sensitivityHelp = help{
	synopsis: []string{"hongbao sensitivity DIR [--output NAME]... [--resamples N] [--confidence C] [--charts DIR | --no-charts]"},
	about: `Reads a finished sweep (merged, if it ran in shards) whose design is saltelli or
morris, and for each output prints first- and total-order Sobol' indices with
bootstrap intervals (saltelli) or Morris's μ*, μ and σ (morris), computed on each
point's mean over its replicates; it writes a bar chart, sobol-NAME.png or
morris-NAME.png.`,
	examples: []string{"hongbao sensitivity sweeps/sobol --output wechat_share_value"},
}

func sensitivityCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sensitivity", stderr, sensitivityHelp)
	var outputs outputFlags
	fs.Var(&outputs, "output", "analyse this output (repeatable; default all)")
	resamples := fs.Int("resamples", 0, "bootstrap resamples for the Sobol' intervals (default 1000)")
	confidence := fs.Float64("confidence", 0, "level of the Sobol' intervals (default 0.95)")
	charts := fs.String("charts", "", "directory for the bar charts (default DIR)")
	noCharts := fs.Bool("no-charts", false, "write no chart")
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if !oneArg(fs, pos, "sweep directory") {
		return 2
	}
	if *resamples < 0 || *confidence < 0 || *confidence >= 1 {
		fmt.Fprintln(stderr, "hongbao sensitivity: --resamples must be 0 or more and --confidence between 0 and 1")
		return 2
	}
	opt := sweep.AnalyzeOptions{Outputs: outputs, Resamples: *resamples, Confidence: *confidence, ChartDir: *charts}
	if *noCharts {
		opt.ChartDir = sweep.NoCharts
	}
	res, err := sweep.Analyze(pos[0], opt)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao sensitivity: %v\n", strings.TrimPrefix(err.Error(), "sweep: "))
		return 1
	}
	for i, a := range res {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		kind := "Sobol' indices"
		if a.Morris != nil {
			kind = "Morris elementary effects"
		}
		fmt.Fprintf(stdout, "%s: %s\n\n%s", a.Output, kind, a.Table())
		if a.Chart != "" {
			fmt.Fprintf(stdout, "chart: %s\n", a.Chart)
		}
	}
	return 0
}
