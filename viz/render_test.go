package viz

import (
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/paywars/hongbao/agents"
	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/viz/demo"
	"github.com/paywars/hongbao/viz/live"
	"github.com/paywars/hongbao/viz/scene"
)

// The size of test frames: the window's default size.
const frameW, frameH = 1280, 800

// testClock is a clock the test moves by hand, so that frames do not
// depend on how fast the machine is.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

// newTestGame loads the demo world into a runner driven by the test.
func newTestGame(t testing.TB, users, days, maxUsers int) (*Game, *live.Runner, *testClock) {
	t.Helper()
	r := live.New(live.Options{MaxUsers: maxUsers})
	src := func() (*scenarios.Scenario, error) { return demo.Scenario(users, days), nil }
	if err := r.LoadSync("demo", src); err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)}
	g := NewGame(r, Options{Now: clock.now, HideStats: true, Library: scenarios.Library()})
	return g, r, clock
}

// frame draws the game's latest snapshot offscreen, a quarter of a second
// into the day so that envelopes are in flight, and reads it back.
func frame(g *Game, clock *testClock) *image.RGBA {
	g.Layout(frameW, frameH)
	g.sync()
	clock.t = clock.t.Add(250 * time.Millisecond)
	img := ebiten.NewImage(frameW, frameH)
	defer img.Deallocate()
	g.Draw(img)
	out := image.NewRGBA(image.Rect(0, 0, frameW, frameH))
	img.ReadPixels(out.Pix)
	return out
}

// stepTo steps the runner to a day, moving the clock as a running world
// would.
func stepTo(r *live.Runner, clock *testClock, day int) {
	for r.Latest().Day < day {
		r.StepSync(1)
		clock.t = clock.t.Add(time.Second)
	}
}

func near(c color.RGBA, want scene.RGB, tol int) bool {
	d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
	return d(c.R, want.R) <= tol && d(c.G, want.G) <= tol && d(c.B, want.B) <= tol
}

// count counts the pixels of img inside r, but not inside except, that
// are near colour want.
func count(img *image.RGBA, r, except image.Rectangle, want scene.RGB, tol int) int {
	return countIf(img, r, except, func(c color.RGBA) bool { return near(c, want, tol) })
}

func countIf(img *image.RGBA, r, except image.Rectangle, f func(color.RGBA) bool) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !image.Pt(x, y).In(except) && f(img.RGBAAt(x, y)) {
				n++
			}
		}
	}
	return n
}

// envelopeRed is the red of an envelope in flight, blended with what is
// under it: strong red, little green or blue.
func envelopeRed(c color.RGBA) bool {
	return c.R > 150 && c.G < 90 && c.B < 90 && int(c.R)-int(c.G) > 110
}

