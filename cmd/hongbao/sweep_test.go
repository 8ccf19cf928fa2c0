package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim/sweep"
)

// cliSweep is a small sweep of a library scenario: 2 points × 2 replicates
// of 300 users over 10 days.
const cliSweep = `name = "cli"
scenario = "example-minimal"
sets = ["world.users=300", "world.days=10", "platforms.wechat.campaigns.launch.end=9"]
replicates = 2
[[params]]
key = "envelopes.per_day"
values = [0.01, 0.02]
[[outputs]]
metric = "wechat.share_value"
`

func writeSweep(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cli.toml")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
	return path
}

// call runs a command and returns its exit code, stdout and stderr.
func call(f func([]string, io.Writer, io.Writer) int, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := f(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestSweepCommandUsage(t *testing.T) {
	file := writeSweep(t, cliSweep)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"-h"}, 0, "", "Example:"},
		{"example", []string{"--example"}, 0, "[[params]]", ""},
		{"no file", nil, 2, "", "want one sweep file"},
		{"two files", []string{"a.toml", "b.toml"}, 2, "", "want one sweep file"},
		{"bad flag", []string{file, "--wokers", "2"}, 2, "", "flag provided but not defined"},
		{"negative workers", []string{file, "--workers", "-1"}, 2, "", "hongbao sweep: --workers must be 0 or more, got -1"},
		{"count without index", []string{file, "--shard-count", "4"}, 2, "", "needs --shard-index"},
		{"missing file", []string{"nope.toml"}, 1, "", "nope.toml: no such file"},
		{"check", []string{file, "--check"}, 0, "2 points × 2 replicates = 4 runs", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := call(sweepCmd, tt.args...)
			assert.Equal(t, tt.code, code, "stderr: %s", errs)
			assert.Contains(t, out, tt.stdout)
			assert.Contains(t, errs, tt.stderr)
		})
	}
	code, out, _ := call(sweepCmd, "--example")
	require.Equal(t, 0, code)
	assert.Equal(t, string(sweep.Example), out)
}

func TestSweepCommandBadFile(t *testing.T) {
	file := writeSweep(t, "scenario = \"example-minimal\"\nreplicate = 2\n[[outputs]]\nmetric = \"wechat.share_valu\"\n")
	code, _, errs := call(sweepCmd, file)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, file+":2:1: replicate: unknown key; did you mean replicates?")
	assert.Contains(t, errs, file+":4:1: outputs[0].metric: unknown metric")
}

func TestSweepCommandRunResumeMerge(t *testing.T) {
	file := writeSweep(t, cliSweep)
	whole := filepath.Join(t.TempDir(), "whole")
	code, out, errs := call(sweepCmd, file, "--out", whole, "--workers", "2")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "4 runs (4 now, 0 resumed), 0 failed")
	code, out, _ = call(sweepCmd, "--resume", file, "--out", whole)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "(0 now, 4 resumed)")

	shards := filepath.Join(t.TempDir(), "shards")
	code, _, errs = call(sweepCmd, file, "--out", shards, "--shard-index", "0", "--shard-count", "2")
	require.Equal(t, 0, code, errs)
	code, _, errs = call(mergeCmd, shards)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "shard 1 of 2 is missing: runs 1, 3")
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	code, out, errs = call(sweepCmd, file, "--out", shards, "--shard-count", "2")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "shard 1 of 2")
	code, out, errs = call(mergeCmd, shards)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "merged 2 shards")
	for _, f := range []string{sweep.RunsCSV, sweep.RunsParquet, sweep.PointsCSV, sweep.ManifestFile} {
		a, err := os.ReadFile(filepath.Join(whole, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(shards, f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), f)
	}
}

func TestMergeCommandUsage(t *testing.T) {
	code, _, errs := call(mergeCmd, "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "Example:")
	code, _, _ = call(mergeCmd)
	assert.Equal(t, 2, code)
	code, _, errs = call(mergeCmd, t.TempDir(), t.TempDir())
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--out")
	code, _, errs = call(mergeCmd, t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "no shards")
}

func TestSensitivityCommand(t *testing.T) {
	code, _, errs := call(sensitivityCmd, "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "Example:")
	code, _, _ = call(sensitivityCmd)
	assert.Equal(t, 2, code)

	src := strings.Replace(cliSweep, "replicates = 2", "[design]\nkind = \"morris\"\ntrajectories = 3", 1)
	src = strings.Replace(src, "values = [0.01, 0.02]", "min = 0.01\nmax = 0.03\n[[params]]\nkey = \"habit.gain\"\nmin = 0.05\nmax = 0.3", 1)
	file := writeSweep(t, src)
	dir := filepath.Join(t.TempDir(), "morris")
	code, _, errs = call(sweepCmd, file, "--out", dir, "--quiet")
	require.Equal(t, 0, code, errs)
	code, out, errs := call(sensitivityCmd, dir, "--no-charts")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "wechat_share_value: Morris elementary effects")
	assert.Contains(t, out, "μ*")

	plain := filepath.Join(t.TempDir(), "plain")
	code, _, errs = call(sweepCmd, writeSweep(t, cliSweep), "--out", plain, "--quiet")
	require.Equal(t, 0, code, errs)
	code, _, errs = call(sensitivityCmd, plain)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "saltelli")
}
