package viz

import (
	"strconv"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/viz/scene"
)

// guide is the state of the guided mode's overlay: the world pauses at
// each stop of the episode (scene.Stops) and the overlay says what just
// happened and what to look for and to try, from the scenario file's
// comments (scenarios.ParseGuide).
type guide struct {
	open bool
	stop *scene.Stop // shown; nil for the introduction at day 0
	// seen is the snapshot day last considered, so that a stop opens
	// the overlay once; -1 for a new world.
	seen int
	// name is the scenario text was read for, and text its guide.
	name string
	text scenarios.Guide
	// wasOpen is whether the overlay was open at the last update.
	wasOpen bool
}

// guided reports whether the guided mode is on.
func (g *Game) guided() bool { return g.state.Guided }

// toggleGuided turns the guided mode on (showing the introduction or the
// stop of the day) or off (closing the overlay).
func (g *Game) toggleGuided() {
	on := !g.state.Guided
	g.r.SetGuided(on)
	g.state.Guided = on // seen at once, before the runner applies it
	if on {
		g.openGuide(true)
	} else {
		g.guide.open = false
	}
}

// openGuide opens the overlay on the stop of the snapshot's day, or on
// the introduction for a new world; other days have nothing to show
// unless always is set (the mode just turned on).
func (g *Game) openGuide(always bool) {
	s := g.snap
	if s == nil || (s.Day == g.guide.seen && !always) {
		return
	}
	// The first snapshot of a world the game sees opens the
	// introduction, on day 0 or later: a running world may have stepped
	// a few days before the first frame (in a browser, always).
	first := g.guide.seen == -1
	g.guide.seen = s.Day
	if g.guide.name != g.state.Name {
		g.guide.name = g.state.Name
		g.guide.text, _ = scenarios.GuideOf(g.state.Name) // no guide text is fine: the stops still show
	}
	g.guide.stop = nil
	for i := range s.Stops {
		if s.Stops[i].Day == s.Day {
			g.guide.stop = &s.Stops[i]
		}
	}
	g.guide.open = always || first || g.guide.stop != nil
}

// closeGuide closes the overlay and runs on from a stop.
func (g *Game) closeGuide() { g.guide.open = false }

// guideKeys continues from the overlay on Enter, Space, C or Esc, and
// turns the guided mode off on G; it reports whether a key was used.
func (g *Game) guideKeys() bool {
	for _, k := range []ebiten.Key{ebiten.KeyEnter, ebiten.KeySpace, ebiten.KeyC, ebiten.KeyEscape} {
		if inpututil.IsKeyJustPressed(k) {
			g.closeGuide()
			return true
		}
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyG) {
		g.toggleGuided()
		return true
	}
	return false
}

// guideLines are the overlay's lines of text, wrapped to width w, each
// with its face and colour.
type guideLine struct {
	text string
	kind int // 0 title, 1 event, 2 heading, 3 body, 4 footer
}

func (g *Game) guideLines(w float64) []guideLine {
	s := g.snap
	var out []guideLine
	title := "guided: " + s.Scenario
	if st := g.guide.stop; st != nil {
		title = st.Date.Format("Mon 2 Jan 2006") + " · day " + strconv.Itoa(st.Day-1)
	}
	out = append(out, guideLine{title, 0})
	if st := g.guide.stop; st != nil {
		for _, l := range st.Lines {
			for _, wl := range scene.Wrap(l, w, func(t string) float64 { return textWidth(t, g.fonts.bold) }) {
				out = append(out, guideLine{wl, 1})
			}
		}
	} else if s.Summary != "" {
		for _, wl := range scene.Wrap(s.Summary, w, func(t string) float64 { return textWidth(t, g.fonts.body) }) {
			out = append(out, guideLine{wl, 3})
		}
	}
	body := func(head, text string) {
		if text == "" {
			return
		}
		out = append(out, guideLine{head, 2})
		for _, wl := range scene.Wrap(text, w, func(t string) float64 { return textWidth(t, g.fonts.body) }) {
			out = append(out, guideLine{wl, 3})
		}
	}
	body("What to look for", g.guide.text.LookFor)
	body("What to try", g.guide.text.Try)
	if g.guide.text.Empty() {
		out = append(out, guideLine{"(the scenario's file has no \"What to look for\" comment)", 3})
	}
	out = append(out, guideLine{"Enter, Space or a click: continue · G: guided mode off · H: help", 4})
	return out
}

// face is the font a line is drawn in.
func (g *Game) guideFace(kind int) *text.GoTextFace {
	switch kind {
	case 0:
		return g.fonts.big
	case 1, 2:
		return g.fonts.bold
	case 4:
		return g.fonts.small
	}
	return g.fonts.body
}

// guideLineHeight is the height of each kind of line.
var guideLineHeight = [...]float64{30, 20, 26, 18, 28}

// fitGuide returns the lines that fit a box at most maxH tall, and the
// box's height: a text too long for the window loses its last body
// lines, marked with "…", never the title or the footer.
func fitGuide(lines []guideLine, maxH float64) ([]guideLine, float64) {
	lines = append([]guideLine(nil), lines...)
	h := 28.0
	for _, l := range lines {
		h += guideLineHeight[l.kind]
	}
	cut := false
	for h > maxH && len(lines) > 3 {
		h -= guideLineHeight[lines[len(lines)-2].kind]
		lines = append(lines[:len(lines)-2], lines[len(lines)-1])
		cut = true
	}
	if cut { // say so: the rest is in the scenario file
		lines[len(lines)-2].text += " …"
	}
	return lines, h
}

// drawGuide draws the guided mode's overlay over the graph and the panel.
func (g *Game) drawGuide(dst *ebiten.Image) {
	w := min(820, float64(g.width)-80)
	lines, h := fitGuide(g.guideLines(w-40), float64(g.height)-40)
	box := g.overlayBox(w, h)
	fillRect(dst, rect{0, 0, float64(g.width), float64(g.height)}, colShade)
	fillRect(dst, box, colPanel)
	strokeRect(dst, box, colLine)
	fillRect(dst, rect{box.x, box.y, 4, box.h}, colAccent)
	y := box.y + 14
	for _, l := range lines {
		dy, c := 0.0, colText
		switch l.kind {
		case 1:
			c = colAccent
		case 2:
			dy = 6
		case 4:
			dy, c = 10, colDim
		}
		drawText(dst, l.text, g.guideFace(l.kind), box.x+20, y+dy, c)
		y += guideLineHeight[l.kind]
	}
}
