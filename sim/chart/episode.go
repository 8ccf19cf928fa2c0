package chart

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/paywars/hongbao/record"
	"github.com/paywars/hongbao/sim"
)

// EpisodeChartName is the file name, without extension, of an episode's
// chart: episode-NAME.
func EpisodeChartName(episode string) string { return "episode-" + episode }

// Heights of an episode chart's parts.
var (
	episodeHeader = vg.Inch * 0.9
	episodePanel  = vg.Inch * 1.9
)

// WriteEpisodeChart draws an episode against the record into dir (created
// if needed), episode-NAME.png and .svg as opts.Formats says, and returns
// the paths written. One panel per measure, sharing the x axis: the
// model's trajectory (median line, 5–95% over seeds shaded) in each
// wallet's colour; at each record figure's period, the model's measure of
// that figure as the record states it (a box from the 5% to the 95% seed
// over the period, its median a bar); the record's figure as a marker
// whose shape says fitted, held out or input; and a number by it that
// refers to the list of sources below the panels. opts.Height is the
// height of one panel (default 1.9 inches); opts.RealUnits does not apply
// (the record's counts are real, so the model's are always scaled).
func WriteEpisodeChart(dir string, ep *Episode, opts Options) ([]string, error) {
	if opts.Height <= 0 {
		opts.Height = episodePanel
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := ep.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("chart: output directory: %w", err)
	}
	f, notes := episodeFigure(ep, opts)
	noteH := notes.height(opts.Width)
	h := episodeHeader + vg.Length(len(ep.Panels))*opts.Height + noteH
	paint := func(c draw.Canvas) {
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
		nc := c
		nc.Max.Y = c.Min.Y + noteH
		notes.draw(nc)
		c.Min.Y += noteH
		f.draw(c)
	}
	var files []string
	for _, format := range opts.Formats {
		path := filepath.Join(dir, EpisodeChartName(ep.Name)+"."+format)
		if err := WriteDrawing(path, format, opts.Width, h, opts.DPI, paint); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

// check reports an episode that cannot be drawn.
func (ep *Episode) check() error {
	switch {
	case ep == nil:
		return errors.New("chart: no episode")
	case ep.Days < 1:
		return fmt.Errorf("chart: episode %q has no days", ep.Name)
	case len(ep.Panels) == 0:
		return fmt.Errorf("chart: episode %q has no record figures to draw", ep.Name)
	}
	for _, p := range ep.Panels {
		for _, t := range p.Trajectories {
			if len(t.X) != len(t.Spread) {
				return fmt.Errorf("chart: episode %q: a trajectory of %s has %d days and %d values", ep.Name, p.Metric, len(t.X), len(t.Spread))
			}
		}
	}
	return nil
}

// episodeFigure lays out the chart and its list of sources.
func episodeFigure(ep *Episode, opts Options) (*figure, *footnotes) {
	notes := newFootnotes(ep)
	ticker, xlabel := plot.Ticker(dateTicks(ep.Start)), ""
	if opts.DayNumbers {
		ticker, xlabel = dayTicks, "day"
	}
	f := &figure{name: EpisodeChartName(ep.Name), title: ep.Name + ": the model against the record", subtitle: episodeSubtitle(ep)}
	colour := func(p int) color.Color {
		if p < 0 || p >= len(ep.Platforms) {
			return keyColor
		}
		return platformColor(ep.Platforms[p], p)
	}
	used := map[int]bool{}
	tags := map[string]bool{}
	for i, pn := range ep.Panels {
		last := i == len(ep.Panels)-1
		tk, xl := unlabelled(ticker), ""
		if last {
			tk, xl = ticker, xlabel
		}
		label := metrics[pn.Metric].label
		if label == "" {
			label = pn.Metric
		}
		p := newPanel(tk, xl, label)
		// A little room either side, so that a figure on the first or
		// last day is not cut by the axes.
		room := 0.012 * float64(ep.Days)
		p.X.Min, p.X.Max = -0.5-room, float64(ep.Days)-0.5+room
		ax := newValueAxis(pn)
		ax.apply(p)
		p.Add(&eventBands{windows: ep.Windows, labels: i == 0})
		for _, t := range pn.Trajectories {
			c := colour(t.Platform)
			used[t.Platform] = true
			lo, mid, hi := ax.ys(t.lo()), ax.ys(t.mid()), ax.ys(t.hi())
			for _, b := range newBands(t.X, lo, hi, c) {
				p.Add(b)
			}
			p.Add(newLine(t.X, mid, c, nil))
			ax.extend(lo, hi)
		}
		for _, pt := range pn.Points {
			c := colour(pt.Platform)
			used[pt.Platform] = true
			tags[pt.Tag] = true
			m := ax.ys([]float64{pt.Model.Lo, pt.Model.Mid, pt.Model.Hi})
			v := ax.ys([]float64{pt.Value})[0]
			p.Add(&periodBox{x0: float64(pt.From) - 0.5, x1: float64(pt.To) + 0.5, lo: m[0], mid: m[1], hi: m[2], c: c})
			p.Add(&recordMark{x: float64(pt.From+pt.To) / 2, y: v, tag: pt.Tag, c: c, label: strconv.Itoa(notes.number(pt.Figure))})
			ax.extend(m, []float64{v})
		}
		ax.fit(p, len(ep.Windows) > 0 && i == 0)
		f.panels = append(f.panels, p)
	}
	for p := -1; p < len(ep.Platforms); p++ {
		if used[p] {
			name := "all wallets"
			if p >= 0 {
				name = ep.Platforms[p].label()
			}
			f.key(name, keyLine(colour(p), nil))
		}
	}
	f.key("model: median, 5–95% of seeds", bandKey{})
	f.key("model at the record's period", &periodBox{c: keyColor})
	for _, tg := range []struct{ tag, label string }{{record.Fit, "record: fitted"}, {record.Holdout, "record: held out"}, {record.Input, "record: input"}} {
		if tags[tg.tag] {
			f.key(tg.label, &recordMark{tag: tg.tag, c: keyColor})
		}
	}
	return f, notes
}

// episodeSubtitle says what the bands are over.
func episodeSubtitle(ep *Episode) string {
	s := "median and 5–95% over " + strconv.Itoa(len(ep.Seeds)) + " seeds"
	if n := len(ep.Seeds); n > 0 {
		s += " (" + strconv.FormatUint(ep.Seeds[0], 10)
		if n > 1 {
			s += "–" + strconv.FormatUint(ep.Seeds[n-1], 10)
		}
		s += ")"
	}
	s += " at " + FormatSI(float64(ep.Users)) + " simulated users"
	if ep.Represents > 0 {
		s += " for " + FormatSI(ep.Represents) + " people (counts scaled)"
	}
	return s + "; record from record/*.csv"
}

// valueAxis maps a panel's values to its y axis: percentages to shares
// (drawn with percent ticks), counts spanning more than a factor of 20 to
// their log10 on a linear axis whose ticks say 10^k. (gonum's LogScale
// centres the axis label on the data's arithmetic midpoint, near the top
// of a log axis, and pads the panel out of line with the others.)
type valueAxis struct {
	percent, log bool
	lo, hi       float64 // finite range of the values drawn
	floor        float64 // the log axis's lowest value, in log10
}

func newValueAxis(pn Panel) *valueAxis {
	ax := &valueAxis{percent: pn.Unit == "percent", lo: math.Inf(1), hi: math.Inf(-1)}
	if ax.percent || pn.Unit == "ratio" || pn.Unit == "factor" {
		return ax
	}
	// A log axis when the record's figures and the model's medians span
	// more than a factor of 20.
	lo, hi := math.Inf(1), 0.0
	for _, pt := range pn.Points {
		for _, v := range []float64{pt.Value, pt.Model.Mid} {
			if v > 0 && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if hi > 20*lo {
		ax.log = true
		ax.floor = math.Floor(math.Log10(lo)) - 1 // a decade below the lowest figure
	}
	return ax
}

// ys converts values to the axis: shares for percentages, log10 on a log
// axis, where values at or below its floor (zero among them) are drawn at
// the floor.
func (ax *valueAxis) ys(vs []float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		switch {
		case ax.percent:
			v /= 100
		case ax.log:
			if v > 0 {
				v = math.Log10(v)
			}
			if !(v > ax.floor) && !math.IsNaN(v) {
				v = ax.floor
			}
		}
		out[i] = v
	}
	return out
}

// extend widens the range to the finite values of some series.
func (ax *valueAxis) extend(series ...[]float64) {
	for _, ys := range series {
		lo, hi := bounds(ys)
		if lo == 0 && hi == 0 && allNaN(ys) {
			continue
		}
		ax.lo, ax.hi = math.Min(ax.lo, lo), math.Max(ax.hi, hi)
	}
}

func allNaN(ys []float64) bool {
	for _, y := range ys {
		if !math.IsNaN(y) && !math.IsInf(y, 0) {
			return false
		}
	}
	return true
}

func (ax *valueAxis) apply(p *plot.Plot) {
	switch {
	case ax.percent:
		p.Y.Tick.Marker = percentTicks
	case ax.log:
		p.Y.Tick.Marker = logTicks
	}
}

// fit sets the y range: shares from 0 (to 100% at most), counts from 0,
// log axes a little beyond the data.
func (ax *valueAxis) fit(p *plot.Plot, events bool) {
	if ax.lo > ax.hi {
		ax.lo, ax.hi = 0, 1
	}
	switch {
	case ax.log:
		// From the floor every value below it is drawn at, to a power
		// of ten, so that a tick closes the axis (one decade more for
		// the events' labels).
		top := math.Ceil(math.Max(ax.hi, ax.floor) + math.Log10(2))
		if events {
			top++
		}
		p.Y.Min, p.Y.Max = ax.floor, top
	default:
		hi := ax.hi
		if ax.percent {
			hi = math.Min(1, hi)
		}
		setYRange(p, math.Min(0, ax.lo), hi, false)
		if events { // two rows of event labels above the data
			p.Y.Max += (p.Y.Max - p.Y.Min) * 2 * headroom
		}
	}
}

// logTicks marks the integers of a log10 axis, labelled with the powers
// of ten they stand for as FormatSI writes them.
var logTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	var ts []plot.Tick
	if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) {
		return ts
	}
	for e := math.Ceil(min); e <= max; e++ {
		ts = append(ts, plot.Tick{Value: e, Label: FormatSI(math.Pow(10, e))})
	}
	return ts
})

