// Package headless lets hongbao-viz answer on a machine without a display.
//
// On Linux and the BSDs, Ebitengine initialises GLFW in a package init and
// panics when there is no X or Wayland display, before main runs. Go
// initialises this package first (it needs only os and strings, which
// Ebitengine needs too, while Ebitengine waits for more), so its init can
// print the help, or one line that says what to do, and exit before that
// panic.
package headless

import (
	"os"
	"runtime"
	"strings"
)

// Usage is hongbao-viz's help, printed by -h with or without a display.
// Every flag of the command must appear in it (a test checks).
const Usage = `usage: hongbao-viz [flags] [scenario]
Runs a scenario (library name or .toml path; default: default) live in a
window. Press H in the window for the controls. Without a display, run it
under xvfb-run -a, or serve the browser build: go run ./cmd/hongbao-viz/serve :8080

Flags:
  -set key=value   override a scenario value (repeatable)
  -users n         most users drawn (0: 20000)
  -speed i         starting speed step, 0 (slowest) to 8 (as fast as the engine goes)
  -paused          open paused
  -presentation    open in presentation mode: everything 1.5× larger, for a projector (key P)
  -guided          guided mode: pause at the episode's key events and show what to
                   look for and what to try, from the scenario file (key G)
  -serve addr      serve the browser build on addr instead of opening a window
  -dir path        with -serve: serve the files of this directory instead of the embedded ones
  -screenshot f    run to -day, save the window as this PNG file and quit
  -day n           the day of -screenshot (default 30)
  -fps-log         print frame rate and timings every second
  -quit-after d    quit after this long (0: never)
`

// NoDisplayMessage is the one line printed when a window is asked for and
// no display is there.
const NoDisplayMessage = "hongbao-viz: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it under a virtual display (xvfb-run -a hongbao-viz ...) or serve the browser build (go run ./cmd/hongbao-viz/serve :8080)\n"

// needsDisplay reports whether this platform opens windows through X or
// Wayland (GLFW), where Ebitengine's init needs a display.
func needsDisplay() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

// WantsHelp reports whether args ask for the help.
func WantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		switch a {
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

func init() {
	if !needsDisplay() || os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" {
		return
	}
	args := os.Args[1:]
	if os.Getenv("HONGBAO_VIZ_MAIN") != "" { // the tests' child process: its arguments follow "--"
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
	} else if strings.HasSuffix(os.Args[0], ".test") {
		return // a test binary: viz/needdisplay reports its tests as skipped
	}
	if WantsHelp(args) {
		os.Stderr.WriteString(Usage)
		os.Exit(0)
	}
	for _, a := range args {
		if a == "-serve" || a == "--serve" || strings.HasPrefix(a, "-serve=") || strings.HasPrefix(a, "--serve=") {
			os.Stderr.WriteString("hongbao-viz: -serve needs no window, but this program opens one as it starts; on a machine without a display use: go run ./cmd/hongbao-viz/serve ADDR\n")
			os.Exit(2)
		}
	}
	os.Stderr.WriteString(NoDisplayMessage)
	os.Exit(1)
}
