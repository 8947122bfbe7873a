#!/bin/sh
# The manual pages and the README name exactly what the programs do:
#  - ocpp-cp: every option of its --help (and of its getopt table in
#    station/main.c) is in ocpp-cp.8's OPTIONS and in the README's command
#    line table, and neither names one that does not exist; every control
#    socket command of station/ctl_cmds.c is in ocpp-cp.8's CONTROL SOCKET
#    and in the README's control socket table; the exit codes of --help are
#    ocpp-cp.8's EXIT STATUS;
#  - ocpp-cpctl: the options and commands of its --help are ocpp-cpctl.1's
#    OPTIONS and COMMANDS and the README's ocpp-cpctl table, its exit codes
#    the page's EXIT STATUS;
#  - both pages format without a groff warning (what lintian checks).
# Run by make check from the build directory (the programs are there).
top=${srcdir:-.}
[ -f "$top/man/ocpp-cp.8" ] || top=$(dirname "$0")/..
for p in ocpp-cp ocpp-cpctl; do
	[ -x "./$p" ] || { echo "ERROR: ./$p not built (run from the build directory)"; exit 99; }
done
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

./ocpp-cp --help >"$tmp/cp.help" || { echo "ERROR: ocpp-cp --help failed"; exit 99; }
./ocpp-cpctl --help >"$tmp/ctl.help" || { echo "ERROR: ocpp-cpctl --help failed"; exit 99; }

