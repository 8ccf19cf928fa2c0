package main

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	// Before Ebitengine's initializer, which panics without a display:
	// reports every test as SKIP instead.
	_ "github.com/paywars/hongbao/viz/needdisplay"

	"github.com/paywars/hongbao/cmd/hongbao-viz/internal/headless"
)

// TestMain lets a test run the program itself: with HONGBAO_VIZ_MAIN set,
// the test binary is hongbao-viz with the arguments after "--", on the
// main thread as ebiten requires (the usual helper-process pattern).
func TestMain(m *testing.M) {
	if os.Getenv("HONGBAO_VIZ_MAIN") != "" {
		i := slices.Index(os.Args, "--")
		os.Exit(run(os.Args[i+1:], os.Stderr))
	}
	os.Exit(m.Run())
}

// program runs hongbao-viz with args in a child process.
func program(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "HONGBAO_VIZ_MAIN=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func TestParse(t *testing.T) {
	c, err := parse([]string{"-set", "world.users=5000", "-set", "world.days=30", "-speed", "2", "-paused", "taxi-war-2014"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.scenario != "taxi-war-2014" || !slices.Equal(c.sets, []string{"world.users=5000", "world.days=30"}) || c.speed != 2 || !c.paused {
		t.Errorf("parsed %+v", c)
	}
	if c, _ := parse(nil, &bytes.Buffer{}); c.scenario != "default" {
		t.Errorf("no argument opens %q, want default", c.scenario)
	}
	if _, err := parse([]string{"a", "b"}, &bytes.Buffer{}); err == nil {
		t.Error("two scenarios accepted")
	}
}

func TestBadScenario(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-bogus"}, &stderr); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
}

// TestScreenshot runs the desktop program end to end: it opens the
// window, steps a small default world to day 3, saves the frame and
// quits.
func TestScreenshot(t *testing.T) {
	shot := filepath.Join(t.TempDir(), "shot.png")
	out, err := program(t, "-screenshot", shot, "-day", "3", "-set", "world.users=3000", "default")
	if err != nil {
		t.Fatalf("hongbao-viz -screenshot: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 640 || b.Dy() < 480 {
		t.Errorf("screenshot is %v", b)
	}
}

func TestUnknownScenarioFails(t *testing.T) {
	out, err := program(t, "-screenshot", filepath.Join(t.TempDir(), "x.png"), "no-such-scenario")
	if err == nil || !strings.Contains(out, "unknown scenario") {
		t.Errorf("err %v, output:\n%s", err, out)
	}
}

// TestUsageNamesEveryFlag: the help printed with or without a display
// (headless.Usage) names every flag the command accepts.
func TestUsageNamesEveryFlag(t *testing.T) {
	var c config
	var sets setFlags
	fs := flagSet(&c, &sets, &bytes.Buffer{})
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(headless.Usage, "  -"+f.Name+" ") {
			t.Errorf("headless.Usage does not name -%s", f.Name)
		}
	})
}

// TestNoDisplay runs the program with no display: -h prints the help and
// succeeds, a window is refused in one line that says what to do, and
// nothing panics (Ebitengine's init would, without headless's guard).
func TestNoDisplay(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SKIP: the display guard is for X and Wayland platforms; this is " + runtime.GOOS)
	}
	run := func(args ...string) (string, int) {
		cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
		var env []string
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "DISPLAY=") && !strings.HasPrefix(e, "WAYLAND_DISPLAY=") {
				env = append(env, e)
			}
		}
		cmd.Env = append(env, "HONGBAO_VIZ_MAIN=1")
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	out, code := run("-h")
	if code != 0 || !strings.HasPrefix(out, "usage: hongbao-viz") {
		t.Errorf("-h without a display: exit %d\n%s", code, out)
	}
	out, code = run("default")
	if code != 1 || out != headless.NoDisplayMessage {
		t.Errorf("a window without a display: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "panic") {
		t.Error("panicked")
	}
}
