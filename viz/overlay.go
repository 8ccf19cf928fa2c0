package viz

import (
	"fmt"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/viz/live"
	"github.com/paywars/hongbao/viz/scene"
)

// libSource is the runner source of a library scenario.
func libSource(name string, sets []string) live.Source { return live.Library(name, sets) }

// drawBanners draws the announcements of the last days across the top of
// the graph, fading out.
func (g *Game) drawBanners(dst *ebiten.Image, a rect) {
	now := g.now()
	kept := g.banners[:0]
	for _, b := range g.banners {
		if now.Before(b.until) {
			kept = append(kept, b)
		}
	}
	g.banners = kept
	y := a.y + 12
	for _, b := range g.banners {
		w := textWidth(b.text, g.fonts.big) + 28
		box := rect{a.x + (a.w-w)/2, y, w, 32}
		fillRect(dst, box, colShade)
		fillRect(dst, rect{box.x, box.y, 4, box.h}, colAccent)
		drawText(dst, b.text, g.fonts.big, box.x+16, box.y+4, colText)
		y += 38
	}
	// Running events stay listed in the corner of the graph.
	if t := g.snap.Today; t != nil {
		y := a.y + a.h - 22
		for p, pd := range t.Platforms {
			if pd.Outage {
				drawText(dst, label(g.snap, p)+" outage: payments failing", g.fonts.bold, a.x+10, y, colAccent)
				y -= 18
			}
		}
	}
	g.drawLegend(dst, a)
}

// legendBox is where the legend sits in graph area a: its lower right
// corner.
func (g *Game) legendBox(a rect) rect {
	h := 18*float64(len(g.snap.Platforms)+3) + 8
	return rect{a.x + a.w - 204, a.y + a.h - h - 4, 196, h}
}

// drawLegend explains the colours in the graph's lower right corner.
func (g *Game) drawLegend(dst *ebiten.Image, a rect) {
	s := g.snap
	box := g.legendBox(a)
	fillRect(dst, box, colShade)
	x, y := box.x+8, box.y+4
	for p := range s.Platforms {
		fillRect(dst, rect{x, y + 4, 9, 9}, rgba(s.Palette.Dot(p, true)))
		fillRect(dst, rect{x + 11, y + 4, 9, 9}, rgba(s.Palette.Dot(p, false)))
		drawText(dst, label(s, p)+" active / idle", g.fonts.small, x+26, y+2, colDim)
		y += 18
	}
	fillRect(dst, rect{x, y + 4, 20, 9}, rgba(s.Palette.Dot(-1, false)))
	drawText(dst, "no card bound", g.fonts.small, x+26, y+2, colDim)
	y += 18
	fillRect(dst, rect{x, y + 7, 20, 3}, rgba(scene.Envelope))
	drawText(dst, "red envelope", g.fonts.small, x+26, y+2, colDim)
	y += 18
	fillRect(dst, rect{x, y + 7, 20, 3}, rgba(scene.Sponsored))
	drawText(dst, "sponsored envelope", g.fonts.small, x+26, y+2, colDim)
}

// drawTooltip shows the hovered user's standing with every wallet.
func (g *Game) drawTooltip(dst *ebiten.Image, a rect) {
	s := g.snap
	h := s.Hover
	if h == nil || h.Slot != g.hoverSlot || g.hoverSlot < 0 {
		return
	}
	lines := []string{fmt.Sprintf("user %d · %d friends", h.User, h.Friends)}
	if h.Main >= 0 {
		act := "idle"
		if h.Active {
			act = "active"
		}
		lines[0] += fmt.Sprintf(" · pays with %s (%s)", label(s, h.Main), act)
	}
	for p, st := range h.States {
		lines = append(lines, label(s, p)+": "+describeUser(st))
	}
	w := 0.0
	for _, l := range lines {
		w = max(w, textWidth(l, g.fonts.body))
	}
	box := rect{g.mouseX + 16, g.mouseY + 16, w + 20, float64(len(lines))*17 + 12}
	if box.x+box.w > a.x+a.w {
		box.x = g.mouseX - 16 - box.w
	}
	if box.y+box.h > a.y+a.h+districtHeight {
		box.y = g.mouseY - 16 - box.h
	}
	fillRect(dst, box, colShade)
	strokeRect(dst, box, colLine)
	for i, l := range lines {
		c := colText
		if i > 0 {
			c = rgba(s.Palette.Platform[i-1])
		}
		drawText(dst, l, g.fonts.body, box.x+10, box.y+6+float64(i)*17, c)
	}
}

var stageNames = []string{sim.Unaware: "unaware", sim.Aware: "aware", sim.Registered: "registered", sim.CardBound: "card bound"}

