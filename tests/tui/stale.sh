#!/bin/sh
# Staleness in the UI (README, "Schedules and the scheduler"): a weekly
# segment whose last slot passed two days ago, outside the catch-up
# window, is Skipped by the UI's scheduler and shown as Stale in the
# list and on its page; a manual recalculation clears it.
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
WAIT_SECS=10 wait_gone "Stale"
wait_for "Active"
$T send-keys q
wait_for "1 segment"
screen | grep "^weekly " | grep -q "Active" || fail "the list row is not Active"
$T send-keys q
wait_for "EXITED 0"

# A schedule that is over (a past "once", a past "until") after its last
# run is Ended in the list and on the page, not Active with no next run.
R segment create once --db shop --where 'n >= 1' \
    --schedule 'once on 2026-11-29 at 10:00 UTC' >/dev/null || fail "once"
R segment create until --db shop --where 'n >= 2' \
    --schedule 'daily at 06:00 UTC until 2026-11-30' >/dev/null || fail "until"
RESEG_NOW=2026-11-29T10:05:00Z R segment recalc once >/dev/null || fail "recalc"
RESEG_NOW=2026-11-30T06:05:00Z R segment recalc until >/dev/null ||
    fail "recalc"
$T kill-server 2>/dev/null
i=0
while $T has-session 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
$T new-session -d -x 80 -y 24 \
    "RESEG_NOW=2026-12-01T12:00:00Z $RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "3 segments"
screen | grep "^once " | grep -q " Ended " || fail "the once row is not Ended"
screen | grep "^until " | grep -q " Ended " || fail "the until row is not Ended"
screen | grep "^weekly " | grep -q "Active" || fail "weekly is not Active"
$T send-keys Enter
wait_for "Segment: once"
wait_for "State: Ended: the schedule has no more runs"
wait_for "Next run: none"
$T send-keys s
wait_for "State: Stopped"
$T send-keys s
wait_for "State: Ended"
exit 0
