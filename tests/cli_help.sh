#!/bin/sh
# Per-command help and exit statuses (issue 13, items 12 and 16):
# `reseg CMD --help` and `reseg help CMD` list the options from the table
# that parses them; every command's usage line and option list agree;
# help opens no store; 2 for every bad command line or option value, 1
# for what is refused.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-help-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

# --- help ---------------------------------------------------------------

run segment recalc --help
expect 0 <<'EOF'
Usage:
  reseg segment recalc NAME [--dry-run]

recalculate a segment now (manual run)

Options:
  --dry-run  compute the changes without saving them

Global options: --store DIR, --json, --help (see 'reseg --help').
EOF
cp "$tmp/out" "$tmp/recalc-help"
run help segment recalc
expect 0 <"$tmp/recalc-help"
run segment recalc M --dry-run --help
expect 0 <"$tmp/recalc-help"

# Aliases share a line; option values show as in the usage line.
run help db export
expect 0 <<'EOF'
Usage:
  reseg db export NAME [--format csv|jsonl] [-o FILE]

export profiles as CSV or JSON Lines

Options:
  --format csv|jsonl  the output format (default: from FILE's name, else csv)
  -o, --output FILE   write to FILE, not standard output

Global options: --store DIR, --json, --help (see 'reseg --help').
EOF
run help segment update
expect 0 <<'EOF'
Usage:
  reseg segment update NAME --set FIELD=VALUE [--set FIELD=VALUE]... [--dry-run] [--yes]

bulk edit: set fields of every member (all or nothing)

Options:
  --set FIELD=VALUE  the value to give FIELD (repeatable)
  --dry-run          say how many profiles would change; change nothing
  --yes              do not ask for confirmation

Global options: --store DIR, --json, --help (see 'reseg --help').
EOF
# A command without options has no option list.
run help status
expect 0 <<'EOF'
Usage:
  reseg status

show the scheduler holder, running and stale segments

Global options: --store DIR, --json, --help (see 'reseg --help').
EOF

# reseg help, reseg help GROUP: as --help.
"$RESEG" --help >"$tmp/main-help"
run help
expect 0 <"$tmp/main-help"
run help help
expect 0 <"$tmp/main-help"
"$RESEG" db --help >"$tmp/db-help"
run help db
expect 0 <"$tmp/db-help"
run help nosuch
expect 2 </dev/null
expect_err <<'EOF'
reseg: unknown command 'nosuch'
Try 'reseg --help'.
EOF
run help db nosuch
expect 2 </dev/null
expect_err <<'EOF'
reseg: unknown db command 'nosuch'
Try 'reseg --help'.
EOF

# A group without its command: the group's usage on stderr, exit 2.
run db
expect 2 </dev/null
expect_err <<'EOF'
reseg: missing db command
Usage:
  reseg db create NAME --fields SPEC [--key FIELD] [--event-fields SPEC]
  reseg db alter NAME (--add-field F:TYPE | --add-event-field F:TYPE)...
  reseg db attach NAME --postgres CONNINFO --table [SCHEMA.]TABLE --key COLUMN [--order COLUMN] [--timeout SECONDS] [--events-table T --events-key C --events-name C --events-time C]
  reseg db refresh NAME
  reseg db list
  reseg db show NAME
  reseg db delete-profiles NAME KEY... [--from-file F] [--ignore-missing] [--yes]
  reseg db drop NAME [--yes]
  reseg db import NAME FILE|- [--format csv|jsonl] [--reject-file F] [--replace]
  reseg db export NAME [--format csv|jsonl] [-o FILE]
  reseg db ranges NAME
Try 'reseg help db'.
EOF

# Every command: help exits 0, and the options of its usage line are
# those of its option list (the table that parses them), so the two
# cannot drift.  Help never opens (or creates) the store.
grep '^  reseg ' "$tmp/main-help" | sed 's/^  reseg //' >"$tmp/cmds"
ncmd=0
while read -r first second rest; do
	case $first in
	demo|daemon|status|hook|backup) set -- "$first" ;;
	*) set -- "$first" "$second" ;;
	esac
	ncmd=$((ncmd + 1))
	if ! "$RESEG" --store "$S" help "$@" >"$tmp/h" 2>"$tmp/e" ||
	    [ -s "$tmp/e" ] || [ "$(head -n 1 "$tmp/h")" != "Usage:" ]; then
		echo "FAIL: reseg help $*"; cat "$tmp/h" "$tmp/e"; fail=1
		continue
	fi
	sed -n 2p "$tmp/h" | grep -o -- '[[ (|]--*[a-z][-a-z]*' |
	    sed 's/^.//' | sort -u >"$tmp/in-usage"
	sed -n '/^Options:$/,/^$/p' "$tmp/h" | sed -n 's/^  \(-[^ ]*\).*/\1/p' |
	    sed 's/,$//' | sort -u >"$tmp/listed"
	# The listed line names each alias: -o, --output FILE.
	sed -n '/^Options:$/,/^$/p' "$tmp/h" |
	    sed -n 's/^  -[^ ]*, \(--[^ ]*\).*/\1/p' >"$tmp/aliases"
	for o in $(cat "$tmp/in-usage"); do
		grep -qx -- "$o" "$tmp/listed" ||
		    { echo "FAIL: help $*: $o of the usage line is not listed"; fail=1; }
	done
	for o in $(cat "$tmp/listed"); do
		grep -qx -- "$o" "$tmp/in-usage" ||
		    { echo "FAIL: help $*: listed $o is not in the usage line"; fail=1; }
	done
	# Each listed option has its help text.
	if sed -n '/^Options:$/,/^$/p' "$tmp/h" | grep '^  -' |
	    grep -qv '^  -.*[^ ]   *[a-z(]'; then
		echo "FAIL: help $*: an option without help"; cat "$tmp/h"; fail=1
	fi
