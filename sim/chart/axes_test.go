package chart

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
)

func TestFormatSI(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"}, // negative zero prints as 0
		{0.25, "0.25"},
		{950, "950"},
		{999.96, "1k"}, // rounds to four digits first, then picks the suffix
		{1000, "1k"},
		{1234, "1.234k"},
		{12345, "12.35k"},
		{1.2e6, "1.2M"},
		{2.5e6 + 1e-7, "2.5M"}, // floating-point noise of tick values is rounded away
		{3.4e9, "3.4B"},
		{-3.4e9, "-3.4B"},
		{5.06e12, "5.06T"},
		{7e15, "7000T"},
	} {
		require.Equal(t, tc.want, FormatSI(tc.v), "FormatSI(%v)", tc.v)
	}
}

// labels returns the labelled ticks of a ticker over a range.
func labels(tk plot.Ticker, min, max float64) []string {
	var out []string
	for _, t := range tk.Ticks(min, max) {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestDateTicks(t *testing.T) {
	start := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC) // a Wednesday
	tk := dateTicks(start)
	for _, tc := range []struct {
		name     string
		min, max float64
		want     []string
	}{
		{"days", 0, 5, []string{"Jan 1", "Jan 2", "Jan 3", "Jan 4", "Jan 5", "Jan 6"}},
		{"weeks", 0, 30, []string{"Jan 6", "Jan 13", "Jan 20", "Jan 27"}},
		{"months", 0, 119, []string{"Jan 2014", "Feb", "Mar", "Apr"}},
		{"months from mid-year", 200, 400, []string{"Aug 2014", "Sep", "Oct", "Nov", "Dec", "Jan 2015", "Feb"}},
		{"quarters", 0, 800, []string{"2014", "Apr", "Jul", "Oct", "2015", "Apr", "Jul", "Oct", "2016"}},
		{"years", 0, 3000, []string{"2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, labels(tk, tc.min, tc.max))
		})
	}
	require.Nil(t, tk.Ticks(3, 3), "an empty range has no ticks")
}

func TestPercentAndDayTicks(t *testing.T) {
	require.Equal(t, []string{"0%", "20%", "40%", "60%", "80%", "100%"}, labels(percentTicks, 0, 1.16))
	require.Equal(t, []string{"0", "50", "100"}, labels(dayTicks, 0, 119))
	require.Empty(t, labels(unlabelled(dayTicks), 0, 119))
}
