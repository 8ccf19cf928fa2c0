package empirical

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/sweep"
)

// SweepDir is the directory under a game's output directory that holds its
// sweep: the generated sweep file, the journal and the sweep's result files.
const SweepDir = "sweep"

// Options configure Execute.
type Options struct {
	// Out is the output directory; the sweep goes to Out/sweep.
	Out string
	// Workers is the number of runs at a time; 0 means GOMAXPROCS.
	Workers int
	// Resume requires an existing journal to continue (see
	// sweep.Options.Resume); without it a journal of the same game is
	// continued anyway.
	Resume bool
	// Progress, if set, is called after each run with the runs done and
	// the total, from one goroutine.
	Progress func(done, total int64)
	// Version identifies the binary in the journal; "" means
	// sweep.Version().
	Version string
}

// Result is a finished game: its sweep's report, the analysis, and the
// files written.
type Result struct {
	Plan     *Plan
	Analysis *Analysis
	Sweep    sweep.Report
	// Files are the game's output files, relative to the output
	// directory, in the order written.
	Files []string
}

// Execute simulates every profile of the game through its sweep, on a pool
// of workers, with each finished run appended to the journal in
// Out/sweep; then it reads the payoffs back, solves the estimated game and
// writes the output files (see [WriteFiles]). Runs already in the journal
// are not run again, so after an interruption the same call finishes the
// game, and the files are the same bytes however the runs were split,
// ordered or resumed; a finished game is only analysed again. When ctx is
// cancelled, ctx's error is returned with the report so far.
func Execute(ctx context.Context, p *Plan, opt Options) (*Result, error) {
	if opt.Out == "" {
		return nil, errors.New("empirical: no output directory")
	}
	dir := filepath.Join(opt.Out, SweepDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("empirical: output directory: %w", err)
	}
	// The game's own files are written after its sweep: hold the game
	// folder too, so that a second game cannot analyse under the first.
	lock, err := sim.LockDir(sim.LockFileIn(opt.Out), opt.Out)
	if err != nil {
		return nil, fmt.Errorf("empirical: %w", err)
	}
	defer lock.Unlock()
	if t, rep, ok := p.finished(dir); ok {
		// A finished game (its manifest is written last) is analysed again
		// without running anything, whichever build ran it.
		return p.analyse(opt.Out, t, rep)
	}
	rep, err := sweep.Execute(ctx, p.Sweep, sweep.Options{Out: dir, Workers: opt.Workers, Resume: opt.Resume, Progress: opt.Progress, Version: opt.Version})
	res := &Result{Plan: p, Sweep: rep}
	if err == nil || ctx.Err() != nil {
		// The journal is this game's: leave its sweep file beside it, for
		// `hongbao sweep` and for people. (Written after, so that a
		// directory of another game keeps its own.)
		werr := sim.WriteFileAtomic(filepath.Join(dir, SweepFile), func(w io.Writer) error {
			_, err := w.Write(p.SweepSource)
			return err
		})
		if err == nil && werr != nil {
			err = fmt.Errorf("empirical: %w", werr)
		}
	}
	if err != nil {
		return res, err
	}
	t, err := p.ReadTable(dir)
	if err != nil {
		return res, err
	}
	return p.analyse(opt.Out, t, rep)
}

// finished returns the payoff table of a sweep directory that holds this
// game's finished sweep: a manifest of the same sweep hash, every run, and
// a readable runs.csv.
func (p *Plan) finished(dir string) (*Table, sweep.Report, bool) {
	m, err := sweep.ReadManifest(filepath.Join(dir, sweep.ManifestFile))
	runs := p.Sweep.Spec.Layout().Runs()
	if err != nil || m.SweepHash != p.Sweep.Hash || m.Shard != nil || m.Runs != runs {
		return nil, sweep.Report{}, false
	}
	if _, err := os.Stat(filepath.Join(dir, SweepFile)); err != nil {
		return nil, sweep.Report{}, false
	}
	t, err := p.ReadTable(dir)
	if err != nil {
		return nil, sweep.Report{}, false
	}
	return t, sweep.Report{Dir: dir, Runs: runs, Resumed: runs}, true
}

