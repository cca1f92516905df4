#!/bin/sh
# Staleness in the UI (SPEC 9): a weekly segment whose last slot passed
# two days ago, outside the catch-up window, is Skipped by the UI's
# scheduler and shown as Stale in the list and on its page; a manual
# recalculation clears it.
. "$top_srcdir/tests/tui/lib.sh"
R() { "$RESEG" --store "$TMP/store" "$@"; }

R db create shop --fields 'email:string,n:int' >/dev/null || fail "db create"
printf 'email,n\na@x.org,1\nb@x.org,2\n' >"$TMP/p.csv"
R db import shop "$TMP/p.csv" >/dev/null || fail "db import"
# Created on Saturday 2026-11-28; the slot is Sunday 11:00 UTC.
R segment create weekly --db shop --where 'n >= 1' \
    --schedule 'weekly on sun at 11:00 UTC' >/dev/null || fail "create"

# Opened on Tuesday 12:00: Sunday's slot is 49 hours old.
$T new-session -d -x 80 -y 24 \
    "RESEG_NOW=2026-12-01T12:00:00Z $RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "1 segment"
wait_for "Stale"
screen | grep "^weekly " | grep -q "Stale" || fail "the list row is not Stale"
$T send-keys Enter
wait_for "Stale: a scheduled run has not happened"
$T send-keys Tab Tab Tab
wait_for "Skipped"
$T send-keys r
wait_for "Active"
screen | grep -qF "Stale" && fail "still Stale after a manual run"
$T send-keys q
wait_for "1 segment"
screen | grep "^weekly " | grep -q "Active" || fail "the list row is not Active"
exit 0
