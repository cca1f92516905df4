#!/bin/sh
# Every screen of the UI in English at 80x24 (headless, see HACKING; the
# inventory is there, under "Screen tests"): the walks of
# tests/screen/walk.sh, each screen compared exactly, the same screens
# as tests/screen/all_ru.sh shows in Russian.
. "$top_srcdir/tests/screen/lib.sh"
DAMAGE=${DAMAGE:-$(dirname "$(dirname "$RESEG")")/tests/damage}
FILE_ITEM="A file" EVENT_ITEM=event
. "$top_srcdir/tests/screen/walk.sh"
walk_store
walk_list
walk_page
walk_form
walk_events
walk_states
# The screens.
expect list <<'EOF'
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

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect help <<'EOF'
 reseg Segments                                                           store
Na┌ Help: keys ──────────────────────────────────────────────────────────────┐
Ac│ Segments                                                                 │
Ac│  Enter        Open or choose                                             │
Bi│  Up k         Move up                                                    │
Ha│  Down j       Move down                                                  │l
In│  PgUp ^B      Page up                                                    │
Mo│  PgDn ^F      Page down                                                  │
Op│  Home g       First line                                                 │
Re│  End G        Last line                                                  │
Te│  /            Filter or search                                           │
  │  n            Next match of the filter or search                         │
  │  N            Previous match of the filter or search                     │
  │  i F7         Create a segment                                           │
  │  e F4         Edit the segment                                           │
  │  C F5         Clone the segment                                          │
  │  d F8 Delete  Delete the segment                                         │
  │  r F6         Manual recalculation                                       │
  │  a            Update history chart                                       │
  │  c            Copy profiles to a static segment                          │
  │  b            Copy profiles to a database                                │
9 │ Up/Down, PgUp/PgDn, Home/End scroll; any other key closes this help.     │
  └──────────────────────────────────────────────────────────────────────────┘
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect filter <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Test group 20%         sched. demo     Active      180 just now in 2 d   test


















Filter: test  (1 of 9; / to change)
Filter (name or tag): test
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect bulk <<'EOF'
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
Set FIELD=VALUE; ... ("a;b" keeps ;):
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect export <<'EOF'
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
Export to file (.csv or .jsonl): Moscow VIP subscribers.csv
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect clone <<'EOF'
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
Name of the clone: Moscow VIP subscribers (copy)
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect scenario <<'EOF'
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
Test group 20%       ┌ Add the profiles to the scenario ──┐ now in 2 d   test
                     │Welcome                             │
                     └────────────────────────────────────┘








9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect copy <<'EOF'
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
Test group 20%     ┌ Copy profiles to the static segment ──┐now in 2 d   test
                   │Hand-picked                            │
                   └───────────────────────────────────────┘








9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect copy-db <<'EOF'
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
Test group 20%        ┌ Copy profiles to the database ──┐st now in 2 d   test
                      │small                            │
                      └─────────────────────────────────┘








9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect delete <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repe┌ Confirm ────────────────────────────────────────────────────────────┐les
Test│ Delete segment 'Moscow VIP subscribers' with its members and log?   │st
    │                                                                     │
    │ Enter/y: yes   Esc/n: no                                            │
    └─────────────────────────────────────────────────────────────────────┘







9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect page <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
Tags: vip
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 sum(amount) of "purchase" >= 500 within last 365 days













F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect cond-delete <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
Tags: vip
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 ┌ Confirm ───────────────────────────────────────────────────────────────────┐
 │ Delete the conditions of 'Big spenders'? It will then keep every profile   │
 │ of 'demo'.                                                                 │
 │                                                                            │
 │ Enter/y: yes   Esc/n: no                                                   │
 └────────────────────────────────────────────────────────────────────────────┘








F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect export-history <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
Tags: vip
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 sum(amount) of "purchase" >= 500 within last 365 days












