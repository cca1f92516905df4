#!/bin/sh
# The segment page, screen by screen (headless, see HACKING): its
# profiles table and footer, the history chart and its cursor, a manual
# recalculation with its status line and log row, the history export
# (byte for byte the CLI's), and deleting from the list with a yes/no;
# a segment in use is named with its users in the question, and yes
# deletes it and detaches it from them.
. "$top_srcdir/tests/screen/lib.sh"

demo
ui <<'EOF'
key Down Down Down Down Down Enter
dump page
key Tab
dump profiles
key Right
dump profiles-right
key Left BTab Tab Tab
dump history
key BTab BTab r
dump recalc
key Tab Tab Tab
dump log
key X ^U
type ui-history.csv
key Enter
dump export
key a
dump chart
key Left
dump chart-left
key Right o
dump chart-week
key p
dump chart-quarter
key End
dump chart-ahead
key q End d
dump delete-ask
key n
dump delete-no
key d y
dump delete-yes
key Home d
dump delete-in-use
key y
dump delete-detached
EOF
expect page <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
Tags: vip
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 subscribed_email is true and tags has "vip" and city = "Moscow"













F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect profiles <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
email                          first_name last_name gender birth_date city   co…
a.smirnov285@mail.ru           Андрей     Смирнов   male   1997-04-19 Moscow RU
yulia.pavlova289@gmail.com     Юлия       Павлова   female 2000-12-17 Moscow RU
ksenia.pavlova299@mail.ru      Ксения     Павлова   female 1986-01-27 Moscow RU
ksenia.alekseeva421@bk.ru      Ксения     Алексеева female 2008-02-12 Moscow RU
aleksey.ivanov527@yandex.ru    Алексей    Иванов    male   1976-07-28 Moscow RU
artem.smirnov604@gmail.com     Артём      Смирнов   male   1980-05-08 Moscow RU
natalya.popova697@gmail.com    Наталья    Попова    female 1995-11-12 Moscow RU
m.pavlova699@gmail.com         Мария      Павлова   female 1982-03-22 Moscow RU
s.lebedeva748@mail.ru          Светлана   Лебедева  female 1991-10-03 Moscow RU
natalya.fedorova925@gmail.com  Наталья    Фёдорова  female 1994-08-10 Moscow RU
vladimir.fedorov1023@gmail.com Владимир   Фёдоров   male   1982-02-04 Moscow RU
sergey.vasiliev1217@gmail.com  Сергей     Васильев  male   1960-09-22 Moscow RU
k.vasilieva1322@yandex.ru      Ксения     Васильева female 2001-03-17 Moscow RU
k.novikova1375@gmail.com       Ксения     Новикова  female 1987-12-16 Moscow RU
1-14 of 19   columns 1-7 of 13   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect profiles-right <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
first_name last_name gender birth_date city   country created_at           last…
Андрей     Смирнов   male   1997-04-19 Moscow RU      2022-04-28T16:40:16Z
Юлия       Павлова   female 2000-12-17 Moscow RU      2022-08-24T08:42:33Z 2026…
Ксения     Павлова   female 1986-01-27 Moscow RU      2025-09-04T12:51:21Z 2026…
Ксения     Алексеева female 2008-02-12 Moscow RU      2025-05-25T18:54:24Z 2026…
Алексей    Иванов    male   1976-07-28 Moscow RU      2024-08-02T10:43:30Z 2026…
Артём      Смирнов   male   1980-05-08 Moscow RU      2022-02-26T22:58:56Z 2026…
Наталья    Попова    female 1995-11-12 Moscow RU      2026-06-12T12:36:14Z
Мария      Павлова   female 1982-03-22 Moscow RU      2023-10-15T15:31:03Z 2026…
Светлана   Лебедева  female 1991-10-03 Moscow RU      2026-04-02T22:01:45Z 2026…
Наталья    Фёдорова  female 1994-08-10 Moscow RU      2022-01-13T01:11:55Z
Владимир   Фёдоров   male   1982-02-04 Moscow RU      2025-04-15T21:49:08Z 2025…
Сергей     Васильев  male   1960-09-22 Moscow RU      2025-07-20T02:54:53Z 2026…
Ксения     Васильева female 2001-03-17 Moscow RU      2024-02-29T09:16:22Z
Ксения     Новикова  female 1987-12-16 Moscow RU      2022-03-14T18:29:07Z 2023…
1-14 of 19   columns 2-9 of 13   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect history <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
       20                                                           ⣤⣤
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
       10                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 MSK: total 19, 1 run
automatically +19 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect recalc <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
Tags: vip
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 subscribed_email is true and tags has "vip" and city = "Moscow"












Moscow VIP subscribers: 0 added, 0 removed, 19 in total.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
unlogin log
expect log <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type      Initiator Added Removed Status
2026-11-28 15:00 MSK 15:00 Manual    LOGIN         0       0 Completed
2026-11-28 15:00 MSK 15:00 Automatic System       19       0 Completed












