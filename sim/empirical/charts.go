package empirical

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paywars/hongbao/sim/chart"
	"github.com/paywars/hongbao/sim/game"
)

// The charts of a game: heat maps of the payoff table with the equilibria
// marked, and the replicator dynamics of players with two strategies. They
// are drawn with gonum/plot in the look of package chart, deterministically:
// the same game gives the same bytes.

var (
	sans       = font.Font{Typeface: "Liberation", Variant: "Sans"}
	chartDPI   = 96
	lowColor   = color.RGBA{0xf4, 0xf4, 0xf4, 0xff} // the lowest payoff of a heat map
	fallback   = []color.RGBA{{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff}}
	eqColor    = color.Black
	replicTime = 0.01   // time step of the replicator dynamics
	replicStep = 10_000 // steps: time 0 to 100, in units of the payoff range
	// replicStarts are the starting shares of the first strategy.
	replicStarts = []float64{0.1, 0.3, 0.5, 0.7, 0.9}
	// settled is how close to its end a replicator path must stay for the
	// plot to stop showing it.
	settled = 0.002
)

// writeCharts writes the game's charts into dir.
func writeCharts(dir string, p *Plan, a *Analysis) error {
	t := a.Table
	names := chartFiles(t)
	n := 0
	if len(t.Players) == 2 {
		for i := range t.Players {
			if err := savePlot(filepath.Join(dir, names[n]), heatmap(p, a, i)); err != nil {
				return err
			}
			n++
		}
	} else {
		if err := savePlot(filepath.Join(dir, names[n]), tableHeatmap(p, a)); err != nil {
			return err
		}
		n++
	}
	for i := range t.Players {
		if len(t.Strategies[i]) != 2 {
			continue
		}
		pl, err := replicatorPlot(p, a, i)
		if err != nil {
			return err
		}
		if err := savePlot(filepath.Join(dir, names[n]), pl); err != nil {
			return err
		}
		n++
	}
	return nil
}

// sized is a plot with the size it is drawn at.
type sized struct {
	p    *plot.Plot
	w, h vg.Length
}

// savePlot renders a plot as PNG and writes it atomically.
func savePlot(path string, s sized) error {
	return chart.WriteDrawing(path, "png", s.w, s.h, chartDPI, func(dc draw.Canvas) {
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		s.p.Draw(dc)
	})
}

func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(sans, size), Handler: plot.DefaultTextHandler, XAlign: draw.XCenter, YAlign: draw.YCenter}
}

// newPlot is a plot in the house style with a title.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.Transparent
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 13)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Padding = 0
		ax.Label.TextStyle.Font = font.From(sans, 11)
		ax.Tick.Label.Font = font.From(sans, 10)
	}
	p.Legend.TextStyle.Font = font.From(sans, 9)
	return p
}

// parseColor reads "#rrggbb".
func parseColor(s string, i int) color.RGBA {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
		}
	}
	return fallback[i%len(fallback)]
}

// shade mixes lo and hi: f = 0 is lo, 1 is hi.
func shade(lo, hi color.RGBA, f float64) color.RGBA {
	f = math.Max(0, math.Min(1, f))
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + f*(float64(b)-float64(a)))) }
	return color.RGBA{mix(lo.R, hi.R), mix(lo.G, hi.G), mix(lo.B, hi.B), 0xff}
}

// inkOn returns black or white, whichever reads better on c.
func inkOn(c color.RGBA) color.Color {
	lum := 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
	if lum > 140 {
		return color.Black
	}
	return color.White
}

// cell returns the square of side 1 around (x, y), less inset on each side.
func cell(x, y, inset float64) plotter.XYs {
	d := 0.5 - inset
	return plotter.XYs{{X: x - d, Y: y - d}, {X: x + d, Y: y - d}, {X: x + d, Y: y + d}, {X: x - d, Y: y + d}}
}

// ticks are labelled positions 0..n-1, or n-1..0 when reversed.
func ticks(names []string, reversed bool) plot.ConstantTicks {
	out := make(plot.ConstantTicks, len(names))
	for i, n := range names {
		v := float64(i)
		if reversed {
			v = float64(len(names) - 1 - i)
		}
		out[i] = plot.Tick{Value: v, Label: n}
	}
	return out
}

