#!/bin/sh
# Demo (README command 1 after the installs): builds ocpp-cp if needed, starts
# the demo central system and the daemon with two simulated sockets and a
# control socket, plugs in a simulated three-phase EV on socket 1, presents a
# tag, and shows the station live every second until Ctrl-C.  Everything it
# started is stopped and its temp files removed on exit.
#
# Environment:
#   OCPP_CP          daemon to run (default: build it in $BUILD_DIR)
#   BUILD_DIR        out-of-tree build dir (default: <repo>/_build)
#   DEMO_TIME_SCALE  --time-scale for the daemon (default 1: real time)
#   DEMO_KEEP=1      keep the logs and database (their dir is printed)
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
# README command 1 on a fresh Debian 12 machine: install what is missing first.
if [ "${DEMO_NO_INSTALL:-0}" != 1 ]; then
    (cd "$SRC" && . "$SRC/tools/deps.sh" && cp_install_deps)
fi
SCALE=${DEMO_TIME_SCALE:-1}
NODE=${NODE:-node}

command -v "$NODE" >/dev/null 2>&1 || { echo "demo: node not found (apt-get install nodejs npm)" >&2; exit 1; }

if [ -z "${OCPP_CP:-}" ]; then
    BUILD_DIR=${BUILD_DIR:-$SRC/_build}
    if [ ! -x "$BUILD_DIR/ocpp-cp" ] || [ -n "$(find "$SRC" -name '*.[ch]' -newer "$BUILD_DIR/ocpp-cp" -print -quit 2>/dev/null)" ]; then
        echo "demo: building ocpp-cp in $BUILD_DIR"
        [ -x "$SRC/configure" ] || (cd "$SRC" && ./autogen.sh)
        mkdir -p "$BUILD_DIR"
        (cd "$BUILD_DIR" && { [ -f Makefile ] || "$SRC/configure" -q; } && make -s -j"$(nproc 2>/dev/null || echo 2)" ocpp-cp)
    fi
    OCPP_CP=$BUILD_DIR/ocpp-cp
fi
[ -d "$SRC/node_modules/ocpp-rpc" ] && [ -d "$SRC/node_modules/modbus-serial" ] || (cd "$SRC" && npm ci --silent --no-audit --no-fund)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ocpp-demo.XXXXXX")
CSMS_PID=
CP_PID=
VIEW_PID=
cleanup() {
    trap - EXIT INT TERM
    [ -n "$VIEW_PID" ] && kill "$VIEW_PID" 2>/dev/null || true
    if [ -n "$CP_PID" ] && kill -0 "$CP_PID" 2>/dev/null; then
        kill -TERM "$CP_PID" 2>/dev/null || true
        # a clean shutdown keeps pending transactions in the database; give it a moment
        i=0; while kill -0 "$CP_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$CP_PID" 2>/dev/null || true
    fi
    [ -n "$CSMS_PID" ] && kill "$CSMS_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ "${DEMO_KEEP:-0}" = 1 ]; then echo "demo: logs and database kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ctl() { "$NODE" "$SRC/conformance/demo-view.js" "$TMP/ctl.sock" --send "$1" >/dev/null; }

"$NODE" "$SRC/conformance/demo-csms.js" --port-file "$TMP/port" --interval 60 >"$TMP/csms.log" 2>&1 &
CSMS_PID=$!
i=0; while [ ! -s "$TMP/port" ]; do
    sleep 0.1; i=$((i + 1))
    [ $i -lt 100 ] || { echo "demo: the demo central system did not start:" >&2; cat "$TMP/csms.log" >&2; exit 1; }
done
PORT=$(cat "$TMP/port")

cat >"$TMP/config.txt" <<EOF
MeterValueSampleInterval=10
MeterValuesSampledData=Energy.Active.Import.Register,Current.Import,Current.Offered,Power.Active.Import,Voltage
EOF

"$OCPP_CP" --url "ws://127.0.0.1:$PORT/ocpp" --id DEMO-CP --db "$TMP/demo.db" --connectors 2 \
    --control "$TMP/ctl.sock" --time-scale "$SCALE" --config "$TMP/config.txt" --log-level info 2>"$TMP/ocpp-cp.log" &
CP_PID=$!

# Wait until the daemon answers and its boot was accepted.
i=0; until "$NODE" -e '
    const s = require("net").createConnection(process.argv[1]);
    s.on("connect", () => s.write("{\"cmd\":\"status\"}\n"));
    s.on("data", (d) => { try { process.exit(JSON.parse(String(d).split("\n")[0]).online ? 0 : 1); } catch (e) { process.exit(1); } });
    s.on("error", () => process.exit(1));
    setTimeout(() => process.exit(1), 900);' "$TMP/ctl.sock" 2>/dev/null; do
    sleep 0.2; i=$((i + 1))
    if ! kill -0 "$CP_PID" 2>/dev/null || [ $i -gt 100 ]; then
        echo "demo: ocpp-cp did not come online; its log:" >&2; tail -n 40 "$TMP/ocpp-cp.log" >&2; exit 1
    fi
done

ctl '{"cmd":"plug","connector":1,"phases":3,"min_current":6,"max_current":32}' || echo "demo: plug failed" >&2
sleep 1
ctl '{"cmd":"tag","connector":1,"id_tag":"DEMO-TAG"}' || echo "demo: tag failed" >&2

"$NODE" "$SRC/conformance/demo-view.js" "$TMP/ctl.sock" "$TMP/csms.log" &
VIEW_PID=$!
wait "$VIEW_PID" || true
