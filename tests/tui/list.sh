#!/bin/sh
# The segments list: columns, filter, help overlay, resize, quit.
. "$top_srcdir/tests/tui/lib.sh"

tui_start
wait_for "Hand-picked"
screen | grep -q "Name .*Kind .*State .*Profiles .*Last run .*Next run .*Tags" ||
    fail "column headers"
wait_for "5 segments"
wait_for "F1Help"
screen | grep -q "Moscow VIP.* 19 " || fail "profiles column"
# 80 columns: whole names (the two "Active buyers..." differ), short kind
# and times, and no header cut mid-word ("Databa").
screen | grep -q "^Name  *Kind  *DB  *State  *Profiles Last run  *Next run  *Tags" ||
    fail "80-column headers"
screen | grep -q "^Active buyers CIS  *sched\. demo " || fail "name cut at 80"
screen | grep -q "^Active buyers, not VIP sched\. demo " ||
    fail "long name cut at 80"
screen | grep -q "11-28 12:00" || fail "short times at 80"

# Filter by name, then by tag.
keys /
wait_for "Filter (name or tag):"
keys -l "moscow"
wait_for "Filter: moscow"
screen | grep -q "Active buyers" && fail "filter kept a non-matching row"
screen | grep -q "Moscow VIP" || fail "filter dropped the matching row"
keys Enter
keys Escape
wait_for "5 segments"
keys / ; wait_for "Filter (name or tag):"
keys -l "test"
# The whole word must be applied before the screen is judged (the UI may
# still be drawing "t", "te"... under a slow build such as ASan).
wait_for "Filter: test  (1 of 5"
wait_for "Test group"
screen | grep -q "Moscow VIP" && fail "tag filter"
keys Escape
wait_for "5 segments"

# Help overlay lists this screen's keys from the action table.
keys "?"
wait_for "Help: keys"
wait_for "Create a segment"
keys NPage NPage NPage
wait_for "Every screen"
wait_for "Quit reseg"
keys Escape
wait_gone "Help: keys"

# Resize: the table is laid out again for the new width.
$T resize-window -x 132 -y 43
wait_for "2026-11-28 12:00"
screen | grep -q "^Name  *Kind  *Database State  *Profiles Last run  *Next run  *Tags" ||
    fail "132-column headers"
screen | grep -q "^Active buyers, not VIP scheduled demo  *Active  *865 2026-11-28 12:00 .* sales" ||
    fail "132-column row"
$T resize-window -x 80 -y 24
# "11-28 12:00" is also part of the wide "2026-11-28 12:00": wait for the
# wide form to go, so the old screen cannot pass for the new one.
wait_gone "2026-11-28 12:00"
wait_for "11-28 12:00"
wait_for "F1Help"
# At the smallest size whole columns go; the screen edge never cuts the
# profile count (19 shown as 1).
$T resize-window -x 40 -y 10
wait_for "Name           DB   State  Profiles Tags"
screen | grep -q "Moscow VIP s.* 19 " || fail "profile count cut at 40 columns"
screen | grep -q "Kind" && fail "kind column kept at 40 columns"
$T resize-window -x 80 -y 24
wait_for "Kind"

# Bulk edit: any number of assignments, a quoted value keeps its ';', a
# wrong one is shown above the prompt asking again with the text kept;
# the question lists every value.
keys End
keys u
wait_for 'Set FIELD=VALUE; ... ("a;b" keeps ;):'
keys -l 'city=Oslo; last_name="X;Y"; oops'
keys Enter
wait_for "Assignment 3 ('oops') is not FIELD=VALUE."
wait_for 'last_name="X;Y"; oops'
keys BSpace BSpace BSpace BSpace BSpace BSpace Enter
wait_for "Set 2 fields for every profile of 'Test group 20%'"
wait_for 'city="Oslo",'
wait_for 'last_name="X;Y"?'
keys y
wait_for "180 of 180 profiles changed."
"$RESEG" --store "$TMP/store" segment export "Test group 20%" -o "$TMP/t.csv" >/dev/null ||
    fail "segment export"
n=$(grep -c ',X;Y,.*,Oslo,' "$TMP/t.csv")
[ "$n" = 180 ] || fail "bulk edit set X;Y and Oslo on $n profiles, not 180"

# Export asks before replacing a file; No leaves it alone.
echo "keep me" >"$TMP/out.csv"
keys x
wait_for "Export to file"
keys C-u
keys -l "$TMP/out.csv"
keys Enter
wait_for "out.csv already exists. Overwrite it?"
keys n
wait_for "Export cancelled;"
[ "$(cat "$TMP/out.csv")" = "keep me" ] || fail "export replaced the file"
keys x
wait_for "Export to file"
keys C-u
keys -l "$TMP/out.csv"
keys Enter
wait_for "already exists. Overwrite it?"
keys y
wait_for "180 profiles of 'Test group 20%' were written"
head -1 "$TMP/out.csv" | grep -q "^email," || fail "export not written"

# ^C in a prompt cancels it as Esc does; on the list it quits, giving
# the terminal back.
keys /
wait_for "Filter (name or tag):"
keys C-c
wait_gone "Filter (name or tag):"
wait_for "5 segments"
keys C-c
wait_for "EXITED 0"

# q on the list quits and the terminal is given back.
$T kill-server 2>/dev/null
i=0
while $T has-session 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
$T new-session -d -x 80 -y 24 \
    "$RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "5 segments"
keys q
wait_for "EXITED 0"

# An empty store: the list says how to get a database first, and the
# form's database field says there is none instead of an empty picker.
$T kill-server 2>/dev/null
i=0
while $T has-session 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
$T new-session -d -x 80 -y 24 \
    "$RESEG --store $TMP/empty; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "No profile databases yet"
wait_for "'reseg db import NAME FILE'"
keys n
wait_for "No profile database yet: see 'reseg db create' or 'reseg demo'."
keys Escape
wait_for "0 segments"
keys q
wait_for "EXITED 0"
