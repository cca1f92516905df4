#!/bin/sh
# A damaged segment record in the UI (README, "Backups and integrity"):
# the list shows it as Damaged and the others as usual; opening it says
# why in the status line.
. "$top_srcdir/tests/screen/lib.sh"
DAMAGE=${DAMAGE:-$(dirname "$(dirname "$RESEG")")/tests/damage}

R db create shop --fields 'email:string,n:int' >/dev/null || fail "db create"
printf 'email,n\na@x.org,1\nb@x.org,2\n' >p.csv
R db import shop p.csv >/dev/null || fail "db import"
R segment create all --db shop >/dev/null || fail "create all"
R segment create broken --db shop --where 'n >= 2' >/dev/null ||
    fail "create broken"
R segment recalc all >/dev/null || fail "recalc"
"$DAMAGE" store segment broken '{"id": 2, "na' || fail "damage"

ui <<'EOF2'
dump damaged-list
key Down Enter
dump damaged-open
EOF2
expect damaged-list <<'EOF2'
 reseg Segments                                                           store
Name   Kind   Database State   Profiles Last run Next run Tags
all    sched. shop     Manual         2 just now —
broken                 Damaged

















2 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF2
expect damaged-open <<'EOF2'
 reseg Segments                                                           store
Name   Kind   Database State   Profiles Last run Next run Tags
all    sched. shop     Manual         2 just now —
broken                 Damaged

















2 segments
segment 'broken' is damaged: not valid JSON
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF2
exit $status
