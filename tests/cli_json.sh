#!/bin/sh
# --json (doc/json.md): the result of every command that prints one, in
# one vocabulary shared with the hook payload, and the refusal where a
# command prints no result; the filters of segment list; -o FILE,
# -oFILE and --output FILE.  Exact outputs.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-json-XXXXXX")
trap 'rm -rf "$T"' EXIT
S="$T/store"
tmp=$T
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
ME=$(id -un)
fail=0

. "$top_srcdir/tests/cli_lib.sh"

printf 'email,age,city\na@x,30,Moscow\nb@x,40,Paris\nc@x,25,Moscow\n' >"$T/p.csv"
r db create people --fields 'email:string,age:int,city:string' >/dev/null || exit 1
r db import people "$T/p.csv" >/dev/null || exit 1
r segment create M --db people --where 'city = "Moscow"' \
    --schedule 'daily at 09:00 UTC' --tag geo >/dev/null || exit 1
r segment hook M --set "cat >'$T/hook.json'" >/dev/null || exit 1

# recalc: the run object of the log and the hook; a dry run has no id.
run --json segment recalc M --dry-run
expect 0 <<EOF
{
	"segment":	"M",
	"database":	"people",
	"dry_run":	true,
	"run":	{
		"id":	null,
		"type":	"Manual",
		"initiator":	"$ME",
		"started_at":	"2026-11-28T12:00:00Z",
		"ended_at":	"2026-11-28T12:00:00Z",
		"added":	2,
		"removed":	0,
		"total":	2,
		"status":	"Completed",
		"error":	null
	}
}
EOF
run segment recalc M --json
expect 0 <<EOF
{
	"segment":	"M",
	"database":	"people",
	"dry_run":	false,
	"run":	{
		"id":	1,
		"type":	"Manual",
		"initiator":	"$ME",
		"started_at":	"2026-11-28T12:00:00Z",
		"ended_at":	"2026-11-28T12:00:00Z",
		"added":	2,
		"removed":	0,
		"total":	2,
		"status":	"Completed",
		"error":	null
	}
}
EOF
# One vocabulary: the hook's run is the recalc's run is the log's run.
cp "$T/out" "$T/recalc.json"
run segment log M --json
cp "$T/out" "$T/log.json"
check same-run 0 "True True" -- python3 -c '
import json, sys
hook = json.load(open(sys.argv[1]))
recalc = json.load(open(sys.argv[2]))
log = json.load(open(sys.argv[3]))
print(hook["run"] == recalc["run"], log[-1] == recalc["run"])' \
    "$T/hook.json" "$T/recalc.json" "$T/log.json"
run segment log M --json
expect 0 <<EOF
[{
		"id":	1,
		"type":	"Manual",
		"initiator":	"$ME",
		"started_at":	"2026-11-28T12:00:00Z",
		"ended_at":	"2026-11-28T12:00:00Z",
		"added":	2,
		"removed":	0,
		"total":	2,
		"status":	"Completed",
		"error":	null
	}]
EOF
# history: a run's points name it by run_id.
run segment history M --json
expect 0 <<'EOF'
[{
		"period":	"2026-11-28T12:00:00Z",
		"run_id":	1,
		"total":	2,
		"added_automatic":	0,
		"removed_automatic":	0,
		"added_manual":	2,
		"removed_manual":	0
	}]
EOF

# why: in or out, and the explanation's lines.
run segment why M b@x --json
expect 0 <<'EOF'
{
	"segment":	"M",
	"key":	"b@x",
	"in":	false,
	"explanation":	["Evaluated now, profile \"b@x\" (number 1) is out.", "Conditions: false", "  city = \"Moscow\" — false (city = \"Paris\")"]
}
EOF

# members: JSON Lines, as --format jsonl; another --format is refused.
run segment members M --json
expect 0 <<'EOF'
{"email":"a@x","age":30,"city":"Moscow"}
{"email":"c@x","age":25,"city":"Moscow"}
EOF
run segment members M --json --format csv
expect 2 </dev/null
expect_err <<'EOF'
reseg: option '--json' gives the members as JSON Lines; it cannot go with '--format csv'
Usage:
  reseg segment members NAME [--format keys|csv|jsonl]
EOF

# test: every case, then the counts; the exit status as without --json.
r segment dump M -o "$T/M.seg" >/dev/null
printf 'email,age,city,expect\na@x,30,Moscow,in\nb@x,40,Paris,in\n' >"$T/cases.csv"
run segment test "$T/M.seg" "$T/cases.csv" --json
expect 1 <<EOF
{
	"cases_file":	"$T/cases.csv",
	"cases":	[{
			"line":	2,
			"key":	"a@x",
			"expected_in":	true,
			"in":	true,
			"passed":	true
		}, {
			"line":	3,
			"key":	"b@x",
			"expected_in":	true,
			"in":	false,
			"passed":	false
		}],
	"passed":	1,
	"failed":	1
}
EOF

# schedule next: an array of times.
run schedule next 'daily at 09:00 UTC' --count 2 --json
expect 0 <<'EOF'
["2026-11-29T09:00:00Z", "2026-11-30T09:00:00Z"]
EOF

