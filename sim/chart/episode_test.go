package chart

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/record"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/calibrate"
)

// TestSpreadOf checks the band's quantiles by hand: the p-quantile of n
// sorted values sits at (n−1)·p, x[k] at k, linear between.
func TestSpreadOf(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	seq := func(n int) []float64 { // 1..n, shuffled so that sorting matters
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64((i*7)%n + 1)
		}
		return xs
	}
	for _, tc := range []struct {
		name        string
		xs          []float64
		lo, mid, hi float64
		n           int
	}{
		{"empty", nil, nan, nan, nan, 0},
		{"all missing", []float64{nan, inf, -inf}, nan, nan, nan, 0},
		{"one value: a band of width zero", []float64{3}, 3, 3, 3, 1},
		{"one value among missing ones", []float64{nan, 3, inf}, 3, 3, 3, 1},
		{"two values", []float64{4, 2}, 2.1, 3, 3.9, 2}, // positions 0.05, 0.5, 0.95
		{"odd: the median is the middle value", []float64{3, 1, 2}, 1.1, 2, 2.9, 3},
		{"constant", []float64{5, 5, 5, 5}, 5, 5, 5, 4},
		// n = 20: positions 0.95, 9.5 and 18.05.
		{"twenty", seq(20), 1.95, 10.5, 19.05, 20},
		// n = 101, 0..100: positions 5, 50, 95 fall on the values.
		{"a hundred and one", func() []float64 {
			xs := seq(101)
			for i := range xs {
				xs[i]--
			}
			return xs
		}(), 5, 50, 95, 101},
		{"negative and zero", []float64{-1, 0, -3}, -2.8, -1, -0.1, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := SpreadOf(tc.xs)
			want := []float64{tc.lo, tc.mid, tc.hi}
			got := []float64{s.Lo, s.Mid, s.Hi}
			for i := range want {
				if math.IsNaN(want[i]) {
					assert.True(t, math.IsNaN(got[i]), "quantile %d: %v", i, got[i])
				} else {
					assert.InDelta(t, want[i], got[i], 1e-12, "quantile %d", i)
				}
			}
			assert.Equal(t, tc.n, s.N)
			assert.False(t, s.Lo > s.Mid || s.Mid > s.Hi, "quantiles out of order: %+v", s)
		})
	}
}

// TestSpreadOfProperties: on random samples the quantiles are ordered,
// lie within the sample's range, and do not depend on its order.
func TestSpreadOfProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := 0; trial < 500; trial++ {
		n := 1 + rng.IntN(40)
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-3))
		}
		s := SpreadOf(xs)
		lo, hi := bounds(xs)
		require.Equal(t, n, s.N)
		require.True(t, lo <= s.Lo && s.Lo <= s.Mid && s.Mid <= s.Hi && s.Hi <= hi, "trial %d: %+v outside [%v, %v]", trial, s, lo, hi)
		rng.Shuffle(n, func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		require.Equal(t, s, SpreadOf(xs), "trial %d: order matters", trial)
	}
}

// TestBuildEpisodeWorkers: the same seeds give the same episode on one
// worker or two, whatever order the runs finish in.
func TestBuildEpisodeWorkers(t *testing.T) {
	figs, err := EpisodeFigures(librarySpec(t), "taxi-war-2014", []string{"didi-spend-q1"})
	require.NoError(t, err)
	build := func(workers int) *Episode {
		ep, err := BuildEpisode(context.Background(), "taxi-war-2014", figs, EpisodeOptions{Users: 600, Seeds: []uint64{3, 1, 2}, Workers: workers})
		require.NoError(t, err)
		return ep
	}
	one, two := build(1), build(2)
	require.Equal(t, one, two)
}

