package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim/calibrate"
	"github.com/paywars/hongbao/sim/search"
)

// tinyCalibration is a calibration of one parameter on one small
// episode, with a held-out figure to validate.
const tinyCalibration = `users = 300
seeds = 1
replicates = 2
recheck = 2
confirm = 2
budget = 12
[[episodes]]
scenario = "laiwang-push-2013"
days = 61
[[params]]
key = "adoption.intercept"
lo = -9.0
hi = -3.0
[[targets]]
id = "laiwang-registered-month"
episode = "laiwang-push-2013"
sd = 0.15
log = true
[[holdout]]
id = "taxi-rides-after-vs-march"
episode = "taxi-war-2014"
sd = 0.05
`

func TestCalibrateUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	require.NoError(t, os.WriteFile(bad, []byte("[[targets]]\nid = \"an-2015q3-alipay\"\nepisode = \"china-2013-2017\"\nsd = 2.0\n"), 0o644))
	checkUsage(t, "calibrate", []usageCase{
		{name: "no spec", code: 2, stderr: "calibration spec"},
		{name: "missing file", args: []string{filepath.Join(dir, "none.toml")}, code: 1, stderr: "none.toml"},
		{name: "bad spec", args: []string{bad}, code: 1, stderr: "bad.toml"},
		{name: "negative workers", args: []string{"--workers", "-1", bad}, code: 2},
		{name: "unknown posterior", args: []string{"--posterior", "mcmc", bad}, code: 2, stderr: "abc"},
		{name: "negative particles", args: []string{"--posterior", "abc", "--particles", "-3", bad}, code: 2},
		{name: "loeo with no fit", args: []string{"--loeo", "--out", dir, "../../calibration/library.toml"}, code: 1, stderr: "run the calibration first"},
		{name: "compare one fit", args: []string{"--compare", dir, "../../calibration/library.toml"}, code: 2, stderr: "DIR_A,DIR_B"},
		{name: "compare one replicate", args: []string{"--compare", dir + "," + dir, "--replicates", "1", "../../calibration/library.toml"}, code: 2, stderr: "at least 2"},
		{name: "compare with no fit", args: []string{"--compare", "../../calibration/result," + dir, "../../calibration/library.toml"}, code: 1, stderr: "result.json: no such file"},
	})
}

// TestCalibrateTinyEndToEnd: a whole calibration of one parameter on one
// small episode writes its result, its fitted profile and a validation,
// and a second run resumes from the journal without a new simulation.
func TestCalibrateTinyEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs a small calibration (about 10 s) because the command is only checked whole")
	}
	dir := t.TempDir()
	spec := filepath.Join(dir, "tiny.toml")
	require.NoError(t, os.WriteFile(spec, []byte(tinyCalibration), 0o644))
	out := filepath.Join(dir, "out")
	code, stdout, errs := hb("calibrate", spec, "--out", out, "--quiet")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "laiwang-registered-month")
	assert.Contains(t, stdout, "adoption.intercept")
	var res struct {
		Search struct {
			X        []float64 `json:"x"`
			Replayed int       `json:"replayed"`
		} `json:"search"`
	}
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &res))
	require.Len(t, res.Search.X, 1)
	prof, err := os.ReadFile(filepath.Join(out, "behaviour.toml"))
	require.NoError(t, err)
	assert.Contains(t, string(prof), "intercept = ")

	code, _, errs = hb("calibrate", spec, "--out", out, "--quiet", "--json")
	require.Equal(t, 0, code, errs)
	b, err = os.ReadFile(filepath.Join(out, "result.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &res))
	assert.Positive(t, res.Search.Replayed, "the second run replays the journal")

	code, stdout, errs = hb("calibrate", spec, "--validate", "--out", out, "--seeds", "1")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "taxi-rides-after-vs-march")
	assert.FileExists(t, filepath.Join(out, "validation.json"))
	// A fit against itself: the same seeds, so no difference at all.
	code, stdout, errs = hb("calibrate", spec, "--compare", out+","+out, "--replicates", "2")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "loss B − A, paired by replicate: 0.0 (95% 0.0 to 0.0): the difference is within the noise")
}