// box draws the border of a cell; dashed for the support of a mixed
// equilibrium.
func box(p *plot.Plot, x, y float64, dashed bool) {
	poly, _ := plotter.NewPolygon(cell(x, y, 0.04))
	poly.Color = nil
	poly.LineStyle.Color = eqColor
	poly.LineStyle.Width = vg.Points(3)
	if dashed {
		poly.LineStyle.Width = vg.Points(2)
		poly.LineStyle.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	p.Add(poly)
}

// heatmap draws player who's mean payoffs over the grid of a two-player
// game: rows are the first player's strategies, columns the second's.
// Pure equilibria have a solid border, the cells of a mixed equilibrium's
// support a dashed one, and a dot marks who's best replies.
func heatmap(pl *Plan, a *Analysis, who int) sized {
	t := a.Table
	rows, cols := t.Strategies[0], t.Strategies[1]
	lo, hi := math.Inf(1), math.Inf(-1)
	for k := range t.Values {
		lo, hi = math.Min(lo, t.Mean(k, who)), math.Max(hi, t.Mean(k, who))
	}
	top := parseColor(pl.Colors[who], who)
	title := fmt.Sprintf("%s: %s, mean ± SE of %d replicates", pl.Labels[who], pl.Spec.Payoff.Metric, t.Replicates())
	p := newPlot(title)
	p.X.Label.Text = t.Players[1] + " plays"
	p.Y.Label.Text = t.Players[0] + " plays"
	p.X.Tick.Marker = ticks(cols, false)
	p.Y.Tick.Marker = ticks(rows, true)
	p.X.Min, p.X.Max = -0.5, float64(len(cols))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(rows))-0.5
	for r := range rows {
		for c := range cols {
			k := t.Index([]int{r, c})
			v := t.Mean(k, who)
			f := 0.5
			if hi > lo {
				f = (v - lo) / (hi - lo)
			}
			fill := shade(lowColor, top, 0.08+0.92*f)
			y := float64(len(rows) - 1 - r)
			poly, _ := plotter.NewPolygon(cell(float64(c), y, 0))
			poly.Color = fill
			poly.LineStyle.Color = color.White
			poly.LineStyle.Width = vg.Points(1)
			p.Add(poly)
			lbl, _ := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(c), Y: y}}, Labels: []string{fmtNum(v) + "\n± " + fmtNum(t.SE(k, who))}})
			lbl.TextStyle = []text.Style{textStyle(10, inkOn(fill))}
			p.Add(lbl)
		}
	}
	// Best replies of who: a dot in the corner.
	var dots plotter.XYs
	for _, br := range a.BestReplies {
		if br.Player != who {
			continue
		}
		for _, b := range br.Best {
			s := append([]int(nil), br.Against...)
			s[who] = b
			dots = append(dots, plotter.XY{X: float64(s[1]) + 0.36, Y: float64(len(rows)-1-s[0]) + 0.34})
		}
	}
	if sc, err := plotter.NewScatter(dots); err == nil && len(dots) > 0 {
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		sc.GlyphStyle.Radius = vg.Points(4)
		sc.GlyphStyle.Color = eqColor
		p.Add(sc)
	}
	key := []string{"● " + t.Players[who] + "'s best reply"}
	pure, mixed := false, false
	for _, e := range a.Equilibria {
		if e.Pure {
			s := PureStrategies(e.Profile)
			box(p, float64(s[1]), float64(len(rows)-1-s[0]), false)
			pure = true
			continue
		}
		mixed = true
		for r, x := range e.Profile.Float[0] {
			for c, y := range e.Profile.Float[1] {
				if x > sameTol && y > sameTol {
					box(p, float64(c), float64(len(rows)-1-r), true)
				}
			}
		}
	}
	if pure {
		key = append(key, "solid box: pure equilibrium")
	}
	if mixed {
		key = append(key, "dashed: support of a mixed equilibrium")
	}
	p.X.Label.Text += "\n\n" + strings.Join(key, "    ")
	p.X.Label.TextStyle.Font = font.From(sans, 11)
	w := vg.Length(2.2+1.45*float64(len(cols))) * vg.Inch
	h := vg.Length(1.9+0.9*float64(len(rows))) * vg.Inch
	return sized{p, w, h}
}

// tableHeatmap draws the payoff table of a game of any size: a row per
// profile, a column per player, each column shaded over that player's
// range; pure equilibria have a solid border.
func tableHeatmap(pl *Plan, a *Analysis) sized {
	t := a.Table
	n := t.NumProfiles()
	p := newPlot(pl.Spec.Name + ": " + pl.Spec.Payoff.Metric + " by profile")
	rowNames := make([]string, n)
	for k := range rowNames {
		rowNames[k] = strings.Join(strategyNames(t, t.Profile(k)), ", ")
	}
	p.X.Tick.Marker = ticks(t.Players, false)
	p.Y.Tick.Marker = ticks(rowNames, true)
	p.X.Min, p.X.Max = -0.5, float64(len(t.Players))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	for i := range t.Players {
		lo, hi := math.Inf(1), math.Inf(-1)
		for k := range t.Values {
			lo, hi = math.Min(lo, t.Mean(k, i)), math.Max(hi, t.Mean(k, i))
		}
		top := parseColor(pl.Colors[i], i)
		for k := range t.Values {
			v := t.Mean(k, i)
			f := 0.5
			if hi > lo {
				f = (v - lo) / (hi - lo)
			}
			fill := shade(lowColor, top, 0.08+0.92*f)
			y := float64(n - 1 - k)
			poly, _ := plotter.NewPolygon(cell(float64(i), y, 0))
			poly.Color = fill
			poly.LineStyle.Color = color.White
			p.Add(poly)
			lbl, _ := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(i), Y: y}}, Labels: []string{fmtPM(v, t.SE(k, i))}})
			lbl.TextStyle = []text.Style{textStyle(9, inkOn(fill))}
			p.Add(lbl)
		}
	}
	for k, ps := range a.Profiles {
		if !ps.Equilibrium {
			continue
		}
		y, right := float64(n-1-k), float64(len(t.Players))-0.52
		poly, _ := plotter.NewPolygon(plotter.XYs{{X: -0.48, Y: y - 0.46}, {X: right, Y: y - 0.46}, {X: right, Y: y + 0.46}, {X: -0.48, Y: y + 0.46}})
		poly.Color = nil
		poly.LineStyle.Color = eqColor
		poly.LineStyle.Width = vg.Points(3)
		p.Add(poly)
	}
	w := vg.Length(3+1.6*float64(len(t.Players))) * vg.Inch
	h := vg.Length(1.2+0.3*float64(n)) * vg.Inch
	return sized{p, w, h}
}

