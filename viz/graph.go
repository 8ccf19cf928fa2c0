package viz

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/paywars/hongbao/viz/live"
	"github.com/paywars/hongbao/viz/scene"
)

// view maps layout units to the graph area: zoom about the area's
// centre, then a pan in pixels.
type view struct {
	zoom       float64
	panX, panY float64
}

// Zoom limits: from the whole picture at half size to single dots.
const minZoom, maxZoom = 0.5, 60

// scale is pixels per layout unit in area a.
func (v view) scale(a rect) float64 { return 0.48 * min(a.w, a.h) * v.zoom }

// toScreen maps a layout point to the screen.
func (v view) toScreen(a rect, x, y float32) (float64, float64) {
	s := v.scale(a)
	return a.x + a.w/2 + v.panX + float64(x)*s, a.y + a.h/2 + v.panY + float64(y)*s
}

// toLayout maps a screen point to layout units.
func (v view) toLayout(a rect, sx, sy float64) (float32, float32) {
	s := v.scale(a)
	return float32((sx - a.x - a.w/2 - v.panX) / s), float32((sy - a.y - a.h/2 - v.panY) / s)
}

// zoomAt multiplies the zoom by f keeping the point under (sx, sy) still.
func (v *view) zoomAt(a rect, sx, sy, f float64) {
	lx, ly := v.toLayout(a, sx, sy)
	v.zoom = min(maxZoom, max(minZoom, v.zoom*f))
	nx, ny := v.toScreen(a, lx, ly)
	v.panX += sx - nx
	v.panY += sy - ny
}

// dotRadius is the radius of a dot in pixels: 0.6 of the spacing of
// neighbours, so that a community reads as a solid disc of colour.
func (g *Game) dotRadius(a rect) float32 {
	px := float64(g.snap.Layout.Spacing) * g.view.scale(a)
	return float32(min(7, max(1.2, 0.6*px)))
}

// drawGraph draws the users, the envelopes in flight and the hovered user.
func (g *Game) drawGraph(screen *ebiten.Image, a rect) {
	s := g.snap
	l := s.Layout
	dst := screen.SubImage(a.image()).(*ebiten.Image)
	rad := g.dotRadius(a)
	sc := float32(g.view.scale(a))
	ox := float32(a.x + a.w/2 + g.view.panX)
	oy := float32(a.y + a.h/2 + g.view.panY)
	x0, y0, x1, y1 := float32(a.x)-2*rad, float32(a.y)-2*rad, float32(a.x+a.w)+2*rad, float32(a.y+a.h)+2*rad

	// Colours of each dot state: 0 none, 1+p inactive, 1+p|ActiveBit
	// active.
	var pal [256][3]float32
	pal[0][0], pal[0][1], pal[0][2] = scene.NoWallet.Floats()
	for p := range s.Platforms {
		c := s.Palette.Dot(p, false)
		pal[p+1][0], pal[p+1][1], pal[p+1][2] = c.Floats()
		c = s.Palette.Dot(p, true)
		q := (p + 1) | scene.ActiveBit
		pal[q][0], pal[q][1], pal[q][2] = c.Floats()
	}

	b := &g.dots
	b.begin(dst, g.disc)
	for i, d := range s.Dots {
		x, y := ox+l.X[i]*sc, oy+l.Y[i]*sc
		if x < x0 || y < y0 || x > x1 || y > y1 {
			continue
		}
		c := &pal[d]
		b.disc(x, y, rad, c[0], c[1], c[2], 1)
	}
	b.flush()
	g.calls += b.calls
	g.dotCalls = b.calls
	b.calls = 0

	if g.flights {
		g.drawFlights(dst, a, rad)
	}
	if h := s.Hover; h != nil && h.Slot == g.hoverSlot {
		x, y := ox+l.X[h.Slot]*sc, oy+l.Y[h.Slot]*sc
		b.begin(dst, g.disc)
		b.disc(x, y, rad+4, 1, 1, 1, 0.9)
		c := s.Palette.Dot(h.Main, true)
		cr, cg, cb := c.Floats()
		b.disc(x, y, rad+2, cr, cg, cb, 1)
		b.flush()
	}
}

// flight is one envelope share in the air.
type flight struct {
	scene.Flow
	start time.Time
}

// maxFlights caps the envelopes in the air: at full speed days follow
// each other faster than flights end.
const maxFlights = 4000

// dayTime is the wall time a simulated day takes at the chosen speed; at
// full speed, the time since the previous day.
func (g *Game) dayTime(now time.Time) time.Duration {
	if sp := live.Speeds[g.state.Speed]; sp > 0 {
		return time.Duration(float64(time.Second) / sp)
	}
	if g.lastDayAt.IsZero() {
		return 100 * time.Millisecond
	}
	return min(time.Second, max(10*time.Millisecond, now.Sub(g.lastDayAt)))
}

// flightTime is how long one envelope takes to cross: half a day, but
// never too quick to see nor slow enough to drag.
func (g *Game) flightTime(day time.Duration) time.Duration {
	return min(800*time.Millisecond, max(300*time.Millisecond, day/2))
}

// launch sends a new day's envelope shares into the air, their starts
// spread over most of the day by a fixed hash of their index (Knuth's
// multiplicative hash), so that a busy day shimmers instead of flashing.
func (g *Game) launch(flows []scene.Flow) {
	now := g.now()
	spread := min(2500*time.Millisecond, g.dayTime(now)*7/10)
	g.lastDayAt = now
	for i, f := range flows {
		frac := float64(uint32(i)*2654435761%1000) / 1000
		g.pool = append(g.pool, flight{Flow: f, start: now.Add(time.Duration(frac * float64(spread)))})
	}
	if n := len(g.pool) - maxFlights; n > 0 {
		g.pool = append(g.pool[:0], g.pool[n:]...)
	}
}

