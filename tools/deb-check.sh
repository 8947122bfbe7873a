#!/bin/sh
# tools/deb-check.sh TARBALL: build the Debian package from a release tarball
# (make dist) in a scratch directory, the way README "Install on a
# controller" does from a checkout, and check what it installs:
#  - debian/changelog's version is the tarball's (configure.ac's);
#  - the .deb holds the three programs, the installer page, the man pages,
#    the unit, the sysusers file and the two files of /etc/ocpp-cp;
#  - systemd-analyze verify accepts the unit as packaged (its ExecStart
#    and man pages resolved inside the package);
#  - lintian reports no error (warnings are shown; overrides are in
#    debian/ocpp-cp.lintian-overrides, each with its reason);
#  - the packaged ocpp-cp, run as the unit runs it with the shipped
#    /etc/ocpp-cp files, exits 2 (not restarted) until a --url and --id are
#    given, then boots, answers the packaged ocpp-cpctl on its control
#    socket and exits 0 on SIGTERM.
# The package build runs make check (debian/rules; DEB_BUILD_OPTIONS=nocheck
# skips it).  Nothing outside the scratch directory is touched; it needs
# debhelper, dpkg-dev, fakeroot, lintian and systemd (tools/deps.sh).
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocpp-cp-deb.XXXXXX")
daemon=
cleanup() {
	[ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
	echo "package: FAIL: $*"
	exit 1
}

# ---- build ------------------------------------------------------------------
tar -xzf "$tarball" -C "$tmp"
src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'ocpp-cp-*')
version=${src##*/ocpp-cp-}
cd "$src"
deb_version=$(dpkg-parsechangelog -S Version)
[ "$deb_version" = "$version" ] ||
	fail "debian/changelog is at $deb_version but configure.ac at $version (add a changelog entry: dch -v $version)"
dpkg-buildpackage -us -uc -b -j"$jobs" >"$tmp/build.log" 2>&1 || {
	tail -60 "$tmp/build.log"
	fail "dpkg-buildpackage failed (the last lines are above)"
}
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb="$tmp/ocpp-cp_${version}_${arch}.deb"
[ -f "$deb" ] || fail "dpkg-buildpackage made no $deb"
built=$(date +%s)

# ---- contents -----------------------------------------------------------------
echo "== $(basename "$deb"): files"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print "  " $6 }' | tee "$tmp/files"
for f in /usr/bin/ocpp-cp /usr/bin/ocpp-cp-transfer /usr/bin/ocpp-cpctl \
	/usr/share/ocpp-cp/web/index.html /usr/share/ocpp-cp/web/app.js /usr/share/ocpp-cp/web/style.css \
	/usr/share/man/man8/ocpp-cp.8.gz /usr/share/man/man1/ocpp-cpctl.1.gz \
	/lib/systemd/system/ocpp-cp.service /usr/lib/sysusers.d/ocpp-cp.conf \
	/etc/ocpp-cp/ocpp-cp.conf /etc/ocpp-cp/provision.txt; do
	grep -qx "  $f" "$tmp/files" || fail "$f is not in the package"
done
root="$tmp/root"
dpkg-deb -x "$deb" "$root"

# ---- the unit -----------------------------------------------------------------
# verify resolves ExecStart= and the Documentation= man pages; under --root
# it also needs the targets the unit's default dependencies name, so the
# scratch root gets a copy of this machine's system units beside the package.
unit=/lib/systemd/system/ocpp-cp.service
if ! command -v systemd-analyze >/dev/null 2>&1; then
	verify="skipped (no systemd-analyze; apt-get install systemd)"
elif [ ! -d /lib/systemd/system ] || [ ! -f /lib/systemd/system/sysinit.target ]; then
	verify="skipped (no systemd units on this machine to verify against)"
else
	vroot="$tmp/vroot"
	mkdir -p "$vroot/lib/systemd"
	cp -r /lib/systemd/system "$vroot/lib/systemd/"
	cp -r "$root/." "$vroot/"
	if MANPATH="$root/usr/share/man" systemd-analyze verify --root="$vroot" "$unit" \
		>"$tmp/verify.log" 2>&1 && [ ! -s "$tmp/verify.log" ]; then
		verify="ok"
	else
		cat "$tmp/verify.log"
		fail "systemd-analyze verify $unit (above)"
	fi
fi

# ---- lintian ------------------------------------------------------------------
lintian "$tmp/ocpp-cp_${version}_${arch}.changes" >"$tmp/lintian.log" 2>&1 || {
	cat "$tmp/lintian.log"
	fail "lintian reports errors (above)"
}
grep -v '^running with root privileges' "$tmp/lintian.log" || true
lint_w=$(grep -c '^W: ' "$tmp/lintian.log" || true)

# ---- the packaged programs ----------------------------------------------------
bin="$root/usr/bin"
"$bin/ocpp-cp" --help | head -1 | grep -q '^usage: ocpp-cp ' || fail "ocpp-cp --help"
"$bin/ocpp-cpctl" --help | head -1 | grep -q '^usage: ocpp-cpctl ' || fail "ocpp-cpctl --help"
# The unit's command line (ExecStart) with the paths moved into the scratch
# directory and the shipped configuration files.
args=$(sed -n 's/^OCPP_CP_ARGS="\(.*\)"$/\1/p' "$root/etc/ocpp-cp/ocpp-cp.conf")
[ -z "$args" ] || fail "the shipped ocpp-cp.conf should leave OCPP_CP_ARGS empty, not '$args'"
state="$tmp/state"
mkdir -p "$state"
set -- --db "$state/ocpp-cp.db" --control "$state/ctl.sock" --config "$root/etc/ocpp-cp/provision.txt"
rc=0
"$bin/ocpp-cp" "$@" $args 2>"$tmp/unconfigured.log" || rc=$?
[ $rc = 2 ] && grep -q -- '--url is required' "$tmp/unconfigured.log" ||
	fail "unconfigured, ocpp-cp should exit 2 saying --url is required (exit $rc: $(cat "$tmp/unconfigured.log"))"
"$bin/ocpp-cp" "$@" --url ws://127.0.0.1:9/ocpp --id CI-DEB >"$tmp/daemon.log" 2>&1 &
daemon=$!
i=0
until "$bin/ocpp-cpctl" --control "$state/ctl.sock" status >"$tmp/status" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -ge 50 ] || ! kill -0 "$daemon" 2>/dev/null; then
		cat "$tmp/daemon.log"
		fail "the packaged ocpp-cp did not answer on its control socket"
	fi
	sleep 0.1
done
grep -q '^socket 1:' "$tmp/status" || fail "ocpp-cpctl status: $(cat "$tmp/status")"
kill -TERM "$daemon"
rc=0
wait "$daemon" || rc=$?
daemon=
[ $rc = 0 ] || { cat "$tmp/daemon.log"; fail "ocpp-cp exited $rc on SIGTERM (expected 0)"; }

end=$(date +%s)
echo "package: ok: $(basename "$deb") ($(wc -l <"$tmp/files") files), built in" \
	"$((built - start)) s, checked in $((end - built)) s; systemd-analyze verify: $verify;" \
	"lintian: 0 errors, $lint_w warnings; packaged ocpp-cp boots and stops cleanly"
