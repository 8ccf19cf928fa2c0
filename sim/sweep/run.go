package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/ensemble"
)

// Shard is one of Count parts of a sweep: the runs whose number mod Count
// is Index. Striping, rather than blocks, spreads slow corners of the
// design over every shard. The zero value is the whole sweep.
type Shard struct {
	Index, Count int
}

// Dir is the shard's directory under the sweep's output directory.
func (s Shard) Dir() string { return fmt.Sprintf("shard-%04d-of-%04d", s.Index, s.Count) }

func (s Shard) normal() Shard {
	if s.Count <= 0 {
		return Shard{0, 1}
	}
	return s
}

// Options configure Execute.
type Options struct {
	// Out is the output directory; a shard writes into Out/Shard.Dir().
	Out string
	// Workers is the number of runs at a time; 0 means GOMAXPROCS.
	Workers int
	// Resume requires an existing journal to continue. Without it an
	// existing journal of the same sweep is continued anyway, and a new
	// one is started when there is none.
	Resume bool
	// Shard selects part of the runs; the zero value runs them all.
	Shard Shard
	// Progress, if set, is called after each run with the runs done (the
	// resumed ones included) and the total; from one goroutine.
	Progress func(done, total int64)
	// SyncEvery is the longest time finished runs stay in the journal
	// without fsync; 0 means one second.
	SyncEvery time.Duration
	// Version identifies the binary; "" means Version().
	Version string

	// only, when set, limits the runs to those it accepts and skips the
	// result files: BenchmarkNetLogoScale uses it to time a sample of
	// whole points (every replicate) spread over a large design.
	only func(run int64) bool

	// freshGraphs makes every run build its graph even under common
	// random numbers: the test that reuse changes no byte compares with it.
	freshGraphs bool
}

// Report says what Execute did.
type Report struct {
	Dir     string // where the files are
	Runs    int64  // runs of this shard
	Resumed int64  // found done in the journal
	Ran     int64  // run by this call
	Failed  int64  // runs whose error column is set, over the whole shard
	// TornBytes is the size of the torn journal tail cut off on resume.
	TornBytes int64
	Elapsed   time.Duration
}

// JournalFile is the journal's name in an output or shard directory.
const JournalFile = "journal.bin"

// PartFile is a finished shard's sorted records.
const PartFile = "part.bin"

// Execute runs the sweep, or one shard of it, on a pool of workers and
// streams each finished run into the journal; then it writes the result
// files (a whole sweep) or the part file (a shard), and the manifest last.
// Runs already in the journal are not run again, so after a crash or
// Ctrl-C the same call finishes the job. When ctx is cancelled the runs in
// flight are abandoned, the journal is synced and ctx's error returned.
func Execute(ctx context.Context, p *Plan, opt Options) (Report, error) {
	start := time.Now()
	sh := opt.Shard.normal()
	if sh.Index < 0 || sh.Index >= sh.Count {
		return Report{}, fmt.Errorf("sweep: shard index %d is outside 0 to %d", sh.Index, sh.Count-1)
	}
	version := opt.Version
	if version == "" {
		version = Version()
	}
	dir := opt.Out
	if sh.Count > 1 {
		dir = filepath.Join(opt.Out, sh.Dir())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Report{}, fmt.Errorf("sweep: output directory: %w", err)
	}
	// One process per folder: two sweeps on one journal raced on its
	// renames and could leave a journal of just its header.
	lock, err := sim.LockDir(sim.LockFileIn(dir), dir)
	if err != nil {
		return Report{}, fmt.Errorf("sweep: %w", err)
	}
	defer lock.Unlock()
	removeStaleTemps(dir)
	l := p.Spec.layout
	hdr := fileHeader{Format: journalFormat, SweepHash: p.Hash, Version: version, ShardIndex: sh.Index, ShardCount: sh.Count, Runs: l.Runs()}
	j, err := openJournal(filepath.Join(dir, JournalFile), hdr, !opt.Resume)
	if err != nil {
		return Report{}, err
	}
	defer j.Close()
	rep := Report{Dir: dir, Runs: int64(len(j.offsets)), Resumed: int64(j.done), TornBytes: j.dropped}

	if j.done < len(j.offsets) {
		ran, err := runPool(ctx, p, j, opt)
		rep.Ran = ran
		if err != nil {
			rep.Elapsed = time.Since(start)
			return rep, err
		}
	}
	if opt.only != nil {
		rep.Elapsed = time.Since(start)
		return rep, nil
	}
	if sh.Count == 1 {
		rep.Failed, err = writeResults(dir, p.Spec, p.Hash, j.records())
		if err != nil {
			return rep, err
		}
		err = writeManifest(filepath.Join(dir, ManifestFile), newManifest(p.Spec, p.Hash, version, rep.Failed))
	} else {
		err = writeShard(dir, p, j, version, sh, &rep)
	}
	rep.Elapsed = time.Since(start)
	return rep, err
}

