# Sourced by tools/test-all.sh and tools/demo.sh: installs what the build
# and the tests need on Debian 12 (as root), and the npm packages.  clang and
# libclang-rt-14-dev (libFuzzer's runtime, only recommended by clang-14) are
# for make fuzz; chromium (driven headless by the npm package playwright-core)
# for the installer page's browser case, conformance http_page_browser.
# debhelper, dpkg-dev, fakeroot, lintian and systemd (systemd-analyze) build
# and check the Debian package (debian/, the packaging step of test-all.sh).
cp_install_deps() {
	pkgs="build-essential autoconf automake libtool pkg-config libwebsockets-dev libssl-dev
	      libcjson-dev libsqlite3-dev libmodbus-dev libcmocka-dev libcurl4-openssl-dev
	      nodejs npm python3 ca-certificates openssl sqlite3
	      clang libclang-rt-14-dev chromium
	      debhelper dpkg-dev fakeroot lintian systemd"
	missing=""
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || {
			# node/npm may come from elsewhere (e.g. NodeSource): accept a working binary.
			case "$p" in
			nodejs) command -v node >/dev/null && continue ;;
			npm) command -v npm >/dev/null && continue ;;
			python3) command -v python3 >/dev/null && continue ;;
			esac
			missing="$missing $p"
		}
	done
	if [ -n "$missing" ]; then
		echo "== installing:$missing"
		if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
		$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
	fi
	if [ ! -d node_modules/ocpp-rpc ] || [ ! -d node_modules/modbus-serial ] ||
	   [ ! -d node_modules/playwright-core ]; then
		echo "== npm install"
		npm install --no-audit --no-fund --loglevel=error >/dev/null
	fi
}
