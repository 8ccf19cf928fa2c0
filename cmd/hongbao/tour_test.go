package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tourLine is one ./hongbao command of the README, with the file its
// standard output is redirected to ("" for none).
type tourLine struct {
	args   []string
	stdout string
}

// readmeTour returns every `./hongbao ...` line of the README's sh blocks,
// in order, with comments dropped; go build lines are skipped because the
// test runs the commands in-process.
func readmeTour(t *testing.T) []tourLine {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	defer f.Close()
	var lines []tourLine
	inSh := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```sh":
			inSh = true
			continue
		case strings.HasPrefix(line, "```"):
			inSh = false
			continue
		}
		if !inSh || !strings.HasPrefix(line, "./hongbao ") {
			continue
		}
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		var tl tourLine
		words := strings.Fields(strings.TrimPrefix(line, "./hongbao "))
		for i := 0; i < len(words); i++ {
			if words[i] == ">" && i+1 < len(words) {
				tl.stdout = words[i+1]
				i++
				continue
			}
			tl.args = append(tl.args, words[i])
		}
		lines = append(lines, tl)
	}
	require.NoError(t, sc.Err())
	return lines
}

// TestReadmeTour runs the README's commands in the order given, in an
// empty folder that sees the checkout's sim/ (for the example files the
// tour names), so that a newcomer never meets a command that fails. Only
// bench is shrunk (--users 20000 --days 30 appended), because a million
// users would take a test's worth of minutes on a shared machine; every
// other line runs as written.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: -short; the tour runs the default scenario, a comparison, sweeps and a game at full size")
	}
	tour := readmeTour(t)
	require.GreaterOrEqual(t, len(tour), 15, "the README's tour has its commands in ```sh blocks")
	sim, err := filepath.Abs(filepath.Join("..", "..", "sim"))
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	require.NoError(t, os.Symlink(sim, "sim"))
	for _, tl := range tour {
		args := tl.args
		if args[0] == "bench" {
			args = append(args, "--users", "20000", "--days", "30")
		}
		name := strings.Join(tl.args, " ")
		var out, errb bytes.Buffer
		code := dispatch(args, &out, &errb)
		require.Equal(t, 0, code, "README line `hongbao %s` failed:\n%s", name, errb.String())
		if tl.stdout != "" {
			require.NoError(t, os.WriteFile(tl.stdout, out.Bytes(), 0o644), name)
		}
	}
	// What the tour promises exists.
	for _, p := range []string{"out/default-seed7/summary.json", "out/mine/timeseries.csv", "out/compare/compare.csv",
		"sweeps/sobol/runs.csv", "sweeps/split/runs.csv", "games/taxi-war/game.nfg"} {
		assert.FileExists(t, p)
	}
}
