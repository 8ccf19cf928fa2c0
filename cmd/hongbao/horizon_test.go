package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOneHorizonEveryCommand: run, compare, sweep and game all accept a
// horizon shorter than the default scenario's festival calendar, by --days
// or by world.days, and cut the schedule the same way (issue: "event
// outside the horizon" from everything but run --days). The visualizer
// reads its -set through scenarios.Load like run --set; the scenarios
// package tests the rule itself.
func TestOneHorizonEveryCommand(t *testing.T) {
	dir := t.TempDir()
	small := []string{"--users", "300", "--quiet"}
	t.Run("run --days and run --set world.days agree", func(t *testing.T) {
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		code, _, errs := hb("run", append([]string{"default", "--days", "120", "--out", a}, small...)...)
		require.Equal(t, 0, code, errs)
		code, _, errs = hb("run", append([]string{"default", "--set", "world.days=120", "--out", b}, small...)...)
		require.Equal(t, 0, code, errs)
		ta, err := os.ReadFile(filepath.Join(a, "timeseries.csv"))
		require.NoError(t, err)
		tb, err := os.ReadFile(filepath.Join(b, "timeseries.csv"))
		require.NoError(t, err)
		assert.Equal(t, string(ta), string(tb))
	})
	t.Run("compare --days", func(t *testing.T) {
		code, _, errs := hb("compare", append([]string{"default", "default:envelopes.per_day=0", "--days", "120", "--out", filepath.Join(dir, "c")}, small...)...)
		assert.Equal(t, 0, code, errs)
	})
	t.Run("compare variant world.days", func(t *testing.T) {
		code, _, errs := hb("compare", append([]string{"default:world.days=120", "--out", filepath.Join(dir, "d")}, small...)...)
		assert.Equal(t, 0, code, errs)
	})
	t.Run("sweep sets world.days", func(t *testing.T) {
		file := filepath.Join(dir, "short.sweep.toml")
		src := `name = "short"
scenario = "default"
sets = ["world.users=300", "world.days=120"]
seed = 1
replicates = 1
[design]
kind = "factorial"
[[params]]
key = "world.days"
values = [60, 90]
[[outputs]]
metric = "wechat.share_value"
`
		require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
		code, _, errs := hb("sweep", file, "--out", filepath.Join(dir, "sw"), "--quiet")
		assert.Equal(t, 0, code, errs)
	})
	t.Run("game sets world.days", func(t *testing.T) {
		src, err := os.ReadFile(tinyGame)
		require.NoError(t, err)
		text := strings.Replace(string(src), `scenario = "taxi-war-2014"`, `scenario = "default"`, 1)
		text = strings.Replace(text, `sets = ["platforms.alipay.strategy.kind=fixed"]`, `sets = ["world.days=100"]`, 1)
		text = strings.Replace(text, "users = 2000", "users = 300", 1)
		text = strings.Replace(text, "replicates = 3", "replicates = 2", 1)
		text = text[:strings.Index(text, "[[players]]")] + `[[players]]
platform = "wechat"
[[players.strategies]]
name = "as is"
[[players.strategies]]
name = "no envelopes"
sets = ["services=0.5"]
[[players]]
platform = "alipay"
[[players.strategies]]
name = "as is"
`
		file := filepath.Join(dir, "short.game.toml")
		require.NoError(t, os.WriteFile(file, []byte(text), 0o644))
		code, _, errs := hb("game", file, "--out", filepath.Join(dir, "g"), "--quiet")
		assert.Equal(t, 0, code, errs)
	})
}
