package viz

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	// Before Ebitengine's initializer, which panics without a display:
	// reports every test as SKIP instead.
	_ "github.com/paywars/hongbao/viz/needdisplay"
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
// display the tests never get here: package needdisplay reports them as
// SKIP (or fails, with HONGBAO_VIZ_REQUIRE_DISPLAY set, as
// scripts/test-viz.sh does), before Ebitengine's initializer panics.
func TestMain(m *testing.M) {
	ebiten.SetRunnableOnUnfocused(true)
	l := &testLoop{m: m, code: 1}
	if err := ebiten.RunGame(l); err != nil {
		fmt.Fprintln(os.Stderr, "viz: the game loop of the tests failed:", err)
		os.Exit(1)
	}
	os.Exit(l.code)
}
