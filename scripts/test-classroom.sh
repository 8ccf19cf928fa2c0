#!/usr/bin/env bash
# The classroom's browser test: a teacher and three students in Debian's
# headless Chromium, driven by playwright-core from npm (the library only:
# it never downloads a browser). Installs chromium, node and npm with apt
# and playwright-core into classroom/browsertest/node_modules (gitignored)
# when they are missing. Bounded: the whole script stops after 3 minutes.
#
#   scripts/test-classroom.sh            run it
#   scripts/test-classroom.sh --shots D  keep the screenshots in D
set -euo pipefail
cd "$(dirname "$0")/.."

shots=""
while [ $# -gt 0 ]; do
	case "$1" in
	--shots) shots="$2"; shift 2 ;;
	*) echo "usage: scripts/test-classroom.sh [--shots DIR]" >&2; exit 2 ;;
	esac
done

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	echo "installing the classroom browser test's packages: ${missing[*]}"
	if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
		echo "test-classroom: could not install ${missing[*]}; install them with apt-get install ${missing[*]}" >&2
		exit 1
	fi
fi

bt=classroom/browsertest
if [ ! -d "$bt/node_modules/playwright-core" ]; then
	echo "installing playwright-core into $bt/node_modules"
	(cd "$bt" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/hongbao" ./cmd/hongbao
[ -n "$shots" ] || shots="$work/shots"
mkdir -p "$shots"
echo "== classroom browser test (headless chromium)"
HONGBAO_BIN="$work/hongbao" SHOTS="$shots" timeout --kill-after=10 180 node "$bt/classroom.mjs"
