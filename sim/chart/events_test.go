package chart

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
)

func TestEventWindows(t *testing.T) {
	day := func(d int, events ...string) sim.DayMetrics { return sim.DayMetrics{Day: d, Events: events} }
	for _, tc := range []struct {
		name string
		hist []sim.DayMetrics
		want []Window
	}{
		{"none", []sim.DayMetrics{day(0), day(1)}, nil},
		{"one day", []sim.DayMetrics{day(0), day(1, "sale"), day(2)}, []Window{{"sale", 1, 1}}},
		{"to the end", []sim.DayMetrics{day(0), day(1, "CNY"), day(2, "CNY")}, []Window{{"CNY", 1, 2}}},
		{"overlapping", []sim.DayMetrics{day(0, "CNY"), day(1, "CNY", "outage"), day(2, "outage")},
			[]Window{{"CNY", 0, 1}, {"outage", 1, 2}}},
		{"same start, by name", []sim.DayMetrics{day(5, "b", "a")}, []Window{{"a", 5, 5}, {"b", 5, 5}}},
		{"twice", []sim.DayMetrics{day(0, "sale"), day(1), day(2, "sale")}, []Window{{"sale", 0, 0}, {"sale", 2, 2}}},
		{"gap in days", []sim.DayMetrics{day(0, "sale"), day(2, "sale")}, []Window{{"sale", 0, 0}, {"sale", 2, 2}}},
		{"repeated and empty names", []sim.DayMetrics{day(0, "sale", "sale", "")}, []Window{{"sale", 0, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, EventWindows(tc.hist))
		})
	}
}
