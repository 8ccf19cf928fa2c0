package sweep

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim/chart"
	"github.com/paywars/hongbao/sim/sensitivity"
)

// Analysis is the sensitivity analysis of one output of a sweep: Sobol'
// indices for a saltelli design, elementary effects for a morris design.
type Analysis struct {
	Output string
	Sobol  *sensitivity.SobolResult
	Morris *sensitivity.MorrisResult
	// Chart is the path of the bar chart written, if any.
	Chart string
}

// Table renders the analysis as aligned text.
func (a Analysis) Table() string {
	if a.Sobol != nil {
		return a.Sobol.Table()
	}
	if a.Morris != nil {
		return a.Morris.Table()
	}
	return ""
}

// AnalyzeOptions configure Analyze. The zero value analyses every output
// with 1,000 bootstrap resamples and a 95% interval, and writes charts
// into the sweep directory.
type AnalyzeOptions struct {
	// Outputs names the outputs to analyse; empty means all.
	Outputs []string
	// Resamples and Confidence configure the bootstrap of Sobol' indices
	// (see sensitivity.SobolOptions).
	Resamples  int
	Confidence float64
	// ChartDir is where charts go: "" means the sweep directory; NoCharts
	// writes none.
	ChartDir string
}

// NoCharts in AnalyzeOptions.ChartDir writes no chart.
const NoCharts = "-"

