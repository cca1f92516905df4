#!/bin/sh
# reseg db delete-profiles: values, key, events, static memberships and
# scenario profiles go in one transaction; unknown keys refuse it all
# (or are skipped with --ignore-missing); scheduled segments drop them at
# their next run, list and export none meanwhile, and why says what it
# can; profile numbers are never given again.  Exact outputs and codes.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-delete-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"
me=$(id -un)

r db create shop --fields 'email:string,name:string,age:int' \
    --event-fields 'amount:float' >/dev/null || exit 1
printf 'email,name,age\na@x,Ann,30\nb@x,Bob,40\nc@x,Cid,50\nd@x,Dan,60\n' |
    r db import shop - --format csv >/dev/null || exit 1
cat >"$tmp/ev.jsonl" <<'EOF'
{"key":"a@x","event":"buy","time":"2026-11-01T00:00:00Z","amount":3}
{"key":"b@x","event":"buy","time":"2026-11-02T00:00:00Z","amount":4}
{"key":"a@x","event":"view","time":"2026-11-03T00:00:00Z","amount":null}
EOF
r events import shop "$tmp/ev.jsonl" >/dev/null || exit 1
r segment create all --db shop --where 'age > 0' >/dev/null
# A deleted profile has only empty values: it must not match this.
r segment create blank --db shop --where 'name is empty' >/dev/null
r segment create first2 --db shop --where 'age > 0' --limit 2 >/dev/null
r segment create st --db shop --static >/dev/null
for s in all blank first2; do r segment recalc $s >/dev/null; done
r segment add st a@x b@x >/dev/null
r object add scenario W --segment st >/dev/null
r scenario add-profiles W --segment st >/dev/null
r db export shop >"$tmp/before.csv"

# Unknown keys refuse the whole deletion, by name.
run db delete-profiles shop a@x zz@x yy@x --yes
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'shop' has no profiles 'zz@x', 'yy@x'; nothing was deleted
EOF
run db delete-profiles shop zz@x --yes
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'shop' has no profile 'zz@x'; nothing was deleted
EOF
run db delete-profiles nosuch a@x --yes
expect 1 </dev/null
expect_err <<'EOF'
reseg: no profile database named 'nosuch'
EOF
# Destructive: asks, and without a terminal wants --yes.
run db delete-profiles shop a@x
expect 1 </dev/null
expect_err <<'EOF'
reseg: Delete 1 profile from database 'shop' with its events, for good?
reseg: standard input is not a terminal: pass --yes to confirm; nothing was changed
EOF
run db delete-profiles shop
expect 2 </dev/null
run --json db delete-profiles shop a@x --yes
expect 2 </dev/null
r db export shop >"$tmp/now.csv"
cmp -s "$tmp/before.csv" "$tmp/now.csv" ||
    { echo "FAIL: a refused deletion changed profiles"; fail=1; }

# --ignore-missing: listed on stderr, skipped; a key given twice counts once.
run db delete-profiles shop a@x zz@x a@x --ignore-missing --yes
expect 0 <<'EOF'
Deleted 1 profile from database 'shop'.
Deleted 2 events of theirs.
Segment 'all' drops 1 member at its next run.
Segment 'first2' drops 1 member at its next run.
Static segment 'st': removed 1 member (run 2).
Scenario 'W': removed 1 profile.
EOF
expect_err <<'EOF'
reseg: no profile with key 'zz@x' in database 'shop'; skipped
EOF

run db export shop
expect 0 <<'EOF'
email,name,age
b@x,Bob,40
c@x,Cid,50
d@x,Dan,60
EOF
run events list shop
expect 0 <<'EOF'
TIME                  KEY  EVENT  EVENT_ID  PROPERTIES
2026-11-02T00:00:00Z  b@x  buy              amount=4
EOF
run db list
expect 0 <<'EOF'
NAME  PROFILES  FIELDS  KEY    SOURCE
shop         3       3  email  local
EOF
run db show shop
sed -n 2p "$tmp/out" >"$tmp/line"; cp "$tmp/line" "$tmp/out"
expect 0 <<'EOF'
Profiles:  3 (1 deleted)
EOF
run segment members st
expect 0 <<'EOF'
b@x
EOF
run segment log st
expect 0 <<EOF
RUN  STARTED               ENDED                 TYPE    INITIATOR  ADDED  REMOVED  TOTAL  STATUS
  1  2026-11-28T12:00:00Z  2026-11-28T12:00:00Z  Manual  $me           2        0      2  Completed
  2  2026-11-28T12:00:00Z  2026-11-28T12:00:00Z  Manual  $me           0        1      1  Completed
