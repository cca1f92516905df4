#!/bin/sh
# Counts follow LC_NUMERIC (fmt_count): the list's Profiles column, the
# page's summary and the chart's y ticks read "4,572" in English and
# "4 572" (U+202F, a narrow no-break space, as glibc's ru_RU has it)
# when LC_NUMERIC is Russian and the messages stay English.
. "$top_srcdir/tests/screen/lib.sh"
for l in en_US ru_RU; do
	locale -a 2>/dev/null | grep -qix "$l\.utf-\?8" ||
	    fail "no $l.UTF-8 locale (tools/dev deps generates it)"
done

R db create shop --fields 'email:string,n:int' >/dev/null || fail "db create"
awk 'BEGIN { print "email,n"; for (i = 0; i < 4572; i++) print "p" i "@x.org," i }' >p.csv
R db import shop p.csv >/dev/null || fail "db import"
R segment create all --db shop --where 'n >= 0' >/dev/null || fail "create"
R segment recalc all >/dev/null || fail "recalc"
script='dump list
key Enter a
dump chart'

unset LC_ALL
LANG=C.UTF-8 LC_NUMERIC=en_US.UTF-8 ui <<EOF
$script
EOF
mv list list-en && mv chart chart-en
LANG=C.UTF-8 LC_NUMERIC=ru_RU.UTF-8 ui <<EOF
$script
EOF
# The Russian dumps with U+202F written as "_".
for f in list chart; do
	sed 's/\xe2\x80\xaf/_/g' $f >$f-ru && rm $f
done
expect list-en <<'EOF'
 reseg Segments                                                           store
Name Kind   Database State  Profiles Last run Next run Tags
all  sched. shop     Manual    4,572 just now —


















1 segment

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect chart-en <<'EOF'
 reseg Segment: all                                                       store
Database: shop   Profiles: 4,572   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-28 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
    6,000                                                           ││
                                                                    ││
                                                                    ⣤⣤
    4,000                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
    2,000                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: total 4,572, 1 run
automatically +0 -0   manually +4,572 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect list-ru <<'EOF'
 reseg Segments                                                           store
Name Kind   Database State  Profiles Last run Next run Tags
all  sched. shop     Manual    4_572 just now —


















1 segment

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect chart-ru <<'EOF'
 reseg Segment: all                                                       store
Database: shop   Profiles: 4_572   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-28 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Period: last 30 days (2026-10-30 .. 2026-11-28), by day: members
    6_000                                                           ││
                                                                    ││
                                                                    ⣤⣤
    4_000                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
    2_000                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: total 4_572, 1 run
automatically +0 -0   manually +4_572 -0
Left/Right: move   p: period   P: custom   o: grouping   v: members/changes

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
exit $status
