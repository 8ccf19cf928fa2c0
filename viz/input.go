package viz

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// binding is one keyboard shortcut; the help overlay lists them all.
type binding struct {
	keys []ebiten.Key
	name string // the keys as the help shows them
	help string
	do   func(g *Game)
}

// bindings are every keyboard shortcut, in the order the help lists them.
var bindings = []binding{
	{[]ebiten.Key{ebiten.KeySpace}, "Space", "play / pause", func(g *Game) { g.r.TogglePlay() }},
	{[]ebiten.Key{ebiten.KeyArrowRight, ebiten.KeyN}, "→ or N", "step one day (pauses)", func(g *Game) { g.r.StepOnce() }},
	{[]ebiten.Key{ebiten.KeyArrowUp, ebiten.KeyEqual, ebiten.KeyNumpadAdd, ebiten.KeyBracketRight}, "↑ + ]", "faster (up to as fast as the engine goes)", func(g *Game) { g.r.Faster() }},
	{[]ebiten.Key{ebiten.KeyArrowDown, ebiten.KeyMinus, ebiten.KeyNumpadSubtract, ebiten.KeyBracketLeft}, "↓ − [", "slower (down to slow motion)", func(g *Game) { g.r.Slower() }},
	{[]ebiten.Key{ebiten.KeyR}, "R", "reset the scenario to day 0", func(g *Game) { g.r.Reset() }},
	{[]ebiten.Key{ebiten.KeyL}, "L", "choose a scenario from the library", func(g *Game) { g.showLibrary = !g.showLibrary; g.showHelp = false }},
	{[]ebiten.Key{ebiten.KeyTab}, "Tab or 1–7", "choose the platform whose levers the panel shows", func(g *Game) { g.nextPlatform() }},
	{[]ebiten.Key{ebiten.KeyS}, "S", "start a Spring Festival now", func(g *Game) { g.startFestival() }},
	{[]ebiten.Key{ebiten.KeyO}, "O", "start an outage of the chosen platform now", func(g *Game) { g.startOutage() }},
	{[]ebiten.Key{ebiten.KeyE}, "E", "show / hide red envelopes in flight", func(g *Game) { g.flights = !g.flights }},
	{[]ebiten.Key{ebiten.KeyF, ebiten.KeyDigit0}, "F or 0", "fit the graph to the window", func(g *Game) { g.view = view{zoom: 1} }},
	{[]ebiten.Key{ebiten.KeyG}, "G", "guided mode: pause at the episode's key events and say what to look for", func(g *Game) { g.toggleGuided() }},
	{[]ebiten.Key{ebiten.KeyP}, "P", "presentation mode: everything 1.5× larger, for a projector", func(g *Game) { g.presentation = !g.presentation }},
	{[]ebiten.Key{ebiten.KeyH, ebiten.KeyF1, ebiten.KeySlash}, "H or ?", "show / hide this help", func(g *Game) { g.showHelp = !g.showHelp; g.showLibrary = false }},
	{[]ebiten.Key{ebiten.KeyEscape}, "Esc", "close the help, the library or the guide", func(g *Game) { g.showHelp, g.showLibrary = false, false; g.closeGuide() }},
}

// mouseHelp lists what the mouse does, for the help overlay.
var mouseHelp = [][2]string{
	{"wheel", "zoom the graph about the pointer"},
	{"drag", "pan the graph"},
	{"hover", "show a user's standing with every wallet"},
	{"click", "buttons, tabs, toggles (lever set by you / by the scenario); drag sliders"},
}

func (g *Game) nextPlatform() {
	if g.snap != nil {
		g.platform = (g.platform + 1) % len(g.snap.Platforms)
	}
}

// handleInput applies this tick's keys and mouse.
func (g *Game) handleInput() {
	if g.showLibrary && g.libraryKeys() {
		return
	}
	if g.guide.open && !g.showHelp && !g.showLibrary && g.guideKeys() {
		return
	}
	for _, b := range bindings {
		for _, k := range b.keys {
			if inpututil.IsKeyJustPressed(k) {
				b.do(g)
				break
			}
		}
	}
	if g.snap != nil {
		for q := range min(7, len(g.snap.Platforms)) {
			if inpututil.IsKeyJustPressed(ebiten.KeyDigit1 + ebiten.Key(q)) {
				g.platform = q
			}
		}
	}
	g.handleMouse()
}

