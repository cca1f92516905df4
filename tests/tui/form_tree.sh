#!/bin/sh
# The segment form's conditions tree: an empty group neither goes into
# the script nor gets saved, and editing "not TEST" keeps the "not".
set -u
. "$top_srcdir/tests/tui/lib.sh"
WAIT_SECS=15
KEY_DELAY=0.15

tui_start
wait_for "Segments"

# An empty group: F3 stays in the tree and says why; saving refuses it
# (the store would not read such conditions back).
keys i
wait_for "New segment"
keys -l "Empty group"
keys Tab Tab Tab
keys C-g
wait_for "ANY of these (OR)"
keys F3
wait_for "A group has no conditions: add one to it or remove it."
screen | grep -q "script (F3: tree)" && fail "F3 wrote an empty group"
keys C-s
wait_for "^ A group has no conditions: add one to it or remove it."
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
wait_for "orders_count >= 2"
keys C-s
wait_for "was created"
out=$($RESEG --store "$TMP/store" segment script "Empty group") ||
    fail "script: $out"
[ "$out" = "orders_count >= 2" ] || fail "saved: $out"
$RESEG --store "$TMP/store" segment list >/dev/null || fail "list"

# Editing "not tags has "vip"" offers tags and has with "vip", and keeps
# the "not".
keys Home
keys Down
wait_for "Active buyers, not VIP"
keys e
wait_for "Edit segment: Active buyers, not VIP"
keys Tab Down Down
keys Enter
wait_for "Field (type to search)"
keys Enter
wait_for "Operator"
keys Enter
wait_for 'tags has: a text'
wait_for '│ vip '
keys C-a C-k
keys -l "gold"
keys Enter
wait_for 'not tags has "gold"'
keys C-s
wait_for "was saved"
out=$($RESEG --store "$TMP/store" segment script "Active buyers, not VIP")
[ "$out" = 'in segment "Active buyers CIS" and not tags has "gold"' ] ||
    fail "saved: $out"
exit 0
