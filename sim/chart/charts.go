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
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
)

// Options control how charts are drawn. The zero value draws PNG and SVG
// charts 10 by 5 inches at 96 dots per inch, at the model's scale, with
// dates on the x axis and an overview page.
type Options struct {
	// RealUnits multiplies counts and money by the run's Scale, so that
	// the charts speak of the real population the run stands for.
	RealUnits bool
	// DayNumbers labels the x axis with day numbers instead of dates.
	// Dates are used only when every day's date follows from the first.
	DayNumbers bool
	// Formats lists the file formats to write, "png" and "svg"; empty
	// means both.
	Formats []string
	// Width and Height are the size of one chart; zero means 10 by 5
	// inches. The overview page is twice as wide and twice as tall.
	Width, Height vg.Length
	// DPI is the resolution of PNG files; zero means 96.
	DPI int
	// NoOverview leaves out overview.png, the four charts on one page.
	NoOverview bool
}

// Names of the charts WriteRunCharts writes, without extension.
const (
	ShareChart     = "share"     // share of wallet payment value
	UsersChart     = "users"     // card-bound users and monthly actives
	MoneyChart     = "money"     // treasuries and subsidies per day
	EnvelopesChart = "envelopes" // peer and sponsored envelopes per day
	OverviewChart  = "overview"  // the four on one page (PNG only)
)

func (o Options) withDefaults() (Options, error) {
	if len(o.Formats) == 0 {
		o.Formats = []string{"png", "svg"}
	}
	for _, f := range o.Formats {
		if f != "png" && f != "svg" {
			return o, fmt.Errorf("chart: unknown format %q (png or svg)", f)
		}
	}
	if o.Width <= 0 {
		o.Width = 10 * vg.Inch
	}
	if o.Height <= 0 {
		o.Height = 5 * vg.Inch
	}
	if o.DPI <= 0 {
		o.DPI = 96
	}
	return o, nil
}

func (o Options) has(format string) bool {
	for _, f := range o.Formats {
		if f == format {
			return true
		}
	}
	return false
}

// WriteRunCharts draws the charts of a run into dir, which it creates if
// needed, and returns the paths of the files written, in order:
// share, users, money and envelopes, each in every format of opts, then
// overview.png. Each file is written to a temporary file and renamed into
// place, so a reader never sees half a chart.
func WriteRunCharts(dir string, run *Run, opts Options) ([]string, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := run.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("chart: output directory: %w", err)
	}
	figs := runFigures(run, opts)
	var files []string
	for _, f := range figs {
		for _, format := range opts.Formats {
			path := filepath.Join(dir, f.name+"."+format)
			if err := WriteDrawing(path, format, opts.Width, opts.Height, opts.DPI, f.draw); err != nil {
				return files, err
			}
			files = append(files, path)
		}
	}
	if !opts.NoOverview && opts.has("png") {
		path := filepath.Join(dir, OverviewChart+".png")
		if err := WriteDrawing(path, "png", 2*opts.Width, 2*opts.Height, opts.DPI, overview(figs)); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

// check reports a run that cannot be drawn.
func (r *Run) check() error {
	switch {
	case r == nil:
		return errors.New("chart: no run")
	case len(r.Platforms) == 0:
		return errors.New("chart: run has no platforms")
	case len(r.History) == 0:
		return errors.New("chart: run has no days")
	}
	for _, dm := range r.History {
		if len(dm.Platforms) != len(r.Platforms) {
			return fmt.Errorf("chart: day %d has %d platforms, the run %d", dm.Day, len(dm.Platforms), len(r.Platforms))
		}
	}
	return nil
}

// runFigures builds the charts of a run: share, users, money and, when
// the run sent any, envelopes. A chart or panel with nothing to show is
// left out rather than drawn as empty 0–1 axes.
func runFigures(run *Run, opts Options) []*figure {
	figs := []*figure{shareFigure(run, opts), usersFigure(run, opts), moneyFigure(run, opts)}
	if f := envelopesFigure(run, opts); f != nil {
		figs = append(figs, f)
	}
	return figs
}

// WriteDrawing renders paint on a w × h canvas in format ("png" at dpi,
// or "svg") and writes it to path atomically; every chart of the project
// is written through it.
func WriteDrawing(path, format string, w, h vg.Length, dpi int, paint func(draw.Canvas)) error {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))}
	case "svg":
		c = vgsvg.New(w, h)
	default:
		return fmt.Errorf("chart: unknown format %q", format)
	}
	paint(draw.New(c))
	err := sim.WriteFileAtomic(path, func(out io.Writer) error {
		_, err := c.WriteTo(out)
		return err
	})
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

