#!/bin/sh
# Times and zones (README, "Times"), screen by screen (headless, see
# HACKING): the list's relative times ("in 30 min", "2 d ago") and, a
# week or more away, absolute times in the segment's schedule zone with
# its abbreviation (EST; +04 where the zone has no letters; UTC without
# a schedule); z shows every time in the machine's zone (TZ), then UTC,
# then the segments' zones again, the key bar saying which; the page
# header, the log and the history chart's selected point follow it.
# The timezone picker: the machine's zone, the zones of the segments
# (most recently changed first), then every canonical zone by region
# with its offset and abbreviation; typing matches anywhere in the name
# (spaces for underscores); an alias typed in full is still taken.
. "$top_srcdir/tests/screen/lib.sh"
TZ=Europe/Berlin

R db create shop --fields 'email:string,n:int' >/dev/null || fail "db create"
printf 'email,n\na@x.org,1\nb@x.org,2\n' >p.csv
R db import shop p.csv >/dev/null || fail "db import"
# Each created and run at its own time, so that the UI's scheduler
# finds no slot missed since (nothing runs when it starts).
RESEG_NOW=2026-11-20T12:00:00Z R segment create 'new york' --db shop \
    --where 'n >= 1' --schedule 'once on 2026-12-24 at 10:00 America/New_York' \
    >/dev/null || fail "create new york"
RESEG_NOW=2026-11-20T12:00:00Z R segment recalc 'new york' >/dev/null ||
    fail "recalc new york"
RESEG_NOW=2026-11-26T10:00:00Z R segment create dubai --db shop \
    --where 'n >= 2' --schedule 'monthly on 1 at 08:00 Asia/Dubai' \
    >/dev/null || fail "create dubai"
RESEG_NOW=2026-11-26T10:00:00Z R segment recalc dubai >/dev/null ||
    fail "recalc dubai"
RESEG_NOW=2026-11-27T12:00:00Z R segment create manual --db shop \
    --where 'n >= 1' >/dev/null || fail "create manual"
RESEG_NOW=2026-11-27T12:00:00Z R segment recalc manual >/dev/null ||
    fail "recalc manual"
RESEG_NOW=2026-11-28T11:35:00Z R segment create kolkata --db shop \
    --where 'n >= 1' --schedule 'every 6 hours from 00:00 Asia/Kolkata' \
    >/dev/null || fail "create kolkata"
RESEG_NOW=2026-11-28T11:35:00Z R segment recalc kolkata >/dev/null ||
    fail "recalc kolkata"

ui <<'EOF'
dump list
key z
dump list-local
key z
dump list-utc
key z End Enter
dump page
key Tab Tab Tab
dump log
key z
dump log-local
key Tab Tab Tab Tab
dump history-local
key z z q Home Enter
dump page-dubai
key e Tab Tab Tab Tab Tab Tab Tab Tab
dump form
key z
dump form-local
key z z Enter
dump picker
type york
dump picker-york
key ^U
type NEW YORK
dump picker-new-york
key ^U
type kolk
key Enter
dump picked
key Enter ^U
type US/Pacific
dump alias
key Enter
dump alias-taken
key ^S
EOF
unlogin log
unlogin log-local
R segment show dubai | grep '^Schedule:' >schedule
expect list <<'EOF'
 reseg Segments                                                           store
Name     Kind   Database State  Profiles Last run        Next run        Tags
dubai    sched. shop     Active        1 2 d ago         in 3 d
kolkata  sched. shop     Active        2 25 min ago      in 30 min
manual   sched. shop     Manual        2 1 d ago         —
new york sched. shop     Active        2 11-20 07:00 EST 12-24 10:00 EST















4 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect list-local <<'EOF'
 reseg Segments                                                           store
Name     Kind   Database State  Profiles Last run        Next run        Tags
dubai    sched. shop     Active        1 2 d ago         in 3 d
kolkata  sched. shop     Active        2 25 min ago      in 30 min
manual   sched. shop     Manual        2 1 d ago         —
new york sched. shop     Active        2 11-20 13:00 CET 12-24 16:00 CET















4 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit          Times: local zone
EOF
expect list-utc <<'EOF'
 reseg Segments                                                           store
Name     Kind   Database State  Profiles Last run        Next run        Tags
dubai    sched. shop     Active        1 2 d ago         in 3 d
kolkata  sched. shop     Active        2 25 min ago      in 30 min
manual   sched. shop     Manual        2 1 d ago         —
new york sched. shop     Active        2 11-20 12:00 UTC 12-24 15:00 UTC















