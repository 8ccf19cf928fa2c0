package viz

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/viz/scene"
)

// widgetKind is what a widget does when used.
type widgetKind int

const (
	button widgetKind = iota
	toggle
	slider
	tab
)

// widget is one control of the panel, laid out afresh every tick from the
// latest snapshot (an immediate-mode interface).
type widget struct {
	key   string
	kind  widgetKind
	r     rect
	label string
	on    bool    // toggle state, selected tab, pressed button
	pos   float64 // slider position, 0..1
	value string  // slider value, as text
	color color.RGBA
	// click runs on a press of a button, toggle or tab.
	click func()
	// slide runs while a slider is dragged and, with final set, when it
	// is let go.
	slide func(pos float64, final bool)
}

// panelParts splits the panel from the top: the dashboard table, the two
// charts, the levers of one platform, the event buttons and the run
// controls.
type panelParts struct {
	table, share, mau, levers, events, controls rect
}

const (
	rowHeight    = 18
	sliderHeight = 34
	buttonHeight = 24
)

func (g *Game) panelParts(p rect) panelParts {
	in := rect{p.x + 10, p.y + 8, p.w - 20, p.h - 16}
	k := 3
	if g.snap != nil {
		k = len(g.snap.Platforms)
	}
	var pp panelParts
	pp.controls = rect{in.x, in.y + in.h - buttonHeight, in.w, buttonHeight}
	pp.events = rect{in.x, pp.controls.y - buttonHeight - 6, in.w, buttonHeight}
	lh := float64(buttonHeight + 6 + len(scene.Levers)*sliderHeight)
	pp.levers = rect{in.x, pp.events.y - lh - 8, in.w, lh}
	th := float64(rowHeight * (k + 2))
	pp.table = rect{in.x, in.y, in.w, th}
	chartTop := in.y + th + 8
	ch := (pp.levers.y - 12 - chartTop) / 2
	pp.share = rect{in.x, chartTop, in.w, ch - 4}
	pp.mau = rect{in.x, chartTop + ch, in.w, ch - 4}
	return pp
}

// layoutWidgets builds the controls from the latest snapshot and state.
func (g *Game) layoutWidgets() []widget {
	var ws []widget
	reg := g.regions()
	pp := g.panelParts(reg.panel)

	// Run controls.
	st := g.state
	play := "play"
	if st.Running {
		play = "pause"
	}
	row := []struct {
		key, label string
		w          float64
		click      func()
	}{
		{"play", play, 60, g.r.TogglePlay},
		{"step", "step", 50, g.r.StepOnce},
		{"slower", "−", 24, g.r.Slower},
		{"faster", "+", 24, g.r.Faster},
		{"reset", "reset", 52, g.r.Reset},
		{"library", "scenario…", 78, func() { g.showLibrary = !g.showLibrary; g.showHelp = false }},
		{"help", "help", 44, func() { g.showHelp = !g.showHelp; g.showLibrary = false }},
	}
	x := pp.controls.x
	for _, b := range row {
		ws = append(ws, widget{key: b.key, kind: button, r: rect{x, pp.controls.y, b.w, buttonHeight}, label: b.label, click: b.click})
		x += b.w + 4
	}
	if g.snap == nil {
		return ws
	}
	s := g.snap
	p := g.platform

	// Events.
	half := (pp.events.w - 4) / 2
	ws = append(ws,
		widget{key: "festival", kind: button, r: rect{pp.events.x, pp.events.y, half, buttonHeight},
			label: "Spring Festival now", click: g.startFestival},
		widget{key: "outage", kind: button, r: rect{pp.events.x + half + 4, pp.events.y, half, buttonHeight},
			label: "outage of " + label(s, p) + " now", click: g.startOutage},
	)

	// Platform tabs.
	k := len(s.Platforms)
	tw := (pp.levers.w - float64(k-1)*4) / float64(k)
	for q := range k {
		ws = append(ws, widget{key: fmt.Sprint("tab", q), kind: tab, r: rect{pp.levers.x + float64(q)*(tw+4), pp.levers.y, tw, buttonHeight},
			label: label(s, q), on: q == p, color: rgba(s.Palette.Platform[q]), click: func() { g.platform = q }})
	}

	// Levers of the selected platform: an override toggle and a slider.
	y := pp.levers.y + buttonHeight + 6
	for i, spec := range scene.Levers {
		key := fmt.Sprintf("lever%d.%d", p, i)
		v, set := spec.Current(s.Levers[p])
		if !set {
			v = spec.Scheduled(s, p)
		}
		pos := spec.Pos(v)
		if g.active == key {
			pos, v, set = g.dragPos, spec.Value(g.dragPos), true
		}
		val := spec.Format(v)
		if !set {
			val += " (schedule)"
		}
		ws = append(ws, widget{key: key + "t", kind: toggle, r: rect{pp.levers.x, y + 16, 14, 14}, label: spec.Name, on: set,
			click: func() {
				if set {
					g.r.SetLever(p, spec.Lever, -1)
				} else {
					g.r.SetLever(p, spec.Lever, spec.Value(pos))
				}
			}})
		ws = append(ws, widget{key: key, kind: slider, r: rect{pp.levers.x + 22, y + 14, pp.levers.w - 22, 18}, label: spec.Name,
			on: set, pos: pos, value: val, color: rgba(s.Palette.Platform[p]),
			slide: func(pos float64, final bool) { g.r.SetLever(p, spec.Lever, spec.Value(pos)) }})
		y += sliderHeight
	}
	return ws
}

