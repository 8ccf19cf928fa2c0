package chart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// syntheticResult wraps the synthetic run as the engine would return it.
func syntheticResult() *sim.Result {
	run := syntheticRun()
	s := &scenarios.Scenario{World: scenarios.World{Name: run.Scenario, Seed: run.Seed, Users: run.Users, Represents: run.Represents}}
	r := &sim.Result{Scenario: s, History: run.History}
	for _, pl := range run.Platforms {
		s.Platforms = append(s.Platforms, scenarios.Platform{Name: pl.Name, Label: pl.Label, Color: pl.Color})
		r.Platforms = append(r.Platforms, sim.PlatformSummary{Name: pl.Name})
	}
	return r
}

func TestFromResult(t *testing.T) {
	r := syntheticResult()
	require.Equal(t, syntheticRun(), FromResult(r))
	require.Equal(t, r.Scale(), FromResult(r).Scale())
}

// TestReadRunDirRoundTrip writes a run directory with the engine's writer
// and reads it back: the same Run as FromResult.
func TestReadRunDirRoundTrip(t *testing.T) {
	dir := t.TempDir()
	r := syntheticResult()
	require.NoError(t, sim.WriteRunDir(dir, r))
	run, err := ReadRunDir(dir)
	require.NoError(t, err)
	require.Equal(t, FromResult(r), run)
}

func TestReadRunDirErrors(t *testing.T) {
	good := t.TempDir()
	require.NoError(t, sim.WriteRunDir(good, syntheticResult()))
	csvSrc, err := os.ReadFile(filepath.Join(good, "timeseries.csv"))
	require.NoError(t, err)
	sumSrc, err := os.ReadFile(filepath.Join(good, "summary.json"))
	require.NoError(t, err)
	lines := strings.SplitAfter(string(csvSrc), "\n")
	header := lines[0]
	// Line numbers below count the header as line 1; the rows of day 0 are
	// lines 2 to 4 (alipay, wechat, lakala).
	replaceField := func(line int, column, value string) string {
		cols := strings.Split(strings.TrimSuffix(header, "\n"), ",")
		out := append([]string(nil), lines...)
		fields := strings.Split(strings.TrimSuffix(out[line-1], "\n"), ",")
		for i, c := range cols {
			if c == column {
				fields[i] = value
			}
		}
		out[line-1] = strings.Join(fields, ",") + "\n"
		return strings.Join(out, "")
	}
	for _, tc := range []struct {
		name     string
		csv, sum string // "" keeps the good file; "-" leaves the file out
		want     string // the error, after the directory
	}{
		{name: "no summary", sum: "-", want: "summary.json: no such file or directory"},
		{name: "no timeseries", csv: "-", want: "timeseries.csv: no such file or directory"},
		{name: "bad json", sum: "{", want: "summary.json: unexpected end of JSON input"},
		{name: "no platforms", sum: `{"platforms": []}`, want: "summary.json: no platforms"},
		{name: "empty csv", csv: " ", want: "timeseries.csv:1: missing column day, date, platform, card_bound, mau, share_value, subsidy_user_fen, subsidy_merchant_fen, envelopes_p2p, envelopes_sponsored, treasury_fen, events"},
		{name: "header only", csv: header, want: "timeseries.csv: no rows after the header"},
		{name: "missing column", csv: strings.Replace(string(csvSrc), ",mau,", ",mau_typo,", 1), want: "timeseries.csv:1: missing column mau"},
		{name: "bad integer", csv: replaceField(3, "mau", "12x"), want: `timeseries.csv:3: mau: not an integer: "12x"`},
		{name: "bad float", csv: replaceField(4, "share_value", "half"), want: `timeseries.csv:4: share_value: not a number: "half"`},
		{name: "bad bool", csv: replaceField(2, "outage", "maybe"), want: `timeseries.csv:2: outage: not true or false: "maybe"`},
		{name: "bad day", csv: replaceField(2, "day", "one"), want: `timeseries.csv:2: day: not an integer: "one"`},
		{name: "unknown platform", csv: replaceField(3, "platform", "unionpay"), want: `timeseries.csv:3: platform: "unionpay" is not a platform of summary.json`},
		{name: "twice", csv: replaceField(3, "platform", "alipay"), want: `timeseries.csv:3: platform: "alipay" twice on day 0`},
		{name: "missing row", csv: header + lines[1] + lines[2] + lines[4], want: `timeseries.csv:3: day 0 has no row for platform "lakala"`},
		{name: "missing last row", csv: header + lines[1] + lines[2], want: `timeseries.csv: day 0 has no row for platform "lakala"`},
		{name: "out of order", csv: header + strings.Join(lines[4:7], "") + strings.Join(lines[1:4], ""), want: "timeseries.csv:5: day: day 0 after day 1: rows must be in day order"},
		{name: "ragged", csv: header + "0,2014-01-01,alipay\n", want: "timeseries.csv:2: wrong number of fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []struct{ name, src, good string }{{"timeseries.csv", tc.csv, string(csvSrc)}, {"summary.json", tc.sum, string(sumSrc)}} {
				src := f.src
				if src == "-" {
					continue
				}
				if src == "" {
					src = f.good
				}
				require.NoError(t, os.WriteFile(filepath.Join(dir, f.name), []byte(src), 0o644))
			}
			_, err := ReadRunDir(dir)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
			require.True(t, strings.HasPrefix(err.Error(), "chart: "), err.Error())
		})
	}
}
