package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/calibrate"
	"github.com/paywars/hongbao/sim/search"
)

func init() {
	register(command{name: "calibrate", summary: "fit the shared behaviour profile to the record, or validate it on held-out figures", run: calibrateCmd})
}

var calibrateHelp = help{
	synopsis: []string{
		"hongbao calibrate SPEC.toml [--out DIR] [--workers N] [--json] [--quiet] [--write-profile FILE]",
		"hongbao calibrate SPEC.toml --validate [--out DIR] [--users N] [--seeds N] [--json]",
		"hongbao calibrate SPEC.toml --loeo [--loeo-budget N] [--out DIR] [--workers N] [--json] [--quiet]",
	},
	about: `Fits the spec's behavioural parameters jointly over its episodes to the record's
figures tagged fit (record/*.csv), with a bounded CMA-ES on common seeds, and reports
the fit per figure, standardised residuals, parameter intervals, poorly identified
parameters and correlated pairs (docs/calibration.md). DIR (default out/calibrate)
gets the journal, result.json and the fitted profile NAME.toml; after a crash or
Ctrl-C the same command resumes from the journal.

With --validate, runs the fitted profile (DIR/result.json, or the profile as it
is when there is none) on the spec's held-out figures over seeds and posterior
draws and reports each with its 90% predictive band and the held-out RMSE.

With --loeo, refits without each episode's figures in turn (from DIR/result.json)
and predicts them: leave-one-episode-out.`,
	examples: []string{
		"hongbao calibrate calibration/library.toml --out out/calib",
		"hongbao calibrate calibration/library.toml --validate --out out/calib",
	},
}

func calibrateCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("calibrate", stderr, calibrateHelp)
	out := fs.String("out", filepath.Join("out", "calibrate"), "output directory: journal, result.json, the fitted profile")
	workers := fs.Int("workers", 0, "simulations at a time (default GOMAXPROCS, every core)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	quiet := fs.Bool("quiet", false, "no progress lines")
	validate := fs.Bool("validate", false, "predict the held-out figures with the fitted profile")
	users := fs.Int("users", 0, "validate: users per episode (default the spec's users)")
	seeds := fs.Int("seeds", 4, "validate: seeds per parameter draw")
	loeo := fs.Bool("loeo", false, "leave-one-episode-out: refit without each episode's figures, from DIR/result.json, and predict them")
	loeoBudget := fs.Int("loeo-budget", 0, "loeo: full calls per refit (default a quarter of the spec's budget)")
	writeProfile := fs.String("write-profile", "", "also write the fitted profile to FILE (scenarios/profiles/behaviour.toml to adopt it)")
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if !oneArg(fs, pos, "calibration spec") || !notNegative(fs, "workers", *workers) || !notNegative(fs, "users", *users) {
		return 2
	}
	sp, err := calibrate.LoadSpec(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *validate {
		return validateModel(ctx, sp, *out, *users, *seeds, *asJSON, stdout, stderr)
	}
	if *loeo {
		return leaveOneOut(ctx, sp, *out, *loeoBudget, *workers, *asJSON, *quiet, stdout, stderr)
	}
	start := time.Now()
	progress := func(p search.Progress) {
		if *quiet {
			return
		}
		best := "none yet"
		if p.HaveBest {
			best = fmt.Sprintf("%.1f", p.Best)
		}
		fmt.Fprintf(stderr, "calibrate: %d/%d calls (%d replayed), restart %d generation %d, best loss %s, %s elapsed, ETA %s\n",
			p.Calls, p.Budget, p.Replayed, p.Restart, p.Gen, best, p.Elapsed.Round(time.Second), p.ETA.Round(time.Second))
	}
	res, err := calibrate.Calibrate(ctx, sp, calibrate.Options{Dir: *out, Workers: *workers, Progress: progress})
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "hongbao calibrate: interrupted; the journal in %s keeps every call: run the same command again to resume\n", *out)
			return 1
		}
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	if err := writeJSON(filepath.Join(*out, "result.json"), res); err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	src, err := scenarios.ProfileSource(sp.Profile)
	if err == nil {
		src, err = calibrate.WriteProfile(src, sp.Keys(), res.Search.X)
	}
	if err == nil {
		paths := []string{filepath.Join(*out, sp.Profile+".toml")}
		if *writeProfile != "" {
			paths = append(paths, *writeProfile)
		}
		for _, p := range paths {
			if err = sim.WriteFileAtomic(p, func(w io.Writer) error { _, e := w.Write(src); return e }); err != nil {
				break
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: the fitted profile: %v\n", err)
		return 1
	}
	if *asJSON {
		return printJSON(stdout, stderr, res)
	}
	calibrate.WriteReport(stdout, res)
	fmt.Fprintf(stdout, "\nwrote %s (result.json, %s.toml) in %s\n", *out, sp.Profile, time.Since(start).Round(time.Second))
	return 0
}

// leaveOneOut is calibrate --loeo.
func leaveOneOut(ctx context.Context, sp *calibrate.Spec, dir string, budget, workers int, asJSON, quiet bool, stdout, stderr io.Writer) int {
	var res calibrate.Result
	b, err := os.ReadFile(filepath.Join(dir, "result.json"))
	if err == nil {
		err = json.Unmarshal(b, &res)
	}
	if err != nil || res.Search == nil || len(res.Search.X) != len(sp.Params) {
		fmt.Fprintf(stderr, "hongbao calibrate: --loeo starts from the full fit in %s; run the calibration first\n", filepath.Join(dir, "result.json"))
		return 1
	}
	if budget == 0 {
		budget = max(1, sp.Budget/4)
	}
	prog := func(ep string, p search.Progress) {
		if !quiet {
			fmt.Fprintf(stderr, "calibrate --loeo %s: %d/%d calls, ETA %s\n", ep, p.Calls, p.Budget, p.ETA.Round(time.Second))
		}
	}
	out, err := calibrate.LeaveOneEpisodeOut(ctx, sp, res.Search.X, budget, dir, workers, prog)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	if err := writeJSON(filepath.Join(dir, "loeo.json"), out); err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	if asJSON {
		return printJSON(stdout, stderr, out)
	}
	for _, lo := range out {
		fmt.Fprintf(stdout, "left out %s (refit in %d calls):\n", lo.Episode, lo.Calls)
		for _, f := range lo.Fit {
			fmt.Fprintf(stdout, "  %-26s %-8s record %10.4g  predicted %10.4g  z %+6.2f\n", f.ID, f.Period, f.Record, f.Model, f.Z)
		}
		if lo.RMSE > 0 {
			fmt.Fprintf(stdout, "  RMSE of its shares: %.2f points\n", lo.RMSE)
		}
	}
	return 0
}

// validateModel is calibrate --validate.
func validateModel(ctx context.Context, sp *calibrate.Spec, dir string, users, seeds int, asJSON bool, stdout, stderr io.Writer) int {
	if len(sp.Holdout) == 0 {
		fmt.Fprintln(stderr, "hongbao calibrate: the spec has no [[holdout]] figures to validate on")
		return 1
	}
	if users == 0 {
		users = sp.Users
	}
	if seeds < 1 {
		fmt.Fprintln(stderr, "hongbao calibrate: --seeds must be at least 1")
		return 2
	}
	var x []float64
	var cov [][]float64
	var res calibrate.Result
	b, err := os.ReadFile(filepath.Join(dir, "result.json"))
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &res); err != nil || res.Search == nil || len(res.Search.X) != len(sp.Params) {
			fmt.Fprintf(stderr, "hongbao calibrate: %s is not a result of this spec\n", filepath.Join(dir, "result.json"))
			return 1
		}
		x, cov = res.Search.X, res.Covariance
	case errors.Is(err, os.ErrNotExist):
		// No fit in DIR: the profile as it is, seeds only.
		x, err = calibrate.ProfileValues(sp)
		if err != nil {
			fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
			return 1
		}
	default:
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	v, err := calibrate.Validate(ctx, sp, x, cov, sp.Draws, seeds, users)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		if err := writeJSON(filepath.Join(dir, "validation.json"), v); err != nil {
			fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
			return 1
		}
	}
	if asJSON {
		return printJSON(stdout, stderr, v)
	}
	calibrate.WriteValidation(stdout, v)
	return 0
}

func writeJSON(path string, v any) error {
	return sim.WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

func printJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	return 0
}
