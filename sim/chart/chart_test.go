package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/sim"
)

// regen rewrites the golden images in testdata from the current code, as
// gonum/plot's own tests do: go test ./sim/chart -regen.
var regen = flag.Bool("regen", false, "rewrite the golden images in testdata")

// pngTolerance is the largest perceived colour difference allowed per
// pixel, as a share of the largest possible (the YIQ distance of
// gonum.org/v1/plot/cmpimg): anti-aliasing may differ in the last bit
// between CPUs, a changed chart differs by far more.
const pngTolerance = 0.05

// syntheticRun is a fixed run built from closed forms, not a simulation,
// so that golden images change only when drawing does: three platforms
// over 120 days from 2014-01-01, a Spring Festival, a sale and an outage.
func syntheticRun() *Run {
	const days = 120
	run := &Run{Scenario: "synthetic", Seed: 7, Users: 20000, Represents: 600e6, Platforms: []Platform{
		{Name: "alipay", Label: "Alipay", Color: "#1677ff"},
		{Name: "wechat", Label: "WeChat Pay", Color: "#1aad19"},
		{Name: "lakala", Label: "Lakala"}, // no colour: the fallback palette
	}}
	start := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < days; d++ {
		dm := sim.DayMetrics{Day: d, Date: start.AddDate(0, 0, d).Format(time.DateOnly), Platforms: make([]sim.PlatformDay, 3)}
		switch {
		case d >= 29 && d <= 35:
			dm.Events = append(dm.Events, "Spring Festival")
		case d >= 70 && d <= 71:
			dm.Events = append(dm.Events, "flash sale")
		}
		if d >= 34 && d <= 36 {
			dm.Events = append(dm.Events, "Alipay outage")
		}
		t := float64(d)
		// WeChat's share climbs a logistic from 10% towards 45%.
		wShare := 0.10 + 0.35/(1+math.Exp(-(t-40)/8))
		lShare := 0.05 + 0.02*math.Sin(t/9)
		shares := []float64{1 - wShare - lShare, wShare, lShare}
		bound := []float64{6000 + 10*t, 1500 + 8000/(1+math.Exp(-(t-35)/6)), 300 + 2*t}
		for p := range dm.Platforms {
			m := &dm.Platforms[p]
			m.ShareValue = math.Round(shares[p]*1e4) / 1e4 // exact through timeseries.csv's 6 decimals
			m.CardBound = int64(bound[p])
			m.MAU = int64(bound[p] * (0.55 + 0.1*math.Cos(t/15+float64(p))))
			m.TreasuryFen = int64((2e8 - float64(p)*5e7) * (1 - t/300))
		}
		// WeChat pays cashback for its first 60 days, Alipay answers a
		// week later and adds merchant bonuses.
		if d < 60 {
			dm.Platforms[1].SubsidyUserFen = int64(150000 + 50000*math.Sin(t/4))
		}
		if d >= 7 && d < 90 {
			dm.Platforms[0].SubsidyUserFen = 120000
			dm.Platforms[0].SubsidyMerchantFen = 40000
		}
		// Envelopes: peer envelopes on WeChat, peaking at the festival;
		// sponsored ones on Alipay during it.
		peak := math.Exp(-(t - 30) * (t - 30) / 8)
		dm.Platforms[1].EnvelopesP2P = int64(200 + 3000*peak + 5*t)
		if d >= 29 && d <= 35 {
			dm.Platforms[0].EnvelopesSponsored = 900
		}
		run.History = append(run.History, dm)
	}
	return run
}

// checkGolden compares a written chart with testdata/PREFIXNAME_golden.EXT,
// or replaces the golden file under -regen.
func checkGolden(t *testing.T, path, prefix string) {
	t.Helper()
	ext := filepath.Ext(path)
	golden := filepath.Join("testdata", prefix+strings.TrimSuffix(filepath.Base(path), ext)+"_golden"+ext)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	if *regen {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
		return
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "no golden file: run go test ./sim/chart -regen")
	switch ext {
	case ".svg":
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; look at both, and if the change is wanted run go test ./sim/chart -regen", path, golden)
		}
	case ".png":
		if ok, why := samePNG(got, want, pngTolerance); !ok {
			t.Errorf("%s differs from %s: %s; if the change is wanted run go test ./sim/chart -regen", path, golden, why)
		}
	}
}

// samePNG decodes two PNG images and compares them pixel by pixel with
// the YIQ colour distance of Kotsarenko and Ramos, "Measuring perceived
// color difference using YIQ NTSC transmission color space in mobile
// applications" (the measure of gonum.org/v1/plot/cmpimg.EqualApprox).
func samePNG(a, b []byte, tol float64) (bool, string) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return false, "got: " + err.Error()
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return false, "golden: " + err.Error()
	}
	if ia.Bounds() != ib.Bounds() {
		return false, "sizes " + ia.Bounds().String() + " and " + ib.Bounds().String()
	}
	const maxDist = 35215.0 // distance between black and white
	bad := 0
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if yiqDist(ia.At(x, y), ib.At(x, y)) > maxDist*tol*tol {
				bad++
			}
		}
	}
	if bad > 0 {
		return false, strconv.Itoa(bad) + " pixels differ"
	}
	return true, ""
}

