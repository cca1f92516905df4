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
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscri┌ Fields not in database 'small', not copied ──┐in 19 h  email
Moscow VIP subsc│first_name                                    │in 18 h  vip
Opened, not clic│last_name                                     │in 23 h  email
Repeat buyers   │gender                                        │in 20 h  sales
Test group 20%  │birth_date                                    │in 2 d   test
                │country                                       │
                │created_at                                    │
                │last_purchase_at                              │
                │total_spent                                   │
                │subscribed_email                              │
                │tags                                          │
                └──────────────────────────────────────────────┘



9 segments
19 profiles copied to database 'small' (19 new, 0 updated); 10 fields were not c
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
R db show small | grep -qx "Profiles:  19" || fail "not copied: $(R db show small)"
exit $status