Export the history to file: Big spenders-history.csv
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect profiles <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
email                      first_name last_name gender birth_date city
artem.egorov4@yandex.ru    Артём      Егоров    male   1962-08-03 Moscow
a.vasiliev11@gmail.com     Артём      Васильев  male   1967-03-15 Saint Petersb…
i.vasilieva21@mail.ru      Ирина      Васильева female 1985-06-09 Batumi
ekaterina.novikova23@bk.ru Екатерина  Новикова  female 2000-07-03 Almaty
o.volkova25@yandex.ru      Ольга      Волкова   female 1977-09-09 Nizhny Novgor…
i.fedorova31@inbox.ru      Ирина      Фёдорова  female 2003-10-18 Moscow
dmitry.petrov37@yandex.ru  Дмитрий    Петров    male   1982-07-22 Novosibirsk
elena.semenova43@mail.ru   Елена      Семёнова  female 1987-12-15 Mogilev
irina.novikova48@gmail.com Ирина      Новикова  female 1995-09-28 Saint Petersb…
s.pavlov52@mail.ru         Сергей     Павлов    male   1986-07-15 Gomel
ivan.kuznetsov55@yandex.ru Иван       Кузнецов  male   2008-05-24 Moscow
thomas.weber58@gmail.com   Thomas     Weber     male   1962-12-17 Frankfurt
k.sokolova59@mail.ru       Ксения     Соколова  female 2007-08-21 Astana
maksim.petrov63@mail.ru    Максим     Петров    male   1989-01-08 Voronezh
1-14 of 486   columns 1-6 of 13   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect find-key <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
email                      first_name last_name gender birth_date city
artem.egorov4@yandex.ru    Артём      Егоров    male   1962-08-03 Moscow
a.vasiliev11@gmail.com     Артём      Васильев  male   1967-03-15 Saint Petersb…
i.vasilieva21@mail.ru      Ирина      Васильева female 1985-06-09 Batumi
ekaterina.novikova23@bk.ru Екатерина  Новикова  female 2000-07-03 Almaty
o.volkova25@yandex.ru      Ольга      Волкова   female 1977-09-09 Nizhny Novgor…
i.fedorova31@inbox.ru      Ирина      Фёдорова  female 2003-10-18 Moscow
dmitry.petrov37@yandex.ru  Дмитрий    Петров    male   1982-07-22 Novosibirsk
elena.semenova43@mail.ru   Елена      Семёнова  female 1987-12-15 Mogilev
irina.novikova48@gmail.com Ирина      Новикова  female 1995-09-28 Saint Petersb…
s.pavlov52@mail.ru         Сергей     Павлов    male   1986-07-15 Gomel
ivan.kuznetsov55@yandex.ru Иван       Кузнецов  male   2008-05-24 Moscow
thomas.weber58@gmail.com   Thomas     Weber     male   1962-12-17 Frankfurt
k.sokolova59@mail.ru       Ксения     Соколова  female 2007-08-21 Astana
maksim.petrov63@mail.ru    Максим     Петров    male   1989-01-08 Voronezh
1-14 of 486   columns 1-6 of 13   /: search
Search (any field):
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect history <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
      600                                                           ││
                                                                    ││
                                                                    ⣿⣿
      400                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
      200                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: total 486, 1 run
automatically +486 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect chart <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
      600                                                           ││
                                                                    ││
                                                                    ⣿⣿
      400                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
      200                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: total 486, 1 run
automatically +486 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect chart-changes <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: added and removed
     +500                                                           ⣶⣶
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
     -500                                                           ││
                                                                    ││
                                                                    ││
                                                                    ││
                                                                    ││
        0                                                           ││
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: total 486, 1 run
automatically +486 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect period <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
      600                                                           ││
                                                                    ││
                                                                    ⣿⣿
      400                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
      200                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: total 486, 1 run
automatically +486 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes
Period (YYYY-MM-DD YYYY-MM-DD):
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect log <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type      Initiator Added Removed Status
2026-11-28 12:00 UTC 12:00 Automatic System      486       0 Completed













