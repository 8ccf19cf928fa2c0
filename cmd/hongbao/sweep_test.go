package main

import (
	"bytes"
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

func TestSweepCommandUsage(t *testing.T) {
	file := writeSweep(t, cliSweep)
	checkUsage(t, "sweep", []usageCase{
		{"help", []string{"-h"}, 0, "", "Example:"},
		{"example", []string{"--example"}, 0, "[[params]]", ""},
		{"no file", nil, 2, "", "want one sweep file"},
		{"two files", []string{"a.toml", "b.toml"}, 2, "", "want one sweep file"},
		{"bad flag", []string{file, "--wokers", "2"}, 2, "", "unknown flag --wokers; did you mean --workers?"},
		{"negative workers", []string{file, "--workers", "-1"}, 2, "", "hongbao sweep: --workers must be 0 or more, got -1"},
		{"count without index", []string{file, "--shard-count", "4"}, 2, "", "needs --shard-index"},
		{"missing file", []string{"nope.toml"}, 1, "", "nope.toml: no such file"},
		{"check", []string{file, "--check"}, 0, "2 points × 2 replicates = 4 runs", ""},
		{"check a shard", []string{file, "--check", "--shard-index", "1", "--shard-count", "3"}, 0, "this is shard 1 of 3: 1 run (run number mod 3 = 1), into shard-0001-of-0003", ""},
		{"check shard 0", []string{file, "--check", "--shard-index", "0", "--shard-count", "3"}, 0, "this is shard 0 of 3: 2 runs", ""},
	})
	code, out, _ := hb("sweep", "--example")
	require.Equal(t, 0, code)
	assert.Equal(t, string(sweep.Example), out)
}

func TestSweepCommandBadFile(t *testing.T) {
	file := writeSweep(t, "scenario = \"example-minimal\"\nreplicate = 2\n[[outputs]]\nmetric = \"wechat.share_valu\"\n")
	code, _, errs := hb("sweep", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, file+":2:1: replicate: unknown key; did you mean replicates?")
	assert.Contains(t, errs, file+":4:1: outputs[0].metric: unknown metric")
}

func TestSweepCommandRunResumeMerge(t *testing.T) {
	file := writeSweep(t, cliSweep)
	whole := filepath.Join(t.TempDir(), "whole")
	code, out, errs := hb("sweep", file, "--out", whole, "--workers", "2")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "4 runs (4 now, 0 resumed), 0 failed")
	code, out, _ = hb("sweep", "--resume", file, "--out", whole)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "(0 now, 4 resumed)")

	shards := filepath.Join(t.TempDir(), "shards")
	code, _, errs = hb("sweep", file, "--out", shards, "--shard-index", "0", "--shard-count", "2")
	require.Equal(t, 0, code, errs)
	code, _, errs = hb("merge", shards)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "shard 1 of 2 is missing: runs 1, 3")
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	code, out, errs = hb("sweep", file, "--out", shards, "--shard-count", "2")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "shard 1 of 2")
	code, out, errs = hb("merge", shards)
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
	code, _, errs := hb("merge", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "Example:")
	code, _, _ = hb("merge")
	assert.Equal(t, 2, code)
	code, _, errs = hb("merge", t.TempDir(), t.TempDir())
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--out")
	code, _, errs = hb("merge", t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "no shards")
}

func TestSensitivityCommand(t *testing.T) {
	code, _, errs := hb("sensitivity", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "Example:")
	code, _, _ = hb("sensitivity")
	assert.Equal(t, 2, code)

	src := strings.Replace(cliSweep, "replicates = 2", "[design]\nkind = \"morris\"\ntrajectories = 3", 1)
	src = strings.Replace(src, "values = [0.01, 0.02]", "min = 0.01\nmax = 0.03\n[[params]]\nkey = \"habit.gain\"\nmin = 0.05\nmax = 0.3", 1)
	file := writeSweep(t, src)
	dir := filepath.Join(t.TempDir(), "morris")
	code, _, errs = hb("sweep", file, "--out", dir, "--quiet")
	require.Equal(t, 0, code, errs)
	code, out, errs := hb("sensitivity", dir, "--no-charts")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "wechat_share_value: Morris elementary effects")
	assert.Contains(t, out, "μ*")

	plain := filepath.Join(t.TempDir(), "plain")
	code, _, errs = hb("sweep", writeSweep(t, cliSweep), "--out", plain, "--quiet")
	require.Equal(t, 0, code, errs)
	code, _, errs = hb("sensitivity", plain)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "saltelli")
}
