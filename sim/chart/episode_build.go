package chart

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/paywars/hongbao/record"
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/sim/calibrate"
	"github.com/paywars/hongbao/sim/ensemble"
)

// Episode is what an episode chart is drawn from: a library episode run
// on several seeds, each record figure of the episode with the model's
// counterpart measured as the record states it, and the model's
// trajectories of the same measures, each across the seeds.
type Episode struct {
	Name       string    // the library episode
	Start      time.Time // the date of day 0
	Days       int
	Users      int     // simulated users of each run
	Represents float64 // the real population they stand for
	Seeds      []uint64
	Platforms  []Platform
	Windows    []Window // the calendar's events, from the first seed
	Panels     []Panel
}

// Panel is one measure of an episode chart: the record's figures of one
// metric (or of metrics drawn together, see [panelMetric]) and the model's
// trajectories of it, one per wallet the figures name.
type Panel struct {
	Metric       string // the record's metric
	Unit         string // the figures' unit: percent, envelopes, yuan, ...
	Trajectories []Trajectory
	Points       []Point
}

// Trajectory is a measure over the whole run, period by period (day by
// day or month by month, see [metrics]), across seeds.
type Trajectory struct {
	Platform int // index in Episode.Platforms; -1 for all
	Band
}

// Point is one record figure with the model's counterpart on every seed.
type Point struct {
	record.Figure
	Platform int // index in Episode.Platforms; -1 for all
	// From and To are the first and last day of the run the figure
	// covers, or both its last day for a stock at the end of its period.
	From, To int
	Model    Spread
	fig      int // index among the figures measured
}

// metric says how a record metric is charted: its axis label, whether the
// model's trajectory is measured by day (stocks and one-day counts) or by
// month (shares and ratios, too noisy by day at a few thousand users), and
// the panel it is drawn on (a metric of its own unless said).
type metric struct {
	label string
	daily bool
	panel string
	// atEnd: the figure is a stock at the end of its period (cards bound
	// at the end of a quarter, spend to the end of a half-year), drawn on
	// the period's last day rather than across it.
	atEnd bool
}

// metrics are the record metrics an episode chart can draw: those
// calibrate.Measure measures, and the two input metrics of the record
// measured here (subsidy_spend, sponsored_budget).
var metrics = map[string]metric{
	"share_value":           {label: "share of payment value"},
	"share_flows":           {label: "share of flows"},
	"wallet_share_rides":    {label: "rides paid by wallet"},
	"share_value_taxi":      {label: "share of taxi value"},
	"rides_growth":          {label: "app rides, × first week"},
	"rides_after_over_peak": {label: "rides/day ÷ March peak"},
	"eve_envelopes":         {label: "envelopes per day", daily: true},
	// The 40 hours of the 2014 eve go on the eve's panel; its trajectory
	// is the daily count.
	"eve_envelopes_40h": {label: "envelopes per day", daily: true, panel: "eve_envelopes"},
	// Tencent's count for 2015-2017: sent plus received (grabbed shares).
	"eve_envelopes_sent_received": {label: "envelopes sent + received per day", daily: true},
	// The same over the six days from a day (a festival from its eve),
	// and their claims over their envelopes sent.
	"festival_envelopes_sent_received": {label: "sent + received in six days", daily: true},
	"festival_received_per_sent":       {label: "received per envelope sent", daily: true},
	"envelopes_sent_10d":               {label: "sent in ten days", daily: true},
	"envelopes_sent_value_month":       {label: "lucky money sent a month (yuan)"},
	"cards_bound":                      {label: "cards bound", daily: true, atEnd: true},
	"registered_gain":                  {label: "registered in 31 days", daily: true, atEnd: true},
	"subsidy_spend":                    {label: "subsidies to date (yuan)", daily: true, atEnd: true},
	"sponsored_budget":                 {label: "sponsored (yuan/day)", daily: true},
	// The firms' mix of value and the personal flows (sim/flows.go).
	"mix_personal":       {label: "part of all flows"},
	"mix_finance":        {label: "part of all flows", panel: "mix_personal"},
	"share_economic":     {label: "share without transfers"},
	"transfers_value":    {label: "transfers a month (yuan)"},
	"fund_value_to_date": {label: "fund purchases to date (yuan)", daily: true, atEnd: true},
	// A year's growth of a wallet's monthly actives, drawn at the year's
	// end; its trajectory is the growth over the 365 days to each day
	// (trailingYearGrowth), which on 31 Dec is the figure's own measure.
	"mau_growth": {label: "monthly actives, × a year before", daily: true, atEnd: true},
}

