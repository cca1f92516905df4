#!/bin/sh
# The man page cannot fall behind the program: every command that
# `reseg --help` lists, every option of the usage lines, and every action
# of src/tui/actions.def (its name and each of its keys) must appear in
# data/reseg.1.  When groff is installed, the page must also format
# without warnings.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
man=$top_srcdir/data/reseg.1
def=$top_srcdir/src/tui/actions.def
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-man-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

[ -f "$man" ] || { echo "FAIL: $man is missing"; exit 1; }

# The page as plain text, line by line: no font escapes, "\-" as "-".
sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\(em/-/g' \
    -e 's/\\ / /g' -e 's/\\e/\\/g' "$man" >"$tmp/page"

# Commands: "  reseg GROUP CMD USAGE" lines of --help.
"$RESEG" --help >"$tmp/help" || { echo "FAIL: reseg --help"; exit 1; }
grep '^  reseg ' "$tmp/help" >"$tmp/cmds"
[ -s "$tmp/cmds" ] || { echo "FAIL: no commands in reseg --help"; exit 1; }
ncmd=0
while read -r _ first second _; do
	case $second in
	''|-*|'['*|[A-Z]*) cmd=$first ;;
	*) cmd="$first $second" ;;
	esac
	# "demo", "daemon", "status" and "hook" stand alone.
	case $first in
	demo|daemon|status|hook) cmd=$first ;;
	esac
	ncmd=$((ncmd + 1))
	if ! grep -q "reseg $cmd\( \|$\)" "$tmp/page"; then
		echo "FAIL: command 'reseg $cmd' is not in reseg.1"
		fail=1
	fi
done <"$tmp/cmds"

# Options: every --option (and -o) of the usage lines.
grep -o -- '[[ (|]--*[a-z][-a-z]*' "$tmp/cmds" | sed 's/^.//' | sort -u |
while read -r opt; do
	if ! grep -q -- "$opt\\b" "$tmp/page"; then
		echo "FAIL: option '$opt' is not in reseg.1"
		echo x >>"$tmp/optfail"
	fi
done
[ -f "$tmp/optfail" ] && fail=1
for opt in --store --json --help --version; do
	grep -q -- "$opt" "$tmp/page" || { echo "FAIL: global option '$opt' is not in reseg.1"; fail=1; }
done

# Actions: ACTION(ID, "name", "keys", N_("help")).  The page lists each
# as a line holding its keys and "(name)".
sed -n 's/^ACTION([A-Z_]*,[ 	]*"\([^"]*\)",[ 	]*"\([^"]*\)".*/\1|\2/p' \
    "$def" >"$tmp/actions"
nact=$(wc -l <"$tmp/actions")
[ "$nact" -gt 0 ] || { echo "FAIL: no actions read from $def"; exit 1; }
while IFS='|' read -r name keys; do
	line=$(grep -F "($name)" "$tmp/page" | head -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: action '$name' is not in reseg.1"
		fail=1
		continue
	fi
	words=" $(printf '%s\n' "$line" | tr ',' ' ' | tr -s ' ') "
	for k in $keys; do
		case $words in
		*" $k "*) ;;
		*) echo "FAIL: key '$k' of action '$name' is not on its line in reseg.1: $line"
		   fail=1 ;;
		esac
	done
done <"$tmp/actions"

# Exit codes of enum cli_exit and the environment variables reseg reads.
for w in RESEG_STORE XDG_DATA_HOME RESEG_NOW RESEG_MAPSIZE NO_COLOR RESEG_NO_MOUSE \
    scheduler.lock hooks.log "EXIT STATUS"; do
	grep -q "$w" "$tmp/page" || { echo "FAIL: '$w' is not in reseg.1"; fail=1; }
done

if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$man" 2>"$tmp/groff"
	if [ -s "$tmp/groff" ]; then
		echo "FAIL: groff warns about reseg.1:"; cat "$tmp/groff"; fail=1
	fi
fi

[ "$fail" = 0 ] && echo "ok: $ncmd commands and $nact actions documented"
exit "$fail"
