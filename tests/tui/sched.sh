#!/bin/sh
# The scheduler inside the UI (README, "Schedules and the scheduler"): a
# slot that comes due while the UI is open runs automatically (the
# list's count, a System log row); with `reseg daemon` holding the
# store's scheduler the UI names the holder, and takes over when the
# daemon stops.  Real time: no RESEG_NOW.
. "$top_srcdir/tests/tui/lib.sh"
unset RESEG_NOW
R() { "$RESEG" --store "$TMP/store" "$@"; }

R db create shop --fields 'email:string,orders_count:int' >/dev/null ||
    fail "db create"
printf 'email,orders_count\na@x.org,1\nb@x.org,2\nc@x.org,0\n' >"$TMP/p.csv"
R db import shop "$TMP/p.csv" >/dev/null || fail "db import"

# The next slot is the next whole minute, at least 4 seconds ahead; the
# hourly series starts an hour before it, so it already has a past slot.
s=$(date -u +%S)
s=${s#0}
if [ "$s" -gt 55 ]; then
	sleep $((61 - s))
fi
# `starting` names the start's day: in the first hour of a UTC day the
# start is yesterday, and without it the series would begin tonight.
HM=$(date -u -d '+1 min -1 hour' +%H:%M)
DAY=$(date -u -d '+1 min -1 hour' +%Y-%m-%d)
R segment create soon --db shop --where 'orders_count >= 1' \
    --schedule "every 1 hours from $HM UTC starting $DAY" >/dev/null ||
    fail "create"

$T new-session -d -x 80 -y 24 \
    "$RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "1 segment"
screen | grep "^soon " | grep -q "never" || fail "ran before its slot"
# The automatic run lands while the UI is open: count and last run move.
i=0
while ! screen | grep "^soon " | grep -qv "never"; do
	i=$((i + 1))
	[ $i -gt 700 ] && fail "no automatic run within 70 s"
	sleep 0.1
done
wait_for "automatic run 1"
screen | grep "^soon " | grep -q " 2 " || fail "the list shows no count 2"
keys Enter
wait_for "Segment: soon"
keys Tab Tab Tab
wait_for "Initiator"
screen | grep -q "Automatic System .*2 .*Completed" ||
    fail "no Automatic System log row"
R segment log soon | grep -q "Automatic" || fail "no Automatic run stored"
keys F10
wait_for "EXITED 0"
$T kill-server
# A fresh tmux server: the old one may still be going away.
T="tmux -L ${TMUX_SOCK}b -f /dev/null"

# Another process holds the scheduler: the UI says who and schedules
# nothing; when it stops, the UI takes over within the retry period.
"$RESEG" --store "$TMP/store" daemon 2>"$TMP/daemon.log" &
DPID=$!
BG_PIDS=$DPID
i=0
while ! R status 2>/dev/null | grep -q "^scheduler: process $DPID "; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "the daemon never took the lock"
	sleep 0.1
done
$T new-session -d -x 80 -y 24 \
    "$RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "Scheduler: process $DPID ($(id -un)) since"
kill -TERM $DPID
wait $DPID
BG_PIDS=
wait_for_secs 15 "automatic runs now happen in this window"
R status | grep -q "^scheduler: process " || fail "the UI holds no lock"
keys F10
wait_for "EXITED 0"
# The note says that automatic runs stop with the window.
wait_for "reseg: The scheduler stops with this window: the next automatic"
R status | grep -q "^scheduler: none" || fail "the UI kept the lock"
