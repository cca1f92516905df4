#!/bin/sh
# An event condition made with the keys: count of "purchase" with a
# filter on sku and a window, saved, then reopened with Enter (every
# step preset from the saved condition) and changed; `reseg segment show`
# shows the script each time.
set -u
. "$top_srcdir/tests/tui/lib.sh"
WAIT_SECS=15
KEY_DELAY=0.15

R()
{
	"$RESEG" --store "$TMP/store" "$@"
}

R db create shop --fields email:string,country:string \
    --event-fields amount:float,sku:string,mailing:string >/dev/null ||
    fail "db create"
R db import shop "$top_srcdir/tests/data/shop-people.csv" >/dev/null ||
    fail "db import"
R events import shop "$top_srcdir/tests/data/shop-events.csv" >/dev/null ||
    fail "events import"
$T new-session -d -x 80 -y 24 \
    "$RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "Segments"

keys i
wait_for "New segment"
keys -l "TV buyers"
keys Tab Tab Tab
keys C-n
wait_for "Field (type to search)"
keys -l "event"
keys Enter
wait_for "Event condition"
keys -l "count of"
keys Enter
wait_for "Event (type to search)"
wait_for "email_click"
keys -l "purchase"
keys Enter
wait_for "Filters (where)"
keys Down Enter
wait_for "Event property (type to search)"
keys -l "sku"
keys Enter
wait_for "Operator"
keys -l "starts with"
keys Enter
wait_for "sku starts with: a text"
keys -l "TV"
keys Enter
wait_for 'where sku starts with "TV"'
keys Up Enter
wait_for "Compared with"
keys -l ">="
keys Enter
wait_for 'count of "purchase": a whole number'
keys -l "1"
keys Enter
wait_for "Which events count (window)"
keys -l "since"
keys Enter
wait_for "a date, YYYY-MM-DD"
keys -l "2026-10-01"
keys Enter
wait_for 'count of "purchase" where (sku starts with "TV") >= 1 since 2026-10-01'
keys C-s
wait_for "Segment 'TV buyers' was created."
R segment show "TV buyers" >"$TMP/show" || fail "segment show"
grep -qx '  count of "purchase" where (sku starts with "TV") >= 1 since 2026-10-01' \
    "$TMP/show" || fail "saved: $(cat "$TMP/show")"

# Enter on the condition walks the same steps, each on the saved choice.
keys e
wait_for "Edit segment: TV buyers"
keys Tab Down
keys Enter
wait_for "Event condition"
keys Enter
wait_for "Event (type to search)"
keys Enter
wait_for 'where sku starts with "TV"'
keys Enter
wait_for "Compared with"
keys Enter
wait_for '│ 1 '
keys C-a C-k
keys -l "2"
keys Enter
wait_for "Which events count (window)"
keys Enter
wait_for '│ 2026-10-01 '
keys Enter
wait_for 'count of "purchase" where (sku starts with "TV") >= 2 since 2026-10-01'
keys C-s
wait_for "was saved"
R segment show "TV buyers" >"$TMP/show" || fail "segment show"
grep -qx '  count of "purchase" where (sku starts with "TV") >= 2 since 2026-10-01' \
    "$TMP/show" || fail "saved: $(cat "$TMP/show")"
exit 0