// panelMetric is the panel a metric is drawn on.
func panelMetric(m string) string {
	if p := metrics[m].panel; p != "" {
		return p
	}
	return m
}

// Measure is the model's counterpart of a record figure in a run, in the
// figure's unit: calibrate.Measure (the calibration's own measure), and
// for the record's input metrics, the wallet's subsidies from the run's
// start to the end of the period (subsidy_spend: the record states spends
// "to the end of" a quarter or a half-year) and the sponsored envelopes'
// money paid in the period (sponsored_budget), in real-world yuan.
func Measure(r *sim.Result, f record.Figure) (float64, error) {
	switch f.Metric {
	case "subsidy_spend", "sponsored_budget":
	default:
		return calibrate.Measure(r, f)
	}
	p := -1
	for i, pl := range r.Platforms {
		if pl.Name == f.Platform {
			p = i
		}
	}
	if p < 0 {
		return 0, fmt.Errorf("chart: %s: the episode has no platform %q", f.ID, f.Platform)
	}
	from, to, ok := periodDays(r.History, f.Period)
	if !ok {
		return 0, fmt.Errorf("chart: %s: the run does not cover %s", f.ID, f.Period)
	}
	if f.Metric == "subsidy_spend" {
		from = 0
	}
	fen := 0.0
	for d := from; d <= to; d++ {
		m := &r.History[d].Platforms[p]
		if f.Metric == "subsidy_spend" {
			fen += float64(m.SubsidyUserFen + m.SubsidyMerchantFen)
		} else {
			fen += float64(m.EnvelopesSponsoredFen)
		}
	}
	return fen * r.Scale() / scenarios.FenPerYuan, nil
}

// periodDays returns the indices in hist of the first and last day inside
// a record period; ok is false when the run has no day in it. The engine's
// days are consecutive, so the first day's date dates them all (dayZero,
// which checks every day, would make a daily trajectory quadratic).
func periodDays(hist []sim.DayMetrics, period string) (from, to int, ok bool) {
	if len(hist) == 0 {
		return 0, 0, false
	}
	first, err := time.Parse(time.DateOnly, hist[0].Date)
	pf, pt, ok2 := record.PeriodSpan(period)
	if err != nil || !ok2 {
		return 0, 0, false
	}
	start := first.AddDate(0, 0, -hist[0].Day)
	day := func(t time.Time) int { return int(math.Round(t.Sub(start).Hours() / 24)) }
	from, to = max(day(pf), hist[0].Day), min(day(pt), hist[len(hist)-1].Day)
	if from > to {
		return 0, 0, false
	}
	return from - hist[0].Day, to - hist[0].Day, true
}

// EpisodeFigures returns the record figures an episode's chart overlays:
// the targets and held-out figures the calibration spec measures on that
// episode (the project's one statement of which figure belongs to which
// episode), and the input figures named by inputs (ids of figures tagged
// input: a budget or a schedule the episode takes from the record). Each
// figure once, in the order of the spec, then of inputs.
func EpisodeFigures(sp *calibrate.Spec, episode string, inputs []string) ([]record.Figure, error) {
	var out []record.Figure
	seen := map[string]bool{}
	add := func(f record.Figure) {
		if !seen[f.ID] {
			seen[f.ID] = true
			out = append(out, f)
		}
	}
	if sp != nil {
		for _, ts := range [][]calibrate.Target{sp.Targets, sp.Holdout} {
			for _, t := range ts {
				if t.Episode == episode {
					add(t.Figure)
				}
			}
		}
	}
	for _, id := range inputs {
		f, err := record.ByID(id)
		if err != nil {
			return nil, err
		}
		if f.Tag != record.Input {
			return nil, fmt.Errorf("%s:%d: tag: %s is tagged %s; only input figures are named as inputs (fit and held-out figures come from the calibration spec)", f.File, f.Line, f.ID, f.Tag)
		}
		add(f)
	}
	return out, nil
}

// EpisodeOptions say how to run an episode for its chart.
type EpisodeOptions struct {
	Users   int      // simulated users; 0 means the file's
	Seeds   []uint64 // the seeds, at least one
	Workers int      // runs at a time; 0 means GOMAXPROCS
	// Progress, if not nil, is called after each run, on one goroutine.
	Progress func(seed uint64, elapsed time.Duration, done, total int)
}

