#!/usr/bin/env bash
# ab-alternate.sh times two hongbao binaries one after the other on all
# cores, as the engine issue (#16) asks for its whole-process figures:
# A B B A A B ... so that a drift of the shared machine falls on both. It
# prints each run's set-up, steps, wall, CPU a user-day and peak RSS, then
# each column's median for A and for B and A/B (how many times faster B
# is). ab-pairs.sh is the other measure: both at once, one core each,
# which sees changes of 1-3% that this cannot; this sees the cores used
# together, set-up included.
#
#   scripts/ab-alternate.sh [-n RUNS] A_BINARY "A_FLAGS" B_BINARY "B_FLAGS"
#   scripts/ab-alternate.sh -n 7 /tmp/hbA "--core" /tmp/hbB "--scenario docs/perf/core-at-filing.toml"
#
# The flags are hongbao bench's, split at spaces. Nothing is written but a
# temporary folder, removed on exit.
set -euo pipefail
n=5
if [[ ${1:-} == -n ]]; then n=$2; shift 2; fi
if [[ $# -ne 4 ]]; then
	sed -n '2,15p' "$0" >&2
	exit 2
fi
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "ab-alternate: -n wants a count of runs, not $n" >&2; exit 2; }
a=$1 aflags=$2 b=$3 bflags=$4
for x in "$a" "$b"; do
	[[ -x $x ]] || { echo "ab-alternate: $x is not an executable" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# field NAME FILE: the number after NAME at the start of a line of bench's output.
field() { awk -v k="$1" 'index($0, k) == 1 { s = substr($0, length(k) + 1); if (match(s, /[0-9.]+/)) print substr(s, RSTART, RLENGTH); exit }' "$2"; }
one() { # one WHO BINARY FLAGS
	local out=$tmp/run
	# shellcheck disable=SC2086 # the flags are split at spaces on purpose
	"$2" bench $3 >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
	local row
	row="$1 $(field 'set-up' "$out") $(field 'steps' "$out") $(field 'wall' "$out") $(field 'CPU/user-day' "$out") $(field 'peak RSS' "$out")"
	echo "$row" >>"$tmp/all"
	echo "$row" | awk '{printf "%-3s %7.2f %7.2f %7.2f %8.1f %8.1f\n", $1, $2, $3, $4, $5, $6}'
}
echo "run set-up   steps    wall  ns/u-d   RSS MB"
for r in $(seq 1 "$n"); do
	if ((r % 2)); then
		one A "$a" "$aflags"
		one B "$b" "$bflags"
	else
		one B "$b" "$bflags"
		one A "$a" "$aflags"
	fi
done
awk '
	function median(who, col,    v, m, i, j, t) {
		m = 0
		for (i = 1; i <= NR; i++) if (w[i] == who) v[++m] = x[i, col]
		for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
		return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
	}
	{ w[NR] = $1; for (c = 2; c <= 6; c++) x[NR, c] = $c }
	END {
		printf "medians  set-up   steps    wall  ns/u-d   RSS MB\n"
		for (c = 2; c <= 6; c++) { A[c] = median("A", c); B[c] = median("B", c) }
		printf "A      %7.2f %7.2f %7.2f %8.1f %8.1f\n", A[2], A[3], A[4], A[5], A[6]
		printf "B      %7.2f %7.2f %7.2f %8.1f %8.1f\n", B[2], B[3], B[4], B[5], B[6]
		printf "A/B    %7.2f %7.2f %7.2f %8.2f\n", A[2] / B[2], A[3] / B[3], A[4] / B[4], A[5] / B[5]
	}' "$tmp/all"
