package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// smallSweep is a sweep of example-minimal shrunk to a few milliseconds a
// run: 2 × 3 points, 2 replicates, a daily series. world.partitions=3 makes
// each run step its partitions in parallel, so GOMAXPROCS matters to the
// engine too.
const smallSweep = `name = "small"
scenario = "example-minimal"
sets = ["world.users=400", "world.days=20", "world.partitions=3", "platforms.wechat.campaigns.launch.end=9"]
seed = 99
replicates = 2

[[params]]
key = "platforms.wechat.campaigns.launch.cashback"
values = [0, 5]

[[params]]
key = "envelopes.per_day"
min = 0.01
max = 0.03
step = 0.01

[[outputs]]
metric = "wechat.share_value"

[[outputs]]
metric = "alipay.mau"
day = 9

[[outputs]]
metric = "wechat.dau"
from = -5
to = -1
stat = "max"

[[outputs]]
metric = "wechat.payoff"

[series]
metrics = ["wechat.share_value", "cash_payments"]
every = 3
`

// planFrom writes src into a temporary directory and loads it.
func planFrom(t testing.TB, src string) *Plan {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sweep.toml")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	p, err := Load(path)
	require.NoError(t, err)
	return p
}

// resultFiles are the files that must be byte-identical however a sweep ran.
var resultFiles = []string{RunsCSV, RunsParquet, PointsCSV, SeriesCSV, SeriesParquet, ManifestFile}

func readResults(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range resultFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err, f)
		out[f] = b
	}
	return out
}

func assertSameResults(t *testing.T, want map[string][]byte, dir string) {
	t.Helper()
	got := readResults(t, dir)
	for _, f := range resultFiles {
		assert.True(t, bytes.Equal(want[f], got[f]), "%s differs in %s", f, dir)
	}
}

func execute(t testing.TB, p *Plan, opt Options) Report {
	t.Helper()
	rep, err := Execute(context.Background(), p, opt)
	require.NoError(t, err)
	return rep
}

// TestDeterministic runs one sweep with different worker counts and
// GOMAXPROCS and checks the files are byte-identical.
func TestDeterministic(t *testing.T) {
	p := planFrom(t, smallSweep)
	ref := t.TempDir()
	rep := execute(t, p, Options{Out: ref, Workers: 1})
	assert.Equal(t, int64(12), rep.Runs)
	assert.Equal(t, int64(12), rep.Ran)
	want := readResults(t, ref)

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range []struct{ procs, workers int }{{1, 1}, {1, 3}, {2, 2}, {2, 5}, {4, 4}} {
		t.Run(fmt.Sprintf("procs%d-workers%d", c.procs, c.workers), func(t *testing.T) {
			runtime.GOMAXPROCS(c.procs)
			dir := t.TempDir()
			execute(t, p, Options{Out: dir, Workers: c.workers})
			assertSameResults(t, want, dir)
		})
	}
}

// TestGraphReuseByteIdentical: a sweep with common random numbers, whose
// runs share each seed's graph, traits and initial users (sim.GraphCache),
// writes the same bytes as the same sweep with every run building its
// own, whatever GOMAXPROCS and the number of workers.
func TestGraphReuseByteIdentical(t *testing.T) {
	p := planFrom(t, strings.Replace(smallSweep, "replicates = 2\n", "replicates = 2\ncommon_random_numbers = true\n", 1))
	require.True(t, p.Spec.CommonRandomNumbers)
	fresh := t.TempDir()
	execute(t, p, Options{Out: fresh, Workers: 2, freshGraphs: true})
	want := readResults(t, fresh)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range []struct{ procs, workers int }{{1, 1}, {2, 2}, {4, 3}} {
		t.Run(fmt.Sprintf("procs%d-workers%d", c.procs, c.workers), func(t *testing.T) {
			runtime.GOMAXPROCS(c.procs)
			reused := t.TempDir()
			execute(t, p, Options{Out: reused, Workers: c.workers})
			assertSameResults(t, want, reused)
		})
	}
}