// analyse solves the estimated game and writes the files.
func (p *Plan) analyse(out string, t *Table, rep sweep.Report) (*Result, error) {
	res := &Result{Plan: p, Sweep: rep}
	a, err := Analyze(t, AnalyzeOptions{Title: p.Spec.Name, Epsilon: p.Spec.Epsilon})
	if err != nil {
		return res, err
	}
	res.Analysis = a
	res.Files, err = WriteFiles(out, p, a)
	return res, err
}

// ReadTable reads the payoff table of a finished sweep directory of the
// game from its runs.csv. A run that failed is an error, listed with the
// profile it belongs to: a game needs every payoff.
func (p *Plan) ReadTable(dir string) (*Table, error) {
	f, err := os.Open(filepath.Join(dir, sweep.RunsCSV))
	if err != nil {
		return nil, fmt.Errorf("empirical: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("empirical: %s: %w", sweep.RunsCSV, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	spec := p.Sweep.Spec
	need := []string{"run", "point", "replicate", "error"}
	for _, o := range spec.Outputs {
		need = append(need, o.Name)
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, fmt.Errorf("empirical: %s has no column %s", sweep.RunsCSV, n)
		}
	}
	players := len(p.Spec.Players)
	t := &Table{Paired: p.Spec.CommonRandomNumbers}
	for _, pl := range p.Spec.Players {
		t.Players = append(t.Players, pl.Platform)
		names := make([]string, len(pl.Strategies))
		for j, st := range pl.Strategies {
			names[j] = st.Name
		}
		t.Strategies = append(t.Strategies, names)
	}
	reps := p.Spec.Replicates
	t.Values = make([][][]float64, len(p.profiles))
	for k := range t.Values {
		t.Values[k] = make([][]float64, players)
		for i := range t.Values[k] {
			t.Values[k][i] = make([]float64, reps)
			for r := range t.Values[k][i] {
				t.Values[k][i][r] = math.NaN()
			}
		}
	}
	var failed []string
	nfailed := 0
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("empirical: %s: %w", sweep.RunsCSV, err)
		}
		point, err1 := strconv.Atoi(row[col["point"]])
		rep, err2 := strconv.Atoi(row[col["replicate"]])
		if err1 != nil || err2 != nil || point < 0 || point >= len(p.profiles) || rep < 0 || rep >= reps {
			return nil, fmt.Errorf("empirical: %s: bad point or replicate in run %s", sweep.RunsCSV, row[col["run"]])
		}
		prof := p.profiles[point]
		if msg := row[col["error"]]; msg != "" {
			nfailed++
			if len(failed) < 5 {
				failed = append(failed, fmt.Sprintf("run %s (%s, replicate %d): %s", row[col["run"]], p.profileName(prof), rep, msg))
			}
			continue
		}
		k := t.Index(prof)
		for i, o := range spec.Outputs {
			x, err := strconv.ParseFloat(row[col[o.Name]], 64)
			if err != nil {
				return nil, fmt.Errorf("empirical: run %s (%s): payoff %s is %q, not a number", row[col["run"]], p.profileName(prof), o.Name, row[col[o.Name]])
			}
			t.Values[k][i][rep] = x
		}
	}
	if nfailed > 0 {
		more := ""
		if nfailed > len(failed) {
			more = fmt.Sprintf("\n(and %d more)", nfailed-len(failed))
		}
		return nil, fmt.Errorf("empirical: %d runs failed, and a game needs every payoff:\n%s%s", nfailed, strings.Join(failed, "\n"), more)
	}
	if err := t.Check(); err != nil {
		return nil, err
	}
	return t, nil
}
