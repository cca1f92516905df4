#!/bin/sh
# The segment form: create a segment with tree conditions, range, limit
# and a schedule, preview it, save it and find it in the list and in
# `reseg segment show`.
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
keys -l "Form test"
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
wait_for "2026-11-30T06:30:00Z"
keys F9
wait_for "Preview:"
tmux -L $S capture-pane -p | grep -q "Preview: [0-9 ,]* profiles" ||
    fail "preview count"
keys C-s
wait_for "Form test"
wait_for "was created"

out=$($RESEG --store "$TMP/s" segment show "Form test") || fail show
echo "$out" | grep -qx 'Range:      0-50' || fail "range: $out"
echo "$out" | grep -qx 'Limit:      100' || fail "limit: $out"
echo "$out" | grep -qx 'Schedule:   weekly on mon,thu at 06:30 UTC' ||
    fail "schedule: $out"
echo "$out" | grep -qx '  country in ("RU", "KZ") and orders_count >= 2' ||
    fail "conditions: $out"
exit 0
