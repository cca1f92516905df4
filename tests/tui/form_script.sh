#!/bin/sh
# The segment form's script editor: a parse error is shown with its
# position, and a fixed script switches back to the tree.
set -u
: "${RESEG:?}"
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
TMP=$(mktemp -d) || exit 99
S=reseg$$
cleanup() { tmux -L $S kill-server 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; tmux -L $S capture-pane -p 2>/dev/null; exit 1; }
wait_for() {
	i=0
	while [ $i -lt 75 ]; do
		tmux -L $S capture-pane -p 2>/dev/null | grep -qF -- "$1" &&
		    return 0
		sleep 0.2
		i=$((i + 1))
	done
	fail "no '$1' on the screen"
}
keys() { tmux -L $S send-keys "$@"; sleep 0.15; }

$RESEG --store "$TMP/s" demo --profiles 2000 >/dev/null || fail "demo"
tmux -L $S -f /dev/null new-session -d -x 80 -y 24 \
    "LC_ALL=C.UTF-8 RESEG_NOW=$RESEG_NOW $RESEG --store $TMP/s" || fail tmux
wait_for "Segments"
keys n
wait_for "New segment"
keys -l "Script test"
keys Tab Tab Tab F3
wait_for "Conditions: script"
keys -l 'country = "RU"'
keys Enter
keys -l '  and orders_count between 1 and'
wait_for "^ line 2, column"
keys F3
wait_for "does not parse"
keys -l ' 5'
wait_for "The script parses."
keys F3
wait_for "orders_count between 1 and 5"
wait_for "ALL of these (AND)"
keys C-s
wait_for "was created"
$RESEG --store "$TMP/s" segment script "Script test" |
    grep -qx 'country = "RU" and orders_count between 1 and 5' ||
    fail "script"
exit 0
