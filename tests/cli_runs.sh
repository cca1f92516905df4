#!/bin/sh
# Runs that depend on other segments, the demo over a user's work, and
# the state and hint of a clone, end to end with exact outputs.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-runs-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0

. "$top_srcdir/tests/cli_lib.sh"

printf 'email,age\na@x,1\nb@x,2\nc@x,3\n' >"$tmp/p.csv"
r db create d --fields 'email:string,age:int' >/dev/null || exit 1
r db import d "$tmp/p.csv" >/dev/null || exit 1
r segment create B --db d --where 'age >= 2' >/dev/null || exit 1
r segment create A --db d --where 'in segment "B" and age < 3' >/dev/null ||
    exit 1

# "in segment" of a segment never calculated: refused, never a silent 0.
run segment recalc A --dry-run
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'A': its condition uses segment 'B', which has not been calculated yet; recalculate 'B' first
EOF
run segment recalc A
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'A' (run 1): its condition uses segment 'B', which has not been calculated yet; recalculate 'B' first
EOF
run segment why A b@x
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'A': its condition uses segment 'B', which has not been calculated yet; recalculate 'B' first
EOF
run segment recalc B
expect 0 <<'EOF'
Recalculated segment 'B' (run 1): added 2, removed 0, total 2.
EOF
run segment recalc A
expect 0 <<'EOF'
Recalculated segment 'A' (run 2): added 1, removed 0, total 1.
EOF

# A segment it uses deleted anyway: which run of which segment, and why.
r segment delete B --force --yes >/dev/null
run segment recalc A
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'A' (run 3): its condition uses segment 'B', which no longer exists
EOF
# The log keeps the reason on the run's row (the row names the run).
name="log A"
"$RESEG" --store "$S" segment log A --json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["id"], r["status"], r["total"], r["error"] or "-")' >"$tmp/out"
rc=$?
expect 0 <<'EOF'
1 Error 0 its condition uses segment 'B', which has not been calculated yet; recalculate 'B' first
2 Completed 1 -
3 Error 1 its condition uses segment 'B', which no longer exists
EOF

# segment test reads the real members of a segment it uses: not before
# that segment's first run either.
r segment create Fresh --db d --where 'age > 1' >/dev/null || exit 1
printf 'name: T\ndatabase: d\nwhere:\n    in segment "Fresh"\n' >"$tmp/t.txt"
printf 'email,age,expect\nb@x,2,in\nz@x,1,out\n' >"$tmp/cases.csv"
run segment test "$tmp/t.txt" "$tmp/cases.csv"
expect 1 </dev/null
expect_err <<'EOF'
reseg: its condition uses segment 'Fresh', which has not been calculated yet; recalculate 'Fresh' first
EOF
r segment recalc Fresh >/dev/null
run segment test "$tmp/t.txt" "$tmp/cases.csv"
expect 0 <<EOF
ok    $tmp/cases.csv:2: b@x is in
ok    $tmp/cases.csv:3: z@x is out
2 cases: 2 passed, 0 failed.
EOF

# Clones: the state and the hint follow what fills the clone.
r segment create Daily --db d --where 'age > 1' \
    --schedule 'daily at 09:00 UTC' >/dev/null || exit 1
r segment create Hand --db d --where 'age > 2' >/dev/null || exit 1
r segment create Picked --db d --static >/dev/null || exit 1
run segment clone Daily Daily2
expect 0 <<'EOF'
Created segment 'Daily2' as a clone of 'Daily' (stopped: start it with 'reseg segment start').
EOF
run segment start Daily2
expect 0 <<'EOF'
Segment 'Daily2' is active.
Next run: 2026-11-29T09:00:00Z
EOF
run segment clone Hand A2
expect 0 <<'EOF'
Created segment 'A2' as a clone of 'Hand' (no schedule: calculate it with 'reseg segment recalc').
EOF
run segment clone Picked Picked2
expect 0 <<'EOF'
Created static segment 'Picked2' as a clone of 'Picked' (empty: fill it with 'reseg segment add' or 'reseg segment copy').
EOF
check clone-list 0 "A2       scheduled  d         active         0  never                 -
Daily2   scheduled  d         active         0  never                 2026-11-29T09:00:00Z
Picked2  static     d         -              0  never                 -" -- \
    sh -c "'$RESEG' --store '$S' segment list | grep -E '^(A2|Daily2|Picked2) '"
check clone-start 1 "reseg: segment 'A2' has no schedule to start or stop" -- \
    r segment start A2
# A stopped segment whose schedule is removed has nothing left stopped.
r segment stop Daily >/dev/null
check no-schedule 0 "State:      active" -- \
    sh -c "'$RESEG' --store '$S' segment edit Daily --no-schedule >/dev/null &&
    '$RESEG' --store '$S' segment show Daily | grep '^State:'"

# The demo replaces only what it made: a segment of the user's on it, or
# an object using one of its segments, refuses without --force.
r demo --profiles 30 >/dev/null || { echo "FAIL: demo"; fail=1; }
run demo --profiles 30
expect 0 <<EOF
Created database 'demo' with 30 profiles in $S.
$(sed 1d "$tmp/out")
EOF
r segment create Mine --db demo --where 'orders_count > 1' >/dev/null
r object add mailing Bye --segment 'Moscow VIP subscribers' >/dev/null
run demo --profiles 30
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'demo' is used by what the demo did not create: segment 'Mine', mailing 'Bye'; use --force to replace the demo anyway (its segments are deleted, objects detached)
EOF
check bye-kept 0 "TYPE     NAME  PROFILES  SEGMENTS
mailing  Bye   -         Moscow VIP subscribers" -- r object list
check mine-kept 0 "Mine                    scheduled  demo      active         0  never                 -" -- \
    sh -c "'$RESEG' --store '$S' segment list | grep '^Mine '"
run demo --profiles 30 --force
expect 0 <<EOF
Created database 'demo' with 30 profiles in $S.
$(sed 1d "$tmp/out")
EOF
check mine-gone 1 "reseg: there is no segment 'Mine'" -- r segment show Mine
check bye-detached 0 "TYPE     NAME  PROFILES  SEGMENTS
mailing  Bye   -" -- r object list

exit $fail