// seedRun is what one seed's run leaves for the chart: each figure's
// measure, each trajectory, and the calendar's events.
type seedRun struct {
	windows []Window
	points  []float64   // [figure]
	trajX   [][]float64 // [trajectory][period]: day numbers
	traj    [][]float64 // [trajectory][period]
	err     error
}

// trajSpec is one trajectory to measure: a template figure whose period
// is replaced by each period of the run (days or months, see [metric]).
type trajSpec struct {
	panel    int
	platform string
	template record.Figure
}

// BuildEpisode runs a library episode on every seed through the ensemble
// pool (sim/ensemble) and measures figs (see [EpisodeFigures]) and their
// trajectories on each run. A figure the episode cannot measure (a
// wallet it does not have, a period outside the run, a metric the charts
// do not measure) is an error naming the figure's file, line and key,
// before anything runs. Only the measures of each run are kept, not its
// history.
func BuildEpisode(ctx context.Context, name string, figs []record.Figure, opt EpisodeOptions) (*Episode, error) {
	if len(opt.Seeds) == 0 {
		return nil, errors.New("chart: no seeds")
	}
	if len(figs) == 0 {
		return nil, fmt.Errorf("chart: %s: no record figures to chart", name)
	}
	load := func(seed uint64) (*scenarios.Scenario, error) {
		sets := []string{"world.seed=" + strconv.FormatUint(seed, 10)}
		if opt.Users > 0 {
			sets = append(sets, "world.users="+strconv.Itoa(opt.Users))
		}
		return scenarios.Load(name, sets)
	}
	s, err := load(opt.Seeds[0])
	if err != nil {
		return nil, err
	}
	ep := &Episode{Name: name, Days: s.World.Days, Users: s.World.Users, Represents: s.World.Represents, Seeds: opt.Seeds}
	if ep.Start, err = time.Parse(time.DateOnly, s.World.StartDate); err != nil {
		return nil, fmt.Errorf("chart: %s: world.start_date: %w", name, err)
	}
	names := make([]string, len(s.Platforms))
	for i, pl := range s.Platforms {
		names[i] = pl.Name
		ep.Platforms = append(ep.Platforms, Platform{Name: pl.Name, Label: pl.Label, Color: pl.Color})
	}
	trajs, err := ep.layout(figs, names)
	if err != nil {
		return nil, err
	}

	runs := make([]seedRun, len(opt.Seeds))
	job := func(ctx context.Context, _, i int) (int, bool) {
		sr := &runs[i]
		s, err := load(opt.Seeds[i])
		if err == nil {
			var r *sim.Result
			if r, err = sim.Run(ctx, s, nil); err == nil {
				err = sr.measure(r, figs, trajs)
			}
		}
		sr.err = err
		return i, true
	}
	done := 0
	started := time.Now()
	err = ensemble.Stream(ctx, len(opt.Seeds), opt.Workers, job, func(_ int, i int) error {
		done++
		if runs[i].err != nil {
			return fmt.Errorf("chart: %s, seed %d: %w", name, opt.Seeds[i], runs[i].err)
		}
		if opt.Progress != nil {
			opt.Progress(opt.Seeds[i], time.Since(started), done, len(opt.Seeds))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ep.Windows = runs[0].windows
	for pi := range ep.Panels {
		for j := range ep.Panels[pi].Points {
			pt := &ep.Panels[pi].Points[j]
			col := make([]float64, len(runs))
			for s := range runs {
				col[s] = runs[s].points[pt.fig]
			}
			pt.Model = SpreadOf(col)
		}
	}
	for ti, t := range trajs {
		seeds := make([][]float64, len(runs))
		for s := range runs {
			seeds[s] = runs[s].traj[ti]
		}
		ep.Panels[t.panel].Trajectories = append(ep.Panels[t.panel].Trajectories,
			Trajectory{Platform: index(names, t.platform), Band: BandOf(runs[0].trajX[ti], seeds)})
	}
	return ep, nil
}

// layout checks every figure against the episode and puts it on its
// panel, and returns the trajectories to measure: one per panel, wallet
// and scope, measured as the panel's metric (the eve's for the 40 hours
// of 2014).
func (ep *Episode) layout(figs []record.Figure, names []string) ([]trajSpec, error) {
	last := ep.Start.AddDate(0, 0, ep.Days-1)
	panelOf := map[string]int{}
	seen := map[string]bool{}
	var trajs []trajSpec
	for fi, f := range figs {
		bad := func(key, format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s: %s: %s", f.File, f.Line, key, f.ID, fmt.Sprintf(format, args...))
		}
		if _, ok := metrics[f.Metric]; !ok {
			return nil, bad("metric", "the episode charts do not measure %s", f.Metric)
		}
		p := index(names, f.Platform)
		if p < 0 && f.Platform != "all" {
			return nil, bad("platform", "%s has no wallet %q", ep.Name, f.Platform)
		}
		pf, pt, ok := record.PeriodSpan(f.Period)
		if !ok || pt.Before(ep.Start) || pf.After(last) {
			return nil, bad("period", "%s is outside the run (%s to %s)", f.Period, ep.Start.Format(time.DateOnly), last.Format(time.DateOnly))
		}
		pm := panelMetric(f.Metric)
		pi, ok := panelOf[pm]
		if !ok {
			pi = len(ep.Panels)
			panelOf[pm] = pi
			ep.Panels = append(ep.Panels, Panel{Metric: pm, Unit: f.Unit})
		}
		day := func(t time.Time) int { return int(math.Round(t.Sub(ep.Start).Hours() / 24)) }
		from, to := max(0, day(pf)), min(ep.Days-1, day(pt))
		if metrics[f.Metric].atEnd {
			from = to
		}
		ep.Panels[pi].Points = append(ep.Panels[pi].Points, Point{Figure: f, Platform: p, From: from, To: to, fig: fi})
		key := pm + "\x00" + f.Platform + "\x00" + f.Scope
		if !seen[key] {
			seen[key] = true
			t := f
			t.Metric, t.ID = pm, pm+"/"+f.Platform
			trajs = append(trajs, trajSpec{panel: pi, platform: f.Platform, template: t})
		}
	}
	return trajs, nil
}

// measure measures every figure and trajectory on one run.
func (sr *seedRun) measure(r *sim.Result, figs []record.Figure, trajs []trajSpec) error {
	if len(r.History) == 0 {
		return errors.New("the run has no days")
	}
	sr.windows = EventWindows(r.History)
	sr.points = make([]float64, len(figs))
	for i, f := range figs {
		v, err := Measure(r, f)
		if err != nil {
			return err
		}
		sr.points[i] = v
	}
	days, months := periods(r.History)
	for _, t := range trajs {
		ps := months
		if metrics[t.template.Metric].daily {
			ps = days
		}
		xs := make([]float64, len(ps))
		ys := make([]float64, len(ps))
		for i, p := range ps {
			f := t.template
			f.Period = p.period
			xs[i] = p.x
			if f.Metric == "mau_growth" {
				ys[i] = trailingYearGrowth(r, f.Platform, int(p.x))
				continue
			}
			if v, err := Measure(r, f); err == nil {
				ys[i] = v
			} else {
				ys[i] = math.NaN() // a period the measure needs more of the run for
			}
		}
		sr.trajX = append(sr.trajX, xs)
		sr.traj = append(sr.traj, ys)
	}
	return nil
}

// trailingYearGrowth is a wallet's monthly actives on day d over those
// 365 days before (NaN in the run's first year, or with none then): the
// trajectory of a mau_growth figure, whose year ends on a day where the
// two agree. Measure's own reading of a day's period (that day over the
// day before) would draw a line near 1 that says nothing.
func trailingYearGrowth(r *sim.Result, platform string, d int) float64 {
	p := -1
	for i, pl := range r.Platforms {
		if pl.Name == platform {
			p = i
		}
	}
	if p < 0 || d < 365 || d >= len(r.History) {
		return math.NaN()
	}
	before := r.History[d-365].Platforms[p].MAU
	if before == 0 {
		return math.NaN()
	}
	return float64(r.History[d].Platforms[p].MAU) / float64(before)
}

// period is one step of a trajectory: a record period and the day it is
// drawn at.
type period struct {
	period string
	x      float64
}

// periods lists the days of a run and its calendar months, each month at
// the middle of its days in the run.
func periods(hist []sim.DayMetrics) (days, months []period) {
	for i := 0; i < len(hist); {
		j := i
		for j < len(hist) && len(hist[j].Date) >= 7 && hist[j].Date[:7] == hist[i].Date[:7] {
			days = append(days, period{hist[j].Date, float64(hist[j].Day)})
			j++
		}
		if j == i { // a day without a date: not measurable by period
			i++
			continue
		}
		months = append(months, period{hist[i].Date[:7], float64(hist[i].Day+hist[j-1].Day) / 2})
		i = j
	}
	return days, months
}

func index(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}
