package viz

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// testLoop runs the tests from inside ebiten's game loop, as ebiten's own
// tests do (internal/testing.MainWithRunLoop): images can be drawn and
// read back only while the loop runs.
type testLoop struct {
	m    *testing.M
	code int
}

func (l *testLoop) Update() error {
	l.code = l.m.Run()
	return ebiten.Termination
}

func (*testLoop) Draw(*ebiten.Image) {}

func (*testLoop) Layout(int, int) (int, int) { return 320, 240 }

// TestMain runs every test and benchmark inside the game loop. Without a
// display (no DISPLAY on Linux) it says so and skips them, unless
// HONGBAO_VIZ_REQUIRE_DISPLAY is set, as scripts/test-viz.sh does.
func TestMain(m *testing.M) {
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Fprintln(os.Stderr, "viz: SKIPPING the render tests: they need a display; run them as xvfb-run -a go test ./viz/... (scripts/test-viz.sh does)")
		if os.Getenv("HONGBAO_VIZ_REQUIRE_DISPLAY") != "" {
			os.Exit(1)
		}
		os.Exit(0)
	}
	ebiten.SetRunnableOnUnfocused(true)
	l := &testLoop{m: m, code: 1}
	if err := ebiten.RunGame(l); err != nil {
		fmt.Fprintln(os.Stderr, "viz: the game loop of the tests failed:", err)
		os.Exit(1)
	}
	os.Exit(l.code)
}
