#!/bin/sh
# Issue 6 end to end through the CLI: copy to a database and to a static
# segment, bulk edit, scenarios, dependent objects, clone, dump/load/test,
# the range map and run hooks; every refusal with its message and an
# unchanged store (exports compared before and after).
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-ops-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
what=
rc=0

r() {
	what="$*"
	"$RESEG" --store "$S" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# ok RC: exit status RC, stdout as the here-document.
ok() {
	cat >"$tmp/want"
	if [ "$rc" != "$1" ]; then
		echo "FAIL: $what: exit $rc, want $1"; cat "$tmp/err"; fail=1
	fi
	if ! cmp -s "$tmp/want" "$tmp/out"; then
		echo "FAIL: $what: stdout"; diff "$tmp/want" "$tmp/out"; fail=1
	fi
}

# refused MESSAGE: exit 1, nothing on stdout, this message on stderr.
refused() {
	if [ "$rc" != 1 ]; then
		echo "FAIL: $what: exit $rc, want 1"; fail=1
	fi
	if [ "$(cat "$tmp/err")" != "reseg: $1" ]; then
		echo "FAIL: $what: stderr"; echo " want: reseg: $1"
		echo " got:  $(cat "$tmp/err")"; fail=1
	fi
	if [ -s "$tmp/out" ]; then
		echo "FAIL: $what: stdout not empty"; fail=1
	fi
}

# snapshot: every database, member list and object list, for "unchanged".
snapshot() {
	for d in a b c; do
		"$RESEG" --store "$S" db export "$d" 2>/dev/null
	done
	for s in moscow st fresh; do
		"$RESEG" --store "$S" segment members "$s" 2>/dev/null
		"$RESEG" --store "$S" segment log "$s" 2>/dev/null
	done
	"$RESEG" --store "$S" object list --json
}

# misused MESSAGE: exit 2, nothing on stdout, the message and the
# command's usage on stderr.
misused() {
	if [ "$rc" != 2 ]; then
		echo "FAIL: $what: exit $rc, want 2"; fail=1
	fi
	if [ "$(sed -n '1p;2p' "$tmp/err")" != "reseg: $1
Usage:" ]; then
		echo "FAIL: $what: stderr"; echo " want: reseg: $1"
		echo " got:  $(cat "$tmp/err")"; fail=1
	fi
	if [ -s "$tmp/out" ]; then
		echo "FAIL: $what: stdout not empty"; fail=1
	fi
}

unchanged() {
	snapshot >"$tmp/after"
	if ! cmp -s "$tmp/before" "$tmp/after"; then
		echo "FAIL: $what changed the store"
		diff "$tmp/before" "$tmp/after"; fail=1
	fi
}

r db create a --fields 'email:string,age:int,city:string,vip:bool,tags:tags'
r db create b --fields 'email:string,age:int,note:string'
r db create c --fields 'email:string,age:string'
r db create k --fields 'id:string,age:int' --key id
cat >"$tmp/a.csv" <<'EOF'
email,age,city,vip,tags
a@x,30,Moscow,true,"x,y"
b@x,40,Paris,false,
c@x,25,Moscow,false,y
d@x,50,Moscow,true,
e@x,61,Berlin,true,x
EOF
printf 'email,age,note\nc@x,99,keep me\n' >"$tmp/b.csv"
r db import a "$tmp/a.csv"
r db import b "$tmp/b.csv"
r segment create moscow --db a --where 'city = "Moscow"'
r segment create fresh --db a --where 'age > 1'
r segment create st --db a --static
r segment create other --db b --static

# Before the first update every action is refused.
snapshot >"$tmp/before"
r segment copy moscow --to-db b
refused "segment 'moscow' has not been updated yet; recalculate it first"
unchanged
r segment copy moscow --to-segment st
refused "segment 'moscow' has not been updated yet; recalculate it first"
unchanged
r segment update moscow --set age=1
refused "segment 'moscow' has not been updated yet; recalculate it first"
unchanged
r object add scenario "$(printf 'On\377')" --segment moscow
refused "object name 'On\\xff' is not UTF-8 text: invalid byte 0xFF"
unchanged
r object add scenario Onboarding --segment moscow
r scenario add-profiles Onboarding --segment moscow
refused "segment 'moscow' has not been updated yet; recalculate it first"

r segment recalc moscow
ok 0 <<'EOF'
Recalculated segment 'moscow' (run 1): added 3, removed 0, total 3.
EOF

# Copy into another database: mapped by name, target-only fields kept.
r segment copy moscow --to-db b
ok 0 <<'EOF'
Copied 3 profiles of segment 'moscow' into database 'b': 2 new, 1 updated, 0 unchanged.
Fields not in database 'b', not copied: city, vip, tags
EOF
r db export b
ok 0 <<'EOF'
email,age,note
c@x,25,keep me
a@x,30,
d@x,50,
EOF
r segment copy moscow --to-db b
ok 0 <<'EOF'
Copied 3 profiles of segment 'moscow' into database 'b': 0 new, 0 updated, 3 unchanged.
Fields not in database 'b', not copied: city, vip, tags
EOF

# Refusals: type conflict, other key, same database; store unchanged.
snapshot >"$tmp/before"
r segment copy moscow --to-db c
refused "cannot copy segment 'moscow' into database 'c': field 'age' is int in 'a' but string in 'c'"
unchanged
r segment copy moscow --to-db k
refused "cannot copy segment 'moscow' into database 'k': its key is 'id', not 'email' as in database 'a'"
unchanged
r segment copy moscow --to-db a
refused "segment 'moscow' already belongs to database 'a'; copy it into another database"
unchanged
r segment copy moscow --to-db nosuch
refused "no profile database named 'nosuch'"
unchanged

# Copy into a static segment of the same database.
r segment copy moscow --to-segment other
refused "segment 'other' belongs to database 'b', not 'a' like segment 'moscow'"
unchanged
r segment copy moscow --to-segment fresh
refused "segment 'fresh' is scheduled: only a recalculation changes its members; copy into a static segment"
unchanged
r segment add st e@x
r segment copy moscow --to-segment st
ok 0 <<'EOF'
Copied segment 'moscow' into segment 'st': 3 added, 0 already there.
EOF
r segment members st
ok 0 <<'EOF'
a@x
c@x
d@x
e@x
EOF
r segment copy moscow --to-segment st
ok 0 <<'EOF'
Copied segment 'moscow' into segment 'st': 0 added, 3 already there.
EOF

# Bulk edit: typed, all or nothing, counting changed profiles.
snapshot >"$tmp/before"
r segment update moscow --set age=abc
misused "--set age: expected an integer, found 'abc'"
unchanged
r segment update moscow --set age=1 --set colour=red
refused "database 'a' has no field 'colour'"
unchanged
r segment update moscow --set email=x@x
refused "the key field 'email' cannot be changed by a bulk edit"
unchanged
r segment update moscow --set vip=true --set vip=false
refused "field 'vip' is set twice"
unchanged
r segment update moscow --set vip=TRUE --yes
ok 0 <<'EOF'
Updated segment 'moscow': 1 of 3 profiles changed.
EOF
r segment update moscow --set vip=true --set 'tags=y,z' --set age=33 --yes
ok 0 <<'EOF'
Updated segment 'moscow': 3 of 3 profiles changed.
EOF
r db export a
ok 0 <<'EOF'
email,age,city,vip,tags
a@x,33,Moscow,true,"y,z"
b@x,40,Paris,false,
c@x,33,Moscow,true,"y,z"
d@x,33,Moscow,true,"y,z"
e@x,61,Berlin,true,x
EOF
r segment update moscow --set age=33 --yes
ok 0 <<'EOF'
Updated segment 'moscow': 0 of 3 profiles changed.
EOF

# Scenarios: idempotent, with a count.
r scenario add-profiles Onboarding --segment moscow
ok 0 <<'EOF'
Added 3 profiles of segment 'moscow' to scenario 'Onboarding' (3 in it now).
EOF
r scenario add-profiles Onboarding --segment moscow
ok 0 <<'EOF'
Added 0 profiles of segment 'moscow' to scenario 'Onboarding' (3 in it now).
EOF
r scenario add-profiles Onboarding --segment st
ok 0 <<'EOF'
Added 1 profile of segment 'st' to scenario 'Onboarding' (4 in it now).
EOF
r scenario add-profiles Nope --segment moscow
refused "there is no scenario 'Nope'"

# Dependent objects.
r object add mailing Welcome --segment moscow --segment st
ok 0 <<'EOF'
Added mailing 'Welcome'.
EOF
r object add mailing Welcome --segment st
refused "there is already a mailing 'Welcome'"
r object add loyalty Gold --segment nosuch
refused "there is no segment 'nosuch'"
r object add coupon X --segment st
[ "$rc" = 2 ] || { echo "FAIL: $what: exit $rc, want 2"; fail=1; }
r object add loyalty Gold --segment fresh
r object list
ok 0 <<'EOF'
TYPE      NAME        PROFILES  SEGMENTS
loyalty   Gold        -         fresh
mailing   Welcome     -         moscow, st
scenario  Onboarding  4         moscow
EOF
r object list --json
ok 0 <<'EOF'
[{
		"type":	"loyalty",
		"name":	"Gold",
		"segments":	["fresh"],
		"profiles":	null
	}, {
		"type":	"mailing",
		"name":	"Welcome",
		"segments":	["moscow", "st"],
		"profiles":	null
	}, {
		"type":	"scenario",
		"name":	"Onboarding",
		"segments":	["moscow"],
		"profiles":	4
	}]
EOF
r object remove loyalty Gold
ok 0 <<'EOF'
Removed loyalty 'Gold'.
EOF
r object remove loyalty Gold
refused "there is no loyalty 'Gold'"

# Deleting a segment with dependents: refused, naming them.
snapshot >"$tmp/before"
r segment delete moscow
refused "segment 'moscow' is used by mailing 'Welcome', scenario 'Onboarding'; use --force to delete it anyway"
unchanged
r segment create usesmoscow --db a --where 'in segment "moscow" and age > 40'
r segment delete moscow
refused "segment 'moscow' is used by mailing 'Welcome', scenario 'Onboarding', segment 'usesmoscow'; use --force to delete it anyway"
unchanged
# segment show lists the dependents (objects, then segments).
r segment show moscow
grep -qx "Used by:    mailing 'Welcome', scenario 'Onboarding', segment 'usesmoscow'" "$tmp/out" ||
    { echo "FAIL: $what: no dependents line"; cat "$tmp/out"; fail=1; }
r segment show moscow --json
python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["used_by"]))' \
    <"$tmp/out" >"$tmp/used" 2>&1