// differing is the share of pixels in r that differ by more than tol in
// some channel.
func differing(a, b *image.RGBA, r image.Rectangle, tol int) float64 {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p, q := a.RGBAAt(x, y), b.RGBAAt(x, y)
			if !near(p, scene.RGB{R: q.R, G: q.G, B: q.B}, tol) {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}

// saveFrame writes a frame to $VIZ_FRAMES_DIR (if set) for a person to
// look at.
func saveFrame(t *testing.T, name string, img image.Image) {
	dir := os.Getenv("VIZ_FRAMES_DIR")
	if dir == "" {
		return
	}
	if err := writePNG(filepath.Join(dir, name), img); err != nil {
		t.Error(err)
	}
}

func writePNG(path string, img image.Image) error {
	return sim.WriteFileAtomic(path, func(w io.Writer) error { return png.Encode(w, img) })
}

// Tolerances of colour checks: dots are drawn from a filtered sprite, so
// their centre pixels may be a few levels off the platform colour.
const colourTol = 12

// TestFramesShowTheWar draws the demo world on day 0 and on day 30 (the
// first day of its Spring Festival) and checks what a person would see:
// a picture, every platform's colour among the dots, red envelopes in
// flight on the festival, and a change between the two days.
func TestFramesShowTheWar(t *testing.T) {
	g, r, clock := newTestGame(t, 5000, 60, 5000)
	day0 := frame(g, clock)
	stepTo(r, clock, 31) // day 30 simulated
	day30 := frame(g, clock)
	saveFrame(t, "day00.png", day0)
	saveFrame(t, "day30.png", day30)

	// The dots are looked for in the graph, but not in its legend,
	// which shows every colour whatever the world does.
	graph := g.regions().graph.image()
	legend := g.legendBox(g.regions().graph).image()
	for name, img := range map[string]*image.RGBA{"day 0": day0, "day 30": day30} {
		bg := count(img, graph, image.Rectangle{}, scene.Background, 2)
		if share := 1 - float64(bg)/float64(graph.Dx()*graph.Dy()); share < 0.05 {
			t.Errorf("%s: only %.1f%% of the graph area is drawn on", name, 100*share)
		}
		colours := map[color.RGBA]bool{}
		for i := 0; i < len(img.Pix); i += 4 {
			colours[color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 0xff}] = true
		}
		if len(colours) < 100 {
			t.Errorf("%s: %d colours in the frame; a blank or flat picture", name, len(colours))
		}
		s := r.Latest()
		for p, c := range s.Palette.Platform {
			if n := count(img, graph, legend, c, colourTol); n < 3 {
				t.Errorf("%s: %d pixels of %s's colour %s in the graph", name, n, s.Platforms[p].Name, c.Hex())
			}
		}
	}
	// The demo's wallets are green, blue and orange: red in the graph is
	// envelopes in flight, many on the first day of the festival.
	red0, red30 := countIf(day0, graph, legend, envelopeRed), countIf(day30, graph, legend, envelopeRed)
	if red30 < red0+200 {
		t.Errorf("red envelope pixels in the graph: %d on day 0, %d on day 30 (Spring Festival)", red0, red30)
	}
	if d := differing(day0, day30, graph, 24); d < 0.01 {
		t.Errorf("day 0 and day 30 differ in %.2f%% of the graph; the picture does not move", 100*d)
	}
}

// TestOneDrawCallForDots checks that 20,000 dots are one DrawTriangles
// call.
func TestOneDrawCallForDots(t *testing.T) {
	g, _, clock := newTestGame(t, 25000, 5, 20000)
	frame(g, clock)
	if n := len(g.snap.Dots); n != 20000 {
		t.Fatalf("%d dots drawn, want 20000", n)
	}
	if g.dotCalls != 1 {
		t.Errorf("dots took %d DrawTriangles calls, want 1", g.dotCalls)
	}
}