// newBands shades lo to hi in c's tint, one polygon per stretch of finite
// values (a period the model could not measure breaks the band).
func newBands(xs, lo, hi []float64, c color.Color) []plot.Plotter {
	var out []plot.Plotter
	finite := func(i int) bool {
		return !math.IsNaN(lo[i]) && !math.IsInf(lo[i], 0) && !math.IsNaN(hi[i]) && !math.IsInf(hi[i], 0)
	}
	for i := 0; i < len(xs); {
		if !finite(i) {
			i++
			continue
		}
		j := i
		for j < len(xs) && finite(j) {
			j++
		}
		out = append(out, newBand(xs[i:j], lo[i:j], hi[i:j], c))
		i = j
	}
	return out
}

// periodBox is the model's measure of one record figure: a box over the
// figure's period from the 5% to the 95% seed and a bar at the median. A
// period of a few days is drawn at least 5 points wide.
type periodBox struct {
	x0, x1, lo, mid, hi float64
	c                   color.Color
}

// Plot implements [plot.Plotter].
func (b *periodBox) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(b.x0), trX(b.x1)
	if w := vg.Points(5); x1-x0 < w {
		m := (x0 + x1) / 2
		x0, x1 = m-w/2, m+w/2
	}
	if finite(b.lo) && finite(b.hi) {
		y0, y1 := trY(b.lo), trY(b.hi)
		if y1-y0 < vg.Points(1) {
			y0, y1 = y0-vg.Points(0.5), y1+vg.Points(0.5)
		}
		box := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(tint(b.c, 0x70), box)
		// A dark edge, so that a box on the trajectory's own line (a
		// stock at the end of its period) still shows.
		c.StrokeLines(draw.LineStyle{Color: shade(b.c), Width: vg.Points(0.6)}, append(box, box[0]))
	}
	if finite(b.mid) {
		y := trY(b.mid)
		c.StrokeLine2(draw.LineStyle{Color: shade(b.c), Width: vg.Points(2)}, x0, y, x1, y)
	}
}

