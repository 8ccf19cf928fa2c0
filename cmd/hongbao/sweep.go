package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/sweep"
)

func init() {
	register(command{name: "sweep", summary: "run a sweep file: many runs over a design, resumable, shardable", run: sweepCmd})
}

// sweepProgressEvery is how often a sweep prints a progress line when
// stderr is not a terminal (a log file, a cluster job's output).
const sweepProgressEvery = 10 * time.Second

// sweepHelp is printed by sweep -h; the file format itself is left to
// docs/sweeps.md, which the text points to.
var sweepHelp = help{
	synopsis: []string{
		"hongbao sweep FILE [--out DIR] [--workers N] [--resume] [--shard-index I --shard-count N] [--check] [--quiet] [--force-size]",
		"hongbao sweep --example",
	},
	about: `Runs every run of a sweep file (parameters over a design, replicated) in memory
on every core, and writes DIR/runs.csv, runs.parquet and points.csv (see docs/sweeps.md).
Finished runs go to DIR/journal.bin as they end: after a crash or Ctrl-C, the same
command resumes where it stopped. With shards, each writes DIR/shard-I-of-N/;
combine them with hongbao merge DIR.`,
	examples: []string{
		"hongbao sweep --example > cashback.toml",
		"hongbao sweep cashback.toml --out sweeps/cashback --workers 2",
	},
}

func sweepCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sweep", stderr, sweepHelp)
	out := fs.String("out", "", "output directory (default sweeps/<name>)")
	workers := fs.Int("workers", 0, "runs at a time (default GOMAXPROCS, every core)")
	resume := fs.Bool("resume", false, "continue the sweep in --out; fail if there is nothing to resume")
	shardIndex := fs.Int("shard-index", -1, "run shard I of --shard-count (default $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)")
	shardCount := fs.Int("shard-count", -1, "number of shards (default $SLURM_ARRAY_TASK_COUNT)")
	example := fs.Bool("example", false, "print an example sweep file and exit")
	check := fs.Bool("check", false, "check the sweep file against its scenario, print the number of runs, run nothing")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	forceSizeFlag(fs)
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if *example {
		stdout.Write(sweep.Example)
		return 0
	}
	if !oneArg(fs, pos, "sweep file") || !notNegative(fs, "workers", *workers) {
		return 2
	}
	shard, err := sweep.ShardFromEnv(*shardIndex, *shardCount, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "hongbao sweep: %v\n", strings.TrimPrefix(err.Error(), "sweep: "))
		return 2
	}
	plan, err := sweep.Load(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	l := plan.Spec.Layout()
	if *check {
		fmt.Fprintf(stdout, "%s: %s design, %d points × %d replicates = %d runs of %s (%d users, %d days)\n",
			pos[0], plan.Spec.Design.Kind, l.Points, l.Replicates, l.Runs(), plan.Spec.Scenario, plan.Base.World.Users, plan.Base.World.Days)
		// On a cluster, --check is how one sees which shard the scheduler's
		// variables (or the flags) made of this task before it runs.
		if shard.Count > 1 {
			mine := max(0, (l.Runs()-int64(shard.Index)+int64(shard.Count)-1)/int64(shard.Count))
			fmt.Fprintf(stdout, "this is shard %d of %d: %d run%s (run number mod %d = %d), into %s\n",
				shard.Index, shard.Count, mine, plural(int(mine)), shard.Count, shard.Index, shard.Dir())
		}
		return 0
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("sweeps", scenarios.FileStem(plan.Spec.Name))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newSweepProgress(plan.Spec.Name, stderr, *quiet)
	rep, err := sweep.Execute(ctx, plan, sweep.Options{Out: dir, Workers: *workers, Resume: *resume, Shard: shard, Progress: prog.update})
	prog.finish()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "hongbao sweep: interrupted with %d of %d runs in %s; run the same command again to resume\n",
				rep.Resumed+rep.Ran, rep.Runs, filepath.Join(rep.Dir, sweep.JournalFile))
			return 1
		}
		fmt.Fprintf(stderr, "hongbao sweep: %v\n", strings.TrimPrefix(err.Error(), "sweep: "))
		return 1
	}
	if !*quiet {
		what := "wrote " + rep.Dir
		if shard.Count > 1 {
			what = fmt.Sprintf("shard %d of %d: wrote %s (merge the shards with: hongbao merge %s)", shard.Index, shard.Count, rep.Dir, dir)
		}
		rate := ""
		if rep.Ran > 0 && rep.Elapsed > 0 {
			rate = fmt.Sprintf(", %.1f runs/s", float64(rep.Ran)/rep.Elapsed.Seconds())
		}
		fmt.Fprintf(stdout, "%s: %d runs (%d now, %d resumed), %d failed, %s%s\n", what, rep.Runs, rep.Ran, rep.Resumed, rep.Failed,
			rep.Elapsed.Round(time.Millisecond), rate)
		if rep.TornBytes > 0 {
			fmt.Fprintf(stdout, "cut a torn record (%d bytes) off the end of the journal; its run was done again\n", rep.TornBytes)
		}
	}
	if rep.Failed > 0 {
		fmt.Fprintf(stderr, "hongbao sweep: %d runs failed; their error column says why\n", rep.Failed)
	}
	return 0
}

// sweepProgress shows runs done, rate and ETA: a progress bar on a terminal,
// a plain line every sweepProgressEvery otherwise.
type sweepProgress struct {
	name    string
	w       io.Writer
	quiet   bool
	bar     *progressbar.ProgressBar
	mu      sync.Mutex
	start   time.Time
	last    time.Time
	first   int64 // runs done when this process started
	started bool
}

func newSweepProgress(name string, w io.Writer, quiet bool) *sweepProgress {
	p := &sweepProgress{name: name, w: w, quiet: quiet, start: time.Now()}
	p.last = p.start
	return p
}

func (p *sweepProgress) update(done, total int64) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.started {
		p.started, p.first = true, done-1
		if f, ok := p.w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(f),
				progressbar.OptionSetDescription(p.name), progressbar.OptionShowCount(),
				progressbar.OptionShowIts(), progressbar.OptionSetItsString("runs"),
				progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish())
			p.bar.Set64(p.first)
		}
	}
	if p.bar != nil {
		p.bar.Set64(done)
		return
	}
	now := time.Now()
	if now.Sub(p.last) < sweepProgressEvery && done < total {
		return
	}
	p.last = now
	ran := done - p.first
	rate := float64(ran) / now.Sub(p.start).Seconds()
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(total-done) / rate * float64(time.Second))).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "sweep %s: %d/%d runs (%.1f%%), %.1f runs/s, ETA %s\n", p.name, done, total, 100*float64(done)/float64(total), rate, eta)
}

func (p *sweepProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
	}
}
