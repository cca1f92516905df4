#!/bin/sh
# Staleness in the UI (README, "Schedules and the scheduler"), screen by
# screen (headless, see HACKING): a weekly segment whose last slot passed
# two days ago, outside the catch-up window, is Skipped by the UI's
# scheduler and shown as Stale in the list and on its page; a manual
# recalculation clears it.  A schedule that is over after its last run
# is Ended, not Active with no next run.
. "$top_srcdir/tests/screen/lib.sh"

R db create shop --fields 'email:string,n:int' >/dev/null || fail "db create"
printf 'email,n\na@x.org,1\nb@x.org,2\n' >p.csv
R db import shop p.csv >/dev/null || fail "db import"
# Created on Saturday 2026-11-28; the slot is Sunday 11:00 UTC.
R segment create weekly --db shop --where 'n >= 1' \
    --schedule 'weekly on sun at 11:00 UTC' >/dev/null || fail "create"

# Opened on Tuesday 12:00: Sunday's slot is 49 hours old.
RESEG_NOW=2026-12-01T12:00:00Z
ui <<'EOF'
dump stale-list
key Enter
dump stale-page
key Tab Tab Tab
dump stale-log
key r
dump recalc-page
key q
dump recalc-list
EOF
expect stale-list <<'EOF'
 reseg Segments                                                           store
Name   Kind   Database State Profiles Last run Next run Tags
weekly sched. shop     Stale        0 never    in 5 d


















1 segment
Scheduler: segment 'weekly': the run of 2026-11-29T11:00:00Z was missed and is o
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect stale-page <<'EOF'
 reseg Segment: weekly                                                    store
Database: shop   Profiles: 0   State: Stale: a scheduled run has not happened
Schedule: weekly on sun at 11:00 UTC
Last run: never   Next run: 2026-12-06 11:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 1













Scheduler: segment 'weekly': the run of 2026-11-29T11:00:00Z was missed and is o
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect stale-log <<'EOF'
 reseg Segment: weekly                                                    store
Database: shop   Profiles: 0   State: Stale: a scheduled run has not happened
Schedule: weekly on sun at 11:00 UTC
Last run: never   Next run: 2026-12-06 11:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type      Initiator Added Removed Status
2026-12-01 12:00 UTC 12:00 Automatic System        0       0 Skipped













1-1 of 1   run 1 selected
Scheduler: segment 'weekly': the run of 2026-11-29T11:00:00Z was missed and is o
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
unlogin recalc-page
expect recalc-page <<'EOF'
 reseg Segment: weekly                                                    store
Database: shop   Profiles: 2   State: Active
Schedule: weekly on sun at 11:00 UTC
Last run: 2026-12-01 12:00 UTC   Next run: 2026-12-06 11:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type      Initiator Added Removed Status
2026-12-01 12:00 UTC 12:00 Manual    LOGIN         2       0 Completed
2026-12-01 12:00 UTC 12:00 Automatic System        0       0 Skipped












1-2 of 2   run 2 selected
weekly: 2 added, 0 removed, 2 in total.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect recalc-list <<'EOF'
 reseg Segments                                                           store
Name   Kind   Database State  Profiles Last run Next run Tags
weekly sched. shop     Active        2 just now in 5 d


















1 segment
weekly: 2 added, 0 removed, 2 in total.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF

# A schedule that is over (a past "once", a past "until") after its last
# run is Ended in the list and on the page; stopping and starting it
# again keeps it Ended.
RESEG_NOW=2026-11-28T12:00:00Z
R segment create once --db shop --where 'n >= 1' \
    --schedule 'once on 2026-11-29 at 10:00 UTC' >/dev/null || fail "once"
R segment create until --db shop --where 'n >= 2' \
    --schedule 'daily at 06:00 UTC until 2026-11-30' >/dev/null || fail "until"
RESEG_NOW=2026-11-29T10:05:00Z R segment recalc once >/dev/null || fail "recalc"
RESEG_NOW=2026-11-30T06:05:00Z R segment recalc until >/dev/null ||
    fail "recalc"
RESEG_NOW=2026-12-01T12:00:00Z
ui <<'EOF'
dump ended-list
key Enter
dump ended-page
key s
dump ended-stopped
key s
dump ended-again
EOF
expect ended-list <<'EOF'
 reseg Segments                                                           store
Name   Kind   Database State  Profiles Last run Next run Tags
once   sched. shop     Ended         2 2 d ago  —
until  sched. shop     Ended         1 1 d ago  —
weekly sched. shop     Active        2 just now in 5 d
















3 segments
Scheduler: segment 'until': the run of 2026-11-30T06:00:00Z was missed and is ol
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect ended-page <<'EOF'
 reseg Segment: once                                                      store
Database: shop   Profiles: 2   State: Ended: the schedule has no more runs
Schedule: once on 2026-11-29 at 10:00 UTC
Last run: 2026-11-29 10:05 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 1













Scheduler: segment 'until': the run of 2026-11-30T06:00:00Z was missed and is ol
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect ended-stopped <<'EOF'
 reseg Segment: once                                                      store
Database: shop   Profiles: 2   State: Stopped
Schedule: once on 2026-11-29 at 10:00 UTC
Last run: 2026-11-29 10:05 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 1













The schedule of 'once' is stopped.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect ended-again <<'EOF'
 reseg Segment: once                                                      store
Database: shop   Profiles: 2   State: Ended: the schedule has no more runs
Schedule: once on 2026-11-29 at 10:00 UTC
Last run: 2026-11-29 10:05 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 1













The schedule of 'once' is running again.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
exit $status
