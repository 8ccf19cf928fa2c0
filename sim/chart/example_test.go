package chart_test

import (
	"fmt"
	"log"
	"math"

	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/chart"
)

// Tick labels of money and count axes.
func ExampleFormatSI() {
	for _, v := range []float64{950, 1234, 1.2e6, 3.4e9, -2.5e12} {
		fmt.Println(chart.FormatSI(v))
	}
	// Output:
	// 950
	// 1.234k
	// 1.2M
	// 3.4B
	// -2.5T
}

// The windows shaded on every chart: a festival over two days, an outage
// on the second.
func ExampleEventWindows() {
	hist := []sim.DayMetrics{
		{Day: 0},
		{Day: 1, Events: []string{"Spring Festival"}},
		{Day: 2, Events: []string{"Spring Festival", "outage"}},
		{Day: 3},
	}
	for _, w := range chart.EventWindows(hist) {
		fmt.Printf("%s: days %d to %d\n", w.Name, w.First, w.Last)
	}
	// Output:
	// Spring Festival: days 1 to 2
	// outage: days 2 to 2
}

// Draw the charts of a run directory written by `hongbao run --out`, in
// real-world units, next to its data.
func ExampleWriteRunCharts() {
	run, err := chart.ReadRunDir("out/default-seed1")
	if err != nil {
		log.Fatal(err)
	}
	files, err := chart.WriteRunCharts("out/default-seed1", run, chart.Options{RealUnits: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println(f)
	}
}

// A predictive band's quantiles over seeds: the 5% and 95% seeds and the
// median, interpolated between order statistics; a seed that could not
// be measured (NaN) is left out.
func ExampleSpreadOf() {
	s := chart.SpreadOf([]float64{52, 48, 50, math.NaN(), 51, 49})
	fmt.Printf("%.1f %.1f %.1f over %d seeds\n", s.Lo, s.Mid, s.Hi, s.N)
	// Output:
	// 48.2 50.0 51.8 over 5 seeds
}
