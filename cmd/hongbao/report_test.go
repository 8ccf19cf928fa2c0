package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunReport: --report prints each reporter, one column per platform
// for a reporter that names none; its values agree with timeseries.csv's.
func TestRunReport(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := hb("run", "default", "--users", "1500", "--days", "20", "--seed", "3", "--out", dir, "--quiet",
		"--report", "at(mau, 4)", "--report", "at(wechat.mau, -1)", "--report", "ratio(wechat.mau, wechat.mau)")
	require.Equal(t, 0, code, errs)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, 4, out)
	assert.Equal(t, []string{"reporter", "wechat", "alipay", "weibo"}, strings.Fields(lines[0]))
	last := func(l string) string { f := strings.Fields(l); return f[len(f)-1] }
	assert.True(t, strings.HasPrefix(lines[1], "at(mau, 4) "), lines[1])
	assert.Len(t, strings.Fields(lines[1]), 2+3, "the reporter's two words and a value per platform")
	assert.True(t, strings.HasPrefix(lines[3], "ratio(wechat.mau, wechat.mau) "), lines[3])
	assert.Equal(t, "1", last(lines[3]))

	// The last day's wechat MAU is the one in the run's own table.
	_, table, _ := hb("run", "default", "--users", "1500", "--days", "20", "--seed", "3", "--out", t.TempDir())
	found := false
	for _, l := range strings.Split(table, "\n") {
		if f := strings.Fields(l); len(f) > 4 && f[0] == "wechat" {
			found = true
			mau, err := strconv.Atoi(f[4])
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(lines[2], "at(wechat.mau, -1) "), lines[2])
			assert.Equal(t, groupThousands(mau), last(lines[2]))
		}
	}
	assert.True(t, found, "no wechat row in the run table:\n%s", table)
}

func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func TestRunReportErrors(t *testing.T) {
	checkUsage(t, "run", []usageCase{
		{name: "unknown metric", args: []string{"default", "--report", "mean(shar_value, 1..2)"}, code: 2,
			stderr: `reporter: column 6: unknown metric "shar_value"; did you mean share_value?`},
		{name: "unknown platform", args: []string{"default", "--report", "wechta.mau"}, code: 1,
			stderr: `--report wechta.mau: no platform "wechta" in default; did you mean wechat?`},
		{name: "day past the horizon", args: []string{"default", "--days", "10", "--report", "at(mau, 10)"}, code: 1,
			stderr: "--report at(mau, 10): day 10 is outside the run's 10 days"},
	})
}