[ "$(cat "$tmp/used")" = '[{"type": "mailing", "name": "Welcome"}, {"type": "scenario", "name": "Onboarding"}, {"type": "segment", "name": "usesmoscow"}]' ] ||
    { echo "FAIL: $what: used_by $(cat "$tmp/used")"; fail=1; }
r segment delete usesmoscow
ok 0 <<'EOF'
Deleted segment 'usesmoscow'.
EOF
r segment show fresh
grep -qx "Used by:    none" "$tmp/out" ||
    { echo "FAIL: $what: fresh has dependents"; cat "$tmp/out"; fail=1; }

# Clone: definition carried over, members and log not, clone stopped.
r segment edit moscow --tag vip --tag news --range 10-60.5 --limit 2 \
    --schedule 'daily at 09:00 Europe/Moscow' \
    --where 'city = "Moscow" and age > 3 or vip is true'
r segment clone moscow moscow2
ok 0 <<'EOF'
Created segment 'moscow2' as a clone of 'moscow' (stopped: start it with 'reseg segment start').
EOF
r segment clone moscow moscow2
refused "a segment named 'moscow2' already exists"
r segment clone moscow ''
refused "the clone of segment 'moscow' needs a new name"
r segment dump moscow2
ok 0 <<'EOF'
# reseg segment
name: moscow2
database: a
kind: scheduled
state: stopped
tags: vip, news
groups:
range: 10-60.5
limit: 2
schedule: daily at 09:00 Europe/Moscow
where:
    (city = "Moscow" and `age` > 3) or vip is true