// scales holds the factors from the engine's units to a chart's.
type scales struct {
	count, yuan float64 // per simulated user or envelope; per fen
	real        bool
}

func newScales(run *Run, opts Options) scales {
	k := 1.0
	if opts.RealUnits {
		k = run.Scale()
	}
	return scales{count: k, yuan: k / scenarios.FenPerYuan, real: opts.RealUnits}
}

// subtitle says which run a chart shows and at what scale.
func subtitle(run *Run, sc scales) string {
	s := run.Scenario
	if s == "" {
		s = "run"
	}
	s += ", seed " + strconv.FormatUint(run.Seed, 10)
	if run.Users > 0 {
		s += ", " + FormatSI(float64(run.Users)) + " simulated users"
	}
	if sc.real {
		s += ", scaled to " + FormatSI(run.Scale()*float64(run.Users)) + " people (×" + FormatSI(run.Scale()) + ")"
	} else if run.Represents > 0 {
		s += " (model scale; real population " + FormatSI(run.Represents) + ")"
	}
	return s
}

// xAxis chooses the x axis of a run: dates when every day's date is the
// first day's plus the day number, day numbers otherwise.
func xAxis(hist []sim.DayMetrics, dayNumbers bool) (plot.Ticker, string) {
	if dayNumbers || len(hist) == 0 {
		return dayTicks, "day"
	}
	if start, ok := dayZero(hist); ok {
		return dateTicks(start), ""
	}
	return dayTicks, "day"
}

// dayZero returns the date of day 0 if every day's date agrees with it.
func dayZero(hist []sim.DayMetrics) (time.Time, bool) {
	if len(hist) == 0 {
		return time.Time{}, false
	}
	first, err := time.Parse(time.DateOnly, hist[0].Date)
	if err != nil {
		return time.Time{}, false
	}
	start := first.AddDate(0, 0, -hist[0].Day)
	for _, dm := range hist {
		if dm.Date != start.AddDate(0, 0, dm.Day).Format(time.DateOnly) {
			return time.Time{}, false
		}
	}
	return start, true
}

// The look of every chart.
var (
	sans        = font.Font{Typeface: "Liberation", Variant: "Sans"}
	lineWidth   = vg.Points(1.6)
	dashed      = []vg.Length{vg.Points(6), vg.Points(3)}
	keyColor    = color.Gray{Y: 0x55}                             // lines of the style keys in a legend
	bandColor   = color.NRGBA{R: 0xff, G: 0xb0, B: 0x30, A: 0x50} // event windows
	bandText    = color.Gray{Y: 0x50}
	gridColor   = color.Gray{Y: 0xe4}
	subColor    = color.Gray{Y: 0x60}
	pad         = vg.Points(8)
	headroom    = 0.16          // share of the y range added above the data for event labels
	margin      = 0.04          // share of the y range added above the data without events
	fallbackRGB = []color.RGBA{ // the first eight of Tableau 10, for platforms without a colour
		{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff},
		{0x59, 0xa1, 0x4f, 0xff}, {0xed, 0xc9, 0x48, 0xff}, {0xb0, 0x7a, 0xa1, 0xff}, {0xff, 0x9d, 0xa7, 0xff},
	}
)

func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(sans, size), Handler: plot.DefaultTextHandler}
}

// parseColor reads "#rrggbb".
func parseColor(s string) (color.RGBA, bool) {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{}, false
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, true
}

// platformColor is the scenario's colour of platform p, or one of a fixed
// palette.
func platformColor(pl Platform, p int) color.Color {
	if c, ok := parseColor(pl.Color); ok {
		return c
	}
	return fallbackRGB[p%len(fallbackRGB)]
}

// newPanel is a plot with the house style and the run's x axis.
func newPanel(ticker plot.Ticker, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the figure paints the background
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 11)
		a.Tick.Label.Font = font.From(sans, 10)
		a.Padding = vg.Points(2)
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.X.Tick.Marker = ticker
	p.Y.Tick.Marker = siTicks
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
	grid.Vertical.Width, grid.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	p.Add(grid)
	return p
}

