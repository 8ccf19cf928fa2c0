package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/empirical"
	"github.com/paywars/hongbao/sim/sweep"
)

func init() {
	register(command{name: "game", summary: "simulate every strategy profile of a game file, find its Nash equilibria", run: gameCmd})
}

// gameHelp is printed by game -h; the file format itself is left to
// docs/game.md, which the text points to.
var gameHelp = help{
	synopsis: []string{
		"hongbao game GAME.toml [--out DIR] [--workers N] [--resume] [--json] [--check] [--quiet] [--force-size]",
		"hongbao game --example",
	},
	about: `An empirical game: every profile of the players' strategies (one per player, each a set
of overrides of its own platform) is simulated with common random numbers, the payoffs
are averaged, and the estimated game is solved. Prints the payoff table, the Nash
equilibria with their regret against the noise, and the best replies; writes
DIR/game.nfg (Gambit; hongbao nash DIR/game.nfg gives the same equilibria),
payoffs.csv, best-response.dot, heat maps, replicator plots, report.txt and game.json.
Runs go through a sweep in DIR/sweep: after a crash or Ctrl-C the same command resumes.
The file format is in docs/game.md.`,
	examples: []string{
		"hongbao game --example > taxi.game.toml",
		"hongbao game taxi.game.toml --out games/taxi --workers 2",
		"hongbao nash games/taxi/game.nfg",
	},
}

func gameCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("game", stderr, gameHelp)
	out := fs.String("out", "", "output directory (default games/<name>)")
	workers := fs.Int("workers", 0, "runs at a time (default GOMAXPROCS, every core)")
	resume := fs.Bool("resume", false, "continue the game in --out; fail if there is nothing to resume")
	jsonOut := fs.Bool("json", false, "print the results as JSON on stdout (game.json) instead of text")
	check := fs.Bool("check", false, "check the game file against its scenario, print the number of runs, run nothing")
	quiet := fs.Bool("quiet", false, "print no progress and no text report (errors, and --json, still print)")
	example := fs.Bool("example", false, "print an example game file (the taxi war of docs/game.md) and exit")
	forceSizeFlag(fs)
	pos, code, done := parseArgs(fs, args)
	if done {
		return code
	}
	if *example {
		stdout.Write(empirical.Example)
		return 0
	}
	if !oneArg(fs, pos, "game file") {
		return 2
	}
	if !notNegative(fs, "workers", *workers) {
		return 2
	}
	plan, err := empirical.Load(pos[0])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	spec := plan.Spec
	if *check {
		shape := make([]string, len(spec.Players))
		for i, p := range spec.Players {
			shape[i] = fmt.Sprintf("%s %d", p.Platform, len(p.Strategies))
		}
		fmt.Fprintf(stdout, "%s: %d players (%s strategies), %d profiles × %d replicates = %d runs of %s (%d users, %d days)\n",
			pos[0], len(spec.Players), strings.Join(shape, ", "), spec.Profiles(), spec.Replicates, spec.Runs(),
			spec.Scenario, plan.Sweep.Base.World.Users, plan.Sweep.Base.World.Days)
		return 0
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("games", scenarios.FileStem(spec.Name))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newSweepProgress(spec.Name, stderr, *quiet)
	res, err := empirical.Execute(ctx, plan, empirical.Options{Out: dir, Workers: *workers, Resume: *resume, Progress: prog.update})
	prog.finish()
	if err != nil {
		if ctx.Err() != nil && res != nil {
			fmt.Fprintf(stderr, "hongbao game: interrupted with %d of %d runs in %s; run the same command again to resume\n",
				res.Sweep.Resumed+res.Sweep.Ran, res.Sweep.Runs, filepath.Join(res.Sweep.Dir, sweep.JournalFile))
			return 1
		}
		fmt.Fprintf(stderr, "hongbao game: %v\n", strings.TrimPrefix(err.Error(), "empirical: "))
		return 1
	}
	rep := empirical.NewReport(plan, res.Analysis)
	if *jsonOut {
		if err := empirical.WriteJSON(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "hongbao game: %v\n", err)
			return 1
		}
		return 0
	}
	if *quiet {
		return 0
	}
	if err := empirical.WriteText(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "hongbao game: %v\n", err)
		return 1
	}
	rate := ""
	if res.Sweep.Ran > 0 && res.Sweep.Elapsed > 0 {
		rate = fmt.Sprintf(", %.1f runs/s", float64(res.Sweep.Ran)/res.Sweep.Elapsed.Seconds())
	}
	fmt.Fprintf(stdout, "Wrote %s: %d runs (%d now, %d resumed), %s%s\n", dir, res.Sweep.Runs, res.Sweep.Ran, res.Sweep.Resumed,
		res.Sweep.Elapsed.Round(time.Millisecond), rate)
	return 0
}
