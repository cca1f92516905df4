#!/bin/sh
# The history chart (headless, see HACKING): it uses the screen's width
# (one slot of 30 days takes two columns at 80, more at 132), and with
# "this year, by day" (365 slots in 70 columns) the window ends at
# today, so a segment whose only run is today shows its bar at the
# right edge; the keys that change the chart are listed on its last row,
# never cut.
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
expect month <<'EOF'
 reseg Segment: today                                                     store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-31 .. 2026-11-29), by day
        2                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
2026-11-29: total 2, 1 run
automatically +0 -0   manually +2 -0

Left/Right: move   p: period   P: custom period   o: grouping

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit
EOF
expect year <<'EOF'
 reseg Segment: today                                                     store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: this year (2026-01-01 .. 2026-12-31), by day
        2                                                                      ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
                                                                               ⡇
        0                                                                      ⡇
2026-11-29: total 2, 1 run
automatically +0 -0   manually +2 -0

Left/Right: move   p: period   P: custom period   o: grouping

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit
EOF
expect year-wide <<'EOF'
 reseg Segment: today                                                                                                         store
Database: shop   Profiles: 2   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-29 12:00   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: this year (2026-01-01 .. 2026-12-31), by day
        2                                                                                                                          ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
                                                                                                                                   ⡇
        0                                                                                                                          ⡇
2026-11-29: total 2, 1 run
automatically +0 -0   manually +2 -0

Left/Right: move   p: period   P: custom period   o: grouping

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit
EOF
exit $status