// synthetic is a snapshot made by hand, independent of the model, for the
// golden image of the renderer.
func synthetic() *scene.Snapshot {
	const cliques, size = 40, 24
	adj := make([][]int32, cliques*size)
	link := func(a, b int) {
		adj[a] = append(adj[a], int32(b))
		adj[b] = append(adj[b], int32(a))
	}
	for c := range cliques {
		for i := range size {
			for j := i + 1; j < size; j++ {
				if (i*7+j*3)%4 != 0 { // not quite cliques: varied degrees
					link(c*size+i, c*size+j)
				}
			}
		}
		link(c*size, ((c+1)%cliques)*size+1)
	}
	gr := &sim.Graph{N: cliques * size, Off: make([]int32, cliques*size+1)}
	for u, f := range adj {
		slices.Sort(f)
		gr.Adj = append(gr.Adj, f...)
		gr.Off[u+1] = int32(len(gr.Adj))
	}
	platforms := []sim.PlatformInfo{{Name: "wechat", Label: "WeChat Pay", Color: demo.WeChat},
		{Name: "alipay", Label: "Alipay", Color: demo.Alipay}, {Name: "weibo", Label: "Weibo Pay", Color: demo.Weibo}}
	kinds := []string{"shop", "restaurant", "taxi"}
	s := &scene.Snapshot{
		Scenario: "synthetic", Platforms: platforms, Palette: scene.NewPalette(platforms),
		Layout:    scene.NewLayout(gr, 0, 1),
		Merchants: scene.NewMerchantLayout(300, func(m int) string { return kinds[m%3] }, 0),
		Users:     gr.N, Scale: 1000, Day: 40, Days: 365,
		Date:     time.Date(2014, 2, 9, 0, 0, 0, 0, time.UTC),
		Announce: []string{"Spring Festival begins"},
	}
	s.Dots = make([]uint8, gr.N)
	for i := range s.Dots {
		c := s.Layout.Community[i]
		if i%5 != 0 {
			s.Dots[i] = uint8(c%3 + 1)
			if i%3 != 0 {
				s.Dots[i] |= scene.ActiveBit
			}
		}
	}
	for i := 0; i < gr.N; i += 7 {
		s.Flows = append(s.Flows, scene.Flow{From: int32(i), To: int32((i * 31) % gr.N), Group: i%2 == 0})
	}
	for i := 3; i < gr.N; i += 41 {
		s.Flows = append(s.Flows, scene.Flow{From: -1, To: int32(i), Platform: 1})
	}
	s.Accepts = make([]uint8, 300)
	for i := range s.Accepts {
		s.Accepts[i] = uint8(i*5) % 8
	}
	s.Today = &sim.DayMetrics{Day: 39, Events: []string{"Spring Festival"}}
	// Two record series: a point (a day's figure) and a quarter's.
	s.Record = []scene.RecordMark{{Day: 30, From: 30, To: 30, Share: 0.45, Platform: 1, Marker: 0},
		{Day: 45, From: 0, To: 59, Share: 0.2, Platform: 0, Marker: 1}}
	s.RecordNote, s.RecordScope = []string{"iResearch (fitted)", "Analysys (held out)"}, "synthetic shares"
	s.Levers = []agents.Levers{agents.NoLevers, agents.NoLevers, agents.NoLevers}
	s.Levers[0].CashbackFen = 1200
	s.BurnFen = []float64{2e6, 5e6, -1e5}
	for p := range platforms {
		s.Today.Platforms = append(s.Today.Platforms, sim.PlatformDay{ShareValue: []float64{0.3, 0.6, 0.1}[p],
			CardBound: int64(5000 * (p + 1)), MAU: int64(3000 * (p + 1)), TreasuryFen: 1e9, SubsidyUserFen: 1e5, Outage: p == 2})
		var share, mau []float32
		for d := range 40 {
			share = append(share, float32(0.1+0.25*float64(p)+0.05*math.Sin(float64(d+p*9)/6)))
			mau = append(mau, float32(1000*(p+1)+50*d))
		}
		s.Share, s.MAU = append(s.Share, share), append(s.MAU, mau)
	}
	return s
}

// TestGolden draws the synthetic snapshot and compares it with
// testdata/synthetic.png (go test -update rewrites it). Software and
// hardware GL differ in the last bit of anti-aliasing, so a few
// differing pixels are allowed.
func TestGolden(t *testing.T) {
	r := live.New(live.Options{})
	r.Show(synthetic())
	clock := &testClock{t: time.Date(2014, 2, 9, 0, 0, 0, 0, time.UTC)}
	g := NewGame(r, Options{Now: clock.now, HideStats: true, Library: []scenarios.LibraryEntry{{Name: "synthetic"}}})
	got := frame(g, clock)
	path := filepath.Join("testdata", "synthetic.png")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := writePNG(path, got); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	defer f.Close()
	wantImg, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := image.NewRGBA(wantImg.Bounds())
	for y := range want.Bounds().Dy() {
		for x := range want.Bounds().Dx() {
			want.Set(x, y, wantImg.At(x, y))
		}
	}
	// Allowed: 0.5% of pixels off by more than 48 levels (edges of
	// anti-aliased discs and glyphs).
	const maxShare, tol = 0.005, 48
	if want.Bounds() != got.Bounds() {
		t.Fatalf("golden is %v, frame is %v", want.Bounds(), got.Bounds())
	}
	if d := differing(got, want, got.Bounds(), tol); d > maxShare {
		out := filepath.Join(os.TempDir(), "viz-synthetic-got.png")
		writePNG(out, got)
		t.Errorf("frame differs from %s in %.2f%% of pixels (allowed %.2f%%); got is in %s", path, 100*d, 100*maxShare, out)
	}
}

