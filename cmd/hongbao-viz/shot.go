package main

import (
	"image"
	"image/png"
	"io"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/viz"
	"github.com/paywars/hongbao/viz/live"
)

// shotGame steps the world through a day (day 30 is the 31st simulated),
// lets the envelopes of that day fly for a moment, saves the frame and
// quits.
type shotGame struct {
	*viz.Game
	r      *live.Runner
	day    int
	path   string
	perDay time.Duration // clock time a simulated day takes
	clock  time.Time     // the game's clock (see Now)
	frames int           // frames drawn since the day was reached
	err    error
	done   bool
}

// Now is the clock of the game's animations: it advances by one day's
// worth of time per day stepped, as if the world ran at its chosen
// speed, then stops a moment into the last day, with its envelopes in
// the air, so the picture does not depend on how fast this machine is.
func (s *shotGame) Now() time.Time { return s.clock }

// flightMoment is how far into the last day the picture is taken: about
// half of a flight at the default speed.
const flightMoment = 250 * time.Millisecond

// settleFrames is how long the last day is shown before the picture is
// taken: 24 frames (0.4 s at 60 fps) puts the envelopes mid-flight.
const settleFrames = 24

// Update steps one day a tick until the day of the picture.
func (s *shotGame) Update() error {
	if s.done {
		return ebiten.Termination
	}
	last := false
	if snap := s.r.Latest(); snap != nil && snap.Day <= s.day && !snap.Done {
		s.r.StepSync(1)
		s.clock = s.clock.Add(s.perDay)
		snap = s.r.Latest()
		last = snap.Day > s.day || snap.Done
	}
	err := s.Game.Update() // sees the new day at s.clock
	if last {
		s.clock = s.clock.Add(flightMoment)
	}
	return err
}

// Draw draws the game and, once the day has settled, saves the frame.
func (s *shotGame) Draw(screen *ebiten.Image) {
	s.Game.Draw(screen)
	snap := s.r.Latest()
	if s.done || snap == nil || (snap.Day <= s.day && !snap.Done) {
		return
	}
	if s.frames++; s.frames < settleFrames {
		return
	}
	b := screen.Bounds()
	img := image.NewRGBA(b)
	screen.ReadPixels(img.Pix)
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 0xff // the screen is opaque; drop any stray alpha
	}
	s.err = savePNG(s.path, img)
	s.done = true
}

// savePNG writes img to path through sim.WriteFileAtomic, so that a
// failed screenshot leaves no half-written file.
func savePNG(path string, img image.Image) error {
	return sim.WriteFileAtomic(path, func(w io.Writer) error { return png.Encode(w, img) })
}