// startFestival starts a week of Spring Festival now: spending ×1.3 and
// envelopes ×20 (×60 on New Year's Eve), the magnitudes of the library's
// Spring Festival events.
func (g *Game) startFestival() {
	g.r.StartEvent(scenarios.Event{Kind: "spring_festival", Name: "Spring Festival (live)", Days: 7,
		Spending: 1.3, Envelopes: 20, EveEnvelopes: 60})
}

// startOutage makes the selected platform fail half its payments for two
// days.
func (g *Game) startOutage() {
	if g.snap == nil {
		return
	}
	p := g.platform
	g.r.StartEvent(scenarios.Event{Kind: "outage", Name: label(g.snap, p) + " outage (live)", Days: 2,
		Platform: g.snap.Platforms[p].Name, Severity: 0.5, Spending: 1, Envelopes: 1})
}

// drawTopBar draws the scenario, the date, the run state and timings.
func (g *Game) drawTopBar(dst *ebiten.Image, a rect) {
	s := g.snap
	fillRect(dst, a, colPanel)
	title := "hongbao · " + s.Scenario
	drawText(dst, title, g.fonts.bold, 10, 7, colText)
	x := 20 + textWidth(title, g.fonts.bold)
	date := fmt.Sprintf("%s · day %d", s.Date.Format("Mon 2 Jan 2006"), max(0, s.Day-1))
	if s.Day == 0 {
		date = s.Date.Format("Mon 2 Jan 2006") + " · not started"
	}
	date += fmt.Sprintf(" (%d of %d days run)", s.Day, s.Days)
	drawText(dst, date, g.fonts.bold, x, 7, colText)
	x += 20 + textWidth(date, g.fonts.bold)
	run := "paused"
	if g.state.Running {
		run = "running"
	}
	if g.state.Loading {
		run = "building " + g.state.Name + "…"
	}
	info := run + " · " + speedLabel(g.state.Speed)
	if g.state.Guided {
		info += " · guided (G)"
	}
	if s.Today != nil && len(s.Today.Events) > 0 {
		info += " · " + strings.Join(s.Today.Events, ", ")
	}
	drawText(dst, info, g.fonts.body, x, 7, colDim)
	if !g.opts.HideStats {
		stats := fmt.Sprintf("%.0f fps · draw %.1f ms · step %.0f ms · H help", ebiten.ActualFPS(),
			float64(g.lastDraw.Microseconds())/1000, float64(s.StepTime.Microseconds())/1000)
		drawTextRight(dst, stats, g.fonts.small, a.w-10, 8, colDim)
	} else {
		drawTextRight(dst, "H help", g.fonts.small, a.w-10, 8, colDim)
	}
	if g.state.Message != "" {
		drawText(dst, g.state.Message, g.fonts.small, 10, a.h+4, colDim)
	}
}