// TestOverlays checks that the help and the library draw over the frame.
func TestOverlays(t *testing.T) {
	g, _, clock := newTestGame(t, 2000, 10, 2000)
	plain := frame(g, clock)
	g.showHelp = true
	help := frame(g, clock)
	g.showHelp, g.showLibrary = false, true
	lib := frame(g, clock)
	saveFrame(t, "help.png", help)
	saveFrame(t, "library.png", lib)
	all := plain.Bounds()
	if d := differing(plain, help, all, 24); d < 0.15 {
		t.Errorf("help overlay changes %.1f%% of the frame", 100*d)
	}
	if d := differing(plain, lib, all, 24); d < 0.15 {
		t.Errorf("library overlay changes %.1f%% of the frame", 100*d)
	}
}

// widgetByKey finds a control of the panel.
func widgetByKey(t *testing.T, g *Game, key string) widget {
	t.Helper()
	for _, w := range g.ui {
		if w.key == key {
			return w
		}
	}
	t.Fatalf("no widget %q", key)
	return widget{}
}

// TestControlsSteerTheWorld uses the panel's controls as a click would
// and checks the world: sliders set levers, toggles hand them back,
// buttons start events, tabs choose the platform.
func TestControlsSteerTheWorld(t *testing.T) {
	g, r, clock := newTestGame(t, 2000, 40, 1000)
	frame(g, clock)
	widgetByKey(t, g, "tab2").click()
	if g.platform != 2 {
		t.Fatalf("tab 2 chose platform %d", g.platform)
	}
	g.sync()
	for i, spec := range scene.Levers {
		key := "lever2." + string(rune('0'+i))
		widgetByKey(t, g, key).slide(0.5, true)
		r.Sync()
		v, set := spec.Current(r.Latest().Levers[2])
		if !set || math.Abs(v-spec.Value(0.5)) > 1e-9 {
			t.Errorf("%s slider at 0.5: lever %v (set %v), want %v", spec.Name, v, set, spec.Value(0.5))
		}
		g.sync()
		widgetByKey(t, g, key+"t").click() // override off
		r.Sync()
		if _, set := spec.Current(r.Latest().Levers[2]); set {
			t.Errorf("%s toggle did not hand the lever back to the schedule", spec.Name)
		}
		g.sync()
	}
	widgetByKey(t, g, "festival").click()
	widgetByKey(t, g, "outage").click()
	r.Sync()
	r.StepSync(1)
	today := r.Latest().Today
	if !slices.Contains(today.Events, "Spring Festival (live)") || !today.Platforms[2].Outage {
		t.Errorf("after the buttons: events %q, outage of platform 2 %v", today.Events, today.Platforms[2].Outage)
	}
	widgetByKey(t, g, "play").click()
	r.Sync()
	if !r.State().Running {
		t.Error("play did not start the world")
	}
}

// TestBindings checks that no key does two things and that the digits
// that choose a platform are free.
func TestBindings(t *testing.T) {
	seen := map[ebiten.Key]string{}
	for _, b := range bindings {
		if b.help == "" || b.name == "" {
			t.Errorf("binding %v has no help", b.keys)
		}
		for _, k := range b.keys {
			if other, dup := seen[k]; dup {
				t.Errorf("key %v bound to %q and %q", k, other, b.help)
			}
			seen[k] = b.help
			if k >= ebiten.KeyDigit1 && k <= ebiten.KeyDigit7 {
				t.Errorf("key %v is bound but chooses a platform", k)
			}
		}
	}
}

func TestZoomKeepsPointUnderPointer(t *testing.T) {
	const tol = 1e-3
	a := rect{0, 28, 840, 680}
	v := view{zoom: 1}
	lx, ly := v.toLayout(a, 300, 200)
	v.zoomAt(a, 300, 200, 3)
	sx, sy := v.toScreen(a, lx, ly)
	if math.Abs(sx-300) > tol || math.Abs(sy-200) > tol {
		t.Errorf("the point under the pointer moved to %v,%v", sx, sy)
	}
	v.zoomAt(a, 300, 200, 1e6)
	if v.zoom != maxZoom {
		t.Errorf("zoom %v beyond the limit %v", v.zoom, maxZoom)
	}
}