// posteriorOf reads DIR/posterior.json without the count of particles
// replayed, which is all that may differ between a resumed run and an
// uninterrupted one.
func posteriorOf(t *testing.T, dir string) calibrate.Posterior {
	t.Helper()
	var p calibrate.Posterior
	b, err := os.ReadFile(filepath.Join(dir, "posterior.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &p))
	p.Replayed = 0
	return p
}

// TestCalibratePosteriorEndToEnd: --posterior abc writes posterior.txt and
// posterior.json, a second run replays every simulation from the journal,
// and --validate then draws from the ABC particles.
func TestCalibratePosteriorEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs a small posterior (a few seconds) because the command is only checked whole")
	}
	dir := t.TempDir()
	spec := filepath.Join(dir, "tiny.toml")
	require.NoError(t, os.WriteFile(spec, []byte("draws = 3\n"+tinyCalibration), 0o644))
	out := filepath.Join(dir, "out")
	args := []string{spec, "--posterior", "abc", "--particles", "24", "--generations", "3", "--out", out, "--quiet"}
	code, stdout, errs := hb("calibrate", args...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "ABC-SMC")
	assert.Contains(t, stdout, "adoption.intercept")
	assert.FileExists(t, filepath.Join(out, "posterior.txt"))
	first := posteriorOf(t, out)
	simulated := 0
	for _, g := range first.Generations {
		simulated += g.Simulated
	}
	assert.Equal(t, simulated, first.Particles)

	code, stdout, errs = hb("calibrate", append(args, "--json")...)
	require.Equal(t, 0, code, errs)
	var again calibrate.Posterior
	require.NoError(t, json.Unmarshal([]byte(stdout), &again))
	assert.Equal(t, again.Particles, again.Replayed, "the second run replays every particle")

	code, stdout, errs = hb("calibrate", spec, "--validate", "--out", out, "--seeds", "1")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "posterior draws: ABC-SMC particles")
}

// TestCalibratePosteriorResumeAfterKill runs a posterior in a child
// process, kills it with SIGKILL once its journal holds some particles,
// and resumes it in this process: the posterior is the uninterrupted one.
func TestCalibratePosteriorResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: starts a child process")
	}
	dir := t.TempDir()
	spec := filepath.Join(dir, "tiny.toml")
	require.NoError(t, os.WriteFile(spec, []byte(tinyCalibration), 0o644))
	args := []string{spec, "--posterior", "abc", "--particles", "60", "--generations", "5", "--quiet", "--workers", "2"}
	ref := filepath.Join(dir, "ref")
	code, _, errs := hb("calibrate", append(args, "--out", ref)...)
	require.Equal(t, 0, code, errs)

	killed := filepath.Join(dir, "killed")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPosteriorChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HONGBAO_POSTERIOR_CHILD="+strings.Join(append(args, "--out", killed), "\n"))
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	journal := filepath.Join(killed, calibrate.PosteriorDir, search.JournalFile)
	killWhen(t, cmd, func() bool {
		b, err := os.ReadFile(journal)
		return err == nil && bytes.Count(b, []byte("\n")) > 70
	})
	b, err := os.ReadFile(journal)
	require.NoError(t, err, "child output:\n%s", buf.String())
	t.Logf("killed the child with %d journal lines", bytes.Count(b, []byte("\n")))
	_, err = os.Stat(filepath.Join(killed, "posterior.json"))
	require.True(t, os.IsNotExist(err), "the child finished before it was killed; make its posterior longer")

	code, _, errs = hb("calibrate", append(args, "--out", killed)...)
	require.Equal(t, 0, code, errs)
	var resumed calibrate.Posterior
	b, err = os.ReadFile(filepath.Join(killed, "posterior.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &resumed))
	assert.Positive(t, resumed.Replayed)
	assert.Equal(t, posteriorOf(t, ref), posteriorOf(t, killed))
}

// TestHelperPosteriorChild is the child of
// TestCalibratePosteriorResumeAfterKill.
func TestHelperPosteriorChild(t *testing.T) {
	args := os.Getenv("HONGBAO_POSTERIOR_CHILD")
	if args == "" {
		t.Skip("SKIP: only run as the child of TestCalibratePosteriorResumeAfterKill")
	}
	code, _, errs := hb("calibrate", strings.Split(args, "\n")...)
	require.Equal(t, 0, code, errs)
}

// TestCalibratePosteriorExtend: a posterior with repeated moves that
// stopped on --max-particles, run again with a larger bound, replays what
// it has from the journal and goes on from there; the particles it
// replays are the first run's.
func TestCalibratePosteriorExtend(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs a small posterior twice")
	}
	dir := t.TempDir()
	spec := filepath.Join(dir, "tiny.toml")
	require.NoError(t, os.WriteFile(spec, []byte(tinyCalibration+"\n[posterior]\nmoved = 0.5\nmax_moves = 3\n"), 0o644))
	out := filepath.Join(dir, "out")
	args := []string{spec, "--posterior", "abc", "--particles", "24", "--out", out, "--quiet", "--max-particles", "60"}
	code, _, errs := hb("calibrate", args...)
	require.Equal(t, 0, code, errs)
	first := posteriorOf(t, out)
	require.Contains(t, first.Stopped, "the most particles, 60")
	args[len(args)-1] = "120"
	code, _, errs = hb("calibrate", args...)
	require.Equal(t, 0, code, errs)
	var second calibrate.Posterior // posteriorOf clears Replayed
	b, err := os.ReadFile(filepath.Join(out, "posterior.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &second))
	assert.Equal(t, first.Particles, second.Replayed, "the first run's particles are replayed")
	assert.Greater(t, second.Particles, first.Particles)
	assert.Greater(t, len(second.Generations), len(first.Generations))
	assert.Equal(t, first.Generations, second.Generations[:len(first.Generations)], "the first run's generations again")
	code, _, errs = hb("calibrate", spec, "--posterior", "abc", "--max-particles", "-1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "max-particles")
}
