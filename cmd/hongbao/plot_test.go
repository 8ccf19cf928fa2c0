package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// smallRunDir simulates the minimal library scenario, small and short,
// into a run directory. Envelopes are sent at 0.05 a card-bound user and
// day: at the fitted profile's rate (0.004, 1/22 of it for a sender who
// has received none) 2,000 users send none in 40 days, and the envelope
// chart, which these tests draw, is left out of a run without any.
func smallRunDir(t *testing.T) (string, *sim.Result) {
	t.Helper()
	s, err := scenarios.Load("example-minimal", []string{"world.users=2000", "world.days=40", "envelopes.per_day=0.05"})
	require.NoError(t, err)
	res, err := sim.Run(context.Background(), s, nil)
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, sim.WriteRunDir(dir, res))
	return dir, res
}

func runCommand(run func([]string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func plotArgs(args []string, out, errb *bytes.Buffer) int { return plotCmd(args, out, errb) }

func TestPlotCommand(t *testing.T) {
	dir, _ := smallRunDir(t)
	other := filepath.Join(t.TempDir(), "charts")
	code, stdout, stderr := runCommand(plotArgs, dir, "--real", "--out", other)
	require.Equal(t, 0, code, stderr)
	files := strings.Fields(stdout)
	require.Len(t, files, 9, stdout) // four charts in two formats, and the overview
	for _, f := range files {
		require.Equal(t, other, filepath.Dir(f))
		info, err := os.Stat(f)
		require.NoError(t, err)
		require.Positive(t, info.Size())
	}

	// By default the charts go into the run directory itself.
	code, stdout, stderr = runCommand(plotArgs, "--format", "svg", dir)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, []string{"share.svg", "users.svg", "money.svg", "envelopes.svg"}, baseNames(strings.Fields(stdout)))
	require.FileExists(t, filepath.Join(dir, "share.svg"))
}

func baseNames(paths []string) []string {
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	return names
}

func TestPlotCommandErrors(t *testing.T) {
	dir, _ := smallRunDir(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "timeseries.csv"), []byte("day,date\n"), 0o644))
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"-h"}, 0, "Example:"},
		{"no directory", nil, 2, "want one run directory, got 0"},
		{"two directories", []string{"a", "b"}, 2, "want one run directory, got 2"},
		{"bad format", []string{"x", "--format", "pdf"}, 2, `unknown format "pdf"`},
		{"bad flag", []string{"x", "--colour"}, 2, "unknown flag --colour"},
		{"missing", []string{filepath.Join(dir, "nope")}, 1, "summary.json: no such file or directory"},
		{"broken csv", []string{dir}, 1, "timeseries.csv:1: missing column platform"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCommand(plotArgs, tc.args...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.stderr)
		})
	}
}

// TestRunPlotHook checks that hongbao run --plot reaches the charts.
func TestRunPlotHook(t *testing.T) {
	_, res := smallRunDir(t)
	dir := t.TempDir()
	require.NoError(t, plotRun(dir, res))
	require.FileExists(t, filepath.Join(dir, "overview.png"))
}