// TestSmallRuns: the collector is tuned only for sweeps whose every run is
// small, as far as the sweep file says.
func TestSmallRuns(t *testing.T) {
	for _, c := range []struct {
		name  string
		users int
		param Param
		want  bool
	}{
		{"small base", 1000, Param{Key: "platforms.wechat.fee_rate", Values: []float64{0, 0.01}}, true},
		{"large base", 1_000_000, Param{Key: "platforms.wechat.fee_rate", Values: []float64{0, 0.01}}, false},
		{"users swept small", 1000, Param{Key: "world.users", Values: []float64{1000, 5000}}, true},
		{"users swept large", 1000, Param{Key: "world.users", Values: []float64{1000, 500_000}}, false},
		{"users in a range", 1000, Param{Key: "world.users", Min: 1000, Max: 200_000, Step: 1000}, false},
		{"users as labels", 1000, Param{Key: "world.users", Labels: []string{"1000"}}, false},
		{"users drawn unbounded", 1000, Param{Key: "world.users", Dist: "lognormal", Mu: 8, Sigma: 1}, false},
	} {
		base := &scenarios.Scenario{}
		base.World.Users = c.users
		p := &Plan{Base: base, Spec: &Spec{Params: []Param{c.param}}}
		assert.Equal(t, c.want, smallRuns(p), c.name)
	}
}

// TestRunsCSV checks the content of runs.csv and points.csv against runs
// done one at a time with Plan.RunScenario.
func TestRunsCSV(t *testing.T) {
	p := planFrom(t, smallSweep)
	dir := t.TempDir()
	execute(t, p, Options{Out: dir})
	runs := readCSV(t, filepath.Join(dir, RunsCSV))
	require.Len(t, runs, 13)
	assert.Equal(t, []string{"run", "point", "replicate", "seed", "platforms_wechat_campaigns_launch_cashback", "envelopes_per_day",
		"wechat_share_value", "alipay_mau_day9", "wechat_dau_max_m5_m1", "wechat_payoff", "error"}, runs[0])
	// Run 7 is replicate 1 of point 3: cashback 5, envelopes 0.01.
	row := runs[8]
	assert.Equal(t, []string{"7", "3", "1", fmt.Sprint(p.Spec.RunSeed(7)), "5", "0.01"}, row[:6])
	sc, err := p.RunScenario(7)
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), sc, nil)
	require.NoError(t, err)
	assert.Equal(t, formatFloat(res.Platforms[0].Final.ShareValue), row[6])
	assert.Equal(t, formatFloat(float64(res.History[9].Platforms[1].MAU)), row[7])
	assert.Equal(t, formatFloat(res.Platforms[0].Payoff), row[9])
	assert.Equal(t, "", row[10])

	points := readCSV(t, filepath.Join(dir, PointsCSV))
	require.Len(t, points, 7)
	assert.Equal(t, []string{"point", "platforms_wechat_campaigns_launch_cashback", "envelopes_per_day", "n", "failed",
		"wechat_share_value_mean", "wechat_share_value_sd", "wechat_share_value_ci95_lo", "wechat_share_value_ci95_hi"}, points[0][:9])
	a, b := parseF(t, runs[7][6]), parseF(t, runs[8][6])
	const tol = 1e-12
	assert.InDelta(t, (a+b)/2, parseF(t, points[4][5]), tol)
	assert.InDelta(t, math.Abs(a-b)/math.Sqrt2, parseF(t, points[4][6]), tol)
	// t(0.975; 1) = 12.7062047361747 (any t table).
	assert.InDelta(t, (a+b)/2+12.7062047361747*math.Abs(a-b)/2, parseF(t, points[4][8]), 1e-9)

	series := readCSV(t, filepath.Join(dir, SeriesCSV))
	// 12 runs × 8 days (0, 3, …, 18 and the last, 19) × 2 metrics.
	assert.Len(t, series, 1+12*8*2)
	assert.Equal(t, []string{"0", "0", "0", "3", "cash_payments"}, series[4][:5])
	// The series ends on the run's last day, with the last day's value.
	last := series[16]
	assert.Equal(t, []string{"0", "0", "0", "19", "cash_payments"}, last[:5])
	assert.Equal(t, []string{"0", "0", "0", "19", "wechat.share_value"}, series[15][:5])
	run0, err := p.RunScenario(0)
	require.NoError(t, err)
	res0, err := sim.Run(context.Background(), run0, nil)
	require.NoError(t, err)
	assert.Equal(t, formatFloat(res0.Platforms[0].Final.ShareValue), series[15][5])
}

