package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCalibrateUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	require.NoError(t, os.WriteFile(bad, []byte("[[targets]]\nid = \"an-2015q3-alipay\"\nepisode = \"china-2013-2017\"\nsd = 2.0\n"), 0o644))
	checkUsage(t, "calibrate", []usageCase{
		{name: "no spec", code: 2, stderr: "calibration spec"},
		{name: "missing file", args: []string{filepath.Join(dir, "none.toml")}, code: 1, stderr: "none.toml"},
		{name: "bad spec", args: []string{bad}, code: 1, stderr: "bad.toml"},
		{name: "negative workers", args: []string{"--workers", "-1", bad}, code: 2},
		{name: "loeo with no fit", args: []string{"--loeo", "--out", dir, "../../calibration/library.toml"}, code: 1, stderr: "run the calibration first"},
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
	require.NoError(t, os.WriteFile(spec, []byte(`users = 300
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
`), 0o644))
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
}
