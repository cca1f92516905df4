#!/bin/sh
# Copying a segment's profiles to another database (headless, see
# HACKING): the status line says what was copied and how many fields
# the target lacks; a list names them, as the CLI does.
. "$top_srcdir/tests/screen/lib.sh"

demo
R db create small --fields 'email:string,city:string,orders_count:int' \
    >/dev/null || fail "db create"
ui <<'EOF'
key Down Down Down Down Down b Enter
dump copied
EOF
expect copied <<'EOF'
 reseg Segments                                                           store
Name                   Kind   DB   State  Profiles Last run    Next run    Tags
Active buyers CIS      sched. demo Active      908 11-28 12:00 11-28 18:00 sales
Active buyers, not VIP sched. demo Active      865 11-28 12:00 11-29 10:00 sales
Big spenders           sched. demo Active      486 11-28 12:00 11-30 07:00 vip
Hand-picked            static demo              25 11-28 12:00 —           manu…
Inactive subscri┌ Fields not in database 'small', not copied ──┐1-29 07:00 email
Moscow VIP subsc│first_name                                    │1-29 06:00 vip
Opened, not clic│last_name                                     │1-29 11:00 email
Repeat buyers   │gender                                        │1-29 08:00 sales
Test group 20%  │birth_date                                    │1-30 07:00 test
                │country                                       │
                │created_at                                    │
                │last_purchase_at                              │
                │total_spent                                   │
                │subscribed_email                              │
                │tags                                          │
                └──────────────────────────────────────────────┘



9 segments
19 profiles copied to database 'small' (19 new, 0 updated); 10 fields were not c
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit
EOF
R db show small | grep -qx "Profiles:  19" || fail "not copied: $(R db show small)"
exit $status