# man_tags PAGE SECTION: the first word of each .TP/.TQ tag in the section.
man_tags() {
	sed 's/\\-/-/g; s/\\f[BIRP]//g' "$1" | awk -v sec="$2" '
		/^\.SH / { sub(/^\.SH +/, ""); gsub(/"/, ""); in_sec = ($0 == sec); next }
		!in_sec { next }
		/^\.T[PQ]/ { tag = 1; next }
		tag {
			tag = 0
			sub(/^\.[A-Z]+ +/, "")
			gsub(/"/, "")
			sub(/,$/, "", $1)
			print $1
		}' | sort -u
}

# readme_rows HEADING: the first cells of the table rows under a heading.
readme_rows() {
	awk -v h="$1" '
		/^#/ { in_sec = ($0 == h); next }
		in_sec && /^\| / && !/^\| *-/ {
			split($0, cell, " \\| ")
			print substr(cell[1], 3)
		}' "$top/README.md"
}

# exit_codes FILE: the codes of the "Exit codes:" paragraph of a --help.
exit_codes() {
	awk '/^Exit codes:/ { p = 1 } p && /^$/ { p = 0 } p' "$1" | tr '\n' ' ' |
		grep -oE '(: |, )[0-9]+ ' | tr -dc '0-9\n' | sort -u
}

# same WHAT A-FILE A-NAME B-FILE B-NAME: report the differences.
same() {
	comm -23 "$2" "$4" >"$tmp/only"
	while read -r x; do
		echo "FAIL: $1 $x is in $3 but not in $5"
		status=1
	done <"$tmp/only"
	comm -13 "$2" "$4" >"$tmp/only"
	while read -r x; do
		echo "FAIL: $1 $x is in $5 but not in $3"
		status=1
	done <"$tmp/only"
}

# ---- ocpp-cp --------------------------------------------------------------
awk '/^  --/ { sub(/   +.*/, ""); print }' "$tmp/cp.help" |
	grep -oE -- '--[a-z][a-z-]*' | sort -u >"$tmp/cp.opts"
sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [a-z_]*_argument,.*/--\1/p' "$top/station/main.c" |
	sort -u >"$tmp/cp.getopt"
man_tags "$top/man/ocpp-cp.8" OPTIONS >"$tmp/cp.man"
readme_rows "### Command line" | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$tmp/cp.readme"
[ -s "$tmp/cp.opts" ] || { echo "ERROR: no options read from ocpp-cp --help"; exit 99; }
same "option" "$tmp/cp.getopt" "station/main.c's getopt table" "$tmp/cp.opts" "ocpp-cp --help"
same "option" "$tmp/cp.opts" "ocpp-cp --help" "$tmp/cp.man" "man/ocpp-cp.8 OPTIONS"
same "option" "$tmp/cp.opts" "ocpp-cp --help" "$tmp/cp.readme" "README.md's command line table"

sed -n '/^} commands\[\] = {/,/^};/s/^[[:space:]]*{ "\([a-z_]*\)", cmd_.*/\1/p' \
	"$top/station/ctl_cmds.c" | sort -u >"$tmp/cp.cmds"
[ -s "$tmp/cp.cmds" ] || { echo "ERROR: no commands read from station/ctl_cmds.c"; exit 99; }
man_tags "$top/man/ocpp-cp.8" "CONTROL SOCKET" >"$tmp/cp.mancmds"
readme_rows "### Control socket" | grep -oE '\{"cmd":"[a-z_]+"' |
	sed 's/.*:"\(.*\)"/\1/' | sort -u >"$tmp/cp.readmecmds"
same "control command" "$tmp/cp.cmds" "station/ctl_cmds.c" "$tmp/cp.mancmds" "man/ocpp-cp.8 CONTROL SOCKET"
same "control command" "$tmp/cp.cmds" "station/ctl_cmds.c" "$tmp/cp.readmecmds" "README.md's control socket table"

exit_codes "$tmp/cp.help" >"$tmp/cp.exit"
[ -s "$tmp/cp.exit" ] || { echo "ERROR: no exit codes in ocpp-cp --help"; exit 99; }
man_tags "$top/man/ocpp-cp.8" "EXIT STATUS" >"$tmp/cp.manexit"
same "exit code" "$tmp/cp.exit" "ocpp-cp --help" "$tmp/cp.manexit" "man/ocpp-cp.8 EXIT STATUS"

# ---- ocpp-cpctl ----------------------------------------------------------
awk '/^  --/ { print $1 }' "$tmp/ctl.help" | sort -u >"$tmp/ctl.opts"
man_tags "$top/man/ocpp-cpctl.1" OPTIONS >"$tmp/ctl.man"
same "option" "$tmp/ctl.opts" "ocpp-cpctl --help" "$tmp/ctl.man" "man/ocpp-cpctl.1 OPTIONS"

awk '/^Commands:/ { p = 1; next } p && /^$/ { p = 0 } p && /^  [a-z]/ { print $1 }' \
	"$tmp/ctl.help" | sort -u >"$tmp/ctl.cmds"
[ -s "$tmp/ctl.cmds" ] || { echo "ERROR: no commands read from ocpp-cpctl --help"; exit 99; }
man_tags "$top/man/ocpp-cpctl.1" COMMANDS >"$tmp/ctl.mancmds"
readme_rows "### ocpp-cpctl" | sed -n 's/^`\([a-z]*\).*/\1/p' | sort -u >"$tmp/ctl.readme"
same "command" "$tmp/ctl.cmds" "ocpp-cpctl --help" "$tmp/ctl.mancmds" "man/ocpp-cpctl.1 COMMANDS"
same "command" "$tmp/ctl.cmds" "ocpp-cpctl --help" "$tmp/ctl.readme" "README.md's ocpp-cpctl table"

exit_codes "$tmp/ctl.help" >"$tmp/ctl.exit"
[ -s "$tmp/ctl.exit" ] || { echo "ERROR: no exit codes in ocpp-cpctl --help"; exit 99; }
man_tags "$top/man/ocpp-cpctl.1" "EXIT STATUS" >"$tmp/ctl.manexit"
same "exit code" "$tmp/ctl.exit" "ocpp-cpctl --help" "$tmp/ctl.manexit" "man/ocpp-cpctl.1 EXIT STATUS"

# ---- markup ----------------------------------------------------------------
if command -v groff >/dev/null 2>&1; then
	for page in ocpp-cp.8 ocpp-cpctl.1; do
		LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$top/man/$page" >"$tmp/groff" 2>&1
		if [ -s "$tmp/groff" ]; then
			echo "FAIL: groff warns about man/$page:"
			cat "$tmp/groff"
			status=1
		fi
	done
else
	echo "note: groff not installed, the pages' markup is not checked"
fi

[ $status = 0 ] && echo "ok: $(wc -l <"$tmp/cp.opts") ocpp-cp options, $(wc -l <"$tmp/cp.cmds") control commands," \
	"$(wc -l <"$tmp/ctl.cmds") ocpp-cpctl commands agree with the man pages and the README"
exit $status
