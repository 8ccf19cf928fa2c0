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
)

// hb runs the CLI's command name in-process with args and returns its
// exit code and outputs.
func hb(name string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := dispatch(append([]string{name}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// usageCase is one call of a command and what it must print: the exit
// code, and a part of stdout and of stderr ("" checks nothing).
type usageCase struct {
	name           string
	args           []string
	code           int
	stdout, stderr string
}

// checkUsage runs each case of command name as a subtest.
func checkUsage(t *testing.T, name string, cases []usageCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := hb(name, tt.args...)
			assert.Equal(t, tt.code, code, "stderr: %s", errs)
			assert.Contains(t, out, tt.stdout)
			assert.Contains(t, errs, tt.stderr)
		})
	}
}

func TestRunWritesOutputs(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := hb("run", "default", "--users", "1500", "--days", "20", "--seed", "3", "--out", dir)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "wechat")
	assert.Contains(t, out, "wrote "+dir)
	csv, err := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	assert.Len(t, lines, 1+20*3, "a header and one row per day and platform")
	assert.True(t, strings.HasPrefix(lines[0], "day,date,platform,aware,registered,card_bound,dau,mau,payments,payment_value_fen,share_value,share_all,merchants,"))
	var sum map[string]any
	raw, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &sum))
	for _, k := range []string{"scenario", "seed", "days", "users", "money_conserved", "elapsed_seconds", "user_days_per_second", "platforms"} {
		assert.Contains(t, sum, k)
	}
	assert.Equal(t, true, sum["money_conserved"])
	assert.EqualValues(t, 3, sum["seed"])
	_, err = os.Stat(filepath.Join(dir, "kinds.csv"))
	assert.NoError(t, err)
}

func TestRunAndValidateErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		stderrIn string
	}{
		{"unknown scenario", []string{"run", "nosuch"}, 1, "unknown scenario"},
		{"bad --set key", []string{"run", "default", "--set", "world.usres=5"}, 1, "did you mean users"},
		{"bad --set value", []string{"run", "default", "--users", "-4"}, 1, "world.users"},
		{"two scenarios", []string{"run", "default", "default"}, 2, "one scenario at a time"},
		{"unknown flag", []string{"run", "--nope"}, 2, "nope"},
		{"validate nothing", []string{"validate"}, 2, "Usage"},
		{"validate bad file", []string{"validate", "../../scenarios/testdata/bad/bad-enum.toml"}, 1, "bad-enum.toml:12:10"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"scenarios show unknown", []string{"scenarios", "show", "defualt"}, 1, "default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := hb(tc.args[0], tc.args[1:]...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, errs, tc.stderrIn)
		})
	}
}

func TestValidateAndLibrary(t *testing.T) {
	code, out, _ := hb("validate", "default", "../../scenarios/library/example-minimal.toml")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "default: ok")
	code, out, _ = hb("scenarios")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "default ")
	code, out, _ = hb("scenarios", "show", "default")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "[world]")
	code, out, _ = hb("version")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "hongbao "))
}

// TestHelpEverywhere: every command answers -h with a usage and an example.
func TestHelpEverywhere(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			code, out, errs := hb(name, "-h")
			assert.Equal(t, 0, code)
			assert.Contains(t, strings.ToLower(out+errs), "example", "help of %s has an example", name)
		})
	}
}

// TestSynopsisListsEveryFlag: the Usage lines of every command name each of
// its flags, so that a flag added to a command (--force-size was added to
// five at once) cannot hide below the fold of its own help.
func TestSynopsisListsEveryFlag(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			code, out, errs := hb(name, "-h")
			require.Equal(t, 0, code)
			text := out + errs
			synopsis, _, _ := strings.Cut(text, "\n\n")
			_, flags, found := strings.Cut(text, "\nFlags:\n")
			if name == "scenarios" || name == "version" {
				assert.False(t, found, "scenarios and version take no flags")
				return
			}
			require.True(t, found, "hongbao %s -h lists its flags under Flags:", name)
			flags, _, _ = strings.Cut(flags, "\n\n")
			n := 0
			for _, line := range strings.Split(flags, "\n") {
				if !strings.HasPrefix(line, "  -") {
					continue
				}
				n++
				flag := strings.Fields(line)[0][1:]
				assert.Regexp(t, `--`+flag+`\b`, synopsis, "hongbao %s -h: --%s is not in the Usage lines", name, flag)
			}
			assert.Positive(t, n, "hongbao %s -h: no flag read from its Flags section", name)
		})
	}
}