// TestBandOf summarises trajectories point by point; a trajectory shorter
// than the others counts as missing where it ends, and no seeds give
// points with no value.
func TestBandOf(t *testing.T) {
	xs := []float64{0, 1, 2}
	b := BandOf(xs, [][]float64{{1, 10, 100}, {3, 30}, {2, math.NaN(), 200}})
	require.Len(t, b.Spread, 3)
	assert.Equal(t, []float64{2, 20, 150}, b.mid()) // 1,2,3; 10,30; 100,200
	assert.Equal(t, []int{3, 2, 2}, []int{b.Spread[0].N, b.Spread[1].N, b.Spread[2].N})
	empty := BandOf(xs, nil)
	for _, s := range empty.Spread {
		assert.Equal(t, 0, s.N)
		assert.True(t, math.IsNaN(s.Mid))
	}
	assert.Empty(t, BandOf(nil, [][]float64{{1}}).Spread)
}

// syntheticEpisode is a fixed episode built from closed forms, no
// simulation, so that its golden images change only when drawing does: a
// share panel with a trajectory and figures of every tag (one figure the
// model could not measure on any seed), and an envelope panel spanning
// three orders of magnitude, drawn on a log axis.
func syntheticEpisode() *Episode {
	run := syntheticRun()
	ep := &Episode{Name: "synthetic", Start: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC), Days: len(run.History), Users: 20000, Represents: 600e6,
		Seeds: []uint64{1, 2, 3, 4, 5}, Platforms: run.Platforms, Windows: EventWindows(run.History)}
	var months []float64
	for d := 15; d < ep.Days; d += 30 {
		months = append(months, float64(d))
	}
	seeds := make([][]float64, 5)
	for s := range seeds {
		for i := range months {
			seeds[s] = append(seeds[s], 40+10*float64(i)+float64(s)-2)
		}
	}
	fig := func(id, tag, metric, platform, period string, v float64, unit, publisher string) record.Figure {
		return record.Figure{ID: id, Metric: metric, Series: "test", Platform: platform, Period: period, Value: v, Unit: unit, Tag: tag,
			Publisher: publisher, Title: "A report", Published: "2014", Source: "example.com/" + publisher, File: "record/test.csv", Line: 2}
	}
	var days, envLo, envMid, envHi []float64
	for d := 0; d < ep.Days; d++ {
		days = append(days, float64(d))
		peak := 1e6 * math.Exp(-float64((d-30)*(d-30))/8)
		envLo, envMid, envHi = append(envLo, 0.8*peak), append(envMid, peak), append(envHi, 1.3*peak)
	}
	env := Band{X: days, Spread: make([]Spread, len(days))}
	for i := range days {
		env.Spread[i] = Spread{Lo: envLo[i], Mid: envMid[i], Hi: envHi[i], N: 5}
	}
	ep.Panels = []Panel{
		{Metric: "share_value", Unit: "percent",
			Trajectories: []Trajectory{{Platform: 1, Band: BandOf(months, seeds)}},
			Points: []Point{
				{Figure: fig("s-q1", record.Fit, "share_value", "wechat", "2014Q1", 45, "percent", "Firm A"), Platform: 1, From: 0, To: 89, Model: Spread{Lo: 48, Mid: 50, Hi: 52, N: 5}},
				{Figure: fig("s-apr", record.Holdout, "share_value", "wechat", "2014-04", 70, "percent", "Firm B"), Platform: 1, From: 90, To: 119, Model: Spread{Lo: 65, Mid: 71, Hi: 74, N: 5}},
				{Figure: fig("s-none", record.Holdout, "share_value", "alipay", "2014-04", 20, "percent", "Firm B"), Platform: 0, From: 90, To: 119, Model: SpreadOf(nil)},
			}},
		{Metric: "eve_envelopes", Unit: "envelopes",
			Trajectories: []Trajectory{{Platform: 1, Band: env}},
			Points: []Point{
				{Figure: fig("eve", record.Holdout, "eve_envelopes", "wechat", "2014-01-31", 2e8, "envelopes", "Paper C"), Platform: 1, From: 30, To: 30, Model: Spread{Lo: 8e5, Mid: 1e6, Hi: 1.3e6, N: 5}},
				{Figure: fig("budget", record.Input, "eve_envelopes", "all", "2014-03", 5e4, "envelopes", "Firm A"), Platform: -1, From: 59, To: 89, Model: Spread{Lo: 5e4, Mid: 5e4, Hi: 5e4, N: 5}},
			}},
	}
	return ep
}