// drawFlights draws the envelopes in the air as short streaks that fly
// from sender to recipient, a gold head leading a red tail; sponsored
// ones drop in gold from above; a group envelope flashes a ring around
// its sender as it bursts to several friends.
func (g *Game) drawFlights(dst *ebiten.Image, a rect, rad float32) {
	s := g.snap
	now := g.now()
	dur := g.flightTime(g.dayTime(now)).Seconds()
	// Drop flights that have landed (after a short fade).
	live := g.pool[:0]
	for _, f := range g.pool {
		if now.Sub(f.start).Seconds() < dur*1.25 {
			live = append(live, f)
		}
	}
	g.pool = live
	if len(g.pool) == 0 {
		return
	}
	l := s.Layout
	sc := float32(g.view.scale(a))
	ox := float32(a.x + a.w/2 + g.view.panX)
	oy := float32(a.y + a.h/2 + g.view.panY)
	er, eg, eb := scene.Envelope.Floats()
	sr, sg, sb := scene.Sponsored.Floats()
	hr, hg, hb := scene.EnvelopeHead.Floats()
	width := float32(min(2.5, max(1, float64(rad)*0.7)))

	b := &g.solid
	b.begin(dst, g.white)
	rings := &g.dots
	rings.begin(dst, g.disc)
	for _, f := range g.pool {
		t := now.Sub(f.start).Seconds() / dur
		if t <= 0 {
			continue
		}
		tx, ty := ox+l.X[f.To]*sc, oy+l.Y[f.To]*sc
		var fx, fy float32
		r, gg, bb := er, eg, eb
		if f.From < 0 { // sponsored: drops in from above
			fx, fy = tx, ty-80
			r, gg, bb = sr, sg, sb
		} else {
			fx, fy = ox+l.X[f.From]*sc, oy+l.Y[f.From]*sc
		}
		head := float32(min(1, t))
		tail := float32(max(0, t-0.25))
		hx, hy := fx+(tx-fx)*head, fy+(ty-fy)*head
		qx, qy := fx+(tx-fx)*tail, fy+(ty-fy)*tail
		alpha := float32(0.85)
		if t > 1 {
			alpha *= float32(1 - (t-1)/0.25)
		}
		b.line(qx, qy, hx, hy, width, r, gg, bb, alpha)
		if f.From >= 0 && t < 1 {
			rings.disc(hx, hy, width, hr, hg, hb, alpha)
		}
		if f.Group && t < 0.5 {
			rings.disc(fx, fy, rad*(2+float32(t)*6), er, eg, eb, 0.25*float32(1-2*t))
		}
		if t >= 1 {
			rings.disc(tx, ty, rad*1.6, r, gg, bb, alpha)
		}
	}
	rings.flush()
	b.flush()
	g.calls += b.calls + rings.calls
	b.calls, rings.calls = 0, 0
}

// drawMerchants draws the district: for each kind a block of squares, each
// striped with the colours of the wallets the merchant accepts (dark when
// it accepts none).
func (g *Game) drawMerchants(screen *ebiten.Image, a rect) {
	s := g.snap
	ml := s.Merchants
	fillRect(screen, a, colPanel)
	drawText(screen, "merchants", g.fonts.small, a.x+8, a.y+3, colDim)
	inner := rect{a.x + 8, a.y + 34, a.w - 16, a.h - 40}
	cell, rows, cols := ml.Fit(int(inner.w), int(inner.h), 12, 8)
	if cell == 0 {
		return
	}
	k := len(s.Platforms)
	b := &g.solid
	b.begin(screen, g.white)
	pad := float32(1)
	if cell <= 3 {
		pad = 0
	}
	nr, ng, nb := scene.NoWallet.Floats()
	var colors [][3]float32
	for p := range k {
		r, gg, bb := s.Palette.Platform[p].Floats()
		colors = append(colors, [3]float32{r, gg, bb})
	}
	x := inner.x
	for ki, kb := range ml.Kinds {
		name := kb.Name
		for room := float64(cols[ki]*cell + 6); len(name) > 1 && textWidth(name, g.fonts.small) > room; {
			name = name[:len(name)-1]
		}
		drawText(screen, name, g.fonts.small, x, a.y+17, colDim)
		for j := range kb.Count {
			acc := s.Accepts[kb.First+j]
			cx := float32(x) + float32(j/rows*cell)
			cy := float32(inner.y) + float32(j%rows*cell)
			side := float32(cell) - pad
			n := 0
			for p := range k {
				if acc&(1<<p) != 0 {
					n++
				}
			}
			if n == 0 {
				b.rect(cx, cy, side, side, nr, ng, nb, 1)
				continue
			}
			w := side / float32(n)
			m := 0
			for p := range k {
				if acc&(1<<p) != 0 {
					c := colors[p]
					b.rect(cx+float32(m)*w, cy, w, side, c[0], c[1], c[2], 1)
					m++
				}
			}
		}
		x += float64(cols[ki]*cell + 12)
	}
	b.flush()
	g.calls += b.calls
	b.calls = 0
}

// hovered finds the dot under the mouse, if any.
func (g *Game) hovered(a rect, mx, my float64) int {
	if g.snap == nil || !a.contains(mx, my) {
		return -1
	}
	lx, ly := g.view.toLayout(a, mx, my)
	r := float64(g.dotRadius(a)) + 3
	return g.snap.Layout.Nearest(lx, ly, float32(r/g.view.scale(a)))
}
