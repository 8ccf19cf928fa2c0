package sensitivity

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Table renders r as aligned text, one line per parameter in design order:
//
//	param  S1  [lo, hi]  ST  [lo, hi]
//
// with the bootstrap percentile intervals in brackets, followed by a line
// giving N, the dropped base rows and the bootstrap settings.
func (r SobolResult) Table() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	ci := fmt.Sprintf("%g%% CI", 100*r.Confidence)
	fmt.Fprintf(tw, "param\tS1\t%s\tST\t%s\n", ci, ci)
	for _, ix := range r.Indices {
		fmt.Fprintf(tw, "%s\t%.3f\t[%.3f, %.3f]\t%.3f\t[%.3f, %.3f]\n",
			ix.Name, ix.S1, ix.S1Lo, ix.S1Hi, ix.ST, ix.STLo, ix.STHi)
	}
	tw.Flush()
	fmt.Fprintf(&b, "N=%d base rows (%d dropped), V=%.4g, %d bootstrap resamples\n",
		r.N, r.Dropped, r.Variance, r.Resamples)
	return b.String()
}

// Table renders r as aligned text, one line per parameter in design order:
//
//	param  μ*  μ  σ  n
//
// where n is the number of elementary effects used.
func (r MorrisResult) Table() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "param\tμ*\tμ\tσ\tn\n")
	for _, ix := range r.Indices {
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t%.4g\t%d\n", ix.Name, ix.MuStar, ix.Mu, ix.Sigma, ix.N)
	}
	tw.Flush()
	if r.Dropped > 0 {
		fmt.Fprintf(&b, "%d elementary effects dropped for non-finite outputs\n", r.Dropped)
	}
	return b.String()
}

// barSeries is one group of horizontal bars with optional intervals.
type barSeries struct {
	label  string
	values []float64
	lo, hi []float64 // nil for no intervals
	color  color.Color
}

// Bar colours: a blue and an orange that stay distinct in grey scale.
var (
	colorFirst  = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colorSecond = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
)

// PlotSobol draws r as horizontal bars, S1 and ST side by side for each
// parameter (the first parameter on top), with the bootstrap intervals as
// error bars, and writes it to path. The extension chooses the format:
// .png, .svg or .pdf. The file is written to a temporary file in the same
// directory and renamed, so readers never see a partial chart.
func PlotSobol(r SobolResult, path string) error {
	k := len(r.Indices)
	s1 := barSeries{label: "S1 (first order)", color: colorFirst}
	st := barSeries{label: "ST (total order)", color: colorSecond}
	names := make([]string, k)
	for i, ix := range r.Indices {
		names[i] = ix.Name
		s1.values = append(s1.values, ix.S1)
		s1.lo = append(s1.lo, ix.S1Lo)
		s1.hi = append(s1.hi, ix.S1Hi)
		st.values = append(st.values, ix.ST)
		st.lo = append(st.lo, ix.STLo)
		st.hi = append(st.hi, ix.STHi)
	}
	title := fmt.Sprintf("Sobol' indices (N = %d, %g%% bootstrap CI)", r.N, 100*r.Confidence)
	return plotBars(path, title, "Sobol' index", names, []barSeries{s1, st})
}

// PlotMorris draws r as horizontal bars, μ* and σ side by side for each
// parameter (the first parameter on top), and writes it to path like
// PlotSobol.
func PlotMorris(r MorrisResult, path string) error {
	k := len(r.Indices)
	mu := barSeries{label: "μ*", color: colorFirst}
	sd := barSeries{label: "σ", color: colorSecond}
	names := make([]string, k)
	for i, ix := range r.Indices {
		names[i] = ix.Name
		mu.values = append(mu.values, ix.MuStar)
		sd.values = append(sd.values, ix.Sigma)
	}
	return plotBars(path, "Morris elementary effects", "effect per unit of normalised input", names, []barSeries{mu, sd})
}