// runPool runs the journal's missing runs on the workers (the ensemble
// pool) and appends each record as it arrives. The pool hands results to
// this goroutine alone, so frames never interleave.
func runPool(ctx context.Context, p *Plan, j *journal, opt Options) (int64, error) {
	syncEvery := opt.SyncEvery
	if syncEvery <= 0 {
		syncEvery = time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if smallRuns(p) && os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(smallRunsGCPercent))
	}
	sh := j.header
	n := int64(len(j.offsets))
	workers := ensemble.Workers(opt.Workers, int(n))
	runners := make([]*runner, workers)
	for w := range runners {
		runners[w] = &runner{plan: p, point: -1}
		if p.Spec.CommonRandomNumbers && !opt.freshGraphs {
			// Every point repeats the same seeds: build each seed's graph
			// once per worker (sim.GraphCache).
			runners[w].graphs = sim.NewGraphCache()
		}
	}
	var ran int64
	var buf, payload []byte
	lastSync := time.Now()
	werr := ensemble.Stream(ctx, int(n), workers,
		func(ctx context.Context, w, li int) (*Record, bool) {
			// offsets[li] is written only after run li is handed to the
			// sink, so reading it here is not a race.
			if j.offsets[li] >= 0 {
				return nil, false
			}
			run := int64(li)*int64(sh.ShardCount) + int64(sh.ShardIndex)
			if opt.only != nil && !opt.only(run) {
				return nil, false
			}
			return runners[w].run(ctx, run)
		},
		func(_ int, rec *Record) error {
			payload = encodeRecord(payload[:0], rec)
			buf = appendFrame(buf[:0], payload)
			if _, err := j.f.WriteAt(buf, j.size); err != nil {
				return fmt.Errorf("sweep: writing the journal: %w", err)
			}
			j.offsets[rec.Run/int64(sh.ShardCount)] = j.size
			j.size += int64(len(buf))
			j.done++
			ran++
			if time.Since(lastSync) >= syncEvery {
				if err := j.f.Sync(); err != nil {
					return fmt.Errorf("sweep: syncing the journal: %w", err)
				}
				lastSync = time.Now()
			}
			if opt.Progress != nil {
				opt.Progress(int64(j.done), n)
			}
			return nil
		})
	if err := j.f.Sync(); err != nil && werr == nil {
		werr = fmt.Errorf("sweep: syncing the journal: %w", err)
	}
	if werr != nil {
		return ran, werr
	}
	if err := ctx.Err(); err != nil && int64(j.done) < n && opt.only == nil {
		return ran, err
	}
	return ran, nil
}

// smallRunUsers is the most users a sweep's runs may have for runPool to
// collect garbage less often (smallRunsGCPercent).
const smallRunUsers = 100_000

// smallRunsGCPercent is the collector's GOGC while a sweep of small runs
// runs. Their live heap is the workers' caches and worlds, about 10 MB in
// the NetLogo-scale study, and each run allocates about 100 kB, so at the
// default of 100 the collector ran every 100 or so runs and took 0.86% of
// the instructions of a run (callgrind of the 80-run cut, less the same
// at GOGC=off); at 400 it takes 0.29%, for a heap at most five times the
// live one instead of twice: tens of megabytes, where a sweep of large
// worlds, whose live heap is hundreds, keeps the default.
const smallRunsGCPercent = 400

// smallRuns reports whether every run of the sweep has at most
// smallRunUsers users: the base scenario's, unless a parameter sets them.
func smallRuns(p *Plan) bool {
	if p.Base.World.Users > smallRunUsers {
		return false
	}
	for _, q := range p.Spec.Params {
		if q.Key != "world.users" {
			continue
		}
		// Labels, a range past the limit or a distribution without bounds
		// may bring larger worlds.
		if len(q.Labels) > 0 || q.Max > smallRunUsers || (q.Dist != "" && q.Max <= q.Min) {
			return false
		}
		for _, v := range q.Values {
			if v > smallRunUsers {
				return false
			}
		}
	}
	return true
}

// runner runs the runs of one worker, keeping the scenario of the last
// point it built: workers take runs in order, so consecutive runs usually
// share a point, and applying the parameters is the costly part of making
// a scenario.
type runner struct {
	plan     *Plan
	point    int
	scenario *scenarios.Scenario
	err      string
	graphs   *sim.GraphCache // nil: every run builds its own graph
}

