package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
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
		"hongbao calibrate SPEC.toml --posterior abc [--particles N] [--generations G] [--max-particles N] [--out DIR] [--workers N] [--json] [--quiet]",
		"hongbao calibrate SPEC.toml --validate [--out DIR] [--users N] [--seeds N] [--json]",
		"hongbao calibrate SPEC.toml --loeo [--loeo-budget N] [--out DIR] [--workers N] [--json] [--quiet]",
		"hongbao calibrate SPEC.toml --compare DIR_A,DIR_B [--replicates N] [--workers N] [--json]",
	},
	about: `Fits the spec's behavioural parameters jointly over its episodes to the record's
figures tagged fit (record/*.csv), with a bounded CMA-ES on common seeds, and reports
the fit per figure, standardised residuals, parameter intervals, poorly identified
parameters and correlated pairs (docs/calibration.md). DIR (default out/calibrate)
gets the journal, result.json and the fitted profile NAME.toml; after a crash or
Ctrl-C the same command resumes from the journal.

With --posterior abc, draws the parameters' posterior by ABC-SMC with MCMC
moves (the spec's [posterior] table, flags override) on
the same distance, Σz², with fresh seeds per particle, and writes
DIR/posterior.txt and DIR/posterior.json: posterior mean, median and 95%
credible interval per parameter, poorly identified parameters, correlated
pairs, tolerance and acceptance per generation, effective sample size.
Every simulation goes to DIR/posterior/journal.jsonl: the same command
resumes after a crash, and with a larger --generations or --max-particles
it extends a finished run from where it stopped. It needs no search; when
DIR/result.json exists its quadratic intervals are printed beside.

With --validate, runs the fitted profile (DIR/result.json, or the posterior's
medians, or the profile as it is) on the spec's held-out figures over seeds
and posterior draws (from the ABC particles of DIR/posterior.json when there
is one, else N(θ̂, Σ) of the quadratic surface) and reports each with its 90%
predictive band and the held-out RMSE.

With --loeo, refits without each episode's figures in turn (from DIR/result.json)
and predicts them: leave-one-episode-out.

With --compare, runs two fits (DIR_A/result.json and DIR_B/result.json, of this
spec or another: a fit with more parameters is a candidate like any other, and
a fit whose spec changed an episode's inputs runs with them) on
this spec's targets over the same fresh seeds, replicate by replicate, and
reports each one's loss Σz² and the paired difference B − A with its 95% t
interval: the way to choose between two fits without mistaking noise for a
better fit.`,
	examples: []string{
		"hongbao calibrate calibration/library.toml --out out/calib",
		"hongbao calibrate calibration/library.toml --posterior abc --out out/calib",
		"hongbao calibrate calibration/library.toml --validate --out out/calib",
		"hongbao calibrate calibration/library.toml --compare calibration/result,out/calib --replicates 8",
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
	posterior := fs.String("posterior", "", "draw the posterior instead of fitting: abc (ABC-SMC)")
	particles := fs.Int("particles", 0, "posterior: particles per population (default the spec's [posterior], 200)")
	generations := fs.Int("generations", 0, "posterior: most generations, the prior's included (default the spec's [posterior], 20)")
	maxParticles := fs.Int("max-particles", 0, "posterior: stop after the generation in which the particles reach N (default the spec's [posterior] max_particles, none)")
	compare := fs.String("compare", "", "compare two fits, DIR_A,DIR_B (each with result.json), on this spec's targets on common fresh seeds")
	replicates := fs.Int("replicates", 8, "compare: replicates of the spec's seeds each candidate runs on")
	writeProfile := fs.String("write-profile", "", "also write the fitted profile to FILE (scenarios/profiles/behaviour.toml to adopt it)")
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if !oneArg(fs, pos, "calibration spec") || !notNegative(fs, "workers", *workers) || !notNegative(fs, "users", *users) ||
		!notNegative(fs, "particles", *particles) || !notNegative(fs, "generations", *generations) ||
		!notNegative(fs, "max-particles", *maxParticles) {
		return 2
	}
	if *posterior != "" && *posterior != "abc" {
		fmt.Fprintf(stderr, "hongbao calibrate: --posterior %q: the one method is abc\n", *posterior)
		return 2
	}
	sp, err := calibrate.LoadSpec(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *compare != "" {
		return compareFits(ctx, sp, *compare, *replicates, *workers, *asJSON, stdout, stderr)
	}
	if *validate {
		return validateModel(ctx, sp, *out, *users, *seeds, *asJSON, stdout, stderr)
	}
	if *posterior != "" {
		return posteriorCmd(ctx, sp, *out, calibrate.PosteriorOptions{Workers: *workers, Particles: *particles, Generations: *generations, MaxParticles: *maxParticles}, *asJSON, *quiet, stdout, stderr)
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
	var draws [][]float64
	from := ""
	var res calibrate.Result
	haveFit, err := readResult(filepath.Join(dir, "result.json"), &res)
	if haveFit && (res.Search == nil || len(res.Search.X) != len(sp.Params)) {
		fmt.Fprintf(stderr, "hongbao calibrate: %s is not a result of this spec\n", filepath.Join(dir, "result.json"))
		return 1
	}
	var post calibrate.Posterior
	havePost, perr := readResult(filepath.Join(dir, "posterior.json"), &post)
	if err = errors.Join(err, perr); err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	if havePost && len(post.Params) != len(sp.Params) {
		fmt.Fprintf(stderr, "hongbao calibrate: %s is not a posterior of this spec\n", filepath.Join(dir, "posterior.json"))
		return 1
	}
	switch {
	case haveFit:
		x = res.Search.X
	case havePost:
		x = post.Medians()
	default:
		// No fit in DIR: the profile as it is, seeds only.
		x, err = calibrate.ProfileValues(sp)
		if err != nil {
			fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
			return 1
		}
	}
	switch {
	case havePost:
		draws, from = post.Draws(sp, sp.Draws), "ABC-SMC particles (posterior.json), resampled by weight"
	case haveFit && res.Covariance != nil && sp.Draws > 0:
		draws, err = calibrate.NormalDraws(sp, x, res.Covariance, sp.Draws)
		if err != nil {
			fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
			return 1
		}
		from = "N(θ̂, Σ) of the quadratic surface (result.json), clipped to the bounds"
	}
	v, err := calibrate.Validate(ctx, sp, x, draws, from, seeds, users)
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

// readResult reads a JSON result into v; a missing file is no error and
// reports false.
func readResult(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

// posteriorCmd is calibrate --posterior abc.
func posteriorCmd(ctx context.Context, sp *calibrate.Spec, dir string, opt calibrate.PosteriorOptions, asJSON, quiet bool, stdout, stderr io.Writer) int {
	start := time.Now()
	opt.Dir = dir
	last := time.Time{}
	opt.Progress = func(p calibrate.PosteriorProgress) {
		if quiet || !(p.GenerationDone || time.Since(last) > 10*time.Second) {
			return
		}
		last = time.Now()
		eps := "none yet"
		if !math.IsInf(p.Tolerance, 1) {
			eps = fmt.Sprintf("%.4g", p.Tolerance)
		}
		eta := "unknown"
		if p.ETA >= 0 {
			eta = "at most " + p.ETA.Round(time.Second).String()
		}
		fmt.Fprintf(stderr, "calibrate --posterior: generation %d of at most %d, %d/%d particles (%d replayed), ε %s, %s elapsed, ETA %s\n",
			p.Generation, p.Generations, p.Done, p.Max, p.Replayed, eps, p.Elapsed.Round(time.Second), eta)
	}
	post, err := calibrate.RunPosterior(ctx, sp, opt)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "hongbao calibrate: interrupted; the journal in %s keeps every simulation: run the same command again to resume\n", filepath.Join(dir, calibrate.PosteriorDir))
			return 1
		}
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	var quad calibrate.Result
	ok, err := readResult(filepath.Join(dir, "result.json"), &quad)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	var q *calibrate.Result
	if ok {
		q = &quad
	}
	if err := writeJSON(filepath.Join(dir, "posterior.json"), post); err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	err = sim.WriteFileAtomic(filepath.Join(dir, "posterior.txt"), func(w io.Writer) error {
		calibrate.WritePosterior(w, post, q)
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	if asJSON {
		return printJSON(stdout, stderr, post)
	}
	calibrate.WritePosterior(stdout, post, q)
	fmt.Fprintf(stdout, "\nwrote %s (posterior.txt, posterior.json) in %s\n", dir, time.Since(start).Round(time.Second))
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

// compareFits is calibrate --compare.
func compareFits(ctx context.Context, sp *calibrate.Spec, dirs string, replicates, workers int, asJSON bool, stdout, stderr io.Writer) int {
	parts := strings.Split(dirs, ",")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		fmt.Fprintf(stderr, "hongbao calibrate: --compare %q: give two folders, DIR_A,DIR_B\n", dirs)
		return 2
	}
	if replicates < 2 {
		fmt.Fprintf(stderr, "hongbao calibrate: --replicates %d: a paired interval needs at least 2\n", replicates)
		return 2
	}
	var cands [2]calibrate.Candidate
	for i, dir := range parts {
		path := filepath.Join(dir, "result.json")
		var res calibrate.Result
		ok, err := readResult(path, &res)
		switch {
		case err != nil:
		case !ok:
			err = fmt.Errorf("%s: no such file: run the calibration first", path)
		default:
			cands[i], err = calibrate.CandidateOf(path, &res)
		}
		if err != nil {
			fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
			return 1
		}
	}
	c, err := calibrate.Compare(ctx, sp, cands[0], cands[1], replicates, workers)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao calibrate: %v\n", err)
		return 1
	}
	if asJSON {
		return printJSON(stdout, stderr, c)
	}
	calibrate.WriteComparison(stdout, c)
	return 0
}