1-1 of 1   run 1 selected

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect deps <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
 scenario 'Welcome'
















F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect reconfigure <<'EOF'
 reseg Edit segment: Big spenders                                         store
Name               Big spenders
Database           demo  (fixed once saved)
Kind               scheduled
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    sum(amount) of "purchase" >= 500 within last 365 days
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [x]
Time (HH:MM)       07:00
Timezone           UTC  ▾
Frequency          < weekly >
Weekdays           mon
Deactivate after
Next runs          2026-11-30 07:00 UTC
                   2026-12-07 07:00 UTC
                   2026-12-14 07:00 UTC
Tags               vip
Access groups
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect edit <<'EOF'
 reseg Edit segment: Big spenders                                         store
Name               Big spenders
Database           demo  (fixed once saved)
Kind               scheduled
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    sum(amount) of "purchase" >= 500 within last 365 days
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [x]
Time (HH:MM)       07:00
Timezone           UTC  ▾
Frequency          < weekly >
Weekdays           mon
Deactivate after
Next runs          2026-11-30 07:00 UTC
                   2026-12-07 07:00 UTC
                   2026-12-14 07:00 UTC
Tags               vip
Access groups
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect recalc <<'EOF'
 reseg Segment: Big spenders                                              store
Database: demo   Profiles: 486   State: Active
Schedule: weekly on mon at 07:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-30 07:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
 scenario 'Welcome'















Big spenders: 0 added, 0 removed, 486 in total.
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect remove <<'EOF'
 reseg Segment: Hand-picked                                               store
Database: demo   Profiles: 25   State: static
Schedule: none (static segment)
Last run: 2026-11-28 12:00 UTC   Next run: none

 Overview Profiles History Log Dependents
email                         first_name last_name  gender birth_date city
svetlana.volkova1@mail.ru     Светлана   Волкова    female 1993-04-28 Moscow
dinara.nurpeisova2@yandex.ru  Динара     Нурпеисова female 1984-01-24 Almaty
olga.lebedeva3@mail.ru        Ольга      Лебедева   female 1980-05-06 Minsk
ekaterina.novikova7@yandex.ru Екатерина  Новикова   female 2001-07-10 Saint Pet…
r.mikhailov8@yandex.ru        Роман      Михайлов   male   1998-08-13 Moscow
a.volkova10@gmail.com         Алина      Волкова    female 1995-11-22 Minsk
a.vasiliev11@gmail.com        Артём      Васильев   male   1967-03-15 Saint Pet…
m.nurpeisova13@gmail.com      Мадина     Нурпеисова female 1986-04-16 Karaganda
aleksandr.volkov14@gmail.com  Александр  Волков     male   1993-01-30 Saint Pet…
natalya.alekseeva16@inbox.ru  Наталья    Алексеева  female 1999-12-22 Minsk
daniyar.kasymov17@yandex.ru   Данияр     Касымов    male   1998-10-02 Astana
k.volkova20@yandex.ru         Ксения     Волкова    female 1986-11-01 Moscow
artem.smirnov22@yandex.ru     Артём      Смирнов    male   1999-06-28 Moscow
ekaterina.novikova23@bk.ru    Екатерина  Новикова   female 2000-07-03 Almaty
1-14 of 25   columns 1-6 of 13   /: search
Remove the profiles with keys: svetlana.volkova1@mail.ru
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect add <<'EOF'
 reseg Segment: Hand-picked                                               store
Database: demo   Profiles: 25   State: static
Schedule: none (static segment)
Last run: 2026-11-28 12:00 UTC   Next run: none

 Overview Profiles History Log Dependents
