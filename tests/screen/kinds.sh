#!/bin/sh
# Segment kinds on screen (headless, see HACKING): a segment with no
# schedule reads Manual, not Active, in the list and on its page; a
# static segment's overview shows no range, limit or conditions keys
# (it has none), only how it is filled.
. "$top_srcdir/tests/screen/lib.sh"

demo
R segment create "By hand" --db demo --where 'orders_count >= 3' \
    >/dev/null || fail "create"
ui <<'EOF'
dump list
key Down Down Down Enter
dump manual-page
key q Down Enter
dump static-page
EOF
expect list <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
By hand                sched. demo     Manual        0 never    —
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test









10 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect manual-page <<'EOF'
 reseg Segment: By hand                                                   store
Database: demo   Profiles: 0   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: never   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 orders_count >= 3














F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect static-page <<'EOF'
 reseg Segment: Hand-picked                                               store
Database: demo   Profiles: 25   State: static
Schedule: none (static segment)
Last run: 2026-11-28 12:00 UTC   Next run: none

 Overview Profiles History Log Dependents
Tags: manual
─ Members ──────────────────────────────────────────────────────────────────────
 A static segment has no conditions: it is filled by hand or by copying.














F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
exit $status
