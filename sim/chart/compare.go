package chart

import (
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// Variant is one line style of a comparison: the runs of one scenario or
// variant of a scenario, one per seed, drawn as their mean.
type Variant struct {
	Name string // shown in the legend
	Runs []*Run
}

// CompareChart is the name of the comparison chart, without extension.
const CompareChart = "compare"

// variantDashes are the line styles of variants, in order: solid, dashed,
// dotted, dash-dot, long dashes, dash-dot-dot; a seventh variant reuses the
// first style.
var variantDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(7), vg.Points(3), vg.Points(1.5), vg.Points(3)},
	{vg.Points(14), vg.Points(4)},
	{vg.Points(5), vg.Points(2), vg.Points(1.5), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

// WriteCompareCharts draws the key series of several variants on one
// chart, compare.png and compare.svg (as opts.Formats says) in dir: the
// share of wallet payment value above and monthly actives below, one
// colour per platform (matched by name across variants) and one dash
// style per variant, each line the mean over the variant's runs day by
// day. Events are shaded where every variant has them. It returns the
// paths written.
func WriteCompareCharts(dir string, variants []Variant, opts Options) ([]string, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(variants) == 0 {
		return nil, errors.New("chart: nothing to compare")
	}
	for _, v := range variants {
		if len(v.Runs) == 0 {
			return nil, fmt.Errorf("chart: variant %q has no runs", v.Name)
		}
		for _, r := range v.Runs {
			if err := r.check(); err != nil {
				return nil, fmt.Errorf("%w (variant %q)", err, v.Name)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("chart: output directory: %w", err)
	}
	f := compareFigure(variants, opts)
	var files []string
	for _, format := range opts.Formats {
		path := filepath.Join(dir, CompareChart+"."+format)
		if err := WriteDrawing(path, format, opts.Width, opts.Height*1.4, opts.DPI, f.draw); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

func compareFigure(variants []Variant, opts Options) *figure {
	// The x axis: dates when every run starts on the same date.
	ticker, xlabel := xAxis(variants[0].Runs[0].History, opts.DayNumbers)
	start, ok := dayZero(variants[0].Runs[0].History)
	for _, v := range variants {
		for _, r := range v.Runs {
			if s, ok2 := dayZero(r.History); !ok || !ok2 || !s.Equal(start) {
				ticker, xlabel = dayTicks, "day"
			}
		}
	}
	wins := commonWindows(variants)

	// Platforms by name, in order of first appearance, with the colour of
	// the first run that has them.
	var names []string
	colors := map[string]color.Color{}
	labels := map[string]string{}
	for _, v := range variants {
		for _, r := range v.Runs {
			for i, pl := range r.Platforms {
				if _, ok := colors[pl.Name]; !ok {
					names = append(names, pl.Name)
					colors[pl.Name] = platformColor(pl, i)
					labels[pl.Name] = pl.label()
				}
			}
		}
	}

	top := newPanel(unlabelled(ticker), "", "share of wallet payment value")
	top.Y.Tick.Marker = percentTicks
	ylabel := "monthly active users"
	if opts.RealUnits {
		ylabel = "monthly active people"
	}
	bottom := newPanel(ticker, xlabel, ylabel)
	top.Add(&eventBands{windows: wins, labels: true})
	bottom.Add(&eventBands{windows: wins})
	hi := 0.0
	for vi, v := range variants {
		dashes := variantDashes[vi%len(variantDashes)]
		for _, name := range names {
			xs, share, mau, ok := meanSeries(v.Runs, name, opts.RealUnits)
			if !ok {
				continue
			}
			top.Add(newLine(xs, share, colors[name], dashes))
			bottom.Add(newLine(xs, mau, colors[name], dashes))
			_, h := bounds(mau)
			hi = max(hi, h)
		}
	}
	setYRange(top, 0, 1, len(wins) > 0)
	setYRange(bottom, 0, hi, false)

	f := &figure{name: CompareChart, title: "Share of wallet payment value and monthly actives",
		subtitle: compareSubtitle(variants, opts), panels: []*plot.Plot{top, bottom}}
	for _, name := range names {
		f.key(labels[name], keyLine(colors[name], nil))
	}
	for vi, v := range variants {
		f.key(v.Name, keyLine(keyColor, variantDashes[vi%len(variantDashes)]))
	}
	return f
}

// compareSubtitle names the seeds the means are over.
func compareSubtitle(variants []Variant, opts Options) string {
	var seeds []string
	for _, r := range variants[0].Runs {
		seeds = append(seeds, strconv.FormatUint(r.Seed, 10))
	}
	s := "mean over seed " + seeds[0]
	if len(seeds) > 1 {
		s = "mean over " + strconv.Itoa(len(seeds)) + " seeds (" + strings.Join(seeds, ", ") + ")"
	}
	if opts.RealUnits {
		s += ", in real units"
	} else {
		s += ", at the model's scale"
	}
	return s
}

// meanSeries averages a platform's share of value and monthly actives
// over runs, day by day, up to the shortest run. ok is false when no run
// has the platform.
func meanSeries(runs []*Run, name string, real bool) (xs, share, mau []float64, ok bool) {
	n := -1
	for _, r := range runs {
		if n < 0 || len(r.History) < n {
			n = len(r.History)
		}
	}
	share, mau = make([]float64, n), make([]float64, n)
	count := 0
	for _, r := range runs {
		p := platformIndex(r, name)
		if p < 0 {
			continue
		}
		k := 1.0
		if real {
			k = r.Scale()
		}
		count++
		for d := 0; d < n; d++ {
			m := &r.History[d].Platforms[p]
			share[d] += m.ShareValue
			mau[d] += float64(m.MAU) * k
		}
	}
	if count == 0 {
		return nil, nil, nil, false
	}
	for d := 0; d < n; d++ {
		share[d] /= float64(count)
		mau[d] /= float64(count)
	}
	return days(runs[0].History[:n]), share, mau, true
}

func platformIndex(r *Run, name string) int {
	for i, pl := range r.Platforms {
		if pl.Name == name {
			return i
		}
	}
	return -1
}

// commonWindows returns the event windows every variant's first run has.
func commonWindows(variants []Variant) []Window {
	wins := EventWindows(variants[0].Runs[0].History)
	for _, v := range variants[1:] {
		other := map[Window]bool{}
		for _, w := range EventWindows(v.Runs[0].History) {
			other[w] = true
		}
		kept := wins[:0:0]
		for _, w := range wins {
			if other[w] {
				kept = append(kept, w)
			}
		}
		wins = kept
	}
	return wins
}
