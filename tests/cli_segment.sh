#!/bin/sh
# The segment commands end to end, with exact outputs.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S="$T/store"
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
ME=$(id -un)
fail=0

. "$top_srcdir/tests/cli_lib.sh"

printf 'email,age,city\na@x,30,Moscow\nb@x,40,Paris\nc@x,25,Moscow\nd@x,50,Moscow\n' >"$T/p.csv"
r db create people --fields 'email:string,age:int,city:string' >/dev/null || exit 1
r db import people "$T/p.csv" >/dev/null || exit 1

# A malformed RESEG_NOW is refused by every entry: a command, the daemon
# and the UI (which opens no terminal for it), changing nothing.
for entry in "segment list" "daemon" ""; do
	check "bad-now ${entry:-ui}" 1 "reseg: RESEG_NOW: expected an ISO 8601 date-time such as 2026-01-31T09:00:00Z, found 'yesterday'" -- \
	    env RESEG_NOW=yesterday "$RESEG" --store "$S" $entry
done
# RESEG_MAPSIZE likewise: whole bytes, at least 64 KiB, nothing else.
for entry in "segment list" "daemon" ""; do
	for v in 12x 0x100000 -1048576 " 1048576" 1000; do
		check "bad-mapsize '$v' ${entry:-ui}" 1 "reseg: RESEG_MAPSIZE: expected a whole number of bytes, at least 65536, such as 1073741824, found '$v'" -- \
		    env RESEG_MAPSIZE="$v" "$RESEG" --store "$S" $entry
	done
done
check good-mapsize 0 "No segments." -- \
    env RESEG_MAPSIZE=65536 "$RESEG" --store "$S" segment list

check create 0 "Created scheduled segment 'M' on database 'people'.
Next run: 2026-11-29T09:00:00Z" -- \
    r segment create M --db people --where 'city = "Moscow" and age < 45' \
    --schedule 'daily at 09:00 UTC' --tag geo
check duplicate 1 "reseg: a segment named 'M' already exists" -- \
    r segment create M --db people
# An empty --tag or --group is a mistake (an unset variable), never a way
# to clear the list; --no-tags and --no-groups clear it, on edit.
EDIT_USAGE="Usage:
  reseg segment edit NAME [--name NEW] [--where SCRIPT | --where-file F] [--range A-B] [--limit N | --no-limit] [--schedule TEXT | --no-schedule] [--tag T... | --no-tags] [--group G... | --no-groups]"
CREATE_USAGE="Usage:
  reseg segment create NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]..."
check empty-tag-create 2 "reseg: option '--tag' may not be empty
$CREATE_USAGE" -- r segment create E --db people --tag x --tag ''
check empty-group-create 2 "reseg: option '--group' may not be empty
$CREATE_USAGE" -- r segment create E --db people --group=
check no-tags-create 2 "reseg: unknown option '--no-tags'
$CREATE_USAGE" -- r segment create E --db people --no-tags
check unknown-group 1 "reseg: segment 'E': there is no Unix group 'rsg-no-such-group'" -- \
    r segment create E --db people --group rsg-no-such-group
check empty-tag-edit 2 "reseg: option '--tag' may not be empty
$EDIT_USAGE" -- r segment edit M --tag ''
check empty-group-edit 2 "reseg: option '--group' may not be empty
$EDIT_USAGE" -- r segment edit M --group ''
check tag-and-no-tags 2 "reseg: use either --tag or --no-tags
$EDIT_USAGE" -- r segment edit M --tag a --no-tags
check group-and-no-groups 2 "reseg: use either --group or --no-groups
$EDIT_USAGE" -- r segment edit M --group root --no-groups
check unknown-group-edit 1 "reseg: segment 'M': there is no Unix group 'rsg-no-such-group'" -- \
    r segment edit M --group rsg-no-such-group
