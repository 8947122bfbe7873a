#!/bin/sh
# Regenerates the OCPP 1.6 schema tables and diffs them against the committed
# ocpp/schemas_gen.{c,h}: the tables must be exactly what the generator makes
# of the schemas the conformance central system validates with.
# Skipped (77) without node or without node_modules (e.g. in make distcheck).
top=${srcdir:-.}
[ -f "$top/ocpp/gen/gen_schemas.js" ] || top=$(dirname "$0")/..
schemas="$top/node_modules/ocpp-rpc/lib/schemas/ocpp1_6.json"
command -v node >/dev/null 2>&1 || { echo "SKIP: node not installed"; exit 77; }
[ -f "$schemas" ] || { echo "SKIP: $schemas missing (run npm ci)"; exit 77; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
node "$top/ocpp/gen/gen_schemas.js" "$schemas" "$tmp/schemas_gen.c" "$tmp/schemas_gen.h" || exit 99
status=0
for f in schemas_gen.c schemas_gen.h; do
	if diff -u "$top/ocpp/$f" "$tmp/$f" >"$tmp/diff"; then
		echo "ok: ocpp/$f is up to date"
	else
		echo "FAIL: ocpp/$f differs from what ocpp/gen/gen_schemas.js makes (first lines):"
		sed -n '1,60p' "$tmp/diff"
		status=1
	fi
done
exit $status