// shade is c darkened by half, for the edges of the model's boxes.
func shade(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.RGBA{R: uint8(r >> 9), G: uint8(g >> 9), B: uint8(b >> 9), A: 0xff}
}

// DataRange implements [plot.DataRanger].
func (b *periodBox) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := bounds([]float64{b.lo, b.mid, b.hi})
	return b.x0, b.x1, lo, hi
}

// Thumbnail implements [plot.Thumbnailer].
func (b *periodBox) Thumbnail(c *draw.Canvas) {
	x0, x1 := c.Min.X+vg.Points(6), c.Max.X-vg.Points(6)
	y0, y1 := c.Min.Y+vg.Points(1), c.Max.Y-vg.Points(1)
	box := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
	c.FillPolygon(tint(b.c, 0x70), box)
	c.StrokeLines(draw.LineStyle{Color: shade(b.c), Width: vg.Points(0.6)}, append(box, box[0]))
	y := (y0 + y1) / 2
	c.StrokeLine2(draw.LineStyle{Color: shade(b.c), Width: vg.Points(2)}, x0, y, x1, y)
}

// bandKey is the legend's thumbnail of a trajectory: a shaded band with
// its median line.
type bandKey struct{}

// Thumbnail implements [plot.Thumbnailer].
func (bandKey) Thumbnail(c *draw.Canvas) {
	y0, y1 := c.Min.Y+vg.Points(1), c.Max.Y-vg.Points(1)
	c.FillPolygon(tint(keyColor, 48), []vg.Point{{X: c.Min.X, Y: y0}, {X: c.Max.X, Y: y0}, {X: c.Max.X, Y: y1}, {X: c.Min.X, Y: y1}})
	y := (y0 + y1) / 2
	c.StrokeLine2(draw.LineStyle{Color: keyColor, Width: lineWidth}, c.Min.X, y, c.Max.X, y)
}

