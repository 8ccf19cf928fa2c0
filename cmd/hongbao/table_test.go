package main

import (
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNumberFormats(t *testing.T) {
	cases := []struct {
		name string
		f    func(float64) string
		x    float64
		want string
	}{
		{"count", count, 6316725.4, "6,316,725"},
		{"negative count", count, -28060, "-28,060"},
		{"count NaN", count, math.NaN(), "n/a"},
		{"large money", money, 2806.2, "2,806"},
		{"small money", money, 12.345, "12.35"},
		{"zero money", money, -0.001, "0.00"},
		{"payback", days, 59, "59"},
		{"never paid back", days, math.NaN(), "never"},
		{"signed", func(x float64) string { return signed(count(x)) }, 1234, "+1,234"},
		{"signed zero", func(x float64) string { return signed(count(x)) }, 0, "0"},
		{"share payoff", func(x float64) string { return payoffCell("share", x) }, 0.507, "50.7%"},
		{"value payoff", func(x float64) string { return payoffCell("value", x) }, 6316725, "6,316,725"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.f(c.x), c.name)
	}
}

// TestRunTable: the end table has units in its headers and whole numbers
// with thousands separators, never a mix with exponents (4098, 2.806e+04).
func TestRunTable(t *testing.T) {
	code, out, errs := hb("run", "default", "--users", "2000", "--days", "60", "--out", t.TempDir())
	require.Equal(t, 0, code, errs)
	assert.NotRegexp(t, regexp.MustCompile(`\de[+-]\d`), out)
	assert.Contains(t, out, "subsidies ¥")
	assert.Contains(t, out, "share, last 30 days")
	assert.Contains(t, out, "payoff: value ¥")
	assert.Contains(t, out, "2,000 users standing for")
	lines := strings.Split(out, "\n")
	require.Greater(t, len(lines), 5)
	assert.Regexp(t, `\d,\d{3}`, lines[3], "a count of thousands is grouped")
}
