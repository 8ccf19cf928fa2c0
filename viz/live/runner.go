package live

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paywars/hongbao/scenarios"
	"github.com/paywars/hongbao/sim"
	"github.com/paywars/hongbao/viz/scene"
)

// Speeds are the steps of the speed control, in simulated days per
// second, from slow motion to 0, which means as fast as the engine goes.
var Speeds = []float64{0.25, 0.5, 1, 2, 4, 8, 16, 32, 0}

// DefaultSpeed is the index in Speeds a runner starts at: 4 days a second,
// a year in about a minute and a half.
const DefaultSpeed = 4

// Source builds the scenario a runner loads, again at every reset.
type Source func() (*scenarios.Scenario, error)

// Library returns the Source of a library scenario or .toml file with
// --set overrides, as [scenarios.Load] reads them.
func Library(nameOrPath string, sets []string) Source {
	return func() (*scenarios.Scenario, error) { return scenarios.Load(nameOrPath, sets) }
}

// Options sizes a Runner. The zero value draws scene.DefaultUsers users
// and scene.DefaultMerchants merchants at DefaultSpeed, paused.
type Options struct {
	MaxUsers, MaxMerchants int
	// Speed is the starting index in Speeds (0 picks DefaultSpeed).
	Speed int
	// Play starts the world running as soon as it is built.
	Play bool
	// Yield is a pause after every step. In a browser (js/wasm) the Go
	// program shares one thread with the page, and only a pause lets the
	// page draw a frame between steps at full speed.
	Yield time.Duration
	// Guided starts in guided mode (see SetGuided).
	Guided bool
}

// State is what a runner is doing, for the controls.
type State struct {
	Name    string // scenario loaded or loading
	Running bool
	Speed   int    // index in Speeds
	Loading bool   // a world is being built
	Message string // the last error or notice, "" if none
	// Guided is whether the runner pauses at the scenario's stops
	// (scene.Stops); Stopped whether it is paused at one now.
	Guided, Stopped bool
}

// Runner owns a world and steps it in its own goroutine (see the package
// documentation). Its methods may be called from any goroutine; the ones
// that steer only queue a command and never block on a step.
type Runner struct {
	opts Options

	mu  sync.Mutex // held while the world steps, is read or is steered
	w   *sim.World
	rec *scene.Recorder
	src Source

	latest atomic.Pointer[scene.Snapshot]
	state  atomic.Pointer[State]
	hover  atomic.Int64 // user under the pointer, −1 for none
	dirty  atomic.Bool  // hover changed since the last snapshot

	qmu   sync.Mutex
	queue []func()
	wake  chan struct{}

	// Owned by the loop goroutine (and by the Sync methods, under mu).
	st   State
	next time.Time // when the next step is due
}

// New returns a runner with no world; Load gives it one.
func New(opts Options) *Runner {
	if opts.MaxUsers == 0 {
		opts.MaxUsers = scene.DefaultUsers
	}
	if opts.MaxMerchants == 0 {
		opts.MaxMerchants = scene.DefaultMerchants
	}
	if opts.Speed <= 0 || opts.Speed >= len(Speeds) {
		opts.Speed = DefaultSpeed
	}
	r := &Runner{opts: opts, wake: make(chan struct{}, 1)}
	r.st = State{Speed: opts.Speed, Running: opts.Play, Guided: opts.Guided}
	r.publishState()
	r.hover.Store(-1)
	return r
}

// Latest is the newest snapshot, nil until the first world is built.
func (r *Runner) Latest() *scene.Snapshot { return r.latest.Load() }

// State is what the runner is doing now.
func (r *Runner) State() State { return *r.state.Load() }

