#!/bin/sh
# run-foundation.sh - issue 2 "Speed and footprint": one-key GetConfiguration
# latency and RSS of the ocpp-cp daemon beside the floor (bench/canned_cp, a
# minimal libwebsockets client answering a canned frame), both measured in
# the same run against the same Node.js central system (bench/rpc_latency.js).
# Builds nothing.
#
#   bench/run-foundation.sh [OCPP_CP [CANNED_CP]]
#
# Environment: OCPP_CP, CANNED_CP (paths, default ./ocpp-cp and
# ./bench/canned_cp), CALLS (timed calls per client, default 10000),
# WARMUP (untimed calls first, default 500), STRICT=1 (ocpp-rpc strictMode
# on: both sides pay for schema validation in the central system), NODE.
# Exit status 1 if a run fails; missing an aim is reported, not a failure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ocpp_cp=${1:-${OCPP_CP:-./ocpp-cp}}
canned=${2:-${CANNED_CP:-./bench/canned_cp}}
calls=${CALLS:-10000}
warmup=${WARMUP:-500}
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
	grep -v '^RESULT ' "$tmp/$name.out" || :
}

run canned "$canned" --url '{url}' --id BENCHFLOOR
run ocpp-cp "$ocpp_cp" --url '{url}' --id BENCHCP --db "$tmp/ocpp-cp.db" \
    --time-scale 1 --log-level warn

echo
grep -h '^RESULT ' "$tmp/canned.out" "$tmp/ocpp-cp.out" | awk -v calls="$calls" -v warmup="$warmup" '
{
	for (i = 2; i <= NF; i++) { split($i, kv, "="); v[NR, kv[1]] = kv[2] }
}
function row(label, k, unit, aim,   a, b) {
	a = v[1, k]; b = v[2, k]
	printf "%-28s %12s %12s %+12.1f  %s\n", label, a, b, b - a, aim
}
END {
	if (NR != 2) { print "run-foundation.sh: missing RESULT lines" > "/dev/stderr"; exit 1 }
	printf "%-28s %12s %12s %12s  %s\n", "one-key GetConfiguration", "floor", "ocpp-cp", "overhead", "aim (ocpp-cp)"
	row("latency p50 (us)", "p50_us", "us", "overhead < 50")
	row("latency p90 (us)", "p90_us", "us", "")
	row("latency p99 (us)", "p99_us", "us", "")
	row("latency max (us)", "max_us", "us", "")
	row("client CPU per call (us)", "cpu_us_per_call", "us", "")
	row("idle RSS (kB)", "rss_idle_kb", "kB", "< 6144")
	row("  of which anonymous (kB)", "anon_idle_kb", "kB", "")
	row("  of which file/libs (kB)", "file_idle_kb", "kB", "")
	printf "%-28s %12s %12s %12s  %s\n", "RSS after " warmup "+" calls " calls (kB)", v[1, "rss_after_kb"], v[2, "rss_after_kb"], "", ""
	printf "%-28s %+12d %+12d %12s  %s\n", "  growth since idle (kB)", v[1, "rss_after_kb"] - v[1, "rss_idle_kb"], v[2, "rss_after_kb"] - v[2, "rss_idle_kb"], "", "0"
	printf "%-28s %+12d %+12d %12s  %s\n", "  growth since warm-up (kB)", v[1, "rss_after_kb"] - v[1, "rss_warm_kb"], v[2, "rss_after_kb"] - v[2, "rss_warm_kb"], "", "0"
	over = v[2, "p50_us"] - v[1, "p50_us"]
	grow = v[2, "rss_after_kb"] - v[2, "rss_idle_kb"]
	printf "\naims: p50 overhead %.1f us %s; idle RSS %d kB %s; RSS growth %+d kB %s\n",
	    over, over < 50 ? "met" : "MISSED", v[2, "rss_idle_kb"], v[2, "rss_idle_kb"] < 6144 ? "met" : "MISSED",
	    grow, grow <= 0 ? "met" : "MISSED"
	if (v[2, "violations"] + 0 > 0) printf "ocpp-cp: %d schema violations (strictMode)\n", v[2, "violations"]
}'
