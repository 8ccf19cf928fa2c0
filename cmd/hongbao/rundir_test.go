package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunFolders: two different runs never share a default folder, a
// folder of another run is not replaced without --force, and the same run
// may be written again.
func TestRunFolders(t *testing.T) {
	t.Chdir(t.TempDir())
	small := []string{"example-minimal", "--users", "300", "--days", "10", "--quiet"}
	code, _, errs := hb("run", small...)
	require.Equal(t, 0, code, errs)
	code, _, errs = hb("run", append(small, "--set", "envelopes.per_day=0")...)
	require.Equal(t, 0, code, errs)
	dirs, err := filepath.Glob(filepath.Join("out", "example-minimal-seed*"))
	require.NoError(t, err)
	require.Len(t, dirs, 2, "each set of overrides has its own folder: %v", dirs)
	for _, d := range dirs {
		assert.Regexp(t, `^out/example-minimal-seed\d+-[0-9a-f]{8}$`, filepath.ToSlash(d))
	}

	// summary.json traces the run.
	raw, err := os.ReadFile(filepath.Join(dirs[0], "summary.json"))
	require.NoError(t, err)
	var sum struct {
		Provenance map[string]any `json:"provenance"`
	}
	require.NoError(t, json.Unmarshal(raw, &sum))
	for _, k := range []string{"source", "overrides", "scenario_sha256", "version", "vcs_revision", "vcs_modified", "go_version"} {
		assert.Contains(t, sum.Provenance, k)
	}
	assert.Len(t, sum.Provenance["scenario_sha256"], 64)

	// The same run again is fine; another run into its folder is not.
	code, _, errs = hb("run", append(small, "--out", "one")...)
	require.Equal(t, 0, code, errs)
	code, _, errs = hb("run", append(small, "--out", "one")...)
	require.Equal(t, 0, code, errs)
	code, _, errs = hb("run", append(small, "--out", "one", "--seed", "9")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "holds a different run")
	assert.Contains(t, errs, "--force")
	code, _, errs = hb("run", append(small, "--out", "one", "--seed", "9", "--force")...)
	assert.Equal(t, 0, code, errs)

	// A folder of other files is not a run.
	require.NoError(t, os.MkdirAll("notes", 0o755))
	require.NoError(t, os.WriteFile(filepath.Join("notes", "todo.txt"), []byte("x"), 0o644))
	code, _, errs = hb("run", append(small, "--out", "notes")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "holds no run")
}

func TestOverridesHash(t *testing.T) {
	assert.Equal(t, "", overridesHash(nil))
	assert.Equal(t, "", overridesHash([]string{"world.seed=4"}), "the seed is in the name already")
	a := overridesHash([]string{"world.users=300"})
	assert.Len(t, a, 8)
	assert.Equal(t, a, overridesHash([]string{"world.users=300", "world.seed=2"}))
	assert.NotEqual(t, a, overridesHash([]string{"world.users=301"}))
}

func TestNewcomerHints(t *testing.T) {
	sweepFile := filepath.Join(t.TempDir(), "s.toml")
	require.NoError(t, os.WriteFile(sweepFile, []byte("scenario = \"default\"\n[design]\nkind = \"factorial\"\n"), 0o644))
	gameFile := filepath.Join(t.TempDir(), "g.toml")
	require.NoError(t, os.WriteFile(gameFile, []byte("scenario = \"default\"\n[[players]]\nplatform = \"wechat\"\n"), 0o644))
	checkUsage(t, "run", []usageCase{
		{name: "--users 0 is --users", args: []string{"--users", "0", "--out", t.TempDir()}, code: 1, stderr: "--users: world.users: must be between"},
		{name: "--days 0 is --days", args: []string{"--days", "0", "--out", t.TempDir()}, code: 1, stderr: "--days: world.days"},
		{name: "a sweep file", args: []string{sweepFile}, code: 2, stderr: "is a sweep file, not a scenario: run it with `hongbao sweep"},
		{name: "a game file", args: []string{gameFile}, code: 2, stderr: "is a game file, not a scenario: run it with `hongbao game"},
		{name: "flag typo", args: []string{"--sead", "3"}, code: 2, stderr: "unknown flag --sead; did you mean --seed?"},
		{name: "scenario typo", args: []string{"defualt"}, code: 1, stderr: "did you mean default?"},
	})
	code, _, errs := hb("comapre")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `unknown command "comapre"; did you mean compare?`)
}

func TestVersion(t *testing.T) {
	for _, name := range []string{"version", "--version"} {
		code, out, _ := hb(name)
		assert.Equal(t, 0, code)
		assert.Regexp(t, `^hongbao .+\nrevision .+\n(committed .+\n)?go go1\.`, out)
	}
}

func TestPlotSaysWhatAFolderIs(t *testing.T) {
	sweepDir, gameDir := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(sweepDir, "manifest.json"), []byte("{}"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(gameDir, "game.nfg"), []byte("x"), 0o644))
	checkUsage(t, "plot", []usageCase{
		{name: "sweep folder", args: []string{sweepDir}, code: 1, stderr: "is a sweep's folder, not a run's"},
		{name: "game folder", args: []string{gameDir}, code: 1, stderr: "is a game's folder, not a run's"},
	})
}
