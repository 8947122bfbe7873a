#!/bin/sh
# fuzz/run.sh SRCDIR BUILDDIR [TARGET...] - runs each libFuzzer target of
# fuzz/ for FUZZ_SECONDS (default 60) from its seed corpus and dictionary,
# prints the executions per target, and fails when a target crashed.
# New corpus entries go to BUILDDIR/fuzz-corpus/TARGET, crash inputs to
# BUILDDIR/fuzz-crash/ (reproduce: BUILDDIR/fuzz/TARGET FILE).
set -u
src=$1
build=$2
shift 2
targets=${*:-fuzz_ocpp fuzz_control fuzz_cfg_value fuzz_provision fuzz_sc fuzz_time fuzz_p1 fuzz_mb_map fuzz_scn_frame fuzz_cert fuzz_csr}
secs=${FUZZ_SECONDS:-60}
failed=""
mkdir -p "$build/fuzz-corpus" "$build/fuzz-crash"
for t in $targets; do
	t=${t#fuzz/}
	corpus="$build/fuzz-corpus/$t"
	log="$build/fuzz-crash/$t.log"
	mkdir -p "$corpus"
	dict=""
	[ -s "$src/fuzz/$t.dict" ] && dict="-dict=$src/fuzz/$t.dict"
	# -timeout: one input running this long is a hang, reported as a crash.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$build/fuzz/$t" -max_total_time="$secs" -timeout=25 -max_len=8192 \
	    -print_final_stats=1 -artifact_prefix="$build/fuzz-crash/$t-" $dict \
	    "$corpus" "$src/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		echo "fuzz: $t CRASHED after ${execs:-?} executions (log $log):"
		grep -E 'ERROR|fuzz:|runtime error|SUMMARY|Test unit written' "$log" | head -20
		failed="$failed $t"
	else
		echo "fuzz: $t ${execs:-0} executions in ${secs}s (${speed:-0}/s, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l))"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: crashed:$failed"
	exit 1
fi
