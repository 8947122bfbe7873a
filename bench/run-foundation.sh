#!/bin/sh
# run-foundation.sh - "Speed and footprint": one-key GetConfiguration
# latency and RSS of the ocpp-cp daemon beside the floor (bench/canned_cp, a
# minimal libwebsockets client answering a canned frame), both measured in
# the same run against the same Node.js central system (bench/rpc_latency.js).
# Builds nothing.
#
#   bench/run-foundation.sh [OCPP_CP [CANNED_CP]]
#
# Environment: OCPP_CP, CANNED_CP (paths, default ./ocpp-cp and
# ./bench/canned_cp), CALLS (timed calls per client, default 10000),
# WARMUP (untimed calls first, default 500), ROUNDS (alternating floor /
# daemon runs, medians reported; default 3), STRICT=1 (ocpp-rpc strictMode
# on: both sides pay for schema validation in the central system), NODE.
# Exit status 1 if a run fails; missing an aim is reported, not a failure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ocpp_cp=${1:-${OCPP_CP:-./ocpp-cp}}
canned=${2:-${CANNED_CP:-./bench/canned_cp}}
calls=${CALLS:-10000}
warmup=${WARMUP:-500}
rounds=${ROUNDS:-3}
node=${NODE:-node}
strict=
[ "${STRICT:-0}" = 1 ] && strict=--strict

for p in "$ocpp_cp" "$canned"; do
	[ -x "$p" ] || { echo "run-foundation.sh: $p is not an executable (build it first)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-foundation.XXXXXX")
runner=
cleanup() {
	# rpc_latency.js kills its client when it is terminated.
	[ -n "$runner" ] && kill "$runner" 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# run NAME CMD ARGS...: one central system, one client, RESULT line to $tmp/NAME.out
run() {
	name=$1
	shift
	timeout 90 "$node" "$here/rpc_latency.js" --name "$name" --calls "$calls" --warmup "$warmup" $strict \
	    --client-log "$tmp/$name.log" -- "$@" >"$tmp/$name.out" 2>&1 &
	runner=$!
	if ! wait "$runner"; then
		runner=
		echo "run-foundation.sh: the $name run failed:" >&2
		cat "$tmp/$name.out" >&2
		tail -n 20 "$tmp/$name.log" >&2
		exit 1
	fi
	runner=
	grep -v '^RESULT ' "$tmp/$name.out" | sed "s/^/  /" || :
}

# Alternate floor and daemon for ROUNDS rounds and take medians: on a shared
# 2-core machine the load drifts over seconds, so one run of each can differ
# by tens of microseconds for reasons that are neither's.
r=1
while [ "$r" -le "$rounds" ]; do
	run "canned.$r" "$canned" --url '{url}' --id BENCHFLOOR
	rm -f "$tmp/ocpp-cp.db" "$tmp/ocpp-cp.db-wal" "$tmp/ocpp-cp.db-shm"
	run "ocpp-cp.$r" "$ocpp_cp" --url '{url}' --id BENCHCP --db "$tmp/ocpp-cp.db" \
	    --time-scale 1 --log-level warn
	r=$((r + 1))
done

echo
cat "$tmp"/*.out | grep '^RESULT ' | awk -v calls="$calls" -v warmup="$warmup" -v rounds="$rounds" '
{
	c = 0
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "name") { split(kv[2], nm, "."); c = (nm[1] == "canned") ? 1 : 2 }
		f[i] = kv[1]; x[i] = kv[2]
	}
	n[c]++
	for (i = 2; i <= NF; i++) v[c, f[i], n[c]] = x[i]
}
# median over the rounds (mawk has no asort: insertion sort of a copy)
function med(c, k,   i, j, t, a, m) {
	m = n[c]
	for (i = 1; i <= m; i++) a[i] = v[c, k, i] + 0
	for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
function worst(c, k, base,   i, d, w) {
	w = -1e18
	for (i = 1; i <= n[c]; i++) { d = v[c, k, i] - v[c, base, i]; if (d > w) w = d }
	return w
}
function row(label, k, aim,   a, b) {
	a = med(1, k); b = med(2, k)
	printf "%-33s %10.1f %10.1f %+10.1f  %s\n", label, a, b, b - a, aim
}
function rowi(label, k, aim,   a, b) {
	a = med(1, k); b = med(2, k)
	printf "%-33s %10d %10d %+10d  %s\n", label, a, b, b - a, aim
}
END {
	if (n[1] != rounds || n[2] != rounds) { print "run-foundation.sh: missing RESULT lines" > "/dev/stderr"; exit 1 }
	printf "%d calls per run after %d warm-up calls; medians of %d rounds\n", calls, warmup, rounds
	printf "%-33s %10s %10s %10s  %s\n", "one-key GetConfiguration", "floor", "ocpp-cp", "overhead", "aim (ocpp-cp)"
	row("latency p50 (us)", "p50_us", "overhead < 50")
	row("latency p90 (us)", "p90_us", "")
	row("latency p99 (us)", "p99_us", "")
	row("latency max (us)", "max_us", "")
	row("client CPU per call (us)", "cpu_us_per_call", "")
	rowi("idle RSS (kB)", "rss_idle_kb", "< 6144")
	rowi("  anonymous (kB)", "anon_idle_kb", "")
	rowi("  file-backed, libraries (kB)", "file_idle_kb", "")
	rowi("RSS after all calls (kB)", "rss_after_kb", "")
	printf "%-33s %+10d %+10d %10s  %s\n", "  worst growth since idle (kB)", worst(1, "rss_after_kb", "rss_idle_kb"), worst(2, "rss_after_kb", "rss_idle_kb"), "", "0"
	printf "%-33s %+10d %+10d %10s  %s\n", "  worst growth since warm-up (kB)", worst(1, "rss_after_kb", "rss_warm_kb"), worst(2, "rss_after_kb", "rss_warm_kb"), "", "0"
	over = med(2, "p50_us") - med(1, "p50_us")
	grow = worst(2, "rss_after_kb", "rss_idle_kb")
	idle = med(2, "rss_idle_kb")
	printf "\naims: p50 overhead %.1f us %s; idle RSS %d kB %s; RSS growth %+d kB %s\n",
	    over, over < 50 ? "met" : "MISSED", idle, idle < 6144 ? "met" : "MISSED", grow, grow <= 0 ? "met" : "MISSED"
	for (i = 1; i <= n[2]; i++) viol += v[2, "violations", i]
	if (viol > 0) printf "ocpp-cp: %d schema violations reported by the strict central system\n", viol
}'
