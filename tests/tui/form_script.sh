#!/bin/sh
# The segment form's script editor: a parse error is shown with its
# position and a caret under its column, and a fixed script switches
# back to the tree.
set -u
. "$top_srcdir/tests/tui/lib.sh"
WAIT_SECS=15
KEY_DELAY=0.15

tui_start
wait_for "Segments"
keys i
wait_for "New segment"
keys -l "Script test"
keys Tab Tab Tab F3
wait_for "Conditions: script"
keys -l 'country = "RU"'
keys Enter
keys -l '  and orders_count between 1 and'
wait_for "line 2, column 33: expected"
# The caret stands under the error's column (33), the cause below it.
screen | grep -qx " \{32\}\^" || fail "no caret under column 33"
keys F3
wait_for "does not parse"
keys -l ' 5'
wait_for "The script parses."
keys F3
wait_for "orders_count between 1 and 5"
wait_for "ALL of these (AND)"
keys C-s
wait_for "was created"
$RESEG --store "$TMP/store" segment script "Script test" |
    grep -qx 'country = "RU" and orders_count between 1 and 5' ||
    fail "script"

# A long cause under a field is wrapped, not cut at the screen edge.
keys i
wait_for "New segment"
keys -l "Range test"
keys Tab Tab Tab Tab C-a C-k
keys -l "25:00"
keys C-s
wait_for "^ range '25:00-100' is not of the form A-B (percent, for"
wait_for "example 0-20)"
keys Escape
wait_for "Discard"
keys y
wait_for "Segments"
exit 0