email                         first_name last_name  gender birth_date city
svetlana.volkova1@mail.ru     Светлана   Волкова    female 1993-04-28 Moscow
dinara.nurpeisova2@yandex.ru  Динара     Нурпеисова female 1984-01-24 Almaty
olga.lebedeva3@mail.ru        Ольга      Лебедева   female 1980-05-06 Minsk
ekaterina.novikova7@yandex.ru Екатерина  Новикова   female 2001-07-10 Saint Pet…
r.mikhailov8@yandex.ru        Роман      Михайлов   male   1998-08-13 Moscow
a.volkova10@gmail.com         Алина      Волкова    female 1995-11-22 Minsk
a.vasiliev11@gmail.com        Артём      Васильев   male   1967-03-15 Saint Pet…
m.nurpeisova13@gmail.com      Мадина     Нурпеисова female 1986-04-16 Karaganda
aleksandr.volkov14@gmail.com  Александр  Волков     male   1993-01-30 Saint Pet…
natalya.alekseeva16@inbox.ru  Наталья    Алексеева  female 1999-12-22 Minsk
daniyar.kasymov17@yandex.ru   Данияр     Касымов    male   1998-10-02 Astana
k.volkova20@yandex.ru         Ксения     Волкова    female 1986-11-01 Moscow
artem.smirnov22@yandex.ru     Артём      Смирнов    male   1999-06-28 Moscow
ekaterina.novikova23@bk.ru    Екатерина  Новикова   female 2000-07-03 Almaty
1-14 of 25   columns 1-6 of 13   /: search
Add the profiles with keys:
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect deps-none <<'EOF'
 reseg Segment: Hand-picked                                               store
Database: demo   Profiles: 25   State: static
Schedule: none (static segment)
Last run: 2026-11-28 12:00 UTC   Next run: none

 Overview Profiles History Log Dependents
 No mailings, scenarios, loyalty programs or segments use this segment.
















F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect form <<'EOF'
 reseg New segment                                                        store
Name
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups









Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect no-name <<'EOF'
 reseg New segment                                                        store
Name
                   ^ Enter a name for the segment.
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups








Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel
Some fields need attention: see the messages marked ^.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect db-picker <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ]        ┌ Database ────────┐
Schedule           [ ]        │demo   local      │
Tags                          │small  local      │
Access groups                 │                  │
                              │Search:           │
                              └──────────────────┘







Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect field-picker <<'EOF'
 reseg New segment                                                        store
Name              ┌ Field (type to search) ─────────────────┐
Database          │email                                    │
Kind              │length(email)                            │
─ Conditions (F3: │lower(email)                             │───────────────────
  ALL of these (AN│first_name                               │one)
Range from, %     │length(first_name)                       │
Range to, %       │lower(first_name)                        │
Limit             │last_name                                │
Schedule          │length(last_name)                        │
Tags              │lower(last_name)                         │
Access groups     │gender                                   │
                  │length(gender)                           │
                  │lower(gender)                            │
                  │birth_date                               │
                  │age(birth_date)                          │
                  │days_since(birth_date)                   │
                  │days_until(birth_date)                   │
                  │city                                     │
                  │                                         │
                  │Search:                                  │
Tab/Shift-Tab: fie└─────────────────────────────────────────┘

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect op-picker <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ────┌ Operator ────────┐──────────────────────────────
  ALL of these (AND) — no cond│=                 │e (^N adds one)
Range from, %      0          │!=                │
Range to, %        100        │in                │
Limit              [ ]        │not in            │
Schedule           [ ]        │contains          │
Tags                          │not contains      │
Access groups                 │starts with       │
                              │ends with         │
                              │is empty          │
                              │is not empty      │
                              │                  │
                              │Search:           │
                              └──────────────────┘



Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect tree <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups








Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect sched <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           UTC  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
Next runs          2026-11-29 09:00 UTC
                   2026-11-30 09:00 UTC
                   2026-12-01 09:00 UTC
Tags
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (scrolls)

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect tz-picker <<'EOF'
 reseg New segment                                                        store
Name         ┌ Timezone (type to search) ─────────────────────────┐
Database     │This machine                                        │
Kind         │  UTC                             UTC+00:00  UTC    │
─ Conditions │Recently used                                       │─────────────
  ALL of thes│  Europe/Berlin                   UTC+01:00  CET    │
    country i│  Europe/Moscow                   UTC+03:00  MSK    │
Range from, %│Africa                                              │
Range to, %  │  Africa/Abidjan                  UTC+00:00  GMT    │
Limit        │  Africa/Accra                    UTC+00:00  GMT    │
Profiles at m│  Africa/Addis_Ababa              UTC+03:00  EAT    │
Schedule     │  Africa/Algiers                  UTC+01:00  CET    │
Time (HH:MM) │  Africa/Asmara                   UTC+03:00  EAT    │
Timezone     │  Africa/Bamako                   UTC+00:00  GMT    │
Frequency    │  Africa/Bangui                   UTC+01:00  WAT    │
Every N days │  Africa/Banjul                   UTC+00:00  GMT    │
Deactivate af│  Africa/Bissau                   UTC+00:00  GMT    │
Next runs    │  Africa/Blantyre                 UTC+02:00  CAT    │
             │  Africa/Brazzaville              UTC+01:00  WAT    │
             │                                                    │
Tags         │Search:                                             │
Tab/Shift-Tab└────────────────────────────────────────────────────┘)

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect tz-picked <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
Next runs          2026-11-28 09:00 EST
                   2026-11-29 09:00 EST
                   2026-11-30 09:00 EST
