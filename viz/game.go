package viz

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/viz/live"
	"github.com/paywars/hongbao/viz/scene"
)

// Options configure a Game. The zero value is the interactive app.
type Options struct {
	// Now is the clock that animates envelope flights and banners;
	// nil means time.Now. Tests pass a fixed clock for stable frames.
	Now func() time.Time
	// HideStats leaves the frame rate and timings out of the top bar,
	// so that test frames do not depend on the machine.
	HideStats bool
	// Library lists the scenarios the chooser offers; nil means
	// scenarios.Library().
	Library []scenarios.LibraryEntry
	// Sets are --set overrides applied to every scenario chosen.
	Sets []string
	// NoInput ignores the keyboard and the mouse (screenshots: the
	// pointer of a virtual display would hover a user).
	NoInput bool
	// Stats, if not nil, receives the timings of every frame.
	Stats func(FrameStats)
	// Presentation starts in presentation mode (see PresentationScale).
	Presentation bool
}

// The guided mode is the runner's (live.Options.Guided, key G): the game
// shows its overlay whenever the runner is guided.

// PresentationScale is how much larger everything is drawn in
// presentation mode (key P): the screen is laid out for a window this
// many times smaller and scaled up, so type read at 13 px reads at 20,
// legible from the back of a classroom on a 1920×1080 projector (laid
// out as 1280×720).
const PresentationScale = 1.5

// FrameStats are the timings of one frame, for logs and benchmarks.
type FrameStats struct {
	Day       int
	FPS, TPS  float64       // ebiten.ActualFPS and ActualTPS
	Draw      time.Duration // CPU time of Game.Draw
	Step      time.Duration // the last Step of the world
	Capture   time.Duration // building the last snapshot
	DrawCalls int           // DrawTriangles calls of the batched layers
}

// Game is the ebiten.Game of the visualizer: it reads input, steers the
// runner and draws the runner's latest snapshot.
type Game struct {
	r    *live.Runner
	opts Options
	now  func() time.Time

	width, height int
	view          view
	fonts         fonts
	disc, white   *ebiten.Image
	dots, solid   batch

	snap  *scene.Snapshot // drawn this frame
	state live.State

	pool      []flight  // envelopes in the air, oldest first
	lastDayAt time.Time // when the last new day appeared

	platform     int // platform whose levers the panel shows
	showHelp     bool
	showLibrary  bool
	presentation bool // everything PresentationScale times larger
	// overlayOpen is whether the help or the library was open at the last
	// update; pausedByOverlay whether opening it paused a running world,
	// which closing it then resumes.
	overlayOpen, pausedByOverlay bool
	libCursor                    int
	flights                      bool // envelope flights drawn
	hoverSlot                    int
	mouseX                       float64
	mouseY                       float64

	ui       []widget
	active   string  // key of the slider being dragged
	dragPos  float64 // its position
	lastSent time.Time
	panning  bool
	pressX   float64
	pressY   float64
	panX0    float64
	panY0    float64
	dragged  bool

	guide guide // the guided mode's overlay

	banners     []banner
	announceDay int

	lastDraw time.Duration
	calls    int // DrawTriangles calls of the batched layers this frame
	dotCalls int // of which for the dots
}

// banner is an announcement shown for a few seconds.
type banner struct {
	text  string
	until time.Time
}

// NewGame returns the game that shows and steers r.
func NewGame(r *live.Runner, opts Options) *Game {
	g := &Game{r: r, opts: opts, now: opts.Now, flights: true, hoverSlot: -1, announceDay: -1, presentation: opts.Presentation}
	g.guide.seen = -1
	if g.now == nil {
		g.now = time.Now
	}
	if g.opts.Library == nil {
		g.opts.Library = scenarios.Library()
	}
	g.fonts = newFonts()
	g.disc = newDiscImage()
	g.white = newWhiteImage()
	g.view.zoom = 1
	g.width, g.height = 1280, 800
	return g
}

// Layout implements ebiten.Game: the screen is as large as the window,
// or PresentationScale times smaller in presentation mode, scaled up.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	scale := 1.0
	if g.presentation {
		scale = PresentationScale
	}
	g.width, g.height = max(640, int(float64(outsideWidth)/scale)), max(480, int(float64(outsideHeight)/scale))
	return g.width, g.height
}

// Update implements ebiten.Game: it reads the latest snapshot and input.
func (g *Game) Update() error {
	g.sync()
	if !g.opts.NoInput {
		g.handleInput()
	}
	g.pauseUnderOverlays()
	return nil
}