// Run steps the world at the chosen speed and applies queued commands until
// ctx is done. Call it once, in its own goroutine.
func (r *Runner) Run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for ctx.Err() == nil {
		r.applyQueue()
		if r.dirty.Swap(false) {
			r.mu.Lock()
			if snap := r.latest.Load(); snap != nil && r.w != nil {
				r.latest.Store(r.rec.WithHover(r.w, snap, int(r.hover.Load())))
			}
			r.mu.Unlock()
		}
		wait := time.Hour
		if r.st.Running && r.w != nil {
			now := time.Now()
			if d := Speeds[r.st.Speed]; d == 0 || !now.Before(r.next) {
				r.step()
				if d > 0 {
					r.next = r.next.Add(time.Duration(float64(time.Second) / d))
					if r.next.Before(now) { // fell behind: don't race to catch up
						r.next = now.Add(time.Duration(float64(time.Second) / d))
					}
				}
				if r.opts.Yield > 0 {
					time.Sleep(r.opts.Yield)
				}
				continue
			}
			wait = r.next.Sub(now)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-timer.C:
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// do queues f to run on the runner's goroutine between days.
func (r *Runner) do(f func()) {
	r.qmu.Lock()
	r.queue = append(r.queue, f)
	r.qmu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Runner) applyQueue() {
	r.qmu.Lock()
	q := r.queue
	r.queue = nil
	r.qmu.Unlock()
	for _, f := range q {
		f()
	}
}

// step simulates one day and publishes its snapshot; it stops the runner
// at the horizon or on an error.
func (r *Runner) step() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.w == nil {
		return
	}
	t0 := time.Now()
	err := r.w.Step()
	took := time.Since(t0)
	switch {
	case errors.Is(err, sim.ErrDone):
		r.st.Running = false
		r.st.Message = "the run reached its horizon: R starts again"
		r.publishState()
		return
	case err != nil:
		r.st.Running = false
		r.st.Message = err.Error()
		r.publishState()
		return
	}
	snap := r.rec.Capture(r.w, int(r.hover.Load()))
	snap.StepTime = took
	r.dirty.Store(false)
	r.latest.Store(snap)
	if r.st.Guided && r.st.Running && atStop(snap) {
		r.st.Running, r.st.Stopped = false, true
		r.publishState()
	}
	if r.w.Done() {
		r.st.Running = false
		r.st.Message = "the run reached its horizon: R starts again"
		r.publishState()
	}
}

func (r *Runner) publishState() {
	s := r.st
	r.state.Store(&s)
}

// load builds the world of src and publishes its day-0 snapshot. It holds
// the lock only to swap worlds: the old world stays visible while the new
// one is built.
func (r *Runner) load(name string, src Source) error {
	r.st.Name, r.st.Loading, r.st.Message, r.st.Stopped = name, true, "", false
	r.publishState()
	defer func() { r.st.Loading = false; r.publishState() }()
	s, err := src()
	if err != nil {
		r.st.Message = err.Error()
		return err
	}
	w, err := sim.New(s)
	if err != nil {
		r.st.Message = err.Error()
		return err
	}
	rec := scene.NewRecorder(w, r.opts.MaxUsers, r.opts.MaxMerchants)
	snap := rec.Capture(w, -1)
	r.mu.Lock()
	r.w, r.rec, r.src = w, rec, src
	r.hover.Store(-1)
	r.latest.Store(snap)
	r.mu.Unlock()
	r.next = time.Now()
	return nil
}

// Load queues building the world of src (named name on screen); the
// current world keeps running until the new one is ready.
func (r *Runner) Load(name string, src Source) { r.do(func() { r.load(name, src) }) }

// Reset queues rebuilding the current scenario from day 0; live levers
// and started events are forgotten.
func (r *Runner) Reset() {
	r.do(func() {
		if r.src != nil {
			r.load(r.st.Name, r.src)
		}
	})
}

// atStop reports whether snap is one the guided mode stops at.
func atStop(snap *scene.Snapshot) bool {
	for _, st := range snap.Stops {
		if st.Day == snap.Day {
			return true
		}
	}
	return false
}

// SetGuided queues turning the guided mode on or off: on, a running world
// pauses right after each day that has a stop (Snapshot.Stops), exactly
// there whatever the speed, and State.Stopped says so until it runs again.
func (r *Runner) SetGuided(on bool) {
	r.do(func() {
		r.st.Guided = on
		r.publishState()
	})
}

// TogglePlay queues play/pause.
func (r *Runner) TogglePlay() {
	r.do(func() {
		r.st.Running = !r.st.Running
		r.st.Stopped = false
		if r.st.Running {
			r.next = time.Now()
		}
		r.publishState()
	})
}

// SetRunning queues playing (true) or pausing (false).
func (r *Runner) SetRunning(on bool) {
	r.do(func() {
		if r.st.Running == on {
			return
		}
		r.st.Running, r.st.Stopped = on, false
		if on {
			r.next = time.Now()
		}
		r.publishState()
	})
}

// StepOnce queues pausing and simulating exactly one day.
func (r *Runner) StepOnce() {
	r.do(func() {
		r.st.Running, r.st.Stopped = false, false
		r.publishState()
		r.step()
	})
}

// SetSpeed queues a change of speed to Speeds[i] (clamped).
func (r *Runner) SetSpeed(i int) {
	r.do(func() {
		r.st.Speed = min(len(Speeds)-1, max(0, i))
		r.next = time.Now()
		r.publishState()
	})
}

// Faster and Slower queue a speed one step up or down.
func (r *Runner) Faster() { r.do(func() { r.shiftSpeed(1) }) }

// Slower queues a speed one step down.
func (r *Runner) Slower() { r.do(func() { r.shiftSpeed(-1) }) }

func (r *Runner) shiftSpeed(d int) {
	r.st.Speed = min(len(Speeds)-1, max(0, r.st.Speed+d))
	r.next = time.Now()
	r.publishState()
}

// steer runs f on the world between days and republishes the snapshot so
// that the controls show the change at once.
func (r *Runner) steer(f func(w *sim.World) error) {
	r.do(func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.w == nil {
			return
		}
		if err := f(r.w); err != nil {
			r.st.Message = err.Error()
			r.publishState()
			return
		}
		snap := r.rec.Capture(r.w, int(r.hover.Load()))
		if old := r.latest.Load(); old != nil {
			snap.StepTime = old.StepTime
		}
		r.latest.Store(snap)
	})
}