Tags
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (scrolls)

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect sched-once <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < once on a date >
On (YYYY-MM-DD)
Deactivate after
Next runs          Type the date of the run (YYYY-MM-DD).


Tags
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (scrolls)

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect sched-weekly <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < weekly >
Weekdays
Deactivate after
Next runs          a weekly schedule needs at least one weekday (mon, tue, wed,
                   thu, fri, sat, sun)

Tags
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (scrolls)

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect sched-monthly <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < monthly >
Days (1,15,last)
Deactivate after
Next runs          a monthly schedule needs at least one day of month (1 to 31
                   or 'last')

Tags
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (scrolls)

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect sched-hours <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < every N hours >
Every N hours      1
Deactivate after
Next runs          2026-11-28 08:00 EST
                   2026-11-28 09:00 EST
                   2026-11-28 10:00 EST
Tags
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (scrolls)

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect as-script <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ")





Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
The script parses.

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect script-error <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ") and





  ^ line 1, column 28: expected a condition after 'and', found end of script
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < every N days >
Every N days       1
Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel
Fix the script first: it does not parse.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect preview <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ")





Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           America/New_York  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
Preview: 100 profiles.

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect import <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ")  ┌ Import conditions from ────┐
                         │Active buyers CIS           │
                         │Active buyers, not VIP      │
                         │Big spenders                │
                         │Inactive subscribers        │
                         │Moscow VIP subscribers      │
Range from, %      50    │Opened, not clicked         │
Range to, %        100   │Repeat buyers               │
Limit              [x]   │Test group 20%              │
Profiles at most   100   │A file (script or JSON)...  │
Schedule           [x]   │                            │
Time (HH:MM)       09:00 │Search:                     │
Timezone           Americ└────────────────────────────┘
Frequency          < every N days >
Every N days       1
Deactivate after
Preview: 100 profiles.

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect import-file <<'EOF'
 reseg New segment                                                        store
