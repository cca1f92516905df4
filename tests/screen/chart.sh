#!/bin/sh
# The history chart (headless, see HACKING): it uses the screen's width
# (one slot of 30 days takes two columns at 80, more at 132), and with
# "this year, by day" (365 slots in 70 columns) the window ends at
# today, so a segment whose only run is today shows its bar at the
# right edge; the keys that change the chart are listed on its last row,
# never cut.  Under the bars the time axis names the grouping's natural
# ticks (Mondays for days here, month starts for a year of days) and the
# cursor's date; the y ticks are round numbers.
. "$top_srcdir/tests/screen/lib.sh"
# Day 333 of the year: its slot is the left one of a Braille pair.
RESEG_NOW=2026-11-29T12:00:00Z

R db create shop --fields 'email:string,n:int' >/dev/null || fail "db create"
printf 'email,n\na@x.org,1\nb@x.org,2\nc@x.org,0\n' >p.csv
R db import shop p.csv >/dev/null || fail "db import"
R segment create today --db shop --where 'n >= 1' >/dev/null || fail "create"
R segment recalc today >/dev/null || fail "recalc"
ui <<'EOF'
key a
dump month
key p p
dump year
resize 132x30
dump year-wide
EOF

# Two runs nine days apart: the days between are gaps, not the first
# run's count carried on; v shows what each run added and removed.
R segment create two --db shop --where 'n >= 2' >/dev/null || fail "create two"
RESEG_NOW=2026-11-20T09:00:00Z R segment recalc two >/dev/null ||
    fail "recalc two"
printf 'email,n\nb@x.org,0\nd@x.org,5\ne@x.org,7\n' >q.csv
R db import shop q.csv >/dev/null || fail "db import q"
R segment recalc two >/dev/null || fail "recalc two again"
ui <<'EOF'
key Down Enter a
dump gaps
key Left Left
dump gap-day
key v
dump changes
EOF
NO_COLOR=1 RESEG_CHART=ascii ui <<'EOF'
key Down Enter a Left Left Left Left Left Left Left Left Left
dump ascii
EOF
expect month <<'EOF'
 reseg Segment: today                                                     store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-31 .. 2026-11-29), by day: members
        2                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        1                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
              11-02         11-09         11-16         11-23       2026-11-29
2026-11-29 UTC: total 2, 1 run
automatically +0 -0   manually +2 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect year <<'EOF'
 reseg Segment: today                                                     store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: this year (2026-01-01 .. 2026-12-31), by day: members
        2                                                                      ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
        1                                                                      ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
        0                                                                      ⡇
                   2026-08        2026-09        2026-10              2026-11-29
2026-11-29 UTC: total 2, 1 run
automatically +0 -0   manually +2 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect year-wide <<'EOF'
 reseg Segment: today                                                                                                         store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: this year (2026-01-01 .. 2026-12-31), by day: members
        2                                                                                                                          ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
        1                                                                                                                          ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
        0                                                                                                                          ⡇
          2026-04        2026-05        2026-06        2026-07         2026-08        2026-09        2026-10              2026-11-29
2026-11-29 UTC: total 2, 1 run
automatically +0 -0   manually +2 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit                                                            Times: segment zone
EOF
expect gaps <<'EOF'
 reseg Segment: two                                                       store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-31 .. 2026-11-29), by day: members
        2                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        1                                         ⣤⣤                ⣿⣿
                                                  ⣿⣿                ⣿⣿
                                                  ⣿⣿                ⣿⣿
                                                  ⣿⣿                ⣿⣿
                                                  ⣿⣿                ⣿⣿
        0                                         ⣿⣿                ⣿⣿
              11-02         11-09         11-16         11-23       2026-11-29
2026-11-29 UTC: total 2, 1 run
automatically +0 -0   manually +2 -1
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect gap-day <<'EOF'
 reseg Segment: two                                                       store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-31 .. 2026-11-29), by day: members
        2                                                       ││  ⣿⣿
                                                                ││  ⣿⣿
                                                                ││  ⣿⣿
                                                                ││  ⣿⣿
                                                                ││  ⣿⣿
        1                                         ⣤⣤            ││  ⣿⣿
                                                  ⣿⣿            ││  ⣿⣿
                                                  ⣿⣿            ││  ⣿⣿
                                                  ⣿⣿            ││  ⣿⣿
                                                  ⣿⣿            ││  ⣿⣿
        0                                         ⣿⣿            ││  ⣿⣿
              11-02         11-09         11-16         11-23   2026-11-27
2026-11-27 UTC: no run (total 1)
automatically +0 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect changes <<'EOF'
 reseg Segment: two                                                       store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-31 .. 2026-11-29), by day: added and removed
       +2                                                       ││  ⣿⣿
                                                                ││  ⣿⣿
                                                  ⣤⣤            ││  ⣿⣿
                                                  ⣿⣿            ││  ⣿⣿
        0                                         ⣿⣿            ││  ⣿⣿
       -2                                                       ││
                                                                ││
                                                                ││
                                                                ││  ⣿⣿
                                                                ││  ⣿⣿
        0                                                       ││  ⣿⣿
              11-02         11-09         11-16         11-23   2026-11-27
2026-11-27 UTC: no run (total 1)
automatically +0 -0   manually +0 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect ascii <<'EOF'
 reseg Segment: two                                                       store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-31 .. 2026-11-29), by day: members
        2                                         ||                ##
                                                  ||                ##
                                                  ||                ##
                                                  ||                ##
                                                  ||                ##
        1                                         __                ##
                                                  ##                ##
                                                  ##                ##
                                                  ##                ##
                                                  ##                ##
        0                                         ##                ##
              11-02         11-09         11-16  [2026-11-20]
2026-11-20 UTC: total 1, 1 run
automatically +0 -0   manually +1 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
exit $status