// TestParquet reads runs.parquet back and checks columns and values
// against runs.csv.
func TestSeriesDays(t *testing.T) {
	cases := []struct {
		n, every int
		want     []int
	}{
		{5, 1, []int{0, 1, 2, 3, 4}},
		{20, 3, []int{0, 3, 6, 9, 12, 15, 18, 19}},
		{19, 3, []int{0, 3, 6, 9, 12, 15, 18}}, // the last day is on the grid
		{1, 7, []int{0}},
		{10, 100, []int{0, 9}},
		{0, 3, []int{}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, SeriesDays(c.n, c.every), "n %d every %d", c.n, c.every)
	}
}

func TestParquet(t *testing.T) {
	p := planFrom(t, smallSweep)
	dir := t.TempDir()
	execute(t, p, Options{Out: dir})
	f, err := os.Open(filepath.Join(dir, RunsParquet))
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	pf, err := parquet.OpenFile(f, st.Size())
	require.NoError(t, err)
	var names []string
	for _, c := range pf.Schema().Columns() {
		names = append(names, strings.Join(c, "."))
	}
	runs := readCSV(t, filepath.Join(dir, RunsCSV))
	assert.Equal(t, runs[0], names, "same columns in the same order as runs.csv")
	assert.Equal(t, int64(12), pf.NumRows())

	rows := make([]parquet.Row, 12)
	r := pf.RowGroups()[0].Rows()
	defer r.Close()
	n, _ := r.ReadRows(rows)
	require.Equal(t, 12, n)
	for i, row := range rows {
		csvRow := runs[i+1]
		assert.Equal(t, csvRow[0], fmt.Sprint(row[0].Int64()))
		assert.Equal(t, csvRow[3], fmt.Sprint(uint64(row[3].Int64())))
		assert.Equal(t, csvRow[6], formatFloat(row[6].Double()))
		assert.True(t, row[len(row)-1].IsNull(), "error is null for a run that succeeded")
	}
}

// TestFailedRuns: a combination of values the scenario rejects fails its
// runs, which are recorded with their error, and the sweep goes on.
func TestFailedRuns(t *testing.T) {
	src := `scenario = "example-minimal"
sets = ["world.users=200", "world.days=5", "platforms.wechat.campaigns.launch.end=4"]
replicates = 2
[[params]]
key = "platforms.wechat.initial.aware"
values = [0.3, 0.2]
[[params]]
key = "platforms.wechat.initial.registered"
values = [0.1, 0.25]
[[outputs]]
metric = "wechat.share_value"
`
	p := planFrom(t, src)
	dir := t.TempDir()
	rep := execute(t, p, Options{Out: dir})
	assert.Equal(t, int64(2), rep.Failed, "point 3: aware 0.2 < registered 0.25")
	runs := readCSV(t, filepath.Join(dir, RunsCSV))
	assert.Equal(t, []string{"6", "3", "0"}, runs[7][:3])
	assert.Contains(t, runs[7][7], "registered (0.25) is above aware (0.2)")
	assert.Equal(t, "", runs[7][6], "NaN is an empty cell")
	points := readCSV(t, filepath.Join(dir, PointsCSV))
	assert.Equal(t, []string{"3", "0.2", "0.25", "0", "2", "", "", "", ""}, points[4])
}

// TestResumeTornJournal simulates crashes by cutting a finished sweep's
// journal at random byte offsets (and flipping a byte in the middle), then
// resumes: the files must equal the uninterrupted sweep's.
func TestResumeTornJournal(t *testing.T) {
	p := planFrom(t, smallSweep)
	ref := t.TempDir()
	execute(t, p, Options{Out: ref})
	want := readResults(t, ref)
	journal, err := os.ReadFile(filepath.Join(ref, JournalFile))
	require.NoError(t, err)
	headerEnd := 8 + len(encodeHeader(fileHeader{Format: journalFormat, SweepHash: p.Hash, Version: Version(), ShardIndex: 0, ShardCount: 1, Runs: 12}))

	rnd := rand.New(rand.NewPCG(1, 2))
	cuts := []int{headerEnd, headerEnd + 1, headerEnd + 8, len(journal) - 1, len(journal)}
	for range 12 {
		cuts = append(cuts, headerEnd+rnd.IntN(len(journal)-headerEnd))
	}
	for _, cut := range cuts {
		t.Run(fmt.Sprint("cut", cut), func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, JournalFile), journal[:cut], 0o644))
			rep, err := Execute(context.Background(), p, Options{Out: dir, Resume: true})
			require.NoError(t, err)
			assert.Equal(t, int64(12), rep.Resumed+rep.Ran)
			assert.Less(t, rep.TornBytes, int64(len(journal)))
			assertSameResults(t, want, dir)
		})
	}
	t.Run("flipped byte", func(t *testing.T) {
		dir := t.TempDir()
		bad := bytes.Clone(journal)
		bad[headerEnd+(len(bad)-headerEnd)/2] ^= 0x40
		require.NoError(t, os.WriteFile(filepath.Join(dir, JournalFile), bad, 0o644))
		rep := execute(t, p, Options{Out: dir})
		assert.Positive(t, rep.Ran, "runs after the damaged record are done again")
		assertSameResults(t, want, dir)
	})
	t.Run("journal with garbage appended", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, JournalFile), append(bytes.Clone(journal), 0xff, 0xff, 0xff, 0x7f, 1, 2, 3), 0o644))
		rep := execute(t, p, Options{Out: dir})
		assert.Equal(t, int64(0), rep.Ran)
		assert.Equal(t, int64(7), rep.TornBytes)
		assertSameResults(t, want, dir)
	})
}