// pauseUnderOverlays pauses a running world while the help or the library
// covers it, so that nothing is missed while reading, and resumes it when
// they close.
func (g *Game) pauseUnderOverlays() {
	open := g.showHelp || g.showLibrary || g.guide.open
	// Closing the guide at a stop of the guided mode runs on: the
	// runner paused there, not the reader.
	if g.guide.wasOpen && !g.guide.open && g.state.Stopped && !open {
		g.r.SetRunning(true)
	}
	g.guide.wasOpen = g.guide.open
	if open == g.overlayOpen {
		return
	}
	g.overlayOpen = open
	switch {
	case open && g.state.Running:
		g.r.SetRunning(false)
		g.pausedByOverlay = true
	case !open && g.pausedByOverlay:
		g.r.SetRunning(true)
		g.pausedByOverlay = false
	}
}

// sync takes the latest snapshot and lays out the controls for it.
func (g *Game) sync() {
	g.refresh()
	g.ui = g.layoutWidgets()
}

// refresh takes the runner's latest snapshot and state, and queues the
// announcements of a new day.
func (g *Game) refresh() {
	g.state = g.r.State()
	snap := g.r.Latest()
	if snap == nil {
		g.snap = nil
		return
	}
	newDay := g.snap == nil || snap.Day != g.snap.Day || snap.Layout != g.snap.Layout
	if g.snap == nil || snap.Layout != g.snap.Layout || snap.Day < g.snap.Day {
		g.pool = g.pool[:0] // a new world, or the same from the start
	}
	if newDay {
		g.launch(snap.Flows)
	}
	if g.snap != nil && snap.Layout != g.snap.Layout {
		g.view = view{zoom: 1}
		g.platform = 0
		g.announceDay = -1
		g.banners = g.banners[:0]
		g.guide.seen, g.guide.open = -1, false
	}
	g.snap = snap
	if g.state.Guided {
		g.openGuide(false)
	}
	if g.platform >= len(snap.Platforms) {
		g.platform = 0
	}
	if snap.Day != g.announceDay {
		g.announceDay = snap.Day
		until := g.now().Add(4 * time.Second)
		for _, a := range snap.Announce {
			g.banners = append(g.banners, banner{text: a, until: until})
		}
		if len(g.banners) > 4 {
			g.banners = g.banners[len(g.banners)-4:]
		}
	}
}

// Draw implements ebiten.Game.
func (g *Game) Draw(screen *ebiten.Image) {
	t0 := time.Now()
	g.calls = 0
	screen.Fill(rgba(scene.Background))
	if g.snap == nil {
		g.refresh()
	}
	if g.ui == nil {
		g.ui = g.layoutWidgets()
	}
	reg := g.regions()
	if g.snap == nil {
		msg := "building the world…"
		if g.state.Message != "" {
			msg = g.state.Message
		}
		drawText(screen, msg, g.fonts.big, 40, 40, colText)
		return
	}
	g.drawGraph(screen, reg.graph)
	g.drawMerchants(screen, reg.district)
	g.drawTopBar(screen, reg.top)
	g.drawPanel(screen, reg.panel)
	g.drawBanners(screen, reg.graph)
	g.drawTooltip(screen, reg.graph)
	if g.guide.open {
		g.drawGuide(screen)
	}
	if g.showLibrary {
		g.drawLibrary(screen)
	}
	if g.showHelp {
		g.drawHelp(screen)
	}
	g.lastDraw = time.Since(t0)
	if g.opts.Stats != nil {
		g.opts.Stats(FrameStats{Day: g.snap.Day, FPS: ebiten.ActualFPS(), TPS: ebiten.ActualTPS(),
			Draw: g.lastDraw, Step: g.snap.StepTime, Capture: g.snap.CaptureTime, DrawCalls: g.calls})
	}
}

// regions splits the screen: a top bar, the graph with the merchant
// district under it, and the panel on the right.
type regions struct {
	top, graph, district, panel rect
}

const (
	topBarHeight   = 28
	districtHeight = 92
)

func (g *Game) regions() regions {
	w, h := float64(g.width), float64(g.height)
	pw := min(440, max(360, w*0.34))
	return regions{
		top:      rect{0, 0, w, topBarHeight},
		graph:    rect{0, topBarHeight, w - pw, h - topBarHeight - districtHeight},
		district: rect{0, h - districtHeight, w - pw, districtHeight},
		panel:    rect{w - pw, topBarHeight, pw, h - topBarHeight},
	}
}

// label is a platform's display name.
func label(s *scene.Snapshot, p int) string {
	if s.Platforms[p].Label != "" {
		return s.Platforms[p].Label
	}
	return s.Platforms[p].Name
}

// speedLabel writes Speeds[i].
func speedLabel(i int) string {
	d := live.Speeds[i]
	switch {
	case d == 0:
		return "max speed"
	case d < 1:
		return fmt.Sprintf("%g day/s", d)
	default:
		return fmt.Sprintf("%g days/s", d)
	}
}