EOF
r segment members moscow2
ok 0 </dev/null
r segment log moscow2
nlog=$(grep -c Manual "$tmp/out")
[ "$nlog" = 0 ] || { echo "FAIL: the clone has a log"; fail=1; }

# Dump -> load round trip gives an identical definition.
"$RESEG" --store "$S" segment dump moscow >"$tmp/m.txt"
r segment load "$tmp/m.txt"
ok 0 <<'EOF'
Updated segment 'moscow'.
EOF
r segment dump moscow
cmp -s "$tmp/m.txt" "$tmp/out" || { echo "FAIL: round trip"; diff "$tmp/m.txt" "$tmp/out"; fail=1; }
sed 's/^name: moscow$/name: moscow3/' "$tmp/m.txt" >"$tmp/m3.txt"
r segment load "$tmp/m3.txt"
ok 0 <<'EOF'
Created segment 'moscow3'.
EOF
r segment dump moscow3
sed 's/^name: moscow$/name: moscow3/' "$tmp/m.txt" | cmp -s - "$tmp/out" ||
    { echo "FAIL: loaded copy differs"; fail=1; }
snapshot >"$tmp/before"
sed 's/^database: a$/database: b/' "$tmp/m.txt" >"$tmp/mb.txt"
r segment load "$tmp/mb.txt"
refused "$tmp/mb.txt: the database of segment 'moscow' cannot be changed (it is 'a', the file says 'b')"
unchanged
printf 'name: bad\ndatabase: a\ncolour: red\n' >"$tmp/bad.txt"
r segment load "$tmp/bad.txt"
refused "$tmp/bad.txt:3: unknown key 'colour'"
printf 'name: bad\ndatabase: a\nwhere:\n    age >\n' >"$tmp/bad.txt"
r segment load "$tmp/bad.txt"
[ "$rc" = 1 ] || { echo "FAIL: bad script loaded"; fail=1; }
printf 'name: bad\ndatabase: a\nwhere:\n    shoe_size > 3\n' >"$tmp/bad.txt"
r segment load "$tmp/bad.txt"
[ "$rc" = 1 ] || { echo "FAIL: unknown field loaded"; fail=1; }
unchanged