done <"$tmp/cmds"
[ "$ncmd" -gt 40 ] || { echo "FAIL: only $ncmd commands in --help"; fail=1; }
[ -e "$S" ] && { echo "FAIL: help created the store"; fail=1; }

# --- exit statuses ------------------------------------------------------

printf 'email,age,city\na@x,30,Moscow\nb@x,40,Paris\n' >"$tmp/p.csv"
r db create people --fields 'email:string,age:int,city:string' >/dev/null &&
    r db import people "$tmp/p.csv" >/dev/null &&
    r segment create M --db people --where 'city = "Moscow"' >/dev/null &&
    r segment recalc M >/dev/null || { echo "FAIL: set-up"; exit 1; }
r segment show M --json >"$tmp/before"

create='  reseg segment create NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]...'
edit='  reseg segment edit NAME [--name NEW] [--where SCRIPT | --where-file F] [--range A-B] [--limit N | --no-limit] [--schedule TEXT | --no-schedule] [--tag T... | --no-tags] [--group G... | --no-groups]'

# usage RC MESSAGE USAGE-LINE -- ARGS: stdout empty, stderr the message
# and the usage (none when USAGE-LINE is empty).
usage() {
	want_rc=$1 msg=$2 line=$3
	shift 4
	run "$@"
	expect "$want_rc" </dev/null
	# Not a pipe: expect_err must set fail in this shell.
	if [ -n "$line" ]; then
		printf '%s\nUsage:\n%s\n' "$msg" "$line" >"$tmp/usage"
	else
		printf '%s\n' "$msg" >"$tmp/usage"
	fi
	expect_err <"$tmp/usage"
}

usage 2 "reseg: the limit must be a whole number of at least 1, not 'x'" "$create" -- \
    segment create X --db people --limit x
usage 2 "reseg: range 'abc' is not of the form A-B (percent, for example 0-20)" "$create" -- \
    segment create X --db people --range abc
usage 2 "reseg: schedule: expected 'days', 'weeks' or 'hours' after 'every 1', found 'blue'" "$create" -- \
    segment create X --db people --schedule 'every blue moon'
usage 2 "reseg: conditions: line 1, column 7: expected a value after '=', found end of script" "$create" -- \
    segment create X --db people --where 'city ='
# The same script in a file is refused input, not a bad command line.
printf 'city =\n' >"$tmp/bad.where"
usage 1 "reseg: $tmp/bad.where: line 2, column 1: expected a value after '=', found end of script" "" -- \
    segment create X --db people --where-file "$tmp/bad.where"
usage 2 "reseg: the limit must be a whole number of at least 1, not 'x'" "$edit" -- \
    segment edit M --limit x
usage 2 "reseg: range 'abc' is not of the form A-B (percent, for example 0-20)" "$edit" -- \
    segment edit M --range abc
usage 2 "reseg: schedule: expected 'days', 'weeks' or 'hours' after 'every 1', found 'blue'" "$edit" -- \
    segment edit M --schedule 'every blue moon'
usage 2 "reseg: --set 'age': expected FIELD=VALUE" \
    "  reseg segment update NAME --set FIELD=VALUE [--set FIELD=VALUE]... [--dry-run] [--yes]" -- \
    segment update M --set age --yes
usage 2 "reseg: --set age: expected an integer, found 'x'" \
    "  reseg segment update NAME --set FIELD=VALUE [--set FIELD=VALUE]... [--dry-run] [--yes]" -- \
    segment update M --set age=x --yes
usage 1 "reseg: database 'people' has no field 'colour'" "" -- \
    segment update M --set colour=red --yes
usage 2 "reseg: field 'a': unknown type 'nosuch' (expected string, int, float, bool, date, datetime or tags)" \
    "  reseg db create NAME --fields SPEC [--key FIELD] [--event-fields SPEC]" -- \
    db create d --fields a:nosuch
usage 2 "reseg: field 'x': expected NAME:TYPE" \
    "  reseg db alter NAME (--add-field F:TYPE | --add-event-field F:TYPE)..." -- \
    db alter people --add-field x
usage 2 "reseg: schedule: expected 'days', 'weeks' or 'hours' after 'every 1', found 'blue'" \
    "  reseg schedule next TEXT [--after ISO] [--count N]" -- \
    schedule next 'every blue moon'
usage 2 "reseg: option '--limit' needs a number (0 for all), not 'x'" \
    "  reseg events list DB [--key K] [--name E] [--from D] [--to D] [--limit N]" -- \
    events list people --limit x
usage 2 "reseg: invalid --catch-up-grace 'x' (expected a duration such as 24h, 90m, 2d or 0)" \
    "  reseg daemon [--catch-up-grace DUR] [--syslog]" -- \
    daemon --catch-up-grace x
usage 2 "reseg: option '--syslog' takes no value" \
    "  reseg daemon [--catch-up-grace DUR] [--syslog]" -- \
    daemon --syslog=1
usage 2 "reseg: unknown argument 'extra'" "  reseg status" -- status extra
usage 2 "reseg: unknown option '--bogus'" "  reseg segment recalc NAME [--dry-run]" -- \
    segment recalc M --bogus
usage 2 "reseg: missing argument" "  reseg segment recalc NAME [--dry-run]" -- \
    segment recalc
usage 1 "reseg: there is no segment 'nosuch'" "" -- segment show nosuch

# Nothing above changed the segment.
r segment show M --json >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" ||
    { echo "FAIL: a refused command changed segment M"; diff "$tmp/before" "$tmp/after"; fail=1; }

exit $fail