1-2 of 2   run 2 selected
Moscow VIP subscribers: 0 added, 0 removed, 19 in total.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
unlogin export
expect export <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type      Initiator Added Removed Status
2026-11-28 15:00 MSK 15:00 Manual    LOGIN         0       0 Completed
2026-11-28 15:00 MSK 15:00 Automatic System       19       0 Completed












1-2 of 2   run 2 selected
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
R segment export-history "Moscow VIP subscribers" -o cli-history.csv \
    >/dev/null ||
    fail "CLI export-history"
cmp ui-history.csv cli-history.csv ||
    fail "the UI's history export differs from the CLI's"
expect chart <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
       20                                                           ⣤⣤
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
       10                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 MSK: total 19, 2 runs
automatically +19 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect chart-left <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
       20                                                         ││⣤⣤
                                                                  ││⣿⣿
                                                                  ││⣿⣿
                                                                  ││⣿⣿
                                                                  ││⣿⣿
       10                                                         ││⣿⣿
                                                                  ││⣿⣿
                                                                  ││⣿⣿
                                                                  ││⣿⣿
                                                                  ││⣿⣿
        0                                                         ││⣿⣿
                11-02         11-09         11-16         11-23   2026-11-27
2026-11-27 MSK: no run (total 0)
automatically +0 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect chart-week <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by week: members
       20                                                         ⣤⣤⣤⣤⣤⣤⣤⣤⣤⣤⣤⣤⣤
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
       10                                                         ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
                                                                  ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
        0                                                         ⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿⣿
          10-26         11-02         11-09         11-16         2026-11-23
2026-11-23 MSK: total 19, 2 runs
automatically +19 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect chart-quarter <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: this quarter (2026-10-01 .. 2026-12-31), by week: members
       20                                         ⣤⣤⣤⣤
                                                  ⣿⣿⣿⣿
                                                  ⣿⣿⣿⣿
                                                  ⣿⣿⣿⣿
                                                  ⣿⣿⣿⣿
       10                                         ⣿⣿⣿⣿
                                                  ⣿⣿⣿⣿
                                                  ⣿⣿⣿⣿
                                                  ⣿⣿⣿⣿
                                                  ⣿⣿⣿⣿
        0                                         ⣿⣿⣿⣿
          2026-10             2026-11             2026-11-23
2026-11-23 MSK: total 19, 2 runs
automatically +19 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect chart-ahead <<'EOF'
 reseg Segment: Moscow VIP subscribers                                    store
Database: demo   Profiles: 19   State: Active
Schedule: daily at 09:00 Europe/Moscow
Last run: 2026-11-28 15:00 MSK   Next run: 2026-11-29 09:00 MSK
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: this quarter (2026-10-01 .. 2026-12-31), by week: members
       20                                         ⣤⣤⣤⣤                     ││││
                                                  ⣿⣿⣿⣿                     ││││
                                                  ⣿⣿⣿⣿                     ││││
                                                  ⣿⣿⣿⣿                     ││││
                                                  ⣿⣿⣿⣿                     ││││
       10                                         ⣿⣿⣿⣿                     ││││
                                                  ⣿⣿⣿⣿                     ││││
                                                  ⣿⣿⣿⣿                     ││││
                                                  ⣿⣿⣿⣿                     ││││
                                                  ⣿⣿⣿⣿                     ││││
        0                                         ⣿⣿⣿⣿                     ││││
          2026-10             2026-11                  2026-12        2026-12-28
2026-12-28 MSK: still ahead

Left/Right: move   p: period   P: custom   o: grouping   v: members/changes
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect delete-ask <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat b┌ Confirm ────────────────────────────────────────────────────┐  sales
Test gro│ Delete segment 'Test group 20%' with its members and log?   │  test
        │                                                             │
        │ Enter/y: yes   Esc/n: no                                    │
        └─────────────────────────────────────────────────────────────┘







9 segments
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect delete-no <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test










9 segments
The history of 'Moscow VIP subscribers' (19 changes) was written to ui-history.c
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect delete-yes <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales











8 segments
Segment 'Test group 20%' was deleted.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
R segment list | grep -q "Test group" && fail "still in the store"
expect delete-in-use <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
O┌ Confirm ───────────────────────────────────────────────────────────────────┐
R│ Segment 'Active buyers CIS' is used by segment 'Active buyers, not VIP'.   │
 │ Delete it anyway, with its members and log, and detach it from them?       │
 │ Segments that use it through 'in segment' fail their next run until        │
 │ edited.                                                                    │
 │                                                                            │
 │ Enter/y: yes   Esc/n: no                                                   │
 └────────────────────────────────────────────────────────────────────────────┘





8 segments
Segment 'Test group 20%' was deleted.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect delete-detached <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales












7 segments
Segment 'Active buyers CIS' was deleted and detached from its users.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
R segment list | grep -q "^Active buyers CIS " && fail "still in the store"
R segment show "Active buyers, not VIP" >/dev/null || fail "its user went"
exit $status
