package viz

import (
	"image"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/viz/live"
	"github.com/paywars/hongbao/viz/scene"
)

// press runs the binding shown as name in the help.
func press(t *testing.T, g *Game, name string) {
	t.Helper()
	for _, b := range bindings {
		if b.name == name {
			b.do(g)
			return
		}
	}
	t.Fatalf("no binding %q", name)
}

// TestGuidedMode: G turns the guided mode on and shows the episode's
// introduction with its "What to look for" text; running, the world stops
// right after the first key event (10 Jan 2014 in the taxi war, Didi's
// first offer), the overlay says what happened, and continuing runs on.
func TestGuidedMode(t *testing.T) {
	r := live.New(live.Options{MaxUsers: 2000})
	require.NoError(t, r.LoadSync("taxi-war-2014", live.Library("taxi-war-2014", []string{"world.users=2000"})))
	clock := &testClock{t: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)}
	g := NewGame(r, Options{Now: clock.now, HideStats: true, Library: scenarios.Library(), NoInput: true})
	update := func() {
		t.Helper()
		require.NoError(t, g.Update())
		r.Sync()
	}
	update()
	plain := frame(g, clock)

	press(t, g, "G")
	r.Sync()
	update()
	require.True(t, r.State().Guided)
	require.True(t, g.guide.open, "the introduction opens with the mode")
	assert.Nil(t, g.guide.stop)
	assert.Contains(t, g.guide.text.LookFor, "wallet payments (app-paid rides) rise a hundredfold")
	intro := frame(g, clock)
	saveFrame(t, "guided-intro.png", intro)
	assert.Greater(t, differing(plain, intro, plain.Bounds(), 24), 0.15, "the introduction covers the frame")

	// Continue: the world runs (it was paused, so it stays paused until
	// played), then stops by itself at the first stop.
	g.closeGuide()
	update()
	r.SetRunning(true)
	r.Sync()
	update()
	first := r.Latest().Stops[0]
	for i := 0; r.State().Running && i < 400; i++ {
		r.StepSync(1)
		update()
	}
	require.Equal(t, first.Day, r.Latest().Day, "paused at the first stop")
	assert.Equal(t, 10, first.Day, "10 Jan 2014, day 9, simulated")
	assert.True(t, r.State().Stopped)
	require.True(t, g.guide.open)
	require.NotNil(t, g.guide.stop)
	assert.Equal(t, first.Lines, g.guide.stop.Lines)
	stop := frame(g, clock)
	saveFrame(t, "guided-stop.png", stop)
	lines := g.guideLines(780)
	assert.Equal(t, "Fri 10 Jan 2014 · day 9", lines[0].text)
	// Every line of the overlay fits its box (the footer is one line
	// of known length).
	for _, l := range lines {
		assert.LessOrEqual(t, textWidth(l.text, g.guideFace(l.kind)), 780.0, l.text)
	}

	// A click (or Enter, Space, C) continues: the run goes on.
	g.closeGuide()
	update()
	update()
	assert.True(t, r.State().Running, "continuing from a stop runs on")
	assert.False(t, g.guide.open)

	// G again: no more stops.
	press(t, g, "G")
	r.Sync()
	update()
	assert.False(t, r.State().Guided)
	assert.False(t, g.guide.open)
}

