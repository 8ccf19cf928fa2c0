// Command hongbao-viz is the live visualizer of hongbao: it runs a
// scenario in a window, shows the social graph, the red envelopes, the
// merchants and every platform's standing as the days pass, and lets you
// steer the world while it runs (press H in the window for the controls).
//
//	hongbao-viz [flags] [scenario]
//
// The scenario is a library name (default: default) or a .toml path.
// The same program runs in a browser (GOOS=js GOARCH=wasm, see
// docs/browser.md), and hongbao-viz --serve :8080 serves that build.
//
// Flags:
//
//	-set key=value   override a scenario value (repeatable)
//	-users n         most users drawn (default 20000)
//	-speed i         starting speed step, 0 (slowest) to 8 (as fast as it goes)
//	-paused          open paused
//	-presentation    open in presentation mode, everything 1.5× larger (key P)
//	-guided          pause at the episode's key events and show what to look
//	                 for and to try, from the scenario file (key G)
//	-serve addr      serve the browser build on addr instead of opening a window
//	-dir path        with -serve: serve these files instead of the embedded ones
//	-screenshot f    run to -day, save the window as PNG f and quit
//	-day n           the day of -screenshot (default 30)
//	-fps-log         print frame rate and timings every second
//	-quit-after d    quit after a duration (with -fps-log, for measurements)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/paywars/hongbao/cmd/hongbao-viz/internal/headless"
	"github.com/paywars/hongbao/viz"
	"github.com/paywars/hongbao/viz/live"
)

func main() {
	os.Exit(run(programArgs(), os.Stderr))
}

// setFlags collects repeated -set flags.
type setFlags []string

// String implements flag.Value.
func (s *setFlags) String() string { return strings.Join(*s, " ") }

// Set implements flag.Value: each -set adds one override.
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

// config is the parsed command line.
type config struct {
	scenario     string
	sets         []string
	users        int
	speed        int
	paused       bool
	serve        string
	dir          string
	shot         string
	shotDay      int
	fpsLog       bool
	presentation bool
	guided       bool
	quitAfter    time.Duration
}

// flagSet defines the command's flags on c and sets; headless.Usage must
// name every one of them (TestUsageNamesEveryFlag).
func flagSet(c *config, sets *setFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hongbao-viz", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(sets, "set", "override a scenario value, key=value (repeatable)")
	fs.IntVar(&c.users, "users", 0, "most users drawn (0: 20000)")
	fs.IntVar(&c.speed, "speed", live.DefaultSpeed, fmt.Sprintf("starting speed step, 0 (slowest) to %d (as fast as the engine goes)", len(live.Speeds)-1))
	fs.BoolVar(&c.paused, "paused", false, "open paused")
	fs.BoolVar(&c.presentation, "presentation", false, "open in presentation mode: everything 1.5× larger, for a projector (key P)")
	fs.BoolVar(&c.guided, "guided", false, "guided mode: pause at the episode's key events and show what to look for and to try (key G)")
	fs.StringVar(&c.serve, "serve", "", "serve the browser build on this address (e.g. :8080) instead of opening a window")
	fs.StringVar(&c.dir, "dir", "", "with -serve: serve the files of this directory instead of the embedded ones")
	fs.StringVar(&c.shot, "screenshot", "", "run to -day, save the window as this PNG file and quit")
	fs.IntVar(&c.shotDay, "day", 30, "the day of -screenshot")
	fs.BoolVar(&c.fpsLog, "fps-log", false, "print frame rate and timings every second")
	fs.DurationVar(&c.quitAfter, "quit-after", 0, "quit after this long (0: never)")
	fs.Usage = func() { fmt.Fprint(stderr, headless.Usage) }
	return fs
}

func parse(args []string, stderr io.Writer) (config, error) {
	var c config
	var sets setFlags
	fs := flagSet(&c, &sets, stderr)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return c, fmt.Errorf("hongbao-viz: one scenario at most, got %q", fs.Args())
	}
	c.scenario = "default"
	if fs.NArg() == 1 {
		c.scenario = fs.Arg(0)
	}
	c.sets = sets
	return c, nil
}

func run(args []string, stderr io.Writer) int {
	c, err := parse(args, stderr)
	if err == flag.ErrHelp {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if c.serve != "" {
		if err := serve(c.serve, c.dir, stderr); err != nil {
			fmt.Fprintln(stderr, "hongbao-viz:", err)
			return 1
		}
		return 0
	}
	name, src := c.scenario, live.Library(c.scenario, c.sets)
	if _, err := src(); err != nil { // say so before opening a window
		fmt.Fprintln(stderr, "hongbao-viz:", err)
		return 1
	}
	r := live.New(live.Options{MaxUsers: c.users, Speed: c.speed, Play: !c.paused && c.shot == "", Yield: stepYield, Guided: c.guided})
	opts := viz.Options{Sets: c.sets, Presentation: c.presentation}
	if c.fpsLog {
		opts.Stats = fpsLogger(stderr)
	}
	ebiten.SetWindowSize(1280, 800)
	ebiten.SetWindowTitle("hongbao live — " + name)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)

	var eg ebiten.Game
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if c.shot != "" {
		if err := r.LoadSync(name, src); err != nil {
			fmt.Fprintln(stderr, "hongbao-viz:", err)
			return 1
		}
		sg := &shotGame{r: r, day: c.shotDay, path: c.shot, clock: time.Now(), perDay: time.Second / 10}
		if d := live.Speeds[min(max(c.speed, 0), len(live.Speeds)-1)]; d > 0 {
			sg.perDay = time.Duration(float64(time.Second) / d)
		}
		opts.Now = sg.Now
		opts.HideStats, opts.NoInput = true, true
		sg.Game = viz.NewGame(r, opts)
		eg = sg
	} else {
		eg = viz.NewGame(r, opts)
		go r.Run(ctx)
		r.Load(name, src)
	}
	if c.quitAfter > 0 {
		eg = &timedGame{Game: eg, until: time.Now().Add(c.quitAfter)}
	}
	if err := ebiten.RunGame(eg); err != nil {
		fmt.Fprintln(stderr, "hongbao-viz:", err)
		return 1
	}
	if sg, ok := eg.(*shotGame); ok && sg.err != nil {
		fmt.Fprintln(stderr, "hongbao-viz:", sg.err)
		return 1
	}
	return 0
}

// fpsLogger prints, once a second, the frame rate and the mean Draw time
// and step time of the frames since the last line.
func fpsLogger(w io.Writer) func(viz.FrameStats) {
	start := time.Now()
	last := start
	var n int
	var draw, maxDraw time.Duration
	return func(s viz.FrameStats) {
		n++
		draw += s.Draw
		maxDraw = max(maxDraw, s.Draw)
		if now := time.Now(); now.Sub(last) >= time.Second {
			fmt.Fprintf(w, "t=%5.1fs day=%4d fps=%5.1f tps=%5.1f draw=%5.2fms (max %5.2fms) step=%6.1fms snapshot=%5.1fms drawcalls=%d\n",
				now.Sub(start).Seconds(), s.Day, s.FPS, s.TPS, float64(draw.Microseconds())/1000/float64(n),
				float64(maxDraw.Microseconds())/1000, ms(s.Step), ms(s.Capture), s.DrawCalls)
			last, n, draw, maxDraw = now, 0, 0, 0
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// timedGame ends the program at a given time.
type timedGame struct {
	ebiten.Game
	until time.Time
}

// Update ends the game at its time, else updates it.
func (t *timedGame) Update() error {
	if time.Now().After(t.until) {
		return ebiten.Termination
	}
	return t.Game.Update()
}
