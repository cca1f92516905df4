#!/bin/sh
# The segment form: create a segment with tree conditions, range, limit
# and a schedule, preview it, save it and find it in the list and in
# `reseg segment show`.
set -u
. "$top_srcdir/tests/tui/lib.sh"
WAIT_SECS=15
KEY_DELAY=0.15

tui_start
wait_for "Segments"

# Saving with an empty name says so at once, under the name; the form's
# complaint does not follow to the list.
keys i
wait_for "New segment"
keys C-s
wait_for "^ Enter a name for the segment."
wait_for "Some fields need attention"
keys Escape
wait_for "9 segments"
screen | grep -q "Some fields need attention" &&
    fail "the form's message stayed on the list"

# ^C in the form cancels as Esc does: with changes it asks first, and ^C
# answers that question with No.
keys i
wait_for "New segment"
keys -l "Dropped"
keys C-c
wait_for "Discard the changes to this segment?"
keys C-c
wait_gone "Discard the changes"
wait_for "New segment"
keys C-c
wait_for "Discard the changes to this segment?"
keys y
wait_for "9 segments"
screen | grep -q "Dropped" && fail "the discarded segment was saved"

keys i
wait_for "New segment"
keys -l "Form test"
# The terminal cursor sits in the field being typed (column 19 + the
# text), not after the key bar drawn last.
wait_for "Form test"
[ "$($T display -p '#{cursor_flag} #{cursor_x},#{cursor_y}')" = "1 28,1" ] ||
    fail "cursor not in the Name field: $($T display -p '#{cursor_x},#{cursor_y}')"
keys Left Left
sleep 0.3
[ "$($T display -p '#{cursor_x},#{cursor_y}')" = "26,1" ] ||
    fail "cursor did not follow Left: $($T display -p '#{cursor_x},#{cursor_y}')"
keys End
keys Tab Tab Tab
keys C-n
wait_for "Field (type to search)"
keys -l "country"
keys Enter
wait_for "Operator"
keys -l "not in"
keys BSpace BSpace BSpace BSpace BSpace BSpace
keys -l "in"
keys Enter
wait_for "Value"
keys -l "RU, KZ"
keys Enter
wait_for 'country in ("RU", "KZ")'
keys C-n
wait_for "Field (type to search)"
keys -l "orders_count"
keys Enter
wait_for "Operator"
keys -l ">="
keys Enter
wait_for "Value"
keys -l "2"
keys Enter
wait_for 'orders_count >= 2'
# Range 0-50, limit 100, schedule weekly on mon,thu at 06:30 UTC.
keys Tab Tab BSpace BSpace BSpace
keys -l "50"
keys Tab Space Tab
keys -l "100"
keys Tab Space
wait_for "Time (HH:MM)"
keys Tab BSpace BSpace BSpace BSpace BSpace
keys -l "06:30"
keys Tab Tab Right Right
wait_for "Weekdays"
keys Tab
keys -l "mon,thu"
wait_for "2026-11-30 06:30 UTC"
keys F9
wait_for "Preview:"
screen | grep -q "Preview: [0-9 ,]* profiles" ||
    fail "preview count"
keys C-s
wait_for "Form test"
wait_for "was created"

out=$($RESEG --store "$TMP/store" segment show "Form test") || fail show
echo "$out" | grep -qx 'Range:      0-50' || fail "range: $out"
echo "$out" | grep -qx 'Limit:      100' || fail "limit: $out"
echo "$out" | grep -qx 'Schedule:   weekly on mon,thu at 06:30 UTC' ||
    fail "schedule: $out"
echo "$out" | grep -qx '  country in ("RU", "KZ") and orders_count >= 2' ||
    fail "conditions: $out"
exit 0
