#!/usr/bin/env bash
# bench-features.sh shows where issue #16's hongbao bench workload, the
# filing day's default (docs/perf/default-at-filing.toml), spends its time,
# feature by feature: it times that world and the same world less one
# feature at a time (envelopes, events, campaigns and the strategy, the
# merchants' changes of wallets), and the core world, which lacks them all
# (docs/perf/core-at-filing.toml). A feature's cost is part engine and part
# the work the model gives the engine, so it also counts each world's
# payments of the year: a wallet payment is a choice and a ledger entry, a
# cash payment at a merchant that takes no wallet of the payer's is drawn
# for a partition at once (cashonly.go).
#
#   scripts/bench-features.sh [-n RUNS] [-u USERS] [-d DAYS] [-a OLD] [HONGBAO]
#   scripts/bench-features.sh -n 3 /tmp/hb
#   scripts/bench-features.sh -n 3 -a /tmp/hbF /tmp/hb
#
# With -a, each world also runs whole (hongbao run: set-up, steps and
# output) under an older engine OLD and HONGBAO in turn, RUNS times, and a
# second table gives the medians of their wall times and OLD's over
# HONGBAO's: what the rounds since OLD gained world by world. Any engine
# since the filing day runs the files (hongbao bench --scenario came
# later, so whole runs are what both can time).
#
# The worlds run in turn RUNS times (3 by default), so a drift of the
# shared machine falls on all; the table has each column's median. Then
# each world runs once more with hongbao run for its counts (they depend
# on the seed only). USERS and DAYS (hongbao bench's million and 365 by
# default) make a smaller world, which scripts/test.sh runs to check the
# script. Nothing is written but a temporary folder, removed on exit. Run
# it from the repository's root.
set -euo pipefail
n=3 users=1000000 days=365 old=
while [[ ${1:-} == -[nuda] ]]; do
	case $1 in
	-n) n=${2:-} ;;
	-u) users=${2:-} ;;
	-d) days=${2:-} ;;
	-a) old=${2:-} ;;
	esac
	shift 2 || { echo "bench-features: $1 wants a value" >&2; exit 2; }