// BenchmarkFrame20k draws a frame of 20,000 dots sampled from 100,000 users
// in the Spring Festival and waits for the GPU (ReadPixels of one pixel).
func BenchmarkFrame20k(b *testing.B) {
	g, r, clock := newTestGame(b, 100000, 40, 20000)
	stepTo(r, clock, 31)
	g.Layout(frameW, frameH)
	g.sync()
	img := ebiten.NewImage(frameW, frameH)
	px := img.SubImage(image.Rect(0, 0, 1, 1)).(*ebiten.Image)
	buf := make([]byte, 4)
	b.ResetTimer()
	for range b.N {
		clock.t = clock.t.Add(16 * time.Millisecond)
		g.Draw(img)
		px.ReadPixels(buf)
	}
	b.ReportMetric(float64(len(g.snap.Dots)), "dots")
	b.ReportMetric(float64(len(g.snap.Flows)), "flights")
}

// TestTableLabelsFit: a platform label too long for the table's first
// column is cut with an ellipsis before the share column, where "Didi
// (WeChat Pay)" used to run into it ("Pa48.9%").
func TestTableLabelsFit(t *testing.T) {
	f := newFonts()
	for _, tt := range []struct {
		s    string
		maxW float64
	}{{"Didi (WeChat Pay)", 60}, {"Didi (WeChat Pay)", 400}, {"Alipay", 30}, {"x", 1}} {
		got := fitText(tt.s, f.body, tt.maxW)
		if w := textWidth(got, f.body); w > tt.maxW {
			t.Errorf("fitText(%q, %v) = %q, %v wide", tt.s, tt.maxW, got, w)
		}
		if textWidth(tt.s, f.body) <= tt.maxW && got != tt.s {
			t.Errorf("fitText(%q, %v) = %q, want it whole", tt.s, tt.maxW, got)
		}
		if got != tt.s && got != "" && !strings.HasSuffix(got, "…") {
			t.Errorf("fitText(%q, %v) = %q without an ellipsis", tt.s, tt.maxW, got)
		}
	}
}

// TestOverlaysPause: opening the help pauses a running world and closing
// it resumes; a world paused by hand stays paused.
func TestOverlaysPause(t *testing.T) {
	g, r, _ := newTestGame(t, 2000, 10, 2000)
	g.opts.NoInput = true
	r.SetRunning(true)
	r.Sync()
	update := func() {
		if err := g.Update(); err != nil {
			t.Fatal(err)
		}
		r.Sync()
	}
	update()
	if !r.State().Running {
		t.Fatal("the world does not run")
	}
	g.showHelp = true
	update()
	if r.State().Running {
		t.Error("the help is open and the world runs on")
	}
	g.showHelp = false
	update()
	if !r.State().Running {
		t.Error("the help closed and the world stays paused")
	}
	r.SetRunning(false)
	r.Sync()
	update()
	g.showLibrary = true
	update()
	g.showLibrary = false
	update()
	if r.State().Running {
		t.Error("closing the library started a world paused by hand")
	}
}

// TestPresentationMode: in presentation mode a 1920×1080 projector is laid
// out as 1280×720 and scaled up, so everything is 1.5 times larger; P
// toggles it.
func TestPresentationMode(t *testing.T) {
	g, _, clock := newTestGame(t, 2000, 10, 2000)
	if w, h := g.Layout(1920, 1080); w != 1920 || h != 1080 {
		t.Errorf("normal mode lays out %d×%d", w, h)
	}
	for _, b := range bindings {
		if b.name == "P" {
			b.do(g)
		}
	}
	if w, h := g.Layout(1920, 1080); w != 1280 || h != 720 {
		t.Errorf("presentation mode lays out %d×%d, want 1280×720", w, h)
	}
	if w, h := g.Layout(800, 600); w != 640 || h != 480 {
		t.Errorf("a small window in presentation mode lays out %d×%d, want the 640×480 floor", w, h)
	}
	_ = frame(g, clock) // draws without trouble at the smaller layout
}
