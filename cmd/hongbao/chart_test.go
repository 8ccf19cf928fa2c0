package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func chartArgs(args []string, out, errb *bytes.Buffer) int { return chartCmd(args, out, errb) }

var librarySpecPath = filepath.Join("..", "..", "calibration", "library.toml")

// TestChartEpisodeCommand draws taxi-war-2014 small and on two seeds:
// the chart in both formats and its table, all inside --out and nothing
// else there; the table has each figure with the model's quantiles.
func TestChartEpisodeCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "charts")
	code, stdout, stderr := runCommand(chartArgs, "episode", "taxi-war-2014", "--seeds", "2", "--users", "1000",
		"--spec", librarySpecPath, "--inputs", "didi-spend-q1, kuaidi-spend-h1", "--out", out, "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	files := strings.Fields(stdout)
	require.Equal(t, []string{"episode-taxi-war-2014.png", "episode-taxi-war-2014.svg", "episode-taxi-war-2014.csv"}, baseNames(files))
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	require.Len(t, entries, 3, "only the chart and its table in --out")
	table, err := os.ReadFile(filepath.Join(out, "episode-taxi-war-2014.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(table)), "\n")
	require.Equal(t, "id,tag,metric,platform,period,value,unit,model_p05,model_median,model_p95,seeds,source", lines[0])
	// The spec's four targets and one held-out figure, and two inputs.
	require.Len(t, lines, 8)
	assert.Contains(t, string(table), "\ntaxi-rides-after-vs-march,holdout,")
	assert.Contains(t, string(table), "\ndidi-spend-q1,input,subsidy_spend,wechat,2014Q1,")
}

// TestChartCommandErrors: usage mistakes exit 2 with the usage; a bad
// spec, episode or figure exits 1 naming the file, line and key; nothing
// is written.
func TestChartCommandErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "never")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no subcommand", nil, 2, "want `episode NAME`"},
		{"unknown subcommand", []string{"run", "x"}, 2, "want `episode NAME`"},
		{"two episodes", []string{"episode", "a", "b"}, 2, "want `episode NAME`"},
		{"no seeds", []string{"episode", "taxi-war-2014", "--seeds", "0"}, 2, "--seeds must be 1 or more"},
		{"negative users", []string{"episode", "taxi-war-2014", "--users", "-5"}, 2, "--users must be 0"},
		{"bad format", []string{"episode", "taxi-war-2014", "--format", "gif"}, 2, `unknown format "gif"`},
		{"missing spec", []string{"episode", "taxi-war-2014", "--spec", "no/such.toml"}, 1, "no/such.toml"},
		{"a fitted figure as an input", []string{"episode", "taxi-war-2014", "--inputs", "taxi-share-june"}, 1, "record/taxi.csv:7: tag: taxi-share-june is tagged fit"},
		{"an input outside the run", []string{"episode", "taxi-war-2014", "--inputs", "gala-2016-budget"}, 1, "record/wechat.csv:26: period: gala-2016-budget: 2016-02-07 is outside the run"},
		{"an episode without figures", []string{"episode", "flash-sale-outage"}, 1, "flash-sale-outage: no record figures"},
		{"no such episode", []string{"episode", "no-such-episode", "--inputs", "didi-spend-q1"}, 1, "no-such-episode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--out", out, "--users", "500", "--seeds", "1"}, tc.args...)
			if !strings.Contains(strings.Join(tc.args, " "), "--spec") {
				args = append(args, "--spec", librarySpecPath)
			}
			code, _, stderr := runCommand(chartArgs, args...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.stderr)
			require.NoDirExists(t, out)
		})
	}
}