// normalised returns the estimated game with each player's payoffs mapped
// affinely onto [0, 1] (u − min)/(max − min), which leaves the replicator
// dynamics' orbits and rest points as they are and makes time comparable
// across games: one unit of time is the reciprocal of the payoff range.
func normalised(a *Analysis) (*game.Game, error) {
	t := a.Table
	payoffs := make([][]float64, t.NumProfiles())
	for i := range t.Players {
		lo, hi := math.Inf(1), math.Inf(-1)
		for k := range t.Values {
			lo, hi = math.Min(lo, t.Mean(k, i)), math.Max(hi, t.Mean(k, i))
		}
		for k := range t.Values {
			if payoffs[k] == nil {
				payoffs[k] = make([]float64, len(t.Players))
			}
			if hi > lo {
				payoffs[k][i] = (t.Mean(k, i) - lo) / (hi - lo)
			}
		}
	}
	return game.NewFloat(t.Players, t.Strategies, payoffs)
}

// replicatorPlot draws the multi-population replicator dynamics of the
// estimated game (sim/game's Replicator) for player who, who has two
// strategies: the share of its population playing the first strategy over
// time, from several starting shares, the other populations starting
// uniform. For a symmetric game and equal starts this is the one-population
// dynamic. Dotted lines are the player's shares in the equilibria.
func replicatorPlot(pl *Plan, a *Analysis, who int) (sized, error) {
	t := a.Table
	g, err := normalised(a)
	if err != nil {
		return sized{}, err
	}
	first := t.Strategies[who][0]
	p := newPlot(fmt.Sprintf("%s: replicator dynamics, share playing %s", pl.Labels[who], first))
	p.X.Label.Text = "time (each player's payoff range = 1)"
	p.Y.Label.Text = "share playing " + first
	p.Y.Min, p.Y.Max = 0, 1
	top := parseColor(pl.Colors[who], who)
	var paths []plotter.XYs
	tmax, finals := 0.0, 0.0
	for _, x0 := range replicStarts {
		start := make([][]float64, len(t.Players))
		for i, st := range t.Strategies {
			start[i] = make([]float64, len(st))
			for j := range st {
				start[i][j] = 1 / float64(len(st))
			}
		}
		start[who] = []float64{x0, 1 - x0}
		tr, err := game.Replicator(g, game.ReplicatorOptions{Start: start, Step: replicTime, Steps: replicStep, Every: 20})
		if err != nil {
			return sized{}, err
		}
		xy := make(plotter.XYs, len(tr.Times))
		final := tr.Final.Float[who][0]
		for k := range tr.Times {
			xy[k] = plotter.XY{X: tr.Times[k], Y: tr.States[k][who][0]}
			if math.Abs(xy[k].Y-final) > settled {
				tmax = math.Max(tmax, xy[k].X)
			}
		}
		finals += final
		paths = append(paths, xy)
	}
	// Show the paths until they settle, and a half again.
	tmax = math.Min(float64(replicStep)*replicTime, math.Max(2, math.Ceil(1.5*tmax)))
	p.X.Min, p.X.Max = 0, tmax
	for n, xy := range paths {
		for len(xy) > 1 && xy[len(xy)-1].X > tmax {
			xy = xy[:len(xy)-1]
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return sized{}, err
		}
		line.Color = shade(color.RGBA{0xc8, 0xc8, 0xc8, 0xff}, top, 0.35+0.65*float64(n)/float64(len(paths)-1))
		line.Width = vg.Points(1.6)
		p.Add(line)
		p.Legend.Add("from "+strconv.FormatFloat(replicStarts[n], 'f', 1, 64), line)
	}
	seen := map[string]bool{}
	for _, e := range a.Equilibria {
		x := e.Profile.Float[who][0]
		key := strconv.FormatFloat(x, 'f', 4, 64)
		if seen[key] {
			continue
		}
		seen[key] = true
		line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: x}, {X: tmax, Y: x}})
		if err != nil {
			return sized{}, err
		}
		line.Color = eqColor
		line.Width = vg.Points(0.8)
		line.Dashes = []vg.Length{vg.Points(2), vg.Points(3)}
		p.Add(line)
		if len(seen) == 1 {
			p.Legend.Add("equilibria", line)
		}
	}
	// The legend goes where the paths end least.
	p.Legend.Top = finals/float64(len(paths)) < 0.5
	return sized{p, 8 * vg.Inch, 4.5 * vg.Inch}, nil
}