Name
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limi┌ Import conditions from a file ───────────────────────────────────────┐
Sche│ File of conditions (a script, or JSON):                              │
Tags│                                                                      │
Acce│                                                                      │
    │ Enter: OK   Esc: cancel                                              │
    └──────────────────────────────────────────────────────────────────────┘







Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect delete-all <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      0
Range to, %        100
Limit             ┌ Confirm ─────────────────────────────────┐
Schedule          │ Delete all conditions of this segment?   │
Tags              │                                          │
Access groups     │ Enter/y: yes   Esc/n: no                 │
                  └──────────────────────────────────────────┘







Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect discard <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      0
Range to, %        100
Limit              ┌ Confirm ───────────────────────────────┐
Schedule           │ Discard the changes to this segment?   │
Tags               │                                        │
Access groups      │ Enter/y: yes   Esc/n: no               │
                   └────────────────────────────────────────┘







Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect quit <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      0
R┌ Confirm ───────────────────────────────────────────────────────────────────┐
L│ Quit reseg? The changes in the segment form are not saved and will be      │
S│ lost. The scheduler stops with this window: the next automatic run         │
T│ (2026-11-28 18:00 UTC) waits until a daemon (reseg daemon) or another      │
A│ reseg window takes over.                                                   │
 │                                                                            │
 │ Enter/y: yes   Esc/n: no                                                   │
 └────────────────────────────────────────────────────────────────────────────┘





Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect ev-test <<'EOF'
 reseg New segment                                                        store
Name               Buyers
Database           shop  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) ┌ Event condition ───────────────────┐s one)
Range from, %      0 │did: it happened (N times)          │
Range to, %        10│first: when it first happened       │
Limit              [ │last: when it last happened         │
Schedule           [ │count of: how many times, compared  │
Tags                 │sum(property) of: compared          │
Access groups        │avg(property) of: compared          │
                     │min(property) of: compared          │
                     │max(property) of: compared          │
                     │                                    │
                     │Search:                             │
                     └────────────────────────────────────┘




Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect ev-name <<'EOF'
 reseg New segment                                                        store
Name               Buyers
Database           shop  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100    ┌ Event (type to search) ──┐
Limit              [ ]    │email_click               │
Schedule           [ ]    │email_open                │
Tags                      │login                     │
Access groups             │purchase                  │
                          │Another name...           │
                          │                          │
                          │Search:                   │
                          └──────────────────────────┘





Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect ev-filters <<'EOF'
 reseg New segment                                                        store
Name               Buyers
Database           shop  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ] ┌ Filters (where) ──────────────┐
Schedule           [ ] │Continue                       │
Tags                   │Add a filter on a property...  │
Access groups          │  where amount > 100           │
                       │                               │
                       │Search:                        │
                       └───────────────────────────────┘






Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect states <<'EOF'
 reseg Segments                                                           store
Name   Kind   Database State   Profiles Last run Next run Tags
broken                 Damaged
once   sched. shop     Ended          2 2 d ago  —
weekly sched. shop     Stale          0 never    in 5 d
















3 segments
Scheduler: segment 'weekly': the run of 2026-11-29T11:00:00Z was missed and is o
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect damaged <<'EOF'
 reseg Segments                                                           store
Name   Kind   Database State   Profiles Last run Next run Tags
broken                 Damaged
once   sched. shop     Ended          2 2 d ago  —
weekly sched. shop     Stale          0 never    in 5 d
















3 segments
segment 'broken' is damaged: not valid JSON
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect ended <<'EOF'
 reseg Segment: once                                                      store
Database: shop   Profiles: 2   State: Ended: the schedule has no more runs
Schedule: once on 2026-11-29 at 10:00 UTC
Last run: 2026-11-29 10:05 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 1














F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect stale <<'EOF'
 reseg Segment: weekly                                                    store
Database: shop   Profiles: 0   State: Stale: a scheduled run has not happened
Schedule: weekly on sun at 11:00 UTC
Last run: never   Next run: 2026-12-06 11:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Range: 0-100%   Limit: none
─ Conditions (e: edit, D: delete) ──────────────────────────────────────────────
 n >= 1














F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect empty <<'EOF'
 reseg Segments                                                           store
Name Kind   Database State Profiles Last run Next run Tags

  No profile databases yet: a segment needs one. Create one with 'reseg db
  create NAME --fields SPEC' and fill it with 'reseg db import NAME FILE', or
  try 'reseg demo'; then press i here.















0 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect empty-form <<'EOF'
 reseg New segment                                                        store
Name
Database             ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups









Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel
No profile database yet: see 'reseg db create' or 'reseg demo'.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
exit $status