// drawPanel draws the dashboard, the charts and the controls.
func (g *Game) drawPanel(dst *ebiten.Image, a rect) {
	s := g.snap
	fillRect(dst, a, colPanel)
	vector.StrokeLine(dst, float32(a.x)+0.5, float32(a.y), float32(a.x)+0.5, float32(a.y+a.h), 1, colLine, false)
	pp := g.panelParts(a)
	g.drawTable(dst, pp.table)
	k := len(s.Platforms)
	share := make([][]float32, k)
	copy(share, s.Share)
	shareBox := pp.share
	if len(s.Record) > 0 { // a line under the chart names the record's sources
		shareBox.h -= recordNoteHeight
	}
	g.drawChart(dst, shareBox, "share of wallet payment value", share, 1, scene.Percent)
	if len(s.Record) > 0 {
		g.drawRecord(dst, shareBox, rect{pp.share.x, shareBox.y + shareBox.h + 1, pp.share.w, recordNoteHeight})
	}
	mau := make([][]float32, k)
	copy(mau, s.MAU)
	peak := float32(1)
	for _, m := range mau {
		for _, v := range m {
			peak = max(peak, v)
		}
	}
	g.drawChart(dst, pp.mau, "monthly active users", mau, float64(peak), func(v float64) string { return scene.Count(v * s.Scale) })
	for _, w := range g.ui {
		g.drawWidget(dst, w)
	}
}

// drawTable draws one row per platform: share of payment value, card-bound
// users, monthly actives, treasury, burn rate and subsidies of the day, in
// real units (times the scenario's scale).
func (g *Game) drawTable(dst *ebiten.Image, a rect) {
	s := g.snap
	drawText(dst, "wallet", g.fonts.small, a.x, a.y, colDim)
	for _, c := range scene.TableColumns {
		drawTextRight(dst, c.Head, g.fonts.small, a.x+c.X*a.w, a.y, colDim)
	}
	for p := range s.Platforms {
		y := a.y + float64(rowHeight*(p+1))
		fillRect(dst, rect{a.x, y + 3, 10, 10}, rgba(s.Palette.Platform[p]))
		// A platform in an outage is named in red, with a mark.
		name, c := label(s, p), colText
		if s.Today != nil && s.Today.Platforms[p].Outage {
			name, c = name+" !", colAccent
		}
		// The name ends before the widest share ("100.0%") and a gap.
		nameW := scene.TableColumns[0].X*a.w - 16 - textWidth("100.0%", g.fonts.body) - 8
		drawText(dst, fitText(name, g.fonts.body, nameW), g.fonts.body, a.x+16, y, c)
		for i, v := range scene.TableRow(s, p) {
			drawTextRight(dst, v, g.fonts.body, a.x+scene.TableColumns[i].X*a.w, y, colText)
		}
	}
	note := "figures for the whole population"
	if s.Scale == 1 {
		note = "figures of the simulated users"
	}
	drawText(dst, note+fmt.Sprintf(" (%s simulated users)", scene.Count(float64(s.Users))), g.fonts.small, a.x, a.y+float64(rowHeight*(len(s.Platforms)+1))+2, colDim)
}