// plotBars draws grouped horizontal bars, one group per name, and saves the
// plot atomically to path.
func plotBars(path, title, xlabel string, names []string, series []barSeries) error {
	format, err := plotFormat(path)
	if err != nil {
		return err
	}
	k := len(names)
	if k == 0 {
		return fmt.Errorf("sensitivity: nothing to plot")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Legend.Top = true

	// Category c (bottom to top) shows parameter k−1−c, so that the first
	// parameter is on top. Series s sits at c + offset(s) on the Y axis.
	const groupWidth = 0.7 // share of a category the group of bars fills
	barData := groupWidth / float64(len(series))
	rev := make([]string, k)
	for i, n := range names {
		rev[k-1-i] = n
	}
	// About 0.45 inch per category, one more for the legend, and 1.2 inch
	// for title and axis.
	height := vg.Length(1.2+0.45*float64(k+1)) * vg.Inch
	width := 6 * vg.Inch
	// The data area is roughly the height less the margins; the bar
	// thickness must be given in drawing units.
	barWidth := (height - 1.2*vg.Inch) / vg.Length(k+1) * vg.Length(barData) * 0.9
	for s, ser := range series {
		vals := make(plotter.Values, k)
		for i, v := range ser.values {
			vals[k-1-i] = finiteOr(v, 0)
		}
		bars, err := plotter.NewBarChart(vals, barWidth)
		if err != nil {
			return fmt.Errorf("sensitivity: plot: %w", err)
		}
		off := groupWidth/2 - barData*(float64(s)+0.5) // first series on top
		bars.Horizontal = true
		bars.XMin = off
		bars.Color = ser.color
		bars.LineStyle.Width = 0
		p.Add(bars)
		p.Legend.Add(ser.label, bars)
		if ser.lo == nil {
			continue
		}
		// An error bar drawn from lo with zero low error and hi−lo high
		// error spans [lo, hi] even when the estimate lies outside it.
		var eb intervalBars
		for i := range ser.values {
			lo, hi := ser.lo[i], ser.hi[i]
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
			return fmt.Errorf("sensitivity: plot: %w", err)
		}
		errBars.CapWidth = barWidth * 0.6
		p.Add(errBars)
	}
	p.NominalY(rev...)
	// Leave about one category of room above the bars for the legend.
	p.Y.Min = -0.6
	p.Y.Max = float64(k) + 0.3
	p.Add(plotter.NewGrid())
	return savePlot(p, width, height, format, path)
}

// finiteOr returns v, or def when v is NaN or infinite.
func finiteOr(v, def float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return def
	}
	return v
}

// interval is one error bar spanning [lo, hi] at height y.
type interval struct{ y, lo, hi float64 }

// intervalBars implements plotter.XYer and plotter.XErrorer.
type intervalBars []interval

func (e intervalBars) Len() int                         { return len(e) }
func (e intervalBars) XY(i int) (x, y float64)          { return e[i].lo, e[i].y }
func (e intervalBars) XError(i int) (low, high float64) { return 0, e[i].hi - e[i].lo }

// plotFormat returns the gonum/plot format named by the extension of path.
func plotFormat(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "png", "svg", "pdf":
		return ext, nil
	}
	return "", fmt.Errorf("sensitivity: unsupported plot format %q (want .png, .svg or .pdf)", filepath.Ext(path))
}

// savePlot writes p to a temporary file beside path and renames it to path.
func savePlot(p *plot.Plot, w, h vg.Length, format, path string) (err error) {
	wt, err := p.WriterTo(w, h, format)
	if err != nil {
		return fmt.Errorf("sensitivity: plot: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("sensitivity: plot: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = wt.WriteTo(f); err != nil {
		return fmt.Errorf("sensitivity: plot: %w", err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("sensitivity: plot: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("sensitivity: plot: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("sensitivity: plot: %w", err)
	}
	return nil
}