# segment test: sample profiles with expected in/out.
cat >"$tmp/t.txt" <<'EOF'
name: adults in Moscow
database: a
kind: scheduled
where:
    city = "Moscow" and age >= 30
EOF
cat >"$tmp/cases.csv" <<'EOF'
email,city,age,expect
p1,Moscow,31,in
p2,Moscow,29,out
p3,Paris,40,in
p4,,,out
EOF
r segment test "$tmp/t.txt" "$tmp/cases.csv"
ok 1 <<EOF
ok    $tmp/cases.csv:2: p1 is in
ok    $tmp/cases.csv:3: p2 is out
FAIL  $tmp/cases.csv:4: p3 is out, expected in
ok    $tmp/cases.csv:5: p4 is out
4 cases: 3 passed, 1 failed.
EOF
cat >"$tmp/cases.jsonl" <<'EOF'
{"email":"q1","city":"Moscow","age":30,"expect":"in"}
{"email":"q2","city":"Moscow","age":12,"vip":true,"expect":"out"}
EOF
r segment test "$tmp/t.txt" "$tmp/cases.jsonl"
ok 0 <<EOF
ok    $tmp/cases.jsonl:1: q1 is in
ok    $tmp/cases.jsonl:2: q2 is out
2 cases: 2 passed, 0 failed.
EOF
printf '{"email":"q1","city":"Moscow","age":30,"expect":"in"}\n' >"$tmp/one.jsonl"
r segment test "$tmp/t.txt" "$tmp/one.jsonl"
ok 0 <<EOF
ok    $tmp/one.jsonl:1: q1 is in
1 case: 1 passed, 0 failed.
EOF
printf 'email,expect\nz,maybe\n' >"$tmp/badcases.csv"
r segment test "$tmp/t.txt" "$tmp/badcases.csv"
refused "$tmp/badcases.csv:2: expect must be 'in' or 'out', not 'maybe'"
r db export a
grep -q '^p1' "$tmp/out" && { echo "FAIL: segment test wrote profiles"; fail=1; }