// drawChart draws one line per platform over the horizon, from day 0 to
// the last day simulated, scaled to top.
func (g *Game) drawChart(dst *ebiten.Image, a rect, title string, series [][]float32, top float64, format func(float64) string) {
	s := g.snap
	drawText(dst, title, g.fonts.small, a.x, a.y, colDim)
	drawTextRight(dst, format(top), g.fonts.small, a.x+a.w, a.y, colDim)
	plot := rect{a.x, a.y + 16, a.w, a.h - 30}
	if plot.h < 10 {
		return
	}
	fillRect(dst, plot, chartBackground)
	for _, f := range []float64{0.25, 0.5, 0.75} {
		y := float32(plot.y + plot.h*(1-f))
		vector.StrokeLine(dst, float32(plot.x), y, float32(plot.x+plot.w), y, 1, colLine, false)
	}
	days := chartDays(s.Day, s.Days)
	start := s.Date.AddDate(0, 0, -max(0, s.Day-1))
	drawText(dst, start.Format("2006-01-02"), g.fonts.small, plot.x, plot.y+plot.h+2, colDim)
	drawTextRight(dst, start.AddDate(0, 0, days).Format("2006-01-02"), g.fonts.small, plot.x+plot.w, plot.y+plot.h+2, colDim)
	b := &g.solid
	b.begin(dst, g.white)
	for p, line := range series {
		if len(line) < 2 {
			continue
		}
		r, gg, bb := s.Palette.Platform[p].Floats()
		// One vertex per pixel column at most.
		step := max(1, len(line)/int(plot.w))
		px, py := float32(0), float32(0)
		for d := 0; d < len(line); d += step {
			x := float32(plot.x + plot.w*float64(d)/float64(days))
			y := float32(plot.y + plot.h*(1-float64(line[d])/top))
			if d > 0 {
				b.line(px, py, x, y, 1.6, r, gg, bb, 1)
			}
			px, py = x, y
		}
		last := len(line) - 1
		x := float32(plot.x + plot.w*float64(last)/float64(days))
		y := float32(plot.y + plot.h*(1-float64(line[last])/top))
		b.line(px, py, x, y, 1.6, r, gg, bb, 1)
	}
	b.flush()
	g.calls += b.calls
	b.calls = 0
}

// recordNoteHeight is the height of the line of the record's sources.
const recordNoteHeight = 16

// recordMarkSize is the side of a record mark, in pixels: larger than the
// lines (1.6) so that it reads as a point, not a wiggle.
const recordMarkSize = 8

// drawRecord draws the record's published shares on the share chart
// drawn in chart (the same plot as drawChart's), as squares in the
// platform's colour, filled for the first series and hollow for the
// second, with a bar over the period a figure covers (a quarter, a year);
// and, in note, which firm published each series and what it measures.
// Figures beyond the chart's time axis wait until it extends to them.
func (g *Game) drawRecord(dst *ebiten.Image, chart, note rect) {
	s := g.snap
	plot := rect{chart.x, chart.y + 16, chart.w, chart.h - 30}
	if plot.h < 10 {
		return
	}
	days := float64(chartDays(s.Day, s.Days))
	xOf := func(d int) float64 { return plot.x + plot.w*float64(d)/days }
	for _, m := range s.Record {
		if float64(m.Day) > days || m.Platform >= len(s.Platforms) {
			continue
		}
		c := rgba(s.Palette.Platform[m.Platform])
		// A figure of the last day stands at the plot's right edge: kept
		// whole inside it.
		x := min(xOf(m.Day), plot.x+plot.w-recordMarkSize/2-1)
		y := plot.y + plot.h*(1-m.Share)
		if m.To > m.From {
			x0, x1 := xOf(m.From), min(xOf(m.To+1), plot.x+plot.w)
			fillRect(dst, rect{x0, y - 1, x1 - x0, 2}, c)
		}
		drawMarker(dst, x, y, m.Marker, c)
	}
	x := note.x
	drawText(dst, "record:", g.fonts.small, x, note.y, colDim)
	x += textWidth("record:", g.fonts.small) + 6
	for i, src := range s.RecordNote {
		drawMarker(dst, x+recordMarkSize/2, note.y+8, i, colText)
		x += recordMarkSize + 4
		t := fitText(src, g.fonts.small, note.x+note.w-x)
		drawText(dst, t, g.fonts.small, x, note.y, colDim)
		x += textWidth(t, g.fonts.small) + 10
	}
	if s.RecordScope != "" && x < note.x+note.w {
		drawText(dst, fitText("· "+s.RecordScope, g.fonts.small, note.x+note.w-x), g.fonts.small, x, note.y, colDim)
	}
}

