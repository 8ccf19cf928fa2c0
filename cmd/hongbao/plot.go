package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/chart"
)

func init() {
	register(command{name: "plot", summary: "draw the charts of a run directory (PNG and SVG)", run: plotCmd})
	// hongbao run --plot draws with the defaults: model scale, dates.
	plotRun = func(dir string, r *sim.Result) error {
		_, err := chart.WriteRunCharts(dir, chart.FromResult(r), chart.Options{})
		return err
	}
}

// chartFlags are the drawing flags shared by plot and compare.
type chartFlags struct {
	real       bool
	dayNumbers bool
	formats    string
}

func (c *chartFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.real, "real", false, "real-world units: multiply counts and money by represents/users")
	fs.BoolVar(&c.dayNumbers, "day-numbers", false, "label the x axis with day numbers instead of dates")
	fs.StringVar(&c.formats, "format", "png,svg", "comma-separated file formats: png, svg")
}

func (c *chartFlags) options() chart.Options {
	var formats []string
	for _, f := range strings.Split(c.formats, ",") {
		if f = strings.TrimSpace(f); f != "" {
			formats = append(formats, f)
		}
	}
	return chart.Options{RealUnits: c.real, DayNumbers: c.dayNumbers, Formats: formats}
}

// check rejects a format the charts cannot write, as a usage error.
func (c *chartFlags) check() error {
	for _, f := range c.options().Formats {
		if f != "png" && f != "svg" {
			return fmt.Errorf("unknown format %q in --format (png or svg)", f)
		}
	}
	return nil
}

// plotHelp is printed by plot -h and after a wrong number of arguments.
var plotHelp = help{
	synopsis: []string{"hongbao plot DIR [--real] [--out DIR2] [--format png,svg] [--day-numbers]"},
	about: `Draws the charts of a run directory written by hongbao run (timeseries.csv and
summary.json): share.*, users.*, money.*, envelopes.* (when the run sent any) and
overview.png, and lists the files written. A chart or panel with nothing to show
(no envelopes, no subsidies) is left out.`,
	examples: []string{"hongbao run default --seed 7 --out out/d7 && hongbao plot out/d7 --real"},
}

func plotCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("plot", stderr, plotHelp)
	var cf chartFlags
	cf.register(fs)
	out := fs.String("out", "", "directory to write the charts into (default: the run directory)")
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "hongbao plot: want one run directory, got %d\n\n", len(pos))
		fs.Usage()
		return 2
	}
	if err := cf.check(); err != nil {
		fmt.Fprintf(stderr, "hongbao plot: %v\n", err)
		return 2
	}
	dir := pos[0]
	if hint := otherDirKind(dir); hint != "" {
		fmt.Fprintf(stderr, "hongbao plot: %s\n", hint)
		return 1
	}
	run, err := chart.ReadRunDir(dir)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao plot: %v\n", err)
		return 1
	}
	if *out == "" {
		*out = dir
	}
	files, err := chart.WriteRunCharts(*out, run, cf.options())
	if err != nil {
		fmt.Fprintf(stderr, "hongbao plot: %v\n", err)
		return 1
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return 0
}
