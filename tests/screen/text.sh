#!/bin/sh
# Text on screen (headless, see HACKING): the list's filter ignores case
# in any script ("алматы" finds "Алматы"); a long segment name in the
# title bar ends in an ellipsis before the store's path instead of
# leaving a stray letter under it; truncation never splits a flag (two
# regional indicators) in halves.
. "$top_srcdir/tests/screen/lib.sh"

R db create shop --fields 'email:string,n:int' >/dev/null || fail "db create"
printf 'email,n\na@x.org,1\n' >p.csv
R db import shop p.csv >/dev/null || fail "db import"
flags="🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿🇰🇿"
for n in "Алматы покупатели" "Customers who bought twice in the last quarter and opened every mailing since" \
    "$flags" "x$flags" "xx$flags" "xxx$flags"; do
	R segment create "$n" --db shop --where 'n >= 1' >/dev/null ||
	    fail "create $n"
done
ui <<'EOF'
key /
type алматы
key Enter
dump filter
key Esc Home
dump list
key Enter
dump r0
key q Down Enter
dump r1
key q Down Enter
dump r2
key q Down Enter
dump r3
key q Down Enter
dump r4
key q Down Enter
dump r5
EOF
expect filter <<'EOF'
 reseg Segments                                                           store
Name                          Kind   DB   State  Profiles Last run Next run Tags
Алматы покупатели             sched. shop Manual        0 never    —


















Filter: алматы  (1 of 6; / to change)

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
head -qn 1 r0 r1 r2 r3 r4 r5 | grep -qx " reseg Segment: Customers who bought twice in the last quarter and opene… store" ||
    fail "the long title: $(head -qn 1 r0 r1 r2 r3 r4 r5)"
# Every run of regional indicators on every screen has an even length.
for f in list r0 r1 r2 r3 r4 r5; do
	perl -CSD -ne 'for my $r (/([\x{1F1E6}-\x{1F1FF}]+)/g) { exit 1 if length($r) % 2 }' "$f" ||
	    fail "$f splits a flag: $(cat "$f")"
done
exit $status