// TestResumeAfterKill runs a sweep in a child process, kills it with
// SIGKILL once some runs are in the journal, and resumes in this process.
func TestResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	src := strings.Replace(smallSweep, "world.users=400", "world.users=1500", 1)
	src = strings.Replace(src, "replicates = 2", "replicates = 40", 1)
	p := planFrom(t, src)
	sweepFile := filepath.Join(t.TempDir(), "kill.toml")
	require.NoError(t, os.WriteFile(sweepFile, []byte(src), 0o644))

	ref := t.TempDir()
	execute(t, p, Options{Out: ref})
	want := readResults(t, ref)

	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSweepChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HONGBAO_SWEEP_CHILD="+sweepFile, "HONGBAO_SWEEP_OUT="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	journal := filepath.Join(dir, JournalFile)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if st, err := os.Stat(journal); err == nil && st.Size() > 2000 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Kill())
	cmd.Wait()
	st, err := os.Stat(journal)
	require.NoError(t, err, "child output:\n%s", out.String())
	t.Logf("killed the child with a journal of %d bytes", st.Size())
	_, err = os.Stat(filepath.Join(dir, ManifestFile))
	require.True(t, errors.Is(err, os.ErrNotExist), "the child finished before it was killed; make its sweep longer")

	rep := execute(t, p, Options{Out: dir, Resume: true})
	assert.Positive(t, rep.Resumed)
	assert.Equal(t, rep.Runs, rep.Resumed+rep.Ran)
	assertSameResults(t, want, dir)
}

// TestHelperSweepChild is the child of TestResumeAfterKill.
func TestHelperSweepChild(t *testing.T) {
	file := os.Getenv("HONGBAO_SWEEP_CHILD")
	if file == "" {
		t.Skip("only run as the child of TestResumeAfterKill")
	}
	p, err := Load(file)
	require.NoError(t, err)
	_, err = Execute(context.Background(), p, Options{Out: os.Getenv("HONGBAO_SWEEP_OUT"), Workers: 2, SyncEvery: time.Millisecond})
	require.NoError(t, err)
}

