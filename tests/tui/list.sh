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
$T resize-window -x 132 -y 30
wait_for "2026-11-28 12:00"
$T resize-window -x 80 -y 24
wait_for "11-28 12:00"
screen | grep -q "2026-11-28 12:00" && fail "not redrawn after resize"
wait_for "F1Help"
# At the smallest size whole columns go; the screen edge never cuts the
# profile count (19 shown as 1).
$T resize-window -x 40 -y 10
wait_for "Name      Databa State    Profiles Tags"
screen | grep -q "Moscow V.* 19 " || fail "profile count cut at 40 columns"
screen | grep -q "Kind" && fail "kind column kept at 40 columns"
$T resize-window -x 80 -y 24
wait_for "Kind"

# q on the list quits and the terminal is given back.
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
