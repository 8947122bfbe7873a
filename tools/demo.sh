#!/bin/sh
# Demo (README command 1 after the installs): builds ocpp-cp if needed, starts
# the demo central system, a simulated Modbus TCP grid meter whose household
# load changes every 15 s, and two stations with two simulated sockets each
# that form one Smart Charging Network: station 1 reads the meter (active
# load balancing), the network shares what the connection leaves.  Station 1
# serves the installer page; its URL and password are printed.  EVs plug in
# and charge; the view shows the offers following the meter every second
# until Ctrl-C.  Everything it started is stopped and its temp files removed
# on exit.
#
# Environment:
#   OCPP_CP          daemon to run (default: build it in $BUILD_DIR)
#   BUILD_DIR        out-of-tree build dir (default: <repo>/_build)
#   DEMO_TIME_SCALE  --time-scale for the daemons (default 1: real time)
#   DEMO_HTTP_PORT   the installer page's port (default 8080)
#   DEMO_KEEP=1      keep the logs and databases (their dir is printed)
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
METER_PID=
CP_PIDS=
VIEW_PID=
HTTP_PORT=${DEMO_HTTP_PORT:-8080}
PASSWORD=demo-installer
cleanup() {
    trap - EXIT INT TERM
    [ -n "$VIEW_PID" ] && kill "$VIEW_PID" 2>/dev/null || true
    for pid in $CP_PIDS; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            # a clean shutdown keeps pending transactions in the database; give it a moment
            i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    [ -n "$METER_PID" ] && kill "$METER_PID" 2>/dev/null || true
    [ -n "$CSMS_PID" ] && kill "$CSMS_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ "${DEMO_KEEP:-0}" = 1 ]; then echo "demo: logs and databases kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ctl() { "$NODE" "$SRC/conformance/demo-view.js" "$1" --send "$2" >/dev/null; }

wait_port_file() {
    i=0; while [ ! -s "$1" ]; do
        sleep 0.1; i=$((i + 1))
        [ $i -lt 100 ] || { echo "demo: $2 did not start:" >&2; cat "$3" >&2; exit 1; }
    done
}

"$NODE" "$SRC/conformance/demo-csms.js" --port-file "$TMP/port" --interval 60 >"$TMP/csms.log" 2>&1 &
CSMS_PID=$!
wait_port_file "$TMP/port" "the demo central system" "$TMP/csms.log"
PORT=$(cat "$TMP/port")

"$NODE" "$SRC/conformance/demo-meter.js" --port-file "$TMP/meter-port" --period 15 >"$TMP/meter.log" 2>&1 &
METER_PID=$!
wait_port_file "$TMP/meter-port" "the simulated grid meter" "$TMP/meter.log"
METER_PORT=$(cat "$TMP/meter-port")
SCN_PORT=$((47000 + $$ % 1000))

# Both stations: one network of four sockets on a 32 A budget.
for n in 1 2; do
    cat >"$TMP/config$n.txt" <<EOF
MeterValueSampleInterval=10
MeterValuesSampledData=Energy.Active.Import.Register,Current.Import,Current.Offered,Power.Active.Import,Voltage
Installer-Password=$PASSWORD
SCN-IsEnabled=True
SCN-NetworkName=DEMO
SCN-Interface=127.0.0.1
SCN-Port=$SCN_PORT
SCN-SocketID=$((2 * n - 1))
SCN-SocketCount=4
SCN-TotalStaticCurrent=32.0
SCN-TotalSafeCurrent=12.0
EOF
done
# Station 1 reads the grid meter: the connection is 40 A per phase, the
# household takes what the meter says, the network gets the rest.
cat >>"$TMP/config1.txt" <<EOF
SmartMeter-MaxCurrent=40.0
Safe-MaxCurrent=8.0
SmartMeterIncludesCharger=False
ALB-ProtocolSelection=Modbus TCP/IP
MBTCPSmart-IPAddress=127.0.0.1
MBTCPSmart-Port=$METER_PORT
MBTCPSmart-SlaveUnitID=1
MBTCPSmart-SlaveMeterModel=Socomec
MBTCPSmart-IsEnabled=True
Active-LoadBalancing=On
EOF

for n in 1 2; do
    extra=
    [ "$n" = 1 ] && extra="--http 127.0.0.1:$HTTP_PORT --http-root $SRC/web"
    # shellcheck disable=SC2086
    "$OCPP_CP" --url "ws://127.0.0.1:$PORT/ocpp" --id "DEMO-CP$n" --db "$TMP/demo$n.db" --connectors 2 \
        --control "$TMP/ctl$n.sock" --time-scale "$SCALE" --config "$TMP/config$n.txt" --log-level info \
        $extra 2>"$TMP/ocpp-cp$n.log" &
    CP_PIDS="$CP_PIDS $!"
done

# Wait until both daemons answer and their boots were accepted.
for n in 1 2; do
    i=0; until "$NODE" -e '
        const s = require("net").createConnection(process.argv[1]);
        s.on("connect", () => s.write("{\"cmd\":\"status\"}\n"));
        s.on("data", (d) => { try { process.exit(JSON.parse(String(d).split("\n")[0]).online ? 0 : 1); } catch (e) { process.exit(1); } });
        s.on("error", () => process.exit(1));
        setTimeout(() => process.exit(1), 900);' "$TMP/ctl$n.sock" 2>/dev/null; do
        sleep 0.2; i=$((i + 1))
        if [ $i -gt 100 ]; then
            echo "demo: ocpp-cp station $n did not come online; its log:" >&2; tail -n 40 "$TMP/ocpp-cp$n.log" >&2; exit 1
        fi
    done
done

# Three EVs: two three-phase on station 1, one single-phase on station 2.
ctl "$TMP/ctl1.sock" '{"cmd":"plug","connector":1,"phases":3,"min_current":6,"max_current":32}' || echo "demo: plug failed" >&2
ctl "$TMP/ctl1.sock" '{"cmd":"plug","connector":2,"phases":3,"min_current":6,"max_current":16}' || echo "demo: plug failed" >&2
ctl "$TMP/ctl2.sock" '{"cmd":"plug","connector":1,"phases":1,"min_current":6,"max_current":32}' || echo "demo: plug failed" >&2
sleep 1
ctl "$TMP/ctl1.sock" '{"cmd":"tag","connector":1,"id_tag":"DEMO-TAG1"}' || echo "demo: tag failed" >&2
ctl "$TMP/ctl1.sock" '{"cmd":"tag","connector":2,"id_tag":"DEMO-TAG2"}' || echo "demo: tag failed" >&2
ctl "$TMP/ctl2.sock" '{"cmd":"tag","connector":1,"id_tag":"DEMO-TAG3"}' || echo "demo: tag failed" >&2

PAGE="installer page: http://127.0.0.1:$HTTP_PORT/   user installer, password $PASSWORD"
echo "$PAGE"
DEMO_HEADER="$PAGE" "$NODE" "$SRC/conformance/demo-view.js" "$TMP/ctl1.sock,$TMP/ctl2.sock" "$TMP/csms.log" &
VIEW_PID=$!
wait "$VIEW_PID" || true