4 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit                 Times: UTC
EOF
expect page <<'EOF'
 reseg Segment: new york                                                  store
Database: shop   Profiles: 2   State: Active
Schedule: once on 2026-12-24 at 10:00 America/New_York
Last run: 2026-11-20 07:00 EST   Next run: 2026-12-24 10:00 EST
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 1














F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect log <<'EOF'
 reseg Segment: new york                                                  store
Database: shop   Profiles: 2   State: Active
Schedule: once on 2026-12-24 at 10:00 America/New_York
Last run: 2026-11-20 07:00 EST   Next run: 2026-12-24 10:00 EST
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type   Initiator Added Removed Status
2026-11-20 07:00 EST 07:00 Manual LOGIN         2       0 Completed













1-1 of 1   run 1 selected

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect log-local <<'EOF'
 reseg Segment: new york                                                  store
Database: shop   Profiles: 2   State: Active
Schedule: once on 2026-12-24 at 10:00 America/New_York
Last run: 2026-11-20 13:00 CET   Next run: 2026-12-24 16:00 CET
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type   Initiator Added Removed Status
2026-11-20 13:00 CET 13:00 Manual LOGIN         2       0 Completed













1-1 of 1   run 1 selected

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit          Times: local zone
EOF
expect history-local <<'EOF'
 reseg Segment: new york                                                  store
Database: shop   Profiles: 2   State: Active
Schedule: once on 2026-12-24 at 10:00 America/New_York
Last run: 2026-11-20 13:00 CET   Next run: 2026-12-24 16:00 CET
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
        2                                           ⣿⣿              ││
                                                    ⣿⣿              ││
                                                    ⣿⣿              ││
                                                    ⣿⣿              ││
                                                    ⣿⣿              ││
        1                                           ⣿⣿              ││
                                                    ⣿⣿              ││
                                                    ⣿⣿              ││
                                                    ⣿⣿              ││
                                                    ⣿⣿              ││
        0                                           ⣿⣿              ││
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 CET: no run (total 2)
automatically +0 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit          Times: local zone
EOF
expect page-dubai <<'EOF'
 reseg Segment: dubai                                                     store
Database: shop   Profiles: 1   State: Active
Schedule: monthly on 1 at 08:00 Asia/Dubai
Last run: 2026-11-26 14:00 +04   Next run: 2026-12-01 08:00 +04
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 2














F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect form <<'EOF'
 reseg Edit segment: dubai                                                store
Name               dubai
Database           shop  (fixed once saved)
Kind               scheduled
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    n >= 2
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [x]
Time (HH:MM)       08:00
Timezone           Asia/Dubai  ▾
Frequency          < monthly >
Days (1,15,last)   1
Deactivate after
Next runs          2026-12-01 08:00 +04
                   2027-01-01 08:00 +04
                   2027-02-01 08:00 +04
Tags
Access groups
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect form-local <<'EOF'
 reseg Edit segment: dubai                                                store
Name               dubai
Database           shop  (fixed once saved)
Kind               scheduled
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    n >= 2
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [x]
Time (HH:MM)       08:00
Timezone           Asia/Dubai  ▾
Frequency          < monthly >
Days (1,15,last)   1
Deactivate after
Next runs          2026-12-01 05:00 CET
                   2027-01-01 05:00 CET
                   2027-02-01 05:00 CET
Tags
Access groups
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                       Times: local zone
EOF
expect picker <<'EOF'
 reseg Edit segment: dubai                                                store
Name         ┌ Timezone (type to search) ─────────────────────────┐
Database     │This machine                                        │
Kind         │  Europe/Berlin                   UTC+01:00  CET    │
─ Conditions │Recently used                                       │─────────────
  ALL of thes│  Asia/Kolkata                    UTC+05:30  IST    │
    n >= 2   │  Asia/Dubai                      UTC+04:00  +04    │
