#!/usr/bin/env bash
# ab-pairs.sh times two hongbao binaries side by side: each pair runs A
# and B at the same time, one core each (GOMAXPROCS=1), so that both see
# the same machine. On a shared machine whose speed moves by 2x within
# minutes, runs alternated one after the other gave pairs from 0.80 to
# 1.53; pairs run together gave 0.95-1.02 (README, Performance, fifteenth
# round). It prints each pair's steps and B/A, then the medians of A and
# B with the ratio of those medians, then the median of the pairs' own
# ratios; on a noisy machine the two can differ by a point or more, so
# say which one you quote.
#
#   scripts/ab-pairs.sh [-n PAIRS] A_BINARY B_BINARY [bench flags...]
#   scripts/ab-pairs.sh -n 6 /tmp/hbA /tmp/hbB --scenario docs/perf/core-at-filing.toml
#
# Both binaries get the same bench flags. Nothing is written but a
# temporary folder, removed on exit.
set -euo pipefail
n=5
if [[ ${1:-} == -n ]]; then n=$2; shift 2; fi
if [[ $# -lt 2 ]]; then
	sed -n '2,16p' "$0" >&2
	exit 2
fi
a=$1 b=$2
shift 2
for x in "$a" "$b"; do
	[[ -x $x ]] || { echo "ab-pairs: $x is not an executable" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
steps() { awk '/^steps/{print $2}' "$1"; }
echo "pair  A steps  B steps  B/A"
for r in $(seq 1 "$n"); do
	GOMAXPROCS=1 "$a" bench "$@" >"$tmp/a" 2>&1 &
	pa=$!
	GOMAXPROCS=1 "$b" bench "$@" >"$tmp/b" 2>&1 &
	pb=$!
	wait "$pa" || { cat "$tmp/a" >&2; exit 1; }
	wait "$pb" || { cat "$tmp/b" >&2; exit 1; }
	sa=$(steps "$tmp/a") sb=$(steps "$tmp/b")
	echo "$sa $sb" >>"$tmp/all"
	awk -v r="$r" -v a="$sa" -v b="$sb" 'BEGIN{printf "%4d  %7.2f  %7.2f  %.3f\n", r, a, b, b/a}'
done
sort -n -k1 "$tmp/all" | awk '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}' >"$tmp/ma"
sort -n -k2 "$tmp/all" | awk '{b[NR]=$2} END{m=(NR%2)?b[(NR+1)/2]:(b[NR/2]+b[NR/2+1])/2; print m}' >"$tmp/mb"
awk -v a="$(cat "$tmp/ma")" -v b="$(cat "$tmp/mb")" 'BEGIN{printf "medians  %.2f  %.2f  %.3f\n", a, b, b/a}'
awk '{print $2/$1}' "$tmp/all" | sort -g | awk '{r[NR]=$1} END{m=(NR%2)?r[(NR+1)/2]:(r[NR/2]+r[NR/2+1])/2; printf "pairs'"'"' median B/A  %.3f\n", m}'