func yiqDist(c1, c2 color.Color) float64 {
	r1, g1, b1, _ := c1.RGBA()
	r2, g2, b2, _ := c2.RGBA()
	yiq := func(r, g, b uint32) (float64, float64, float64) {
		R, G, B := float64(r>>8), float64(g>>8), float64(b>>8)
		return R*0.29889531 + G*0.58662247 + B*0.11448223,
			R*0.59597799 - G*0.27417610 - B*0.32180189,
			R*0.21147017 - G*0.52261711 + B*0.31114694
	}
	y1, i1, q1 := yiq(r1, g1, b1)
	y2, i2, q2 := yiq(r2, g2, b2)
	dy, di, dq := y1-y2, i1-i2, q1-q2
	return 0.5053*dy*dy + 0.299*di*di + 0.1957*dq*dq
}

// checkWellFormed decodes a PNG, or parses an SVG as XML with an <svg>
// root element.
func checkWellFormed(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	switch filepath.Ext(path) {
	case ".png":
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		require.NoError(t, err, path)
		require.Positive(t, cfg.Width)
		_, err = png.Decode(bytes.NewReader(b))
		require.NoError(t, err, path)
	case ".svg":
		dec := xml.NewDecoder(bytes.NewReader(b))
		root := ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, path)
			if se, ok := tok.(xml.StartElement); ok && root == "" {
				root = se.Name.Local
			}
		}
		require.Equal(t, "svg", root, path)
	default:
		t.Fatalf("unexpected file %s", path)
	}
}

// chartNames returns the base names of files.
func chartNames(files []string) []string {
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	return names
}

func TestWriteRunChartsGolden(t *testing.T) {
	dir := t.TempDir()
	files, err := WriteRunCharts(dir, syntheticRun(), Options{})
	require.NoError(t, err)
	require.Equal(t, []string{"share.png", "share.svg", "users.png", "users.svg", "money.png", "money.svg",
		"envelopes.png", "envelopes.svg", "overview.png"}, chartNames(files))
	for _, f := range files {
		checkWellFormed(t, f)
		checkGolden(t, f, "")
	}
}

// TestWriteRunChartsRealUnitsDayNumbers covers the other axes: day numbers
// on x, counts and yuan multiplied by the run's scale (600M/20k = 30,000).
func TestWriteRunChartsRealUnitsDayNumbers(t *testing.T) {
	dir := t.TempDir()
	files, err := WriteRunCharts(dir, syntheticRun(), Options{RealUnits: true, DayNumbers: true, Formats: []string{"png"}, NoOverview: true})
	require.NoError(t, err)
	require.Equal(t, []string{"share.png", "users.png", "money.png", "envelopes.png"}, chartNames(files))
	for _, f := range files {
		checkWellFormed(t, f)
		if filepath.Base(f) == "users.png" || filepath.Base(f) == "money.png" {
			checkGolden(t, f, "real_days_")
		}
	}
}

// TestWriteRunChartsDeterministic draws twice and expects the same bytes.
func TestWriteRunChartsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	opts := Options{NoOverview: true}
	fa, err := WriteRunCharts(a, syntheticRun(), opts)
	require.NoError(t, err)
	fb, err := WriteRunCharts(b, syntheticRun(), opts)
	require.NoError(t, err)
	for i := range fa {
		x, err := os.ReadFile(fa[i])
		require.NoError(t, err)
		y, err := os.ReadFile(fb[i])
		require.NoError(t, err)
		require.True(t, bytes.Equal(x, y), "%s drawn twice differs", filepath.Base(fa[i]))
	}
	// No temporary file is left behind.
	entries, err := os.ReadDir(a)
	require.NoError(t, err)
	require.Len(t, entries, len(fa))
}

func TestWriteRunChartsErrors(t *testing.T) {
	dir := t.TempDir()
	empty := syntheticRun()
	empty.History = nil
	ragged := syntheticRun()
	ragged.History[5].Platforms = ragged.History[5].Platforms[:2]
	for _, tc := range []struct {
		name string
		run  *Run
		opts Options
		want string
	}{
		{"nil", nil, Options{}, "chart: no run"},
		{"no days", empty, Options{}, "chart: run has no days"},
		{"ragged", ragged, Options{}, "chart: day 5 has 2 platforms, the run 3"},
		{"format", syntheticRun(), Options{Formats: []string{"pdf"}}, `chart: unknown format "pdf" (png or svg)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WriteRunCharts(dir, tc.run, tc.opts)
			require.EqualError(t, err, tc.want)
		})
	}
}

// TestWriteRunChartsLeaveOutEmpty: a run with no envelopes and no
// subsidies has no envelopes chart and a money chart of treasuries alone,
// instead of empty 0–1 axes.
func TestWriteRunChartsLeaveOutEmpty(t *testing.T) {
	run := syntheticRun()
	for d := range run.History {
		for p := range run.History[d].Platforms {
			m := &run.History[d].Platforms[p]
			m.EnvelopesP2P, m.EnvelopesSponsored, m.SubsidyUserFen, m.SubsidyMerchantFen = 0, 0, 0, 0
		}
	}
	figs := runFigures(run, Options{})
	var names []string
	for _, f := range figs {
		names = append(names, f.name)
	}
	assert.Equal(t, []string{ShareChart, UsersChart, MoneyChart}, names)
	assert.Len(t, figs[2].panels, 1, "no subsidies: the treasury panel alone")
	assert.Contains(t, figs[2].title, "no subsidies")

	files, err := WriteRunCharts(t.TempDir(), run, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"share.png", "share.svg", "users.png", "users.svg", "money.png", "money.svg", "overview.png"}, chartNames(files))
}