// run executes one run; ok is false when ctx stopped it (nothing to record).
func (r *runner) run(ctx context.Context, run int64) (rec *Record, ok bool) {
	p := r.plan
	s := p.Spec
	rec = &Record{Run: run}
	fail := func(msg string) (*Record, bool) {
		rec.Err = msg
		rec.Outputs = nanOutputs(len(s.Outputs))
		rec.Days, rec.Series = 0, nil
		return rec, true
	}
	defer func() {
		// A panic in the engine is a bug, but one run's bug should not
		// take down a sweep of thousands: record it like an error.
		if v := recover(); v != nil {
			rec, ok = fail(fmt.Sprintf("panic: %v", v))
		}
	}()
	point, _ := s.layout.PointOf(run)
	if point != r.point {
		r.point, r.err = point, ""
		sc, err := p.PointScenario(point)
		r.scenario = sc
		if err != nil {
			r.err = oneLine(err.Error())
		}
	}
	if r.err != "" {
		return fail(r.err)
	}
	// The engine only reads its scenario, so runs share the point's
	// slices; World is a value, so the seed is the run's own.
	c := *r.scenario
	c.World.Seed = s.RunSeed(run)
	var res *sim.Result
	var err error
	if r.graphs != nil {
		res, err = r.graphs.Run(ctx, &c, nil)
	} else {
		res, err = sim.Run(ctx, &c, nil)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, false
		}
		return fail(oneLine(err.Error()))
	}
	rec.Outputs = make([]float64, len(s.Outputs))
	for k := range s.Outputs {
		rec.Outputs[k] = s.Outputs[k].evaluate(res, "")
	}
	if m := len(s.Series.reps); m > 0 {
		rec.Days = len(res.History)
		days := SeriesDays(rec.Days, s.Series.Every)
		rec.Series = make([]float64, 0, len(days)*m)
		daily := make([][]float64, m)
		for k, rep := range s.Series.reps {
			daily[k] = rep.Daily(res, "")
		}
		for _, d := range days {
			for k := range daily {
				rec.Series = append(rec.Series, daily[k][d])
			}
		}
	}
	return rec, true
}

// SeriesDays returns the days a series samples in a run of n days: every
// every-th day from day 0, and the last day whatever every is, so that a
// series always ends where the run does (outputs are often read there).
func SeriesDays(n, every int) []int {
	every = max(every, 1)
	days := make([]int, 0, n/every+2)
	for d := 0; d < n; d += every {
		days = append(days, d)
	}
	if n > 0 && (n-1)%every != 0 {
		days = append(days, n-1)
	}
	return days
}

func nanOutputs(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "; ") }

// PointScenario returns the scenario of a design point: the base with the
// point's parameter values applied, in the order of the sweep file.
func (p *Plan) PointScenario(point int) (*scenarios.Scenario, error) {
	l := p.Spec.layout
	if point < 0 || point >= l.Points {
		return nil, fmt.Errorf("sweep: no point %d", point)
	}
	c := *p.Base // ApplySet copies before it writes, so Base is untouched
	for j, q := range p.Spec.Params {
		if err := scenarios.ApplySet(&c, q.Key+"="+l.Text(point, j)); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// RunScenario returns the scenario of one run, to reproduce it alone: its
// point's scenario with world.seed set to RunSeed(run).
func (p *Plan) RunScenario(run int64) (*scenarios.Scenario, error) {
	if run < 0 || run >= p.Spec.layout.Runs() {
		return nil, fmt.Errorf("sweep: no run %d", run)
	}
	point, _ := p.Spec.layout.PointOf(run)
	sc, err := p.PointScenario(point)
	if err != nil {
		return nil, err
	}
	sc.World.Seed = p.Spec.RunSeed(run)
	return sc, nil
}

// writeShard writes a finished shard's part file, its records sorted by
// run, and then its manifest; both atomically, so a shard run again
// replaces its files and never leaves two versions.
func writeShard(dir string, p *Plan, j *journal, version string, sh Shard, rep *Report) error {
	hdr := j.header
	hdr.Format = partFormat
	h := sha256.New()
	var records, failed int64
	err := sim.WriteFileAtomic(filepath.Join(dir, PartFile), func(w io.Writer) error {
		mw := io.MultiWriter(w, h)
		if _, err := mw.Write(appendFrame(nil, encodeHeader(hdr))); err != nil {
			return err
		}
		next := j.records()
		var buf, payload []byte
		for {
			r, err := next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if r.Err != "" {
				failed++
			}
			payload = encodeRecord(payload[:0], r)
			buf = appendFrame(buf[:0], payload)
			if _, err := mw.Write(buf); err != nil {
				return err
			}
			records++
		}
	})
	if err != nil {
		return err
	}
	rep.Failed = failed
	m := newManifest(p.Spec, p.Hash, version, failed)
	m.Shard = &ShardInfo{Index: sh.Index, Count: sh.Count, Runs: records}
	m.Part = &PartInfo{File: PartFile, Records: records, SHA256: hex.EncodeToString(h.Sum(nil))}
	return writeManifest(filepath.Join(dir, ManifestFile), m)
}
