package main

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paywars/hongbao/sim/chart"
)

// The response surface of an optimisation: the value over a grid of the
// two most important levers, the others at the optimum, drawn as a heat
// map in the look of the game layer's (sim/empirical/charts.go): cells
// shaded from light grey to the platform's colour, each with its value,
// the optimum marked.

var (
	surfaceFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	surfaceLow  = color.RGBA{0xf4, 0xf4, 0xf4, 0xff}
	surfaceTop  = color.RGBA{0x4e, 0x79, 0xa7, 0xff}
)

func writeSurfaceChart(path string, pl *optPlan, rep *optReport) error {
	sf := rep.Surface
	n := len(sf.XS)
	lo, hi := math.Inf(1), math.Inf(-1)
	for iy := range sf.Values {
		for ix, v := range sf.Values[iy] {
			if !sf.Rejected[iy][ix] {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	top := surfaceTop
	if c, ok := parseHex(pl.Colors[0]); ok {
		top = c
	}
	p := plot.New()
	p.BackgroundColor = color.Transparent
	p.Title.Text = fmt.Sprintf("%s: %s over %s × %s\nothers at the optimum; mean of %d seeds; the optimum boxed",
		pl.Labels[0], rep.Metric, sf.X, sf.Y, pl.Spec.Replicates)
	p.Title.TextStyle.Font = font.From(surfaceFont, 12)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Padding = 0
		ax.Label.TextStyle.Font = font.From(surfaceFont, 11)
		ax.Tick.Label.Font = font.From(surfaceFont, 10)
	}
	p.X.Label.Text, p.Y.Label.Text = sf.X, sf.Y
	p.X.Tick.Marker = indexTicks(sf.XS)
	p.Y.Tick.Marker = indexTicks(sf.YS)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	var labels plotter.XYLabels
	for iy := 0; iy < n; iy++ {
		for ix := 0; ix < n; ix++ {
			fill := color.RGBA{0xff, 0xff, 0xff, 0xff}
			label := "rejected"
			if !sf.Rejected[iy][ix] {
				f := 0.5
				if hi > lo {
					f = (sf.Values[iy][ix] - lo) / (hi - lo)
				}
				fill = mix(surfaceLow, top, 0.08+0.92*f)
				label = chart.FormatSI(sf.Values[iy][ix])
			}
			d := 0.5
			poly, err := plotter.NewPolygon(plotter.XYs{{X: float64(ix) - d, Y: float64(iy) - d}, {X: float64(ix) + d, Y: float64(iy) - d},
				{X: float64(ix) + d, Y: float64(iy) + d}, {X: float64(ix) - d, Y: float64(iy) + d}})
			if err != nil {
				return err
			}
			poly.Color = fill
			poly.LineStyle.Width = 0
			p.Add(poly)
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(ix), Y: float64(iy)})
			labels.Labels = append(labels.Labels, label)
		}
	}
	lab, err := plotter.NewLabels(labels)
	if err != nil {
		return err
	}
	for i := range lab.TextStyle {
		ink := color.Color(color.Black)
		iy, ix := i/n, i%n
		if !sf.Rejected[iy][ix] && hi > lo && (sf.Values[iy][ix]-lo)/(hi-lo) > 0.6 {
			ink = color.White
		}
		lab.TextStyle[i] = text.Style{Color: ink, Font: font.From(surfaceFont, 8), Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YCenter}
	}
	p.Add(lab)
	// The optimum, placed between grid cells by its value.
	i, j := leverIndex(pl.params(0), sf.X), leverIndex(pl.params(0), sf.Y)
	par := pl.params(0)
	ox := par[i].Encode(rep.Best.X[i]) * float64(n-1)
	oy := par[j].Encode(rep.Best.X[j]) * float64(n-1)
	// A box around it, as the game layer's heat maps box an equilibrium.
	d := 0.46
	mark, err := plotter.NewPolygon(plotter.XYs{{X: ox - d, Y: oy - d}, {X: ox + d, Y: oy - d}, {X: ox + d, Y: oy + d}, {X: ox - d, Y: oy + d}})
	if err != nil {
		return err
	}
	mark.Color = nil
	mark.LineStyle.Color = color.Black
	mark.LineStyle.Width = vg.Points(3)
	p.Add(mark)
	w, h := 7*vg.Inch, 6*vg.Inch
	return chart.WriteDrawing(path, "png", w, h, 96, func(dc draw.Canvas) {
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		p.Draw(dc)
	})
}

// indexTicks labels cell i with its lever value.
func indexTicks(vals []float64) plot.ConstantTicks {
	out := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		out[i] = plot.Tick{Value: float64(i), Label: strconv.FormatFloat(v, 'g', 3, 64)}
	}
	return out
}

func parseHex(s string) (color.RGBA, bool) {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, true
		}
	}
	return color.RGBA{}, false
}

func mix(lo, hi color.RGBA, f float64) color.RGBA {
	f = math.Max(0, math.Min(1, f))
	m := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + f*(float64(b)-float64(a)))) }
	return color.RGBA{m(lo.R, hi.R), m(lo.G, hi.G), m(lo.B, hi.B), 0xff}
}