// recordMark is one record figure: a circle if fitted, an open diamond if
// held out, a square if an input, in the wallet's colour with a dark
// outline, and its footnote number beside it.
type recordMark struct {
	x, y  float64
	tag   string
	c     color.Color
	label string
}

// Plot implements [plot.Plotter].
func (m *recordMark) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if !finite(m.y) {
		return
	}
	pt := vg.Point{X: trX(m.x), Y: trY(m.y)}
	m.glyph(&c, pt)
	if m.label != "" {
		// A held-out figure's number on its left, others' on their
		// right: two firms' figures of one period (iResearch fitted,
		// Analysys held out) often sit on one another.
		sty := textStyle(7.5, color.Black)
		sty.YAlign = draw.YCenter
		at := vg.Point{X: pt.X + vg.Points(5.5), Y: pt.Y}
		if m.tag == record.Holdout {
			sty.XAlign = draw.XRight
			at.X = pt.X - vg.Points(6.5)
		}
		c.FillText(sty, at, m.label)
	}
}

// glyph draws the marker at pt.
func (m *recordMark) glyph(c *draw.Canvas, pt vg.Point) {
	r := vg.Points(4)
	var path vg.Path
	switch m.tag {
	case record.Holdout:
		r *= 1.25
		path.Move(vg.Point{X: pt.X, Y: pt.Y + r})
		path.Line(vg.Point{X: pt.X + r, Y: pt.Y})
		path.Line(vg.Point{X: pt.X, Y: pt.Y - r})
		path.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	case record.Input:
		r *= 0.85
		path.Move(vg.Point{X: pt.X - r, Y: pt.Y - r})
		path.Line(vg.Point{X: pt.X + r, Y: pt.Y - r})
		path.Line(vg.Point{X: pt.X + r, Y: pt.Y + r})
		path.Line(vg.Point{X: pt.X - r, Y: pt.Y + r})
	default:
		path.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		path.Arc(pt, r, 0, 2*math.Pi)
	}
	path.Close()
	fill := m.c
	outline := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	if m.tag == record.Holdout { // open: the fit never saw it
		fill = color.White
		outline = draw.LineStyle{Color: m.c, Width: vg.Points(1.8)}
	}
	c.SetColor(fill)
	c.Fill(path)
	c.SetLineStyle(outline)
	c.Stroke(path)
}

// DataRange implements [plot.DataRanger].
func (m *recordMark) DataRange() (xmin, xmax, ymin, ymax float64) {
	return m.x, m.x, m.y, m.y
}