Range from, %│  America/New_York                UTC-05:00  EST    │
Range to, %  │Africa                                              │
Limit        │  Africa/Abidjan                  UTC+00:00  GMT    │
Schedule     │  Africa/Accra                    UTC+00:00  GMT    │
Time (HH:MM) │  Africa/Addis_Ababa              UTC+03:00  EAT    │
Timezone     │  Africa/Algiers                  UTC+01:00  CET    │
Frequency    │  Africa/Asmara                   UTC+03:00  EAT    │
Days (1,15,la│  Africa/Bamako                   UTC+00:00  GMT    │
Deactivate af│  Africa/Bangui                   UTC+01:00  WAT    │
Next runs    │  Africa/Banjul                   UTC+00:00  GMT    │
             │  Africa/Bissau                   UTC+00:00  GMT    │
             │  Africa/Blantyre                 UTC+02:00  CAT    │
Tags         │                                                    │
Access groups│Search:                                             │
Tab/Shift-Tab└────────────────────────────────────────────────────┘

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect picker-york <<'EOF'
 reseg Edit segment: dubai                                                store
Name         ┌ Timezone (type to search) ─────────────────────────┐
Database     │Recently used                                       │
Kind         │  America/New_York                UTC-05:00  EST    │
─ Conditions │America                                             │─────────────
  ALL of thes│  America/New_York                UTC-05:00  EST    │
    n >= 2   │                                                    │
Range from, %│                                                    │
Range to, %  │                                                    │
Limit        │                                                    │
Schedule     │                                                    │
Time (HH:MM) │                                                    │
Timezone     │                                                    │
Frequency    │                                                    │
Days (1,15,la│                                                    │
Deactivate af│                                                    │
Next runs    │                                                    │
             │                                                    │
             │                                                    │
Tags         │                                                    │
Access groups│Search: york                                        │
Tab/Shift-Tab└────────────────────────────────────────────────────┘

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect picker-new-york <<'EOF'
 reseg Edit segment: dubai                                                store
Name         ┌ Timezone (type to search) ─────────────────────────┐
Database     │Recently used                                       │
Kind         │  America/New_York                UTC-05:00  EST    │
─ Conditions │America                                             │─────────────
  ALL of thes│  America/New_York                UTC-05:00  EST    │
    n >= 2   │                                                    │
Range from, %│                                                    │
Range to, %  │                                                    │
Limit        │                                                    │
Schedule     │                                                    │
Time (HH:MM) │                                                    │
Timezone     │                                                    │
Frequency    │                                                    │
Days (1,15,la│                                                    │
Deactivate af│                                                    │
Next runs    │                                                    │
             │                                                    │
             │                                                    │
Tags         │                                                    │
Access groups│Search: NEW YORK                                    │
Tab/Shift-Tab└────────────────────────────────────────────────────┘

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect picked <<'EOF'
 reseg Edit segment: dubai                                                store
Name               dubai
Database           shop  (fixed once saved)
Kind               scheduled
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    n >= 2
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [x]
Time (HH:MM)       08:00
Timezone           Asia/Kolkata  ▾
Frequency          < monthly >
Days (1,15,last)   1
Deactivate after
Next runs          2026-12-01 08:00 IST
                   2027-01-01 08:00 IST
                   2027-02-01 08:00 IST
Tags
Access groups
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect alias <<'EOF'
 reseg Edit segment: dubai                                                store
Name         ┌ Timezone (type to search) ─────────────────────────┐
Database     │ (nothing matches)                                  │
Kind         │                                                    │
─ Conditions │                                                    │─────────────
  ALL of thes│                                                    │
    n >= 2   │                                                    │
Range from, %│                                                    │
Range to, %  │                                                    │
Limit        │                                                    │
Schedule     │                                                    │
Time (HH:MM) │                                                    │
Timezone     │                                                    │
Frequency    │                                                    │
Days (1,15,la│                                                    │
Deactivate af│                                                    │
Next runs    │                                                    │
             │                                                    │
             │                                                    │
Tags         │                                                    │
Access groups│Search: US/Pacific                                  │
Tab/Shift-Tab└────────────────────────────────────────────────────┘

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect alias-taken <<'EOF'
 reseg Edit segment: dubai                                                store
Name               dubai
Database           shop  (fixed once saved)
Kind               scheduled
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    n >= 2
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [x]
Time (HH:MM)       08:00
Timezone           US/Pacific  ▾
Frequency          < monthly >
Days (1,15,last)   1
Deactivate after
Next runs          2026-12-01 08:00 PST
                   2027-01-01 08:00 PST
                   2027-02-01 08:00 PST
Tags
Access groups
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect schedule <<'EOF'
Schedule:   monthly on 1 at 08:00 US/Pacific
EOF
exit $status
