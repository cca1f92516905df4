#!/bin/sh
# The segment page (headless, see HACKING): its Dependents block lists
# every user, the objects and the segments using it through `in
# segment`, as `segment show` does; the keys the help and the manual list
# for the page work there: d asks (naming the users) and deletes,
# detaching it, and returns to the list; C clones; n opens a new form;
# S reconfigures the schedule from the list as from the page.
. "$top_srcdir/tests/screen/lib.sh"

demo
R object add mailing Welcome --segment "Active buyers CIS" >/dev/null ||
    fail "object add"
R segment show "Active buyers CIS" | grep -x \
    "Used by:    mailing 'Welcome', segment 'Active buyers, not VIP'" \
    >/dev/null || fail "segment show: $(R segment show 'Active buyers CIS')"
ui <<'EOF'
key S
dump reconfigure
key Esc Enter Tab Tab Tab Tab
dump deps
key C
dump clone
key Esc i
dump new
key Esc d
dump delete-ask
key n
dump delete-no
key d y
dump deleted
EOF
expect deps <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Database: demo   Profiles: 908   State: Active
Schedule: every 6 hours from 00:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-28 18:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
 mailing 'Welcome'
 segment 'Active buyers, not VIP'















F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect delete-ask <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Database: demo   Profiles: 908   State: Active
Schedule: every 6 hours from 00:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-28 18:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
 mailing 'Welcome'
 segment 'Active buyers, not VIP'
 ┌ Confirm ───────────────────────────────────────────────────────────────────┐
 │ Segment 'Active buyers CIS' is used by mailing 'Welcome', segment 'Active  │
 │ buyers, not VIP'. Delete it anyway, with its members and log, and detach   │
 │ it from them? Segments that use it through 'in segment' fail their next    │
 │ run until edited.                                                          │
 │                                                                            │
 │ Enter/y: yes   Esc/n: no                                                   │
 └────────────────────────────────────────────────────────────────────────────┘







F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect deleted <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test











8 segments
Segment 'Active buyers CIS' was deleted and detached from its users.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
# S on the list, as on the page: the schedule part of the form.
head -1 reconfigure | grep -q "^ reseg Edit segment: Active buyers CIS " ||
    fail "S on the list: $(cat reconfigure)"
grep -q "^Name of the clone: Active buyers CIS (copy)" clone ||
    fail "C on the page: $(cat clone)"
grep -q "^ reseg New segment " new || fail "n on the page: $(cat new)"
grep -q "^ reseg Segment: Active buyers CIS " delete-no ||
    fail "n left the page: $(cat delete-no)"
R segment list | grep -q "^Active buyers CIS " && fail "still in the store"
R object list | grep "Welcome" | grep -q "Active buyers CIS" &&
    fail "the mailing still uses it: $(R object list)"
exit $status