// handleMouse drives the widgets, zoom, pan and hover.
func (g *Game) handleMouse() {
	cx, cy := ebiten.CursorPosition()
	mx, my := float64(cx), float64(cy)
	g.mouseX, g.mouseY = mx, my
	reg := g.regions()
	pressed := inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)
	released := inpututil.IsMouseButtonJustReleased(ebiten.MouseButtonLeft)

	if g.showLibrary && pressed {
		g.clickLibrary(mx, my)
		return
	}
	if g.showHelp && pressed { // a click anywhere closes the help
		g.showHelp = false
		return
	}
	if g.guide.open && pressed { // and the guide, running on
		g.closeGuide()
		return
	}

	// A slider being dragged follows the pointer; the lever is sent at
	// most every 50 ms while dragging and once more when let go.
	if g.active != "" {
		for _, w := range g.ui {
			if w.key == g.active {
				g.dragPos = min(1, max(0, (mx-w.r.x-5)/(w.r.w-10)))
				final := released || !ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft)
				if final || g.now().Sub(g.lastSent) > 50*time.Millisecond {
					w.slide(g.dragPos, final)
					g.lastSent = g.now()
				}
				if final {
					g.active = ""
				}
				return
			}
		}
		g.active = ""
	}
	if pressed {
		for _, w := range g.ui {
			if !w.r.inset(-2).contains(mx, my) {
				continue
			}
			switch w.kind {
			case slider:
				g.active = w.key
				g.dragPos = min(1, max(0, (mx-w.r.x-5)/(w.r.w-10)))
			default:
				if w.click != nil {
					w.click()
				}
			}
			return
		}
		if reg.graph.contains(mx, my) {
			g.panning, g.dragged = true, false
			g.pressX, g.pressY, g.panX0, g.panY0 = mx, my, g.view.panX, g.view.panY
		}
	}
	if g.panning {
		if ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
			if dx, dy := mx-g.pressX, my-g.pressY; dx*dx+dy*dy > 9 {
				g.dragged = true
			}
			if g.dragged {
				g.view.panX, g.view.panY = g.panX0+mx-g.pressX, g.panY0+my-g.pressY
			}
		} else {
			g.panning = false
		}
	}
	if _, wy := ebiten.Wheel(); wy != 0 && reg.graph.contains(mx, my) {
		f := 1.15
		if wy < 0 {
			f = 1 / f
		}
		g.view.zoomAt(reg.graph, mx, my, f)
	}
	slot := -1
	if !g.panning || !g.dragged {
		slot = g.hovered(reg.graph, mx, my)
	}
	if slot != g.hoverSlot {
		g.hoverSlot = slot
		u := -1
		if slot >= 0 {
			u = int(g.snap.Layout.Users[slot])
		}
		g.r.Hover(u)
	}
}

// libraryKeys moves through the scenario list; it reports whether the
// key was used.
func (g *Game) libraryKeys() bool {
	n := len(g.opts.Library)
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyArrowDown):
		g.libCursor = min(n-1, g.libCursor+1)
	case inpututil.IsKeyJustPressed(ebiten.KeyArrowUp):
		g.libCursor = max(0, g.libCursor-1)
	case inpututil.IsKeyJustPressed(ebiten.KeyEnter):
		g.choose(g.libCursor)
	default:
		return false
	}
	return true
}

// choose loads library entry i.
func (g *Game) choose(i int) {
	if i < 0 || i >= len(g.opts.Library) {
		return
	}
	name := g.opts.Library[i].Name
	g.r.Load(name, libSource(name, g.opts.Sets))
	g.showLibrary = false
}

func (g *Game) clickLibrary(mx, my float64) {
	for i, r := range g.libraryRows() {
		if r.contains(mx, my) {
			g.choose(i)
			return
		}
	}
	if !g.libraryBox().contains(mx, my) {
		g.showLibrary = false
	}
}