// TestWriteEpisodeChartGolden draws the synthetic episode in both formats
// against golden files (go test ./sim/chart -regen rewrites them).
func TestWriteEpisodeChartGolden(t *testing.T) {
	dir := t.TempDir()
	files, err := WriteEpisodeChart(dir, syntheticEpisode(), Options{})
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(dir, "episode-synthetic.png"), filepath.Join(dir, "episode-synthetic.svg")}, files)
	for _, f := range files {
		checkGolden(t, f, "")
	}
}

// svgText returns the text of an SVG chart.
func svgText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// listed reports whether an SVG's text has id as a word of its own (the
// list of sources wraps at spaces, so an id may end a line).
func listed(svg, id string) bool {
	return regexp.MustCompile(`[\s>]` + regexp.QuoteMeta(id) + `[\s<]`).MatchString(svg)
}

// TestEpisodeChartNamesEveryFigure: each figure of the synthetic episode
// is listed under the chart with its id and tag, and each source once.
func TestEpisodeChartNamesEveryFigure(t *testing.T) {
	ep := syntheticEpisode()
	dir := t.TempDir()
	_, err := WriteEpisodeChart(dir, ep, Options{Formats: []string{"svg"}})
	require.NoError(t, err)
	svg := svgText(t, filepath.Join(dir, "episode-synthetic.svg"))
	for _, pn := range ep.Panels {
		for _, pt := range pn.Points {
			assert.True(t, listed(svg, pt.ID), "figure %s is not on the chart", pt.ID)
			assert.Contains(t, svg, "("+pt.Tag+")")
		}
	}
	for _, src := range []string{"1. Firm A", "2. Firm B", "3. Paper C"} {
		assert.Equal(t, 1, strings.Count(svg, src), src)
	}
	for _, label := range []string{"record: fitted", "record: held out", "record: input"} {
		assert.Contains(t, svg, label)
	}
}

// TestWriteEpisodeChartDegenerate: nothing to draw is an error, never a
// panic; a panel of figures the model never measured, with no
// trajectory, is drawn.
func TestWriteEpisodeChartDegenerate(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		ep   *Episode
		err  string
	}{
		{"nil", nil, "no episode"},
		{"no days", &Episode{Name: "x", Panels: []Panel{{}}}, "no days"},
		{"no panels", &Episode{Name: "x", Days: 10}, "no record figures"},
		{"ragged trajectory", &Episode{Name: "x", Days: 10, Panels: []Panel{{Trajectories: []Trajectory{{Band: Band{X: []float64{1, 2}}}}}}}, "2 days and 0 values"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WriteEpisodeChart(dir, tc.ep, Options{})
			require.ErrorContains(t, err, tc.err)
			require.ErrorContains(t, WriteEpisodeTable(filepath.Join(dir, "t.csv"), tc.ep), tc.err)
		})
	}
	ep := &Episode{Name: "bare", Days: 1, Seeds: nil, Panels: []Panel{
		{Metric: "unknown", Unit: "cards", Points: []Point{{Figure: record.Figure{ID: "a", Value: 0, Tag: record.Fit}, Model: SpreadOf(nil)}}},
		{Metric: "cards_bound", Unit: "cards", Trajectories: []Trajectory{{Platform: 7, Band: BandOf([]float64{0}, nil)}}},
	}}
	files, err := WriteEpisodeChart(dir, ep, Options{})
	require.NoError(t, err)
	require.Len(t, files, 2)
	require.NoError(t, WriteEpisodeTable(filepath.Join(dir, "bare.csv"), ep))
	_, err = WriteEpisodeChart(dir, syntheticEpisode(), Options{Formats: []string{"gif"}})
	require.ErrorContains(t, err, "unknown format")
}