// drawMarker draws a record mark centred on (x, y): marker 0 a filled
// square, any other a hollow one, each ringed in the chart's background
// so that it stands out on a line of its own colour.
func drawMarker(dst *ebiten.Image, x, y float64, marker int, c color.RGBA) {
	const h = recordMarkSize / 2
	r := rect{x - h, y - h, recordMarkSize, recordMarkSize}
	fillRect(dst, r.inset(-1), chartBackground)
	if marker == 0 {
		fillRect(dst, r, c)
		return
	}
	strokeRect(dst, r, c)
	strokeRect(dst, r.inset(1), c)
}

// chartBackground is the colour of the charts' plots.
var chartBackground = color.RGBA{0x12, 0x16, 0x1c, 0xff}

// chartDays is the span of the charts' time axis: the first of two
// months, a quarter, half a year, a year or whole years that holds the
// days simulated, and at most the horizon.
func chartDays(day, horizon int) int {
	for _, d := range []int{60, 90, 182, 365} {
		if day <= d {
			return max(1, min(d, horizon-1))
		}
	}
	return max(1, min((day+364)/365*365, horizon-1))
}

// drawWidget draws one control.
func (g *Game) drawWidget(dst *ebiten.Image, w widget) {
	switch w.kind {
	case button:
		fillRect(dst, w.r, colControl)
		strokeRect(dst, w.r, colLine)
		tw := textWidth(w.label, g.fonts.body)
		drawText(dst, w.label, g.fonts.body, w.r.x+(w.r.w-tw)/2, w.r.y+4, colText)
	case tab:
		bg := colControl
		if w.on {
			bg = color.RGBA{0x33, 0x3d, 0x4a, 0xff}
		}
		fillRect(dst, w.r, bg)
		fillRect(dst, rect{w.r.x, w.r.y + w.r.h - 3, w.r.w, 3}, w.color)
		lbl := w.label
		for textWidth(lbl, g.fonts.body) > w.r.w-8 && len(lbl) > 1 {
			lbl = lbl[:len(lbl)-1]
		}
		drawText(dst, lbl, g.fonts.body, w.r.x+(w.r.w-textWidth(lbl, g.fonts.body))/2, w.r.y+4, colText)
	case toggle:
		fillRect(dst, w.r, colControl)
		strokeRect(dst, w.r, colDim)
		if w.on {
			fillRect(dst, w.r.inset(3), colText)
		}
		drawText(dst, w.label, g.fonts.body, w.r.x, w.r.y-16, colText)
	case slider:
		drawTextRight(dst, w.value, g.fonts.body, w.r.x+w.r.w, w.r.y-14, colText)
		track := rect{w.r.x, w.r.y + w.r.h/2 - 2, w.r.w, 4}
		fillRect(dst, track, colControl)
		knobX := w.r.x + w.pos*(w.r.w-10)
		if w.on {
			fillRect(dst, rect{track.x, track.y, knobX - track.x + 5, track.h}, w.color)
			fillRect(dst, rect{knobX, w.r.y + 2, 10, w.r.h - 4}, colText)
		} else {
			strokeRect(dst, rect{knobX, w.r.y + 2, 10, w.r.h - 4}, colDim)
		}
	}
}