# status and events stats: every time is NAME_at.
run status --json
expect 0 <<'EOF'
{
	"holder":	null,
	"running":	[],
	"stale":	[]
}
EOF
printf 'email,event,time\na@x,buy,2026-11-01T10:00:00Z\na@x,buy,2026-11-02T10:00:00Z\n' >"$T/ev.csv"
r events import people "$T/ev.csv" >/dev/null || exit 1
run events stats people --json
expect 0 <<'EOF'
[{
		"event":	"buy",
		"count":	2,
		"first_at":	"2026-11-01T10:00:00Z",
		"last_at":	"2026-11-02T10:00:00Z"
	}]
EOF

# A static segment: every field of a segment is there, null where it
# does not apply.
r segment create St --db people --static --tag vip >/dev/null || exit 1
run segment show St --json
expect 0 <<'EOF'
{
	"name":	"St",
	"kind":	"static",
	"database":	"people",
	"state":	"static",
	"stale":	false,
	"profiles":	0,
	"last_run_at":	null,
	"next_run_at":	null,
	"tags":	["vip"],
	"groups":	[],
	"script":	null,
	"conditions":	null,
	"range":	null,
	"limit":	null,
	"schedule":	null,
	"last_run_id":	null,
	"created_at":	"2026-11-28T12:00:00Z",
	"used_by":	[]
}
EOF

# A command that prints no result refuses --json (a bad command line).
for cmd in "segment create X --db people" "segment dump M" "db drop people" \
    "daemon"; do
	run --json $cmd
	expect 2 </dev/null
done
run --json
expect 2 </dev/null
expect_err <<'EOF'
reseg: option '--json': the terminal UI prints no result to give as JSON
EOF
run segment delete St --json
expect 2 </dev/null
expect_err <<'EOF'
reseg: option '--json': 'reseg segment delete' prints no result to give as JSON
Usage:
  reseg segment delete NAME [--force] [--yes]
EOF
run segment show St
[ "$rc" = 0 ] || { echo "FAIL: a refused --json deleted St"; fail=1; }

# A failed run: the message on stderr, nothing on stdout.
r segment create U --db people --where 'in segment "M"' >/dev/null || exit 1
r segment delete M --force --yes >/dev/null || exit 1
run segment recalc U --json
expect 1 </dev/null

# segment list filters: an option's values are alternatives, options
# all apply.
r segment create N --db people --where 'age > 1' --tag vip --tag geo \
    --schedule 'daily at 10:00 UTC' >/dev/null || exit 1
r segment stop N >/dev/null || exit 1
r db create other --fields 'email:string' >/dev/null || exit 1
r segment create O --db other --static --tag geo >/dev/null || exit 1
run segment list --tag vip
expect 0 <<'EOF'
NAME  KIND       DATABASE  STATE    PROFILES  LAST RUN  NEXT RUN  TAGS
N     scheduled  people    stopped         0  never     -         vip,geo
St    static     people    -               0  never     -         vip
EOF
run segment list --tag geo --tag vip --db other
expect 0 <<'EOF'
NAME  KIND    DATABASE  STATE  PROFILES  LAST RUN  NEXT RUN  TAGS
O     static  other     -             0  never     -         geo
EOF
run segment list --state stopped --state static --db people
expect 0 <<'EOF'
NAME  KIND       DATABASE  STATE    PROFILES  LAST RUN  NEXT RUN  TAGS
N     scheduled  people    stopped         0  never     -         vip,geo
St    static     people    -               0  never     -         vip
EOF
run segment list --state active --json
expect 0 <<'EOF'
[{
		"name":	"U",
		"kind":	"scheduled",
		"database":	"people",
		"state":	"active",
		"stale":	false,
		"profiles":	0,
		"last_run_at":	"2026-11-28T12:00:00Z",
		"next_run_at":	null,
		"tags":	[]
	}]
EOF
run segment list --db nowhere
expect 0 <<'EOF'
No segments.
EOF
run segment list --state stale
expect 2 </dev/null
expect_err <<'EOF'
reseg: unknown state 'stale' (active, stopped, ended, updating, static or damaged)
Usage:
  reseg segment list [--tag T]... [--db DB]... [--state S]... [--stale]
EOF

# Output files: -o FILE, -oFILE, --output FILE, --output=FILE alike.
r segment dump N -o "$T/a.seg" >/dev/null
r segment dump N "-o$T/b.seg" >/dev/null
r segment dump N --output "$T/c.seg" >/dev/null
r segment dump N "--output=$T/d.seg" >/dev/null
r segment dump N >"$T/e.seg"
for f in a b c d; do
	cmp -s "$T/$f.seg" "$T/e.seg" || { echo "FAIL: dump to $f.seg"; fail=1; }
done
run db export people "-o$T/p.jsonl"
expect 0 <<EOF
Exported 3 profiles of database 'people' to $T/p.jsonl.
EOF
run segment export St "-o$T/st.csv"
expect 0 <<EOF
Exported 0 profiles of segment 'St' to $T/st.csv.
EOF
run segment export-history N "-o$T/h.csv"
expect 0 <<EOF
Exported 0 history rows of segment 'N' to $T/h.csv.
EOF

exit $fail
