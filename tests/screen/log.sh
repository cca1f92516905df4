#!/bin/sh
# The Log block of the segment page (headless, see HACKING): columns as
# wide as their widest value, so a million is never cut; a selected run
# moved with Up, Down, PgUp, PgDn, Home and End, the rows scrolling only
# as far as needed to show it, and the footer naming it.
. "$top_srcdir/tests/screen/lib.sh"

R db create big --fields 'email:string,n:int' >/dev/null || fail "db create"
awk 'BEGIN { print "email,n"; for (i = 1; i <= 1000000; i++) print i "@x.org," i % 100 }' >p.csv
R db import big p.csv >/dev/null || fail "db import"
R segment create all --db big --where 'n >= 0' >/dev/null || fail "create"
R segment recalc all >/dev/null || fail "recalc 1"
R segment edit all --where 'n = 1' >/dev/null || fail "edit"
R segment recalc all >/dev/null || fail "recalc 2"
i=3
while [ $i -le 24 ]; do
	R segment recalc all >/dev/null || fail "recalc $i"
	i=$((i + 1))
done
ui <<'EOF'
key Enter Tab Tab Tab
dump log
key Down Down
dump log-down
key End
dump log-end
key PgUp
dump log-pgup
key Home
dump log-home
key PgDn
dump log-pgdn
key End
resize 52x20
dump log-narrow
EOF
for f in log log-down log-end log-pgup log-home log-pgdn; do unlogin $f; done
expect log <<'EOF'
 reseg Segment: all                                                       store
Database: big   Profiles: 10,000   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-28 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type   Initiator     Added Removed Status
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
1-14 of 24   run 24 selected

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect log-end <<'EOF'
 reseg Segment: all                                                       store
Database: big   Profiles: 10,000   State: Manual: no schedule
Schedule: none (manual recalculation only)
Last run: 2026-11-28 12:00 UTC   Next run: none
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
Start                End   Type   Initiator     Added Removed Status
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0       0 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN             0 990,000 Completed
2026-11-28 12:00 UTC 12:00 Manual LOGIN     1,000,000       0 Completed
11-24 of 24   run 1 selected

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
# The cursor moves and the rows scroll only to keep it shown (the
# footer names the rows shown and the selected run).
for f in log-down:'1-14 of 24   run 22 selected' \
    log-pgup:'10-23 of 24   run 15 selected' \
    log-home:'1-14 of 24   run 24 selected' \
    log-pgdn:'2-15 of 24   run 10 selected' \
    log-narrow:'15-24 of 24   run 1 selected'; do
	row=$(grep -c -x -F "${f#*:}" "${f%%:*}")
	[ "$row" = 1 ] || fail "${f%%:*}: no footer '${f#*:}'"
done
# 52 columns: Type, Initiator, the start's year and Status give way,
# never the counts.
grep -q " 1,000,000       0 C…$" log-narrow || fail "log-narrow cuts 1,000,000"
grep -q "         0 990,000 C…$" log-narrow || fail "log-narrow cuts 990,000"
exit $status