// TestMeasureInputs measures the record's two input metrics on the
// synthetic run (scale 600M/20k = 30,000 people a user): Alipay pays
// 1,200 + 400 yuan a day of subsidies from day 7, so its spend to the end
// of Q1 2014 (day 89) is 83 days of 1,600 yuan, times the scale; 9 yuan of
// sponsored envelopes a day on the festival's seven days.
func TestMeasureInputs(t *testing.T) {
	r := syntheticResult()
	for d := 29; d <= 35; d++ {
		r.History[d].Platforms[0].EnvelopesSponsoredFen = 900
	}
	fig := func(metric, platform, period string) record.Figure {
		return record.Figure{ID: "x", Metric: metric, Platform: platform, Period: period}
	}
	for _, tc := range []struct {
		name string
		f    record.Figure
		want float64
		err  string
	}{
		{"spend to the end of Q1", fig("subsidy_spend", "alipay", "2014Q1"), 83 * 1600 * 30000, ""},
		{"spend to the end of a month counts from the start", fig("subsidy_spend", "alipay", "2014-01"), 24 * 1600 * 30000, ""},
		{"sponsored on the eve", fig("sponsored_budget", "alipay", "2014-01-31"), 9 * 30000, ""},
		{"sponsored over the festival", fig("sponsored_budget", "alipay", "2014-01"), 2 * 9 * 30000, ""}, // days 29-30 in January
		{"no such wallet", fig("subsidy_spend", "laiwang", "2014Q1"), 0, "no platform"},
		{"outside the run", fig("sponsored_budget", "alipay", "2015"), 0, "does not cover"},
		{"the calibration's own measure", fig("cards_bound", "alipay", "2014-01-31"), float64(r.History[30].Platforms[0].CardBound) * 30000, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Measure(r, tc.f)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.InDelta(t, tc.want, v, 1e-6*tc.want)
		})
	}
}

// librarySpec is the calibration spec of the library, which says which
// record figures belong to which episode.
func librarySpec(t *testing.T) *calibrate.Spec {
	t.Helper()
	sp, err := calibrate.LoadSpec(filepath.Join("..", "..", "calibration", "library.toml"))
	require.NoError(t, err)
	return sp
}

// TestEpisodeChartsShowEveryRecordFigure runs each episode with record
// figures (as scripts/episode-charts.sh draws them) at a small size on two
// seeds and checks that every figure the spec measures on it, and every
// input named, is on its chart: a point with a model measure on both
// seeds, and its id in the list under the chart.
func TestEpisodeChartsShowEveryRecordFigure(t *testing.T) {
	sp := librarySpec(t)
	for _, tc := range []struct {
		episode string
		inputs  []string
		days    int
	}{
		{"china-2013-2017", []string{"gala-2015-budget", "gala-2016-budget"}, 0},
		{"spring-festival-2014", nil, 0},
		{"taxi-war-2014", []string{"didi-spend-q1", "kuaidi-spend-h1"}, 0},
		{"laiwang-push-2013", nil, 0},
		{"gala-shake-2015", []string{"gala-2015-budget"}, 0},
	} {
		t.Run(tc.episode, func(t *testing.T) {
			figs, err := EpisodeFigures(sp, tc.episode, tc.inputs)
			require.NoError(t, err)
			require.NotEmpty(t, figs)
			ep, err := BuildEpisode(context.Background(), tc.episode, figs, EpisodeOptions{Users: 800, Seeds: []uint64{1, 2}})
			require.NoError(t, err)
			dir := t.TempDir()
			_, err = WriteEpisodeChart(dir, ep, Options{Formats: []string{"svg"}})
			require.NoError(t, err)
			svg := svgText(t, filepath.Join(dir, EpisodeChartName(tc.episode)+".svg"))
			drawn := map[string]bool{}
			for _, pn := range ep.Panels {
				for _, pt := range pn.Points {
					drawn[pt.ID] = true
					assert.Equal(t, 2, pt.Model.N, "%s: measured on both seeds", pt.ID)
				}
				assert.NotEmpty(t, pn.Trajectories, "panel %s", pn.Metric)
			}
			for _, f := range figs {
				assert.True(t, drawn[f.ID], "%s is not a point of the chart", f.ID)
				assert.True(t, listed(svg, f.ID), "%s is not listed under the chart", f.ID)
			}
		})
	}
}