done
if [[ $# -gt 1 ]]; then
	sed -n '2,31p' "$0" >&2
	exit 2
fi
for x in "$n" "$users" "$days"; do
	[[ $x =~ ^[1-9][0-9]*$ ]] || { echo "bench-features: -n, -u and -d want whole numbers, not '$x'" >&2; exit 2; }
done
hb=${1:-hongbao}
command -v "$hb" >/dev/null || { echo "bench-features: $hb is not an executable" >&2; exit 2; }
[[ -z $old ]] || command -v "$old" >/dev/null || { echo "bench-features: -a $old is not an executable" >&2; exit 2; }
base=docs/perf/default-at-filing.toml
[[ -f $base ]] || { echo "bench-features: run me from the repository's root ($base not found)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The variants, each the filing day's file less one feature.
cp "$base" "$tmp/default.toml"
cp docs/perf/core-at-filing.toml "$tmp/core.toml"
# envelopes.per_day 0: no envelope is sent, on the festivals either (their
# multipliers multiply it).
awk '/^\[/ { env = ($0 == "[envelopes]") } env && /^per_day *=/ { $0 = "per_day = 0" } { print }' "$base" >"$tmp/no-envelopes.toml"
# the file's events (two Spring Festivals and a flash sale) close it.
awk '/^\[\[events\]\]/ { exit } { print }' "$base" >"$tmp/no-events.toml"
# every campaign and the strategy that answers one.
awk '/^\[\[platforms\.campaigns\]\]$/ || /^\[platforms\.strategy\]$/ { skip = 1; next } /^\[/ { skip = 0 } !skip { print }' "$base" >"$tmp/no-campaigns.toml"
# a merchant never changes the wallets it takes: the core world's setting.
awk '{ print } /^\[\[merchants\]\]$/ { print "stickiness = 1" }' "$base" >"$tmp/sticky-merchants.toml"
worlds=(default no-envelopes no-events no-campaigns sticky-merchants core)
# Each variant must lack what it says it lacks (and the file must still
# have it): a change to the filing day's file that the patterns above miss
# stops the script rather than timing the wrong world.
check() { # check FILE PATTERN WANT: PATTERN's count in FILE must be WANT
	local got
	got=$(grep -c -- "$2" "$tmp/$1.toml" || true)
	[[ $got == "$3" ]] || { echo "bench-features: $1.toml has $got lines like '$2', want $3" >&2; exit 1; }
}
merchants=$(grep -c '^\[\[merchants\]\]$' "$base")
((merchants > 0)) || { echo "bench-features: $base has no merchants" >&2; exit 1; }
check default '^per_day = 0.004$' 1
check no-envelopes '^per_day = 0$' 1
check no-events '^\[\[events\]\]$' 0
check no-campaigns '^\[\[platforms\.campaigns\]\]$' 0
check no-campaigns '^\[platforms\.strategy\]$' 0
check sticky-merchants '^stickiness = 1$' "$merchants"

# field NAME FILE: the first number after NAME at the start of a line.
field() { awk -v k="$1" 'index($0, k) == 1 { s = substr($0, length(k) + 1); if (match(s, /[0-9.]+/)) print substr(s, RSTART, RLENGTH); exit }' "$2"; }
for r in $(seq 1 "$n"); do
	for v in "${worlds[@]}"; do
		out=$tmp/bench
		"$hb" bench --scenario "$tmp/$v.toml" --users "$users" --days "$days" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
		row="$v $(field steps "$out") $(field CPU/user-day "$out") $(field '  users' "$out") $(field '  deliver' "$out") $(field '  settle' "$out")"
		echo "$row" >>"$tmp/all"
		echo "run $r: $row" >&2
	done
done
for v in "${worlds[@]}"; do
	"$hb" run "$tmp/$v.toml" --users "$users" --days "$days" --out "$tmp/out-$v" --quiet --force
	# wallet payments: every platform's row; cash payments: one row a day.
	awk -F, -v v="$v" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ w += $c["payments"]; if ($c["platform"] == p0 || p0 == "") { p0 = $c["platform"]; k += $c["cash_payments"] } }
		END { printf "%s %.1f %.1f\n", v, w / 1e6, k / 1e6 }' "$tmp/out-$v/timeseries.csv" >>"$tmp/counts"
	rm -rf "$tmp/out-$v"
done
# median(WHO, COL): the median of column COL over the rows w[i] == WHO of
# x[i, COL], i from 1 to rows (both tables' programs start with it).
median='
	function median(who, col,    v, m, i, j, t) {
		m = 0
		for (i = 1; i <= rows; i++) if (w[i] == who) v[++m] = x[i, col]
		for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
		return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
	}'
awk "$median"'
	FNR == NR { rows++; w[rows] = $1; for (c = 2; c <= 6; c++) x[rows, c] = $c; if (!($1 in seen)) { seen[$1] = 1; order[++nw] = $1 }; next }
	{ wal[$1] = $2; cash[$1] = $3 }
	END {
		printf "%-17s %7s %8s %7s %8s %7s %12s %10s\n", "world (medians)", "steps", "ns/u-d", "users", "deliver", "settle", "wallet pays", "cash pays"
		for (i = 1; i <= nw; i++) {
			v = order[i]
			printf "%-17s %7.2f %8.1f %7.2f %8.2f %7.2f %11.1fM %9.1fM\n", v, median(v, 2), median(v, 3), median(v, 4), median(v, 5), median(v, 6), wal[v], cash[v]
		}
	}' "$tmp/all" "$tmp/counts"
[[ -n $old ]] || exit 0

# whole ROLE BIN WORLD: BIN's whole run of WORLD, its wall seconds added
# to the file whole as a row "ROLE WORLD SECONDS" (ROLE old or new).
whole() {
	local out=$tmp/whole-out t
	rm -rf "$out"
	t=$( { TIMEFORMAT=%R; time "$2" run "$tmp/$3.toml" --users "$users" --days "$days" --out "$out" --quiet >/dev/null 2>"$tmp/err"; } 2>&1 ) || { echo "bench-features: $2 run $3.toml failed:" >&2; cat "$tmp/err" >&2; exit 1; }
	rm -rf "$out"
	echo "$1 $3 $t" >>"$tmp/whole"
	echo "run $r: $1 $3 $t" >&2
}
for r in $(seq 1 "$n"); do
	for v in "${worlds[@]}"; do
		whole old "$old" "$v"
		whole new "$hb" "$v"
	done
done
echo
awk "$median"'
	{ rows++; w[rows] = $1 " " $2; x[rows, 3] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++nw] = $2 } }
	END {
		printf "%-19s %10s %10s %8s\n", "whole run (medians)", "old s", "new s", "old/new"
		for (i = 1; i <= nw; i++) {
			v = order[i]; a = median("old " v, 3); b = median("new " v, 3)
			printf "%-19s %10.2f %10.2f %7.2fx\n", v, a, b, a / b
		}
	}' "$tmp/whole"