check tags-kept 0 "Tags:       geo
Groups:     " -- sh -c "'$RESEG' --store '$S' segment show M | grep -E '^(Tags|Groups):'"
r segment edit M --tag a --tag b --group root >/dev/null
check no-tags 0 "Tags:       
Groups:     root" -- sh -c "'$RESEG' --store '$S' segment edit M --no-tags >/dev/null &&
    '$RESEG' --store '$S' segment show M | grep -E '^(Tags|Groups):'"
check no-groups 0 "Tags:       geo
Groups:     " -- sh -c "'$RESEG' --store '$S' segment edit M --no-groups --tag geo >/dev/null &&
    '$RESEG' --store '$S' segment show M | grep -E '^(Tags|Groups):'"
create_usage='NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]...'
check bad-range 2 "reseg: range '80-20': the start must be below the end
Usage:
  reseg segment create $create_usage" -- \
    r segment create X --db people --range 80-20
check bad-limit 2 "reseg: the limit must be a whole number of at least 1, not '0'
Usage:
  reseg segment create $create_usage" -- \
    r segment create X --db people --limit 0
check no-db 2 "reseg: option '--db' is required
Usage:
  reseg segment create NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]..." -- \
    r segment create X
check dry-run 0 "Dry run of segment 'M' (nothing saved): added 2, removed 0, total 2." -- \
    r segment recalc M --dry-run
check log-empty 0 "Segment 'M' has no runs yet." -- r segment log M
check recalc 0 "Recalculated segment 'M' (run 1): added 2, removed 0, total 2." -- \
    r segment recalc M
check recalc-again 0 "Recalculated segment 'M' (run 2): added 0, removed 0, total 2." -- \
    r segment recalc M
check members 0 "a@x
c@x" -- r segment members M
check members-jsonl 0 '{"email":"a@x","age":30,"city":"Moscow"}
{"email":"c@x","age":25,"city":"Moscow"}' -- r segment members M --format jsonl
check members-csv 0 "email,age,city
a@x,30,Moscow
c@x,25,Moscow" -- r segment members M --format csv
check script 0 'city = "Moscow" and `age` < 45' -- r segment script M
# The database and the kind are no options of edit.
check db-immutable 2 "reseg: unknown option '--db'
Usage:
  reseg segment edit NAME [--name NEW] [--where SCRIPT | --where-file F] [--range A-B] [--limit N | --no-limit] [--schedule TEXT | --no-schedule] [--tag T... | --no-tags] [--group G... | --no-groups]" -- \
    r segment edit M --db other
check edit 0 "Updated segment 'M'.
Next run: 2026-11-29T09:00:00Z" -- r segment edit M --where 'city = "Moscow"' --limit 2
check recalc-limit 0 "Recalculated segment 'M' (run 3): added 0, removed 0, total 2." -- \
    r segment recalc M
check edit-nolimit 0 "Updated segment 'M'.
Next run: 2026-11-29T09:00:00Z" -- r segment edit M --no-limit
check recalc-3 0 "Recalculated segment 'M' (run 4): added 1, removed 0, total 3." -- \
    r segment recalc M