func TestResumeRefuses(t *testing.T) {
	p := planFrom(t, smallSweep)
	dir := t.TempDir()
	_, err := Execute(context.Background(), p, Options{Out: dir, Resume: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no journal")

	execute(t, p, Options{Out: dir})
	other := planFrom(t, strings.Replace(smallSweep, "seed = 99", "seed = 100", 1))
	_, err = Execute(context.Background(), other, Options{Out: dir})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "different sweep")

	_, err = Execute(context.Background(), p, Options{Out: dir, Version: "another build"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "same binary")
}

// TestInterrupt cancels a sweep part-way: the journal keeps what finished
// and the next call completes it. The cancel comes when the fifth run is
// reported; the worker may have finished a run or two more by the time
// it sees it (runs reach the consumer in batches, and a loaded machine
// lets the worker run ahead), so the first call ran at least five and
// not all, and the second resumes exactly the runs the first kept.
func TestInterrupt(t *testing.T) {
	p := planFrom(t, smallSweep)
	ref := t.TempDir()
	whole := execute(t, p, Options{Out: ref})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	rep, err := Execute(ctx, p, Options{Out: dir, Workers: 1, Progress: func(done, total int64) {
		if done == 5 {
			cancel()
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
	assert.GreaterOrEqual(t, rep.Ran, int64(5))
	assert.Less(t, rep.Ran, whole.Runs, "the cancel stopped the sweep before its end")
	ran := rep.Ran
	rep = execute(t, p, Options{Out: dir})
	assert.Equal(t, ran, rep.Resumed)
	assertSameResults(t, readResults(t, ref), dir)
}

// TestMergeShards: four shards, run with different worker counts, merge
// to the bytes of the whole sweep.
func TestMergeShards(t *testing.T) {
	p := planFrom(t, smallSweep)
	whole := t.TempDir()
	execute(t, p, Options{Out: whole})
	want := readResults(t, whole)

	shards := t.TempDir()
	for i := range 4 {
		rep := execute(t, p, Options{Out: shards, Shard: Shard{i, 4}, Workers: 1 + i%2})
		assert.Equal(t, int64(3), rep.Runs)
	}
	// A shard run again replaces its files.
	execute(t, p, Options{Out: shards, Shard: Shard{2, 4}})
	merged := t.TempDir()
	rep, err := Merge([]string{shards}, merged)
	require.NoError(t, err)
	assert.Equal(t, MergeReport{Shards: 4, Runs: 12}, rep)
	assertSameResults(t, want, merged)

	// Shard directories given one by one merge alike.
	dirs, _ := filepath.Glob(filepath.Join(shards, "shard-*"))
	merged2 := t.TempDir()
	_, err = Merge(dirs, merged2)
	require.NoError(t, err)
	assertSameResults(t, want, merged2)
}

func TestMergeProblems(t *testing.T) {
	p := planFrom(t, smallSweep)
	shards := t.TempDir()
	for i := range 4 {
		execute(t, p, Options{Out: shards, Shard: Shard{i, 4}})
	}
	other := planFrom(t, strings.Replace(smallSweep, "seed = 99", "seed = 7", 1))
	otherDir := t.TempDir()
	execute(t, other, Options{Out: otherDir, Shard: Shard{1, 4}})

	copyDir := func(t *testing.T) string {
		dst := t.TempDir()
		require.NoError(t, os.CopyFS(dst, os.DirFS(shards)))
		return dst
	}
	tests := []struct {
		name  string
		setup func(t *testing.T) []string
		want  []string
	}{
		{"missing shard", func(t *testing.T) []string {
			d := copyDir(t)
			require.NoError(t, os.RemoveAll(filepath.Join(d, Shard{2, 4}.Dir())))
			return []string{d}
		}, []string{"shard 2 of 4 is missing: runs 2, 6, 10"}},
		{"unfinished shard", func(t *testing.T) []string {
			d := copyDir(t)
			require.NoError(t, os.Remove(filepath.Join(d, Shard{3, 4}.Dir(), ManifestFile)))
			return []string{d}
		}, []string{"shard 3 of 4 is missing", "not finished, its journal has 3 of 3 runs"}},
		{"another sweep", func(t *testing.T) []string {
			d := copyDir(t)
			return []string{d, filepath.Join(otherDir, Shard{1, 4}.Dir())}
		}, []string{"a different sweep"}},
		{"shard twice", func(t *testing.T) []string {
			d := copyDir(t)
			return []string{d, filepath.Join(shards, Shard{1, 4}.Dir())}
		}, []string{"shard 1 of 4 found 2 times"}},
		{"damaged part", func(t *testing.T) []string {
			d := copyDir(t)
			part := filepath.Join(d, Shard{0, 4}.Dir(), PartFile)
			b, err := os.ReadFile(part)
			require.NoError(t, err)
			b[len(b)-3] ^= 1
			require.NoError(t, os.WriteFile(part, b, 0o644))
			return []string{d}
		}, []string{"shard-0000-of-0004: part.bin"}},
		{"another binary", func(t *testing.T) []string {
			d := copyDir(t)
			mf := filepath.Join(d, Shard{3, 4}.Dir(), ManifestFile)
			b, err := os.ReadFile(mf)
			require.NoError(t, err)
			b = bytes.Replace(b, []byte(`"version": "`), []byte(`"version": "v0.0.0 `), 1)
			require.NoError(t, os.WriteFile(mf, b, 0o644))
			return []string{d}
		}, []string{"runs of different binaries cannot be mixed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dirs := tt.setup(t)
			out := t.TempDir()
			_, err := Merge(dirs, out)
			var me *MergeError
			require.ErrorAs(t, err, &me)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			_, statErr := os.Stat(filepath.Join(out, RunsCSV))
			assert.True(t, errors.Is(statErr, os.ErrNotExist), "nothing written")
		})
	}
}

func TestShardFromEnv(t *testing.T) {
	tests := []struct {
		name         string
		index, count int
		env          map[string]string
		want         Shard
		err          string
	}{
		{"none", -1, -1, nil, Shard{}, ""},
		{"flags", 2, 4, nil, Shard{2, 4}, ""},
		{"index without count", 2, -1, nil, Shard{}, "needs --shard-count"},
		{"count without index", -1, 4, nil, Shard{}, "needs --shard-index"},
		{"slurm", -1, -1, map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "8"}, Shard{3, 8}, ""},
		{"slurm from 1", -1, -1, map[string]string{"SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}, Shard{7, 8}, ""},
		{"slurm without count", -1, -1, map[string]string{"SLURM_ARRAY_TASK_ID": "3"}, Shard{}, "SLURM_ARRAY_TASK_COUNT"},
		{"indexed job", -1, 16, map[string]string{"JOB_COMPLETION_INDEX": "15"}, Shard{15, 16}, ""},
		{"indexed job without count", -1, -1, map[string]string{"JOB_COMPLETION_INDEX": "1"}, Shard{}, "give --shard-count"},
		{"flags win", 0, 2, map[string]string{"JOB_COMPLETION_INDEX": "1"}, Shard{0, 2}, ""},
		{"out of range", -1, 4, map[string]string{"JOB_COMPLETION_INDEX": "4"}, Shard{}, "outside 0 to 3"},
		{"garbage", -1, 4, map[string]string{"JOB_COMPLETION_INDEX": "x"}, Shard{}, "not a shard number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ShardFromEnv(tt.index, tt.count, func(k string) string { return tt.env[k] })
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestExample runs the embedded example sweep.
func TestExample(t *testing.T) {
	s, err := ParseSpec("example.toml", Example)
	require.NoError(t, err)
	p, err := Bind(s)
	require.NoError(t, err)
	dir := t.TempDir()
	rep := execute(t, p, Options{Out: dir})
	assert.Equal(t, int64(27), rep.Runs)
	assert.Equal(t, int64(0), rep.Failed)
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return out
}

func parseF(t testing.TB, s string) float64 {
	t.Helper()
	var v float64
	_, err := fmt.Sscan(s, &v)
	require.NoError(t, err, s)
	return v
}

// TestLabels sweeps a parameter of strings: quoted for a string field,
// written as strings in both files.
func TestLabels(t *testing.T) {
	src := `scenario = "example-minimal"
sets = ["world.users=200", "world.days=5", "platforms.wechat.campaigns.launch.end=4"]
[[params]]
key = "graph.kind"
values = ["uniform", "small_world"]
[[params]]
key = "retention.revive_on_use"
values = [true, false]
[[outputs]]
metric = "wechat.share_value"
`
	p := planFrom(t, src)
	dir := t.TempDir()
	stale := filepath.Join(dir, ".runs.csv.tmp123")
	require.NoError(t, os.WriteFile(stale, []byte("half a file"), 0o600))
	rep := execute(t, p, Options{Out: dir})
	assert.Equal(t, int64(0), rep.Failed)
	assert.NoFileExists(t, stale, "a killed write's temporary file is cleaned up")
	runs := readCSV(t, filepath.Join(dir, RunsCSV))
	assert.Equal(t, []string{"small_world", "false"}, runs[4][4:6])
	sc, err := p.RunScenario(3)
	require.NoError(t, err)
	assert.Equal(t, "small_world", sc.Graph.Kind)
	assert.False(t, sc.Retention.ReviveOnUse)

	f, err := os.Open(filepath.Join(dir, RunsParquet))
	require.NoError(t, err)
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	require.NoError(t, err)
	rows := make([]parquet.Row, 4)
	r := pf.RowGroups()[0].Rows()
	defer r.Close()
	n, _ := r.ReadRows(rows)
	require.Equal(t, 4, n)
	assert.Equal(t, "small_world", rows[3][4].String())
}
