package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
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
	// Bands first, so that every mean line is drawn over them.
	var lines []func()
	for vi, v := range variants {
		dashes := variantDashes[vi%len(variantDashes)]
		for _, name := range names {
			ss, ok := seriesAcross(v.Runs, name, opts.RealUnits)
			if !ok {
				continue
			}
			if len(v.Runs) > 1 {
				top.Add(newBand(ss.xs, ss.shareLo, ss.shareHi, colors[name]))
				bottom.Add(newBand(ss.xs, ss.mauLo, ss.mauHi, colors[name]))
			}
			c := colors[name]
			lines = append(lines, func() {
				top.Add(newLine(ss.xs, ss.share, c, dashes))
				bottom.Add(newLine(ss.xs, ss.mau, c, dashes))
			})
			_, h := bounds(ss.mauHi)
			hi = max(hi, h)
		}
	}
	for _, add := range lines {
		add()
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
		s = "mean over " + strconv.Itoa(len(seeds)) + " seeds (" + strings.Join(seeds, ", ") + "), shaded from the lowest to the highest seed"
	}
	if opts.RealUnits {
		s += ", in real units"
	} else {
		s += ", at the model's scale"
	}
	return s
}

// spread is a platform's share of value and monthly actives across the
// runs of a variant, day by day: the mean, and the lowest and highest run.
type spread struct {
	xs                      []float64
	share, shareLo, shareHi []float64
	mau, mauLo, mauHi       []float64
}

// seriesAcross summarises a platform's series over runs, day by day, up
// to the shortest run. ok is false when no run has the platform.
func seriesAcross(runs []*Run, name string, real bool) (spread, bool) {
	n := -1
	for _, r := range runs {
		if n < 0 || len(r.History) < n {
			n = len(r.History)
		}
	}
	var s spread
	for _, p := range []*[]float64{&s.share, &s.mau} {
		*p = make([]float64, n)
	}
	s.shareLo, s.mauLo = filled(n, math.Inf(1)), filled(n, math.Inf(1))
	s.shareHi, s.mauHi = filled(n, math.Inf(-1)), filled(n, math.Inf(-1))
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
			mau := float64(m.MAU) * k
			s.share[d] += m.ShareValue
			s.mau[d] += mau
			s.shareLo[d], s.shareHi[d] = min(s.shareLo[d], m.ShareValue), max(s.shareHi[d], m.ShareValue)
			s.mauLo[d], s.mauHi[d] = min(s.mauLo[d], mau), max(s.mauHi[d], mau)
		}
	}
	if count == 0 {
		return spread{}, false
	}
	for d := 0; d < n; d++ {
		s.share[d] /= float64(count)
		s.mau[d] /= float64(count)
	}
	s.xs = days(runs[0].History[:n])
	return s, true
}

func filled(n int, v float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = v
	}
	return xs
}

// newBand shades the area between lo and hi in a faint tint of c: the
// range of a variant's runs across seeds around its mean line.
func newBand(xs, lo, hi []float64, c color.Color) plot.Plotter {
	ring := make(plotter.XYs, 0, 2*len(xs))
	for i := range xs {
		ring = append(ring, plotter.XY{X: xs[i], Y: hi[i]})
	}
	for i := len(xs) - 1; i >= 0; i-- {
		ring = append(ring, plotter.XY{X: xs[i], Y: lo[i]})
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil { // NaN or Inf in a series: draw no band rather than fail
		return &plotter.Line{}
	}
	r, g, b, _ := c.RGBA()
	poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 48}
	poly.LineStyle.Width = 0
	return poly
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