check log 0 "RUN  STARTED               ENDED                 TYPE    INITIATOR  ADDED  REMOVED  TOTAL  STATUS
  1  2026-11-28T12:00:00Z  2026-11-28T12:00:00Z  Manual  $ME$(printf '%*s' $((9 - ${#ME})) '')      2        0      2  Completed
  2  2026-11-28T12:00:00Z  2026-11-28T12:00:00Z  Manual  $ME$(printf '%*s' $((9 - ${#ME})) '')      0        0      2  Completed
  3  2026-11-28T12:00:00Z  2026-11-28T12:00:00Z  Manual  $ME$(printf '%*s' $((9 - ${#ME})) '')      0        0      2  Completed
  4  2026-11-28T12:00:00Z  2026-11-28T12:00:00Z  Manual  $ME$(printf '%*s' $((9 - ${#ME})) '')      1        0      3  Completed" -- \
    r segment log M
check history-day 0 "PERIOD      RUNS  TOTAL  +AUTO  -AUTO  +MANUAL  -MANUAL
2026-11-28     4      3      0      0        3        0" -- r segment history M --group day
check history-empty 0 "Segment 'M' has no completed runs in this period." -- \
    r segment history M --from 2026-11-29
check history-one-day 0 "Segment 'M' has no completed runs in this period." -- \
    r segment history M --from 2026-11-29 --to 2026-11-29
check history-inverted 2 "reseg: option '--from' (2026-11-29) is after option '--to' (2026-11-28)
Usage:
  reseg segment history NAME [--group day|week|month|quarter|year] [--from D] [--to D]" -- \
    r segment history M --from 2026-11-29 --to 2026-11-28
check history-inverted-time 2 "reseg: option '--from' (2026-11-28T12:00:01Z) is after option '--to' (2026-11-28T12:00:00Z)
Usage:
  reseg segment history NAME [--group day|week|month|quarter|year] [--from D] [--to D]" -- \
    r segment history M --from 2026-11-28T12:00:01Z --to 2026-11-28T12:00:00Z
check fill-scheduled 1 "reseg: segment 'M' is scheduled: only a recalculation changes its members" -- \
    r segment add M a@x
check static 0 "Created static segment 'S' on database 'people'." -- \
    r segment create S --db people --static
check add 1 "reseg: no profile with key 'zz@x'
Added 2 profiles to segment 'S' (0 already in, 1 unknown)." -- \
    r segment add S a@x b@x zz@x
printf 'b@x\nd@x\n' >"$T/keys"
check add-file 0 "Added 1 profile to segment 'S' (1 already in, 0 unknown)." -- \
    r segment add S --from-file "$T/keys"
check remove 0 "Removed 1 profile from segment 'S' (0 were not in, 0 unknown)." -- \
    r segment remove S a@x
check export-history 0 "run,time,key,change
1,2026-11-28T12:00:00Z,a@x,added
1,2026-11-28T12:00:00Z,b@x,added
2,2026-11-28T12:00:00Z,d@x,added
3,2026-11-28T12:00:00Z,a@x,removed" -- r segment export-history S
check export-history-file 0 "Exported 4 history rows of segment 'S' to $T/h.csv." -- \
    r segment export-history S -o "$T/h.csv"
check export-history-lines 0 "5" -- sh -c "wc -l <'$T/h.csv'"
check export 0 "Exported 2 profiles of segment 'S' to $T/s.jsonl." -- \
    r segment export S -o "$T/s.jsonl"
check export-file 0 '{"email":"b@x","age":40,"city":"Paris"}
{"email":"d@x","age":50,"city":"Moscow"}' -- cat "$T/s.jsonl"
check why 0 "'a@x' is not in static segment 'S': nobody added it.
'a@x' is not in segment 'S'." -- sh -c "'$RESEG' --store '$S' segment why S a@x | sort -r"
check stop 0 "Segment 'M' is stopped; its schedule is kept." -- r segment stop M
check list 0 "NAME  KIND       DATABASE  STATE    PROFILES  LAST RUN              NEXT RUN  TAGS
M     scheduled  people    stopped         3  2026-11-28T12:00:00Z  -         geo
S     static     people    -               2  2026-11-28T12:00:00Z  -" -- r segment list
check start 0 "Segment 'M' is active.
Next run: 2026-11-29T09:00:00Z" -- r segment start M
check list-json 0 '[{
		"name":	"M",
		"kind":	"scheduled",
		"database":	"people",
		"state":	"active",
		"stale":	false,
		"profiles":	3,
		"last_run_at":	"2026-11-28T12:00:00Z",
		"next_run_at":	"2026-11-29T09:00:00Z",
		"tags":	["geo"]
	}]' -- sh -c "'$RESEG' --store '$S' segment list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d[:1]))' >/dev/null && '$RESEG' --store '$S' segment delete S >/dev/null && '$RESEG' --store '$S' segment list --json"
check uses 0 "Created scheduled segment 'U' on database 'people'." -- \
    r segment create U --db people --where 'in segment "M" and age > 26'
check cycle 1 "reseg: segment 'M' would depend on itself: 'M' -> 'U' -> 'M'" -- \
    r segment edit M --where 'in segment "U"'
check delete-used 1 "reseg: segment 'M' is used by segment 'U'; use --force to delete it anyway" -- \
    r segment delete M
check show-used 0 "Name:       M
Kind:       scheduled
Database:   people
State:      active
Profiles:   3
Range:      0-100
Limit:      none
Schedule:   daily at 09:00 UTC
Next run:   2026-11-29T09:00:00Z
Last run:   2026-11-28T12:00:00Z (run 4)
Tags:       geo
Groups:     
Used by:    segment 'U'
Conditions:
  city = \"Moscow\"" -- r segment show M
check recalc-U 0 "Recalculated segment 'U' (run 1): added 2, removed 0, total 2." -- \
    r segment recalc U
check delete 0 "Deleted segment 'U'." -- r segment delete U
check missing 1 "reseg: there is no segment 'U'" -- r segment show U

check where-file-missing 1 "reseg: cannot open '$T/none.txt': No such file or directory" -- \
    r segment create W --db people --where-file "$T/none.txt"
check load-missing 1 "reseg: cannot open '$T/none.seg': No such file or directory" -- \
    r segment load "$T/none.seg"

# Staleness (README, "Schedules and the scheduler"): a slot due more than 15 minutes ago with no
# successful run since flags the segment; slots before it was created do
# not count; a successful run clears it.
r segment create Fresh --db people --where 'age > 1' \
    --schedule 'daily at 11:00 UTC' >/dev/null
check fresh-not-stale 0 "stale: none" -- sh -c \
    "'$RESEG' --store '$S' status | grep '^stale'"
check stale-within-slack 0 "active" -- env RESEG_NOW=2026-11-29T11:10:00Z \
    "$RESEG" --store "$S" segment show Fresh --json \
    | sed -n 's/.*"state":.*"\(.*\)",/\1/p'
check stale-list 0 "Fresh  scheduled  people    stale         0  never                 2026-11-30T11:00:00Z" -- \
    sh -c "RESEG_NOW=2026-11-29T12:00:00Z '$RESEG' --store '$S' segment list | grep '^Fresh'"
check stale-show 0 "Stale:      a run was due at 2026-11-29T11:00:00Z; no run has succeeded yet" -- \
    sh -c "RESEG_NOW=2026-11-29T12:00:00Z '$RESEG' --store '$S' segment show Fresh | grep '^Stale'"
check stale-status 0 "stale:
  Fresh: never succeeded, a run was due at 2026-11-29T11:00:00Z
  M: last success 2026-11-28T12:00:00Z, a run was due at 2026-11-29T09:00:00Z" -- \
    sh -c "RESEG_NOW=2026-11-29T12:00:00Z '$RESEG' --store '$S' status | sed -n '/^stale/,\$p'"
check stale-status-json 0 '{"holder":null,"running":[],"stale":[{"name":"Fresh","due_at":"2026-11-29T11:00:00Z","last_success_at":null},{"name":"M","due_at":"2026-11-29T09:00:00Z","last_success_at":"2026-11-28T12:00:00Z"}]}' -- \
    sh -c "RESEG_NOW=2026-11-29T12:00:00Z '$RESEG' --store '$S' status --json | tr -d ' \t\n'"
RESEG_NOW=2026-11-29T12:00:00Z r segment recalc Fresh >/dev/null
check stale-cleared 0 "stale:
  M: last success 2026-11-28T12:00:00Z, a run was due at 2026-11-29T09:00:00Z" -- \
    sh -c "RESEG_NOW=2026-11-29T12:05:00Z '$RESEG' --store '$S' status | sed -n '/^stale/,\$p'"

# A schedule with no run after now is refused when new or changed; one
# that has ended since stays editable and shows as ended.
check once-past 1 "reseg: segment 'Once': schedule: the schedule has no run after now (once on 2026-11-01 at 10:00 UTC is past)" -- \
    r segment create Once --db people --schedule 'once on 2026-11-01 at 10:00 UTC'
check until-today-past 1 "reseg: segment 'Til': schedule: the schedule has no run after now (daily at 10:00 UTC until 2026-11-28 is past)" -- \
    r segment create Til --db people --schedule 'daily at 10:00 UTC until 2026-11-28'
check past-9999 1 "reseg: segment 'Far': schedule: the schedule has no run by 9999-12-31T23:59:59Z, the last time reseg schedules (once on 9999-12-31 at 18:00 America/Los_Angeles runs later)" -- \
    r segment create Far --db people --schedule 'once on 9999-12-31 at 18:00 America/Los_Angeles'
r segment create Once --db people --schedule 'once on 2026-11-29 at 10:00 UTC' >/dev/null
r segment create Til --db people --schedule 'daily at 13:00 UTC until 2026-11-28' >/dev/null
RESEG_NOW=2026-11-29T10:00:00Z r segment recalc Once >/dev/null
RESEG_NOW=2026-11-28T13:00:00Z r segment recalc Til >/dev/null
RESEG_NOW=2026-12-05T12:00:00Z
check ended-edit 0 "Updated segment 'Til'.
Nothing will run: the schedule has no run after now (daily at 13:00 UTC until 2026-11-28 is past); give it a new schedule with 'reseg segment edit Til --schedule TEXT'." -- \
    r segment edit Til --tag old
check ended-list 0 "Once   scheduled  people    ended         4  2026-11-29T10:00:00Z  -
Til    scheduled  people    ended         4  2026-11-28T13:00:00Z  -                     old" -- \
    sh -c "'$RESEG' --store '$S' segment list | grep -E '^(Once|Til) '"
check ended-show 0 "State:      ended
Next run:   -" -- \
    sh -c "'$RESEG' --store '$S' segment show Once | grep -E '^(State|Next run):'"
check ended-json 0 '"state":"ended",' -- \
    sh -c "'$RESEG' --store '$S' segment show Once --json | tr -d ' \t' | grep '\"state\"'"
check ended-stop 0 "Segment 'Once' is stopped; its schedule is kept." -- \
    r segment stop Once
check ended-stopped 0 "State:      stopped" -- \
    sh -c "'$RESEG' --store '$S' segment show Once | grep '^State:'"
check ended-start 0 "Segment 'Once' is active.
Nothing will run: the schedule has no run after now (once on 2026-11-29 at 10:00 UTC is past); give it a new schedule with 'reseg segment edit Once --schedule TEXT'." -- \
    r segment start Once
r segment dump Til >"$T/til.txt"
check ended-load 0 "Updated segment 'Til'." -- r segment load "$T/til.txt"
check ended-reschedule 1 "reseg: segment 'Til': schedule: the schedule has no run after now (once on 2026-12-05 at 11:00 UTC is past)" -- \
    r segment edit Til --schedule 'once on 2026-12-05 at 11:00 UTC'
check ended-renewed 0 "Updated segment 'Til'.
Next run: 2026-12-05T13:00:00Z" -- \
    r segment edit Til --schedule 'daily at 13:00 UTC'
RESEG_NOW=2026-11-28T12:00:00Z


# "in segment" across databases: the other database's members are taken
# over by key (profile numbers of two databases mean nothing to each
# other); a key this database lacks is in no profile here.
printf 'email,score\nz@x,1\nd@x,2\nb@x,3\n' >"$T/crm.csv"
r db create crm --fields 'email:string,score:int' >/dev/null || exit 1
r db import crm "$T/crm.csv" >/dev/null || exit 1
r segment create Scored --db crm --where 'score >= 2' >/dev/null || exit 1
r segment recalc Scored >/dev/null || exit 1
r segment create FromCrm --db people --where 'in segment "Scored"' \
    >/dev/null || exit 1
tmp=$T
r segment recalc FromCrm >/dev/null || fail=1
run segment members FromCrm
expect 0 <<'EOF'
b@x
d@x
EOF
r segment create NotCrm --db people --where 'not in segment "Scored"' \
    >/dev/null || exit 1
r segment recalc NotCrm >/dev/null || fail=1
run segment members NotCrm
expect 0 <<'EOF'
a@x
c@x
EOF

exit $fail