// TestEpisodeFiguresAndBuildErrors: figures that cannot be on an
// episode's chart are errors naming the record file, line and key.
func TestEpisodeFiguresAndBuildErrors(t *testing.T) {
	sp := librarySpec(t)
	_, err := EpisodeFigures(sp, "taxi-war-2014", []string{"taxi-share-june"})
	require.ErrorContains(t, err, "record/taxi.csv:7: tag: taxi-share-june is tagged fit")
	_, err = EpisodeFigures(sp, "taxi-war-2014", []string{"no-such-figure"})
	require.ErrorContains(t, err, `no figure "no-such-figure"`)
	figs, err := EpisodeFigures(nil, "anything", nil)
	require.NoError(t, err)
	require.Empty(t, figs)

	eve, err := record.ByID("eve-2016")
	require.NoError(t, err)
	spend, err := record.ByID("kuaidi-spend-h1")
	require.NoError(t, err)
	odd := spend
	odd.Metric = "mood"
	ctx := context.Background()
	opt := EpisodeOptions{Users: 500, Seeds: []uint64{1}}
	for _, tc := range []struct {
		name, episode string
		figs          []record.Figure
		opt           EpisodeOptions
		err           string
	}{
		{"no seeds", "taxi-war-2014", []record.Figure{spend}, EpisodeOptions{}, "no seeds"},
		{"no figures", "taxi-war-2014", nil, opt, "no record figures"},
		{"period outside the run", "taxi-war-2014", []record.Figure{eve}, opt, "record/wechat.csv:15: period: eve-2016: 2016-02-07 is outside the run (2014-01-01 to 2014-06-30)"},
		{"no such wallet", "laiwang-push-2013", []record.Figure{spend}, opt, `record/taxi.csv:11: platform: kuaidi-spend-h1: laiwang-push-2013 has no wallet "alipay"`},
		{"unknown metric", "taxi-war-2014", []record.Figure{odd}, opt, "record/taxi.csv:11: metric: kuaidi-spend-h1: the episode charts do not measure mood"},
		{"unknown episode", "no-such-episode", []record.Figure{spend}, opt, "no-such-episode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := BuildEpisode(ctx, tc.episode, tc.figs, tc.opt)
			require.ErrorContains(t, err, tc.err)
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = BuildEpisode(cancelled, "taxi-war-2014", []record.Figure{spend}, opt)
	require.ErrorIs(t, err, context.Canceled)
}

// TestTrailingYearGrowth: a mau_growth trajectory is the monthly actives
// over those 365 days before, so on the last day of a year it equals the
// figure's own measure (calibrate.Measure of the year); it is NaN in the
// run's first year and where the wallet had no actives a year before.
func TestTrailingYearGrowth(t *testing.T) {
	start := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &sim.Result{Platforms: []sim.PlatformSummary{{Name: "alipay"}, {Name: "wechat"}}}
	for d := range 731 {
		r.History = append(r.History, sim.DayMetrics{Day: d, Date: start.AddDate(0, 0, d).Format(time.DateOnly),
			Platforms: []sim.PlatformDay{{MAU: 0}, {MAU: int64(10 + d)}}})
	}
	year, err := Measure(r, record.Figure{ID: "x", Metric: "mau_growth", Platform: "wechat", Period: "2015"})
	require.NoError(t, err)
	assert.InDelta(t, year, trailingYearGrowth(r, "wechat", 729), 1e-12, "31 Dec 2015")
	assert.InDelta(t, float64(10+400)/float64(10+35), trailingYearGrowth(r, "wechat", 400), 1e-12)
	assert.True(t, math.IsNaN(trailingYearGrowth(r, "wechat", 364)), "the run's first year")
	assert.True(t, math.IsNaN(trailingYearGrowth(r, "alipay", 500)), "no actives a year before")
	assert.True(t, math.IsNaN(trailingYearGrowth(r, "weibo", 500)), "no such wallet")
}