# Range map.
r segment create r1 --db a --range 0-20
r segment create r2 --db a --range 10-30.25
r db ranges a
ok 0 <<'EOF'
SLICE (%)   SEGMENTS
0-10        r1
10-20       moscow, moscow2, moscow3, r1, r2  OVERLAP
20-30.25    moscow, moscow2, moscow3, r2  OVERLAP
30.25-60.5  moscow, moscow2, moscow3  OVERLAP
60.5-100    (free)
Without a range (all of 0-100): fresh
3 overlapping slices.
EOF
r db ranges nosuch
refused "no profile database named 'nosuch'"

# Hooks: per segment and store-wide.
r segment hook fresh
ok 0 <<'EOF'
Segment 'fresh' has no hook.
EOF
r segment hook fresh --set "cat >'$tmp/hook.json'"
r segment hook fresh
ok 0 <<EOF
cat >'$tmp/hook.json'
EOF
r hook --set "cat >'$tmp/global.json'" --timeout 5
ok 0 <<EOF
Store-wide hook: cat >'$tmp/global.json'
Hook timeout: 5 seconds.
EOF
r segment recalc fresh --dry-run
[ -e "$tmp/hook.json" ] && { echo "FAIL: a dry run ran the hook"; fail=1; }
r segment recalc fresh
want='{"store":"'$S'","segment":"fresh","segment_id":2,"database":"a","run":{"id":1,"type":"Manual","initiator":"'$(id -un)'","started_at":"2026-11-28T12:00:00Z","ended_at":"2026-11-28T12:00:00Z","added":5,"removed":0,"total":5,"status":"Completed","error":null}}'
for f in hook.json global.json; do
	[ "$(cat "$tmp/$f" 2>/dev/null)" = "$want" ] ||
	    { echo "FAIL: $f: $(cat "$tmp/$f" 2>/dev/null)"; fail=1; }
done
r segment hook fresh --set 'exit 3'
r segment recalc fresh
ok 0 <<'EOF'
Recalculated segment 'fresh' (run 2): added 0, removed 0, total 5.
EOF
grep -q "hook of segment 'fresh' (run 2): 'exit 3' exited with status 3" \
    "$S/hooks.log" || { echo "FAIL: hook failure not logged"; fail=1; }
r segment hook fresh --clear
ok 0 <<'EOF'
Segment 'fresh' has no hook now.
EOF
r hook --clear
ok 0 <<'EOF'
No store-wide hook.
Hook timeout: 5 seconds.
EOF

# --force detaches the objects and deletes, in one transaction.
r segment create gone --db a --static
r object add mailing Bye --segment gone --segment st
r segment delete gone
refused "segment 'gone' is used by mailing 'Bye'; use --force to delete it anyway"
r segment delete gone --force --yes
ok 0 <<'EOF'
Deleted segment 'gone'.
EOF
r object list
grep -q '^mailing   Bye         -         st$' "$tmp/out" ||
    { echo "FAIL: $what: Bye not detached"; cat "$tmp/out"; fail=1; }
r segment show gone
refused "there is no segment 'gone'"

exit $fail
