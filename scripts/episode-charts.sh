#!/usr/bin/env bash
# Redraws the episode charts of docs/episodes.md: each library episode with
# record figures against the record (hongbao chart episode), into docs/img as
# episode-NAME.png, .svg and .csv. Run it after a refit of the behaviour
# profile (scenarios/profiles/behaviour.toml) or a change to record/*.csv or
# calibration/library.toml, and commit the result.
#
#   scripts/episode-charts.sh            every chart, into docs/img
#   scripts/episode-charts.sh OUT NAME   one episode into OUT (a check)
#
# The figures each chart overlays are the calibration spec's targets and
# held-out figures on that episode, and the inputs named below (budgets the
# episode takes from the record). Sizes keep each chart near a minute or less
# on a loaded 2-core machine: 20 seeds each, every episode at its own size but
# china-2013-2017 (five years) at 5,000 of its 20,000 users, the size of its
# tests in sim/episodes.
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/img
only=""
case $# in
0) ;;
2) out=$1 only=$2 ;;
*) echo "usage: scripts/episode-charts.sh [OUT NAME]" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/hongbao" ./cmd/hongbao

# episode, then its flags
charts=(
	"china-2013-2017 --users 5000 --inputs gala-2015-budget,gala-2016-budget"
	"spring-festival-2014"
	"taxi-war-2014 --inputs didi-spend-q1,kuaidi-spend-h1"
	"laiwang-push-2013"
	"gala-shake-2015 --inputs gala-2015-budget"
)
for line in "${charts[@]}"; do
	read -r -a args <<<"$line"
	name=${args[0]}
	if [[ -n $only && $name != "$only" ]]; then
		continue
	fi
	start=$SECONDS
	"$tmp/hongbao" chart episode "${args[@]}" --seeds 20 --out "$out" --quiet
	echo "$name: $((SECONDS - start)) s" >&2
done