// SetLever queues [sim.World.SetLever]: a value for platform p's lever
// from the next day on, or a negative one to hand it back to the
// platform's policy and schedule. A slider is a decision from outside the
// model: it reaches the platform through its External policy ([sim.World.External]),
// the same entry point a classroom or an optimiser uses.
func (r *Runner) SetLever(p int, l sim.Lever, value float64) {
	r.steer(func(w *sim.World) error { return w.SetLever(p, l, value) })
}

// StartEvent queues [sim.World.StartEvent]: an event that begins with the
// next day simulated.
func (r *Runner) StartEvent(e scenarios.Event) {
	r.steer(func(w *sim.World) error {
		if err := w.StartEvent(e); err != nil {
			return err
		}
		r.st.Message = fmt.Sprintf("%s starts on day %d", eventLabel(e), w.Day())
		r.publishState()
		return nil
	})
}

func eventLabel(e scenarios.Event) string {
	if e.Name != "" {
		return e.Name
	}
	return e.Kind
}

// Hover tells the runner which user is under the pointer (−1 for none);
// the next snapshot carries that user's state.
func (r *Runner) Hover(u int) {
	if r.hover.Swap(int64(u)) != int64(u) {
		r.dirty.Store(true)
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
}

// Show publishes a snapshot made elsewhere (a replay, a test) as the
// latest; the world, if any, is left alone.
func (r *Runner) Show(s *scene.Snapshot) { r.latest.Store(s) }

// LoadSync builds a world at once in the caller's goroutine, for tests,
// benchmarks and command-line tools that do not call Run.
func (r *Runner) LoadSync(name string, src Source) error { return r.load(name, src) }

// StepSync simulates n days at once in the caller's goroutine, for tests
// and tools that do not call Run.
func (r *Runner) StepSync(n int) {
	for range n {
		r.step()
	}
}

// Sync applies the queued commands in the caller's goroutine, for tests
// and tools that do not call Run.
func (r *Runner) Sync() { r.applyQueue() }