// newLine draws ys against xs. Values that are not finite are left out.
func newLine(xs, ys []float64, c color.Color, dashes []vg.Length) *plotter.Line {
	xy := make(plotter.XYs, 0, len(xs))
	for i := range xs {
		if !math.IsNaN(ys[i]) && !math.IsInf(ys[i], 0) {
			xy = append(xy, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	return &plotter.Line{XYs: xy, LineStyle: draw.LineStyle{Color: c, Width: lineWidth, Dashes: dashes}}
}

// keyLine is a line used only as a legend thumbnail.
func keyLine(c color.Color, dashes []vg.Length) *plotter.Line {
	return &plotter.Line{LineStyle: draw.LineStyle{Color: c, Width: lineWidth, Dashes: dashes}}
}

// setYRange fits the y axis to the data plus a margin above it, wider
// when there are event labels to fit; counts and money start at 0.
func setYRange(p *plot.Plot, lo, hi float64, events bool) {
	lo = math.Min(lo, 0)
	if !(hi > lo) {
		hi = lo + 1
	}
	room := margin
	if events {
		room = headroom
	}
	p.Y.Min, p.Y.Max = lo, hi+(hi-lo)*room
}

// series is the sum of some columns of timeseries.csv (sim.TimeseriesColumns)
// for platform p on each day, in the chart's units: money in yuan, counts
// scaled to the real population when asked, shares as they are.
func series(run *Run, p int, sc scales, names ...string) []float64 {
	cols := make([]*sim.Column, len(names))
	for i, n := range names {
		c, ok := sim.LookupColumn(n)
		if !ok || !c.Metric() {
			panic("chart: no metric column " + n) // a programmer's error: the names are constants below
		}
		cols[i] = c
	}
	k := sc.count
	switch cols[0].Unit {
	case "fen":
		k = sc.yuan
	case "share", "bool":
		k = 1
	}
	ys := make([]float64, len(run.History))
	for d := range run.History {
		dm := &run.History[d]
		sum := 0.0
		for _, c := range cols { // whole numbers below 2^53: the sum is exact, as an int64 sum was
			sum += c.Value(dm, &dm.Platforms[p])
		}
		ys[d] = sum * k
	}
	return ys
}

func days(hist []sim.DayMetrics) []float64 {
	xs := make([]float64, len(hist))
	for d, dm := range hist {
		xs[d] = float64(dm.Day)
	}
	return xs
}

func bounds(ys []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		if !math.IsNaN(y) && !math.IsInf(y, 0) {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	if lo > hi {
		return 0, 0
	}
	return lo, hi
}

func allZero(ys []float64) bool {
	for _, y := range ys {
		if y != 0 {
			return false
		}
	}
	return true
}

// shareFigure: the share of wallet payment value of each platform.
func shareFigure(run *Run, opts Options) *figure {
	sc := newScales(run, opts)
	ticker, xlabel := xAxis(run.History, opts.DayNumbers)
	wins := EventWindows(run.History)
	p := newPanel(ticker, xlabel, "share of wallet payment value")
	p.Y.Tick.Marker = percentTicks
	p.Add(&eventBands{windows: wins, labels: true})
	f := &figure{name: ShareChart, title: "Share of wallet payment value", subtitle: subtitle(run, sc), panels: []*plot.Plot{p}}
	xs := days(run.History)
	for i, pl := range run.Platforms {
		c := platformColor(pl, i)
		p.Add(newLine(xs, series(run, i, sc, "share_value"), c, nil))
		f.key(pl.label(), keyLine(c, nil))
	}
	setYRange(p, 0, 1, len(wins) > 0)
	return f
}

// usersFigure: card-bound users (solid) and monthly actives (dashed).
func usersFigure(run *Run, opts Options) *figure {
	sc := newScales(run, opts)
	ticker, xlabel := xAxis(run.History, opts.DayNumbers)
	wins := EventWindows(run.History)
	ylabel := "users"
	if sc.real {
		ylabel = "people"
	}
	p := newPanel(ticker, xlabel, ylabel)
	p.Add(&eventBands{windows: wins, labels: true})
	f := &figure{name: UsersChart, title: "Card-bound users and monthly actives", subtitle: subtitle(run, sc), panels: []*plot.Plot{p}}
	xs := days(run.History)
	hi := 0.0
	for i, pl := range run.Platforms {
		c := platformColor(pl, i)
		bound := series(run, i, sc, "card_bound")
		mau := series(run, i, sc, "mau")
		p.Add(newLine(xs, bound, c, nil), newLine(xs, mau, c, dashed))
		_, h1 := bounds(bound)
		_, h2 := bounds(mau)
		hi = math.Max(hi, math.Max(h1, h2))
		f.key(pl.label(), keyLine(c, nil))
	}
	f.key("card-bound", keyLine(keyColor, nil))
	f.key("monthly active", keyLine(keyColor, dashed))
	setYRange(p, 0, hi, len(wins) > 0)
	return f
}

// moneyFigure: treasuries (top) and subsidies paid per day (bottom), user
// and merchant subsidies together, with the merchant part dashed when
// there is one.
func moneyFigure(run *Run, opts Options) *figure {
	sc := newScales(run, opts)
	ticker, xlabel := xAxis(run.History, opts.DayNumbers)
	wins := EventWindows(run.History)
	// Without any subsidy the lower panel would be empty axes: leave it
	// out, and the treasuries take the whole chart.
	paid := false
	for _, dm := range run.History {
		for _, m := range dm.Platforms {
			paid = paid || m.SubsidyUserFen+m.SubsidyMerchantFen != 0
		}
	}
	top := newPanel(unlabelled(ticker), "", "treasury (yuan)")
	bottom := newPanel(ticker, xlabel, "subsidies (yuan/day)")
	top.Add(&eventBands{windows: wins, labels: true})
	bottom.Add(&eventBands{windows: wins})
	f := &figure{name: MoneyChart, title: "Treasuries and subsidies paid per day", subtitle: subtitle(run, sc), panels: []*plot.Plot{top, bottom}}
	if !paid {
		top = newPanel(ticker, xlabel, "treasury (yuan)")
		top.Add(&eventBands{windows: wins, labels: true})
		f.title, f.panels = "Treasuries (no subsidies paid)", []*plot.Plot{top}
	}
	xs := days(run.History)
	tlo, thi, shi := 0.0, 0.0, 0.0
	merchants := false
	for i, pl := range run.Platforms {
		c := platformColor(pl, i)
		treasury := series(run, i, sc, "treasury_fen")
		total := series(run, i, sc, "subsidy_user_fen", "subsidy_merchant_fen")
		merchant := series(run, i, sc, "subsidy_merchant_fen")
		top.Add(newLine(xs, treasury, c, nil))
		bottom.Add(newLine(xs, total, c, nil))
		if !allZero(merchant) {
			bottom.Add(newLine(xs, merchant, c, dashed))
			merchants = true
		}
		lo, hi := bounds(treasury)
		tlo, thi = math.Min(tlo, lo), math.Max(thi, hi)
		_, hi = bounds(total)
		shi = math.Max(shi, hi)
		f.key(pl.label(), keyLine(c, nil))
	}
	if merchants {
		f.key("user + merchant", keyLine(keyColor, nil))
		f.key("merchant only", keyLine(keyColor, dashed))
	}
	setYRange(top, tlo, thi, len(wins) > 0)
	setYRange(bottom, 0, shi, false)
	return f
}

// envelopesFigure: peer-to-peer (solid) and sponsored (dashed) red
// envelopes sent per day; a series that stays at zero is left out, and so
// is a platform with no envelopes at all; nil when the run sent none.
func envelopesFigure(run *Run, opts Options) *figure {
	sc := newScales(run, opts)
	ticker, xlabel := xAxis(run.History, opts.DayNumbers)
	wins := EventWindows(run.History)
	p := newPanel(ticker, xlabel, "envelopes per day")
	p.Add(&eventBands{windows: wins, labels: true})
	f := &figure{name: EnvelopesChart, title: "Red envelopes sent per day", subtitle: subtitle(run, sc), panels: []*plot.Plot{p}}
	xs := days(run.History)
	hi := 0.0
	peer, sponsored := false, false
	for i, pl := range run.Platforms {
		c := platformColor(pl, i)
		p2p := series(run, i, sc, "envelopes_p2p")
		sp := series(run, i, sc, "envelopes_sponsored")
		if allZero(p2p) && allZero(sp) {
			continue
		}
		if !allZero(p2p) {
			p.Add(newLine(xs, p2p, c, nil))
			peer = true
		}
		if !allZero(sp) {
			p.Add(newLine(xs, sp, c, dashed))
			sponsored = true
		}
		_, h1 := bounds(p2p)
		_, h2 := bounds(sp)
		hi = math.Max(hi, math.Max(h1, h2))
		f.key(pl.label(), keyLine(c, nil))
	}
	if peer {
		f.key("peer to peer", keyLine(keyColor, nil))
	}
	if sponsored {
		f.key("sponsored", keyLine(keyColor, dashed))
	}
	if !peer && !sponsored {
		return nil // no envelopes in this run: no chart
	}
	setYRange(p, 0, hi, len(wins) > 0)
	return f
}
