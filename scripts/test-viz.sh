#!/usr/bin/env bash
# Tests of the live visualizer (viz/, cmd/hongbao-viz), as a person would
# check it: the desktop program drawn under a virtual X display, and the
# browser build loaded in headless Chromium.
#
#   scripts/test-viz.sh          vet, gofmt, desktop tests, browser test
#   scripts/test-viz.sh --docs   also rewrite docs/img/viz.png and viz-browser.png
#
# It assumes the packages are installed (Debian: gcc libc6-dev libgl-dev
# libxcursor-dev libxi-dev libxinerama-dev libxrandr-dev libxxf86vm-dev
# xvfb xauth libgl1-mesa-dri chromium) and exits non-zero on any failure.
# About a minute and a half on two cores with a warm build cache; the
# first WebAssembly build adds about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

docs=false
for arg in "$@"; do
	case "$arg" in
	--docs) docs=true ;;
	*) echo "usage: scripts/test-viz.sh [--docs]" >&2; exit 2 ;;
	esac
done

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 ($2)"); }
need go "the Go toolchain"
need gcc "cgo, for Ebitengine on the desktop: apt-get install gcc libc6-dev"
need xvfb-run "a virtual X display: apt-get install xvfb xauth"
chromium=""
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then chromium=$c; break; fi
done
[ -n "$chromium" ] || missing+=("chromium (the browser test: apt-get install chromium)")
for h in GL/gl.h X11/Xcursor/Xcursor.h X11/extensions/XInput2.h X11/extensions/Xinerama.h X11/extensions/Xrandr.h X11/extensions/xf86vmode.h; do
	[ -e "/usr/include/$h" ] || missing+=("/usr/include/$h (apt-get install libgl-dev libxcursor-dev libxi-dev libxinerama-dev libxrandr-dev libxxf86vm-dev)")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "test-viz: missing tools:" >&2
	printf '  - %s\n' "${missing[@]}" >&2
	exit 2
fi

pkgs=(./viz/... ./cmd/hongbao-viz/...)
start=$SECONDS
step() { echo "== $* ($((SECONDS - start))s)"; }

step "gofmt"
unformatted=$(gofmt -l viz cmd/hongbao-viz)
if [ -n "$unformatted" ]; then
	echo "test-viz: not gofmt-ed:" >&2
	echo "$unformatted" >&2
	exit 1
fi

step "go vet"
CGO_ENABLED=1 go vet "${pkgs[@]}"
GOOS=js GOARCH=wasm go vet ./cmd/hongbao-viz ./viz ./viz/scene ./viz/live

# xvfb-run's screen must be 24-bit for GL; the tests draw offscreen at
# 1280×800.
xvfb=(xvfb-run -a -s "-screen 0 1280x800x24")

step "desktop tests under Xvfb"
HONGBAO_VIZ_REQUIRE_DISPLAY=1 "${xvfb[@]}" go test -count=1 "${pkgs[@]}"

step "browser test: the wasm build in headless $chromium"
frames=$(mktemp -d)
log="$frames/test.log"
if ! HONGBAO_BROWSER_TEST=1 VIZ_FRAMES_DIR="$frames" go test -count=1 -run TestBrowser -v ./viz/web >"$log" 2>&1; then
	cat "$log" >&2
	echo "test-viz: the browser test failed" >&2
	exit 1
fi
grep -E '^(--- |ok )' "$log"

if $docs; then
	step "screenshots for the docs"
	mkdir -p docs/img
	cp "$frames/browser.png" docs/img/viz-browser.png
	go build -o "$frames/hongbao-viz" ./cmd/hongbao-viz
	"${xvfb[@]}" "$frames/hongbao-viz" -screenshot docs/img/viz.png -day 30 default
	echo "wrote docs/img/viz.png and docs/img/viz-browser.png"
fi
rm -rf "$frames"

step "all visualizer tests passed"