EOF
run object list
expect 0 <<'EOF'
TYPE      NAME  PROFILES  SEGMENTS
scenario  W     1         st
EOF

# Until its next run a scheduled segment keeps the deleted number: its
# count is its last run's, but nothing lists or exports the profile.
run segment members all
expect 0 <<'EOF'
b@x
c@x
d@x
EOF
run segment members all --format csv
expect 0 <<'EOF'
email,name,age
b@x,Bob,40
c@x,Cid,50
d@x,Dan,60
EOF
run segment show all
grep '^Profiles:' "$tmp/out" >"$tmp/line"; cp "$tmp/line" "$tmp/out"
expect 0 <<'EOF'
Profiles:   4 (1 deleted since, removed at the next run)
EOF
run segment why all a@x
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'shop' has no profile 'a@x' (never imported, or deleted: a deleted profile keeps no key); segment 'all' holds 1 deleted profile until its next run
EOF
run segment why st a@x
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'shop' has no profile 'a@x' (never imported, or deleted: a deleted profile keeps no key)
EOF
# Copying the segment into a static one or a scenario takes only the
# profiles that exist.
r segment create st2 --db shop --static >/dev/null
run segment copy all --to-segment st2
r segment members st2 >"$tmp/out"
expect 0 <<'EOF'
b@x
c@x
d@x
EOF
r object add scenario W2 --segment all >/dev/null
run scenario add-profiles W2 --segment all
expect 0 <<'EOF'
Added 3 profiles of segment 'all' to scenario 'W2' (3 in it now).
EOF

# The next run removes it; "is empty" does not match a deleted profile;
# a limit counts only profiles that exist.
run segment recalc all
expect 0 <<'EOF'
Recalculated segment 'all' (run 2): added 0, removed 1, total 3.
EOF
run segment recalc blank
expect 0 <<'EOF'
Recalculated segment 'blank' (run 2): added 0, removed 0, total 0.
EOF
run segment recalc first2
expect 0 <<'EOF'
Recalculated segment 'first2' (run 2): added 1, removed 1, total 2.
EOF
run segment show all
grep '^Profiles:' "$tmp/out" >"$tmp/line"; cp "$tmp/line" "$tmp/out"
expect 0 <<'EOF'
Profiles:   3
EOF

# Numbers are never given again: a@x comes back as a new profile, last
# in number order, without its old events.
printf 'email,name,age\na@x,Ann,31\n' | r db import shop - --format csv >/dev/null
run db export shop
expect 0 <<'EOF'
email,name,age
b@x,Bob,40
c@x,Cid,50
d@x,Dan,60
a@x,Ann,31
EOF
run events list shop --key a@x
expect 0 <<'EOF'
No events.
EOF
run db show shop
sed -n 2p "$tmp/out" >"$tmp/line"; cp "$tmp/line" "$tmp/out"
expect 0 <<'EOF'
Profiles:  4 (1 deleted)
EOF

# --from-file: one key a line, blanks and empty lines skipped.
printf 'c@x\n\n  d@x\r\n' >"$tmp/keys"
run db delete-profiles shop --from-file "$tmp/keys" --yes
expect 0 <<'EOF'
Deleted 2 profiles from database 'shop'.
Segment 'all' drops 2 members at its next run.
Segment 'first2' drops 1 member at its next run.
Static segment 'st2': removed 2 members (run 2).
Scenario 'W2': removed 2 profiles.
EOF
run db export shop
expect 0 <<'EOF'
email,name,age
b@x,Bob,40
a@x,Ann,31
EOF
# Every key missing with --ignore-missing: nothing to do, exit 0.
run db delete-profiles shop c@x --ignore-missing --yes
expect 0 <<'EOF'
Deleted 0 profiles from database 'shop'.
EOF
run segment recalc all
expect 0 <<'EOF'
Recalculated segment 'all' (run 3): added 1, removed 2, total 2.
EOF

exit $fail
