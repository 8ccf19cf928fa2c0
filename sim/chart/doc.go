// Package chart draws the charts of a simulated run with gonum/plot: the
// share of wallet payment value, card-bound and monthly active users,
// subsidies and treasuries, and red envelopes, each over time with the
// calendar's events shaded, as PNG and SVG files.
//
// A [Run] is what the charts are drawn from. It is read back from a run
// directory written by [sim.WriteRunDir] with [ReadRunDir], or built from a
// run in memory with [FromResult]; both give the same charts.
// [WriteRunCharts] writes them next to the run's data:
//
//	run, err := chart.ReadRunDir("out/default-seed7")
//	...
//	files, err := chart.WriteRunCharts("out/default-seed7", run, chart.Options{RealUnits: true})
//
// [WriteCompareCharts] overlays several variants of a scenario, each the
// mean over seeds, for `hongbao compare`.
//
// [BuildEpisode] runs a library episode on several seeds and measures each
// of its record figures as the calibration does, and [WriteEpisodeChart]
// draws the model's predictive band (median and 5–95% over seeds, see
// [SpreadOf]) with the record's points, marked fitted, held out or input,
// for `hongbao chart episode`.
//
// Platforms keep the colours of their scenario; counts and money are at the
// model's scale unless [Options.RealUnits] multiplies them by [Run.Scale],
// and money is shown in yuan with SI-like tick labels (1.2M, 3.4B).
// Drawing is deterministic: the same run and options give the same bytes.
package chart
