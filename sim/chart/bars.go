package chart

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Bars is a chart of grouped horizontal bars, one group per name (the first
// on top) and one bar per series in each group, with optional intervals:
// the sensitivity indices of a sweep. It is drawn in the house style of the
// run charts: title and subtitle above, the legend to the right of the
// data, the same fonts and size.
type Bars struct {
	Name            string // file name without extension
	Title, Subtitle string
	XLabel          string
	Names           []string
	Series          []BarSeries
}

// BarSeries is one bar of every group.
type BarSeries struct {
	Label  string
	Values []float64 // one per name; a value that is not finite is drawn as 0
	Lo, Hi []float64 // the interval of each bar; nil for none, NaN to skip one
}

// WriteBars draws b into dir as Name.png and Name.svg (as opts.Formats
// says) and returns the paths written.
func WriteBars(dir string, b Bars, opts Options) ([]string, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	k := len(b.Names)
	if k == 0 || len(b.Series) == 0 {
		return nil, errors.New("chart: no bars to draw")
	}
	for _, s := range b.Series {
		if len(s.Values) != k || (s.Lo != nil && len(s.Lo) != k) || (s.Hi != nil && len(s.Hi) != k) {
			return nil, fmt.Errorf("chart: series %q has %d values for %d names", s.Label, len(s.Values), k)
		}
	}
	// Room for every group: about 0.45 inch each, and the header.
	height := max(opts.Height, vg.Length(1.2+0.45*float64(k))*vg.Inch)
	// The bar thickness is in drawing units: the data area's height (the
	// figure less about 1.4 inch of header and axis) shared by the groups.
	f, err := barFigure(b, (height-1.4*vg.Inch)/vg.Length(k))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, format := range opts.Formats {
		path := filepath.Join(dir, b.Name+"."+format)
		if err := WriteDrawing(path, format, opts.Width, height, opts.DPI, f.draw); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

func barFigure(b Bars, group vg.Length) (*figure, error) {
	k := len(b.Names)
	p := newPanel(plot.DefaultTicks{}, b.XLabel, "")
	// Group c (bottom to top) shows name k−1−c; series s sits at
	// c + off(s), the first series on top of its group.
	const groupWidth = 0.7
	share := groupWidth / float64(len(b.Series))
	names := make([]string, k)
	for i, n := range b.Names {
		names[k-1-i] = n
	}
	f := &figure{name: b.Name, title: b.Title, subtitle: b.Subtitle, panels: []*plot.Plot{p}}
	for s, ser := range b.Series {
		vals := make(plotter.Values, k)
		for i, v := range ser.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				v = 0
			}
			vals[k-1-i] = v
		}
		bars, err := plotter.NewBarChart(vals, group*vg.Length(share)*0.85)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		off := groupWidth/2 - share*(float64(s)+0.5)
		bars.Horizontal = true
		bars.XMin = off
		bars.Color = fallbackRGB[s%len(fallbackRGB)]
		bars.LineStyle.Width = 0
		p.Add(bars)
		f.key(ser.Label, bars)
		if ser.Lo == nil || ser.Hi == nil {
			continue
		}
		var eb intervalBars
		for i := range ser.Values {
			lo, hi := ser.Lo[i], ser.Hi[i]
			if math.IsNaN(lo) || math.IsNaN(hi) {
				continue
			}
			eb = append(eb, interval{y: float64(k-1-i) + off, lo: lo, hi: hi})
		}
		if len(eb) == 0 {
			continue
		}
		errBars, err := plotter.NewXErrorBars(eb)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		errBars.CapWidth = vg.Points(5)
		p.Add(errBars)
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	// A little room right of the longest bar or interval, as the line
	// charts leave above their data.
	var all []float64
	for _, ser := range b.Series {
		all = append(append(append(all, ser.Values...), ser.Lo...), ser.Hi...)
	}
	lo, hi := bounds(all)
	p.X.Min, p.X.Max = math.Min(lo, 0), hi+margin*(hi-math.Min(lo, 0))
	return f, nil
}

// interval is one error bar spanning [lo, hi] at height y.
type interval struct{ y, lo, hi float64 }

// intervalBars implements plotter.XYer and plotter.XErrorer: an error bar
// drawn from lo with zero low error and hi−lo high error spans [lo, hi]
// even when the estimate lies outside it.
type intervalBars []interval

func (e intervalBars) Len() int                         { return len(e) }
func (e intervalBars) XY(i int) (x, y float64)          { return e[i].lo, e[i].y }
func (e intervalBars) XError(i int) (low, high float64) { return 0, e[i].hi - e[i].lo }
