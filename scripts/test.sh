#!/usr/bin/env bash
# Runs every test of hongbao on a fresh Debian 12 machine with Go.
# The engine and CLI need nothing but Go. The visualizer's tests need cgo,
# the X11/GL headers, Xvfb and Chromium: this script installs them with apt
# when it can (as root or with sudo) and says exactly what is missing when
# it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

viz_pkgs=(gcc libc6-dev libgl-dev libxcursor-dev libxi-dev libxinerama-dev libxrandr-dev libxxf86vm-dev xvfb xauth libgl1-mesa-dri chromium)

need_viz=0
if [ -d viz ] && [ -f scripts/test-viz.sh ]; then need_viz=1; fi

if [ "$need_viz" = 1 ]; then
  missing=()
  for p in "${viz_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "installing the visualizer's test dependencies: ${missing[*]}"
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
      echo "error: could not install: ${missing[*]}" >&2
      echo "install them with: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
fi

echo "== go vet (headless packages)"
CGO_ENABLED=0 go vet $(go list ./... | grep -v -e '/viz' -e '/cmd/hongbao-viz')

echo "== go test (engine, scenarios, CLI, sweeps, games)"
CGO_ENABLED=0 go test -count=1 $(go list ./... | grep -v -e '/viz' -e '/cmd/hongbao-viz')

echo "== the headless CLI builds without cgo"
bindir=$(mktemp -d)
CGO_ENABLED=0 go build -o "$bindir/hongbao" ./cmd/hongbao

echo "== scripts/bench-features.sh on a small world (each variant lacks what it says), old engine against new"
rows=$(scripts/bench-features.sh -n 1 -u 20000 -d 20 -a "$bindir/hongbao" "$bindir/hongbao" | wc -l)
rm -rf "$bindir"
[ "$rows" = 15 ] || { echo "error: bench-features.sh -a printed $rows lines, want two tables of a header and 6 worlds each, a blank line between" >&2; exit 1; }

echo "== classroom in a real browser (teacher and three students, kill -9 and restart)"
bash scripts/test-classroom.sh

echo "== cluster sweep on a real single-node Slurm (deploy/slurm)"
bash scripts/test-slurm.sh

if [ "$need_viz" = 1 ]; then
  echo "== visualizer (desktop under Xvfb, browser in headless Chromium)"
  bash scripts/test-viz.sh
fi
