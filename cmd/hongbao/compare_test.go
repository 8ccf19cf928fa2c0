package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func compareArgs(args []string, out, errb *bytes.Buffer) int { return compareCmd(args, out, errb) }

func TestParseVariant(t *testing.T) {
	for _, tc := range []struct {
		arg      string
		scenario string
		sets     []string
		err      string
	}{
		{arg: "default", scenario: "default"},
		{arg: "my/war.toml", scenario: "my/war.toml"},
		{arg: `C:\wars\war.toml`, scenario: `C:\wars\war.toml`}, // no = after the colon: a path
		{arg: "default:platforms.alipay.services=0.9", scenario: "default", sets: []string{"platforms.alipay.services=0.9"}},
		{arg: "war.toml:world.days=30, envelopes.per_day=0", scenario: "war.toml", sets: []string{"world.days=30", "envelopes.per_day=0"}},
		{arg: `default:platforms.wechat.campaigns[0].merchant_kinds=["shop","taxi"],users.ticket={kind="const", mean=30}`, scenario: "default",
			sets: []string{`platforms.wechat.campaigns[0].merchant_kinds=["shop","taxi"]`, `users.ticket={kind="const", mean=30}`}},
		{arg: `default:world.name="a,b"`, scenario: "default", sets: []string{`world.name="a,b"`}},
		{arg: ":world.days=3", err: "no scenario before the colon"},
		{arg: "default:world.days=3,oops", err: `"oops" is not key.path=value`},
		{arg: "default:world.days=3,,envelopes.per_day=0", err: `"" is not key.path=value`},
	} {
		t.Run(tc.arg, func(t *testing.T) {
			v, err := parseVariant(tc.arg)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.arg, v.label)
			require.Equal(t, tc.scenario, v.scenario)
			require.Equal(t, tc.sets, v.sets)
		})
	}
}

// compareSmall runs two variants of the minimal scenario on two seeds.
func compareSmall(t *testing.T, out string, extra ...string) (int, string, string) {
	t.Helper()
	args := append([]string{"example-minimal", "example-minimal:platforms.alipay.services=0.9,platforms.wechat.fee_rate=0.01",
		"--seeds", "1,2", "--users", "2000", "--days", "40", "--out", out, "--quiet"}, extra...)
	return runCommand(compareArgs, args...)
}

func TestCompareCommand(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := compareSmall(t, out)
	require.Equal(t, 0, code, stderr)
	require.Empty(t, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	// The levels: a header, 2 variants × 2 platforms, the footnote; then a
	// blank line, the differences' title and header, 8 measures × 2
	// platforms of the one variant, and their footnote.
	require.Len(t, lines, 6+3+16+1, stdout)
	require.Contains(t, lines[0], "share, last 40 days")
	require.Contains(t, lines[0], "burn ¥")
	require.Contains(t, lines[1], "example-minimal ")
	require.Contains(t, lines[3], "example-minimal:platforms.alipay.services=0.9")
	require.Contains(t, stdout, " ± ")
	require.Contains(t, lines[5], "mean ± sd over 2 seeds")
	require.Contains(t, lines[7], "Difference from the baseline example-minimal, paired on 2 common seeds")
	require.Contains(t, lines[8], "95% interval")

	f, err := os.Open(filepath.Join(out, "compare.csv"))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 5)
	require.Equal(t, compareColumns("value", 40), recs[0])
	require.Equal(t, []string{"example-minimal", "wechat", "2", "model", "value", "40"}, recs[1][:6])
	require.Equal(t, "example-minimal:platforms.alipay.services=0.9,platforms.wechat.fee_rate=0.01", recs[3][0])
	col := func(name string) int { return slices.Index(recs[0], name) }
	require.Empty(t, recs[1][col("share_window_diff")], "the baseline has no difference from itself")
	require.NotEmpty(t, recs[3][col("share_window_diff")])
	require.NotEmpty(t, recs[3][col("share_window_diff_lo")])
	for _, name := range []string{"compare.png", "compare.svg"} {
		require.FileExists(t, filepath.Join(out, name))
	}
}

// TestCompareDeterministic: the table does not depend on how many
// goroutines ran the jobs.
func TestCompareDeterministic(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	a := t.TempDir()
	code, one, stderr := compareSmall(t, a)
	runtime.GOMAXPROCS(prev)
	require.Equal(t, 0, code, stderr)
	b := t.TempDir()
	code, many, stderr := compareSmall(t, b)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, one, many)
	ca, err := os.ReadFile(filepath.Join(a, "compare.csv"))
	require.NoError(t, err)
	cb, err := os.ReadFile(filepath.Join(b, "compare.csv"))
	require.NoError(t, err)
	require.Equal(t, string(ca), string(cb))
}

func TestCompareCommandErrors(t *testing.T) {
	out := t.TempDir()
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"--help"}, 0, "Example:"},
		{"nothing", nil, 2, "Usage: hongbao compare"},
		{"bad seeds", []string{"example-minimal", "--seeds", "1,x"}, 2, `--seeds: "x" is not a seed`},
		{"bad variant", []string{"example-minimal:world.days=3,x"}, 2, `"x" is not key.path=value`},
		{"bad format", []string{"example-minimal", "--format", "gif"}, 2, `unknown format "gif"`},
		{"unknown scenario", []string{"example-minimal", "no-such-scenario", "--out", out}, 1, "unknown scenario"},
		{"bad override", []string{"example-minimal:world.days=-3", "--out", out}, 1, "world.days"},
		{"flag blamed by name", []string{"example-minimal", "--users", "0", "--out", out}, 1, "--users: world.users: must be between"},
		{"bad window", []string{"example-minimal", "--window", "0", "--out", out}, 2, "--window must be 1 day or more"},
		{"flag typo", []string{"example-minimal", "--seed", "3"}, 2, "unknown flag --seed; did you mean --seeds?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCommand(compareArgs, tc.args...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.stderr)
		})
	}
}

// TestCompareReal: --real multiplies counts and yuan by represents/users
// and says so in the table and the CSV; shares do not move.
func TestCompareReal(t *testing.T) {
	model, real := t.TempDir(), t.TempDir()
	// example-minimal stands for nobody in particular (represents = 0):
	// give it 2,000,000 people, 1,000 per simulated user.
	const k = 1000.0
	code, _, stderr := compareSmall(t, model, "--set", "world.represents=2000000")
	require.Equal(t, 0, code, stderr)
	code, stdout, stderr := compareSmall(t, real, "--real", "--set", "world.represents=2000000")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "real units: people and yuan")
	read := func(dir string) [][]string {
		f, err := os.Open(filepath.Join(dir, "compare.csv"))
		require.NoError(t, err)
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		return recs
	}
	m, r := read(model), read(real)
	col := func(name string) int { return slices.Index(m[0], name) }
	require.Equal(t, "real", r[1][col("units")])
	scale := func(row []string, name string) float64 {
		v, err := strconv.ParseFloat(row[col(name)], 64)
		require.NoError(t, err)
		return v
	}
	require.InDelta(t, scale(m[1], "mau_end_mean")*k, scale(r[1], "mau_end_mean"), 1e-6*k)
	require.InDelta(t, scale(m[1], "burn_yuan_mean")*k, scale(r[1], "burn_yuan_mean"), 1e-3*k)
	require.Equal(t, m[1][col("share_window_mean")], r[1][col("share_window_mean")])
}