// Thumbnail implements [plot.Thumbnailer].
func (m *recordMark) Thumbnail(c *draw.Canvas) {
	m.glyph(c, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2})
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// tint is c at alpha a.
func tint(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// footnotes number the sources of an episode's figures in order of
// appearance, one number per source (publisher, title, date and
// address), and list them with the ids, tags and values of the figures
// that cite them.
type footnotes struct {
	order []string
	num   map[string]int
	figs  map[string][]record.Figure
	src   map[string]record.Figure
}

func sourceKey(f record.Figure) string {
	return f.Publisher + "\x00" + f.Title + "\x00" + f.Published + "\x00" + f.Source
}

func newFootnotes(ep *Episode) *footnotes {
	n := &footnotes{num: map[string]int{}, figs: map[string][]record.Figure{}, src: map[string]record.Figure{}}
	for _, pn := range ep.Panels {
		for _, pt := range pn.Points {
			k := sourceKey(pt.Figure)
			if _, ok := n.num[k]; !ok {
				n.order = append(n.order, k)
				n.num[k] = len(n.order)
				n.src[k] = pt.Figure
			}
			n.figs[k] = append(n.figs[k], pt.Figure)
		}
	}
	return n
}

func (n *footnotes) number(f record.Figure) int { return n.num[sourceKey(f)] }

// lines are the list's entries, each wrapped to width.
func (n *footnotes) lines(width vg.Length) []string {
	sty := n.style()
	var out []string
	for i, k := range n.order {
		s := n.src[k]
		var ids []string
		for _, f := range n.figs[k] {
			ids = append(ids, fmt.Sprintf("%s %s %s (%s)", f.ID, formatValue(f), f.Unit, f.Tag))
		}
		entry := fmt.Sprintf("%d. %s", i+1, s.Publisher)
		if s.Title != "" {
			entry += ", “" + s.Title + "”"
		}
		if s.Published != "" {
			entry += " (" + s.Published + ")"
		}
		entry += ", " + s.Source + ": " + strings.Join(ids, "; ")
		out = append(out, wrap(entry, sty, width, "    ")...)
	}
	return out
}

// formatValue writes a figure's value as the record does, short.
func formatValue(f record.Figure) string {
	if math.Abs(f.Value) >= 1e4 {
		return FormatSI(f.Value)
	}
	return strconv.FormatFloat(f.Value, 'g', -1, 64)
}

func (n *footnotes) style() text.Style { return textStyle(7.5, subColor) }

// height is the height the list takes on a chart width wide.
func (n *footnotes) height(width vg.Length) vg.Length {
	if len(n.order) == 0 {
		return 0
	}
	sty := n.style()
	return vg.Length(len(n.lines(width-2*pad)))*sty.Height("X")*1.15 + pad + vg.Points(10)
}

// draw writes the list into c, top down, under a heading.
func (n *footnotes) draw(c draw.Canvas) {
	if len(n.order) == 0 {
		return
	}
	sty := n.style()
	sty.YAlign = draw.YTop
	y := c.Max.Y
	head := textStyle(8, color.Black)
	head.YAlign = draw.YTop
	c.FillText(head, vg.Point{X: c.Min.X + pad, Y: y}, "Sources (record/*.csv): figure id, value, unit (tag)")
	y -= vg.Points(10)
	for _, l := range n.lines(c.Max.X - c.Min.X - 2*pad) {
		c.FillText(sty, vg.Point{X: c.Min.X + pad, Y: y}, l)
		y -= sty.Height(l) * 1.15
	}
}

// wrap breaks s into lines no wider than width at spaces, continuation
// lines indented by indent. A word wider than width stands alone.
func wrap(s string, sty text.Style, width vg.Length, indent string) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if line != "" && sty.Width(try) > width {
			out = append(out, line)
			try = indent + w
		}
		line = try
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// WriteEpisodeTable writes each record figure of an episode with the
// model's measure of it as CSV to path (atomically): the figure's id,
// tag, metric, wallet, period, value and unit, the model's 5% quantile,
// median and 95% quantile over seeds, the number of seeds measured, and
// the figure's file and line in record/.
func WriteEpisodeTable(path string, ep *Episode) error {
	if err := ep.check(); err != nil {
		return err
	}
	return sim.WriteFileAtomic(path, func(w io.Writer) error {
		fmt.Fprintln(w, "id,tag,metric,platform,period,value,unit,model_p05,model_median,model_p95,seeds,source")
		for _, pn := range ep.Panels {
			for _, pt := range pn.Points {
				g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
				_, err := fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s:%d\n", pt.ID, pt.Tag, pt.Metric, pt.Figure.Platform, pt.Period,
					g(pt.Value), pt.Unit, g(pt.Model.Lo), g(pt.Model.Mid), g(pt.Model.Hi), pt.Model.N, pt.File, pt.Line)
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
}