// Analyze reads a finished sweep directory (a single machine's, or a
// merge's) and analyses its outputs. The design is rebuilt from the sweep
// file its manifest carries; each point's output is its mean over the
// replicates, read from points.csv. A point whose runs all failed drops
// what it touches (sensitivity.NaNDrop) and is counted in the result.
func Analyze(dir string, opt AnalyzeOptions) ([]Analysis, error) {
	m, err := ReadManifest(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("sweep: %s has no %s: is the sweep finished (and merged, if it ran in shards)?", dir, ManifestFile)
	}
	if err != nil {
		return nil, err
	}
	if m.Shard != nil {
		return nil, fmt.Errorf("sweep: %s is one shard; merge the shards first (hongbao merge)", dir)
	}
	spec, err := m.Spec()
	if err != nil {
		return nil, fmt.Errorf("sweep: the manifest's sweep file does not parse:\n%w", err)
	}
	l := spec.layout
	switch spec.Design.Kind {
	case Saltelli, Morris:
	default:
		return nil, fmt.Errorf("sweep: sensitivity needs a saltelli (Sobol' indices) or morris (elementary effects) design; %s has a %s design", dir, spec.Design.Kind)
	}
	outputs := opt.Outputs
	if len(outputs) == 0 {
		for _, o := range spec.Outputs {
			outputs = append(outputs, o.Name)
		}
	}
	for _, name := range outputs {
		found := false
		for _, o := range spec.Outputs {
			found = found || o.Name == name
		}
		if !found {
			return nil, fmt.Errorf("sweep: no output %q in %s%s", name, dir, scenarios.DidYouMean(name, m.Outputs, ""))
		}
	}
	means, err := readPointMeans(filepath.Join(dir, PointsCSV), outputs, l.Points)
	if err != nil {
		return nil, err
	}
	chartDir := opt.ChartDir
	if chartDir == "" {
		chartDir = dir
	}
	var out []Analysis
	for k, name := range outputs {
		a := Analysis{Output: name}
		y := means[k]
		switch spec.Design.Kind {
		case Saltelli:
			r, err := sensitivity.AnalyzeSobol(l.Design, y, sensitivity.SobolOptions{Resamples: opt.Resamples, Confidence: opt.Confidence,
				Seed: mix(spec.Seed, bootstrapSalt), NaN: sensitivity.NaNDrop})
			if err != nil {
				return nil, fmt.Errorf("sweep: output %s: %w", name, err)
			}
			a.Sobol = &r
			if chartDir != NoCharts {
				if a.Chart, err = writeSensitivityChart(chartDir, sobolBars(name, spec.Name, r)); err != nil {
					return nil, fmt.Errorf("sweep: chart for %s: %w", name, err)
				}
			}
		case Morris:
			r, err := sensitivity.AnalyzeMorris(l.Design, y, sensitivity.NaNDrop)
			if err != nil {
				return nil, fmt.Errorf("sweep: output %s: %w", name, err)
			}
			a.Morris = &r
			if chartDir != NoCharts {
				if a.Chart, err = writeSensitivityChart(chartDir, morrisBars(name, spec.Name, r)); err != nil {
					return nil, fmt.Errorf("sweep: chart for %s: %w", name, err)
				}
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// readPointMeans reads the <output>_mean columns of points.csv, one value
// per point in point order; empty cells are NaN.
func readPointMeans(path string, outputs []string, points int) ([][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	cols := make([]int, len(outputs))
	for k, name := range outputs {
		cols[k] = -1
		for i, h := range header {
			if h == name+"_mean" {
				cols[k] = i
			}
		}
		if cols[k] < 0 {
			return nil, fmt.Errorf("sweep: %s has no column %s_mean", path, name)
		}
	}
	out := make([][]float64, len(outputs))
	for row := 0; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			if row != points {
				return nil, fmt.Errorf("sweep: %s has %d points, the design %d", path, row, points)
			}
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("sweep: %s: %w", path, err)
		}
		for k, c := range cols {
			v := math.NaN()
			if rec[c] != "" {
				if v, err = strconv.ParseFloat(rec[c], 64); err != nil {
					return nil, fmt.Errorf("sweep: %s line %d: %w", path, row+2, err)
				}
			}
			out[k] = append(out[k], v)
		}
	}
}

// sobolBars is the chart of an output's Sobol' indices: S1 and ST side by
// side for each parameter with their bootstrap intervals, titled with the
// output's name like every other chart of the project.
func sobolBars(output, sweepName string, r sensitivity.SobolResult) chart.Bars {
	s1 := chart.BarSeries{Label: "S1, first order"}
	st := chart.BarSeries{Label: "ST, total order"}
	var names []string
	for _, ix := range r.Indices {
		names = append(names, ix.Name)
		s1.Values, s1.Lo, s1.Hi = append(s1.Values, ix.S1), append(s1.Lo, ix.S1Lo), append(s1.Hi, ix.S1Hi)
		st.Values, st.Lo, st.Hi = append(st.Values, ix.ST), append(st.Lo, ix.STLo), append(st.Hi, ix.STHi)
	}
	sub := fmt.Sprintf("sweep %s, N = %d base rows, %g%% bootstrap intervals", sweepName, r.N, 100*r.Confidence)
	if len(r.Convergence) > 1 && !r.Converged() {
		sub += "; not settled: the last doubling of N moved an index by " + strconv.FormatFloat(r.LastChange(), 'f', 2, 64)
	}
	return chart.Bars{Name: "sobol-" + output, Title: "Sobol' indices of " + output, Subtitle: sub,
		XLabel: "share of the output's variance", Names: names, Series: []chart.BarSeries{s1, st}}
}

// morrisBars is the chart of an output's Morris screening: μ* and σ side
// by side for each parameter.
func morrisBars(output, sweepName string, r sensitivity.MorrisResult) chart.Bars {
	mu := chart.BarSeries{Label: "μ*, mean |effect|"}
	sd := chart.BarSeries{Label: "σ, spread of effects"}
	var names []string
	for _, ix := range r.Indices {
		names = append(names, ix.Name)
		mu.Values = append(mu.Values, ix.MuStar)
		sd.Values = append(sd.Values, ix.Sigma)
	}
	return chart.Bars{Name: "morris-" + output, Title: "Morris elementary effects on " + output,
		Subtitle: "sweep " + sweepName + "; a large σ beside μ* means interactions or a curved response",
		XLabel:   "effect per unit of normalised input", Names: names, Series: []chart.BarSeries{mu, sd}}
}

// writeSensitivityChart writes b as a PNG into dir and returns its path.
func writeSensitivityChart(dir string, b chart.Bars) (string, error) {
	files, err := chart.WriteBars(dir, b, chart.Options{Formats: []string{"png"}})
	if err != nil {
		return "", err
	}
	return files[0], nil
}
