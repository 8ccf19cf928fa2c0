package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim/empirical"
)

// tinyGame is the game package's 2 × 2 test game: 12 runs of 2,000 users
// over 60 days.
const tinyGame = "../../sim/empirical/testdata/tiny.game.toml"

func TestGameCommandUsage(t *testing.T) {
	dir := t.TempDir()
	example := filepath.Join(dir, "example.game.toml")
	require.NoError(t, os.WriteFile(example, empirical.Example, 0o644))
	checkUsage(t, "game", []usageCase{
		{"help", []string{"-h"}, 0, "", "Example:"},
		{"example", []string{"--example"}, 0, "[[players.strategies]]", ""},
		{"no file", nil, 2, "", "want one game file"},
		{"two files", []string{"a.toml", "b.toml"}, 2, "", "want one game file"},
		{"bad flag", []string{tinyGame, "--wokers", "2"}, 2, "", "unknown flag --wokers; did you mean --workers?"},
		{"negative workers", []string{tinyGame, "--workers", "-1"}, 2, "", "--workers must be 0 or more"},
		{"missing file", []string{"nope.toml"}, 1, "", "nope.toml: no such file (print an example with: hongbao game --example)"},
		{"check", []string{tinyGame, "--check"}, 0, "2 players (wechat 2, alipay 2 strategies), 4 profiles × 3 replicates = 12 runs of taxi-war-2014 (2000 users, 60 days)", ""},
		{"check the example", []string{example, "--check"}, 0, "9 profiles × 8 replicates = 72 runs of taxi-war-2014 (10000 users, 181 days)", ""},
	})
	code, out, _ := hb("game", "--example")
	require.Equal(t, 0, code)
	assert.Equal(t, string(empirical.Example), out)
}

func TestGameCommandBadFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.toml")
	src := "scenario = \"taxi-war-2014\"\nreplicate = 3\n[[players]]\nplatform = \"wechta\"\nstrategies = [{name = \"a\"}]\n" +
		"[[players]]\nplatform = \"alipay\"\nstrategies = [{name = \"b\", sets = [\"platforms.wechat.fee_rate=0.01\"]}]\n"
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	code, _, errs := hb("game", file)
	assert.Equal(t, 1, code)
	assert.Equal(t, file+":2:1: replicate: unknown key; did you mean replicates?\n"+
		file+":8:36: players[1].strategies[0].sets[0]: touches another platform: a strategy changes only its own platform (alipay), with paths relative to it; put scenario-wide overrides in sets\n", errs)
	// Once the file parses, the platforms are checked against the scenario.
	src = strings.Replace(strings.Replace(src, "replicate ", "replicates ", 1), "platforms.wechat.", "", 1)
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
	code, _, errs = hb("game", file)
	assert.Equal(t, 1, code)
	assert.Equal(t, file+":4:1: players[0].platform: no platform \"wechta\" in the scenario; did you mean wechat?\n", errs)
}

// TestGameCommandEndToEnd runs the tiny game, checks the JSON report,
// feeds the .nfg to `hongbao nash` for the same equilibria, and runs the
// game again: nothing is simulated twice and the files are unchanged.
func TestGameCommandEndToEnd(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tiny")
	code, stdout, errs := hb("game", tinyGame, "--out", out, "--workers", "2", "--json")
	require.Equal(t, 0, code, errs)
	var rep empirical.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, empirical.ReportFormat, rep.Format)
	assert.Equal(t, "tiny", rep.Name)
	assert.Equal(t, int64(12), rep.Runs)
	require.Len(t, rep.Profiles, 4)
	assert.Equal(t, []string{"subsidise", "subsidise"}, rep.Profiles[0].Strategies)
	for _, p := range rep.Profiles {
		require.Len(t, p.Mean, 2)
		require.Len(t, p.SE, 2)
		for i := range p.SE {
			assert.Greater(t, p.SE[i], 0.0)
		}
	}
	require.NotEmpty(t, rep.Equilibria)
	assert.Len(t, rep.BestReplies, 4)
	saved, err := os.ReadFile(filepath.Join(out, empirical.ReportJSON))
	require.NoError(t, err)
	assert.Equal(t, stdout, string(saved))

	// hongbao nash reproduces the equilibria from the .nfg file.
	code, nash, errs := hb("nash", filepath.Join(out, empirical.NFGFile))
	require.Equal(t, 0, code, errs)
	var want []string
	for _, e := range rep.Equilibria {
		want = append(want, e.NE)
	}
	assert.Equal(t, strings.Join(want, "\n")+"\n", nash)

	// The text report is report.txt, and a second run redoes nothing.
	before := map[string][]byte{}
	for _, f := range rep.Files {
		b, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		before[f] = b
	}
	code, text, errs := hb("game", tinyGame, "--out", out)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, text, "Wrote "+out+": 12 runs (0 now, 12 resumed)")
	assert.Contains(t, text, string(before[empirical.ReportText]))
	for _, f := range rep.Files {
		b, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(before[f], b), "%s changed", f)
	}
	code, _, errs = hb("game", tinyGame, "--out", filepath.Join(t.TempDir(), "none"), "--resume", "--quiet")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "hongbao game: ")
}