// TestRecordOnShareChart: the record's marks and their source line change
// the share chart and nothing else on screen.
func TestRecordOnShareChart(t *testing.T) {
	draw := func(s *scene.Snapshot) (*image.RGBA, *Game) {
		r := live.New(live.Options{})
		r.Show(s)
		clock := &testClock{t: time.Date(2014, 2, 9, 0, 0, 0, 0, time.UTC)}
		g := NewGame(r, Options{Now: clock.now, HideStats: true, Library: []scenarios.LibraryEntry{{Name: "synthetic"}}})
		return frame(g, clock), g
	}
	bare := synthetic()
	bare.Record, bare.RecordNote, bare.RecordScope = nil, nil, ""
	without, _ := draw(bare)
	with, g := draw(synthetic())
	pp := g.panelParts(g.regions().panel)
	chart := pp.share.image()
	assert.Greater(t, differing(without, with, chart, 24), 0.005, "the marks and the note change the share chart")
	outside := 0
	for y := 0; y < frameH; y++ {
		for x := 0; x < frameW; x++ {
			if image.Pt(x, y).In(chart) {
				continue
			}
			p, q := without.RGBAAt(x, y), with.RGBAAt(x, y)
			if !near(p, scene.RGB{R: q.R, G: q.G, B: q.B}, 24) {
				outside++
			}
		}
	}
	assert.Zero(t, outside, "pixels changed outside the share chart")
	// The filled mark of Alipay stands at day 30 of the 60-day axis, at
	// 45%: its centre is Alipay's colour.
	plot := rect{pp.share.x, pp.share.y + 16, pp.share.w, pp.share.h - recordNoteHeight - 30}
	cx, cy := int(plot.x+plot.w*30/60), int(plot.y+plot.h*(1-0.45))
	assert.True(t, near(with.RGBAAt(cx, cy), synthetic().Palette.Platform[1], colourTol), "mark centre is %v", with.RGBAAt(cx, cy))
	saveFrame(t, "record-marks.png", with)
}

// TestGuidedIntroAfterDayZero: a guided world that ran a few days before
// the first frame (a browser's first frame comes late) still opens on the
// introduction, and the introduction pauses it.
func TestGuidedIntroAfterDayZero(t *testing.T) {
	r := live.New(live.Options{MaxUsers: 2000, Guided: true, Play: true})
	require.NoError(t, r.LoadSync("taxi-war-2014", live.Library("taxi-war-2014", []string{"world.users=2000"})))
	r.StepSync(3)
	clock := &testClock{t: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)}
	g := NewGame(r, Options{Now: clock.now, HideStats: true, Library: scenarios.Library(), NoInput: true})
	require.NoError(t, g.Update())
	r.Sync()
	assert.True(t, g.guide.open)
	assert.Nil(t, g.guide.stop)
	assert.False(t, r.State().Running, "the introduction pauses the run")
	lines := g.guideLines(780)
	assert.Equal(t, "guided: taxi-war-2014", lines[0].text)
}

// TestGuideFitsSmallWindow: on the smallest layout (640×480) the guide
// draws, and a guide taller than its window keeps its title and footer
// and marks where it was cut.
func TestGuideFitsSmallWindow(t *testing.T) {
	r := live.New(live.Options{MaxUsers: 2000, Guided: true})
	require.NoError(t, r.LoadSync("taxi-war-2014", live.Library("taxi-war-2014", []string{"world.users=2000"})))
	clock := &testClock{t: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)}
	g := NewGame(r, Options{Now: clock.now, HideStats: true, Library: scenarios.Library(), NoInput: true})
	g.Layout(640, 480)
	require.NoError(t, g.Update())
	require.True(t, g.guide.open)
	img := ebiten.NewImage(640, 480)
	defer img.Deallocate()
	g.Draw(img) // draws without trouble

	all := g.guideLines(520)
	_, whole := fitGuide(all, 1e9)
	const maxH = 300 // less than the whole guide (about 400 px at this width)
	require.Greater(t, whole, float64(maxH))
	lines, h := fitGuide(all, maxH)
	assert.LessOrEqual(t, h, float64(maxH))
	assert.Less(t, len(lines), len(all))
	assert.Equal(t, 0, lines[0].kind, "the title is kept")
	assert.Equal(t, 4, lines[len(lines)-1].kind, "the footer is kept")
	assert.True(t, strings.HasSuffix(lines[len(lines)-2].text, " …"), "the cut is marked: %q", lines[len(lines)-2].text)
	assert.False(t, strings.HasSuffix(all[len(all)-2].text, " …"), "fitGuide leaves its input alone")
}
