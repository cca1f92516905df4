#!/bin/sh
# Attached databases in the UI (headless, see HACKING): the databases
# picker of the segment form has a source column (local / PostgreSQL),
# and the page of a segment of an attached database says so in its
# header, its members recalculated in PostgreSQL from the page.
. "$top_srcdir/tests/screen/lib.sh"
. "$top_srcdir/tests/pg_lib.sh"
trap 'pg_stop_all; rm -rf "$TMP"' EXIT

pg_start one
pg_sql one "CREATE TABLE people (id serial, email text, age integer);
INSERT INTO people (email, age) VALUES ('a@x', 30), ('b@x', 20),
  ('c@x', 45);" || exit 99
R db create local --fields 'email:string,age:int' >/dev/null || fail "create"
R db attach warehouse --postgres "$pg_one" --table people --key email \
    --order id >/dev/null || fail "attach"
R segment create Older --db warehouse --where 'age >= 30' >/dev/null ||
    fail "segment"

ui <<'EOF'
key i Tab Enter
dump picker
key Esc Esc
key Enter
dump page
key r
dump recalc
key Tab
dump profiles
EOF
expect picker <<'EOF'
 reseg New segment                                                        store
Name
Database           local  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ]     ┌ Database ─────────────┐
Schedule           [ ]     │local      local       │
Tags                       │warehouse  PostgreSQL  │
Access groups              │                       │
                           │Search:                │
                           └───────────────────────┘







Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect page <<'EOF'
 reseg Segment: Older                                                     store
Database: warehouse (PostgreSQL)   Profiles: 0   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: never   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 `age` >= 30














F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect recalc <<'EOF'
 reseg Segment: Older                                                     store
Database: warehouse (PostgreSQL)   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-28 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 `age` >= 30













Older: 2 added, 0 removed, 2 in total.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect profiles <<'EOF'
 reseg Segment: Older                                                     store
Database: warehouse (PostgreSQL)   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-28 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
email id age
a@x
c@x












1-2 of 2   columns 1-3 of 3   /: search
Older: 2 added, 0 removed, 2 in total.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
exit $status
