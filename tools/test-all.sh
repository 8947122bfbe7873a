#!/bin/sh
# README command 2: install what is missing, build, and run every test
# (cmocka unit tests, the sanitizer build's unit tests, the fuzz targets, the
# conformance suite against a real strict-mode central system, make
# distcheck, and the Debian package built from the release tarball).
# Works on a fresh Debian 12 machine as root; CI (.ci/run) calls exactly this.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
. "$top/tools/deps.sh"
cp_install_deps

./autogen.sh >/dev/null 2>&1 || { ./autogen.sh; exit 1; }

jobs=$(nproc 2>/dev/null || echo 2)
results=""

echo "== build (warnings are errors; kill points for the durability tests)"
mkdir -p _build/main && cd _build/main
grep -q -- '--enable-test-hooks' config.status 2>/dev/null ||
	"$top/configure" -q --enable-werror --enable-test-hooks
make -j"$jobs" >/dev/null
echo "== unit tests"
make -j"$jobs" check || { cat tests/*.log 2>/dev/null | tail -80; exit 1; }

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
mkdir -p "$top/_build/asan" && cd "$top/_build/asan"
[ -f Makefile ] || "$top/configure" -q --enable-sanitizers
ASAN_OPTIONS=detect_leaks=1 make -j"$jobs" check || { cat tests/*.log 2>/dev/null | tail -80; exit 1; }

# Each libFuzzer target briefly (fuzz/, README "Fuzzing"): a crash fails the run.
echo "== fuzz"
cd "$top/_build/main"
make -s --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-15}" || { echo "fuzz failed"; exit 1; }

echo "== conformance suite"
cd "$top/_build/main"
make conformance CASES=--jobs=2 2>&1 | tee "$top/_build/conformance.log"
conf_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$top/_build/conformance.log" | tail -1)
case "$conf_line" in *" 0 failed"*) ;; *) echo "conformance failed"; exit 1 ;; esac

echo "== make distcheck"
make -j"$jobs" distcheck >/dev/null 2>"$top/_build/distcheck.log" || { tail -60 "$top/_build/distcheck.log"; exit 1; }
echo "distcheck: ok"

# The Debian package, built from the tarball distcheck just checked, in a
# scratch directory: contents, systemd-analyze verify, lintian, and the
# packaged daemon run as its unit runs it (tools/deb-check.sh).
echo "== Debian package"
tarball=$(ls -t ocpp-cp-*.tar.gz | head -1)
"$top/tools/deb-check.sh" "$tarball"

# One closing line for CI: every unit test program and conformance case.
unit_pass=$(grep -h '^# PASS:' "$top/_build/main/test-suite.log" 2>/dev/null | awk '{print $3}')
[ -n "$unit_pass" ] || unit_pass=$(grep -c '^PASS:' "$top/_build/main/tests/"*.log 2>/dev/null | awk -F: '{s+=$2} END {print s+0}')
conf_pass=$(echo "$conf_line" | sed -E 's/^([0-9]+) passed.*/\1/')
conf_skip=$(echo "$conf_line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
unit_skip=$(grep -h '^# SKIP:' "$top/_build/main/test-suite.log" 2>/dev/null | awk '{print $3}')
skipped=$(( ${conf_skip:-0} + ${unit_skip:-0} ))
echo "all tests: unit programs and conformance cases"
if [ "$skipped" -gt 0 ]; then
	echo "skipped (see above for why):"
	grep -E '^[a-z0-9_]+ +SKIP' "$top/_build/conformance.log" | sed 's/^/  /' || true
	echo "$((unit_pass + conf_pass)) passed, 0 failed, $skipped skipped"
else
	echo "$((unit_pass + conf_pass)) passed, 0 failed"
fi