// describeUser writes one user's standing with one platform.
func describeUser(st sim.UserState) string {
	var b strings.Builder
	if int(st.Stage) < len(stageNames) {
		b.WriteString(stageNames[st.Stage])
	}
	if st.Dormant {
		b.WriteString(", dormant")
	}
	if st.Stage >= sim.Registered {
		fmt.Fprintf(&b, ", habit %.2f, balance ¥%.2f", st.Habit, scenarios.FenToYuan(st.BalanceFen))
	}
	fmt.Fprintf(&b, ", %d friend%s on it", st.FriendsOn, plural(st.FriendsOn))
	switch {
	case st.ActiveDays == 0:
		b.WriteString(", paid today")
	case st.ActiveDays > 0:
		fmt.Fprintf(&b, ", last paid %d day%s ago", st.ActiveDays, plural(st.ActiveDays))
	}
	return b.String()
}

// overlayBox is the centred box of the help and the library.
func (g *Game) overlayBox(w, h float64) rect {
	return rect{(float64(g.width) - w) / 2, (float64(g.height) - h) / 2, w, h}
}

// drawHelp lists every shortcut and what the mouse does.
// glossary explains the panel's columns and the graph's colours: what a
// newcomer asked about first.
var glossary = [][2]string{
	{"share", "the wallet's share of the value paid by wallet today"},
	{"bound", "users with a bank card bound: only they can pay"},
	{"MAU", "monthly actives: paid with it within retention.active_days (30)"},
	{"treasury", "the platform's money left (its backers' funds)"},
	{"burn/d", "treasury spent a day over the last week; negative burn:"},
	{"", "fees bring in more than subsidies cost, the treasury grows"},
	{"subsidy/d", "cashback, bonuses and sponsored envelopes paid today"},
	{"dots", "users, coloured by the wallet they use most: bright if"},
	{"", "they paid with it within 30 days, dark if idle, grey: no card"},
	{"lines", "red envelopes between friends; gold: sponsored envelopes"},
	{"squares", "merchants, in the colours of the wallets they accept"},
	{"record", "squares on the share chart: shares the record published"},
	{"", "(filled, hollow: two firms; the line under the chart names them)"},
}

func (g *Game) drawHelp(dst *ebiten.Image) {
	n := len(bindings) + len(mouseHelp) + 4
	// The glossary stands beside the shortcuts on a wide screen, below
	// them otherwise.
	wide := g.width >= 1100
	w, h := 620.0, float64(n)*19+40
	if wide {
		w = 1060
	} else {
		h += float64(len(glossary))*19 + 40
	}
	box := g.overlayBox(w, h)
	defer func() {
		x, y := box.x+640, box.y+50
		if !wide {
			x, y = box.x+20, box.y+float64(n)*19+50
		}
		drawText(dst, "what the screen shows", g.fonts.bold, x, y, colText)
		y += 24
		for _, e := range glossary {
			drawText(dst, e[0], g.fonts.bold, x, y, colText)
			drawText(dst, e[1], g.fonts.body, x+76, y, colText)
			y += 19
		}
	}()
	fillRect(dst, rect{0, 0, float64(g.width), float64(g.height)}, colShade)
	fillRect(dst, box, colPanel)
	strokeRect(dst, box, colLine)
	drawText(dst, "hongbao live — shortcuts and legend", g.fonts.big, box.x+20, box.y+14, colText)
	y := box.y + 50
	for _, b := range bindings {
		drawText(dst, b.name, g.fonts.bold, box.x+20, y, colText)
		drawText(dst, b.help, g.fonts.body, box.x+170, y, colText)
		y += 19
	}
	y += 10
	for _, m := range mouseHelp {
		drawText(dst, m[0], g.fonts.bold, box.x+20, y, colText)
		drawText(dst, m[1], g.fonts.body, box.x+170, y, colText)
		y += 19
	}
}

func (g *Game) libraryBox() rect {
	return g.overlayBox(640, float64(len(g.opts.Library))*40+70)
}

func (g *Game) libraryRows() []rect {
	box := g.libraryBox()
	rows := make([]rect, len(g.opts.Library))
	for i := range rows {
		rows[i] = rect{box.x + 10, box.y + 50 + float64(i)*40, box.w - 20, 38}
	}
	return rows
}

// drawLibrary lists the scenarios of the library to choose from.
func (g *Game) drawLibrary(dst *ebiten.Image) {
	box := g.libraryBox()
	fillRect(dst, rect{0, 0, float64(g.width), float64(g.height)}, colShade)
	fillRect(dst, box, colPanel)
	strokeRect(dst, box, colLine)
	drawText(dst, "choose a scenario (↑ ↓ Enter, or click; Esc closes)", g.fonts.big, box.x+20, box.y+14, colText)
	for i, r := range g.libraryRows() {
		e := g.opts.Library[i]
		if i == g.libCursor || r.contains(g.mouseX, g.mouseY) {
			fillRect(dst, r, colControl)
		}
		drawText(dst, e.Name, g.fonts.bold, r.x+10, r.y+3, colText)
		drawText(dst, e.Summary, g.fonts.small, r.x+10, r.y+20, colDim)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
