#!/bin/sh
# Our schema validator against ajv (through ocpp-rpc, as the conformance
# central system validates): ~8000 random valid and mutated payloads over all
# 78 OCPP 1.6 schemas must get the same valid / invalid verdict.
# Skipped (77) without node or node_modules (e.g. in make distcheck).
top=${srcdir:-.}
[ -f "$top/tests/ocpp_ajv_parity.js" ] || top=$(dirname "$0")/..
command -v node >/dev/null 2>&1 || { echo "SKIP: node not installed"; exit 77; }
[ -f "$top/node_modules/ocpp-rpc/lib/validator.js" ] || { echo "SKIP: node_modules missing (run npm ci)"; exit 77; }
[ -x ./tests/ocpp_validate_cli ] || { echo "ERROR: ./tests/ocpp_validate_cli not built"; exit 99; }
exec node "$top/tests/ocpp_ajv_parity.js" ./tests/ocpp_validate_cli 100
