#!/bin/sh
# The segment form's script editor: a parse error is shown with its
# position, F3 puts the caret there, the script is highlighted, and a
# fixed script switches back to the tree.
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
keys Up Home
$T capture-pane -p -e >"$TMP/colours"
keys F3
wait_for "does not parse"
# F3 sends the caret to the error: line 2, column 33 (screen row 6).
[ "$($T display -p '#{cursor_flag} #{cursor_x},#{cursor_y}')" = "1 32,6" ] ||
    fail "the caret is not at the error: $($T display -p '#{cursor_x},#{cursor_y}')"
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

# Highlighting: keywords, numbers, the error's place (past the end of
# line 2) in colours; none under NO_COLOR or on a terminal without them.
esc=$(printf '\033')
row=$(sed -n 7p "$TMP/colours")
for want in "33mbetween" "35m1" "41m"; do
	case $row in
	*"$esc[$want"*|*"$esc[1m$esc[$want"*) ;;
	*) fail "no ESC[$want in the script's row 2: $(printf '%s' "$row" | cat -v)" ;;
	esac
done
for env in NO_COLOR=1 TERM=vt100; do
	$T new-window "env $env $RESEG --store $TMP/store; sleep 30"
	wait_for "Segments"
	keys i
	wait_for "New segment"
	keys Tab Tab Tab F3
	wait_for "Conditions: script"
	keys -l 'orders_count between 1 and 5'
	wait_for "The script parses."
	row=$($T capture-pane -p -e | sed -n 6p)
	case $row in
	*"$esc[3"[0-7]m*|*"$esc[4"[0-7]m*)
		fail "colours under $env: $(printf '%s' "$row" | cat -v)" ;;
	esac
	keys Escape
	wait_for "Discard"
	keys y
	wait_for "Segments"
	keys q
done
exit 0
